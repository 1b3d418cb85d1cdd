/**
 * Seed 000 end to end: `POST /capi/api/v1/charge` with a `notify_url`, `fetch_pay_url`, a plain
 * GET of the test-mode pay URL (which pays), and the app's `notify_url` receiving the seed's JSON
 * until it answers SUCCESS.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startReceiver, type Receiver } from '../webhooks/support/receiver.js';
import { createDispatcher, type Dispatcher } from '../../src/webhooks/dispatcher.js';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`seed 000 notify_url (${dialect.name})`, () => {
    let server: TestServer | undefined;
    let receiver: Receiver | undefined;
    let dispatcher: Dispatcher | undefined;
    afterEach(async () => {
      await dispatcher?.stop();
      await receiver?.close();
      await server?.close();
      server = receiver = dispatcher = undefined;
    });

    it('the receiver ends up holding the seed-format JSON', async () => {
      server = await startTestServer({ dialect });
      // The seed's `payment` cloud function: looks the order up, then must return SUCCESS.
      receiver = await startReceiver((_request, index) => (index === 0 ? { status: 200, body: 'FAIELD' } : { status: 200, body: 'SUCCESS' }));
      dispatcher = createDispatcher(server.paygate.deps, { bus: server.paygate.bus, pollIntervalMs: 30, schedule: [0, 100] });
      dispatcher.start();
      const auth = { authorization: `Bearer ${server.keys.test_secret_key}`, 'content-type': 'application/json' };

      const created = await fetch(`${server.url}/capi/api/v1/charge`, {
        method: 'POST', headers: auth,
        body: JSON.stringify({ subject: '商品主题', body: '商品描述', amount: 100, channel: 'TEST', papp: server.app.id, client_ip: '127.0.0.1', trade_no: '43', livemode: false, notify_url: `${receiver.url}/notify_url` }),
      });
      expect(created.status).toBe(200);
      const charge = await created.json() as { id: string; paid_time: string | null; created: string };
      const payUrl = await fetch(`${server.url}/capi/api/v1/charge/${charge.id}/fetch_pay_url`, { method: 'POST', headers: auth, body: JSON.stringify({ channel: 'TEST' }) });
      const { pay_url } = await payUrl.json() as { pay_url: string };
      expect((await fetch(pay_url)).status).toBe(200); // test mode: opening the pay URL pays

      const [first, second] = await receiver.waitFor(2);
      expect(first!.body).toBe(second!.body);
      expect(second!.method).toBe('POST');
      expect(second!.path).toBe('/notify_url');
      expect(second!.headers['content-type']).toMatch(/^application\/json/);
      expect(second!.headers['paygate-event-id']).toMatch(/^evt_/);
      const notice = JSON.parse(second!.body);
      const fetched = await (await fetch(`${server.url}/v1/charges/${charge.id}`, { headers: auth })).json() as { transaction_no: string; time_paid: number };
      expect(notice).toEqual({
        id: charge.id, subject: '商品主题', body: '商品描述', amount: 100, trade_no: '43', paid: true,
        paid_time: new Date(fetched.time_paid * 1000).toISOString(), status: 'succeeded', created: charge.created,
        data: { trade_no: fetched.transaction_no, buyer_email: '', seller_id: '' },
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(receiver.requests).toHaveLength(2); // SUCCESS ends it
      const delivery = await server.database.db.selectFrom('webhook_deliveries').selectAll().where('target', '=', 'notify_url').executeTakeFirstOrThrow();
      expect(delivery).toMatchObject({ status: 'succeeded', attempt_count: 2, format: 'capi', charge_id: charge.id });
    });
  });
}
