/**
 * A sandbox trade (one merchant order at "WeChat Pay") and the pure rules that move it: pay,
 * fail, close, refund, settle a refund. Each rule returns the new trade or a WeChat error code,
 * never both; the sandbox saves and notifies.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { toV2Time } from '../../channels/wechat/time.js';
import type { V2SignType } from '../../channels/wechat/sign-v2.js';

export type SandboxTradeState = 'NOTPAY' | 'SUCCESS' | 'REFUND' | 'CLOSED' | 'PAYERROR';
export type SandboxTradeType = 'JSAPI' | 'NATIVE' | 'MWEB';
export type ApiVersion = 'v2' | 'v3';

export interface SandboxRefund {
  readonly out_refund_no: string;
  readonly refund_id: string;
  readonly amount: number;
  readonly status: 'PROCESSING' | 'SUCCESS' | 'CLOSED';
  readonly reason?: string;
  readonly notify_url?: string;
  readonly version: ApiVersion;
  readonly sign_type?: V2SignType;
  readonly created_at: number;
  readonly success_at?: number;
}

export interface SandboxTrade {
  readonly version: ApiVersion;
  readonly appid: string;
  readonly mchid: string;
  readonly out_trade_no: string;
  readonly trade_type: SandboxTradeType;
  readonly description: string;
  readonly total: number;
  readonly notify_url: string;
  readonly openid?: string;
  readonly product_id?: string;
  readonly client_ip: string;
  readonly attach?: string;
  /** v2: the sign type the order was placed with; its notifies are signed the same way. */
  readonly sign_type?: V2SignType;
  readonly time_expire: number;
  readonly prepay_id: string;
  /** NATIVE: the token in `code_url`. */
  readonly code_token?: string;
  readonly state: SandboxTradeState;
  readonly transaction_id?: string;
  readonly paid_at?: number;
  readonly payer_openid?: string;
  readonly refunds: readonly SandboxRefund[];
  /** Hash of what the order was placed with: a repeat with other parameters is OUT_TRADE_NO_USED. */
  readonly fingerprint: string;
  /** Which configured merchant (its `source`) placed it: its keys sign the notifies. */
  readonly merchant?: string;
  readonly created_at: number;
}

/** prepay_id stays usable for two hours (protocol-facts §C). */
export const PREPAY_TTL_MS = 2 * 3600 * 1000;

const digits = (n: number) => Array.from({ length: n }, () => randomInt(10)).join('');

export function newPrepayId(now: number): string {
  return `wx${toV2Time(now)}${randomBytes(10).toString('hex')}`;
}

export function newTransactionId(now: number): string {
  return `4200${digits(6)}${toV2Time(now).slice(0, 8)}${digits(10)}`;
}

export function newRefundId(now: number): string {
  return `5030${toV2Time(now).slice(0, 8)}${digits(17)}`;
}

export function newCodeToken(): string {
  return randomBytes(9).toString('base64url');
}

export function fingerprintOf(parts: Readonly<Record<string, unknown>>): string {
  return createHash('sha256').update(JSON.stringify(Object.entries(parts).sort(([a], [b]) => (a < b ? -1 : 1)))).digest('hex');
}

export type Refused = { readonly error: string; readonly message: string };
export type RuleResult = { readonly trade: SandboxTrade } | Refused;

export function isRefused(result: RuleResult): result is Refused {
  return 'error' in result;
}

export function refundedAmount(trade: SandboxTrade): number {
  return trade.refunds.filter((r) => r.status !== 'CLOSED').reduce((sum, r) => sum + r.amount, 0);
}

/** Why a buyer cannot pay this trade now, or undefined if they can. */
export function payRefusal(trade: SandboxTrade, now: number): Refused | undefined {
  if (trade.state === 'SUCCESS' || trade.state === 'REFUND') return { error: 'ORDERPAID', message: '该订单已支付' };
  if (trade.state === 'CLOSED') return { error: 'ORDERCLOSED', message: '订单已关闭' };
  if (now > trade.time_expire) return { error: 'ORDER_EXPIRED', message: '订单已过期，请重新下单' };
  if (now - trade.created_at > PREPAY_TTL_MS) return { error: 'PREPAY_EXPIRED', message: 'prepay_id 已失效（2 小时）' };
  return undefined;
}

export function pay(trade: SandboxTrade, now: number, payerOpenid: string): RuleResult {
  const refused = payRefusal(trade, now);
  if (refused) return refused;
  return { trade: { ...trade, state: 'SUCCESS', transaction_id: newTransactionId(now), paid_at: now, payer_openid: payerOpenid } };
}

/** The buyer's payment failed (interactive "Fail"): the order stays payable, as at WeChat. */
export function failPayment(trade: SandboxTrade, now: number): RuleResult {
  const refused = payRefusal(trade, now);
  if (refused) return refused;
  return { trade: { ...trade, state: 'PAYERROR' } };
}

export function close(trade: SandboxTrade): RuleResult {
  if (trade.state === 'SUCCESS' || trade.state === 'REFUND') return { error: 'ORDERPAID', message: '订单已支付，不能发起关单' };
  if (trade.state === 'CLOSED') return { trade };
  return { trade: { ...trade, state: 'CLOSED' } };
}

export interface RefundRequest {
  readonly out_refund_no: string;
  readonly amount: number;
  readonly total: number;
  readonly reason?: string;
  readonly notify_url?: string;
  readonly version: ApiVersion;
  readonly sign_type?: V2SignType;
}

/** Applies for a refund; a repeat of the same `out_refund_no` and amount returns the existing one. */
export function applyRefund(trade: SandboxTrade, request: RefundRequest, now: number): RuleResult & { refund?: SandboxRefund } {
  const existing = trade.refunds.find((r) => r.out_refund_no === request.out_refund_no);
  if (existing) {
    return existing.amount === request.amount ? { trade, refund: existing } : { error: 'INVALID_REQUEST', message: '同一 out_refund_no 的退款金额与之前请求不一致' };
  }
  if (trade.state !== 'SUCCESS' && trade.state !== 'REFUND') return { error: 'TRADE_STATE_ERROR', message: '订单状态错误：订单未支付或已关闭' };
  if (request.total !== trade.total) return { error: 'INVALID_REQUEST', message: '订单金额与原订单不一致' };
  if (!Number.isSafeInteger(request.amount) || request.amount < 1) return { error: 'PARAM_ERROR', message: '退款金额必须为正整数（分）' };
  if (refundedAmount(trade) + request.amount > trade.total) return { error: 'INVALID_REQUEST', message: '退款金额大于订单可退金额' };
  if (trade.refunds.length >= 50) return { error: 'INVALID_REQUEST', message: '一笔订单最多退款 50 次' };
  const refund: SandboxRefund = {
    out_refund_no: request.out_refund_no,
    refund_id: newRefundId(now),
    amount: request.amount,
    status: 'PROCESSING',
    reason: request.reason,
    notify_url: request.notify_url,
    version: request.version,
    sign_type: request.sign_type,
    created_at: now,
  };
  return { trade: { ...trade, refunds: [...trade.refunds, refund] }, refund };
}

/** Settles processing refunds that are due; returns the trade and the refunds that just succeeded. */
export function settleRefunds(trade: SandboxTrade, now: number, delayMs: number): { trade: SandboxTrade; settled: SandboxRefund[] } {
  const settled: SandboxRefund[] = [];
  const refunds = trade.refunds.map((refund) => {
    if (refund.status !== 'PROCESSING' || now - refund.created_at < delayMs) return refund;
    const done: SandboxRefund = { ...refund, status: 'SUCCESS', success_at: now };
    settled.push(done);
    return done;
  });
  if (settled.length === 0) return { trade, settled };
  return { trade: { ...trade, refunds, state: 'REFUND' }, settled };
}
