/** Schemas of the charge and refund objects and of the charge routes' requests (PRODUCT.md §3). */
import { Type, type Static } from '@sinclair/typebox';
import { MAX_AMOUNT } from '../../core/money.js';
import { AppRef, FreeObject, ListOf, Nullable, Pagination, StringEnum, UnixTime } from './common.js';

export const Refund = Type.Object({
  id: Type.String({ description: 're_…' }),
  object: Type.Literal('refund'),
  order_no: Type.String(),
  amount: Type.Integer(),
  created: UnixTime(),
  succeed: Type.Boolean(),
  status: Type.String({ description: 'pending, succeeded or failed' }),
  time_succeed: Nullable(UnixTime()),
  description: Type.String(),
  failure_code: Nullable(Type.String()),
  failure_msg: Nullable(Type.String()),
  metadata: FreeObject(),
  charge: Type.String(),
  charge_order_no: Type.String(),
  transaction_no: Nullable(Type.String()),
  livemode: Type.Boolean(),
}, { description: 'A refund of a charge.' });

export const RefundList = ListOf(Refund, 'Refunds of a charge.');

const Shipment = Type.Object({
  logistics_name: Type.String(),
  invoice_no: Type.String(),
  transport_type: Type.String(),
  time_shipped: UnixTime(),
});

export const Charge = Type.Object({
  id: Type.String({ description: 'ch_…' }),
  object: Type.Literal('charge'),
  created: UnixTime(),
  livemode: Type.Boolean(),
  paid: Type.Boolean(),
  refunded: Type.Boolean(),
  reversed: Type.Boolean(),
  app: Type.String(),
  channel: Type.String({ description: 'The channel code: test, alipay_pc_direct, wx_pub …' }),
  channel_id: Type.String({ description: 'The configured channel (chn_…) the charge is shown under.' }),
  order_no: Type.String(),
  client_ip: Type.String(),
  amount: Type.Integer({ description: 'Minor units (fen).' }),
  amount_settle: Type.Integer({ description: 'amount minus the channel fee.' }),
  currency: Type.String(),
  subject: Type.String(),
  body: Type.String(),
  extra: FreeObject(),
  time_paid: Nullable(UnixTime()),
  time_expire: UnixTime(),
  time_settle: Nullable(UnixTime()),
  transaction_no: Nullable(Type.String()),
  refunds: RefundList,
  amount_refunded: Type.Integer(),
  failure_code: Nullable(Type.String()),
  failure_msg: Nullable(Type.String()),
  metadata: FreeObject(),
  credential: FreeObject('`{object:"credential", <channel>: …}`: what the buyer\'s client needs to pay.'),
  description: Nullable(Type.String()),
  status: Type.String({ description: 'created, pending, secured_paid, shipped, succeeded or closed' }),
  type: Type.String({ description: 'The transaction type (order, recharge …).' }),
  fee: Type.Integer(),
  escrow: Type.Boolean(),
  shipment: Nullable(Shipment),
  notify_url: Nullable(Type.String()),
  return_url: Nullable(Type.String()),
  client_secret: Type.Optional(Type.String({ description: 'Only in the creation answer: lets a browser read this one charge.' })),
}, { description: 'A charge: one payment attempt for one order.' });

export const ChargeList = ListOf(Charge, 'Charges, newest first.');

export const ChargeCreateBody = Type.Object({
  order_no: Type.String({ minLength: 1, maxLength: 64, description: 'The app\'s order number, unique per app and mode.' }),
  app: Type.Optional(AppRef),
  channel: Type.String({ minLength: 1, maxLength: 32, description: 'Channel code, e.g. test, alipay_pc_direct, wx_pub.' }),
  amount: Type.Integer({ minimum: 1, maximum: MAX_AMOUNT, description: 'Minor units (fen for CNY), a positive integer.' }),
  currency: Type.String({ minLength: 1, maxLength: 8, description: 'ISO 4217 code, e.g. cny.' }),
  client_ip: Type.String({ minLength: 1, maxLength: 64 }),
  subject: Type.String({ minLength: 1, maxLength: 128 }),
  body: Type.String({ minLength: 1, maxLength: 512 }),
  description: Type.Optional(Type.String({ maxLength: 255 })),
  extra: Type.Optional(FreeObject('Channel-specific parameters; test channel: escrow, interactive.')),
  metadata: Type.Optional(FreeObject('Your own key-value data, returned as given.')),
  time_expire: Type.Optional(Type.Integer({ description: 'Unix seconds; default one hour from now.' })),
  type: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: 'Transaction type (default order).' })),
  notify_url: Type.Optional(Type.String({ maxLength: 1000 })),
  return_url: Type.Optional(Type.String({ maxLength: 1000 })),
  channel_id: Type.Optional(Type.String({ maxLength: 64, description: 'Pick one configured channel (chn_…) explicitly.' })),
}, { additionalProperties: false });
export type ChargeCreateBody = Static<typeof ChargeCreateBody>;

export const ChargeListQuery = Type.Object({
  app: Type.Optional(AppRef),
  ...Pagination,
  status: Type.Optional(Type.String({ maxLength: 32 })),
  channel: Type.Optional(Type.String({ maxLength: 32 })),
}, { additionalProperties: false });
export type ChargeListQuery = Static<typeof ChargeListQuery>;

export const RefundCreateBody = Type.Object({
  amount: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_AMOUNT, description: 'Default: everything not yet refunded.' })),
  description: Type.Optional(Type.String({ maxLength: 255 })),
  metadata: Type.Optional(FreeObject()),
}, { additionalProperties: false });
export type RefundCreateBody = Static<typeof RefundCreateBody>;

export const ShipBody = Type.Object({
  logistics_name: Type.String({ minLength: 1, maxLength: 64 }),
  invoice_no: Type.String({ minLength: 1, maxLength: 64 }),
  transport_type: Type.Optional(StringEnum(['EXPRESS', 'POST', 'EMS', 'DIRECT'], 'Default EXPRESS.')),
}, { additionalProperties: false });
export type ShipBody = Static<typeof ShipBody>;

export const SimulateBody = Type.Object({
  outcome: StringEnum(['paid', 'secured_paid', 'failed', 'confirm'], 'What the simulated buyer (or channel) does.'),
}, { additionalProperties: false });
export type SimulateBody = Static<typeof SimulateBody>;

export const ChargeRefundParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), re_id: Type.String({ minLength: 1, maxLength: 64 }) });
export type ChargeRefundParams = Static<typeof ChargeRefundParams>;
