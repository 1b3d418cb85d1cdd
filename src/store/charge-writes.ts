/**
 * The two writes every payment goes through, as plain data the store can execute in bulk:
 * a new charge (with its log lines and events) and a transition of an existing charge (with
 * its log lines and events). Each write is one unit: all of its rows commit together or none.
 *
 * Why not Kysely units of work here: these are the hottest statements of the gateway, and
 * building and compiling them per request, plus one round trip per statement on PostgreSQL,
 * cost several times the database work itself. As data they run as precompiled statements on
 * SQLite (inside its group commit) and as one statement for a whole batch on PostgreSQL.
 */
import type { Insertable, Selectable } from 'kysely';
import type { ChargeLogsTable, ChargesTable, EventsTable } from './schema.js';

export type LogRow = Omit<Insertable<ChargeLogsTable>, 'seq'>;
export type EventRow = Omit<Insertable<EventsTable>, 'seq'>;
export type ChargeRecord = Selectable<ChargesTable>;

export interface NewChargeWrite {
  readonly charge: ChargeRecord;
  readonly logs: readonly LogRow[];
  readonly events: readonly EventRow[];
}

export interface TransitionWrite {
  readonly charge_id: string;
  /** The write applies only while the charge is still in this status (a lost race changes nothing). */
  readonly expected_status: string;
  /** Columns to set; names from CHARGE_COLUMNS (never `id`). */
  readonly set: Partial<ChargeRecord>;
  readonly logs: readonly LogRow[];
  readonly events: readonly EventRow[];
}

export type InsertChargeOutcome = 'inserted' | 'order_no_in_use';
/** `status_changed`: the charge had left `expected_status`; nothing was written. */
export type TransitionOutcome = 'applied' | 'status_changed';

export interface ChargeWrites {
  insertCharge(write: NewChargeWrite): Promise<InsertChargeOutcome>;
  applyTransition(write: TransitionWrite): Promise<TransitionOutcome>;
}

type SqlType = 'text' | 'bigint' | 'integer';

/** Every column of `charges`, in table order, with its PostgreSQL type (a test checks both). */
export const CHARGE_COLUMNS: ReadonlyArray<readonly [keyof ChargeRecord, SqlType]> = [
  ['id', 'text'], ['app_id', 'text'], ['channel_id', 'text'], ['paying_channel_id', 'text'], ['livemode', 'integer'],
  ['order_no', 'text'], ['channel', 'text'], ['type', 'text'], ['amount', 'bigint'], ['currency', 'text'],
  ['amount_refunded', 'bigint'], ['fee', 'bigint'], ['amount_settle', 'bigint'], ['status', 'text'], ['escrow', 'integer'],
  ['client_ip', 'text'], ['subject', 'text'], ['body', 'text'], ['description', 'text'], ['extra', 'text'],
  ['metadata', 'text'], ['credential', 'text'], ['extension', 'text'], ['transaction_no', 'text'], ['failure_code', 'text'],
  ['failure_msg', 'text'], ['closed_reason', 'text'], ['shipment', 'text'], ['notify_url', 'text'], ['return_url', 'text'],
  ['client_secret', 'text'], ['time_expire', 'bigint'], ['time_paid', 'bigint'], ['time_shipped', 'bigint'],
  ['time_succeeded', 'bigint'], ['time_closed', 'bigint'], ['created_at', 'bigint'], ['updated_at', 'bigint'],
];

export const LOG_COLUMNS: ReadonlyArray<readonly [keyof LogRow, SqlType]> = [
  ['charge_id', 'text'], ['app_id', 'text'], ['channel_id', 'text'], ['at', 'bigint'], ['kind', 'text'], ['message', 'text'], ['data', 'text'],
];

export const EVENT_COLUMNS: ReadonlyArray<readonly [keyof EventRow, SqlType]> = [
  ['id', 'text'], ['app_id', 'text'], ['livemode', 'integer'], ['type', 'text'], ['charge_id', 'text'], ['channel_id', 'text'], ['data', 'text'], ['created_at', 'bigint'],
];

const CHARGE_COLUMN_NAMES = new Set<string>(CHARGE_COLUMNS.map(([name]) => name));

/** The `set` columns of a transition, checked against the table's (they end up in SQL text). */
export function transitionColumns(write: TransitionWrite): string[] {
  const names = Object.keys(write.set).filter((name) => write.set[name as keyof ChargeRecord] !== undefined);
  for (const name of names) {
    if (!CHARGE_COLUMN_NAMES.has(name) || name === 'id') throw new Error(`a transition cannot set charges.${name}`);
  }
  return names;
}

/** `values (?, ?), (?, ?)` for `rows` rows of `width` columns. */
export function placeholders(rows: number, width: number): string {
  const row = `(${Array.from({ length: width }, () => '?').join(', ')})`;
  return Array.from({ length: rows }, () => row).join(', ');
}
