/**
 * Seed 001's order, as its `tradeService->pay($order)` took it, made into a charge request:
 * `accountId` is the app (the caller's key), `totalFee` the amount in fen, `openId` the JSAPI
 * buyer, `metadata.channelId` the channel the payment shows under, `tradeType` JSAPI (default)
 * or NATIVE, `timeExpire` unix milliseconds (default one hour), `userIp`, `detail`, `outTradeNo`.
 * The charge's `wx_pub` credential is then exactly the seed's signature structure.
 */
import { fail } from '../../core/errors.js';

export interface ScrmOrder {
  readonly accountId: string;
  readonly subject: string;
  readonly totalFee: number;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly openId?: string;
  readonly timeExpire?: number;
  readonly userIp?: string;
  readonly detail?: string;
  readonly tradeType?: 'JSAPI' | 'NATIVE';
  readonly outTradeNo?: string;
}

export interface ScrmChargeRequest {
  readonly order_no: string;
  readonly channel: 'wx_pub' | 'wx_pub_qr';
  readonly channel_id?: string;
  readonly amount: number;
  readonly currency: 'cny';
  readonly client_ip: string;
  readonly subject: string;
  readonly body: string;
  readonly extra: Readonly<Record<string, unknown>>;
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly time_expire?: number;
}

export function chargeRequestFromScrmOrder(order: ScrmOrder, defaults: { readonly orderNo: string; readonly clientIp: string }): ScrmChargeRequest {
  const tradeType = order.tradeType ?? 'JSAPI';
  if (tradeType === 'JSAPI' && !order.openId) fail('parameter_missing', { param: 'openId', message: 'A JSAPI order needs openId, the buyer\'s openid under the paying official account.' });
  const channelId = order.metadata.channelId;
  return {
    order_no: order.outTradeNo ?? defaults.orderNo,
    channel: tradeType === 'JSAPI' ? 'wx_pub' : 'wx_pub_qr',
    ...(typeof channelId === 'string' && channelId ? { channel_id: channelId } : {}),
    amount: order.totalFee,
    currency: 'cny',
    client_ip: order.userIp ?? defaults.clientIp,
    subject: order.subject,
    body: order.detail ?? order.subject,
    extra: tradeType === 'JSAPI' ? { open_id: order.openId } : {},
    metadata: order.metadata,
    ...(order.timeExpire !== undefined ? { time_expire: Math.floor(order.timeExpire / 1000) } : {}),
  };
}
