/**
 * The pay-OAuth for pay-on-behalf (seed 001 代支付): `GET /oauth/wechat/pay?channel=B&redirect=URL`.
 * Channel B (an official account without payment) pays through its delegate A, and A's merchant
 * can only charge A's openids; so the buyer goes through A's silent OAuth (snsapi_base), and
 * comes back to `URL` with `channelId=B&buyerId=<openid under A>`. A channel without a delegate
 * runs its own OAuth. `redirect` must be on a host the app allowed (`allowed_redirect_hosts`):
 * otherwise this would hand openids to anyone. A cookie binds the OAuth `state` to the browser.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { RoutePlugin } from './index.js';
import type { Paygate } from '../../engine/paygate.js';
import { fail, PaygateError } from '../../core/errors.js';
import { loggedChannelHttp } from '../../engine/channel-http.js';
import { findChannelRow } from '../../engine/channels.js';
import type { LogLine } from '../../engine/charge-log.js';
import { exchangeOAuthCode, oauthAuthorizeUrl, WechatApiError } from '../../channels/wechat/mp-client.js';
import { readSettings, type WechatSettings } from '../../channels/wechat/options.js';

interface Query { channel?: string; redirect?: string; code?: string; state?: string }

const STATE_COOKIE = 'paygate_wx_oauth';
const STATE_TTL_SECONDS = 600;
export const PAY_OAUTH_PATH = '/oauth/wechat/pay';

interface Resolved {
  readonly shownId: string;
  readonly appId: string;
  readonly payingId: string;
  readonly settings: WechatSettings;
  readonly redirect: URL;
}

async function resolve(paygate: Paygate, query: Query): Promise<Resolved> {
  if (!query.channel) fail('parameter_missing', { param: 'channel', message: 'channel is required: the id of the channel the buyer pays under (B).' });
  if (!query.redirect) fail('parameter_missing', { param: 'redirect', message: 'redirect is required: where to send the buyer back with channelId and buyerId.' });
  const shown = await findChannelRow(paygate.deps, null, query.channel);
  if (shown.type !== 'wechat') fail('parameter_invalid', { param: 'channel', message: `Channel ${shown.id} is not a WeChat channel.` });
  if (shown.enabled !== 1) fail('channel_disabled', { param: 'channel', message: `Channel ${shown.id} is disabled.` });
  let redirect: URL;
  try {
    redirect = new URL(query.redirect);
  } catch {
    fail('parameter_invalid', { param: 'redirect', message: 'redirect must be an absolute http(s) URL.' });
  }
  if (redirect.protocol !== 'http:' && redirect.protocol !== 'https:') fail('parameter_invalid', { param: 'redirect', message: 'redirect must be an absolute http(s) URL.' });
  const app = await paygate.apps.retrieve(shown.app_id);
  const allowed = app.allowed_redirect_hosts.map((h) => h.toLowerCase());
  if (!allowed.includes(redirect.host.toLowerCase()) && !allowed.includes(redirect.hostname.toLowerCase())) {
    fail('parameter_invalid', { param: 'redirect', message: `The app does not allow redirects to ${redirect.host}; add it to the app's allowed_redirect_hosts.` });
  }
  const payingId = shown.delegate_channel_id ?? shown.id;
  const config = (await paygate.channels.configs({ type: 'wechat', livemode: shown.livemode === 1 })).find((c) => c.id === payingId);
  if (!config) fail('resource_not_found', { param: 'channel', message: `The paying channel ${payingId} no longer exists.` });
  const settings = readSettings(config.options, config.livemode);
  if (!settings.appSecret) fail('channel_options_invalid', { param: 'options.app_secret', message: `Channel ${payingId} needs options.app_secret to run the pay-OAuth.` });
  return { shownId: shown.id, appId: shown.app_id, payingId, settings, redirect };
}

function stateCookie(request: FastifyRequest): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, value] = part.trim().split('=', 2);
    if (name === STATE_COOKIE) return value;
  }
  return undefined;
}

export const wechatPayOAuthRoutes: RoutePlugin = async (app, { paygate }) => {
  const hidden = { hide: true } as const;

  app.get<{ Querystring: Query }>(PAY_OAUTH_PATH, { schema: hidden }, async (request, reply) => {
    const resolved = await resolve(paygate, request.query);
    const state = randomBytes(12).toString('hex');
    const callback = `${paygate.publicUrl}${PAY_OAUTH_PATH}/callback?channel=${encodeURIComponent(resolved.shownId)}&redirect=${encodeURIComponent(resolved.redirect.toString())}`;
    void reply.header('set-cookie', `${STATE_COOKIE}=${state}; Path=${PAY_OAUTH_PATH}; Max-Age=${STATE_TTL_SECONDS}; HttpOnly; SameSite=Lax`);
    return reply.redirect(oauthAuthorizeUrl(resolved.settings, callback, state));
  });

  app.get<{ Querystring: Query }>(`${PAY_OAUTH_PATH}/callback`, { schema: hidden }, async (request, reply) => {
    const resolved = await resolve(paygate, request.query);
    const { code, state } = request.query;
    if (!code) fail('parameter_missing', { param: 'code', message: 'The buyer did not authorize (no code came back from WeChat).' });
    const expected = stateCookie(request);
    if (!state || !expected || state !== expected) fail('parameter_invalid', { param: 'state', message: 'The OAuth state does not match this browser; start again from /oauth/wechat/pay.' });
    const lines: LogLine[] = [];
    const http = loggedChannelHttp(paygate.deps.config.channelTimeoutMs, { charge_id: null, app_id: resolved.appId, channel_id: resolved.payingId }, lines);
    let openid: string;
    try {
      openid = await exchangeOAuthCode(http, resolved.settings, code);
    } catch (error) {
      if (error instanceof WechatApiError) throw new PaygateError('channel_request_failed', { message: `WeChat refused the OAuth code: ${error.message}`, cause: error });
      throw error;
    }
    const target = new URL(resolved.redirect);
    target.searchParams.set('channelId', resolved.shownId);
    target.searchParams.set('buyerId', openid);
    void reply.header('set-cookie', `${STATE_COOKIE}=; Path=${PAY_OAUTH_PATH}; Max-Age=0; HttpOnly; SameSite=Lax`);
    return reply.redirect(target.toString());
  });
};
