/**
 * Pure translations between paygate's charges/refunds and WeChat Pay v2's fields. No I/O: each
 * function is tested on fixture fields.
 */
import type { ChannelChargeState, ChargeView, RefundResult, RefundView } from '../contract.js';
import { CODE_SPECS, chargeStatusOfTradeState, truncateUtf8, type WechatCode } from './protocol.js';
import { outRefundNoOf, outTradeNoOf } from './trade-no.js';
import { parseV2Time, toV2Time } from './time.js';
import type { V2Fields } from './sign-v2.js';
import type { XmlFields } from './xml.js';

/** The `unifiedorder` business fields of a charge (appid, mch_id, nonce and sign are added by the client). */
export function unifiedOrderFields(charge: ChargeView, code: WechatCode, notifyUrl: string, siteUrl: string): V2Fields {
  const spec = CODE_SPECS[code];
  const extra = charge.extra;
  const str = (name: string) => (typeof extra[name] === 'string' && extra[name] !== '' ? (extra[name] as string) : undefined);
  return {
    body: truncateUtf8(charge.subject, 128),
    out_trade_no: outTradeNoOf(charge.id),
    fee_type: 'CNY',
    total_fee: charge.amount,
    spbill_create_ip: charge.client_ip,
    time_start: toV2Time(charge.created * 1000),
    time_expire: toV2Time(charge.time_expire * 1000),
    notify_url: notifyUrl,
    trade_type: spec.v2,
    openid: spec.needsOpenId ? str('open_id') : undefined,
    product_id: code === 'wx_pub_qr' ? productIdOf(charge) : undefined,
    limit_pay: str('limit_pay'),
    goods_tag: str('goods_tag'),
    scene_info: code === 'wx_wap' ? JSON.stringify({ h5_info: { type: 'Wap', wap_url: str('wap_url') ?? siteUrl, wap_name: truncateUtf8(str('wap_name') ?? charge.subject, 32) } }) : undefined,
  };
}

/** NATIVE needs a `product_id`: the charge's `extra.product_id`, else its order number made to fit. */
export function productIdOf(charge: Pick<ChargeView, 'extra' | 'order_no'>): string {
  const given = charge.extra.product_id;
  if (typeof given === 'string' && given !== '') return given;
  return charge.order_no.replace(/[^0-9A-Za-z]/g, '').slice(0, 32) || 'paygate';
}

/** What an `orderquery` answer says about the charge. */
export function readOrderQuery(fields: XmlFields): ChannelChargeState {
  const status = chargeStatusOfTradeState(fields.trade_state ?? '');
  if (!status) return { ok: false, code: 'UNKNOWN_TRADE_STATE', message: `WeChat Pay reports trade_state ${fields.trade_state ?? '(none)'}` };
  const amount = /^\d+$/.test(fields.total_fee ?? '') ? Number(fields.total_fee) : undefined;
  return {
    ok: true,
    status,
    amount,
    transaction_no: fields.transaction_id || undefined,
    paid_at: status === 'paid' && fields.time_end ? parseV2Time(fields.time_end) : undefined,
    facts: paymentFactsV2(fields),
  };
}

/** WeChat facts of a payment, in the names webhooks use (seed 001's `payment_notification`). */
export function paymentFactsV2(fields: XmlFields): Record<string, unknown> {
  const facts: Record<string, unknown> = {
    tradeType: fields.trade_type,
    sellerId: fields.mch_id,
    buyerId: fields.openid,
    wechatAppId: fields.appid,
    tradeNo: fields.transaction_id,
    tradeStatus: fields.trade_state ?? (fields.result_code === 'SUCCESS' ? 'SUCCESS' : undefined),
    tradeStateDesc: fields.trade_state_desc,
    bankType: fields.bank_type,
    isSubscribe: fields.is_subscribe,
    cashFee: fields.cash_fee === undefined ? undefined : Number(fields.cash_fee),
    paymentTime: fields.time_end,
    failureCode: fields.err_code,
    failureMsg: fields.err_code_des,
  };
  return Object.fromEntries(Object.entries(facts).filter(([, value]) => value !== undefined && value !== ''));
}

/** The `/secapi/pay/refund` business fields. */
export function refundFields(charge: ChargeView, refund: RefundView, notifyUrl: string): V2Fields {
  return {
    out_trade_no: outTradeNoOf(charge.id),
    out_refund_no: outRefundNoOf(refund.id),
    total_fee: charge.amount,
    refund_fee: refund.amount,
    refund_fee_type: 'CNY',
    refund_desc: refund.description ? truncateUtf8(refund.description, 80) : undefined,
    notify_url: notifyUrl,
  };
}

/** A refund's state from its v2 status word (`SUCCESS`, `PROCESSING`, `REFUNDCLOSE`, `CHANGE`). */
export function refundStatusOf(status: string | undefined): RefundResult {
  if (status === 'SUCCESS') return { ok: true, status: 'succeeded' };
  if (status === 'PROCESSING' || status === undefined) return { ok: true, status: 'pending' };
  return { ok: true, status: 'failed' };
}

/** Finds one refund (by `out_refund_no`) in a `refundquery` answer's numbered fields. */
export function readRefundQuery(fields: XmlFields, refundId: string): RefundResult {
  const count = Number(fields.refund_count ?? '0');
  for (let n = 0; n < Math.min(count, 50); n++) {
    if (fields[`out_refund_no_${n}`] !== refundId) continue;
    const state = refundStatusOf(fields[`refund_status_${n}`]);
    const id = fields[`refund_id_${n}`];
    return state.ok && id ? { ...state, transaction_no: id } : state;
  }
  return { ok: false, code: 'REFUNDNOTEXIST', message: `WeChat Pay's answer does not list refund ${refundId}` };
}
