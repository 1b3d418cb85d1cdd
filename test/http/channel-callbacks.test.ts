/**
 * `/notify/:channel_id` and `/return/:channel_id`: the channel sees the body byte for byte
 * (whatever its content type), the provider gets exactly the channel's own reply, forged
 * notifies change nothing, and the buyer's return lands on the result page.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startTestServer, type TestServer } from '../support/server.js';
import type { ChannelType, InboundRequest } from '../../src/channels/contract.js';
import { testChannel } from '../../src/channels/test/test-channel.js';
import type { ChargeObject } from '../../src/engine/api-types.js';
import { chargeBody, client } from './helpers.js';

const sign = (key: string, text: string) => createHmac('sha256', key).update(text).digest('hex');
const seen: InboundRequest[] = [];

/** A provider that signs the raw notify body with HMAC and wants an XML acknowledgement. */
const hmacChannel: ChannelType = {
  type: 'hmacpay', title: { en: 'HMAC pay', zh: 'HMAC 支付' }, codes: ['hmacpay'], testOnly: true,
  options: [{ name: 'key', label: { en: 'Key', zh: '密钥' }, kind: 'secret', secret: true, required: true }],
  async createPayment(ctx, charge) {
    return { ok: true, credential: { pay_url: `https://provider.example/pay?c=${charge.id}&n=${encodeURIComponent(ctx.urls.notify)}` } };
  },
  async parseNotify(ctx, request) {
    seen.push(request);
    const key = String(ctx.channel.options.key);
    if (request.headers['x-signature'] !== sign(key, request.rawBody)) return { verified: false, reason: 'bad signature' };
    const fields = new URLSearchParams(request.rawBody);
    return { verified: true, charge_id: fields.get('charge') ?? '', event: { kind: 'paid' }, amount: Number(fields.get('amount')), transaction_no: fields.get('trade') ?? undefined };
  },
  acknowledgeNotify(ok) {
    return { status: ok ? 200 : 401, headers: { 'content-type': 'text/xml' }, body: ok ? '<xml><return_code><![CDATA[SUCCESS]]></return_code></xml>' : '<xml><return_code>FAIL</return_code></xml>' };
  },
  async parseReturn(ctx, request) {
    const key = String(ctx.channel.options.key);
    const charge = request.query.charge ?? '';
    if (request.query.sig !== sign(key, charge)) return { verified: false, reason: 'bad return signature', charge_id: charge };
    return { verified: true, charge_id: charge, event: { kind: 'pending' }, amount: Number(request.query.amount) };
  },
};

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`channel callbacks (${dialect.name})`, () => {
    let s: TestServer;
    let call: ReturnType<typeof client>;
    let channelId: string;
    beforeAll(async () => {
      s = await startTestServer({ dialect, paygateOptions: { channelTypes: [testChannel, hmacChannel] } });
      call = client(s);
      channelId = (await s.paygate.channels.create(s.app.id, { type: 'hmacpay', livemode: false, options: { key: 'k3y' } })).id;
    });
    afterAll(() => s?.close());

    it('hands the raw body to the channel byte for byte and answers with the channel\'s own reply', async () => {
      const charge = (await call<ChargeObject>('POST', '/v1/charges', chargeBody({ channel: 'hmacpay', amount: 1234 }))).body;
      // Spaces as %20 and +, odd key order, a trailing &: any re-serialisation would break the signature.
      const raw = `trade=T%20001+x&amount=1234&charge=${charge.id}&note=%E4%BB%98%E6%AC%BE&`;
      const res = await fetch(`${s.url}/notify/${channelId}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', 'x-signature': sign('k3y', raw) }, body: raw });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/xml');
      expect(await res.text()).toBe('<xml><return_code><![CDATA[SUCCESS]]></return_code></xml>');
      expect(seen.at(-1)!.rawBody).toBe(raw);
      const paid = (await call<ChargeObject>('GET', `/v1/charges/${charge.id}`)).body;
      expect(paid).toMatchObject({ status: 'succeeded', transaction_no: 'T 001 x' });

      const again = await fetch(`${s.url}/notify/${channelId}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-signature': sign('k3y', raw) }, body: raw });
      expect(again.status).toBe(200);
      const events = await call<{ data: unknown[] }>('GET', `/v1/events?type=charge.succeeded&charge=${charge.id}`);
      expect(events.body.data).toHaveLength(1);
    });

    it('keeps XML and JSON bodies raw too, and refuses forged notifies without changing anything', async () => {
      const charge = (await call<ChargeObject>('POST', '/v1/charges', chargeBody({ channel: 'hmacpay', amount: 50 }))).body;
      for (const [type, raw] of [['text/xml', '<xml><a> 1 </a></xml>'], ['application/json', '{ "charge" : "x" ,"amount":1 }'], ['application/octet-stream', 'charge=x']] as const) {
        const res = await fetch(`${s.url}/notify/${channelId}`, { method: 'POST', headers: { 'content-type': type, 'x-signature': 'forged' }, body: raw });
        expect(res.status).toBe(401);
        expect(await res.text()).toBe('<xml><return_code>FAIL</return_code></xml>');
        expect(seen.at(-1)!.rawBody).toBe(raw);
      }
      const wrongAmount = `amount=49&charge=${charge.id}`;
      const res = await fetch(`${s.url}/notify/${channelId}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-signature': sign('k3y', wrongAmount) }, body: wrongAmount });
      expect(res.status).toBe(401);
      expect((await call<ChargeObject>('GET', `/v1/charges/${charge.id}`)).body.status).toBe('pending');
    });

    it('answers a notify for an unknown channel in plain text, not JSON', async () => {
      const res = await fetch(`${s.url}/notify/chn_nothing`, { method: 'POST', body: 'x=1' });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(await res.text()).toBe('fail');
    });

    it('sends the returning buyer to the result page', async () => {
      const charge = (await call<ChargeObject>('POST', '/v1/charges', chargeBody({ channel: 'hmacpay', amount: 70 }))).body;
      const res = await fetch(`${s.url}/return/${channelId}?charge=${charge.id}&amount=70&sig=${sign('k3y', charge.id)}`, { redirect: 'manual' });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe(`${s.url}/pay/result/${charge.id}`);
      const posted = await fetch(`${s.url}/return/${channelId}?charge=${charge.id}&amount=70&sig=${sign('k3y', charge.id)}`, { method: 'POST', redirect: 'manual', body: 'a=b', headers: { 'content-type': 'text/plain' } });
      expect(posted.status).toBe(303);
    });
  });
}
