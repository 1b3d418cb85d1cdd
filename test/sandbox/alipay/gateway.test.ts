/**
 * The standalone sandbox driven by paygate's own Alipay channel over real HTTP: legacy direct
 * and escrow flows (MD5, XML replies, send goods, buyer confirm, notify_verify), the
 * interactive cashier, expiry, and the refusals Alipay answers with.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelContext } from '../../../src/channels/contract.js';
import { loggedChannelHttp } from '../../../src/engine/channel-http.js';
import { createAlipayPayment } from '../../../src/channels/alipay/payments.js';
import { queryCharge, shipCharge, closeCharge, refundCharge, testAlipayConnection } from '../../../src/channels/alipay/operations.js';
import { md5Verify, verifyNotify } from '../../../src/channels/alipay/sign.js';
import { generateRsaKeyPair, parsePublicKey } from '../../../src/channels/alipay/keys.js';
import { manualClock } from '../../../src/core/clock.js';
import { chargeView, testContext } from '../../channels/alipay/support.js';
import { merchantEndpoint, tempSandbox, type MerchantEndpoint } from './support.js';

let sandbox: Awaited<ReturnType<typeof tempSandbox>>;
let merchant: MerchantEndpoint;
const clock = manualClock(Date.now());

beforeAll(async () => {
  sandbox = await tempSandbox({ clock });
  merchant = await merchantEndpoint();
});
afterAll(async () => {
  await sandbox?.dispose();
  await merchant?.close();
});

function context(kind: 'legacy' | 'open'): ChannelContext {
  const config = sandbox.keys.config;
  const options = kind === 'legacy'
    ? { partner: config.partner, key: config.md5_key, seller_email: 'seller@example.com', gateway: sandbox.gateway }
    : { app_id: config.app_id, private_key: sandbox.keys.appPrivateKeyPem, gateway: sandbox.gateway };
  const http = loggedChannelHttp(10_000, { charge_id: null, app_id: 'app', channel_id: 'chn' }, []);
  const base = testContext(options, (request) => http.request(request));
  return { ...base, clock, urls: { ...base.urls, notify: `${merchant.url}/notify`, return: `${merchant.url}/return` } };
}

let seq = 0;
const newCharge = (channel: string, extra: Record<string, unknown> = {}) =>
  chargeView({ id: `ch_gw${Date.now()}${seq++}`, channel, amount: 2500, extra, time_expire: Math.floor(clock.now() / 1000) + 3600 });

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await fetch(url, { redirect: 'manual', headers });
  return { status: response.status, location: response.headers.get('location'), text: await response.text() };
}

async function payUrl(ctx: ChannelContext, charge: ReturnType<typeof newCharge>): Promise<string> {
  const created = await createAlipayPayment(ctx, charge);
  if (!created.ok) throw new Error(created.message);
  return (created.credential.qr_code ?? created.credential.url) as string;
}

describe('legacy mapi against the sandbox', () => {
  it('escrow: paid into escrow, shipped, confirmed; every notify and reply MD5-signed', async () => {
    const ctx = context('legacy');
    const charge = newCharge('alipay_escrow');
    const key = sandbox.keys.config.md5_key;
    const count = merchant.received.length;
    const opened = await get(await payUrl(ctx, charge));
    expect(opened.status).toBe(302);
    const returned = Object.fromEntries(new URL(opened.location!).searchParams);
    expect(returned).toMatchObject({ is_success: 'T', trade_status: 'WAIT_SELLER_SEND_GOODS', exterface: 'create_partner_trade_by_buyer', extra_common_param: 'alipay_escrow' });
    expect(md5Verify(returned, key)).toBe(true);

    // The buyer is redirected only after the first notify attempt: it has arrived already.
    expect(merchant.received.length).toBe(count + 1);
    const secured = merchant.received[count];
    expect(secured!.params).toMatchObject({ trade_status: 'WAIT_SELLER_SEND_GOODS', total_fee: '25.00', sign_type: 'MD5', logistics_type: 'EXPRESS' });
    expect(md5Verify(secured!.params, key)).toBe(true);

    const verify = (notifyId: string, partner = sandbox.keys.config.partner) => get(`${sandbox.gateway}?service=notify_verify&partner=${partner}&notify_id=${notifyId}`);
    expect((await verify(secured!.params.notify_id!)).text).toBe('true');
    expect((await verify(secured!.params.notify_id!, '2088000000000000')).text).toBe('false');
    expect((await verify('forged')).text).toBe('false');

    const tradeNo = secured!.params.trade_no!;
    const early = await shipCharge(ctx, { ...charge, transaction_no: null }, { logistics_name: 'SF', invoice_no: 'SF1', transport_type: 'EXPRESS' });
    expect(early).toMatchObject({ ok: false, code: 'trade_no_unknown' });
    const shipped = await shipCharge(ctx, { ...charge, transaction_no: tradeNo }, { logistics_name: 'SF', invoice_no: 'SF1', transport_type: 'EXPRESS' });
    expect(shipped).toEqual({ ok: true, confirmed: false });
    await merchant.waitFor(count + 2);
    const again = await shipCharge(ctx, { ...charge, transaction_no: tradeNo }, { logistics_name: 'SF', invoice_no: 'SF1', transport_type: 'EXPRESS' });
    expect(again).toMatchObject({ ok: false, code: 'TRADE_STATUS_NOT_AVAILD' });
    expect(await queryCharge(ctx, charge)).toMatchObject({ ok: true, status: 'shipped', transaction_no: tradeNo, amount: 2500 });

    const cashier = await get(`${sandbox.url}/cashier?seller_id=${sandbox.keys.config.seller_id}&out_trade_no=${charge.id}`);
    expect(cashier.text).toContain('id="confirm"');
    const confirm = await fetch(`${sandbox.url}/cashier`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ seller_id: sandbox.keys.config.seller_id, out_trade_no: charge.id, action: 'confirm' }).toString(),
    });
    expect(await confirm.json()).toMatchObject({ trade_status: 'TRADE_FINISHED', notify: { state: 'delivered', answer: 'success' } });
    const finished = merchant.received.filter((n) => n.params.out_trade_no === charge.id).map((n) => n.params.trade_status);
    expect(finished).toEqual(['WAIT_SELLER_SEND_GOODS', 'WAIT_BUYER_CONFIRM_GOODS', 'TRADE_FINISHED']);
    expect(await queryCharge(ctx, charge)).toMatchObject({ ok: true, status: 'succeeded' });
  });

  it('a tampered legacy URL is ILLEGAL_SIGN; an unknown partner ILLEGAL_PARTNER', async () => {
    const url = new URL(await payUrl(context('legacy'), newCharge('alipay_direct')));
    url.searchParams.set('total_fee', '0.01');
    expect((await get(url.toString())).text).toContain('ILLEGAL_SIGN');
    url.searchParams.set('partner', '2088000000000000');
    expect((await get(url.toString())).text).toContain('ILLEGAL_PARTNER');
  });

  it('close_trade closes an unpaid trade', async () => {
    const ctx = context('legacy');
    const charge = newCharge('alipay_direct');
    await get(await payUrl(ctx, charge), { 'x-paygate-sandbox-mode': 'interactive' });
    expect(await closeCharge(ctx, charge)).toEqual({ ok: true });
    expect(await queryCharge(ctx, charge)).toMatchObject({ status: 'closed' });
  });
});

describe('the interactive cashier and expiry', () => {
  it('interactive mode: the pay URL leads to Pay / Fail; Fail closes the trade with a notify', async () => {
    const ctx = context('open');
    const charge = newCharge('alipay_pc_direct');
    const opened = await get(await payUrl(ctx, charge), { cookie: 'paygate_sandbox_mode=interactive' });
    expect(opened.status).toBe(302);
    const cashier = await get(opened.location!);
    expect(cashier.text).toContain('id="pay"');
    expect(cashier.text).toContain('id="fail"');
    expect(await queryCharge(ctx, charge)).toMatchObject({ ok: true, status: 'pending' });
    const form = new URLSearchParams(new URL(opened.location!).search);
    form.set('action', 'fail');
    const failed = await fetch(`${sandbox.url}/cashier`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    expect(await failed.text()).toContain('TRADE_CLOSED');
    expect(await queryCharge(ctx, charge)).toMatchObject({ ok: true, status: 'closed' });
    const closedNotify = merchant.received.find((n) => n.params.out_trade_no === charge.id);
    expect(closedNotify?.params.trade_status).toBe('TRADE_CLOSED');
    expect(verifyNotify(closedNotify!.params, parsePublicKey(sandbox.keys.keys.alipayPublicKeyPem))).toBe(true);
  });

  it('a trade left unpaid past time_expire is closed by the sandbox, as Alipay does', async () => {
    const ctx = context('open');
    const charge = newCharge('alipay_qr');
    const qr = await payUrl(ctx, charge);
    clock.advance(3601_000);
    expect(await queryCharge(ctx, charge)).toMatchObject({ ok: true, status: 'closed' });
    expect((await get(qr)).text).toContain('TRADE_CLOSED');
    clock.advance(-3601_000);
  });

  it('refunds need a paid trade: ACQ.TRADE_STATUS_ERROR otherwise', async () => {
    const ctx = context('open');
    const charge = newCharge('alipay_qr');
    await payUrl(ctx, charge);
    expect(await refundCharge(ctx, charge, { id: 're_x', charge_id: charge.id, amount: 100, description: '', seq: 1 })).toMatchObject({ ok: false, code: 'ACQ.TRADE_STATUS_ERROR' });
  });
});

describe('connection test and gateway refusals', () => {
  it('testConnection proves both key sets with a signed probe, and says when one is wrong', async () => {
    const both = context('open');
    const withLegacy = { ...both, channel: { ...both.channel, options: { ...both.channel.options, partner: sandbox.keys.config.partner, key: sandbox.keys.config.md5_key } } };
    expect(await testAlipayConnection(withLegacy)).toMatchObject({ ok: true, message: expect.stringContaining('legacy MD5 key accepted') });
    const wrongKey = { ...both, channel: { ...both.channel, options: { ...both.channel.options, private_key: generateRsaKeyPair().privateKeyPem } } };
    expect(await testAlipayConnection(wrongKey)).toMatchObject({ ok: false, code: 'isv.invalid-signature' });
    const wrongMd5 = { ...both, channel: { ...both.channel, options: { partner: sandbox.keys.config.partner, key: '0'.repeat(32), gateway: sandbox.gateway } } };
    expect(await testAlipayConnection(wrongMd5)).toMatchObject({ ok: false, code: 'ILLEGAL_SIGN' });
  });

  it('answers the real error codes for unsigned, oddly signed and repeated-parameter requests', async () => {
    const common = `app_id=${sandbox.keys.config.app_id}&method=alipay.trade.query&charset=utf-8&version=1.0&timestamp=2026-01-01%2010:00:00`;
    const unsigned = JSON.parse((await get(`${sandbox.gateway}?${common}&sign_type=RSA2`)).text);
    expect(unsigned.alipay_trade_query_response).toMatchObject({ code: '40001', sub_code: 'isv.missing-signature' });
    const md5 = JSON.parse((await get(`${sandbox.gateway}?${common}&sign_type=MD5&sign=abc`)).text);
    expect(md5.alipay_trade_query_response).toMatchObject({ code: '40002', sub_code: 'isv.invalid-signature-type' });
    const badTime = JSON.parse((await get(`${sandbox.gateway}?${common.replace('2026-01-01%2010:00:00', 'yesterday')}&sign_type=RSA2&sign=abc`)).text);
    expect(badTime.alipay_trade_query_response).toMatchObject({ code: '40002', sub_code: 'isv.invalid-timestamp' });
    const repeated = await get(`${sandbox.gateway}?${common}&sign_type=RSA2&sign=abc&app_id=1`);
    expect(repeated.text).toContain('isv.invalid-parameter');
  });
});
