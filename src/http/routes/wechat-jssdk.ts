/**
 * `GET /v1/channels/:id/jssdk_config?url=` (seed 001's `getSignPackage`): the `wx.config`
 * signature for a page of the channel's official account, `{appId, timestamp, nonceStr, signature}`.
 * The app's secret or publishable key may ask (a page's front end usually does); the channel needs
 * its `app_secret`. For pay-on-behalf, ask with the channel that serves the page (B), not its delegate.
 */
import type { RoutePlugin } from './index.js';
import { identifyCaller } from '../auth.js';
import { fail, PaygateError } from '../../core/errors.js';
import { loggedChannelHttp } from '../../engine/channel-http.js';
import type { LogLine } from '../../engine/charge-log.js';
import { jssdkConfig } from '../../channels/wechat/jssdk.js';
import { WechatApiError } from '../../channels/wechat/mp-client.js';
import { readSettings } from '../../channels/wechat/options.js';

interface Params { id: string }
interface Query { url?: string }

export const wechatJssdkRoutes: RoutePlugin = async (app, { paygate }) => {
  app.get<{ Params: Params; Querystring: Query }>('/v1/channels/:id/jssdk_config', {
    schema: {
      tags: ['channels'],
      summary: 'JS-SDK wx.config signature for a WeChat channel\'s page',
      params: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
      querystring: { type: 'object', properties: { url: { type: 'string' } } },
    },
  }, async (request) => {
    const caller = await identifyCaller(paygate, request);
    if (caller.kind === 'client_secret') fail('key_not_allowed', { message: 'Ask for a JS-SDK signature with the app\'s secret or publishable key.' });
    const id = request.params.id;
    const channel = await paygate.channels.retrieve(caller.app_id, id);
    if (channel.livemode !== caller.livemode) fail('resource_not_found', { param: 'id', message: `No such channel: ${id}` });
    if (channel.type !== 'wechat') fail('parameter_invalid', { param: 'id', message: `Channel ${id} is a ${channel.type} channel; the JS-SDK belongs to WeChat channels.` });
    const pageUrl = request.query.url;
    if (!pageUrl) fail('parameter_missing', { param: 'url', message: 'url is required: the full URL of the page calling wx.config (its #fragment is dropped).' });
    let parsed: URL;
    try {
      parsed = new URL(pageUrl);
    } catch {
      fail('parameter_invalid', { param: 'url', message: 'url must be an absolute http(s) URL.' });
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') fail('parameter_invalid', { param: 'url', message: 'url must be an absolute http(s) URL.' });
    const config = (await paygate.channels.configs({ type: 'wechat', livemode: channel.livemode })).find((c) => c.id === id);
    if (!config) fail('resource_not_found', { param: 'id', message: `No such channel: ${id}` });
    const settings = readSettings(config.options, config.livemode);
    if (!settings.appSecret) fail('channel_options_invalid', { param: 'options.app_secret', message: `Channel ${id} needs options.app_secret for the JS-SDK.` });
    const lines: LogLine[] = [];
    const http = loggedChannelHttp(paygate.deps.config.channelTimeoutMs, { charge_id: null, app_id: caller.app_id, channel_id: id }, lines);
    try {
      return await jssdkConfig(http, settings, pageUrl, paygate.deps.clock.now());
    } catch (error) {
      if (error instanceof WechatApiError) throw new PaygateError('channel_request_failed', { message: `WeChat refused the JS-SDK ticket: ${error.message}`, cause: error });
      throw error;
    }
  });
};
