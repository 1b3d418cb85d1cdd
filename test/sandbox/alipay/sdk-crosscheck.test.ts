/**
 * The official alipay-sdk (v4) as an independent implementation, against the sandbox: its
 * exec() with validateSign verifies our signed responses byte for byte, its checkNotifySign
 * accepts our notifies and returns, and the sandbox accepts its signed requests (including the
 * `alipay_sdk` parameter it adds to page flows).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { AlipaySdk } from 'alipay-sdk';
import { merchantEndpoint, tempSandbox, type MerchantEndpoint } from './support.js';

let sandbox: Awaited<ReturnType<typeof tempSandbox>>;
let merchant: MerchantEndpoint;
let sdk: AlipaySdk;

beforeAll(async () => {
  sandbox = await tempSandbox();
  merchant = await merchantEndpoint();
  sdk = new AlipaySdk({
    appId: sandbox.keys.config.app_id,
    privateKey: sandbox.keys.appPrivateKeyPem,
    keyType: 'PKCS8',
    alipayPublicKey: sandbox.keys.keys.alipayPublicKeyPem,
    gateway: sandbox.gateway,
    timeout: 10_000,
  });
});

afterAll(async () => {
  await sandbox?.dispose();
  await merchant?.close();
});

let orderSeq = 0;
const orderNo = () => `sdk_${Date.now()}_${orderSeq++}`;

describe('alipay-sdk exec() against the sandbox, responses verified', () => {
  it('precreate, scan, query, refund (partial, repeated, too much), refund query, with signed notifies', async () => {
    const outTradeNo = orderNo();
    const created = await sdk.exec('alipay.trade.precreate', {
      notifyUrl: `${merchant.url}/notify`,
      bizContent: { outTradeNo, totalAmount: '1.00', subject: 'SDK 测试' },
    }, { validateSign: true });
    expect(created.code).toBe('10000');
    expect(created.qrCode).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/qr\/bax0/);

    const before = await sdk.exec('alipay.trade.query', { bizContent: { outTradeNo } }, { validateSign: true });
    expect(before).toMatchObject({ code: '10000', tradeStatus: 'WAIT_BUYER_PAY', totalAmount: '1.00' });

    const scan = await fetch(created.qrCode as string);
    expect(scan.status).toBe(200);
    const [paidNotify] = await merchant.waitFor(1);
    expect(paidNotify!.params).toMatchObject({ out_trade_no: outTradeNo, trade_status: 'TRADE_SUCCESS', total_amount: '1.00', app_id: sandbox.keys.config.app_id, sign_type: 'RSA2' });
    expect(Object.values(paidNotify!.params).every((v) => v !== '')).toBe(true);
    expect(sdk.checkNotifySign(paidNotify!.params)).toBe(true);
    expect(sdk.checkNotifySignV2(paidNotify!.params)).toBe(true);
    expect(sdk.checkNotifySign({ ...paidNotify!.params, total_amount: '100.00' })).toBe(false);

    const after = await sdk.exec('alipay.trade.query', { bizContent: { outTradeNo } }, { validateSign: true });
    expect(after).toMatchObject({ code: '10000', tradeStatus: 'TRADE_SUCCESS', tradeNo: paidNotify!.params.trade_no });

    const refund = await sdk.exec('alipay.trade.refund', { bizContent: { outTradeNo, refundAmount: '0.30', outRequestNo: 'r1' } }, { validateSign: true });
    expect(refund).toMatchObject({ code: '10000', fundChange: 'Y', refundFee: '0.30' });
    const again = await sdk.exec('alipay.trade.refund', { bizContent: { outTradeNo, refundAmount: '0.30', outRequestNo: 'r1' } }, { validateSign: true });
    expect(again).toMatchObject({ code: '10000', fundChange: 'N', refundFee: '0.30' });
    const tooMuch = await sdk.exec('alipay.trade.refund', { bizContent: { outTradeNo, refundAmount: '0.71', outRequestNo: 'r2' } }, { validateSign: true });
    expect(tooMuch).toMatchObject({ code: '40004', subCode: 'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL' });

    const refundNotifies = await merchant.waitFor(2);
    const refundNotify = refundNotifies[1]!.params;
    expect(refundNotify).toMatchObject({ out_biz_no: 'r1', refund_fee: '0.30', trade_status: 'TRADE_SUCCESS' });
    expect(sdk.checkNotifySign(refundNotify)).toBe(true);

    const query = await sdk.exec('alipay.trade.fastpay.refund.query', { bizContent: { outTradeNo, outRequestNo: 'r1' } }, { validateSign: true });
    expect(query).toMatchObject({ code: '10000', refundStatus: 'REFUND_SUCCESS', refundAmount: '0.30', totalAmount: '1.00' });
    const none = await sdk.exec('alipay.trade.fastpay.refund.query', { bizContent: { outTradeNo, outRequestNo: 'nope' } }, { validateSign: true });
    expect(none.code).toBe('10000');
    expect(none.refundStatus).toBeUndefined();
  });

  it('close an unpaid trade, then refuse to close a paid one', async () => {
    const open = orderNo();
    await sdk.exec('alipay.trade.precreate', { bizContent: { outTradeNo: open, totalAmount: '0.01', subject: 'close me' } }, { validateSign: true });
    const closed = await sdk.exec('alipay.trade.close', { bizContent: { outTradeNo: open } }, { validateSign: true });
    expect(closed.code).toBe('10000');
    expect((await sdk.exec('alipay.trade.query', { bizContent: { outTradeNo: open } }, { validateSign: true })).tradeStatus).toBe('TRADE_CLOSED');
    const missing = await sdk.exec('alipay.trade.query', { bizContent: { outTradeNo: orderNo() } }, { validateSign: true });
    expect(missing).toMatchObject({ code: '40004', subCode: 'ACQ.TRADE_NOT_EXIST' });
  });

  it('pageExec GET URLs (with alipay_sdk added and signed) pay on a plain GET and return signed params', async () => {
    const outTradeNo = orderNo();
    const url = sdk.pageExec('alipay.trade.page.pay', 'GET', {
      bizContent: { outTradeNo, totalAmount: '0.10', subject: 'page', productCode: 'FAST_INSTANT_TRADE_PAY' },
      returnUrl: `${merchant.url}/return`,
      notifyUrl: `${merchant.url}/notify`,
    });
    expect(url).toContain('alipay_sdk=');
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const back = new URL(response.headers.get('location')!);
    expect(back.pathname).toBe('/return');
    const returned = Object.fromEntries(back.searchParams);
    expect(returned).toMatchObject({ out_trade_no: outTradeNo, method: 'alipay.trade.page.pay.return', total_amount: '0.10' });
    expect(sdk.checkNotifySign(returned)).toBe(true);
  });
});

describe('the sandbox refuses what Alipay refuses', () => {
  it('a request signed with another key: 40002 isv.invalid-signature, still a signed answer', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'pem', type: 'pkcs8' });
    const forger = new AlipaySdk({ appId: sandbox.keys.config.app_id, privateKey: String(other), keyType: 'PKCS8', alipayPublicKey: sandbox.keys.keys.alipayPublicKeyPem, gateway: sandbox.gateway });
    const result = await forger.exec('alipay.trade.query', { bizContent: { outTradeNo: 'x' } }, { validateSign: true });
    expect(result).toMatchObject({ code: '40002', subCode: 'isv.invalid-signature' });
  });

  it('an unknown app id: 40002 isv.invalid-app-id', async () => {
    const stranger = new AlipaySdk({ appId: '2021000000000000', privateKey: sandbox.keys.appPrivateKeyPem, keyType: 'PKCS8', alipayPublicKey: sandbox.keys.keys.alipayPublicKeyPem, gateway: sandbox.gateway });
    const result = await stranger.exec('alipay.trade.query', { bizContent: { outTradeNo: 'x' } }, { validateSign: true });
    expect(result).toMatchObject({ code: '40002', subCode: 'isv.invalid-app-id' });
  });

  it('an unknown method: 40002 isv.invalid-method', async () => {
    const result = await sdk.exec('alipay.trade.teleport', { bizContent: { outTradeNo: 'x' } }, { validateSign: true });
    expect(result).toMatchObject({ code: '40002', subCode: 'isv.invalid-method' });
  });

  it('responses signed by a key the SDK does not trust fail its validateSign', async () => {
    const strangerKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'pem', type: 'spki' });
    const suspicious = new AlipaySdk({ appId: sandbox.keys.config.app_id, privateKey: sandbox.keys.appPrivateKeyPem, keyType: 'PKCS8', alipayPublicKey: String(strangerKey), gateway: sandbox.gateway });
    await expect(suspicious.exec('alipay.trade.query', { bizContent: { outTradeNo: 'x' } }, { validateSign: true })).rejects.toThrow(/验签失败/);
  });
});
