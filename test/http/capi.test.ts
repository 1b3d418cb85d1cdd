/**
 * Seed 000's routes with seed 000's field names: `POST /capi/api/v1/charge` and
 * `POST /capi/api/v1/charge/:id/fetch_pay_url`, for the test channel; and the channel table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startTestServer, type TestServer } from '../support/server.js';
import type { ChargeObject } from '../../src/engine/api-types.js';
import { capiChannelCode } from '../../src/http/routes/capi-channel-map.js';
import { client } from './helpers.js';

describe('the seed-000 channel table', () => {
  it('maps channel and source to channel codes, and names what is wrong', () => {
    expect(capiChannelCode('TEST', undefined)).toBe('test');
    expect(capiChannelCode('alipay', 'pc')).toBe('alipay_pc_direct');
    expect(capiChannelCode('ALIPAY', 'mobile')).toBe('alipay_wap');
    expect(capiChannelCode('ALIPAY', undefined)).toBe('alipay_pc_direct');
    expect(capiChannelCode('WECHAT', 'weixin')).toBe('wx_pub');
    expect(capiChannelCode('WECHAT', 'pc')).toBe('wx_pub_qr');
    expect(capiChannelCode('WECHAT', 'mobile')).toBe('wx_wap');
    expect(() => capiChannelCode('PAYPAL', 'pc')).toThrow(expect.objectContaining({ code: 'channel_code_unknown', param: 'channel' }));
    expect(() => capiChannelCode('ALIPAY', 'weixin')).toThrow(expect.objectContaining({ code: 'parameter_invalid', param: 'source' }));
  });
});

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`seed 000 routes (${dialect.name})`, () => {
    let s: TestServer;
    let call: ReturnType<typeof client>;
    beforeAll(async () => {
      s = await startTestServer({ dialect });
      call = client(s);
    });
    afterAll(() => s?.close());

    it('creates a charge from seed 000 fields and fetches its pay URL, which pays it', async () => {
      const created = await call<Record<string, unknown>>('POST', '/capi/api/v1/charge', {
        subject: '商品主题', body: '商品描述', amount: 100, channel: 'TEST', source: 'pc', papp: s.app.id,
        client_ip: '127.0.0.1', trade_no: '43', livemode: false,
        return_url: 'https://shop.example.com/return_url', notify_url: 'https://shop.example.com/notify_url',
      });
      expect(created.status, created.text).toBe(200);
      expect(created.body).toMatchObject({
        subject: '商品主题', body: '商品描述', amount: 100, trade_no: '43', channel: 'TEST', papp: s.app.id, livemode: false,
        paid: false, paid_time: null, status: 'pending', notify_url: 'https://shop.example.com/notify_url',
        data: { trade_no: null, buyer_email: '', seller_id: '' },
      });
      const id = created.body.id as string;
      const fetched = await call<{ pay_url: string }>('POST', `/capi/api/v1/charge/${id}/fetch_pay_url`, { channel: 'TEST' });
      expect(fetched.status).toBe(200);
      expect(fetched.body).toEqual({ pay_url: `${s.url}/pay/test/${id}` });

      const page = await fetch(fetched.body.pay_url);
      expect(await page.text()).toContain('支付成功');
      const charge = await call<ChargeObject>('GET', `/v1/charges/${id}`);
      expect(charge.body).toMatchObject({ status: 'succeeded', order_no: '43', return_url: 'https://shop.example.com/return_url' });
      const again = await call('POST', `/capi/api/v1/charge/${id}/fetch_pay_url`, { channel: 'TEST' });
      expect(again.body.error?.code).toBe('charge_state_invalid');
    });

    it('accepts a form body, defaults client_ip and trade_no, and checks papp and livemode', async () => {
      const form = await call<Record<string, unknown>>('POST', '/capi/api/v1/charge', `subject=Mug&amount=250&channel=TEST&papp=${s.app.id}&livemode=false`, { form: true });
      expect(form.status, form.text).toBe(200);
      expect(form.body).toMatchObject({ amount: 250, body: 'Mug', client_ip: '127.0.0.1' });
      expect(form.body.trade_no).toMatch(/^capi_/);

      const otherApp = await call('POST', '/capi/api/v1/charge', { subject: 'x', amount: 1, channel: 'TEST', papp: 'app_other' });
      expect(otherApp.status).toBe(404);
      expect(otherApp.body.error?.param).toBe('papp');
      const live = await call('POST', '/capi/api/v1/charge', { subject: 'x', amount: 1, channel: 'TEST', livemode: true });
      expect(live.body.error).toMatchObject({ code: 'livemode_mismatch', param: 'livemode' });
      const unknown = await call('POST', '/capi/api/v1/charge', { subject: 'x', amount: 1, channel: 'BITCOIN' });
      expect(unknown.body.error).toMatchObject({ code: 'channel_code_unknown', param: 'channel' });
      const noChannel = await call('POST', '/capi/api/v1/charge', { subject: 'x', amount: 1 });
      expect(noChannel.body.error).toMatchObject({ code: 'parameter_missing', param: 'channel' });
      const badAmount = await call('POST', '/capi/api/v1/charge', 'subject=x&amount=1.00&channel=TEST', { form: true });
      expect(badAmount.body.error).toMatchObject({ code: 'parameter_invalid', param: 'amount' });
    });

    it('refuses to switch a charge to another channel at fetch_pay_url', async () => {
      const created = await call<{ id: string }>('POST', '/capi/api/v1/charge', { subject: 'x', amount: 1, channel: 'TEST' });
      const other = await call('POST', `/capi/api/v1/charge/${created.body.id}/fetch_pay_url`, { channel: 'ALIPAY' });
      expect(other.status).toBe(400);
      expect(other.body.error?.param).toBe('channel');
      expect((await call('POST', `/capi/api/v1/charge/${created.body.id}/fetch_pay_url`, {})).status).toBe(200);
      expect((await call('POST', '/capi/api/v1/charge/ch_nothing/fetch_pay_url', {})).status).toBe(404);
    });
  });
}
