/**
 * Checks both API versions apply when an order is placed, and the placing itself: the notify
 * URL (absolute http(s), no query, as WeChat demands), the openid (it must belong to the order's
 * official account — the reason pay-on-behalf needs the pay-OAuth), the expiry (more than one
 * minute away), and a repeated `out_trade_no` (same parameters: same prepay_id; others:
 * OUT_TRADE_NO_USED; paid: ORDERPAID; closed: ORDERCLOSED).
 */
import type { WechatSandbox } from './sandbox.js';
import { fingerprintOf, newCodeToken, newPrepayId, type Refused, type SandboxTrade } from './trade.js';
import type { SandboxMerchant } from './merchants.js';

export const MIN_EXPIRY_MS = 60_000;

export function notifyUrlProblem(url: string | undefined): string | undefined {
  if (!url) return 'notify_url不能为空';
  if (url.length > 256) return 'notify_url长度不能超过256';
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'notify_url必须以http或https开头';
    if (parsed.search !== '') return 'notify_url不能携带参数';
  } catch {
    return 'notify_url格式错误';
  }
  return undefined;
}

export async function openidProblem(sandbox: WechatSandbox, appid: string, openid: string | undefined): Promise<string | undefined> {
  if (!openid) return 'JSAPI支付必须传openid';
  if (!(await sandbox.users.isKnownOpenid(appid, openid))) return 'appid和openid不匹配';
  return undefined;
}

export function expiryProblem(timeExpire: number | undefined, now: number): string | undefined {
  if (timeExpire === undefined) return undefined;
  if (timeExpire - now <= MIN_EXPIRY_MS) return 'time_expire时间过短，至少1分钟';
  return undefined;
}

/** What an order is placed with: the trade's own fields as the merchant sent them. */
export type PlaceOrder = Pick<SandboxTrade,
  'version' | 'out_trade_no' | 'trade_type' | 'description' | 'total' | 'notify_url'
  | 'openid' | 'product_id' | 'client_ip' | 'attach' | 'sign_type'> & {
  readonly merchant: SandboxMerchant;
  /** Unix ms; default two hours (WeChat's default order lifetime for prepay). */
  readonly time_expire?: number;
};

/** Places an order, or returns the existing one for an identical repeat, or refuses. */
export async function placeOrder(sandbox: WechatSandbox, order: PlaceOrder): Promise<SandboxTrade | Refused> {
  const now = sandbox.now();
  const fingerprint = fingerprintOf({
    trade_type: order.trade_type, description: order.description, total: order.total, notify_url: order.notify_url,
    openid: order.openid, product_id: order.product_id, version: order.version,
  });
  return sandbox.trades.withLock(order.merchant.mchId, order.out_trade_no, async () => {
    const existing = await sandbox.trades.get(order.merchant.mchId, order.out_trade_no);
    if (existing) {
      if (existing.state === 'SUCCESS' || existing.state === 'REFUND') return { error: 'ORDERPAID', message: '该订单已支付' };
      if (existing.state === 'CLOSED') return { error: 'ORDERCLOSED', message: '该订单已关闭' };
      if (existing.fingerprint !== fingerprint || existing.appid !== order.merchant.appid) return { error: 'OUT_TRADE_NO_USED', message: '商户订单号重复' };
      return existing;
    }
    const trade: SandboxTrade = {
      version: order.version, appid: order.merchant.appid, mchid: order.merchant.mchId, out_trade_no: order.out_trade_no,
      trade_type: order.trade_type, description: order.description, total: order.total, notify_url: order.notify_url,
      ...(order.openid ? { openid: order.openid } : {}), ...(order.product_id ? { product_id: order.product_id } : {}),
      client_ip: order.client_ip, ...(order.attach ? { attach: order.attach } : {}), ...(order.sign_type ? { sign_type: order.sign_type } : {}),
      time_expire: order.time_expire ?? now + 2 * 3600_000, prepay_id: newPrepayId(now),
      ...(order.trade_type === 'NATIVE' ? { code_token: newCodeToken() } : {}),
      state: 'NOTPAY', refunds: [], fingerprint, merchant: order.merchant.source, created_at: now,
    };
    await sandbox.trades.save(trade);
    return trade;
  });
}

/** NATIVE's `code_url`: a sandbox page that pays on GET, like scanning the real one. */
export function codeUrlOf(sandbox: WechatSandbox, trade: SandboxTrade): string | undefined {
  return trade.code_token ? `${sandbox.baseUrl()}/bizpayurl?pr=${trade.code_token}` : undefined;
}

/** H5's URL (v2 `mweb_url`, v3 `h5_url`): a sandbox page that pays on GET, then follows `redirect_url`. */
export function h5UrlOf(sandbox: WechatSandbox, trade: SandboxTrade): string {
  return `${sandbox.baseUrl()}/checkmweb?prepay_id=${trade.prepay_id}&package=${trade.created_at % 10_000_000_000}`;
}
