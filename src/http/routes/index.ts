/**
 * Every route plugin `buildServer` registers, in order. Each area (v1 API, seed routes, channel
 * callbacks, sandboxes, webhooks, admin) adds its own plugin here with a one-line edit; a plugin
 * receives `{ paygate }` as its options.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Paygate } from '../../engine/paygate.js';
import { v1ChargeRoutes } from './v1-charges.js';
import { v1RefundRoutes } from './v1-refunds.js';
import { v1EventRoutes } from './v1-events.js';
import { v1ChannelRoutes } from './v1-channels.js';
import { v1AppRoutes } from './v1-apps.js';
import { capiRoutes } from './capi.js';
import { channelCallbackRoutes } from './channel-callbacks.js';
import { payPageRoutes } from './pay-pages.js';
import { adminRoutes } from '../admin/index.js';
import { sandboxAlipayRoutes } from './sandbox-alipay.js';
import { alipayQrRoutes } from './alipay-qr.js';
import { webhookEndpointRoutes } from './webhook-endpoints.js';
import { webhookEventRoutes } from './webhook-events.js';
import { chargeStreamRoutes } from './stream-charge.js';
import { demoRoutes } from './demo.js';
import { sandboxWechatRoutes } from './sandbox-wechat.js';
import { wechatPageRoutes } from './wechat-pages.js';
import { wechatJssdkRoutes } from './wechat-jssdk.js';
import { wechatPayOAuthRoutes } from './wechat-pay-oauth.js';
import { homeRoutes } from './home.js';

/** What every route plugin is given when registered. */
export interface RoutePluginOptions {
  readonly paygate: Paygate;
}

export type RoutePlugin = FastifyPluginAsync<RoutePluginOptions>;

export const ROUTE_PLUGINS: RoutePlugin[] = [
  v1ChargeRoutes,
  v1RefundRoutes,
  v1EventRoutes,
  v1ChannelRoutes,
  v1AppRoutes,
  capiRoutes,
  channelCallbackRoutes,
  payPageRoutes,
  adminRoutes,
  sandboxAlipayRoutes,
  alipayQrRoutes,
  webhookEndpointRoutes,
  webhookEventRoutes,
  chargeStreamRoutes,
  demoRoutes,
  sandboxWechatRoutes,
  wechatPageRoutes,
  wechatJssdkRoutes,
  wechatPayOAuthRoutes,
  homeRoutes,
];
