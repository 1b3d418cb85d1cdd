/**
 * End to end through paygate's HTTP API and its embedded WeChat Pay sandbox, on SQLite and
 * PostgreSQL, with API v2 (MD5 and HMAC-SHA256) and v3: NATIVE scan, H5, JSAPI through the
 * sandbox bridge, refunds (partial and full), close, and the answers paygate gives the notifies.
 */
process.env.PAYGATE_SANDBOX_RETRY_SCHEDULE = '300ms,300ms,1s';
process.env.PAYGATE_SANDBOX_REFUND_DELAY_MS = '30';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { open, wechatRig, type WechatRig } from './wechat-support.js';

const VARIANTS = [
  { version: 'v2', signType: 'MD5' },
  { version: 'v2', signType: 'HMAC-SHA256' },
  { version: 'v3', signType: 'MD5' },
] as const;

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 8000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() - started > timeoutMs) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

for (const dialect of DIALECTS) {
  for (const variant of VARIANTS) {
    const name = `${variant.version}${variant.version === 'v2' ? ` ${variant.signType}` : ''}`;
    describe.skipIf(!dialect.available)(`WeChat Pay end to end (${dialect.name}, ${name})`, () => {
      let rig: WechatRig;
      beforeAll(async () => { rig = await wechatRig(dialect, variant.version, variant.signType); });
      afterAll(async () => { await rig?.close(); });

      it('NATIVE (wx_pub_qr): hosted QR page, the scan pays, the notify is acknowledged and the charge succeeds', async () => {
        const charge = await rig.charge('wx_pub_qr', 1234, { product_id: 'sku1' });
        const { code_url: codeUrl, url: qrUrl } = charge.credential.wx_pub_qr!;
        expect(codeUrl.startsWith(`${rig.sandboxUrl}/bizpayurl?pr=`)).toBe(true);
        expect(qrUrl).toBe(`${rig.server.url}/pay/wechat/qr/${charge.id}`);
        const page = await open(qrUrl);
        expect(page.status).toBe(200);
        expect(page.text).toContain('<svg');
        expect(page.text).toContain('simulate-scan');
        const scan = await open(codeUrl);
        expect(scan.text).toContain('支付成功');
        const paid = await rig.retrieve(charge.id);
        expect(paid).toMatchObject({ status: 'succeeded', paid: true });
        expect(paid.transaction_no).toMatch(/^4200\d{24}$/);
        expect(await rig.eventTypes(charge.id)).toEqual(['charge.created', 'charge.pending', 'charge.succeeded']);
        const [delivery] = await rig.sandbox().notifier.list(`${rig.account.mch_id}:${charge.id}`);
        expect(delivery).toMatchObject({ state: 'delivered', attempts: [{ status: expect.any(Number) }] });
        // v2 is answered with SUCCESS XML (200), v3 with an empty 204.
        expect(delivery!.attempts[0]!.status).toBe(variant.version === 'v3' ? 204 : 200);
        expect((await open(qrUrl)).status).toBe(302);
      });

      it('seed 000 /capi with WECHAT from weixin makes a JSAPI charge whose pay_url is the hosted JSAPI page', async () => {
        const openid = await rig.openid('capi-buyer');
        const created = await rig.api<{ id: string; pay_url: string }>('POST', '/capi/api/v1/charge', {
          subject: '商品主题', body: '商品描述', amount: 100, channel: 'WECHAT', source: 'weixin', client_ip: '127.0.0.1', openid,
        });
        expect(created.status).toBe(200);
        expect(created.body.pay_url).toBe(`${rig.server.url}/pay/wechat/jsapi/${created.body.id}`);
        const fetched = await rig.api<{ pay_url: string }>('POST', `/capi/api/v1/charge/${created.body.id}/fetch_pay_url`, { channel: 'WECHAT' });
        expect(fetched.body.pay_url).toBe(created.body.pay_url);
        const charge = await rig.retrieve(created.body.id);
        expect(Object.keys(charge.credential.wx_pub!).sort()).toEqual(['appId', 'nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
        const page = await open(created.body.pay_url);
        expect(page.status).toBe(200);
        expect(page.text).toContain('getBrandWCPayRequest');
      });

      it('H5 (wx_wap): the URL pays and sends the buyer to the result page', async () => {
        const charge = await rig.charge('wx_wap', 88);
        const url = charge.credential.wx_wap!.url;
        expect(url).toContain(`redirect_url=${encodeURIComponent(`${rig.server.url}/pay/result/${charge.id}`)}`);
        const atWechat = await open(url);
        expect(atWechat.status).toBe(302);
        expect(atWechat.location).toBe(`${rig.server.url}/pay/result/${charge.id}`);
        expect((await rig.retrieve(charge.id)).status).toBe('succeeded');
      });

      it('JSAPI (wx_pub): the six fields, the bridge verifies paySign and pays; a second notify changes nothing', async () => {
        const openId = await rig.openid('buyer1');
        const charge = await rig.charge('wx_pub', 500, { open_id: openId });
        const credential = charge.credential.wx_pub!;
        expect(Object.keys(credential).sort()).toEqual(['appId', 'nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
        expect(credential.signType).toBe(variant.version === 'v3' ? 'RSA' : variant.signType);
        const answer = await (await fetch(`${rig.sandboxUrl}/jsapi/pay`, { method: 'POST', body: JSON.stringify({ params: credential }) })).json();
        expect(answer).toEqual({ err_msg: 'get_brand_wcpay_request:ok' });
        expect((await rig.retrieve(charge.id)).status).toBe('succeeded');
        const events = await rig.eventTypes(charge.id);
        const [delivery] = await rig.sandbox().notifier.list(`${rig.account.mch_id}:${charge.id}`);
        const replay = await fetch(`${rig.server.url}/notify/${rig.channelId}`, { method: 'POST', headers: { 'content-type': variant.version === 'v3' ? 'application/json' : 'text/xml', ...(variant.version === 'v3' ? await rig.sandbox().signV3(delivery!.body) : {}) }, body: delivery!.body });
        expect(replay.status).toBe(variant.version === 'v3' ? 204 : 200);
        expect(await rig.eventTypes(charge.id)).toEqual(events);
      });

      it('refunds: partial, then the rest; a third is refused; each settles by the refund notify', async () => {
        const charge = await rig.charge('wx_pub_qr', 1000);
        await open(charge.credential.wx_pub_qr!.code_url);
        const first = await rig.api<{ id: string; status: string }>('POST', `/v1/charges/${charge.id}/refunds`, { amount: 300, description: '部分退款' });
        expect(first.status).toBe(200);
        const settled = await until(() => rig.api<{ status: string }>('GET', `/v1/charges/${charge.id}/refunds/${first.body.id}`), (r) => r.body.status === 'succeeded');
        expect(settled.body.status).toBe('succeeded');
        const rest = await rig.api<{ id: string; amount: number }>('POST', `/v1/charges/${charge.id}/refunds`, {});
        expect(rest.body.amount).toBe(700);
        await until(() => rig.api<{ status: string }>('GET', `/v1/charges/${charge.id}/refunds/${rest.body.id}`), (r) => r.body.status === 'succeeded');
        const after = await until(() => rig.retrieve(charge.id), (c) => c.amount_refunded === 1000);
        expect(after).toMatchObject({ amount_refunded: 1000, refunded: true });
        expect((await rig.api('POST', `/v1/charges/${charge.id}/refunds`, { amount: 1 })).status).toBe(409);
        const trade = await rig.sandbox().trades.get(rig.account.mch_id, charge.id);
        expect(trade?.refunds.map((r) => [r.amount, r.status])).toEqual([[300, 'SUCCESS'], [700, 'SUCCESS']]);
        expect(await rig.eventTypes(charge.id)).toEqual(expect.arrayContaining(['refund.succeeded']));
      });

      it('close (reverse): closed at WeChat and at paygate; the code no longer pays', async () => {
        const charge = await rig.charge('wx_pub_qr', 10);
        const closed = await rig.api<{ status: string }>('POST', `/v1/charges/${charge.id}/reverse`, {});
        expect(closed.body.status).toBe('closed');
        expect((await rig.sandbox().trades.get(rig.account.mch_id, charge.id))?.state).toBe('CLOSED');
        expect((await open(charge.credential.wx_pub_qr!.code_url)).text).toContain('订单已关闭');
        expect((await rig.retrieve(charge.id)).status).toBe('closed');
      });
    });
  }
}
