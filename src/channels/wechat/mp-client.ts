/**
 * Calls to the official-account API (`api.weixin.qq.com`, or the sandbox): the client-credential
 * `access_token`, the JS-SDK `jsapi_ticket`, and the web-OAuth code exchange. WeChat answers
 * errors as `{errcode, errmsg}` with HTTP 200; they become `channel_request_failed` errors that
 * name the code, except the ones a caller can act on, which are returned.
 */
import type { ChannelHttp } from '../contract.js';
import { fail } from '../../core/errors.js';
import { missing, type WechatSettings } from './options.js';
import { parseJson } from './transport-v3.js';
import type { Fetched } from './token-cache.js';

/** errcodes meaning "this access_token is no longer valid": refresh it and try again. */
export const STALE_TOKEN_ERRCODES: readonly number[] = [40001, 40014, 42001];

export class WechatApiError extends Error {
  constructor(readonly errcode: number, readonly errmsg: string, readonly call: string) {
    super(`${call} answered errcode ${errcode}: ${errmsg}`);
  }
}

async function getJson(http: ChannelHttp, url: string, call: string, secretFields: readonly string[]): Promise<Record<string, unknown>> {
  const response = await http.request({ method: 'GET', url, secretFields });
  const body = parseJson(response.body);
  if (response.status !== 200 || !body) fail('channel_request_failed', { message: `${call} answered HTTP ${response.status}: ${response.body.slice(0, 200)}` });
  if (typeof body.errcode === 'number' && body.errcode !== 0) throw new WechatApiError(body.errcode, String(body.errmsg ?? ''), call);
  return body;
}

function secretOf(settings: WechatSettings): string {
  return settings.appSecret ?? missing('app_secret', 'for the official-account API (OAuth, JS-SDK)');
}

export async function fetchAccessToken(http: ChannelHttp, settings: WechatSettings): Promise<Fetched> {
  const url = `${settings.mpGateway}/cgi-bin/token?grant_type=client_credential&appid=${encodeURIComponent(settings.appid)}&secret=${encodeURIComponent(secretOf(settings))}`;
  const body = await getJson(http, url, 'cgi-bin/token', ['secret']);
  if (typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') fail('channel_request_failed', { message: 'cgi-bin/token answered without access_token' });
  return { value: body.access_token, expiresIn: body.expires_in };
}

export async function fetchJsapiTicket(http: ChannelHttp, settings: WechatSettings, accessToken: string): Promise<Fetched> {
  const url = `${settings.mpGateway}/cgi-bin/ticket/getticket?access_token=${encodeURIComponent(accessToken)}&type=jsapi`;
  const body = await getJson(http, url, 'cgi-bin/ticket/getticket', ['access_token']);
  if (typeof body.ticket !== 'string' || typeof body.expires_in !== 'number') fail('channel_request_failed', { message: 'getticket answered without ticket' });
  return { value: body.ticket, expiresIn: body.expires_in };
}

/** The openid (under `settings.appid`) of the buyer who brought `code` back from OAuth. */
export async function exchangeOAuthCode(http: ChannelHttp, settings: WechatSettings, code: string): Promise<string> {
  const url = `${settings.mpGateway}/sns/oauth2/access_token?appid=${encodeURIComponent(settings.appid)}&secret=${encodeURIComponent(secretOf(settings))}&code=${encodeURIComponent(code)}&grant_type=authorization_code`;
  const body = await getJson(http, url, 'sns/oauth2/access_token', ['secret', 'code']);
  if (typeof body.openid !== 'string' || body.openid === '') fail('channel_request_failed', { message: 'sns/oauth2/access_token answered without openid' });
  return body.openid;
}

/** Where to send the buyer for silent (snsapi_base) web OAuth. */
export function oauthAuthorizeUrl(settings: WechatSettings, redirectUri: string, state: string, scope: 'snsapi_base' | 'snsapi_userinfo' = 'snsapi_base'): string {
  const query = `appid=${encodeURIComponent(settings.appid)}&redirect_uri=${encodeURIComponent(redirectUri)}&response_type=code&scope=${scope}&state=${encodeURIComponent(state)}`;
  return `${settings.oauthGateway}/connect/oauth2/authorize?${query}#wechat_redirect`;
}
