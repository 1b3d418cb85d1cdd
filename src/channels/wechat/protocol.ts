/**
 * Fixed facts of WeChat Pay's wire protocol: hosts, paths, and how paygate's channel codes map
 * onto WeChat's trade types (PRODUCT.md §1, protocol-facts §C–D).
 */

/** The merchant API (v2 and v3). */
export const LIVE_PAY_GATEWAY = 'https://api.mch.weixin.qq.com';
/** The official-account API: access_token, jsapi_ticket, OAuth code exchange. */
export const LIVE_MP_GATEWAY = 'https://api.weixin.qq.com';
/** Where the buyer's browser is sent for OAuth. */
export const LIVE_OAUTH_GATEWAY = 'https://open.weixin.qq.com';

/** Where paygate serves its embedded WeChat sandbox, under its public base URL. */
export const SANDBOX_PATH = '/sandbox/wechat';

export const WECHAT_CODES = ['wx_pub', 'wx_lite', 'wx_pub_qr', 'wx_wap'] as const;
export type WechatCode = (typeof WECHAT_CODES)[number];

export type V2TradeType = 'JSAPI' | 'NATIVE' | 'MWEB';
export type V3Product = 'jsapi' | 'native' | 'h5';

export interface CodeSpec {
  readonly v2: V2TradeType;
  readonly v3: V3Product;
  /** `extra.open_id` is required: JSAPI pays as a known buyer. */
  readonly needsOpenId: boolean;
}

export const CODE_SPECS: Readonly<Record<WechatCode, CodeSpec>> = {
  wx_pub: { v2: 'JSAPI', v3: 'jsapi', needsOpenId: true },
  wx_lite: { v2: 'JSAPI', v3: 'jsapi', needsOpenId: true },
  wx_pub_qr: { v2: 'NATIVE', v3: 'native', needsOpenId: false },
  wx_wap: { v2: 'MWEB', v3: 'h5', needsOpenId: false },
};

export function isWechatCode(code: string): code is WechatCode {
  return (WECHAT_CODES as readonly string[]).includes(code);
}

/** v3 calls the H5 trade type `MWEB` in queries and notifies, as v2 does. */
export const V3_TRADE_TYPE: Readonly<Record<V3Product, string>> = { jsapi: 'JSAPI', native: 'NATIVE', h5: 'MWEB' };

export const V2_PATHS = {
  unifiedOrder: '/pay/unifiedorder',
  orderQuery: '/pay/orderquery',
  closeOrder: '/pay/closeorder',
  refund: '/secapi/pay/refund',
  refundQuery: '/pay/refundquery',
} as const;

export const V3_PATHS = {
  transactions: (product: V3Product) => `/v3/pay/transactions/${product}`,
  queryByOutTradeNo: (outTradeNo: string, mchid: string) => `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}?mchid=${encodeURIComponent(mchid)}`,
  close: (outTradeNo: string) => `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}/close`,
  refunds: '/v3/refund/domestic/refunds',
  refundQuery: (outRefundNo: string) => `/v3/refund/domestic/refunds/${encodeURIComponent(outRefundNo)}`,
  certificates: '/v3/certificates',
} as const;

/** WeChat's order states (v2 `trade_state`, v3 `trade_state`) as paygate reads them. */
export type TradeState = 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR';

export function chargeStatusOfTradeState(state: string): 'paid' | 'pending' | 'closed' | undefined {
  switch (state) {
    case 'SUCCESS':
    case 'REFUND':
      return 'paid';
    // PAYERROR: a failed bank payment leaves the order payable until it expires.
    case 'NOTPAY':
    case 'USERPAYING':
    case 'PAYERROR':
      return 'pending';
    case 'CLOSED':
    case 'REVOKED':
      return 'closed';
    default:
      return undefined;
  }
}

/** Cuts text to at most `maxBytes` UTF-8 bytes without splitting a character (WeChat counts bytes). */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= maxBytes) return text;
  let out = '';
  let used = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (used + size > maxBytes) break;
    out += char;
    used += size;
  }
  return out;
}
