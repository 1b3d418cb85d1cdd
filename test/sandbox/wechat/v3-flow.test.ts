import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wechatChannel } from '../../../src/channels/wechat/wechat-channel.js';
import { verifyJsapiPaySignV3, signV3Request } from '../../../src/channels/wechat/sign-v3.js';
import { clearPlatformCertificateCache } from '../../../src/channels/wechat/platform-certs.js';
import { acknowledgeWechatNotify } from '../../../src/channels/wechat/acknowledge.js';
import type { ChannelContext, ChargeView } from '../../../src/channels/contract.js';
import { startHarness, type Harness, type Received } from './harness.js';

/** Creates an H5 charge, pays it on its page, and returns the notify the sandbox sent for it. */
async function payOnH5(h: Harness, ctx: ChannelContext): Promise<{ charge: ChargeView; notify: Received }> {
  const charge = h.charge({ channel: 'wx_wap' });
  const created = await wechatChannel.createPayment(ctx, charge);
  if (!created.ok) throw new Error(created.message);
  const before = h.receiver.received.length;
  await fetch((created.credential as { url: string }).url, { redirect: 'manual' });
  const [notify] = (await h.receiver.waitFor(before + 1)).slice(before);
  return { charge, notify };
}

describe('channel v3 against the standalone sandbox', () => {
  let h: Harness;
  beforeAll(async () => { h = await startHarness({ version: 'v3' }); });
  afterAll(async () => { await h.close(); });

  it('wx_pub: RSA paySign, the bridge pays, the encrypted and signed notify verifies (certificates downloaded)', async () => {
    clearPlatformCertificateCache();
    const ctx = h.ctx();
    const openId = await h.openid('dave');
    const charge = h.charge({ channel: 'wx_pub', extra: { open_id: openId } });
    const created = await wechatChannel.createPayment(ctx, charge);
    if (!created.ok) throw new Error(created.message);
    const c = created.credential as Record<string, string>;
    expect(Object.keys(c).sort()).toEqual(['appId', 'nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
    expect(c.signType).toBe('RSA');
    expect(verifyJsapiPaySignV3({ appId: c.appId, timeStamp: c.timeStamp, nonceStr: c.nonceStr, package: c.package }, c.paySign, h.sandbox.keys.merchantPublicKeyPem)).toBe(true);
    expect(h.lines.some((l) => l.message.includes('/v3/certificates'))).toBe(true);

    const before = h.receiver.received.length;
    expect(await (await fetch(`${h.sandbox.url}/jsapi/pay`, { method: 'POST', body: JSON.stringify({ params: c }) })).json()).toEqual({ err_msg: 'get_brand_wcpay_request:ok' });
    const [notify] = (await h.receiver.waitFor(before + 1)).slice(before);
    expect(notify.headers['wechatpay-serial']).toBe(h.sandbox.keys.config.platform_serial);
    const envelope = JSON.parse(notify.body) as { event_type: string; resource: { algorithm: string } };
    expect(envelope).toMatchObject({ event_type: 'TRANSACTION.SUCCESS', resource: { algorithm: 'AEAD_AES_256_GCM' } });
    const parsed = await wechatChannel.parseNotify!(ctx, h.inbound(notify));
    expect(parsed).toMatchObject({ verified: true, charge_id: charge.id, event: { kind: 'paid' }, amount: 100, facts: { buyerId: openId, sellerId: h.options.mch_id } });
    expect(acknowledgeWechatNotify(true, h.inbound(notify))).toMatchObject({ status: 204 });
    expect(await wechatChannel.query!(ctx, charge)).toMatchObject({ ok: true, status: 'paid', amount: 100 });

    const tampered = { ...h.inbound(notify), rawBody: notify.body.replace('TRANSACTION.SUCCESS', 'TRANSACTION.SUCCES5') };
    expect(await wechatChannel.parseNotify!(ctx, tampered)).toMatchObject({ verified: false });
  });

  it('NATIVE, close and the 204 answer; refund and its REFUND.SUCCESS notify', async () => {
    const ctx = h.ctx();
    const open = h.charge({ channel: 'wx_pub_qr' });
    const createdOpen = await wechatChannel.createPayment(ctx, open);
    if (!createdOpen.ok) throw new Error(createdOpen.message);
    expect(await wechatChannel.close!(ctx, open)).toEqual({ ok: true });
    expect(await wechatChannel.query!(ctx, open)).toMatchObject({ ok: true, status: 'closed' });

    const charge = h.charge({ channel: 'wx_pub_qr', amount: 300 });
    const created = await wechatChannel.createPayment(ctx, charge);
    if (!created.ok) throw new Error(created.message);
    const before = h.receiver.received.length;
    await fetch((created.credential as { code_url: string }).code_url);
    await h.receiver.waitFor(before + 1);
    const refund = h.refund(charge, 300);
    expect(await wechatChannel.refund!(ctx, charge, refund)).toMatchObject({ ok: true, status: 'pending' });
    const [refundNotify] = (await h.receiver.waitFor(before + 2)).slice(before + 1);
    expect(await wechatChannel.parseNotify!(ctx, h.inbound(refundNotify))).toMatchObject({ verified: true, amount: 300, event: { kind: 'refund', refund_reference: refund.id, amount: 300, status: 'succeeded' } });
    expect(await wechatChannel.queryRefund!(ctx, charge, refund)).toMatchObject({ ok: true, status: 'succeeded' });
    expect(await wechatChannel.query!(ctx, charge)).toMatchObject({ ok: true, status: 'paid', facts: { tradeStatus: 'REFUND' } });
  });

  it('H5 needs no openid and pays on GET', async () => {
    const ctx = h.ctx();
    const charge = h.charge({ channel: 'wx_wap' });
    const created = await wechatChannel.createPayment(ctx, charge);
    if (!created.ok) throw new Error(created.message);
    expect((await fetch((created.credential as { url: string }).url, { redirect: 'manual' })).status).toBe(302);
    expect(await wechatChannel.query!(ctx, charge)).toMatchObject({ ok: true, status: 'paid' });
  });

  it('answers 401 SIGN_ERROR to a wrong key, a wrong serial or a stale timestamp', async () => {
    const other = (await import('node:crypto')).generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(await wechatChannel.createPayment(h.ctx({ ...h.options, private_key: other }), h.charge({ channel: 'wx_pub_qr' }))).toMatchObject({ ok: false, code: 'SIGN_ERROR' });
    expect(await wechatChannel.createPayment(h.ctx({ ...h.options, serial_no: 'ABCDEF0123456789' }), h.charge({ channel: 'wx_pub_qr' }))).toMatchObject({ ok: false, code: 'SIGN_ERROR' });
    const stale = signV3Request({ method: 'GET', url: '/v3/certificates', mchid: h.options.mch_id, serialNo: h.options.serial_no, privateKey: h.options.private_key, timestamp: Math.floor(Date.now() / 1000) - 600, nonce: 'n' });
    const answer = await fetch(`${h.sandbox.url}/v3/certificates`, { headers: { authorization: stale } });
    expect(answer.status).toBe(401);
    expect(await answer.json()).toMatchObject({ code: 'SIGN_ERROR' });
  });

  it('a notify replayed after five minutes is refused', async () => {
    const ctx = h.ctx();
    const { notify } = await payOnH5(h, ctx);
    const later = { ...ctx, clock: { now: () => Date.now() + 6 * 60_000 } };
    expect(await wechatChannel.parseNotify!(later, h.inbound(notify))).toMatchObject({ verified: false, reason: expect.stringContaining('300s') });
  });
});

describe('a platform serial that starts with a zero byte', () => {
  // 40 hex digits as WeChat spells them; the certificate's INTEGER drops the leading 00.
  const serial = '00277A25A3CE21804EA1AB9304878B9CCC1F23FE';
  let h: Harness;
  beforeAll(async () => { h = await startHarness({ version: 'v3', platformSerial: serial }); });
  afterAll(async () => { await h.close(); });

  it('downloads the certificate, and its answers and notifies verify', async () => {
    clearPlatformCertificateCache();
    const ctx = h.ctx();
    const { charge, notify } = await payOnH5(h, ctx);
    expect(notify.headers['wechatpay-serial']).toBe(serial);
    expect(await wechatChannel.parseNotify!(ctx, h.inbound(notify))).toMatchObject({ verified: true, charge_id: charge.id, event: { kind: 'paid' } });
  });
});
