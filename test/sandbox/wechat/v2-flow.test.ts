import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wechatChannel } from '../../../src/channels/wechat/wechat-channel.js';
import { jsapiPaySignV2, verifyV2 } from '../../../src/channels/wechat/sign-v2.js';
import { parseWechatXml } from '../../../src/channels/wechat/xml.js';
import { startHarness, type Harness } from './harness.js';

for (const signType of ['MD5', 'HMAC-SHA256'] as const) {
  describe(`channel v2 (${signType}) against the standalone sandbox`, () => {
    let h: Harness;
    beforeAll(async () => { h = await startHarness({ version: 'v2', signType }); });
    afterAll(async () => { await h.close(); });

    it('wx_pub: the credential is the six JSAPI fields, the bridge pays, the signed notify verifies', async () => {
      const ctx = h.ctx();
      const charge = h.charge({ channel: 'wx_pub', extra: { open_id: await h.openid('alice') } });
      const created = await wechatChannel.createPayment(ctx, charge);
      expect(created.ok).toBe(true);
      if (!created.ok) return;
      const credential = created.credential as Record<string, string>;
      expect(Object.keys(credential).sort()).toEqual(['appId', 'nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
      expect(credential.package).toMatch(/^prepay_id=wx\d{14}/);
      expect(credential.signType).toBe(signType);
      expect(credential.paySign).toBe(jsapiPaySignV2({ appId: credential.appId, timeStamp: credential.timeStamp, nonceStr: credential.nonceStr, package: credential.package, signType }, h.options.api_key));
      expect(created.extension).toMatchObject({ tradeType: 'JSAPI', sellerId: h.options.mch_id, wechatAppId: h.options.appid });

      const before = h.receiver.received.length;
      const paid = await (await fetch(`${h.sandbox.url}/jsapi/pay`, { method: 'POST', body: JSON.stringify({ params: credential, action: 'pay' }) })).json();
      expect(paid).toEqual({ err_msg: 'get_brand_wcpay_request:ok' });
      const [notify] = (await h.receiver.waitFor(before + 1)).slice(before);
      const fields = parseWechatXml(notify.body);
      expect(fields.ok && verifyV2(fields.fields, h.options.api_key, [signType])).toBe(true);

      const parsed = await wechatChannel.parseNotify!(ctx, h.inbound(notify));
      expect(parsed).toMatchObject({ verified: true, charge_id: charge.id, event: { kind: 'paid' }, amount: 100, facts: { tradeType: 'JSAPI', sellerId: h.options.mch_id, buyerId: charge.extra.open_id, wechatAppId: h.options.appid } });
      const state = await wechatChannel.query!(ctx, charge);
      expect(state).toMatchObject({ ok: true, status: 'paid', amount: 100 });
    });

    it('wx_lite (mini-program) gets the same six-field JSAPI credential and pays the same way', async () => {
      const ctx = h.ctx();
      const charge = h.charge({ channel: 'wx_lite', extra: { open_id: await h.openid('lite-user') } });
      const created = await wechatChannel.createPayment(ctx, charge);
      if (!created.ok) throw new Error(created.message);
      expect(Object.keys(created.credential).sort()).toEqual(['appId', 'nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
      expect(created.extension).toMatchObject({ tradeType: 'JSAPI' });
      expect(await (await fetch(`${h.sandbox.url}/jsapi/pay`, { method: 'POST', body: JSON.stringify({ params: created.credential }) })).json()).toEqual({ err_msg: 'get_brand_wcpay_request:ok' });
      expect(await wechatChannel.query!(ctx, charge)).toMatchObject({ ok: true, status: 'paid' });
    });

    it('a tampered paySign does not open the pay sheet', async () => {
      const ctx = h.ctx();
      const charge = h.charge({ channel: 'wx_pub', extra: { open_id: await h.openid('bob') } });
      const created = await wechatChannel.createPayment(ctx, charge);
      if (!created.ok) throw new Error(created.message);
      const forged = { ...created.credential, paySign: 'A'.repeat(signType === 'MD5' ? 32 : 64) };
      const answer = await (await fetch(`${h.sandbox.url}/jsapi/pay`, { method: 'POST', body: JSON.stringify({ params: forged }) })).json();
      expect(answer).toMatchObject({ err_msg: 'get_brand_wcpay_request:fail' });
      expect(await wechatChannel.query!(ctx, charge)).toMatchObject({ ok: true, status: 'pending' });
    });

    it('wx_pub_qr: opening code_url pays; close then refuses; refund settles and notifies with req_info', async () => {
      const ctx = h.ctx();
      const charge = h.charge({ channel: 'wx_pub_qr', amount: 250, extra: { product_id: 'sku42' } });
      const created = await wechatChannel.createPayment(ctx, charge);
      if (!created.ok) throw new Error(created.message);
      const codeUrl = (created.credential as { code_url: string }).code_url;
      expect(codeUrl).toContain('/bizpayurl?pr=');
      const before = h.receiver.received.length;
      const page = await fetch(codeUrl);
      expect(await page.text()).toContain('支付成功');
      await h.receiver.waitFor(before + 1);
      expect(await wechatChannel.close!(ctx, charge)).toMatchObject({ ok: false, code: 'ORDERPAID' });

      const refund = h.refund(charge, 100);
      expect(await wechatChannel.refund!(ctx, charge, refund)).toMatchObject({ ok: true, status: 'pending' });
      const [refundNotify] = (await h.receiver.waitFor(before + 2)).slice(before + 1);
      const parsed = await wechatChannel.parseNotify!(ctx, h.inbound(refundNotify));
      expect(parsed).toMatchObject({ verified: true, charge_id: charge.id, amount: 250, event: { kind: 'refund', refund_reference: refund.id, amount: 100, status: 'succeeded' } });
      expect(await wechatChannel.queryRefund!(ctx, charge, refund)).toMatchObject({ ok: true, status: 'succeeded' });
      const again = h.refund(charge, 151, 2);
      expect(await wechatChannel.refund!(ctx, charge, again)).toMatchObject({ ok: false, code: 'INVALID_REQUEST' });
    });

    it('wx_wap: the H5 URL pays on GET and sends the buyer to redirect_url', async () => {
      const ctx = h.ctx();
      const charge = h.charge({ channel: 'wx_wap', return_url: 'https://shop.example/done' });
      const created = await wechatChannel.createPayment(ctx, charge);
      if (!created.ok) throw new Error(created.message);
      const url = (created.credential as { url: string }).url;
      expect(url).toContain('redirect_url=https%3A%2F%2Fshop.example%2Fdone');
      const answer = await fetch(url, { redirect: 'manual' });
      expect(answer.status).toBe(302);
      expect(answer.headers.get('location')).toBe('https://shop.example/done');
      expect(await wechatChannel.query!(ctx, charge)).toMatchObject({ ok: true, status: 'paid' });
    });

    it('close of an unpaid order works and the order can no longer be paid', async () => {
      const ctx = h.ctx();
      const charge = h.charge({ channel: 'wx_pub_qr' });
      const created = await wechatChannel.createPayment(ctx, charge);
      if (!created.ok) throw new Error(created.message);
      expect(await wechatChannel.close!(ctx, charge)).toEqual({ ok: true });
      expect(await wechatChannel.query!(ctx, charge)).toMatchObject({ ok: true, status: 'closed' });
      expect(await (await fetch((created.credential as { code_url: string }).code_url)).text()).toContain('订单已关闭');
      expect(await wechatChannel.close!(ctx, charge)).toEqual({ ok: true });
    });
  });
}

describe('the v2 sandbox is as strict as WeChat', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness({ version: 'v2' }); });
  afterAll(async () => { await h.close(); });

  it('a wrong API key is a signature error', async () => {
    const result = await wechatChannel.createPayment(h.ctx({ ...h.options, api_key: 'x'.repeat(32) }), h.charge({ channel: 'wx_pub_qr' }));
    expect(result).toMatchObject({ ok: false, code: 'SIGNERROR' });
    expect((await wechatChannel.testConnection!(h.ctx({ ...h.options, api_key: 'x'.repeat(32) }))).ok).toBe(false);
    expect(await wechatChannel.testConnection!(h.ctx())).toMatchObject({ ok: true });
  });

  it('an openid that is not the official account\'s is refused, as is a JSAPI order without one', async () => {
    const stranger = await wechatChannel.createPayment(h.ctx(), h.charge({ channel: 'wx_pub', extra: { open_id: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' } }));
    expect(stranger).toMatchObject({ ok: false, code: 'PARAM_ERROR', message: 'appid和openid不匹配' });
  });

  it('the same out_trade_no with other parameters is OUT_TRADE_NO_USED; the same parameters get the same prepay_id', async () => {
    const charge = h.charge({ channel: 'wx_pub', extra: { open_id: await h.openid('carol') } });
    const first = await wechatChannel.createPayment(h.ctx(), charge);
    const second = await wechatChannel.createPayment(h.ctx(), charge);
    if (!first.ok || !second.ok) throw new Error('expected both to succeed');
    expect(second.credential.package).toBe(first.credential.package);
    expect(await wechatChannel.createPayment(h.ctx(), { ...charge, amount: 101 })).toMatchObject({ ok: false, code: 'OUT_TRADE_NO_USED' });
  });

  it('an expiry under one minute away is refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    expect(await wechatChannel.createPayment(h.ctx(), h.charge({ channel: 'wx_pub_qr', time_expire: now + 30 }))).toMatchObject({ ok: false, code: 'PARAM_ERROR' });
  });

  it('a query for an unknown order is not_found, and bad XML is a FAIL', async () => {
    expect(await wechatChannel.query!(h.ctx(), h.charge())).toEqual({ ok: true, status: 'not_found' });
    const answer = await (await fetch(`${h.sandbox.url}/pay/unifiedorder`, { method: 'POST', body: '<!DOCTYPE x [<!ENTITY a "b">]><xml><a>&a;</a></xml>' })).text();
    expect(answer).toContain('<return_code><![CDATA[FAIL]]></return_code>');
    const get = await (await fetch(`${h.sandbox.url}/pay/unifiedorder`)).text();
    expect(get).toContain('FAIL');
  });
});
