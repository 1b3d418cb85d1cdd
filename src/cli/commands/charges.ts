/**
 * `paygate charges list|get`: an operator's read-only view of charges. `get` finds the charge's
 * app and mode itself (the operator holds the database, not an app's key) and can print its log.
 */
import type { CommandRegistration } from './index.js';
import { withPaygate } from '../runtime.js';
import { formatAmount, formatTable, formatTime } from '../format.js';
import { PaygateError } from '../../core/errors.js';

interface ListOptions {
  app: string;
  live?: boolean;
  limit: string;
  status?: string;
  startingAfter?: string;
  json?: boolean;
}

export const chargesCommand: CommandRegistration = (program, cli) => {
  const charges = program.command('charges').description('look at charges');

  charges
    .command('list')
    .description('list an app\'s charges, newest first')
    .requiredOption('--app <id>', 'the app (app_…)')
    .option('--live', 'live charges (default: test charges)')
    .option('--limit <n>', 'how many (1 to 100)', '20')
    .option('--status <status>', 'only this status: created, pending, secured_paid, shipped, succeeded, closed')
    .option('--starting-after <charge_id>', 'the page after this charge')
    .option('--json', 'print the list object as JSON')
    .action(async (options: ListOptions) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new Error(`--limit must be an integer from 1 to 100 (got "${options.limit}")`);
      const list = await withPaygate(cli, async ({ paygate }) => {
        await paygate.apps.retrieve(options.app);
        return paygate.charges.list({ app_id: options.app, livemode: Boolean(options.live) }, { limit, status: options.status, starting_after: options.startingAfter });
      });
      if (options.json) return cli.printJson(list);
      if (list.data.length === 0) return cli.print('No charges.');
      cli.print(formatTable([
        ['ID', 'ORDER', 'CHANNEL', 'AMOUNT', 'STATUS', 'CREATED'],
        ...list.data.map((c) => [c.id, c.order_no, c.channel, formatAmount(c.amount, c.currency), c.status, formatTime(c.created)]),
      ]));
      if (list.has_more) cli.print(`… more: --starting-after ${list.data[list.data.length - 1]!.id}`);
    });

  charges
    .command('get')
    .description('show one charge (any app, any mode)')
    .argument('<id>', 'the charge (ch_…)')
    .option('--log', 'also print the charge\'s log: every transition and channel request/response (secrets masked)')
    .option('--json', 'print the charge object (and log) as JSON')
    .action(async (id: string, options: { log?: boolean; json?: boolean }) => {
      const { charge, log } = await withPaygate(cli, async ({ paygate, database }) => {
        const owner = await database.db.selectFrom('charges').select(['app_id', 'livemode']).where('id', '=', id).executeTakeFirst();
        if (!owner) throw new PaygateError('resource_not_found', { param: 'id', message: `No such charge: ${id}` });
        const found = await paygate.charges.retrieve({ app_id: owner.app_id, livemode: owner.livemode === 1 }, id);
        return { charge: found, log: options.log ? await paygate.charges.log(id) : undefined };
      });
      if (options.json) return cli.printJson(log ? { charge, log } : charge);
      cli.print(formatTable([
        ['id', charge.id],
        ['app', charge.app],
        ['mode', charge.livemode ? 'live' : 'test'],
        ['order_no', charge.order_no],
        ['channel', `${charge.channel} (${charge.channel_id})`],
        ['amount', formatAmount(charge.amount, charge.currency)],
        ['status', charge.status],
        ['paid', charge.paid ? `yes, ${formatTime(charge.time_paid)}` : 'no'],
        ['transaction_no', charge.transaction_no ?? '-'],
        ['fee / settle', `${formatAmount(charge.fee, charge.currency)} / ${formatAmount(charge.amount_settle, charge.currency)}`],
        ['refunded', formatAmount(charge.amount_refunded, charge.currency)],
        ['subject', charge.subject],
        ['created', formatTime(charge.created)],
        ['expires', formatTime(charge.time_expire)],
      ]));
      if (log) {
        cli.print('');
        cli.print(formatTable([['AT', 'KIND', 'MESSAGE'], ...log.map((entry) => [new Date(entry.at).toISOString(), entry.kind, entry.message])]));
      }
    });
};
