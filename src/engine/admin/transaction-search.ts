/**
 * The console's transaction list: server-side filters and keyset pagination on
 * (created_at, id), newest first. A page costs one index range scan however deep it is, which
 * is what keeps it fast at millions of charges (no OFFSET, no COUNT).
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../../store/schema.js';
import type { ChargeStatus } from '../../core/charge-state.js';
import { fail } from '../../core/errors.js';
import type { EngineDeps } from '../deps.js';
import { applyTransactionFilter, type TransactionFilter } from './transaction-filter.js';

/** One line of the list: what the table shows, without the charge's JSON columns. */
export interface TransactionSummary {
  id: string;
  app_id: string;
  app_name: string;
  channel_id: string;
  channel_name: string;
  channel_type: string;
  channel: string;
  order_no: string;
  type: string;
  status: ChargeStatus;
  livemode: boolean;
  escrow: boolean;
  amount: number;
  amount_refunded: number;
  fee: number;
  currency: string;
  subject: string;
  transaction_no: string | null;
  failure_code: string | null;
  failure_msg: string | null;
  /** Unix seconds. */
  created: number;
  time_paid: number | null;
}

export interface TransactionPage {
  object: 'list';
  data: TransactionSummary[];
  /** Pass as `starting_after` for the next (older) page; null on the last page. */
  next_cursor: string | null;
  /** Pass as `ending_before` for the previous (newer) page; null on the first page. */
  prev_cursor: string | null;
}

export interface PageRequest {
  readonly limit?: number;
  readonly starting_after?: string;
  readonly ending_before?: string;
}

interface Cursor { readonly created_at: number; readonly id: string }

export function encodeCursor(row: Cursor): string {
  return Buffer.from(`${row.created_at}.${row.id}`).toString('base64url');
}

export function decodeCursor(text: string, param: string): Cursor {
  const decoded = Buffer.from(text, 'base64url').toString('utf8');
  const match = /^(\d{1,15})\.([A-Za-z0-9_]{1,64})$/.exec(decoded);
  if (!match) fail('parameter_invalid', { param, message: `${param} is not a cursor this list gave out.` });
  return { created_at: Number(match[1]), id: match[2] };
}

export const SUMMARY_COLUMNS = [
  'id', 'app_id', 'channel_id', 'channel', 'order_no', 'type', 'status', 'livemode', 'escrow', 'amount', 'amount_refunded',
  'fee', 'currency', 'subject', 'transaction_no', 'failure_code', 'failure_msg', 'created_at', 'time_paid',
] as const;

/** A refund id search is answered through its charge; an unknown refund matches nothing. */
export async function resolveSearch(db: Kysely<Schema>, filter: TransactionFilter): Promise<string[] | undefined> {
  if (!filter.q?.startsWith('re_')) return undefined;
  const refund = await db.selectFrom('refunds').select('charge_id').where('id', '=', filter.q).executeTakeFirst();
  return [refund?.charge_id ?? 'ch_none'];
}

export interface NameBook {
  apps: Map<string, string>;
  channels: Map<string, { name: string; type: string }>;
}

/** App and channel names (a few rows), so the list shows names without a join per row. */
export async function loadNames(db: Kysely<Schema>): Promise<NameBook> {
  const [apps, channels] = await Promise.all([
    db.selectFrom('apps').select(['id', 'name']).execute(),
    db.selectFrom('channels').select(['id', 'name', 'type']).execute(),
  ]);
  return { apps: new Map(apps.map((a) => [a.id, a.name])), channels: new Map(channels.map((c) => [c.id, { name: c.name, type: c.type }])) };
}

type SummaryRow = Pick<Schema['charges'], (typeof SUMMARY_COLUMNS)[number]>;

export function toSummary(row: SummaryRow, names: NameBook): TransactionSummary {
  const channel = names.channels.get(row.channel_id);
  return {
    id: row.id, app_id: row.app_id, app_name: names.apps.get(row.app_id) ?? row.app_id,
    channel_id: row.channel_id, channel_name: channel?.name ?? row.channel_id, channel_type: channel?.type ?? '',
    channel: row.channel, order_no: row.order_no, type: row.type, status: row.status as ChargeStatus,
    livemode: row.livemode === 1, escrow: row.escrow === 1, amount: row.amount, amount_refunded: row.amount_refunded,
    fee: row.fee, currency: row.currency, subject: row.subject, transaction_no: row.transaction_no,
    failure_code: row.failure_code, failure_msg: row.failure_msg,
    created: Math.floor(row.created_at / 1000), time_paid: row.time_paid === null ? null : Math.floor(row.time_paid / 1000),
  };
}

export async function searchTransactions(deps: EngineDeps, filter: TransactionFilter, page: PageRequest = {}): Promise<TransactionPage> {
  const limit = page.limit ?? 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) fail('parameter_invalid', { param: 'limit', message: 'limit must be an integer from 1 to 100.' });
  if (page.starting_after && page.ending_before) fail('parameter_invalid', { param: 'ending_before', message: 'Use starting_after or ending_before, not both.' });
  const db = deps.database.db;
  const backwards = Boolean(page.ending_before);
  const cursorText = page.starting_after ?? page.ending_before;
  const cursor = cursorText ? decodeCursor(cursorText, backwards ? 'ending_before' : 'starting_after') : undefined;

  let query = applyTransactionFilter(db.selectFrom('charges').select(SUMMARY_COLUMNS), filter, await resolveSearch(db, filter));
  if (cursor) {
    const op = backwards ? '>' : '<';
    // A row-value comparison lets SQLite and PostgreSQL seek straight into the index.
    query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), op, eb.tuple(cursor.created_at, cursor.id)));
  }
  const direction = backwards ? 'asc' : 'desc';
  const [rows, names] = await Promise.all([
    query.orderBy('created_at', direction).orderBy('id', direction).limit(limit + 1).execute(),
    loadNames(db),
  ]);
  const more = rows.length > limit;
  const pageRows = rows.slice(0, limit);
  if (backwards) pageRows.reverse();
  const first = pageRows[0];
  const last = pageRows[pageRows.length - 1];
  // Going forward, newer rows exist iff we came from a cursor; going backwards, older ones do.
  const hasNewer = backwards ? more : Boolean(cursor);
  const hasOlder = backwards ? true : more;
  return {
    object: 'list',
    data: pageRows.map((row) => toSummary(row, names)),
    next_cursor: hasOlder && last ? encodeCursor(last) : null,
    prev_cursor: hasNewer && first ? encodeCursor(first) : null,
  };
}
