/**
 * Payment records of a channel (seed 001 渠道支付记录): the succeeded charges shown under it,
 * including those collected through a delegate (pay-on-behalf: the charge is shown under the
 * channel it was made for, while its delegate took the money). The app's own order reference
 * comes from `metadata.orderNumber` / `detailUrl` / `isTest`, as in seed 001.
 */
import { fail } from '../core/errors.js';
import type { ListObject, ListParams, Scope } from './api-types.js';
import type { EngineDeps } from './deps.js';
import { findChannelRow } from './channels.js';
import { parseJsonObject, type ChargeRow } from './charge-object.js';
import { pageOfCharges, parsePage } from './pagination.js';
import type { Kysely } from 'kysely';
import type { Schema } from '../store/schema.js';
import { SUCCEEDED_CHARGE } from '../store/charge-index-terms.js';

export interface PaymentRecord {
  id: string;
  object: 'payment_record';
  charge: string;
  channel_id: string;
  paid_through: string;
  delegated: boolean;
  order_number: string;
  detail_url: string | null;
  is_test: boolean;
  channel: string;
  amount: number;
  amount_refunded: number;
  currency: string;
  subject: string;
  transaction_no: string | null;
  time_paid: number | null;
  livemode: boolean;
  metadata: Record<string, unknown>;
}

function flag(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return undefined;
}

export function toPaymentRecord(row: ChargeRow): PaymentRecord {
  const metadata = parseJsonObject(row.metadata);
  const orderNumber = metadata.orderNumber;
  const detailUrl = metadata.detailUrl;
  return {
    id: row.id, object: 'payment_record', charge: row.id, channel_id: row.channel_id, paid_through: row.paying_channel_id,
    delegated: row.paying_channel_id !== row.channel_id,
    order_number: typeof orderNumber === 'string' && orderNumber ? orderNumber : row.order_no,
    detail_url: typeof detailUrl === 'string' && /^https?:\/\//.test(detailUrl) ? detailUrl : null,
    is_test: flag(metadata.isTest) ?? row.livemode === 0,
    channel: row.channel, amount: row.amount, amount_refunded: row.amount_refunded, currency: row.currency, subject: row.subject,
    transaction_no: row.transaction_no, time_paid: row.time_paid === null ? null : Math.floor(row.time_paid / 1000),
    livemode: row.livemode === 1, metadata,
  };
}

/** The app's succeeded charges shown under a channel; served by `charges_channel_succeeded`. */
export function succeededChargesOfChannel(db: Kysely<Schema>, appId: string, channelId: string) {
  return db.selectFrom('charges').selectAll().where('app_id', '=', appId).where('channel_id', '=', channelId).where(SUCCEEDED_CHARGE);
}

/** Succeeded charges shown under channel `channelId`, most recently created first (keyset pages). */
export async function listChannelRecords(deps: EngineDeps, scope: Scope, channelId: string, params: ListParams = {}): Promise<ListObject<PaymentRecord>> {
  const channel = await findChannelRow(deps, scope.app_id, channelId);
  if ((channel.livemode === 1) !== scope.livemode) fail('resource_not_found', { param: 'id', message: `No such channel: ${channelId}` });
  const page = parsePage(params);
  const db = deps.database.db;
  const { rows, hasMore } = await pageOfCharges(succeededChargesOfChannel(db, scope.app_id, channelId), page, (id) => db.selectFrom('charges').select(['created_at', 'id']).where('id', '=', id).where('channel_id', '=', channelId).executeTakeFirst());
  return { object: 'list', url: `/v1/channels/${channelId}/records`, has_more: hasMore, data: rows.map(toPaymentRecord) };
}
