/**
 * The v3 transport: each call signed with the merchant key
 * (`Authorization: WECHATPAY2-SHA256-RSA2048 mchid=…,nonce_str=…,signature=…,timestamp=…,serial_no=…`),
 * JSON in and out, through the channel's logged `ctx.http`.
 */
import type { ChannelContext } from '../contract.js';
import { unixSeconds } from '../../core/clock.js';
import { newNonce } from './nonce.js';
import type { WechatSettings } from './options.js';
import { missing } from './options.js';
import { signV3Request } from './sign-v3.js';

export interface V3Credentials {
  readonly mchId: string;
  readonly serialNo: string;
  readonly privateKey: NonNullable<WechatSettings['privateKey']>;
}

export function requireV3(settings: WechatSettings): V3Credentials {
  return {
    mchId: settings.mchId,
    serialNo: settings.serialNo ?? missing('serial_no', 'for WeChat Pay API v3'),
    privateKey: settings.privateKey ?? missing('private_key', 'for WeChat Pay API v3'),
  };
}

/** Sends one signed v3 request and returns the raw answer (callers verify it). */
export async function v3Send(
  ctx: ChannelContext,
  settings: WechatSettings,
  method: 'GET' | 'POST',
  path: string,
  body?: Readonly<Record<string, unknown>>,
): Promise<{ status: number; headers: Readonly<Record<string, string>>; body: string }> {
  const credentials = requireV3(settings);
  const text = body === undefined ? '' : JSON.stringify(body);
  const url = `${settings.gateway}${path}`;
  // WeChat signs the request target as sent (path and query after the host), so a gateway with
  // a base path (paygate's embedded sandbox) signs that base path too.
  const target = new URL(url);
  const authorization = signV3Request({
    method, url: `${target.pathname}${target.search}`, body: text, mchid: credentials.mchId, serialNo: credentials.serialNo,
    privateKey: credentials.privateKey, timestamp: unixSeconds(ctx.clock.now()), nonce: newNonce(),
  });
  return ctx.http.request({
    method,
    url,
    headers: {
      authorization,
      accept: 'application/json',
      'user-agent': 'paygate (wechatpay-apiv3)',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: text }),
    secretFields: ['authorization'],
  });
}

export function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
