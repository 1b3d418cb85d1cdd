/**
 * Pure translation of what Alipay says (notify and return params, Open Platform response
 * bodies, mapi trade records) into the channel contract's results. Signature checks happen
 * before (sign.ts, response.ts); merchant checks (app_id, seller) in notify.ts.
 */
import type { ChannelChargeState, ChannelDecline, NotifyEvent, RefundResult } from '../contract.js';
import { parseMajorString } from '../../core/money.js';
import { parseAlipayTime } from './time.js';
import { ALIPAY_CURRENCY, ESCROW_MARKER, RESULT_CODES, isTradeStatus, type TradeStatus } from './protocol.js';

export type Params = Readonly<Record<string, string | undefined>>;

/** Yuan text → fen, strictly; undefined for anything malformed. */
export function fen(text: string | undefined): number | undefined {
  return text === undefined ? undefined : parseMajorString(text, ALIPAY_CURRENCY);
}

/** The order amount a notify or return reports: `total_amount` (Open Platform) or `total_fee` (mapi). */
export function orderAmountOf(params: Params): number | undefined {
  return fen(params.total_amount ?? params.total_fee);
}

/** Whether these params describe a trade paygate made as escrow (担保交易). */
export function isEscrowTrade(params: Params): boolean {
  return params.extra_common_param === ESCROW_MARKER;
}

/**
 * What a verified notify or return says happened, or why it says nothing paygate acts on.
 * A refund notify keeps `trade_status` (TRADE_SUCCESS, or TRADE_CLOSED once fully refunded)
 * and adds `refund_fee` (cumulative) and `gmt_refund`; it must not read as "paid" or "closed".
 */
export function notifyEventOf(params: Params): { event: NotifyEvent } | { ignored: string } {
  const refunded = fen(params.refund_fee);
  if (params.gmt_refund !== undefined || (refunded !== undefined && refunded > 0)) {
    if (refunded === undefined) return { ignored: 'refund notify without a readable refund_fee' };
    return { event: { kind: 'refund', refund_reference: params.out_biz_no ?? '', amount: refunded, status: 'succeeded' } };
  }
  // The Open Platform return has no trade_status: Alipay sends the buyer back only once paid.
  if (params.trade_status === undefined && params.method?.endsWith('.return')) return { event: { kind: 'paid' } };
  // The mapi return says is_success=T alongside the trade status.
  if (params.is_success !== undefined && params.is_success !== 'T') return { ignored: `is_success=${params.is_success}` };
  const status = params.trade_status;
  if (!isTradeStatus(status)) return { ignored: `unknown trade_status ${String(status)}` };
  return { event: eventOfStatus(status, isEscrowTrade(params)) };
}

function eventOfStatus(status: TradeStatus, escrow: boolean): NotifyEvent {
  switch (status) {
    case 'WAIT_BUYER_PAY': return { kind: 'pending' };
    case 'TRADE_SUCCESS': return { kind: 'paid' };
    case 'TRADE_FINISHED': return { kind: escrow ? 'confirmed' : 'paid' };
    case 'TRADE_CLOSED': return { kind: 'closed' };
    case 'WAIT_SELLER_SEND_GOODS': return { kind: 'secured_paid' };
    case 'WAIT_BUYER_CONFIRM_GOODS': return { kind: 'shipped' };
  }
}

/** Provider facts worth keeping for webhooks (seed 000's `data`, the console). */
export function notifyFacts(params: Params): Record<string, string> {
  const facts: Record<string, string> = {};
  const pick: Array<[string, string | undefined]> = [
    ['trade_no', params.trade_no],
    ['trade_status', params.trade_status],
    ['buyer_id', params.buyer_id],
    ['buyer_email', params.buyer_email ?? params.buyer_logon_id],
    ['seller_id', params.seller_id],
    ['seller_email', params.seller_email],
    ['notify_type', params.notify_type],
    ['fund_bill_list', params.fund_bill_list],
  ];
  for (const [key, value] of pick) if (value) facts[key] = value;
  return facts;
}

export function paidAtOf(params: Params): number | undefined {
  return parseAlipayTime(params.gmt_payment) ?? (params.method?.endsWith('.return') ? parseAlipayTime(params.timestamp) : undefined);
}

/** A response body that is not `10000` as a decline: `sub_code` (ACQ.…) is the useful code. */
export function declineOf(body: Readonly<Record<string, unknown>>): ChannelDecline {
  const code = String(body.sub_code ?? body.code ?? 'unknown');
  const message = String(body.sub_msg ?? body.msg ?? 'Alipay refused the request');
  return { ok: false, code, message };
}

export function isSuccess(body: Readonly<Record<string, unknown>>): boolean {
  return body.code === RESULT_CODES.success;
}

export function isTradeNotFound(body: Readonly<Record<string, unknown>>): boolean {
  return body.code === RESULT_CODES.businessFailed && (body.sub_code === 'ACQ.TRADE_NOT_EXIST' || body.sub_code === 'TRADE_NOT_EXIST');
}

/** alipay.trade.query's body (or a mapi trade record) → the contract's charge state. */
export function chargeStateOf(body: Readonly<Record<string, unknown>>, escrow: boolean): ChannelChargeState {
  if (isTradeNotFound(body)) return { ok: true, status: 'not_found' };
  if (!isSuccess(body)) return declineOf(body);
  const status = body.trade_status;
  if (!isTradeStatus(status)) return { ok: false, code: 'unexpected_response', message: `trade_status ${String(status)} is not one Alipay documents` };
  const amount = fen(str(body.total_amount) ?? str(body.total_fee));
  const transactionNo = str(body.trade_no);
  const paidAt = parseAlipayTime(str(body.send_pay_date) ?? str(body.gmt_payment));
  const facts: Record<string, string> = {};
  for (const key of ['trade_no', 'buyer_user_id', 'buyer_logon_id', 'buyer_email', 'trade_status']) {
    const value = str(body[key]);
    if (value) facts[key] = value;
  }
  return {
    ok: true,
    status: stateOfStatus(status, escrow),
    ...(amount !== undefined ? { amount } : {}),
    ...(transactionNo ? { transaction_no: transactionNo } : {}),
    ...(paidAt !== undefined ? { paid_at: paidAt } : {}),
    facts,
  };
}

function stateOfStatus(status: TradeStatus, escrow: boolean): 'pending' | 'paid' | 'secured_paid' | 'shipped' | 'succeeded' | 'closed' {
  switch (status) {
    case 'WAIT_BUYER_PAY': return 'pending';
    case 'TRADE_SUCCESS': return 'paid';
    case 'TRADE_FINISHED': return escrow ? 'succeeded' : 'paid';
    case 'TRADE_CLOSED': return 'closed';
    case 'WAIT_SELLER_SEND_GOODS': return 'secured_paid';
    case 'WAIT_BUYER_CONFIRM_GOODS': return 'shipped';
  }
}

/**
 * alipay.trade.refund's body. `fund_change: N` means this request moved no money: either a
 * repeat of a refund already made (success) or nothing happened; the caller settles it with a
 * refund query, so it is reported here as pending.
 */
export function refundResultOf(body: Readonly<Record<string, unknown>>): RefundResult {
  if (!isSuccess(body)) return declineOf(body);
  const transactionNo = str(body.trade_no);
  const status = body.fund_change === 'Y' ? 'succeeded' : 'pending';
  return { ok: true, status, ...(transactionNo ? { transaction_no: transactionNo } : {}) };
}

/**
 * alipay.trade.fastpay.refund.query's body. Alipay answers `10000` with no `refund_status` for
 * a refund that did not happen; `REFUND_SUCCESS` with the expected amount is success.
 */
export function refundQueryResultOf(body: Readonly<Record<string, unknown>>, expectedAmount: number): RefundResult {
  if (!isSuccess(body)) return isTradeNotFound(body) ? { ok: true, status: 'failed' } : declineOf(body);
  const transactionNo = str(body.trade_no);
  const extra = transactionNo ? { transaction_no: transactionNo } : {};
  if (body.refund_status !== 'REFUND_SUCCESS') return { ok: true, status: 'failed', ...extra };
  const amount = fen(str(body.refund_amount));
  if (amount !== expectedAmount) {
    return { ok: false, code: 'refund_amount_mismatch', message: `Alipay reports a refund of ${String(body.refund_amount)} yuan for this out_request_no, not ${expectedAmount} fen` };
  }
  return { ok: true, status: 'succeeded', ...extra };
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
