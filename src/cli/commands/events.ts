/**
 * `paygate events list|deliveries|resend`: an operator's view of the outbox. `deliveries` shows
 * where an event went and every attempt; `resend` sends it again to all its destinations (or one
 * endpoint), starting a new round of the retry schedule now. Event ids are enough: the command
 * finds the event's app and mode itself.
 */
import type { CommandRegistration } from './index.js';
import { withPaygate } from '../runtime.js';
import { formatTable, formatTime } from '../format.js';
import { fail } from '../../core/errors.js';
import type { Paygate } from '../../engine/paygate.js';
import type { Scope } from '../../engine/api-types.js';
import { listEventDeliveries, resendEvent, type WebhookDeliveryObject } from '../../webhooks/deliveries.js';
import { pickApp } from './trigger.js';

async function eventScope(paygate: Paygate, eventId: string): Promise<Scope> {
  const row = await paygate.deps.database.db.selectFrom('events').select(['app_id', 'livemode']).where('id', '=', eventId).executeTakeFirst();
  if (!row) fail('resource_not_found', { param: 'id', message: `No such event: ${eventId}` });
  return { app_id: row.app_id, livemode: row.livemode === 1 };
}

function printDeliveries(print: (line: string) => void, deliveries: readonly WebhookDeliveryObject[]): void {
  if (deliveries.length === 0) return print('No deliveries: no endpoint subscribed to this event (and no notify_url applies).');
  for (const d of deliveries) {
    print(`${d.id}  ${d.status.toUpperCase()}  ${d.target === 'notify_url' ? 'notify_url' : d.webhook_endpoint}  ${d.url}  (${d.format})${d.next_attempt ? `  next ${formatTime(d.next_attempt)}` : ''}`);
    for (const a of d.attempts) {
      print(`    #${a.attempt}  ${formatTime(a.started)}  ${a.http_status ?? '---'}  ${a.duration_ms} ms  ${a.succeeded ? 'delivered' : a.error ?? ''}`);
    }
  }
}

export const eventsCommand: CommandRegistration = (program, cli) => {
  const events = program.command('events').description('look at events, where they were delivered, and resend them');

  events
    .command('list')
    .description('list an app\'s events, newest first')
    .option('--app <id>', 'the app (default: the only app)')
    .option('--live', 'live events (default: test events)')
    .option('--type <type>', 'only this event type')
    .option('--limit <n>', 'how many (1 to 100)', '20')
    .option('--json', 'print the list object as JSON')
    .action(async (options: { app?: string; live?: boolean; type?: string; limit: string; json?: boolean }) => {
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new Error(`--limit must be an integer from 1 to 100 (got "${options.limit}")`);
      const list = await withPaygate(cli, async ({ paygate }) => {
        const appId = await pickApp(paygate, options.app);
        return paygate.events.list({ app_id: appId, livemode: Boolean(options.live) }, { limit, type: options.type });
      });
      if (options.json) return cli.printJson(list);
      if (list.data.length === 0) return cli.print('No events.');
      cli.print(formatTable([['ID', 'TYPE', 'OBJECT', 'CREATED'], ...list.data.map((e) => [e.id, e.type, String(e.data.object.id ?? ''), formatTime(e.created)])]));
    });

  events
    .command('deliveries')
    .description('show where an event was delivered, with every attempt')
    .argument('<id>', 'the event (evt_…)')
    .option('--json', 'print the deliveries as JSON')
    .action(async (id: string, options: { json?: boolean }) => {
      const deliveries = await withPaygate(cli, async ({ paygate }) => listEventDeliveries(paygate.deps, await eventScope(paygate, id), id));
      if (options.json) return cli.printJson(deliveries);
      printDeliveries((line) => cli.print(line), deliveries);
    });

  events
    .command('resend')
    .description('send an event again to its destinations (a new round of the retry schedule, starting now)')
    .argument('<id>', 'the event (evt_…)')
    .option('--endpoint <we_id>', 'only to this webhook endpoint')
    .option('--json', 'print the deliveries as JSON')
    .action(async (id: string, options: { endpoint?: string; json?: boolean }) => {
      const deliveries = await withPaygate(cli, async ({ paygate }) => resendEvent(paygate.deps, await eventScope(paygate, id), id, { webhook_endpoint: options.endpoint }));
      if (options.json) return cli.printJson(deliveries);
      cli.print(`Event ${id} queued again to ${deliveries.length} destination${deliveries.length === 1 ? '' : 's'}; a running paygate serve or worker sends it now.`);
      printDeliveries((line) => cli.print(line), deliveries);
    });
};
