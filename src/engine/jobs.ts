/**
 * Background jobs: close pending charges past `time_expire` (at the channel and here), and
 * reconcile pending charges whose notify never came by querying the channel. Each run handles a
 * bounded batch; on PostgreSQL the caller holds an advisory lock so one process runs a job at a time.
 */
import type { EngineDeps } from './deps.js';
import { closeChargeRow } from './reverse-charge.js';
import { findChannelRow } from './channels.js';
import { channelCall } from './channel-context.js';
import { inTransaction } from './unit-of-work.js';
import { lockCharge } from './charge-repository.js';
import { applyChargeEvent } from './apply-charge-event.js';
import { toChargeView, type ChargeRow } from './charge-object.js';
import type { ChargeEvent } from '../core/charge-state.js';
import type { Kysely } from 'kysely';
import type { Schema } from '../store/schema.js';
import { OPEN_CHARGE } from '../store/charge-index-terms.js';

export interface JobReport {
  readonly examined: number;
  readonly changed: number;
  readonly errors: string[];
}

/**
 * Pending (or never issued) charges past their expiry, soonest first; served by `charges_open`.
 * `OPEN_CHARGE` is there for SQLite to pick that partial index; the narrower `in` is the query's own.
 */
export function expiredChargesQuery(db: Kysely<Schema>, now: number, batch: number) {
  return db.selectFrom('charges').selectAll()
    .where(OPEN_CHARGE).where('status', 'in', ['created', 'pending']).where('time_expire', '<=', now)
    .orderBy('time_expire').limit(batch);
}

/** Charges still waiting on the channel (paid in escrow, shipped, or pending) untouched since `before`; served by `charges_open`. */
export function unsettledChargesQuery(db: Kysely<Schema>, before: number, batch: number) {
  return db.selectFrom('charges').selectAll()
    .where(OPEN_CHARGE).where('status', 'in', ['pending', 'secured_paid', 'shipped']).where('updated_at', '<=', before)
    .orderBy('updated_at').limit(batch);
}

export async function expirePendingCharges(deps: EngineDeps, batch = 100): Promise<JobReport> {
  const rows = await expiredChargesQuery(deps.database.db, deps.clock.now(), batch).execute();
  let changed = 0;
  const errors: string[] = [];
  for (const row of rows) {
    try {
      // The buyer may have paid at the last moment: ask the channel before closing.
      if (await reconcileOne(deps, row)) { changed++; continue; }
      const closed = await closeChargeRow(deps, row, 'expired');
      if (closed.status === 'closed') changed++;
    } catch (error) {
      errors.push(`${row.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { examined: rows.length, changed, errors };
}

/** Queries pending charges older than `minAgeMs` at their channel and applies what it reports. */
export async function reconcilePendingCharges(deps: EngineDeps, minAgeMs = 5 * 60_000, batch = 50): Promise<JobReport> {
  const rows = await unsettledChargesQuery(deps.database.db, deps.clock.now() - minAgeMs, batch).execute();
  let changed = 0;
  const errors: string[] = [];
  for (const row of rows) {
    try {
      if (await reconcileOne(deps, row)) changed++;
    } catch (error) {
      errors.push(`${row.id}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { examined: rows.length, changed, errors };
}

async function reconcileOne(deps: EngineDeps, row: ChargeRow): Promise<boolean> {
  const channel = await findChannelRow(deps, null, row.paying_channel_id).catch(() => undefined);
  if (!channel) return false;
  const call = channelCall(deps, channel, row.id, row.channel_id);
  if (!call.type.query) return false;
  let state;
  try {
    state = await call.type.query(call.ctx, toChargeView(row));
  } finally {
    await call.flushLog();
  }
  if (!state.ok) return false;
  const event: ChargeEvent | undefined = ({
    paid: { kind: 'paid' }, secured_paid: { kind: 'secured_paid' }, shipped: { kind: 'shipped' }, succeeded: { kind: row.escrow === 1 ? 'confirmed' : 'paid' },
  } as const)[state.status as 'paid'];
  if (!event) return false;
  if (state.amount !== undefined && state.amount !== row.amount) return false;
  return inTransaction(deps, async (uow) => {
    const locked = await lockCharge(uow, row.id);
    if (!locked) return false;
    const patch = { ...(state.transaction_no && !locked.transaction_no ? { transaction_no: state.transaction_no } : {}), ...(state.paid_at && !locked.time_paid ? { time_paid: state.paid_at } : {}) };
    try {
      return (await applyChargeEvent(deps, uow, locked, event, patch, 'reconcile query')).changed;
    } catch {
      return false;
    }
  });
}
