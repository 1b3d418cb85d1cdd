/**
 * The server-to-server Open Platform methods the sandbox implements: precreate, query,
 * close, refund and refund query. Each returns the body of `<method>_response`; the gateway
 * signs it. Business failures are `40004 Business Failed` with Alipay's `ACQ.*` sub codes.
 */
import { randomBytes } from 'node:crypto';
import { toMajorString, parseMajorString } from '../../core/money.js';
import { formatAlipayTime } from '../../channels/alipay/time.js';
import { METHODS } from '../../channels/alipay/protocol.js';
import type { AlipaySandbox } from './sandbox.js';
import type { SandboxMerchant } from './merchants.js';
import { callbackRefusal, close, refund, type SandboxTrade, type TradeRefusal } from './trade.js';
import { openApiTrade, sameOrder } from './trade-input.js';

export type MethodAnswer = Readonly<Record<string, string>>;
type Biz = Readonly<Record<string, unknown>>;
type Params = Readonly<Record<string, string>>;
type Method = (sandbox: AlipaySandbox, biz: Biz, params: Params, merchant: SandboxMerchant) => Promise<MethodAnswer>;

const yuan = (fen: number) => toMajorString(fen, 'cny');
const SUCCESS = { code: '10000', msg: 'Success' } as const;

function failed(refused: Pick<TradeRefusal, 'sub_code' | 'sub_msg'> & { code?: string }): MethodAnswer {
  const code = refused.code === '40002' ? '40002' : '40004';
  return { code, msg: code === '40002' ? 'Invalid Arguments' : 'Business Failed', sub_code: refused.sub_code, sub_msg: refused.sub_msg };
}

const NOT_FOUND = failed({ sub_code: 'ACQ.TRADE_NOT_EXIST', sub_msg: '交易不存在' });

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;
}

/** The merchant's trade named by `out_trade_no` or `trade_no`. */
async function findTrade(sandbox: AlipaySandbox, biz: Biz, merchant: SandboxMerchant): Promise<SandboxTrade | MethodAnswer> {
  const outTradeNo = str(biz.out_trade_no);
  const tradeNo = str(biz.trade_no);
  if (!outTradeNo && !tradeNo) return failed({ sub_code: 'ACQ.INVALID_PARAMETER', sub_msg: 'out_trade_no 和 trade_no 不能同时为空' });
  let trade = outTradeNo ? await sandbox.load(merchant.sellerId, outTradeNo) : await sandbox.trades.byTradeNo(tradeNo!);
  if (trade && tradeNo && trade.trade_no !== tradeNo) trade = undefined;
  if (!trade || trade.seller_id !== merchant.sellerId) return NOT_FOUND;
  return outTradeNo ? trade : (await sandbox.load(trade.seller_id, trade.out_trade_no)) ?? trade;
}

const precreate: Method = async (sandbox, biz, params, merchant) => {
  const incoming = openApiTrade(METHODS.precreate, biz, params, merchant, 'precreate', sandbox.now());
  if ('refused' in incoming) return failed(incoming);
  if (!sandbox.callbackAllowed(incoming.notify_url)) return failed(callbackRefusal('openapi'));
  const existing = await sandbox.load(merchant.sellerId, incoming.out_trade_no);
  if (existing) {
    if (!sameOrder(existing, incoming)) return failed({ sub_code: 'ACQ.CONTEXT_INCONSISTENT', sub_msg: '交易信息被篡改' });
    if (existing.status === 'TRADE_CLOSED') return failed({ sub_code: 'ACQ.TRADE_HAS_CLOSE', sub_msg: '交易已经关闭' });
    if (existing.status !== 'WAIT_BUYER_PAY') return failed({ sub_code: 'ACQ.TRADE_HAS_SUCCESS', sub_msg: '交易已被支付' });
    return { ...SUCCESS, out_trade_no: existing.out_trade_no, qr_code: existing.qr_code ?? '' };
  }
  const code = `bax0${randomBytes(12).toString('hex')}`;
  const trade: SandboxTrade = { ...incoming, qr_code: sandbox.qrUrl(code) };
  await sandbox.trades.insert(trade, code);
  return { ...SUCCESS, out_trade_no: trade.out_trade_no, qr_code: trade.qr_code! };
};

const query: Method = async (sandbox, biz, _params, merchant) => {
  const t = await findTrade(sandbox, biz, merchant);
  if (!isTrade(t)) return t;
  const paid = t.paid_at !== undefined;
  return dropUndefined({
    ...SUCCESS,
    trade_no: t.trade_no,
    out_trade_no: t.out_trade_no,
    trade_status: t.status,
    total_amount: yuan(t.total),
    buyer_logon_id: t.buyer?.logon_id,
    buyer_user_id: t.buyer?.id,
    buyer_pay_amount: paid ? yuan(t.total) : '0.00',
    invoice_amount: paid ? yuan(t.total) : '0.00',
    receipt_amount: paid ? yuan(t.total) : '0.00',
    point_amount: '0.00',
    send_pay_date: paid ? formatAlipayTime(t.paid_at!) : undefined,
  });
};

const closeMethod: Method = async (sandbox, biz, _params, merchant) => {
  const found = await findTrade(sandbox, biz, merchant);
  if (!isTrade(found)) return found;
  const change = await sandbox.change(found, (t) => close(t, sandbox.now()));
  if (change.refused) return failed(change);
  return { ...SUCCESS, trade_no: change.trade.trade_no, out_trade_no: change.trade.out_trade_no };
};

const refundMethod: Method = async (sandbox, biz, _params, merchant) => {
  const found = await findTrade(sandbox, biz, merchant);
  if (!isTrade(found)) return found;
  const amountText = str(biz.refund_amount);
  const amount = amountText === undefined ? undefined : parseMajorString(amountText, 'cny');
  if (amount === undefined) return failed({ sub_code: 'ACQ.INVALID_PARAMETER', sub_msg: 'refund_amount 必填，最多两位小数' });
  // Without out_request_no the refund is identified by out_trade_no (a single full refund).
  const outRequestNo = str(biz.out_request_no) ?? found.out_trade_no;
  let fundChange: boolean | undefined;
  const change = await sandbox.change(found, (t) => {
    const result = refund(t, outRequestNo, amount, str(biz.refund_reason) ?? '', sandbox.now());
    fundChange = result.refused ? undefined : result.fundChange;
    return result;
  });
  if (change.refused) return failed(change);
  const t = change.trade;
  const made = t.refunds.find((r) => r.out_request_no === outRequestNo);
  return dropUndefined({
    ...SUCCESS,
    trade_no: t.trade_no,
    out_trade_no: t.out_trade_no,
    buyer_logon_id: t.buyer?.logon_id,
    buyer_user_id: t.buyer?.id,
    fund_change: fundChange ? 'Y' : 'N',
    refund_fee: yuan(t.refunded),
    gmt_refund_pay: made ? formatAlipayTime(made.at) : undefined,
    send_back_fee: made ? yuan(made.amount) : undefined,
  });
};

const refundQuery: Method = async (sandbox, biz, _params, merchant) => {
  const found = await findTrade(sandbox, biz, merchant);
  if (!isTrade(found)) return found;
  const outRequestNo = str(biz.out_request_no);
  if (!outRequestNo) return failed({ sub_code: 'ACQ.INVALID_PARAMETER', sub_msg: 'out_request_no 必填' });
  const made = found.refunds.find((r) => r.out_request_no === outRequestNo);
  const base = { ...SUCCESS, trade_no: found.trade_no, out_trade_no: found.out_trade_no, out_request_no: outRequestNo };
  // No such refund: Alipay answers success with no refund_status (the refund did not happen).
  if (!made) return base;
  return { ...base, total_amount: yuan(found.total), refund_amount: yuan(made.amount), refund_status: 'REFUND_SUCCESS', gmt_refund_pay: formatAlipayTime(made.at) };
};

function isTrade(value: SandboxTrade | MethodAnswer): value is SandboxTrade {
  return typeof (value as SandboxTrade).seller_id === 'string' && Array.isArray((value as SandboxTrade).refunds);
}

function dropUndefined(record: Record<string, string | undefined>): MethodAnswer {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) if (value !== undefined) out[key] = value;
  return out;
}

export const OPEN_API_METHODS: Readonly<Record<string, Method>> = {
  [METHODS.precreate]: precreate,
  [METHODS.query]: query,
  [METHODS.close]: closeMethod,
  [METHODS.refund]: refundMethod,
  [METHODS.refundQuery]: refundQuery,
};
