/**
 * A v3 call: send it signed, and accept a 2xx answer only when its `Wechatpay-*` signature
 * verifies with the platform key. Error answers (`{code, message}`) become declines; they move
 * no money, so they are not required to be signed.
 */
import type { ChannelContext, ChannelDecline } from '../contract.js';
import { fail } from '../../core/errors.js';
import { unixSeconds } from '../../core/clock.js';
import type { WechatSettings } from './options.js';
import { verifyV3Response } from './sign-v3.js';
import { platformKeyFor } from './platform-certs.js';
import { parseJson, v3Send } from './transport-v3.js';

export type V3CallResult =
  | { readonly ok: true; readonly status: number; readonly json: Readonly<Record<string, unknown>> | undefined }
  | (ChannelDecline & { readonly status: number });

export async function v3Call(
  ctx: ChannelContext,
  settings: WechatSettings,
  method: 'GET' | 'POST',
  path: string,
  body?: Readonly<Record<string, unknown>>,
): Promise<V3CallResult> {
  const response = await v3Send(ctx, settings, method, path, body);
  if (response.status < 200 || response.status >= 300) {
    const error = parseJson(response.body);
    const code = typeof error?.code === 'string' ? error.code : `HTTP_${response.status}`;
    const message = typeof error?.message === 'string' ? error.message : `WeChat Pay answered HTTP ${response.status}`;
    return { ok: false, status: response.status, code, message };
  }
  const serial = response.headers['wechatpay-serial'];
  const platform = await platformKeyFor(ctx, settings, serial);
  const verified = verifyV3Response({ headers: response.headers, body: response.body, publicKey: platform.key, serial: platform.serial, nowSeconds: unixSeconds(ctx.clock.now()) });
  if (!verified.ok) fail('channel_request_failed', { message: `WeChat Pay's answer to ${method} ${path.split('?')[0]} did not verify: ${verified.reason}` });
  if (response.body === '') return { ok: true, status: response.status, json: undefined };
  const json = parseJson(response.body);
  if (!json) fail('channel_request_failed', { message: `WeChat Pay's answer to ${method} ${path.split('?')[0]} is not a JSON object.` });
  return { ok: true, status: response.status, json };
}
