import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  mapiPayParams, openApiParams, payWindow, refundBizContent, sendGoodsParams, tradeBizContent,
} from '../../../src/channels/alipay/transformers.js';
import { METHODS, SERVICES } from '../../../src/channels/alipay/protocol.js';
import { formatAlipayTime, parseAlipayTime } from '../../../src/channels/alipay/time.js';
import { chargeView } from './support.js';

const seed = JSON.parse(readFileSync(new URL('../../fixtures/alipay/seed-000.json', import.meta.url), 'utf8')) as { pay_url: string };
const NOW = Date.UTC(2026, 0, 1);

describe('Alipay times', () => {
  it('are Beijing time whatever the server zone', () => {
    expect(formatAlipayTime(Date.UTC(2016, 2, 31, 16, 0, 0))).toBe('2016-04-01 00:00:00');
    expect(parseAlipayTime('2016-04-01 00:00:00')).toBe(Date.UTC(2016, 2, 31, 16, 0, 0));
  });

  it('refuse malformed and impossible dates', () => {
    for (const text of ['2016-02-31 00:00:00', '2016-4-1 00:00:00', '2016-04-01T00:00:00', '', undefined]) expect(parseAlipayTime(text)).toBeUndefined();
  });
});

describe('Open Platform requests', () => {
  it('carry the common params and the biz_content JSON text', () => {
    const params = openApiParams({ appId: '2016000000000000', method: METHODS.pagePay, signType: 'RSA2', nowMs: NOW, bizContent: { out_trade_no: 'x' }, notifyUrl: 'http://n', returnUrl: 'http://r' });
    expect(params).toEqual({
      app_id: '2016000000000000', method: 'alipay.trade.page.pay', format: 'JSON', charset: 'utf-8', sign_type: 'RSA2',
      timestamp: '2026-01-01 08:00:00', version: '1.0', notify_url: 'http://n', return_url: 'http://r', biz_content: '{"out_trade_no":"x"}',
    });
  });

  it('page pay: yuan amount from fen, product code, expiry, charge id as out_trade_no', () => {
    const biz = tradeBizContent(chargeView({ amount: 1234 }), METHODS.pagePay);
    expect(biz).toEqual({
      out_trade_no: 'ch_0123456789ABCDEFGHIJKLMN', total_amount: '12.34', subject: 'Test Order', product_code: 'FAST_INSTANT_TRADE_PAY',
      body: 'One test item', time_expire: '2026-01-01 09:00:00',
    });
  });

  it('wap pay has QUICK_WAP_WAY and a quit_url; precreate has no product code', () => {
    expect(tradeBizContent(chargeView(), METHODS.wapPay, 'http://result')).toMatchObject({ product_code: 'QUICK_WAP_WAY', quit_url: 'http://result' });
    expect(tradeBizContent(chargeView({ extra: { cancel_url: 'http://cancel' } }), METHODS.wapPay, 'http://result').quit_url).toBe('http://cancel');
    expect(tradeBizContent(chargeView(), METHODS.precreate).product_code).toBeUndefined();
  });

  it('clips the subject to 256 characters without splitting a character', () => {
    const biz = tradeBizContent(chargeView({ subject: '语'.repeat(300), body: '' }), METHODS.precreate);
    expect([...biz.subject!].length).toBe(256);
    expect(biz.body).toBeUndefined();
  });

  it('refund: out_request_no is the refund id, amount in yuan', () => {
    expect(refundBizContent(chargeView(), { id: 're_1', charge_id: 'ch', amount: 5, description: '', seq: 1 }))
      .toEqual({ out_trade_no: 'ch_0123456789ABCDEFGHIJKLMN', refund_amount: '0.05', out_request_no: 're_1' });
  });
});

describe('legacy mapi requests', () => {
  const input = { partner: '2088801661897804', sellerId: '2088801661897804', sellerEmail: 'alipay@demlution.com', notifyUrl: 'http://n', returnUrl: 'http://r', nowMs: NOW, code: 'alipay_direct' };

  it('direct pay has every parameter of seed 000\'s pay_url', () => {
    const params = mapiPayParams(chargeView(), SERVICES.directPay, input);
    const seedKeys = [...new URL(seed.pay_url).searchParams.keys()].filter((k) => k !== 'sign' && k !== 'sign_type');
    for (const key of seedKeys) expect(params).toHaveProperty(key);
    expect(params).toMatchObject({ service: 'create_direct_pay_by_user', paymethod: 'directPay', payment_type: '1', total_fee: '0.10', _input_charset: 'utf-8', extra_common_param: 'alipay_direct', it_b_pay: '60m' });
  });

  it('escrow uses price and quantity, logistics, and no total_fee', () => {
    const params = mapiPayParams(chargeView({ channel: 'alipay_escrow', extra: { logistics_type: 'EMS' } }), SERVICES.escrowPay, { ...input, code: 'alipay_escrow' });
    expect(params).toMatchObject({ service: 'create_partner_trade_by_buyer', price: '0.10', quantity: '1', logistics_type: 'EMS', logistics_fee: '0.00', logistics_payment: 'SELLER_PAY', extra_common_param: 'alipay_escrow' });
    expect(params.total_fee).toBeUndefined();
  });

  it('send goods names the Alipay trade and the shipment', () => {
    expect(sendGoodsParams('2088', 'T1', { logistics_name: 'SF', invoice_no: 'SF1', transport_type: 'EXPRESS' }))
      .toEqual({ service: 'send_goods_confirm_by_platform', partner: '2088', _input_charset: 'utf-8', trade_no: 'T1', logistics_name: 'SF', invoice_no: 'SF1', transport_type: 'EXPRESS' });
  });

  it('the pay window is whole minutes between 1m and 15d', () => {
    expect(payWindow(90_000)).toBe('2m');
    expect(payWindow(-5)).toBe('1m');
    expect(payWindow(30 * 24 * 3600_000)).toBe('21600m');
  });
});
