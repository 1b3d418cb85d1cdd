/**
 * Seed 000's `channel` (ALIPAY | WECHAT | TEST) and `source` (pc | mobile | weixin) → paygate's
 * channel code. One table, so the Alipay and WeChat engineers extend it in one place.
 * `null` source means "any source" for that channel.
 */
import { fail } from '../../core/errors.js';

export interface CapiChannelRoute {
  readonly channel: string;
  readonly source: string | null;
  readonly code: string;
  /** paygate's hosted page for codes whose credential holds no URL (JSAPI parameters). */
  readonly page?: string;
}

export const CAPI_CHANNEL_MAP: readonly CapiChannelRoute[] = [
  { channel: 'TEST', source: null, code: 'test' },
  { channel: 'ALIPAY', source: 'pc', code: 'alipay_pc_direct' },
  { channel: 'ALIPAY', source: 'mobile', code: 'alipay_wap' },
  { channel: 'WECHAT', source: 'weixin', code: 'wx_pub', page: '/pay/wechat/jsapi/:id' },
  { channel: 'WECHAT', source: 'pc', code: 'wx_pub_qr' },
  { channel: 'WECHAT', source: 'mobile', code: 'wx_wap' },
];

/** Seed 000's default source when the request has none. */
export const CAPI_DEFAULT_SOURCE = 'pc';

/** The channel code for a seed-000 channel and source; 400 naming the parameter otherwise. */
export function capiChannelCode(channel: string, source: string | undefined): string {
  const name = channel.toUpperCase();
  const from = (source ?? CAPI_DEFAULT_SOURCE).toLowerCase();
  const routes = CAPI_CHANNEL_MAP.filter((r) => r.channel === name);
  if (routes.length === 0) {
    const names = [...new Set(CAPI_CHANNEL_MAP.map((r) => r.channel))].join(', ');
    fail('channel_code_unknown', { param: 'channel', message: `Unknown channel "${channel}"; use one of ${names}.` });
  }
  const route = routes.find((r) => r.source === from) ?? routes.find((r) => r.source === null);
  if (!route) {
    fail('parameter_invalid', { param: 'source', message: `${name} is not available from source "${from}"; use one of ${routes.map((r) => r.source).join(', ')}.` });
  }
  return route.code;
}

/** Seed 000's channel name for a paygate channel code (for answers), or the code itself. */
export function capiChannelName(code: string): string {
  return CAPI_CHANNEL_MAP.find((r) => r.code === code)?.channel ?? code.toUpperCase();
}

/** Keys of a credential that hold a URL the buyer opens (or, for a QR, its content). */
const PAY_URL_KEYS = ['pay_url', 'url', 'mweb_url', 'h5_url', 'code_url', 'qr_code'] as const;

/**
 * The buyer's pay URL in a charge's credential for `code`, else paygate's hosted page for the
 * code (WeChat JSAPI opens a page inside WeChat that invokes the payment), or undefined.
 */
export function payUrlOf(credential: Readonly<Record<string, unknown>>, code: string, hosted?: { base: string; id: string }): string | undefined {
  const entry = credential[code];
  if (!entry || typeof entry !== 'object') return undefined;
  const fields = entry as Record<string, unknown>;
  for (const key of PAY_URL_KEYS) if (typeof fields[key] === 'string' && fields[key]) return fields[key] as string;
  const page = CAPI_CHANNEL_MAP.find((r) => r.code === code)?.page;
  return page && hosted ? `${hosted.base}${page.replace(':id', hosted.id)}` : undefined;
}
