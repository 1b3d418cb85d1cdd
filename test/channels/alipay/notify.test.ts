import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { InboundRequest } from '../../../src/channels/contract.js';
import { alipayChannel } from '../../../src/channels/alipay/alipay-channel.js';
import { parseAlipayMessage } from '../../../src/channels/alipay/notify.js';
import { generateRsaKeyPair, parsePrivateKey } from '../../../src/channels/alipay/keys.js';
import { md5Sign, signNotify } from '../../../src/channels/alipay/sign.js';
import { testContext } from './support.js';

const vector = (JSON.parse(readFileSync(new URL('../../fixtures/alipay/vectors.json', import.meta.url), 'utf8')) as {
  alipay_notify: { params: Record<string, string>; alipay_public_key: string };
}).alipay_notify;
const merchantKey = generateRsaKeyPair().privateKeyPem;
const realOptions = { app_id: '2019073166072302', private_key: merchantKey, alipay_public_key: vector.alipay_public_key };

function post(params: Record<string, string>): InboundRequest {
  return { method: 'POST', url: '/notify/chn_test', headers: { 'content-type': 'application/x-www-form-urlencoded' }, query: {}, rawBody: new URLSearchParams(params).toString() };
}

describe('Open Platform notify (the real notify from alipay-sdk-nodejs-all)', () => {
  it('verifies and reads it: charge, order amount in fen, paid, trade number, paid time, facts', async () => {
    const result = await parseAlipayMessage(testContext(realOptions, undefined, true), post(vector.params), 'notify');
    expect(result).toMatchObject({
      verified: true,
      charge_id: '20190815155618536-564-57',
      event: { kind: 'paid' },
      amount: 10,
      transaction_no: '2019081522001468450512505578',
      notification_id: '2019081500222155624068450559358070',
      paid_at: Date.UTC(2019, 7, 15, 7, 56, 24),
      facts: { buyer_id: '2088102534368455', seller_id: '2088531891668739', buyer_email: 'xud***@126.com' },
    });
  });

  it('checks the app and, when configured, the seller', async () => {
    const otherApp = await parseAlipayMessage(testContext({ ...realOptions, app_id: '2019073166072303' }), post(vector.params), 'notify');
    expect(otherApp).toMatchObject({ verified: false, charge_id: '20190815155618536-564-57' });
    expect(otherApp.verified === false && otherApp.reason).toMatch(/app_id/);
    const otherSeller = await parseAlipayMessage(testContext({ ...realOptions, seller_id: '2088000000000000' }), post(vector.params), 'notify');
    expect(otherSeller.verified === false && otherSeller.reason).toMatch(/seller_id/);
    const sameSeller = await parseAlipayMessage(testContext({ ...realOptions, seller_id: '2088531891668739' }), post(vector.params), 'notify');
    expect(sameSeller.verified).toBe(true);
  });

  it('refuses tampering, a missing sign and repeated keys', async () => {
    const ctx = testContext(realOptions);
    for (const params of [{ ...vector.params, total_amount: '0.01' }, { ...vector.params, out_trade_no: 'ch_other' }, { ...vector.params, sign: '' }]) {
      expect((await parseAlipayMessage(ctx, post(params), 'notify')).verified).toBe(false);
    }
    const repeated = { ...post(vector.params), rawBody: `${new URLSearchParams(vector.params).toString()}&trade_status=TRADE_CLOSED` };
    expect(await parseAlipayMessage(ctx, repeated, 'notify')).toMatchObject({ verified: false, reason: 'parameter trade_status appears twice' });
  });
});

describe('what a verified message says', () => {
  const alipay = generateRsaKeyPair();
  const options = { app_id: '9021000000000001', private_key: merchantKey, alipay_public_key: alipay.publicKeyPem, partner: '2088000000000001', key: 'k'.repeat(32) };
  const ctx = testContext(options);
  const sign = (params: Record<string, string>) => signNotify({ app_id: '9021000000000001', out_trade_no: 'ch_1', total_amount: '1.00', ...params }, parsePrivateKey(alipay.privateKeyPem));
  const read = async (params: Record<string, string>) => parseAlipayMessage(ctx, post(sign(params)), 'notify');

  it('maps trade statuses, refunds and closes', async () => {
    expect(await read({ trade_status: 'TRADE_SUCCESS' })).toMatchObject({ event: { kind: 'paid' } });
    expect(await read({ trade_status: 'TRADE_FINISHED' })).toMatchObject({ event: { kind: 'paid' } });
    expect(await read({ trade_status: 'TRADE_CLOSED' })).toMatchObject({ event: { kind: 'closed' } });
    expect(await read({ trade_status: 'WAIT_BUYER_PAY' })).toMatchObject({ event: { kind: 'pending' } });
    expect(await read({ trade_status: 'TRADE_SUCCESS', refund_fee: '0.30', gmt_refund: '2026-01-01 10:00:00', out_biz_no: 're_1' }))
      .toMatchObject({ amount: 100, event: { kind: 'refund', refund_reference: 're_1', status: 'succeeded' } });
    // A full refund closes the trade at Alipay: still a refund for paygate, never "closed".
    expect(await read({ trade_status: 'TRADE_CLOSED', refund_fee: '1.00', gmt_refund: '2026-01-01 10:00:00', out_biz_no: 're_2' }))
      .toMatchObject({ event: { kind: 'refund', refund_reference: 're_2' } });
    expect((await read({ trade_status: 'TRADE_EXPLODED' })).verified).toBe(false);
    expect((await read({ trade_status: 'TRADE_SUCCESS', total_amount: '1.001' })).verified).toBe(false);
  });

  it('the page-pay return (no trade_status) reads as paid', async () => {
    const params = sign({ method: 'alipay.trade.page.pay.return', trade_no: 'T1', timestamp: '2026-01-01 10:00:00' });
    const request: InboundRequest = { method: 'GET', url: `/return/chn_test?${new URLSearchParams(params).toString()}`, headers: {}, query: params, rawBody: '' };
    expect(await parseAlipayMessage(ctx, request, 'return')).toMatchObject({ verified: true, event: { kind: 'paid' }, paid_at: Date.UTC(2026, 0, 1, 2) });
  });

  it('legacy MD5: escrow statuses by the signed extra_common_param, seller checked against the partner', async () => {
    const md5 = (params: Record<string, string>) => {
      const fields = { out_trade_no: 'ch_1', total_fee: '1.00', seller_id: '2088000000000001', ...params };
      return post({ ...fields, sign: md5Sign(fields, 'k'.repeat(32)), sign_type: 'MD5' });
    };
    const escrow = { extra_common_param: 'alipay_escrow' };
    expect(await parseAlipayMessage(ctx, md5({ ...escrow, trade_status: 'WAIT_SELLER_SEND_GOODS' }), 'notify')).toMatchObject({ event: { kind: 'secured_paid' } });
    expect(await parseAlipayMessage(ctx, md5({ ...escrow, trade_status: 'WAIT_BUYER_CONFIRM_GOODS' }), 'notify')).toMatchObject({ event: { kind: 'shipped' } });
    expect(await parseAlipayMessage(ctx, md5({ ...escrow, trade_status: 'TRADE_FINISHED' }), 'notify')).toMatchObject({ event: { kind: 'confirmed' } });
    expect(await parseAlipayMessage(ctx, md5({ extra_common_param: 'alipay_direct', trade_status: 'TRADE_FINISHED' }), 'notify')).toMatchObject({ event: { kind: 'paid' } });
    expect((await parseAlipayMessage(ctx, md5({ trade_status: 'TRADE_SUCCESS', seller_id: '2088000000000002' }), 'notify')).verified).toBe(false);
    const forgedMarker = md5({ trade_status: 'TRADE_FINISHED' });
    const tampered = { ...forgedMarker, rawBody: `${forgedMarker.rawBody}&extra_common_param=alipay_escrow` };
    expect((await parseAlipayMessage(ctx, tampered, 'notify')).verified).toBe(false);
  });

  it('acknowledges with exactly "success", or "fail"', () => {
    expect(alipayChannel.acknowledgeNotify!(true).body).toBe('success');
    expect(alipayChannel.acknowledgeNotify!(false).body).toBe('fail');
  });
});
