/** The payload formats on fixture rows: the event object, seed 000's notify JSON, seed 001's messages. */
import { describe, expect, it } from 'vitest';
import type { Selectable } from 'kysely';
import type { ChannelsTable, ChargesTable, EventsTable } from '../../src/store/schema.js';
import { toChargeObject } from '../../src/engine/charge-object.js';
import { toEventObject } from '../../src/engine/charge-queries.js';
import { payloadFormat } from '../../src/webhooks/formats/index.js';

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5, 678);

function chargeRow(overrides: Partial<Selectable<ChargesTable>> = {}): Selectable<ChargesTable> {
  return {
    id: 'ch_fixture', app_id: 'app_fixture', channel_id: 'chn_wx', paying_channel_id: 'chn_wx', livemode: 0, order_no: 'P2016070400000006',
    channel: 'wx_pub', type: 'order', amount: 1234, currency: 'cny', amount_refunded: 0, fee: 0, amount_settle: 1234, status: 'succeeded', escrow: 0,
    client_ip: '10.0.0.8', subject: '订单标题', body: '订单详情', description: null, extra: '{}', metadata: '{"orderNumber":"P2016070400000006","isTest":true}',
    credential: null, extension: '{}', transaction_no: '4200000001201601010000000001', failure_code: null, failure_msg: null, closed_reason: null,
    shipment: null, notify_url: null, return_url: null, client_secret: 'x', time_expire: T0 + 3_600_000, time_paid: T0 + 2000, time_shipped: null,
    time_succeeded: T0 + 2000, time_closed: null, created_at: T0, updated_at: T0 + 2000, ...overrides,
  };
}

function eventRow(type: string, data: unknown, overrides: Partial<Selectable<EventsTable>> = {}): Selectable<EventsTable> {
  return { seq: 7, id: 'evt_fixture', app_id: 'app_fixture', livemode: 0, type, charge_id: 'ch_fixture', channel_id: 'chn_wx', data: JSON.stringify(data), created_at: T0 + 2500, ...overrides };
}

const channel: Selectable<ChannelsTable> = {
  id: 'chn_wx', app_id: 'app_fixture', type: 'wechat', name: 'QunCRM 公众号', livemode: 0, enabled: 1, options: '{}', secret_options: '', fee_percent_bp: 0, fee_fixed: 0,
  transaction_types: null, delegate_channel_id: null, created_at: T0, updated_at: T0, deleted_at: null,
};

describe('event format', () => {
  it('is byte for byte the event object', () => {
    const row = eventRow('charge.succeeded', toChargeObject(chargeRow()));
    expect(payloadFormat('event').render({ event: row })).toBe(JSON.stringify(toEventObject(row)));
    const odd = eventRow('channel.enabled', { name: 'quote " and \\ and 中文' }, { id: 'evt_"odd', livemode: 1 });
    expect(payloadFormat('event').render({ event: odd })).toBe(JSON.stringify(toEventObject(odd)));
  });
});

describe('capi format (seed 000)', () => {
  it('has the seed\'s fields, the app\'s order number as trade_no, and channel facts in data', () => {
    const charge = chargeRow({ channel: 'alipay_pc_direct', extension: JSON.stringify({ trade_no: '2016', buyer_email: 'buyer@example.com', seller_id: '2088102169474081' }) });
    const body = JSON.parse(payloadFormat('capi').render({ event: eventRow('charge.succeeded', toChargeObject(charge)), charge })!);
    expect(body).toEqual({
      id: 'ch_fixture', subject: '订单标题', body: '订单详情', amount: 1234, trade_no: 'P2016070400000006', paid: true,
      paid_time: '2026-01-02T03:04:07.000Z', status: 'succeeded', created: '2026-01-02T03:04:05.000Z',
      data: { trade_no: '4200000001201601010000000001', buyer_email: 'buyer@example.com', seller_id: '2088102169474081' },
    });
  });

  it('describes the charge as it was at the event, and only speaks of charges', () => {
    const pending = toChargeObject(chargeRow({ status: 'pending', time_paid: null, transaction_no: null }));
    const body = JSON.parse(payloadFormat('capi').render({ event: eventRow('charge.pending', pending), charge: chargeRow() })!);
    expect(body).toMatchObject({ status: 'pending', paid: false, paid_time: null, data: { trade_no: '', buyer_email: '', seller_id: '' } });
    expect(payloadFormat('capi').accepts('refund.succeeded')).toBe(false);
    expect(payloadFormat('capi').render({ event: eventRow('channel.enabled', {}) })).toBeUndefined();
  });
});

describe('scrm format (seed 001)', () => {
  it('turns a charge event into a payment_notification with the WeChat facts', () => {
    const charge = chargeRow({
      extension: JSON.stringify({ tradeType: 'JSAPI', wechatAppId: 'wx2421b1c4370ec43b', sellerId: '10000100', buyerId: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', prepayId: 'wx201410272009395522657a690389285100', buyerNickname: 'unknown' }),
    });
    const message = JSON.parse(payloadFormat('scrm').render({ event: eventRow('charge.succeeded', toChargeObject(charge)), charge, channel })!);
    expect(message).toEqual({
      type: 'msg',
      channel: { id: 'chn_wx', name: 'QunCRM 公众号', type: 'online', social: 'wechat' },
      data: {
        type: 'payment_notification', channelType: 'WECHAT', quncrmAccountId: 'app_fixture', tradeType: 'JSAPI', sellerId: '10000100',
        buyerId: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', spbillCreateIp: '10.0.0.8', subject: '订单标题', detail: '订单详情', outTradeNo: 'P2016070400000006',
        tradeNo: '4200000001201601010000000001', totalFee: 1234, createTime: T0, timeExpire: T0 + 3_600_000, paymentTime: T0 + 2000,
        extension: { tradeType: 'JSAPI', wechatAppId: 'wx2421b1c4370ec43b', sellerId: '10000100', buyerId: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', prepayId: 'wx201410272009395522657a690389285100', buyerNickname: 'unknown' },
        metadata: { orderNumber: 'P2016070400000006', isTest: true },
        tradeStatus: 'SUCCESS', tradeStateDesc: '支付成功', failureCode: null, failureMsg: null,
      },
    });
  });

  it('fills what the core knows when the channel said nothing, and maps the status', () => {
    const closed = chargeRow({ channel: 'wx_pub_qr', status: 'closed', closed_reason: 'failed', failure_code: 'buyer_failed', failure_msg: 'no money', time_paid: null, transaction_no: null });
    const data = JSON.parse(payloadFormat('scrm').render({ event: eventRow('charge.closed', toChargeObject(closed)), charge: closed, channel })!).data;
    expect(data).toMatchObject({ tradeType: 'NATIVE', sellerId: null, buyerId: null, tradeNo: null, tradeStatus: 'PAYERROR', failureCode: 'buyer_failed', failureMsg: 'no money', paymentTime: null });
    const alipay = chargeRow({ channel: 'alipay_qr', extension: JSON.stringify({ buyer_id: '2088102534368455', seller_id: '2088000000000001' }) });
    const other = JSON.parse(payloadFormat('scrm').render({ event: eventRow('charge.pending', toChargeObject({ ...alipay, status: 'pending' })), charge: alipay })!);
    expect(other.channel.social).toBe('alipay');
    expect(other.data).toMatchObject({ channelType: 'ALIPAY', tradeType: 'PRECREATE', buyerId: '2088102534368455', sellerId: '2088000000000001', tradeStatus: 'NOTPAY' });
  });

  it('speaks of refunds and of a newly enabled channel (open_payment)', () => {
    const charge = chargeRow({ amount_refunded: 1234 });
    const refund = { id: 're_1', object: 'refund', amount: 1234, status: 'succeeded', charge: 'ch_fixture' };
    const message = JSON.parse(payloadFormat('scrm').render({ event: eventRow('refund.succeeded', refund), charge, channel })!);
    expect(message.data).toMatchObject({ type: 'refund_notification', tradeStatus: 'REFUND', refund });
    const open = payloadFormat('scrm').render({ event: eventRow('channel.enabled', {}, { charge_id: null, channel_id: 'chn_new' }) });
    expect(JSON.parse(open!)).toEqual({ type: 'open_payment', account_id: 'app_fixture', channel_id: 'chn_new' });
  });
});
