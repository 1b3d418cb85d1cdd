/**
 * The JS-SDK sign package (seed 001's `getSignPackage`): `{appId, timestamp, nonceStr, signature}`
 * for `wx.config`, signed over the official account's cached `jsapi_ticket`. Tokens and tickets
 * are cached per gateway and appid until shortly before they expire, one refresh at a time; a
 * ticket call refused for a stale token (another process refreshed it) refreshes once and retries.
 */
import type { ChannelHttp } from '../contract.js';
import { unixSeconds } from '../../core/clock.js';
import { jssdkSignature } from './jssdk-sign.js';
import { fetchAccessToken, fetchJsapiTicket, STALE_TOKEN_ERRCODES, WechatApiError } from './mp-client.js';
import { newNonce } from './nonce.js';
import type { WechatSettings } from './options.js';
import { TokenCache } from './token-cache.js';

export interface JssdkConfig {
  readonly appId: string;
  readonly timestamp: number;
  readonly nonceStr: string;
  readonly signature: string;
}

/** One cache per process: tokens are per official account, not per request. */
export const sharedTokenCache = new TokenCache();

export async function jsapiTicketFor(http: ChannelHttp, settings: WechatSettings, cache: TokenCache = sharedTokenCache): Promise<string> {
  const scope = `${settings.mpGateway}|${settings.appid}`;
  const tokenKey = `token:${scope}`;
  for (let attempt = 0; ; attempt++) {
    const token = await cache.get(tokenKey, () => fetchAccessToken(http, settings));
    try {
      return await cache.get(`ticket:${scope}`, () => fetchJsapiTicket(http, settings, token));
    } catch (error) {
      if (attempt > 0 || !(error instanceof WechatApiError) || !STALE_TOKEN_ERRCODES.includes(error.errcode)) throw error;
      cache.invalidate(tokenKey, token);
    }
  }
}

export async function jssdkConfig(http: ChannelHttp, settings: WechatSettings, pageUrl: string, nowMs: number, cache: TokenCache = sharedTokenCache): Promise<JssdkConfig> {
  const ticket = await jsapiTicketFor(http, settings, cache);
  const timestamp = unixSeconds(nowMs);
  const nonceStr = newNonce(16);
  return { appId: settings.appid, timestamp, nonceStr, signature: jssdkSignature({ jsapi_ticket: ticket, noncestr: nonceStr, timestamp, url: pageUrl }) };
}
