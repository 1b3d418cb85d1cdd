/**
 * The `wechat` channel type: WeChat Pay v2 (XML, MD5/HMAC-SHA256) and v3 (JSON, RSA, AES-GCM
 * notifies) behind paygate's channel contract. Codes: `wx_pub` (JSAPI), `wx_lite` (mini-program
 * JSAPI), `wx_pub_qr` (NATIVE), `wx_wap` (H5). In test mode an omitted `gateway` means paygate's
 * embedded sandbox at `${baseUrl}/sandbox/wechat`.
 */
import type { ChannelContext, ChannelType, InboundRequest, NotifyParseResult } from '../contract.js';
import { fail } from '../../core/errors.js';
import { acknowledgeWechatNotify, isV3Notify } from './acknowledge.js';
import { parseNotifyV2 } from './notify-v2.js';
import { parseNotifyV3 } from './notify-v3.js';
import { closeWechatCharge, queryWechatCharge, queryWechatRefund, refundWechatCharge, testWechatConnection } from './operations.js';
import { readSettings, validateWechatOptions, WECHAT_OPTIONS } from './options.js';
import { createWechatPayment } from './payments.js';
import { CODE_SPECS, isWechatCode, LIVE_PAY_GATEWAY, SANDBOX_PATH, WECHAT_CODES } from './protocol.js';

const OPEN_ID = /^[0-9A-Za-z_-]{1,128}$/;
const PRODUCT_ID = /^[0-9A-Za-z]{1,32}$/;

async function parseWechatNotify(ctx: ChannelContext, request: InboundRequest): Promise<NotifyParseResult> {
  const settings = readSettings(ctx.channel.options, ctx.channel.livemode);
  // The message's own shape decides how to read it: a v3 channel may still receive v2 refund notifies.
  return isV3Notify(request) ? parseNotifyV3(ctx, settings, request.headers, request.rawBody) : parseNotifyV2(settings, request.rawBody);
}

export const wechatChannel: ChannelType = {
  type: 'wechat',
  title: { en: 'WeChat Pay', zh: '微信支付' },
  codes: WECHAT_CODES,
  options: WECHAT_OPTIONS,

  validateOptions: validateWechatOptions,

  defaultOptions(livemode, baseUrl) {
    return { gateway: livemode ? LIVE_PAY_GATEWAY : `${baseUrl.replace(/\/+$/, '')}${SANDBOX_PATH}` };
  },

  validateCharge(charge) {
    if (!isWechatCode(charge.channel)) fail('channel_code_unknown', { param: 'channel', message: `The wechat channel serves ${WECHAT_CODES.join(', ')}, not ${charge.channel}.` });
    const extra = charge.extra;
    if (CODE_SPECS[charge.channel].needsOpenId) {
      const openId = extra.open_id;
      if (openId === undefined || openId === '') fail('parameter_missing', { param: 'extra[open_id]', message: `${charge.channel} pays as a known WeChat user: send extra[open_id], the buyer's openid under the paying official account (see GET /oauth/wechat/pay).` });
      if (typeof openId !== 'string' || !OPEN_ID.test(openId)) fail('parameter_invalid', { param: 'extra[open_id]', message: 'extra[open_id] must be an openid (letters, digits, - and _).' });
    }
    if (charge.channel === 'wx_pub_qr' && extra.product_id !== undefined && (typeof extra.product_id !== 'string' || !PRODUCT_ID.test(extra.product_id))) {
      fail('parameter_invalid', { param: 'extra[product_id]', message: 'extra[product_id] must be 1 to 32 letters or digits.' });
    }
    if (extra.limit_pay !== undefined && extra.limit_pay !== 'no_credit') fail('parameter_invalid', { param: 'extra[limit_pay]', message: 'extra[limit_pay] may only be "no_credit".' });
    for (const name of ['goods_tag', 'wap_url', 'wap_name'] as const) {
      if (extra[name] !== undefined && (typeof extra[name] !== 'string' || (extra[name] as string).length > 256)) fail('parameter_invalid', { param: `extra[${name}]`, message: `extra[${name}] must be a short string.` });
    }
  },

  createPayment: createWechatPayment,
  parseNotify: parseWechatNotify,
  acknowledgeNotify: acknowledgeWechatNotify,
  query: queryWechatCharge,
  close: closeWechatCharge,
  refund: refundWechatCharge,
  queryRefund: queryWechatRefund,
  testConnection: testWechatConnection,
};
