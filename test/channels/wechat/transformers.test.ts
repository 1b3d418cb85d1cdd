import { describe, expect, it } from 'vitest';
import type { ChargeView } from '../../../src/channels/contract.js';
import { productIdOf, readOrderQuery, readRefundQuery, refundFields, unifiedOrderFields } from '../../../src/channels/wechat/transformers-v2.js';
import { readRefund, readTransaction, transactionBody } from '../../../src/channels/wechat/transformers-v3.js';
import { chargeRequestFromScrmOrder } from '../../../src/channels/wechat/scrm-order.js';
import { acknowledgeWechatNotify } from '../../../src/channels/wechat/acknowledge.js';
import { truncateUtf8 } from '../../../src/channels/wechat/protocol.js';
import { parseWechatXml } from '../../../src/channels/wechat/xml.js';

const created = Date.UTC(2026, 0, 1, 1, 0, 0) / 1000;
const charge: ChargeView = {
  id: 'ch_0123456789ABCDEFGHIJabcd', app_id: 'app_1', livemode: false, channel: 'wx_pub', order_no: 'ORDER-2026/01', type: 'order',
  amount: 1999, amount_refunded: 0, currency: 'cny', subject: '一杯咖啡', body: 'Coffee', description: null, client_ip: '203.0.113.7',
  extra: { open_id: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' }, metadata: {}, status: 'created', transaction_no: null, created, time_expire: created + 3600, return_url: null,
};

describe('v2 transformers', () => {
  it('make unifiedorder fields: fen, China-time expiry, the charge id as out_trade_no', () => {
    expect(unifiedOrderFields(charge, 'wx_pub', 'https://pay.example/notify/chn_1', 'https://pay.example')).toEqual({
      body: '一杯咖啡', out_trade_no: charge.id, fee_type: 'CNY', total_fee: 1999, spbill_create_ip: '203.0.113.7',
      time_start: '20260101090000', time_expire: '20260101100000', notify_url: 'https://pay.example/notify/chn_1', trade_type: 'JSAPI',
      openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', product_id: undefined, limit_pay: undefined, goods_tag: undefined, scene_info: undefined,
    });
    const native = unifiedOrderFields({ ...charge, channel: 'wx_pub_qr', extra: {} }, 'wx_pub_qr', 'n', 's');
    expect(native).toMatchObject({ trade_type: 'NATIVE', openid: undefined, product_id: 'ORDER202601' });
    const h5 = unifiedOrderFields({ ...charge, channel: 'wx_wap', extra: {} }, 'wx_wap', 'n', 'https://shop.example');
    expect(JSON.parse(String(h5.scene_info))).toEqual({ h5_info: { type: 'Wap', wap_url: 'https://shop.example', wap_name: '一杯咖啡' } });
    expect(productIdOf({ extra: { product_id: 'sku9' }, order_no: 'x' })).toBe('sku9');
  });

  it('cut body at 128 UTF-8 bytes without splitting a character', () => {
    const long = '测'.repeat(50);
    const fields = unifiedOrderFields({ ...charge, subject: long }, 'wx_pub', 'n', 's');
    expect(Buffer.byteLength(String(fields.body))).toBe(126);
    expect(truncateUtf8('ab测', 4)).toBe('ab');
  });

  it('read orderquery states', () => {
    expect(readOrderQuery({ trade_state: 'SUCCESS', total_fee: '1999', transaction_id: '4200', time_end: '20260101090500', openid: 'o1', mch_id: 'm', appid: 'a', trade_type: 'JSAPI' }))
      .toEqual({ ok: true, status: 'paid', amount: 1999, transaction_no: '4200', paid_at: Date.UTC(2026, 0, 1, 1, 5, 0), facts: { tradeType: 'JSAPI', sellerId: 'm', buyerId: 'o1', wechatAppId: 'a', tradeNo: '4200', tradeStatus: 'SUCCESS', paymentTime: '20260101090500' } });
    expect(readOrderQuery({ trade_state: 'NOTPAY', total_fee: '1' })).toMatchObject({ ok: true, status: 'pending' });
    expect(readOrderQuery({ trade_state: 'CLOSED' })).toMatchObject({ ok: true, status: 'closed' });
    expect(readOrderQuery({ trade_state: 'WEIRD' })).toMatchObject({ ok: false });
  });

  it('make refund fields and read refundquery\'s numbered fields', () => {
    expect(refundFields(charge, { id: 're_abc', charge_id: charge.id, amount: 500, description: '退一半', seq: 1 }, 'https://n')).toMatchObject({ out_refund_no: 're_abc', total_fee: 1999, refund_fee: 500, refund_desc: '退一半' });
    const answer = { refund_count: '2', out_refund_no_0: 're_a', refund_status_0: 'SUCCESS', refund_id_0: '50301', out_refund_no_1: 're_b', refund_status_1: 'PROCESSING', refund_id_1: '50302' };
    expect(readRefundQuery(answer, 're_a')).toEqual({ ok: true, status: 'succeeded', transaction_no: '50301' });
    expect(readRefundQuery(answer, 're_b')).toEqual({ ok: true, status: 'pending', transaction_no: '50302' });
    expect(readRefundQuery({ ...answer, refund_status_0: 'REFUNDCLOSE' }, 're_a')).toMatchObject({ ok: true, status: 'failed' });
    expect(readRefundQuery(answer, 're_c')).toMatchObject({ ok: false, code: 'REFUNDNOTEXIST' });
  });
});

describe('v3 transformers', () => {
  it('make the transaction body for each product', () => {
    const body = transactionBody(charge, 'wx_pub', { appid: 'wx1', mchid: '19' }, 'https://n', 'https://s');
    expect(body).toEqual({
      appid: 'wx1', mchid: '19', description: '一杯咖啡', out_trade_no: charge.id, time_expire: '2026-01-01T10:00:00+08:00', notify_url: 'https://n',
      amount: { total: 1999, currency: 'CNY' }, payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' }, scene_info: { payer_client_ip: '203.0.113.7' },
    });
    expect(transactionBody(charge, 'wx_wap', { appid: 'wx1', mchid: '19' }, 'n', 'https://s')).toMatchObject({ scene_info: { payer_client_ip: '203.0.113.7', h5_info: { type: 'Wap' } } });
    expect(transactionBody(charge, 'wx_pub_qr', { appid: 'wx1', mchid: '19' }, 'n', 's').payer).toBeUndefined();
  });

  it('read transactions and refunds', () => {
    expect(readTransaction({ trade_state: 'SUCCESS', transaction_id: '42', success_time: '2026-01-01T09:05:00+08:00', amount: { total: 1999, payer_total: 1999 }, payer: { openid: 'o1' }, mchid: '19', appid: 'wx1', trade_type: 'JSAPI' }))
      .toMatchObject({ ok: true, status: 'paid', amount: 1999, transaction_no: '42', paid_at: Date.UTC(2026, 0, 1, 1, 5), facts: { buyerId: 'o1', sellerId: '19', wechatAppId: 'wx1', cashFee: 1999 } });
    expect(readRefund({ status: 'SUCCESS', refund_id: '503' })).toEqual({ ok: true, status: 'succeeded', transaction_no: '503' });
    expect(readRefund({ status: 'PROCESSING' })).toEqual({ ok: true, status: 'pending' });
    expect(readRefund({ status: 'ABNORMAL' })).toMatchObject({ ok: true, status: 'failed' });
  });
});

describe('notify answers and seed 001 orders', () => {
  it('answer v2 in XML and v3 with 204 or a FAIL JSON', () => {
    const ok = acknowledgeWechatNotify(true, { headers: {}, rawBody: '<xml/>' });
    expect(ok.status).toBe(200);
    expect(parseWechatXml(ok.body)).toMatchObject({ ok: true, fields: { return_code: 'SUCCESS', return_msg: 'OK' } });
    expect(parseWechatXml(acknowledgeWechatNotify(false, { headers: {}, rawBody: '<xml/>' }).body)).toMatchObject({ fields: { return_code: 'FAIL' } });
    expect(acknowledgeWechatNotify(true, { headers: { 'wechatpay-signature': 'x' }, rawBody: '{}' })).toEqual({ status: 204, body: '' });
    const fail = acknowledgeWechatNotify(false, { headers: {}, rawBody: '{"id":1}' });
    expect(fail.status).toBeGreaterThanOrEqual(400);
    expect(JSON.parse(fail.body)).toEqual({ code: 'FAIL', message: '失败' });
  });

  it('map seed 001\'s order onto a wx_pub charge request', () => {
    const request = chargeRequestFromScrmOrder({
      accountId: 'app_1', subject: '预约', totalFee: 1, openId: 'oX', timeExpire: 1472179274653,
      metadata: { channelId: 'chn_1', detailUrl: 'https://d', isTest: true, orderNumber: 'P1' },
    }, { orderNo: 'o1', clientIp: '1.2.3.4' });
    expect(request).toEqual({ order_no: 'o1', channel: 'wx_pub', channel_id: 'chn_1', amount: 1, currency: 'cny', client_ip: '1.2.3.4', subject: '预约', body: '预约', extra: { open_id: 'oX' }, metadata: { channelId: 'chn_1', detailUrl: 'https://d', isTest: true, orderNumber: 'P1' }, time_expire: 1472179274 });
    expect(chargeRequestFromScrmOrder({ accountId: 'a', subject: 's', totalFee: 5, metadata: {}, tradeType: 'NATIVE' }, { orderNo: 'o', clientIp: 'i' }).channel).toBe('wx_pub_qr');
    expect(() => chargeRequestFromScrmOrder({ accountId: 'a', subject: 's', totalFee: 5, metadata: {} }, { orderNo: 'o', clientIp: 'i' })).toThrow(/openId/);
  });
});
