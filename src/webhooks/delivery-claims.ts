/**
 * Claiming due deliveries and recording what their sends did.
 *
 * A claim is one UPDATE that picks due rows (on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so
 * concurrent dispatchers take disjoint rows) and stamps them with this claim's lease token and
 * the lease's end (`lease_until`, deliberately not an indexed column, so the claim is a cheap
 * in-place update). While the lease runs nobody else can take the row,
 * so a send is never in flight twice. If the holder dies (kill -9) the lease simply runs out and
 * the row is due again: at least once, never lost. The lease is longer than a send's deadline,
 * so a live holder always finishes (or gives up) before its lease ends.
 *
 * A claim takes ownership only. A delivery may be sent once it also holds a start permit: the
 * attempt counted (attempt_count, round_attempts, last_attempt_at) and `permit_token` set to the
 * lease, durably, before the send starts (delivery-permits.ts). A claim may grant the permit in
 * the same statement, for the first few it takes. So after a crash only a permitted delivery
 * may have been sent: its new claim records that attempt as interrupted (`recordOrphans`); one
 * that was only claimed is sent again with no attempt stored and its schedule step unspent.
 *
 * A result is written only while the lease is still ours (`WHERE lease_token = …`); the attempt
 * row is unique per (delivery, attempt number). Both functions work inside the caller's
 * transaction, so the dispatcher records a batch of results and claims the next batch in one
 * commit (one fsync on SQLite). Most first sends are not claimed here at all: the fan-out writes
 * them already claimed (fanout.ts).
 */
import type { Kysely, QueryCreator, Selectable } from 'kysely';
import type { EventsTable, Schema, WebhookDeliveriesTable, WebhookEndpointsTable } from '../store/schema.js';
import type { DialectName } from '../store/database.js';
import { randomBase62 } from '../core/ids.js';
import { nextAttemptAt } from './retry-schedule.js';
import { eventFormat } from './formats/event-format.js';
import { perDialect, runSql, runSqlChanges, selectJsonRows, type JsonColumn, type JsonValue } from './json-rows.js';

export type DeliveryRow = Selectable<WebhookDeliveriesTable>;

/** What a claim reads back: what sending, judging and recording need. */
const CLAIMED_COLUMNS = [
  'id', 'event_id', 'event_type', 'app_id', 'livemode', 'charge_id', 'target', 'endpoint_id', 'url', 'format', 'require_success_body',
  'status', 'attempt_count', 'round_attempts', 'lease_token', 'stale_lease_token', 'permit_token',
] as const;

/**
 * A delivery this dispatcher holds. Once permitted (`permit_token` set), `attempt_count` is the
 * number of the attempt it makes; before, the number of attempts already made.
 */
export type ClaimedDelivery = Pick<DeliveryRow, (typeof CLAIMED_COLUMNS)[number]> & { readonly lease_token: string };

/** Where the work runs: the database or a transaction, with its dialect and the current time. */
export interface Store {
  readonly db: Kysely<Schema>;
  readonly dialect: DialectName;
  readonly now: number;
}

interface ClaimOptions {
  readonly limit: number;
  /** How many of them (the first ones) to permit in the claim itself. */
  readonly permit: number;
  readonly leaseMs: number;
  readonly dispatcherId: string;
}

/** One claim: `limit` rows, all permitted or none (SET expressions read the row as it was). */
type ClaimPart = Omit<ClaimOptions, 'permit'> & { readonly permitted: boolean };

/** The claiming UPDATE … RETURNING, on `db` (or inside a WITH). */
function claimQuery(db: QueryCreator<Schema>, dialect: DialectName, now: number, options: ClaimPart) {
  const token = `${options.dispatcherId}/${randomBase62(10)}`;
  const step = options.permitted ? 1 : 0;
  return db.updateTable('webhook_deliveries')
    .set((eb) => ({
      lease_token: token,
      // Only a holder that had a permit may have sent: only its lease is an orphan to record.
      stale_lease_token: eb.case().when('permit_token', 'is not', null).then(eb.ref('lease_token')).else(null).end(),
      permit_token: options.permitted ? token : null,
      lease_until: now + options.leaseMs,
      attempt_count: eb('attempt_count', '+', step),
      round_attempts: eb('round_attempts', '+', step),
      last_attempt_at: options.permitted ? now : eb.ref('last_attempt_at'),
      updated_at: now,
    }))
    .where('id', 'in', (eb) => {
      let due = eb.selectFrom('webhook_deliveries').select('id')
        .where('status', '=', 'pending').where('next_attempt_at', '<=', now)
        .where((w) => w.or([w('lease_until', 'is', null), w('lease_until', '<=', now)]))
        .orderBy('next_attempt_at').limit(options.limit);
      if (dialect === 'postgres') due = due.forUpdate().skipLocked();
      return due;
    })
    .returning(CLAIMED_COLUMNS);
}

/**
 * The previous holder's lease ran out without a result after it permitted a send: record that
 * send as unanswered. Its number is the attempt count before this claim's own permit, if any.
 */
async function recordOrphans(db: Kysely<Schema>, claimed: readonly ClaimedDelivery[], now: number, leaseMs: number): Promise<void> {
  const orphans = claimed.filter((row) => row.stale_lease_token !== null);
  if (orphans.length === 0) return;
  await db.insertInto('webhook_attempts').values(orphans.map((row) => ({
    delivery_id: row.id, event_id: row.event_id, attempt_no: row.attempt_count - (row.permit_token === null ? 0 : 1), url: row.url,
    started_at: now - leaseMs, duration_ms: 0, http_status: null, response_excerpt: null, succeeded: 0 as const,
    error: 'no result recorded: the dispatcher that claimed this attempt stopped (crash or kill) before recording it; it may or may not have been sent, so it is sent again',
    dispatcher: row.stale_lease_token!.split('/')[0]!,
  }))).onConflict((oc) => oc.columns(['delivery_id', 'attempt_no']).doNothing()).execute();
}

/** Takes up to `limit` due deliveries under a lease of `leaseMs`. */
async function claimDueDeliveries(store: Store, options: ClaimPart): Promise<ClaimedDelivery[]> {
  if (options.limit <= 0) return [];
  const claimed = await claimQuery(store.db, store.dialect, store.now, options).execute() as ClaimedDelivery[];
  await recordOrphans(store.db, claimed, store.now, options.leaseMs);
  return claimed;
}

/** Claimed deliveries with what sending them needs: their bodies, and their endpoints' secret rows. */
export interface ClaimBatch {
  readonly deliveries: ClaimedDelivery[];
  /** By `payloadKey` (event id and format). */
  readonly bodies: Map<string, string>;
  readonly endpoints: Map<string, Pick<Selectable<WebhookEndpointsTable>, 'secret' | 'previous_secret' | 'previous_secret_expires_at'>>;
}

type EventBodyColumns = Pick<Selectable<EventsTable>, 'id' | 'type' | 'created_at' | 'livemode' | 'app_id' | 'data'>;

/** An `event`-format body is the immutable event row itself, so it is rendered, not stored. */
function eventBody(row: EventBodyColumns): string {
  return eventFormat.render({ event: { ...row, seq: 0, charge_id: null, channel_id: null } })!;
}

/**
 * Claims up to `limit` due deliveries, the first `permit` of them permitted: one claim of each
 * kind (a claim needing no permit, or taking none, is one statement).
 */
export async function claimBatch(store: Store, options: ClaimOptions): Promise<ClaimBatch> {
  const permitted = Math.min(Math.max(options.permit, 0), options.limit);
  const batch = await claimBatchPart(store, { ...options, limit: permitted, permitted: true });
  if (batch.deliveries.length < permitted) return batch; // nothing more is due
  const rest = await claimBatchPart(store, { ...options, limit: options.limit - permitted, permitted: false });
  batch.deliveries.push(...rest.deliveries);
  for (const [key, body] of rest.bodies) batch.bodies.set(key, body);
  for (const [id, endpoint] of rest.endpoints) batch.endpoints.set(id, endpoint);
  return batch;
}

/**
 * `claimDueDeliveries` plus the reads that follow it. On PostgreSQL all in one statement (the
 * claim in a WITH, joined to bodies and secrets): one round trip for the dispatcher's hot path.
 */
async function claimBatchPart(store: Store, options: ClaimPart): Promise<ClaimBatch> {
  const batch: ClaimBatch = { deliveries: [], bodies: new Map(), endpoints: new Map() };
  if (options.limit <= 0) return batch;
  if (store.dialect !== 'postgres') {
    batch.deliveries.push(...await claimDueDeliveries(store, options));
    if (batch.deliveries.length === 0) return batch;
    const ids = (format: 'event' | 'stored') => [...new Set(batch.deliveries.filter((d) => (d.format === 'event') === (format === 'event')).map((d) => d.event_id))];
    const [eventIds, storedIds] = [ids('event'), ids('stored')];
    if (eventIds.length) {
      for (const row of await store.db.selectFrom('events').select(['id', 'type', 'created_at', 'livemode', 'app_id', 'data']).where('id', 'in', eventIds).execute()) {
        batch.bodies.set(payloadKey({ event_id: row.id, format: 'event' }), eventBody(row));
      }
    }
    if (storedIds.length) {
      for (const row of await store.db.selectFrom('webhook_payloads').selectAll().where('event_id', 'in', storedIds).execute()) batch.bodies.set(payloadKey(row), row.body);
    }
    const endpointIds = [...new Set(batch.deliveries.map((d) => d.endpoint_id).filter((id): id is string => id !== null))];
    if (endpointIds.length) {
      for (const row of await store.db.selectFrom('webhook_endpoints').select(['id', 'secret', 'previous_secret', 'previous_secret_expires_at']).where('id', 'in', endpointIds).execute()) batch.endpoints.set(row.id, row);
    }
    return batch;
  }
  const rows = await store.db.with('claimed', (db) => claimQuery(db, store.dialect, store.now, options))
    .selectFrom('claimed')
    .leftJoin('webhook_payloads as p', (join) => join.onRef('p.event_id', '=', 'claimed.event_id').onRef('p.format', '=', 'claimed.format'))
    .leftJoin('events as ev', (join) => join.onRef('ev.id', '=', 'claimed.event_id').on('claimed.format', '=', 'event'))
    .leftJoin('webhook_endpoints as e', 'e.id', 'claimed.endpoint_id')
    .selectAll('claimed')
    .select(['p.body', 'ev.type as ev_type', 'ev.created_at as ev_created_at', 'ev.livemode as ev_livemode', 'ev.app_id as ev_app_id', 'ev.data as ev_data'])
    .select(['e.secret', 'e.previous_secret', 'e.previous_secret_expires_at'])
    .execute();
  for (const { body, ev_type, ev_created_at, ev_livemode, ev_app_id, ev_data, secret, previous_secret, previous_secret_expires_at, ...delivery } of rows) {
    batch.deliveries.push(delivery as ClaimedDelivery);
    if (body !== null) batch.bodies.set(payloadKey(delivery), body);
    if (ev_data !== null && ev_type !== null && ev_created_at !== null && ev_livemode !== null && ev_app_id !== null) {
      batch.bodies.set(payloadKey(delivery), eventBody({ id: delivery.event_id, type: ev_type, created_at: ev_created_at, livemode: ev_livemode, app_id: ev_app_id, data: ev_data }));
    }
    if (delivery.endpoint_id && secret !== null) batch.endpoints.set(delivery.endpoint_id, { secret, previous_secret, previous_secret_expires_at });
  }
  await recordOrphans(store.db, batch.deliveries, store.now, options.leaseMs);
  return batch;
}

/** The key of a body: an event in a format. */
export function payloadKey(row: { event_id: string; format: string }): string {
  return `${row.event_id}\u0000${row.format}`;
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

/** One outcome as a JSON row: the attempt, and the delivery's next state. */
const OUTCOME_COLUMNS: readonly JsonColumn[] = [
  { name: 'id', type: 'text' }, { name: 'lease', type: 'text' }, { name: 'event_id', type: 'text' }, { name: 'attempt_no', type: 'integer' },
  { name: 'url', type: 'text' }, { name: 'started_at', type: 'bigint' }, { name: 'duration_ms', type: 'integer' }, { name: 'http_status', type: 'integer' },
  { name: 'excerpt', type: 'text' }, { name: 'error', type: 'text' }, { name: 'succeeded', type: 'integer' },
  { name: 'status', type: 'text' }, { name: 'next_at', type: 'bigint' }, { name: 'completed', type: 'bigint' },
];

const recordStatements = perDialect((dialect): { all: string } | { attempts: string; update: string } => {
  const attempts = (rows: string, dispatcher: string) => `insert into webhook_attempts
      (delivery_id, event_id, attempt_no, url, started_at, duration_ms, http_status, response_excerpt, error, succeeded, dispatcher)
    select id, event_id, attempt_no, url, started_at, duration_ms, http_status, excerpt, error, succeeded, ${dispatcher} from ${rows} as r
    where true on conflict (delivery_id, attempt_no) do nothing`;
  const update = (rows: string, now: string) => `update webhook_deliveries set
      status = r.status, next_attempt_at = r.next_at, lease_until = null, lease_token = null, stale_lease_token = null, permit_token = null,
      last_http_status = r.http_status, last_error = r.error, completed_at = r.completed, updated_at = ${now}
    from ${rows} as r where webhook_deliveries.id = r.id and webhook_deliveries.lease_token = r.lease`;
  if (dialect === 'postgres') {
    // One statement, atomic on its own: one round trip records the whole batch.
    return { all: `with r as (${selectJsonRows(dialect, OUTCOME_COLUMNS, '$1')}), a as (${attempts('r', '$2::text')}) ${update('r', '$3::bigint')}` };
  }
  // SQLite has no INSERT inside WITH: two statements (the caller's transaction holds them together).
  // Parameters in text order: the dispatcher (or the time) comes before the rows.
  const rows = `(${selectJsonRows(dialect, OUTCOME_COLUMNS, '?')})`;
  return { attempts: attempts(rows, '?'), update: update(rows, '?') };
});

/**
 * Writes the attempts and the deliveries' next state: one INSERT of every attempt and one UPDATE
 * of every delivery, over JSON rows (json-rows.ts), and on PostgreSQL both in a single statement
 * — one round trip, atomic on its own. Each delivery is updated only while the lease is still
 * ours; a result whose lease was lost still leaves its attempt row (numbered by its claim, so
 * never twice).
 */
export async function recordOutcomes(store: Store, outcomes: readonly SendOutcome[], options: { schedule: readonly number[]; dispatcherId: string }): Promise<void> {
  if (outcomes.length === 0) return;
  const { db, dialect, now } = store;
  const rows = JSON.stringify(outcomes.map((o): JsonValue[] => {
    const next = o.succeeded ? null : nextAttemptAt(options.schedule, o.delivery.round_attempts, now);
    const status = o.succeeded ? 'succeeded' : next === null ? 'failed' : 'pending';
    const d = o.delivery;
    return [d.id, d.lease_token, d.event_id, d.attempt_count, d.url, o.startedAt, o.durationMs, o.httpStatus, o.excerpt, o.error, o.succeeded ? 1 : 0,
      status, next, status === 'pending' ? null : now];
  }));
  const statements = recordStatements(dialect);
  if ('all' in statements) {
    await runSql(db, statements.all, [rows, options.dispatcherId, now]);
  } else {
    await runSqlChanges(db, statements.attempts, [options.dispatcherId, rows]);
    await runSqlChanges(db, statements.update, [now, rows]);
  }
}

/**
 * Gives back claimed deliveries that were never sent (a stopping dispatcher's queue, leases about
 * to run out): due now, and a permit one of them held undone (its attempt and schedule step taken
 * back, the mark cleared) in the same write — we know it was not sent. Whether it holds one is
 * read from the row, which also covers a permit write whose answer was lost.
 */
export async function releaseClaims(store: Store, deliveries: readonly ClaimedDelivery[]): Promise<void> {
  const byLease = new Map<string, string[]>();
  for (const d of deliveries) byLease.set(d.lease_token, [...(byLease.get(d.lease_token) ?? []), d.id]);
  for (const [lease, ids] of byLease) {
    await store.db.updateTable('webhook_deliveries').set((eb) => {
      const permitStep = eb.case().when('permit_token', 'is not', null).then(1).else(0).end();
      return {
        lease_until: null, lease_token: null, stale_lease_token: null, permit_token: null, next_attempt_at: store.now,
        attempt_count: eb('attempt_count', '-', permitStep), round_attempts: eb('round_attempts', '-', permitStep), updated_at: store.now,
      };
    }).where('lease_token', '=', lease).where('id', 'in', ids).execute();
  }
}
