/**
 * Seed 001's per-channel payment records (渠道支付记录): the succeeded charges shown under one
 * configured channel, with the business order number (`metadata.orderNumber`) linking to
 * `metadata.detailUrl`, and a test badge for `metadata.isTest` (or a test-mode charge).
 */
import type { EngineDeps } from '../deps.js';
import { parseJsonObject } from '../charge-object.js';
import { findChannelRow } from '../channels.js';
import { decodeCursor, encodeCursor } from './transaction-search.js';
import { SUCCEEDED_CHARGE } from '../../store/charge-index-terms.js';

export interface PaymentRecord {
  id: string;
  order_no: string;
  /** metadata.orderNumber, else the charge's order_no. */
  order_number: string;
  /** metadata.detailUrl when it is an http(s) URL (anything else would be unsafe as a link). */
  detail_url: string | null;
  is_test: boolean;
  amount: number;
  currency: string;
  subject: string;
  transaction_no: string | null;
  time_paid: number | null;
  created: number;
}

function safeUrl(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : null;
  } catch {
    return null;
  }
}

export async function paymentRecords(deps: EngineDeps, channelId: string, page: { limit?: number; starting_after?: string } = {}): Promise<{ object: 'list'; channel: { id: string; name: string; type: string; livemode: boolean }; data: PaymentRecord[]; next_cursor: string | null }> {
  const channel = await findChannelRow(deps, null, channelId);
  const limit = page.limit ?? 20;
  let query = deps.database.db.selectFrom('charges')
    .select(['id', 'order_no', 'metadata', 'livemode', 'amount', 'currency', 'subject', 'transaction_no', 'time_paid', 'created_at'])
    .where('channel_id', '=', channelId).where(SUCCEEDED_CHARGE);
  if (page.starting_after) {
    const cursor = decodeCursor(page.starting_after, 'starting_after');
    query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(cursor.created_at, cursor.id)));
  }
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
  const pageRows = rows.slice(0, limit);
  const last = pageRows[pageRows.length - 1];
  return {
    object: 'list',
    channel: { id: channel.id, name: channel.name, type: channel.type, livemode: channel.livemode === 1 },
    data: pageRows.map((r) => {
      const metadata = parseJsonObject(r.metadata);
      const orderNumber = metadata.orderNumber;
      return {
        id: r.id, order_no: r.order_no,
        order_number: typeof orderNumber === 'string' || typeof orderNumber === 'number' ? String(orderNumber) : r.order_no,
        detail_url: safeUrl(metadata.detailUrl),
        is_test: metadata.isTest === true || metadata.isTest === 'true' || r.livemode === 0,
        amount: r.amount, currency: r.currency, subject: r.subject, transaction_no: r.transaction_no,
        time_paid: r.time_paid === null ? null : Math.floor(r.time_paid / 1000), created: Math.floor(r.created_at / 1000),
      };
    }),
    next_cursor: rows.length > limit && last ? encodeCursor(last) : null,
  };
}
