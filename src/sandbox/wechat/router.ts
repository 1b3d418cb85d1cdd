/**
 * Which handler answers which sandbox path. Paths are WeChat's own (`/pay/unifiedorder`,
 * `/v3/pay/transactions/jsapi`, `/connect/oauth2/authorize`, `/cgi-bin/token` …), so pointing a
 * client's gateway at the sandbox root is all a merchant changes.
 */
import { json, type SandboxReply, type SandboxRequest } from './http-types.js';
import { bridgeScript, jsapiPay, jsapiTestPage } from './jsapi-bridge.js';
import { cgiTicket, cgiToken, oauthAccessToken, oauthAuthorize } from './mp-api.js';
import { h5Page, indexPage, openidTool, scanPage } from './pay-pages.js';
import type { WechatSandbox } from './sandbox.js';
import { handleV2, V2_ROUTES } from './v2-api.js';
import { handleV3, isV3Path } from './v3-api.js';

type Handler = (sandbox: WechatSandbox, request: SandboxRequest) => Promise<SandboxReply> | SandboxReply;

const GET: Readonly<Record<string, Handler>> = {
  '/': (sandbox) => indexPage(sandbox),
  '/connect/oauth2/authorize': oauthAuthorize,
  '/sns/oauth2/access_token': oauthAccessToken,
  '/cgi-bin/token': cgiToken,
  '/cgi-bin/ticket/getticket': cgiTicket,
  '/jsbridge.js': (sandbox) => bridgeScript(sandbox),
  '/jsapi': jsapiTestPage,
  '/bizpayurl': scanPage,
  '/checkmweb': h5Page,
  '/users/openid': openidTool,
};

const POST: Readonly<Record<string, Handler>> = {
  '/jsapi/pay': jsapiPay,
  '/bizpayurl': scanPage,
  '/checkmweb': h5Page,
};

export async function routeSandbox(sandbox: WechatSandbox, request: SandboxRequest): Promise<SandboxReply> {
  if ((V2_ROUTES as readonly string[]).includes(request.path)) return handleV2(sandbox, request);
  if (isV3Path(request.path)) return handleV3(sandbox, request);
  const handler = (request.method === 'POST' ? POST : request.method === 'GET' || request.method === 'HEAD' ? GET : {})[request.path];
  if (!handler) return json({ errcode: 404, errmsg: `the WeChat Pay sandbox has no ${request.method} ${request.path}` }, 404);
  return handler(sandbox, request);
}
