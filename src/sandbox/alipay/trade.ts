/**
 * A sandbox trade and its rules, pure: what Alipay allows on a trade in each status, with the
 * error codes it answers. Amounts are fen; times unix ms. The sandbox persists trades as JSON
 * (trade-store.ts) and sends the notifies these transitions ask for (messages.ts).
 */
import { randomInt } from 'node:crypto';
import type { TradeStatus } from '../../channels/alipay/protocol.js';
import { formatAlipayTime } from '../../channels/alipay/time.js';

export type TradeProduct = 'page' | 'wap' | 'precreate' | 'direct' | 'wap_direct' | 'escrow';

export interface SandboxRefund {
  readonly out_request_no: string;
  readonly amount: number;
  readonly reason: string;
  readonly at: number;
}

export interface SandboxTrade {
  /** Trades are keyed by the seller (PID), so Open Platform and mapi see the same trades. */
  readonly seller_id: string;
  readonly out_trade_no: string;
  readonly trade_no: string;
  readonly protocol: 'openapi' | 'mapi';
  readonly product: TradeProduct;
  /** The service or method that created it, echoed in returns (`exterface`, `method`). */
  readonly created_by: string;
  readonly app_id?: string;
  readonly partner?: string;
  readonly seller_email?: string;
  /** RSA2, RSA or MD5: notifies are signed the way the trade was requested. */
  readonly sign_type: string;
  readonly subject: string;
  readonly body?: string;
  readonly total: number;
  readonly notify_url?: string;
  readonly return_url?: string;
  readonly passback_params?: string;
  readonly extra_common_param?: string;
  readonly logistics?: { readonly type: string; readonly fee: string; readonly payment: string };
  readonly qr_code?: string;
  readonly time_expire?: number;
  readonly status: TradeStatus;
  readonly created_at: number;
  readonly paid_at?: number;
  readonly shipped_at?: number;
  readonly finished_at?: number;
  readonly closed_at?: number;
  readonly buyer?: { readonly id: string; readonly logon_id: string; readonly email: string };
  readonly shipment?: { readonly logistics_name: string; readonly invoice_no: string; readonly transport_type: string };
  readonly refunds: readonly SandboxRefund[];
  readonly refunded: number;
}

/** What Alipay answers when it refuses: `code`, `sub_code` and words. */
export interface TradeRefusal {
  readonly refused: true;
  readonly code: string;
  readonly sub_code: string;
  readonly sub_msg: string;
}

/** Which notify a transition sends. */
export type NotifyKind = 'paid' | 'closed' | 'refund' | 'shipped' | 'finished';

export type TradeChange = { readonly refused: false; readonly trade: SandboxTrade; readonly notify?: NotifyKind } | TradeRefusal;

export function refusal(sub_code: string, sub_msg: string, code = '40004'): TradeRefusal {
  return { refused: true, code, sub_code, sub_msg };
}

/** Alipay-looking trade numbers: Beijing date, `2200`, 16 digits. */
export function newTradeNo(nowMs: number): string {
  return `${formatAlipayTime(nowMs).slice(0, 10).replaceAll('-', '')}2200${digits(16)}`;
}

export function digits(count: number): string {
  let out = '';
  for (let i = 0; i < count; i += 1) out += String(randomInt(10));
  return out;
}

/** A pending trade past its expiry is closed by Alipay on its own (with a TRADE_CLOSED notify). */
export function expireIfDue(trade: SandboxTrade, nowMs: number): TradeChange | undefined {
  if (trade.status !== 'WAIT_BUYER_PAY' || trade.time_expire === undefined || nowMs < trade.time_expire) return undefined;
  return { refused: false, trade: { ...trade, status: 'TRADE_CLOSED', closed_at: nowMs }, notify: 'closed' };
}

export function pay(trade: SandboxTrade, nowMs: number): TradeChange {
  if (trade.status === 'TRADE_CLOSED') return refusal('ACQ.TRADE_HAS_CLOSE', '交易已经关闭');
  if (trade.status !== 'WAIT_BUYER_PAY') return refusal('ACQ.TRADE_HAS_SUCCESS', '交易已被支付');
  const buyerDigits = digits(12);
  const next: SandboxTrade = {
    ...trade,
    status: trade.product === 'escrow' ? 'WAIT_SELLER_SEND_GOODS' : 'TRADE_SUCCESS',
    paid_at: nowMs,
    buyer: { id: `2088${buyerDigits}`, logon_id: `buy***@sandbox.paygate`, email: `buyer${buyerDigits.slice(-4)}@sandbox.paygate` },
  };
  return { refused: false, trade: next, notify: 'paid' };
}

/** The buyer gave up (interactive cashier "Fail"): the trade closes as on timeout. */
export function abandon(trade: SandboxTrade, nowMs: number): TradeChange {
  if (trade.status !== 'WAIT_BUYER_PAY') return refusal('ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
  return { refused: false, trade: { ...trade, status: 'TRADE_CLOSED', closed_at: nowMs }, notify: 'closed' };
}

/** alipay.trade.close / close_trade: only an unpaid trade closes. */
export function close(trade: SandboxTrade, nowMs: number): TradeChange {
  if (trade.status === 'TRADE_CLOSED') return { refused: false, trade };
  if (trade.status !== 'WAIT_BUYER_PAY') return refusal('ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
  return { refused: false, trade: { ...trade, status: 'TRADE_CLOSED', closed_at: nowMs }, notify: 'closed' };
}

/**
 * alipay.trade.refund: cumulative, at most the total, idempotent per `out_request_no` (the
 * same request again moves no money and answers `fund_change: N`; another amount under the
 * same number is refused). A full refund closes the trade.
 */
export function refund(trade: SandboxTrade, outRequestNo: string, amount: number, reason: string, nowMs: number): TradeChange & { fundChange?: boolean } {
  const previous = trade.refunds.find((r) => r.out_request_no === outRequestNo);
  if (previous) {
    if (previous.amount !== amount) return refusal('ACQ.REQUEST_AMOUNT_EXCEED', '同一退款请求号的退款金额与原请求不一致');
    return { refused: false, trade, fundChange: false };
  }
  if (trade.status !== 'TRADE_SUCCESS') return refusal('ACQ.TRADE_STATUS_ERROR', trade.status === 'TRADE_CLOSED' ? '交易已关闭，不能退款' : '交易状态不允许退款');
  if (amount <= 0) return refusal('ACQ.INVALID_PARAMETER', 'refund_amount 必须大于 0');
  if (trade.refunded + amount > trade.total) return refusal('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额超限');
  const refunded = trade.refunded + amount;
  const next: SandboxTrade = {
    ...trade,
    refunds: [...trade.refunds, { out_request_no: outRequestNo, amount, reason, at: nowMs }],
    refunded,
    ...(refunded === trade.total ? { status: 'TRADE_CLOSED' as const, closed_at: nowMs } : {}),
  };
  return { refused: false, trade: next, notify: 'refund', fundChange: true };
}

/** send_goods_confirm_by_platform: the seller shipped an escrow trade. */
export function ship(trade: SandboxTrade, shipment: NonNullable<SandboxTrade['shipment']>, nowMs: number): TradeChange {
  if (trade.product !== 'escrow') return refusal('TRADE_NOT_ALLOWED', 'not an escrow trade');
  if (trade.status !== 'WAIT_SELLER_SEND_GOODS') return refusal('TRADE_STATUS_NOT_AVAILD', `the trade is ${trade.status}`);
  return { refused: false, trade: { ...trade, status: 'WAIT_BUYER_CONFIRM_GOODS', shipped_at: nowMs, shipment }, notify: 'shipped' };
}

/** The escrow buyer confirms receipt: the money goes to the seller. */
export function confirm(trade: SandboxTrade, nowMs: number): TradeChange {
  if (trade.product !== 'escrow') return refusal('TRADE_NOT_ALLOWED', 'not an escrow trade');
  if (trade.status !== 'WAIT_BUYER_CONFIRM_GOODS') return refusal('TRADE_STATUS_NOT_AVAILD', `the trade is ${trade.status}; the buyer confirms after shipping`);
  return { refused: false, trade: { ...trade, status: 'TRADE_FINISHED', finished_at: nowMs }, notify: 'finished' };
}

/** The refusal for a notify_url or return_url the sandbox will not call. */
export function callbackRefusal(protocol: SandboxTrade['protocol']): TradeRefusal {
  return protocol === 'openapi'
    ? refusal('isv.invalid-notify-url', 'notify_url / return_url 不在沙箱允许回调的地址内（嵌入模式只回调 paygate 自身，或 PAYGATE_SANDBOX_CALLBACK_HOSTS 中的主机）', '40002')
    : refusal('ILLEGAL_ARGUMENT', 'notify_url / return_url 不在沙箱允许回调的地址内', 'F');
}
