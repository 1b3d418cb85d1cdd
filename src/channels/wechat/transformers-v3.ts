/**
 * Pure translations between paygate's charges/refunds and WeChat Pay v3's JSON. No I/O.
 */
import type { ChannelChargeState, ChargeView, RefundResult, RefundView } from '../contract.js';
import { CODE_SPECS, chargeStatusOfTradeState, truncateUtf8, type WechatCode } from './protocol.js';
import { outRefundNoOf, outTradeNoOf } from './trade-no.js';
import { parseV3Time, toV3Time } from './time.js';

type Json = Readonly<Record<string, unknown>>;

/** The body of `POST /v3/pay/transactions/{jsapi|native|h5}`. */
export function transactionBody(charge: ChargeView, code: WechatCode, ids: { appid: string; mchid: string }, notifyUrl: string, siteUrl: string): Json {
  const spec = CODE_SPECS[code];
  const openId = charge.extra.open_id;
  return {
    appid: ids.appid,
    mchid: ids.mchid,
    description: truncateUtf8(charge.subject, 127),
    out_trade_no: outTradeNoOf(charge.id),
    time_expire: toV3Time(charge.time_expire * 1000),
    notify_url: notifyUrl,
    amount: { total: charge.amount, currency: 'CNY' },
    ...(spec.needsOpenId ? { payer: { openid: openId } } : {}),
    scene_info: code === 'wx_wap'
      ? { payer_client_ip: charge.client_ip, h5_info: { type: 'Wap', app_url: siteUrl, app_name: truncateUtf8(charge.subject, 32) } }
      : { payer_client_ip: charge.client_ip },
  };
}

function obj(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}
function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
function int(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
}

/** WeChat facts of a v3 transaction (query answer or decrypted notify), for webhooks. */
export function paymentFactsV3(transaction: Json): Record<string, unknown> {
  const facts: Record<string, unknown> = {
    tradeType: str(transaction.trade_type),
    sellerId: str(transaction.mchid),
    buyerId: str(obj(transaction.payer).openid),
    wechatAppId: str(transaction.appid),
    tradeNo: str(transaction.transaction_id),
    tradeStatus: str(transaction.trade_state),
    tradeStateDesc: str(transaction.trade_state_desc),
    bankType: str(transaction.bank_type),
    cashFee: int(obj(transaction.amount).payer_total),
    paymentTime: str(transaction.success_time),
  };
  return Object.fromEntries(Object.entries(facts).filter(([, value]) => value !== undefined));
}

/** What a transaction (query answer) says about the charge. */
export function readTransaction(transaction: Json): ChannelChargeState {
  const status = chargeStatusOfTradeState(str(transaction.trade_state) ?? '');
  if (!status) return { ok: false, code: 'UNKNOWN_TRADE_STATE', message: `WeChat Pay reports trade_state ${String(transaction.trade_state)}` };
  const successTime = str(transaction.success_time);
  return {
    ok: true,
    status,
    amount: int(obj(transaction.amount).total),
    transaction_no: str(transaction.transaction_id),
    paid_at: status === 'paid' && successTime ? parseV3Time(successTime) : undefined,
    facts: paymentFactsV3(transaction),
  };
}

/** The body of `POST /v3/refund/domestic/refunds`. */
export function refundBody(charge: ChargeView, refund: RefundView, notifyUrl: string): Json {
  return {
    out_trade_no: outTradeNoOf(charge.id),
    out_refund_no: outRefundNoOf(refund.id),
    ...(refund.description ? { reason: truncateUtf8(refund.description, 80) } : {}),
    notify_url: notifyUrl,
    amount: { refund: refund.amount, total: charge.amount, currency: 'CNY' },
  };
}

/** A v3 refund object's state (`SUCCESS`, `PROCESSING`, `CLOSED`, `ABNORMAL`). */
export function readRefund(refund: Json): RefundResult {
  const status = str(refund.status) ?? str(refund.refund_status);
  const transaction_no = str(refund.refund_id);
  const base = transaction_no ? { transaction_no } : {};
  if (status === 'SUCCESS') return { ok: true, status: 'succeeded', ...base };
  if (status === 'PROCESSING') return { ok: true, status: 'pending', ...base };
  if (status === 'CLOSED' || status === 'ABNORMAL') return { ok: true, status: 'failed', ...base };
  return { ok: false, code: 'UNKNOWN_REFUND_STATUS', message: `WeChat Pay reports refund status ${String(status)}` };
}
