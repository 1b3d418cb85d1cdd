/**
 * `paygate channels list|create`. Options are given as `--option name=value` (repeatable; `@file`
 * reads the value from a file, for PEM keys); the engine types and checks them against the channel
 * type's option schema, so `--option auto_confirm=true` becomes a boolean.
 */
import { readFileSync } from 'node:fs';
import type { CommandRegistration } from './index.js';
import type { ChannelObject } from '../../engine/api-types.js';
import { withPaygate } from '../runtime.js';
import { formatTable } from '../format.js';

interface CreateOptions {
  app: string;
  type: string;
  name?: string;
  live?: boolean;
  disabled?: boolean;
  option: string[];
  feePercentBp?: string;
  feeFixed?: string;
  transactionTypes?: string;
  delegate?: string;
  json?: boolean;
}

export const channelsCommand: CommandRegistration = (program, cli) => {
  const channels = program.command('channels').description('list and create an app\'s payment channels');

  channels
    .command('list')
    .description('list an app\'s channels (secret options masked)')
    .requiredOption('--app <id>', 'the app (app_…)')
    .option('--json', 'print the channel objects as JSON')
    .action(async (options: { app: string; json?: boolean }) => {
      const items: ChannelObject[] = await withPaygate(cli, async ({ paygate }) => {
        await paygate.apps.retrieve(options.app);
        return paygate.channels.list(options.app);
      });
      if (options.json) return cli.printJson(items);
      if (items.length === 0) return cli.print(`App ${options.app} has no channels: add one with \`paygate channels create --app ${options.app} --type test\`.`);
      cli.print(formatTable([
        ['ID', 'TYPE', 'NAME', 'MODE', 'ENABLED', 'CODES'],
        ...items.map((c) => [c.id, c.type, c.name, c.livemode ? 'live' : 'test', c.enabled ? 'yes' : 'no', c.codes.join(',')]),
      ]));
    });

  channels
    .command('create')
    .description('create a channel for an app; options are checked against the channel type\'s schema')
    .requiredOption('--app <id>', 'the app (app_…)')
    .requiredOption('--type <type>', 'the channel type: test, alipay, wechat (those built in)')
    .option('--name <name>', 'a name for the channel')
    .option('--live', 'a live channel (default: test mode, talking to paygate\'s sandboxes)')
    .option('--disabled', 'create it disabled')
    .option('--option <name=value>', 'a channel option, repeatable; value @path reads a file (PEM keys)', collect, [])
    .option('--fee-percent-bp <n>', 'fee in basis points of the amount (60 = 0.6 %)')
    .option('--fee-fixed <n>', 'fixed fee per charge, in minor units (fen)')
    .option('--transaction-types <list>', 'comma-separated transaction types the channel accepts (default: all)')
    .option('--delegate <channel_id>', 'pay-on-behalf: the channel whose merchant collects')
    .option('--json', 'print the channel object as JSON')
    .action(async (options: CreateOptions) => {
      const channel = await withPaygate(cli, async ({ paygate }) => {
        return paygate.channels.create(options.app, {
          type: options.type,
          name: options.name,
          livemode: Boolean(options.live),
          enabled: !options.disabled,
          options: parseChannelOptions(options.option),
          ...(options.feePercentBp !== undefined || options.feeFixed !== undefined
            ? { fee: { percent_bp: integer(options.feePercentBp, '--fee-percent-bp'), fixed: integer(options.feeFixed, '--fee-fixed') } }
            : {}),
          ...(options.transactionTypes !== undefined ? { transaction_types: options.transactionTypes.split(',').map((t) => t.trim()).filter(Boolean) } : {}),
          ...(options.delegate !== undefined ? { delegate: options.delegate } : {}),
        });
      });
      if (options.json) return cli.printJson(channel);
      cli.print(`Created ${channel.livemode ? 'live' : 'test'} ${channel.type} channel ${channel.id} "${channel.name}" (${channel.enabled ? 'enabled' : 'disabled'}; codes ${channel.codes.join(', ')}).`);
    });
};

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function integer(text: string | undefined, flag: string): number {
  if (text === undefined) return 0;
  if (!/^\d+$/.test(text)) throw new Error(`${flag} must be a non-negative integer (got "${text}")`);
  return Number(text);
}

/** `name=value` pairs → options; the engine checks and types them against the channel type's schema. */
export function parseChannelOptions(pairs: readonly string[]): Record<string, string> {
  const options: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new Error(`--option must look like name=value (got "${pair}")`);
    const value = pair.slice(at + 1);
    options[pair.slice(0, at)] = value.startsWith('@') ? readFileSync(value.slice(1), 'utf8') : value;
  }
  return options;
}
