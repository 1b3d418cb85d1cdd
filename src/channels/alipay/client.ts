/**
 * The Alipay transport: signed Open Platform calls (common params in the query, `biz_content`
 * in a form body, as alipay-sdk sends them) with byte-exact response verification, signed
 * pay URLs, and legacy mapi calls with MD5 and XML replies. Everything goes through
 * `ctx.http`, which the engine logs with secrets masked.
 */
import type { KeyObject } from 'node:crypto';
import type { ChannelContext } from '../contract.js';
import { PaygateError } from '../../core/errors.js';
import { md5Sign, signRequest } from './sign.js';
import { readResponse, verifyResponse } from './response.js';
import { openApiParams, type BizContent } from './transformers.js';
import type { MapiSettings, OpenApiSettings } from './options.js';
import { parseMapiReply, verifyMapiReply, type MapiReply } from './mapi-xml.js';
import { alipayPublicKeyFor } from './sandbox-key.js';

/** Params alipay-sdk puts in the URL; the rest (biz_content) goes in the body. */
const URL_PARAMS = new Set(['app_id', 'method', 'format', 'charset', 'sign_type', 'sign', 'timestamp', 'version', 'notify_url', 'return_url', 'app_auth_token']);

export interface OpenApiCall {
  readonly method: string;
  readonly bizContent: BizContent;
  readonly notifyUrl?: string;
  readonly returnUrl?: string;
}

/** Signed params of an Open Platform request. */
export function signedOpenApiParams(ctx: ChannelContext, settings: OpenApiSettings, call: OpenApiCall): Record<string, string> {
  const params = openApiParams({ appId: settings.appId, method: call.method, signType: settings.signType, nowMs: ctx.clock.now(), bizContent: call.bizContent, notifyUrl: call.notifyUrl, returnUrl: call.returnUrl });
  return signRequest(params, settings.privateKey, settings.signType);
}

/** A GET URL carrying signed params: what a page flow redirects the buyer to. */
export function gatewayUrl(gateway: string, params: Readonly<Record<string, string>>): string {
  const query = Object.entries(params).map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return `${gateway}${gateway.includes('?') ? '&' : '?'}${query}`;
}

/**
 * Calls an Open Platform method and returns its verified response body. A response that is not
 * Alipay's, or whose signature does not verify, is a thrown `channel_request_failed`; a business
 * failure (`40004 …`) comes back as a body for the caller to read as a decline.
 */
export async function execOpenApi(ctx: ChannelContext, settings: OpenApiSettings, call: OpenApiCall): Promise<Readonly<Record<string, unknown>>> {
  const signed = signedOpenApiParams(ctx, settings, call);
  const query: Record<string, string> = {};
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(signed)) {
    if (URL_PARAMS.has(key)) query[key] = value;
    else body.append(key, value);
  }
  const response = await ctx.http.request({
    method: 'POST',
    url: gatewayUrl(settings.gateway, query),
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=utf-8', accept: 'application/json' },
    body: body.toString(),
    secretFields: ['sign'],
  });
  if (response.status !== 200) throw failed(`${call.method} answered HTTP ${response.status}`);
  const envelope = readResponse(response.body, call.method);
  if (!envelope) throw failed(`${call.method} answered something that is not an Alipay response`);
  if (envelope.sign === undefined) {
    // Alipay leaves some gateway errors unsigned; such an answer may refuse, never confirm.
    if (envelope.body.code === '10000') throw failed(`${call.method} answered an unsigned success; refusing it`);
    return envelope.body;
  }
  const verified = await verifyWithAlipayKey(ctx, settings, (key) => verifyResponse(envelope, key, settings.signType));
  if (!verified) throw failed(`${call.method}'s response signature does not verify with the Alipay public key; check options.alipay_public_key`);
  return envelope.body;
}

/**
 * Runs a verification with the configured Alipay public key, or in test mode with the
 * sandbox's (fetched once, re-fetched once if it no longer verifies: the sandbox may have
 * been restarted with new keys).
 */
export async function verifyWithAlipayKey(ctx: ChannelContext, settings: OpenApiSettings, verify: (key: KeyObject) => boolean): Promise<boolean> {
  if (settings.alipayPublicKey) return verify(settings.alipayPublicKey);
  if (ctx.channel.livemode) return false;
  if (verify(await alipayPublicKeyFor(ctx, settings.gateway, false))) return true;
  return verify(await alipayPublicKeyFor(ctx, settings.gateway, true));
}

/** Signs mapi params (MD5 over all but sign and sign_type). */
export function signedMapiParams(settings: MapiSettings, params: Readonly<Record<string, string>>): Record<string, string> {
  return { ...params, sign: md5Sign(params, settings.key), sign_type: 'MD5' };
}

/** Calls a mapi service that answers XML; a successful reply must carry a valid MD5 signature. */
export async function execMapi(ctx: ChannelContext, settings: MapiSettings, params: Readonly<Record<string, string>>): Promise<MapiReply> {
  const response = await ctx.http.request({ method: 'GET', url: gatewayUrl(settings.gateway, signedMapiParams(settings, params)), secretFields: ['sign'] });
  if (response.status !== 200) throw failed(`${params.service} answered HTTP ${response.status}`);
  const reply = parseMapiReply(response.body);
  if (!reply) throw failed(`${params.service} answered something that is not a mapi XML reply`);
  if (reply.isSuccess && reply.record && !verifyMapiReply(reply, settings.key)) {
    throw failed(`${params.service}'s reply signature does not verify with options.key`);
  }
  return reply;
}

function failed(message: string): PaygateError {
  return new PaygateError('channel_request_failed', { message: `Alipay: ${message}.` });
}
