/**
 * The webhook HTTP API end to end, driven through packages/node against a real paygate server:
 * endpoint CRUD, test-send, secret roll with overlap, deliveries and resend.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { startReceiver, type Receiver } from '../webhooks/support/receiver.js';
import { createDispatcher, type Dispatcher } from '../../src/webhooks/dispatcher.js';
import { Paygate, PaygateApiError, webhooks, WebhookSignatureError } from '../../packages/node/src/index.js';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`webhook API (${dialect.name})`, () => {
    let server: TestServer | undefined;
    let receiver: Receiver | undefined;
    let dispatcher: Dispatcher | undefined;

    afterEach(async () => {
      await dispatcher?.stop();
      await receiver?.close();
      await server?.close();
      server = receiver = dispatcher = undefined;
    });

    it('creates, reads, updates, tests, rolls and deletes an endpoint', async () => {
      server = await startTestServer({ dialect });
      receiver = await startReceiver((request) => ({ status: 200, body: request.path === '/strict' ? 'nope' : 'SUCCESS' }));
      const client = new Paygate(server.keys.test_secret_key, { baseUrl: server.url });

      const created = await client.webhookEndpoints.create({ url: `${receiver.url}/hooks`, events: ['charge.succeeded', 'refund.*'], description: 'orders' });
      expect(created.secret).toMatch(/^whsec_[A-Za-z0-9]{40}$/);
      expect(created).toMatchObject({ object: 'webhook_endpoint', livemode: false, format: 'event', require_success_body: false, enabled: true, channel: null, events: ['charge.succeeded', 'refund.*'] });
      const read = await client.webhookEndpoints.retrieve(created.id);
      expect(read.secret).toBeUndefined();
      expect(read.secret_hint).toBe(`${created.secret!.slice(0, 6)}…${created.secret!.slice(-4)}`);
      expect((await client.webhookEndpoints.list()).data.map((e) => e.id)).toEqual([created.id]);

      const sample = await client.webhookEndpoints.test(created.id);
      expect(sample).toMatchObject({ object: 'webhook_test', succeeded: true, http_status: 200, error: null });
      const event = webhooks.verify<{ type: string }>(receiver.requests[0]!.body, receiver.requests[0]!.headers['paygate-signature'], created.secret!);
      expect(event.type).toBe('charge.succeeded');

      const rolled = await client.webhookEndpoints.rollSecret(created.id, { expires_in: 3600 });
      expect(rolled.secret).not.toBe(created.secret);
      expect(rolled.previous_secret_expires).toBeGreaterThan(Date.now() / 1000);
      await client.webhookEndpoints.test(created.id);
      const overlap = receiver.requests[1]!;
      expect(String(overlap.headers['paygate-signature']).match(/v1=/g)).toHaveLength(2);
      webhooks.verify(overlap.body, overlap.headers['paygate-signature'], created.secret!);
      webhooks.verify(overlap.body, overlap.headers['paygate-signature'], rolled.secret!);

      const strict = await client.webhookEndpoints.update(created.id, { url: `${receiver.url}/strict`, require_success_body: true });
      expect(strict).toMatchObject({ url: `${receiver.url}/strict`, require_success_body: true, description: 'orders' });
      const failed = await client.webhookEndpoints.test(created.id);
      expect(failed.succeeded).toBe(false);
      expect(failed.error).toMatch(/"nope".*SUCCESS/);

      await expect(client.webhookEndpoints.create({ url: 'ftp://example.com/x' })).rejects.toMatchObject({ code: 'parameter_invalid', param: 'url' });
      await expect(client.webhookEndpoints.create({ url: receiver.url, events: ['charge.paid'] })).rejects.toThrow(/not an event type/);
      await expect(client.webhookEndpoints.create({ url: receiver.url, format: 'capi', events: ['refund.succeeded'] })).rejects.toThrow(/capi format has no message for refund.succeeded/);

      expect(await client.webhookEndpoints.del(created.id)).toMatchObject({ id: created.id, deleted: true });
      await expect(client.webhookEndpoints.retrieve(created.id)).rejects.toBeInstanceOf(PaygateApiError);
      const other = new Paygate(server.keys.live_secret_key, { baseUrl: server.url });
      expect((await other.webhookEndpoints.list()).data).toEqual([]);
    });

    it('lists an event\'s deliveries with attempts and resends it', async () => {
      server = await startTestServer({ dialect });
      let fail = true;
      receiver = await startReceiver(() => (fail ? { status: 500, body: 'down' } : { status: 200, body: 'ok' }));
      const client = new Paygate(server.keys.test_secret_key, { baseUrl: server.url });
      const endpoint = await client.webhookEndpoints.create({ url: receiver.url, events: ['charge.succeeded'] });
      dispatcher = createDispatcher(server.paygate.deps, { bus: server.paygate.bus, pollIntervalMs: 30, schedule: [0] });
      dispatcher.start();

      const charge = await client.charges.create({ order_no: `o-${Date.now()}`, channel: 'test', amount: 100, currency: 'cny', client_ip: '127.0.0.1', subject: 'Tea', body: 'Green tea' });
      await client.charges.simulate(charge.id, 'paid');
      const [succeeded] = (await client.events.list({ type: 'charge.succeeded' })).data;
      let deliveries = await waitFor(() => client.events.deliveries(succeeded!.id), (list) => list.data[0]?.status === 'failed');
      expect(deliveries.data[0]).toMatchObject({ webhook_endpoint: endpoint.id, target: 'webhook_endpoint', attempts_count: 1, last_http_status: 500 });
      expect(deliveries.data[0]!.attempts[0]).toMatchObject({ attempt: 1, http_status: 500, succeeded: false, response_excerpt: 'down' });

      fail = false;
      const resent = await client.events.resend(succeeded!.id);
      expect(resent.data[0]!.status).toBe('pending');
      deliveries = await waitFor(() => client.events.deliveries(succeeded!.id), (list) => list.data[0]?.status === 'succeeded');
      expect(deliveries.data[0]!.attempts.map((a) => a.http_status)).toEqual([500, 200]);
      await expect(client.events.resend('evt_nope')).rejects.toMatchObject({ statusCode: 404 });
    });

    it('verify() says what to fix', () => {
      const body = '{"id":"evt_1"}';
      const secret = 'whsec_abc';
      const header = webhooks.generateTestHeader(body, secret);
      expect(() => webhooks.verify(JSON.parse(body), header, secret)).toThrow(/raw request body/);
      expect(() => webhooks.verify(body, undefined, secret)).toThrow(/no Paygate-Signature header/);
      expect(() => webhooks.verify(body, header, 'sk_test_x')).toThrow(/whsec_/);
      expect(() => webhooks.verify(JSON.stringify(JSON.parse(body), null, 1), header, secret)).toThrow(WebhookSignatureError);
      expect(() => webhooks.verify(body, header, secret, { now: Math.floor(Date.now() / 1000) + 301 })).toThrow(/more than the tolerance of 300 s/);
    });
  });
}

async function waitFor<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not reached: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
}
