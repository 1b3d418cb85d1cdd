/** Schemas of configured channels (`chn_…`), their requests, and payment records. */
import { Type, type Static } from '@sinclair/typebox';
import { FreeObject, ListOf, Nullable, Pagination, UnixTime } from './common.js';

const Fee = Type.Object({
  percent_bp: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, description: 'Basis points of the amount (60 = 0.6 %).' })),
  fixed: Type.Optional(Type.Integer({ minimum: 0, description: 'Fixed part, minor units.' })),
}, { additionalProperties: false });

export const Channel = Type.Object({
  id: Type.String({ description: 'chn_…' }),
  object: Type.Literal('channel'),
  app: Type.String(),
  type: Type.String({ description: 'test, alipay, wechat …' }),
  name: Type.String(),
  livemode: Type.Boolean(),
  enabled: Type.Boolean(),
  options: FreeObject('Options as saved; secret ones only as `{set:true, hint}`.'),
  fee: Type.Object({ percent_bp: Type.Integer(), fixed: Type.Integer() }),
  transaction_types: Nullable(Type.Array(Type.String())),
  delegate: Nullable(Type.String({ description: 'The channel that collects for this one (pay-on-behalf).' })),
  codes: Type.Array(Type.String(), { description: 'Channel codes this channel serves.' }),
  created: UnixTime(),
  updated: UnixTime(),
}, { description: 'A configured payment channel.' });

export const ChannelList = ListOf(Channel, 'The app\'s channels in the key\'s mode, oldest first.');

const channelFields = {
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  enabled: Type.Optional(Type.Boolean()),
  options: Type.Optional(FreeObject('Options of the channel type (see its schema); secrets are write-only.')),
  fee: Type.Optional(Fee),
  transaction_types: Type.Optional(Nullable(Type.Array(Type.String({ maxLength: 32 }), { maxItems: 50, description: 'Accepted transaction types; null for all.' }))),
  delegate: Type.Optional(Nullable(Type.String({ maxLength: 64, description: 'A channel of the same type and mode that collects for this one.' }))),
};

export const ChannelCreateBody = Type.Object({
  type: Type.String({ minLength: 1, maxLength: 32 }),
  livemode: Type.Optional(Type.Boolean({ description: 'Default: the key\'s mode (and it must match it).' })),
  ...channelFields,
}, { additionalProperties: false });
export type ChannelCreateBody = Static<typeof ChannelCreateBody>;

export const ChannelUpdateBody = Type.Object(channelFields, { additionalProperties: false });
export type ChannelUpdateBody = Static<typeof ChannelUpdateBody>;

export const ChannelDeleted = Type.Object({ id: Type.String(), object: Type.Literal('channel'), deleted: Type.Literal(true) });

export const PaymentRecord = Type.Object({
  id: Type.String({ description: 'The charge id.' }),
  object: Type.Literal('payment_record'),
  charge: Type.String(),
  channel_id: Type.String({ description: 'The channel the payment is shown under.' }),
  paid_through: Type.String({ description: 'The channel that collected the money (differs for pay-on-behalf).' }),
  delegated: Type.Boolean(),
  order_number: Type.String({ description: 'metadata.orderNumber, else the charge\'s order_no.' }),
  detail_url: Nullable(Type.String({ description: 'metadata.detailUrl: link to the order.' })),
  is_test: Type.Boolean({ description: 'metadata.isTest, else whether the charge is a test charge.' }),
  channel: Type.String(),
  amount: Type.Integer(),
  amount_refunded: Type.Integer(),
  currency: Type.String(),
  subject: Type.String(),
  transaction_no: Nullable(Type.String()),
  time_paid: Nullable(UnixTime()),
  livemode: Type.Boolean(),
  metadata: FreeObject(),
}, { description: 'A succeeded payment shown under a channel (seed 001 渠道支付记录).' });

export const PaymentRecordList = ListOf(PaymentRecord, 'Succeeded payments shown under a channel, newest first.');

export const RecordListQuery = Type.Object({ ...Pagination }, { additionalProperties: false });
export type RecordListQuery = Static<typeof RecordListQuery>;
