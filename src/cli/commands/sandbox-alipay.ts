/**
 * `paygate sandbox alipay --port P --keys DIR`: the Alipay sandbox standalone. Gateway at
 * `http://HOST:P/gateway.do` (Open Platform and legacy mapi), cashier and QR scans beside it.
 * DIR holds config.json and the two key pairs; missing files are generated, existing ones used.
 */
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import type { CliRuntime } from '../runtime.js';
import { startStandaloneAlipaySandbox } from '../../sandbox/alipay/standalone.js';
import { scheduleFromEnv } from '../../sandbox/alipay/notifier.js';
import { untilStopped } from './sandbox.js';

interface AlipaySandboxOptions {
  port: string;
  host: string;
  keys: string;
  interactive?: boolean;
  json?: boolean;
}

export function sandboxAlipaySubcommand(sandbox: Command, cli: CliRuntime): void {
  sandbox
    .command('alipay')
    .description('the Alipay sandbox: gateway.do for Open Platform (RSA2) and mapi (MD5), cashier, signed notifies')
    .option('--port <port>', 'port to listen on (0 = any free port)', '18080')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--keys <dir>', 'keys directory (config.json, app_*.pem, alipay_*.pem)', './data/sandbox/alipay')
    .option('--interactive', 'the cashier asks Pay / Fail instead of paying on a plain GET')
    .option('--json', 'print the connection details as JSON')
    .action((options: AlipaySandboxOptions) => run(cli, options));
}

async function run(cli: CliRuntime, options: AlipaySandboxOptions): Promise<void> {
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number (got "${options.port}")`);
  const keysDir = resolve(cli.cwd, options.keys);
  const running = await startStandaloneAlipaySandbox({
    keysDir,
    port,
    host: options.host,
    mode: options.interactive ? 'interactive' : 'auto',
    retrySchedule: scheduleFromEnv(cli.env),
  });
  const details = {
    gateway: running.gateway,
    app_id: running.keys.config.app_id,
    seller_id: running.keys.config.seller_id,
    partner: running.keys.config.partner,
    keys: keysDir,
    private_key_file: join(keysDir, 'app_private_key.pem'),
    alipay_public_key_file: join(keysDir, 'alipay_public_key.pem'),
  };
  if (options.json) cli.printJson(details);
  else {
    cli.print(`Alipay sandbox at ${running.url}/ (gateway ${running.gateway})`);
    cli.print(`  app_id ${details.app_id} · partner ${details.partner} · seller_id ${details.seller_id}`);
    cli.print(`  merchant private key: ${details.private_key_file}`);
    cli.print(`  Alipay public key:    ${details.alipay_public_key_file}`);
    cli.print(`  MD5 key (legacy):     md5_key in ${join(keysDir, 'config.json')}`);
    cli.print(`Configure a channel with these and gateway=${running.gateway}. Press Ctrl-C to stop.`);
  }
  await untilStopped(cli, () => running.close());
  cli.print('Alipay sandbox stopped.');
}
