import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { webhookFixture, type WebhookFixture } from './support/fixture.js';
import { startReceiver, type Receiver } from './support/receiver.js';
import { createDispatcher, type Dispatcher } from '../../src/webhooks/dispatcher.js';
import { createEndpoint } from '../../src/webhooks/endpoints.js';
import { listEventDeliveries, resendEvent } from '../../src/webhooks/deliveries.js';
import { webhooks } from '../../packages/node/src/index.js';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`webhook dispatcher (${dialect.name})`, () => {
    let fx: WebhookFixture | undefined;
    let receiver: Receiver | undefined;
    let dispatcher: Dispatcher | undefined;

    afterEach(async () => {
      await dispatcher?.stop();
      await receiver?.close();
      await fx?.close();
      fx = receiver = dispatcher = undefined;
    });

    it('delivers every subscribed event with a signature that packages/node verifies', async () => {
      fx = await webhookFixture(dialect);
      receiver = await startReceiver();
      const endpoint = await createEndpoint(fx.paygate.deps, fx.scope, { url: `${receiver.url}/hooks` });
      dispatcher = createDispatcher(fx.paygate.deps, { bus: fx.paygate.bus, pollIntervalMs: 50 });
      dispatcher.start();
      const charge = await fx.paidCharge();

      const requests = await receiver.waitFor(3);
      const types = requests.map((r) => JSON.parse(r.body).type).sort();
      expect(types).toEqual(['charge.created', 'charge.pending', 'charge.succeeded']);
      for (const request of requests) {
        const event = webhooks.verify<{ id: string; data: { object: { id: string } } }>(request.body, request.headers['paygate-signature'], endpoint.secret!);
        expect(request.headers['paygate-event-id']).toBe(event.id);
        expect(event.data.object.id).toBe(charge.id);
      }
      const rows = await fx.waitForDeliveries((all) => all.length === 3 && all.every((d) => d.status === 'succeeded'));
      expect(rows.every((d) => d.attempt_count === 1 && d.lease_token === null)).toBe(true);
    });

    it('a receiver answering 500, then FAIL, then SUCCESS gets exactly three attempts on the schedule', async () => {
      fx = await webhookFixture(dialect);
      const answers = [{ status: 500, body: 'oops' }, { status: 200, body: 'FAIL' }, { status: 200, body: ' success\n' }];
      receiver = await startReceiver((_request, index) => answers[index] ?? { status: 200, body: 'SUCCESS' });
      await createEndpoint(fx.paygate.deps, fx.scope, { url: receiver.url, events: ['charge.succeeded'], require_success_body: true });
      dispatcher = createDispatcher(fx.paygate.deps, { bus: fx.paygate.bus, pollIntervalMs: 40, schedule: [0, 300, 600] });
      dispatcher.start();
      await fx.paidCharge();

      const [delivery] = await fx.waitForDeliveries((all) => all.length === 1 && all[0]!.status === 'succeeded');
      await new Promise((resolve) => setTimeout(resolve, 800)); // nothing more may arrive
      expect(receiver.requests).toHaveLength(3);
      expect(receiver.requests[1]!.at - receiver.requests[0]!.at).toBeGreaterThanOrEqual(290);
      expect(receiver.requests[2]!.at - receiver.requests[1]!.at).toBeGreaterThanOrEqual(590);
      expect(new Set(receiver.requests.map((r) => r.headers['paygate-event-id'])).size).toBe(1);
      expect(receiver.requests.map((r) => r.headers['paygate-delivery-attempt'])).toEqual(['1', '2', '3']);

      const attempts = await fx.database.db.selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', delivery!.id).orderBy('attempt_no').execute();
      expect(attempts.map((a) => [a.attempt_no, a.http_status, a.succeeded])).toEqual([[1, 500, 0], [2, 200, 0], [3, 200, 1]]);
      expect(attempts[0]!.error).toMatch(/answered 500/);
      expect(attempts[1]!.error).toMatch(/"FAIL".*SUCCESS/);
      expect(attempts[1]!.response_excerpt).toBe('FAIL');
      expect(attempts.every((a) => a.duration_ms >= 0 && a.started_at > 0)).toBe(true);
    });

    it('marks a delivery failed after the last send, and a resend delivers it again', async () => {
      fx = await webhookFixture(dialect);
      let healthy = false;
      receiver = await startReceiver(() => (healthy ? { status: 204 } : { status: 503 }));
      await createEndpoint(fx.paygate.deps, fx.scope, { url: receiver.url, events: ['charge.succeeded'] });
      dispatcher = createDispatcher(fx.paygate.deps, { bus: fx.paygate.bus, pollIntervalMs: 30, schedule: [0, 50] });
      dispatcher.start();
      await fx.paidCharge();
      const [failed] = await fx.waitForDeliveries((all) => all[0]?.status === 'failed');
      expect(failed!.attempt_count).toBe(2);
      expect(failed!.last_error).toMatch(/answered 503/);

      healthy = true;
      const resent = await resendEvent(fx.paygate.deps, fx.scope, failed!.event_id);
      expect(resent[0]!.status).toBe('pending');
      dispatcher.wake();
      await fx.waitForDeliveries((all) => all[0]?.status === 'succeeded');
      const [view] = await listEventDeliveries(fx.paygate.deps, fx.scope, failed!.event_id);
      expect(view!.attempts.map((a) => [a.attempt, a.http_status, a.succeeded])).toEqual([[1, 503, false], [2, 503, false], [3, 204, true]]);
    });

    it('filters endpoints by event type and by channel', async () => {
      fx = await webhookFixture(dialect);
      receiver = await startReceiver();
      await createEndpoint(fx.paygate.deps, fx.scope, { url: `${receiver.url}/family`, events: ['charge.*'] });
      await createEndpoint(fx.paygate.deps, fx.scope, { url: `${receiver.url}/closed`, events: ['charge.closed'] });
      await createEndpoint(fx.paygate.deps, fx.scope, { url: `${receiver.url}/this-channel`, events: ['charge.succeeded'], channel: fx.channel.id });
      await createEndpoint(fx.paygate.deps, fx.scope, { url: `${receiver.url}/alipay-only`, events: ['*'], channel: 'alipay' });
      await createEndpoint(fx.paygate.deps, fx.scope, { url: `${receiver.url}/disabled`, events: ['*'], enabled: false });
      dispatcher = createDispatcher(fx.paygate.deps);
      await fx.paidCharge();
      await dispatcher.runOnce();

      const paths = receiver.requests.map((r) => `${r.path} ${JSON.parse(r.body).type}`).sort();
      expect(paths).toEqual(['/family charge.created', '/family charge.pending', '/family charge.succeeded', '/this-channel charge.succeeded']);
    });

    it('a channel enabled later reaches the endpoint without registering again (channel.enabled)', async () => {
      fx = await webhookFixture(dialect);
      receiver = await startReceiver();
      await createEndpoint(fx.paygate.deps, fx.scope, { url: receiver.url, events: ['channel.enabled'], format: 'scrm' });
      dispatcher = createDispatcher(fx.paygate.deps);
      const channel = await fx.paygate.channels.create(fx.scope.app_id, { type: 'test', name: 'Second', enabled: false });
      await fx.paygate.channels.update(fx.scope.app_id, channel.id, { enabled: true });
      await dispatcher.runOnce();
      expect(receiver.requests.map((r) => JSON.parse(r.body))).toEqual([{ type: 'open_payment', account_id: fx.scope.app_id, channel_id: channel.id }]);
    });

    it('sends the seed 000 JSON to a charge\'s notify_url and retries until the body is SUCCESS', async () => {
      fx = await webhookFixture(dialect);
      receiver = await startReceiver((_r, index) => (index === 0 ? { status: 200, body: 'OK' } : { status: 200, body: 'SUCCESS' }));
      dispatcher = createDispatcher(fx.paygate.deps, { schedule: [0, 0] });
      const charge = await fx.paidCharge({ notify_url: `${receiver.url}/notify_url`, order_no: '43', subject: 'TEST FOR CHARGE', body: 'Two coffees', amount: 100 });
      await dispatcher.runOnce();
      await dispatcher.runOnce();

      expect(receiver.requests).toHaveLength(2);
      expect(receiver.requests[0]!.body).toBe(receiver.requests[1]!.body);
      const notice = JSON.parse(receiver.requests[1]!.body);
      expect(Object.keys(notice)).toEqual(['id', 'subject', 'body', 'amount', 'trade_no', 'paid', 'paid_time', 'status', 'created', 'data']);
      expect(notice).toMatchObject({ id: charge.id, subject: 'TEST FOR CHARGE', body: 'Two coffees', amount: 100, trade_no: '43', paid: true, status: 'succeeded' });
      expect(notice.paid_time).toBe(new Date(charge.time_paid! * 1000).toISOString());
      expect(notice.created).toBe(new Date(charge.created * 1000).toISOString());
      expect(notice.data).toEqual({ trade_no: charge.transaction_no, buyer_email: '', seller_id: '' });
      expect(receiver.requests[0]!.headers['paygate-signature']).toBeUndefined();
      const [delivery] = await fx.deliveries();
      expect(delivery).toMatchObject({ target: 'notify_url', format: 'capi', status: 'succeeded', attempt_count: 2 });
    });

    it('refuses loopback destinations of live events, and allows them in test mode', async () => {
      fx = await webhookFixture(dialect);
      receiver = await startReceiver();
      const live = { app_id: fx.scope.app_id, livemode: true };
      await expect(createEndpoint(fx.paygate.deps, live, { url: receiver.url }, { env: {} })).rejects.toThrow(/loopback, private or link-local/);
      const allowed = await createEndpoint(fx.paygate.deps, live, { url: `http://localhost:${receiver.port}/x`, events: ['channel.enabled'] }, { env: { PAYGATE_ALLOW_PRIVATE_WEBHOOKS: '1' } });
      expect(allowed.livemode).toBe(true);
      // At send time the guard resolves the name: localhost is loopback, refused without the opt-in.
      dispatcher = createDispatcher(fx.paygate.deps, { env: {}, schedule: [0] });
      await fx.database.db.insertInto('events').values({ id: 'evt_live_guard_test', app_id: fx.scope.app_id, livemode: 1, type: 'channel.enabled', charge_id: null, channel_id: null, data: '{}', created_at: Date.now() }).execute();
      await dispatcher.runOnce();
      const rows = (await fx.deliveries()).filter((d) => d.event_id === 'evt_live_guard_test');
      expect(rows).toHaveLength(1);
      expect(rows[0]!.status).toBe('failed');
      expect(rows[0]!.last_error).toMatch(/localhost resolves to (127\.0\.0\.1|::1).*PAYGATE_ALLOW_PRIVATE_WEBHOOKS/);
      expect(receiver.requests).toHaveLength(0);
    });
  });
}
