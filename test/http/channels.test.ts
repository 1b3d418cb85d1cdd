/**
 * `/v1/channels`: create (JSON and form), list, read with secrets masked, update by PATCH and
 * by POST, disable, delete; and `GET /v1/channels/:id/records`, the payments shown under a
 * channel, including those collected through a delegate (pay-on-behalf).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startTestServer, type TestServer } from '../support/server.js';
import type { ChannelObject, ChargeObject, ListObject } from '../../src/engine/api-types.js';
import type { PaymentRecord } from '../../src/engine/channel-records.js';
import { chargeBody, client } from './helpers.js';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`channels (${dialect.name})`, () => {
    let s: TestServer;
    let call: ReturnType<typeof client>;
    beforeAll(async () => {
      s = await startTestServer({ dialect });
      call = client(s);
    });
    afterAll(() => s?.close());

    it('creates, reads (secret masked), updates, disables and deletes a channel', async () => {
      const created = await call<ChannelObject>('POST', '/v1/channels', { type: 'test', name: 'Counter', options: { payment_password: 'secret-pw', merchant_name: 'Mug shop' }, fee: { percent_bp: 100, fixed: 0 }, enabled: false });
      expect(created.status, created.text).toBe(200);
      expect(created.body).toMatchObject({ object: 'channel', type: 'test', name: 'Counter', livemode: false, enabled: false, fee: { percent_bp: 100, fixed: 0 }, codes: ['test'] });
      expect(created.text).not.toContain('secret-pw');
      const id = created.body.id;

      const read = await call<ChannelObject>('GET', `/v1/channels/${id}`);
      expect(read.body.options.merchant_name).toBe('Mug shop');
      expect(read.text).not.toContain('secret-pw');

      const patched = await call<ChannelObject>('PATCH', `/v1/channels/${id}`, { name: 'Counter 2', enabled: true });
      expect(patched.body).toMatchObject({ name: 'Counter 2', enabled: true });
      const posted = await call<ChannelObject>('POST', `/v1/channels/${id}`, 'enabled=false&fee[percent_bp]=50&options[auto_confirm]=true', { form: true });
      expect(posted.status, posted.text).toBe(200);
      expect(posted.body).toMatchObject({ enabled: false, fee: { percent_bp: 50 }, options: { auto_confirm: true } });

      const list = await call<ListObject<ChannelObject>>('GET', '/v1/channels');
      expect(list.body.data.map((c) => c.id)).toEqual([s.testChannel.id, id]);

      const deleted = await call('DELETE', `/v1/channels/${id}`);
      expect(deleted.body).toEqual({ id, object: 'channel', deleted: true });
      expect((await call('GET', `/v1/channels/${id}`)).status).toBe(404);
    });

    it('validates channel requests and names the parameter', async () => {
      const unknown = await call('POST', '/v1/channels', { type: 'paypal' });
      expect(unknown.body.error).toMatchObject({ code: 'channel_type_unknown', param: 'type' });
      const badFee = await call('POST', '/v1/channels', { type: 'test', fee: { percent_bp: 20_000 } });
      expect(badFee.body.error).toMatchObject({ code: 'parameter_invalid', param: 'fee[percent_bp]' });
      const shortPassword = await call('POST', '/v1/channels', { type: 'test', options: { payment_password: '1' } });
      expect(shortPassword.status).toBe(400);
      expect(shortPassword.body.error?.param).toContain('payment_password');
      const live = await call('POST', '/v1/channels', { type: 'test', livemode: true });
      expect(live.body.error?.code).toBe('livemode_mismatch');
      const busy = (await call<ChargeObject>('POST', '/v1/charges', chargeBody())).body;
      const refused = await call('DELETE', `/v1/channels/${s.testChannel.id}`);
      expect(refused.status).toBe(409);
      expect(refused.body.error?.code).toBe('channel_has_pending_charges');
      await call('POST', `/v1/charges/${busy.id}/reverse`);
    });

    it('lists payment records under the channel they were made for, including pay-on-behalf', async () => {
      const payer = (await call<ChannelObject>('POST', '/v1/channels', { type: 'test', name: 'Payer A', options: { payment_password: '111111' } })).body;
      const shown = (await call<ChannelObject>('POST', '/v1/channels', { type: 'test', name: 'Account B', delegate: payer.id, options: { payment_password: '222222' } })).body;
      expect(shown.delegate).toBe(payer.id);

      const paid: string[] = [];
      for (let i = 0; i < 3; i++) {
        const charge = (await call<ChargeObject>('POST', '/v1/charges', chargeBody({
          channel_id: shown.id, amount: 100 + i,
          metadata: { orderNumber: `P2016070400000${i}`, detailUrl: `https://shop.example.com/orders/${i}`, isTest: i === 0 ? false : true },
        }))).body;
        expect(charge.channel_id).toBe(shown.id);
        await call('POST', `/v1/charges/${charge.id}/simulate`, { outcome: 'paid' });
        paid.push(charge.id);
      }
      await call('POST', '/v1/charges', chargeBody({ channel_id: shown.id })); // pending: not a record

      const page1 = await call<ListObject<PaymentRecord>>('GET', `/v1/channels/${shown.id}/records?limit=2`);
      expect(page1.status, page1.text).toBe(200);
      expect(page1.body.has_more).toBe(true);
      const page2 = await call<ListObject<PaymentRecord>>('GET', `/v1/channels/${shown.id}/records?limit=2&starting_after=${page1.body.data[1]!.id}`);
      expect(page2.body.has_more).toBe(false);
      const records = [...page1.body.data, ...page2.body.data];
      expect(records.map((r) => r.id).sort()).toEqual([...paid].sort());
      const third = records.find((r) => r.id === paid[2]);
      expect(third).toMatchObject({
        object: 'payment_record', charge: paid[2], channel_id: shown.id, paid_through: payer.id, delegated: true,
        order_number: 'P20160704000002', detail_url: 'https://shop.example.com/orders/2', is_test: true, amount: 102,
      });
      expect(records.find((r) => r.id === paid[0])!.is_test).toBe(false);

      const payerRecords = await call<ListObject<PaymentRecord>>('GET', `/v1/channels/${payer.id}/records`);
      expect(payerRecords.body.data).toEqual([]);
      expect((await call('GET', `/v1/channels/${shown.id}/records`, undefined, { key: s.keys.live_secret_key })).status).toBe(404);
    });
  });
}
