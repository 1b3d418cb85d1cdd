/** Schemas of the seed-000 routes (`/capi/api/v1/charge…`), with seed 000's field names. */
import { Type, type Static } from '@sinclair/typebox';
import { MAX_AMOUNT } from '../../core/money.js';
import { Nullable } from './common.js';

export const CapiChargeBody = Type.Object({
  subject: Type.String({ minLength: 1, maxLength: 128, description: '商品主题' }),
  body: Type.Optional(Type.String({ maxLength: 512, description: '商品描述 (default: the subject)' })),
  amount: Type.Integer({ minimum: 1, maximum: MAX_AMOUNT, description: '支付金额，单位为分 (fen)' }),
  channel: Type.String({ minLength: 1, maxLength: 16, description: 'ALIPAY, WECHAT or TEST' }),
  source: Type.Optional(Type.String({ maxLength: 16, description: 'pc, mobile or weixin (default pc)' })),
  papp: Type.Optional(Type.String({ maxLength: 64, description: 'The app id; must be the key\'s own app.' })),
  client_ip: Type.Optional(Type.String({ maxLength: 64, description: 'Default: the caller\'s address.' })),
  trade_no: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: '应用中的订单编号 (default: generated)' })),
  livemode: Type.Optional(Type.Boolean({ description: 'Must match the key\'s mode.' })),
  currency: Type.Optional(Type.String({ maxLength: 8, description: 'Default cny.' })),
  return_url: Type.Optional(Type.String({ maxLength: 1000 })),
  notify_url: Type.Optional(Type.String({ maxLength: 1000 })),
  openid: Type.Optional(Type.String({ minLength: 1, maxLength: 128, description: 'The buyer\'s WeChat openid; required for WECHAT from source weixin (JSAPI).' })),
}, { additionalProperties: false });
export type CapiChargeBody = Static<typeof CapiChargeBody>;

export const CapiCharge = Type.Object({
  id: Type.String(),
  object: Type.Literal('charge'),
  subject: Type.String(),
  body: Type.String(),
  amount: Type.Integer(),
  currency: Type.String(),
  trade_no: Type.String(),
  channel: Type.String(),
  source: Nullable(Type.String()),
  papp: Type.String(),
  livemode: Type.Boolean(),
  paid: Type.Boolean(),
  paid_time: Nullable(Type.String({ description: 'ISO 8601' })),
  status: Type.String(),
  created: Type.String({ description: 'ISO 8601' }),
  client_ip: Type.String(),
  return_url: Nullable(Type.String()),
  notify_url: Nullable(Type.String()),
  pay_url: Nullable(Type.String()),
  client_secret: Type.Optional(Type.String()),
  data: Type.Object({ trade_no: Nullable(Type.String()), buyer_email: Type.String(), seller_id: Type.String() }),
}, { description: 'A charge in seed 000\'s shape.' });

export const FetchPayUrlBody = Type.Object({
  channel: Type.Optional(Type.String({ maxLength: 16, description: 'ALIPAY, WECHAT or TEST (default: the charge\'s).' })),
  source: Type.Optional(Type.String({ maxLength: 16 })),
}, { additionalProperties: false });
export type FetchPayUrlBody = Static<typeof FetchPayUrlBody>;

export const PayUrl = Type.Object({ pay_url: Type.String() });
