/**
 * Reading a new trade from a request, with the checks Alipay makes: Open Platform
 * `biz_content` (page.pay, wap.pay, precreate) and legacy mapi params (direct pay, escrow).
 * Returns the trade to create or a refusal with Alipay's code.
 */
import { parseMajorString } from '../../core/money.js';
import { parseAlipayTime } from '../../channels/alipay/time.js';
import { PRODUCT_CODES } from '../../channels/alipay/protocol.js';
import type { SandboxMerchant } from './merchants.js';
import { newTradeNo, refusal, type SandboxTrade, type TradeProduct, type TradeRefusal } from './trade.js';

const MAX_TOTAL_FEN = 10_000_000_000;
const DEFAULT_WINDOW_MS = 15 * 24 * 3_600_000;
const OUT_TRADE_NO = /^[0-9A-Za-z_\-.]{1,64}$/;

type Biz = Readonly<Record<string, unknown>>;
type Params = Readonly<Record<string, string>>;

function text(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function amountOf(value: unknown): number | undefined {
  const raw = text(value);
  const fen = raw === undefined ? undefined : parseMajorString(raw, 'cny');
  return fen !== undefined && fen >= 1 && fen <= MAX_TOTAL_FEN ? fen : undefined;
}

/** `90m`, `2h`, `1d`, `1c` (until the end of today, Beijing time) → ms from now. */
export function windowOf(value: string, nowMs: number): number | undefined {
  const m = /^(\d{1,5})([mhdc])$/.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  if (m[2] === 'c') {
    const beijing = nowMs + 8 * 3_600_000;
    return 86_400_000 - (beijing % 86_400_000);
  }
  const ms = n * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'm' | 'h' | 'd'];
  return ms >= 60_000 && ms <= DEFAULT_WINDOW_MS ? ms : undefined;
}

function isHttpUrl(value: string | undefined): boolean {
  if (value === undefined) return true;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** A trade from an Open Platform page.pay / wap.pay / precreate request. */
export function openApiTrade(method: string, biz: Biz, params: Params, merchant: SandboxMerchant, product: TradeProduct, nowMs: number): SandboxTrade | TradeRefusal {
  const outTradeNo = text(biz.out_trade_no);
  if (!outTradeNo || !OUT_TRADE_NO.test(outTradeNo)) return refusal('ACQ.INVALID_PARAMETER', 'out_trade_no 必填，64 个字符以内的字母、数字、下划线', '40004');
  const total = amountOf(biz.total_amount);
  if (total === undefined) return refusal('ACQ.INVALID_PARAMETER', 'total_amount 必须是 0.01 到 100000000 之间、最多两位小数的金额', '40004');
  const subject = text(biz.subject);
  if (!subject || [...subject].length > 256) return refusal('ACQ.INVALID_PARAMETER', 'subject 必填，256 个字符以内', '40004');
  const expected = (PRODUCT_CODES as Readonly<Record<string, string>>)[method];
  const productCode = text(biz.product_code);
  if (product !== 'precreate' && productCode !== expected) return refusal('ACQ.INVALID_PARAMETER', `product_code 应为 ${expected}`, '40004');
  const sellerId = text(biz.seller_id);
  if (sellerId && sellerId !== merchant.sellerId) return refusal('ACQ.SELLER_NOT_EXIST', 'seller_id 与应用签约的卖家不一致', '40004');
  const expiry = expiryOf(text(biz.time_expire), text(biz.timeout_express), nowMs);
  if (typeof expiry === 'object') return expiry;
  if (!isHttpUrl(params.notify_url) || !isHttpUrl(params.return_url)) return refusal('isv.invalid-notify-url', 'notify_url / return_url 必须是 http(s) 地址', '40002');
  const passback = text(biz.passback_params);
  return {
    seller_id: merchant.sellerId,
    out_trade_no: outTradeNo,
    trade_no: newTradeNo(nowMs),
    protocol: 'openapi',
    product,
    created_by: method,
    ...(merchant.appId ? { app_id: merchant.appId } : {}),
    ...(merchant.sellerEmail ? { seller_email: merchant.sellerEmail } : {}),
    sign_type: params.sign_type ?? 'RSA2',
    subject,
    ...(text(biz.body) ? { body: text(biz.body) } : {}),
    total,
    ...(params.notify_url ? { notify_url: params.notify_url } : {}),
    ...(params.return_url && product !== 'precreate' ? { return_url: params.return_url } : {}),
    ...(passback ? { passback_params: passback } : {}),
    time_expire: expiry,
    status: 'WAIT_BUYER_PAY',
    created_at: nowMs,
    refunds: [],
    refunded: 0,
  };
}

function expiryOf(timeExpire: string | undefined, timeoutExpress: string | undefined, nowMs: number): number | TradeRefusal {
  if (timeExpire !== undefined) {
    const at = parseAlipayTime(timeExpire);
    if (at === undefined) return refusal('ACQ.INVALID_PARAMETER', 'time_expire 格式应为 yyyy-MM-dd HH:mm:ss', '40004');
    if (at <= nowMs) return refusal('ACQ.TRADE_HAS_CLOSE', '交易已过期', '40004');
    return at;
  }
  if (timeoutExpress !== undefined) {
    const window = windowOf(timeoutExpress, nowMs);
    if (window === undefined) return refusal('ACQ.INVALID_PARAMETER', 'timeout_express 取值范围 1m～15d', '40004');
    return nowMs + window;
  }
  return nowMs + DEFAULT_WINDOW_MS;
}

/** A trade from a mapi create_direct_pay_by_user / wap / create_partner_trade_by_buyer request. */
export function mapiTrade(service: string, params: Params, merchant: SandboxMerchant, product: TradeProduct, nowMs: number): SandboxTrade | TradeRefusal {
  const bad = (field: string) => refusal('ILLEGAL_ARGUMENT', `参数 ${field} 不正确`, 'F');
  const outTradeNo = params.out_trade_no;
  if (!outTradeNo || !OUT_TRADE_NO.test(outTradeNo)) return bad('out_trade_no');
  if (!params.subject || [...params.subject].length > 256) return bad('subject');
  if (params.payment_type !== '1') return refusal('ILLEGAL_PAYMENT_TYPE', 'payment_type 必须为 1', 'F');
  const sellerId = params.seller_id ?? params.seller_user_id;
  const sellerEmail = params.seller_email ?? params.seller_account_name;
  if (!sellerId && !sellerEmail) return bad('seller_id');
  if ((sellerId && sellerId !== merchant.sellerId) || (sellerEmail && merchant.sellerEmail && sellerEmail !== merchant.sellerEmail)) {
    return refusal('SELLER_NOT_EXIST', '卖家不存在或与合作者身份不符', 'F');
  }
  let total: number | undefined;
  let logistics: SandboxTrade['logistics'];
  const price = amountOf(params.price);
  const quantity = params.quantity && /^[1-9]\d{0,5}$/.test(params.quantity) ? Number(params.quantity) : undefined;
  if (product === 'escrow') {
    if (price === undefined || quantity === undefined) return bad('price/quantity');
    const fee = params.logistics_fee === undefined ? undefined : parseMajorString(params.logistics_fee, 'cny');
    if (!params.logistics_type || fee === undefined || !params.logistics_payment) return bad('logistics_type/logistics_fee/logistics_payment');
    total = price * quantity + (params.logistics_payment === 'BUYER_PAY' ? fee : 0);
    logistics = { type: params.logistics_type, fee: params.logistics_fee!, payment: params.logistics_payment };
  } else {
    total = params.total_fee !== undefined ? amountOf(params.total_fee) : price !== undefined && quantity !== undefined ? price * quantity : undefined;
  }
  if (total === undefined || total > MAX_TOTAL_FEN) return bad('total_fee');
  let window = DEFAULT_WINDOW_MS;
  if (params.it_b_pay !== undefined) {
    const parsed = windowOf(params.it_b_pay, nowMs);
    if (parsed === undefined) return bad('it_b_pay');
    window = parsed;
  }
  if (!isHttpUrl(params.notify_url) || !isHttpUrl(params.return_url)) return bad('notify_url/return_url');
  return {
    seller_id: merchant.sellerId,
    out_trade_no: outTradeNo,
    trade_no: newTradeNo(nowMs),
    protocol: 'mapi',
    product,
    created_by: service,
    ...(merchant.partner ? { partner: merchant.partner } : {}),
    ...(sellerEmail ?? merchant.sellerEmail ? { seller_email: sellerEmail ?? merchant.sellerEmail } : {}),
    sign_type: 'MD5',
    subject: params.subject,
    ...(params.body ? { body: params.body } : {}),
    total,
    ...(params.notify_url ? { notify_url: params.notify_url } : {}),
    ...(params.return_url ? { return_url: params.return_url } : {}),
    ...(params.extra_common_param ? { extra_common_param: params.extra_common_param } : {}),
    ...(logistics ? { logistics } : {}),
    time_expire: nowMs + window,
    status: 'WAIT_BUYER_PAY',
    created_at: nowMs,
    refunds: [],
    refunded: 0,
  };
}

/** A repeated pay request for an existing out_trade_no must describe the same order. */
export function sameOrder(existing: SandboxTrade, incoming: SandboxTrade): boolean {
  return existing.total === incoming.total && existing.subject === incoming.subject && existing.product === incoming.product;
}
