/**
 * The official-account side of the sandbox: web OAuth (`/connect/oauth2/authorize` → code →
 * `/sns/oauth2/access_token` → openid) and the JS-SDK's `/cgi-bin/token` and
 * `/cgi-bin/ticket/getticket`, with WeChat's error codes (40013 invalid appid, 40125 invalid
 * appsecret, 40029 invalid code, 40163 code been used, 40001 invalid credential, 42001 expired).
 * The browser's sandbox user is a cookie (or `sandbox_user=` for scripted tests), so one browser
 * gets the same openid from one official account every time, and different ones from two.
 */
import { randomBytes } from 'node:crypto';
import { escapeHtml, html, json, redirect, type SandboxReply, type SandboxRequest } from './http-types.js';
import { merchantsByAppId } from './merchants.js';
import type { WechatSandbox } from './sandbox.js';

export const USER_COOKIE = 'wxsandbox_user';
const USER_ID = /^[0-9A-Za-z_-]{1,64}$/;

/** The sandbox user behind a browser: `sandbox_user=` wins, then the cookie, else a new one. */
export function sandboxUser(request: SandboxRequest): { user: string; setCookie?: string } {
  const chosen = request.query.sandbox_user;
  const cookie = request.cookies[USER_COOKIE];
  const user = chosen && USER_ID.test(chosen) ? chosen : cookie && USER_ID.test(cookie) ? cookie : `u${randomBytes(8).toString('hex')}`;
  return user === cookie ? { user } : { user, setCookie: `${USER_COOKIE}=${user}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly` };
}

const wechatError = (errcode: number, errmsg: string) => json({ errcode, errmsg });

async function appSecretOk(sandbox: WechatSandbox, appid: string | undefined, secret: string | undefined): Promise<SandboxReply | undefined> {
  if (!appid) return wechatError(41002, 'appid missing');
  const accounts = await merchantsByAppId(sandbox.merchants, appid);
  if (accounts.length === 0) return wechatError(40013, 'invalid appid');
  if (!secret) return wechatError(41004, 'appsecret missing');
  if (!accounts.some((a) => a.appSecret === secret)) return wechatError(40125, 'invalid appsecret');
  return undefined;
}

export async function oauthAuthorize(sandbox: WechatSandbox, request: SandboxRequest): Promise<SandboxReply> {
  const { appid, redirect_uri: redirectUri, response_type: responseType, scope, state } = request.query;
  const page = (message: string) => html(`<!doctype html><meta charset="utf-8"><title>微信授权</title><h1>Oops! Something went wrong:(</h1><p>${escapeHtml(message)}</p>`, 400);
  if (!appid || (await merchantsByAppId(sandbox.merchants, appid)).length === 0) return page('appid 参数错误 (10002): the sandbox knows no official account with this appid.');
  if (responseType !== 'code') return page('response_type 参数错误 (10004): it must be "code".');
  if (scope !== 'snsapi_base' && scope !== 'snsapi_userinfo') return page('scope 参数错误或没有 scope 权限 (10005).');
  let target: URL;
  try {
    target = new URL(redirectUri ?? '');
    if (target.protocol !== 'http:' && target.protocol !== 'https:') throw new Error('not http');
  } catch {
    return page('redirect_uri 参数错误 (10003).');
  }
  if (state !== undefined && Buffer.byteLength(state, 'utf8') > 128) return page('state 参数过长 (最长 128 字节).');
  const { user, setCookie } = sandboxUser(request);
  target.searchParams.set('code', await sandbox.users.issueCode(appid, user, scope));
  target.searchParams.set('state', state ?? '');
  return redirect(target.toString(), setCookie ? { 'set-cookie': setCookie } : {});
}

export async function oauthAccessToken(sandbox: WechatSandbox, request: SandboxRequest): Promise<SandboxReply> {
  const { appid, secret, code, grant_type: grantType } = request.query;
  const refused = await appSecretOk(sandbox, appid, secret);
  if (refused) return refused;
  if (grantType !== 'authorization_code') return wechatError(40002, 'invalid grant_type');
  if (!code) return wechatError(41008, 'missing code');
  const exchanged = await sandbox.users.exchangeCode(appid!, code);
  if (!exchanged.ok) return wechatError(exchanged.errcode, exchanged.errmsg);
  return json({ access_token: randomBytes(48).toString('base64url'), expires_in: 7200, refresh_token: randomBytes(48).toString('base64url'), openid: exchanged.openid, scope: exchanged.scope });
}

export async function cgiToken(sandbox: WechatSandbox, request: SandboxRequest): Promise<SandboxReply> {
  const { appid, secret, grant_type: grantType } = request.query;
  if (grantType !== 'client_credential') return wechatError(40002, 'invalid grant_type');
  const refused = await appSecretOk(sandbox, appid, secret);
  if (refused) return refused;
  const issued = await sandbox.users.issueAccessToken(appid!);
  return json({ access_token: issued.token, expires_in: issued.expires_in });
}

export async function cgiTicket(sandbox: WechatSandbox, request: SandboxRequest): Promise<SandboxReply> {
  const { access_token: token, type } = request.query;
  if (!token) return wechatError(41001, 'access_token missing');
  const owner = await sandbox.users.tokenOwner(token);
  if (owner === undefined) return wechatError(40001, 'invalid credential, access_token is invalid or not latest');
  if (owner === 'expired') return wechatError(42001, 'access_token expired');
  if (type !== 'jsapi') return wechatError(40097, 'invalid args: type must be jsapi');
  const ticket = await sandbox.users.jsapiTicket(owner);
  return json({ errcode: 0, errmsg: 'ok', ticket: ticket.ticket, expires_in: ticket.expires_in });
}
