/**
 * Claiming due deliveries and recording what their sends did.
 *
 * A claim is one UPDATE that picks due rows (on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so
 * concurrent dispatchers take disjoint rows) and stamps them with this claim's lease token;
 * `next_attempt_at` becomes the lease's end. While the lease runs nobody else can take the row,
 * so a send is never in flight twice. If the holder dies (kill -9) the lease simply runs out and
 * the row is due again: at least once, never lost. The lease is longer than a send's deadline,
 * so a live holder always finishes (or gives up) before its lease ends.
 *
 * A result is written only while the lease is still ours (`WHERE lease_token = …`); the attempt
 * row is unique per (delivery, attempt number). Both functions work inside the caller's
 * transaction, so the dispatcher records a batch of results and claims the next batch in one
 * commit (one fsync on SQLite).
 */
import type { Kysely, Selectable } from 'kysely';
import type { Schema, WebhookDeliveriesTable } from '../store/schema.js';
import type { DialectName } from '../store/database.js';
import type { EngineDeps } from '../engine/deps.js';
import { randomBase62 } from '../core/ids.js';
import { nextAttemptAt } from './retry-schedule.js';

export type DeliveryRow = Selectable<WebhookDeliveriesTable>;

/** A delivery this dispatcher holds; `attempt_count` is the number of the attempt it makes. */
export interface ClaimedDelivery extends DeliveryRow {
  readonly lease_token: string;
}

/** Where the work runs: the database or a transaction, with its dialect and the current time. */
export interface Store {
  readonly db: Kysely<Schema>;
  readonly dialect: DialectName;
  readonly now: number;
}

/** Takes up to `limit` due deliveries under a lease of `leaseMs`. */
export async function claimDueDeliveries(store: Store, options: { limit: number; leaseMs: number; dispatcherId: string }): Promise<ClaimedDelivery[]> {
  if (options.limit <= 0) return [];
  const { db, dialect, now } = store;
  const token = `${options.dispatcherId}/${randomBase62(10)}`;
  const claimed = await db.updateTable('webhook_deliveries')
    .set((eb) => ({
      lease_token: token,
      stale_lease_token: eb.ref('lease_token'),
      next_attempt_at: now + options.leaseMs,
      attempt_count: eb('attempt_count', '+', 1),
      round_attempts: eb('round_attempts', '+', 1),
      last_attempt_at: now,
      updated_at: now,
    }))
    .where('id', 'in', (eb) => {
      let due = eb.selectFrom('webhook_deliveries').select('id')
        .where('status', '=', 'pending').where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at').limit(options.limit);
      if (dialect === 'postgres') due = due.forUpdate().skipLocked();
      return due;
    })
    .returningAll()
    .execute();
  const orphans = claimed.filter((row) => row.stale_lease_token !== null);
  if (orphans.length) {
    // The previous holder's lease ran out without a result: record that send as unanswered.
    await db.insertInto('webhook_attempts').values(orphans.map((row) => ({
      delivery_id: row.id, event_id: row.event_id, attempt_no: row.attempt_count - 1, url: row.url,
      started_at: now - options.leaseMs, duration_ms: 0, http_status: null, response_excerpt: null, succeeded: 0 as const,
      error: 'no result recorded: the dispatcher sending this attempt stopped (crash or kill) before it finished; sent again',
      dispatcher: row.stale_lease_token!.split('/')[0]!,
    }))).onConflict((oc) => oc.columns(['delivery_id', 'attempt_no']).doNothing()).execute();
  }
  return claimed as ClaimedDelivery[];
}

/** What one send did. */
export interface SendOutcome {
  readonly delivery: ClaimedDelivery;
  readonly startedAt: number;
  readonly durationMs: number;
  readonly httpStatus: number | null;
  readonly excerpt: string | null;
  readonly error: string | null;
  readonly succeeded: boolean;
}

/**
 * Writes the attempts and the deliveries' next state (inside the caller's transaction). Returns
 * how many results were applied (a result whose lease was lost still leaves its attempt row).
 */
export async function recordOutcomes(store: Store, outcomes: readonly SendOutcome[], options: { schedule: readonly number[]; dispatcherId: string }): Promise<number> {
  if (outcomes.length === 0) return 0;
  const { db, now } = store;
  await db.insertInto('webhook_attempts').values(outcomes.map((o) => ({
    delivery_id: o.delivery.id, event_id: o.delivery.event_id, attempt_no: o.delivery.attempt_count, url: o.delivery.url,
    started_at: o.startedAt, duration_ms: o.durationMs, http_status: o.httpStatus, response_excerpt: o.excerpt, error: o.error,
    succeeded: o.succeeded ? 1 as const : 0 as const, dispatcher: options.dispatcherId,
  }))).onConflict((oc) => oc.columns(['delivery_id', 'attempt_no']).doNothing()).execute();
  let applied = 0;
  // Successes (the bulk) are written a group at a time: same lease (claim), same answer status.
  const groups = new Map<string, SendOutcome[]>();
  for (const o of outcomes.filter((x) => x.succeeded)) {
    const key = `${o.delivery.lease_token}\u0000${o.httpStatus}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  for (const group of groups.values()) {
    const result = await db.updateTable('webhook_deliveries').set({
      status: 'succeeded', next_attempt_at: null, lease_token: null, stale_lease_token: null,
      last_http_status: group[0]!.httpStatus, last_error: null, completed_at: now, updated_at: now,
    }).where('lease_token', '=', group[0]!.delivery.lease_token).where('id', 'in', group.map((o) => o.delivery.id)).executeTakeFirst();
    applied += Number(result.numUpdatedRows);
  }
  for (const o of outcomes.filter((x) => !x.succeeded)) {
    const next = nextAttemptAt(options.schedule, o.delivery.round_attempts, now);
    const result = await db.updateTable('webhook_deliveries').set({
      status: next === null ? 'failed' : 'pending',
      next_attempt_at: next,
      lease_token: null,
      stale_lease_token: null,
      last_http_status: o.httpStatus,
      last_error: o.error,
      completed_at: next === null ? now : null,
      updated_at: now,
    }).where('id', '=', o.delivery.id).where('lease_token', '=', o.delivery.lease_token).executeTakeFirst();
    applied += Number(result.numUpdatedRows);
  }
  return applied;
}

/**
 * Gives back claimed deliveries that were never sent (a stopping dispatcher's queue): due now,
 * with the attempt the claim counted taken back.
 */
export async function releaseClaims(store: Store, deliveries: readonly ClaimedDelivery[]): Promise<void> {
  const byLease = new Map<string, string[]>();
  for (const d of deliveries) byLease.set(d.lease_token, [...(byLease.get(d.lease_token) ?? []), d.id]);
  for (const [lease, ids] of byLease) {
    await store.db.updateTable('webhook_deliveries').set((eb) => ({
      lease_token: null, stale_lease_token: null, next_attempt_at: store.now,
      attempt_count: eb('attempt_count', '-', 1), round_attempts: eb('round_attempts', '-', 1), updated_at: store.now,
    })).where('lease_token', '=', lease).where('id', 'in', ids).execute();
  }
}

/** When the next pending delivery is due (null when none is), to sleep exactly that long. */
export async function nextDueAt(deps: EngineDeps): Promise<number | null> {
  const row = await deps.database.db.selectFrom('webhook_deliveries')
    .select((eb) => eb.fn.min('next_attempt_at').as('due'))
    .where('status', '=', 'pending').executeTakeFirst();
  return row?.due === null || row?.due === undefined ? null : Number(row.due);
}
