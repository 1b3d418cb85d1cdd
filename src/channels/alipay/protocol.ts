/**
 * Names and constants of Alipay's two protocols, shared by the channel and the sandbox.
 * Open Platform (`method=alipay.trade.*`, RSA2) and legacy mapi (`service=…`, MD5) both live at
 * a `gateway.do`; the sandbox serves both at one URL and tells them apart by `method`/`service`.
 */

export const ALIPAY_CODES = ['alipay_pc_direct', 'alipay_wap', 'alipay_qr', 'alipay_direct', 'alipay_escrow'] as const;
export type AlipayCode = (typeof ALIPAY_CODES)[number];

export const OPEN_API_GATEWAY = 'https://openapi.alipay.com/gateway.do';
export const MAPI_GATEWAY = 'https://mapi.alipay.com/gateway.do';

/** Open Platform methods paygate calls. */
export const METHODS = {
  pagePay: 'alipay.trade.page.pay',
  wapPay: 'alipay.trade.wap.pay',
  precreate: 'alipay.trade.precreate',
  query: 'alipay.trade.query',
  close: 'alipay.trade.close',
  refund: 'alipay.trade.refund',
  refundQuery: 'alipay.trade.fastpay.refund.query',
} as const;

export const PRODUCT_CODES = {
  [METHODS.pagePay]: 'FAST_INSTANT_TRADE_PAY',
  [METHODS.wapPay]: 'QUICK_WAP_WAY',
  [METHODS.precreate]: 'FACE_TO_FACE_PAYMENT',
} as const;

/** Legacy mapi services paygate calls. */
export const SERVICES = {
  directPay: 'create_direct_pay_by_user',
  wapDirectPay: 'alipay.wap.create.direct.pay.by.user',
  escrowPay: 'create_partner_trade_by_buyer',
  sendGoods: 'send_goods_confirm_by_platform',
  singleTradeQuery: 'single_trade_query',
  notifyVerify: 'notify_verify',
} as const;

export const TRADE_STATUSES = [
  'WAIT_BUYER_PAY',
  'TRADE_SUCCESS',
  'TRADE_FINISHED',
  'TRADE_CLOSED',
  'WAIT_SELLER_SEND_GOODS',
  'WAIT_BUYER_CONFIRM_GOODS',
] as const;
export type TradeStatus = (typeof TRADE_STATUSES)[number];

export function isTradeStatus(value: unknown): value is TradeStatus {
  return typeof value === 'string' && (TRADE_STATUSES as readonly string[]).includes(value);
}

/** Alipay's result codes (common response `code`). */
export const RESULT_CODES = {
  success: '10000',
  unknown: '20000',
  missingParam: '40001',
  invalidParam: '40002',
  businessFailed: '40004',
  noPermission: '40006',
} as const;

/** The one answer that stops Alipay's notify retries. */
export const NOTIFY_SUCCESS = 'success';
export const NOTIFY_FAILURE = 'fail';

/**
 * paygate marks its legacy trades with `extra_common_param` = the channel code; Alipay returns
 * it, signed, in every notify and return, so an escrow `TRADE_FINISHED` (buyer confirmed) is
 * told apart from a direct-pay `TRADE_FINISHED` (paid, not refundable).
 */
export const ESCROW_MARKER = 'alipay_escrow';

/** Alipay amounts are CNY yuan strings. */
export const ALIPAY_CURRENCY = 'cny';
