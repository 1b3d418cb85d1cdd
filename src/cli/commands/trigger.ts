/**
 * `paygate trigger <event>`: make a test-mode event happen for real, to try a webhook receiver —
 * `charge.succeeded` creates a test charge and pays it, `refund.succeeded` also refunds it, and so
 * on. Events go through the outbox like any other: a running `paygate serve` or `paygate worker`
 * delivers them.
 */
import type { CommandRegistration } from './index.js';
import { withPaygate } from '../runtime.js';
import { fail } from '../../core/errors.js';
import { randomBase62 } from '../../core/ids.js';
import type { Paygate } from '../../engine/paygate.js';
import type { Scope } from '../../engine/api-types.js';

export const TRIGGERS = ['charge.pending', 'charge.succeeded', 'charge.closed', 'charge.secured_paid', 'charge.shipped', 'refund.succeeded', 'channel.enabled'] as const;
type Trigger = (typeof TRIGGERS)[number];

/** The app a command acts on: `--app`, or the only app there is. */
export async function pickApp(paygate: Paygate, appId: string | undefined): Promise<string> {
  if (appId) return (await paygate.apps.retrieve(appId)).id;
  const apps = await paygate.apps.list();
  if (apps.length === 1) return apps[0]!.id;
  if (apps.length === 0) fail('resource_not_found', { param: 'app', message: 'There is no app yet: start `paygate serve` once (it creates the demo app) or run `paygate apps create --name NAME`.' });
  fail('parameter_missing', { param: 'app', message: `There are ${apps.length} apps; choose one with --app (${apps.map((a) => `${a.id} "${a.name}"`).join(', ')}).` });
}

async function testChannelId(paygate: Paygate, appId: string): Promise<string> {
  const channels = await paygate.channels.list(appId, { livemode: false });
  const channel = channels.find((c) => c.type === 'test');
  if (!channel) fail('channel_not_configured', { message: `App ${appId} has no test-mode "test" channel; create one: paygate channels create --app ${appId} --type test` });
  return channel.id;
}

/** Makes `trigger` happen in test mode; returns the ids of what was touched. */
export async function runTrigger(paygate: Paygate, appId: string, trigger: Trigger): Promise<{ charge?: string; channel?: string }> {
  const scope: Scope = { app_id: appId, livemode: false };
  const channelId = await testChannelId(paygate, appId);
  if (trigger === 'channel.enabled') {
    const channel = await paygate.channels.create(appId, { type: 'test', name: `Triggered ${new Date().toISOString()}`, livemode: false, enabled: false });
    await paygate.channels.update(appId, channel.id, { enabled: true });
    return { channel: channel.id };
  }
  const escrow = trigger === 'charge.secured_paid' || trigger === 'charge.shipped';
  const charge = await paygate.charges.create(scope, {
    order_no: `trigger-${randomBase62(12)}`, channel: 'test', channel_id: channelId, amount: 100, currency: 'cny', client_ip: '127.0.0.1',
    subject: `paygate trigger ${trigger}`, body: 'A test charge made by `paygate trigger`', metadata: { paygate_trigger: trigger },
    ...(escrow ? { extra: { escrow: true } } : {}),
  });
  if (trigger === 'charge.closed') await paygate.charges.simulate(scope, charge.id, 'failed');
  if (trigger === 'charge.succeeded' || trigger === 'refund.succeeded' || escrow) await paygate.charges.simulate(scope, charge.id, 'paid');
  if (trigger === 'charge.shipped') await paygate.charges.ship(scope, charge.id, { logistics_name: 'paygate express', invoice_no: randomBase62(10), transport_type: 'EXPRESS' });
  if (trigger === 'refund.succeeded') await paygate.charges.refund(scope, charge.id, { description: 'paygate trigger' });
  return { charge: charge.id };
}

export const triggerCommand: CommandRegistration = (program, cli) => {
  program
    .command('trigger')
    .description(`make a test-mode event happen (one of ${TRIGGERS.join(', ')}) so its webhooks are sent`)
    .argument('<event>', 'the event type to cause, e.g. charge.succeeded')
    .option('--app <id>', 'the app (default: the only app)')
    .option('--json', 'print the events created, as JSON')
    .action(async (event: string, options: { app?: string; json?: boolean }) => {
      if (!(TRIGGERS as readonly string[]).includes(event)) throw new Error(`cannot trigger "${event}"; choose one of ${TRIGGERS.join(', ')}`);
      const result = await withPaygate(cli, async ({ paygate }) => {
        const appId = await pickApp(paygate, options.app);
        const touched = await runTrigger(paygate, appId, event as Trigger);
        const scope = { app_id: appId, livemode: false };
        const events = touched.charge
          ? (await paygate.events.list(scope, { charge: touched.charge, limit: 20 })).data.reverse()
          : (await paygate.events.list(scope, { type: 'channel.enabled', limit: 1 })).data;
        return { appId, touched, events };
      });
      if (options.json) return cli.printJson(result.events);
      cli.print(`Triggered ${event} in app ${result.appId} (test mode)${result.touched.charge ? ` on charge ${result.touched.charge}` : ''}. Events:`);
      for (const e of result.events) cli.print(`  ${e.id}  ${e.type}`);
      cli.print('They are delivered by a running `paygate serve` or `paygate worker`, or forwarded by `paygate listen`.');
    });
};
