/**
 * The writes of a fan-out: bodies, deliveries, and the queue rows they replace, each a single
 * statement over JSON rows (json-rows.ts) whatever the batch size. On PostgreSQL the three are
 * one statement (data-modifying WITH), atomic on its own, so a fan-out needs no transaction;
 * on SQLite they run inside the caller's transaction.
 *
 * Deliveries are inserted with ON CONFLICT DO NOTHING and the statement returns the ids it did
 * insert: when two dispatchers fan out the same event, one delivery row is written and only its
 * writer holds it (a delivery may be written already claimed, see fanout.ts).
 */
import type { Insertable, Kysely } from 'kysely';
import type { Schema, WebhookDeliveriesTable } from '../store/schema.js';
import type { DialectName } from '../store/database.js';
import { perDialect, runSql, runSqlChanges, selectJsonRows, type JsonColumn, type JsonValue } from './json-rows.js';

type DeliveryInsert = Insertable<WebhookDeliveriesTable>;

const DELIVERY_COLUMNS = [
  ['id', 'text'], ['event_id', 'text'], ['event_seq', 'bigint'], ['event_type', 'text'], ['app_id', 'text'], ['livemode', 'integer'],
  ['charge_id', 'text'], ['target', 'text'], ['endpoint_id', 'text'], ['url', 'text'], ['format', 'text'], ['require_success_body', 'integer'],
  ['status', 'text'], ['attempt_count', 'integer'], ['round_attempts', 'integer'], ['next_attempt_at', 'bigint'], ['lease_until', 'bigint'],
  ['lease_token', 'text'], ['stale_lease_token', 'text'], ['permit_token', 'text'], ['last_attempt_at', 'bigint'], ['last_http_status', 'integer'], ['last_error', 'text'],
  ['created_at', 'bigint'], ['updated_at', 'bigint'], ['completed_at', 'bigint'],
].map(([name, type]) => ({ name, type })) as unknown as readonly (JsonColumn & { name: keyof DeliveryInsert })[];

/** A row's values in `DELIVERY_COLUMNS` order (spelt out: this runs once per delivery). */
function deliveryValues(r: DeliveryInsert): JsonValue[] {
  return [
    r.id, r.event_id, r.event_seq, r.event_type, r.app_id, r.livemode, r.charge_id ?? null, r.target, r.endpoint_id ?? null, r.url, r.format, r.require_success_body,
    r.status, r.attempt_count ?? 0, r.round_attempts ?? 0, r.next_attempt_at ?? null, r.lease_until ?? null, r.lease_token ?? null, r.stale_lease_token ?? null, r.permit_token ?? null,
    r.last_attempt_at ?? null, r.last_http_status ?? null, r.last_error ?? null, r.created_at, r.updated_at, r.completed_at ?? null,
  ];
}

const PAYLOAD_COLUMNS: readonly JsonColumn[] = [{ name: 'event_id', type: 'text' }, { name: 'format', type: 'text' }, { name: 'body', type: 'text' }];
const SEQ_COLUMNS: readonly JsonColumn[] = [{ name: 'event_seq', type: 'bigint' }];

const names = (columns: readonly JsonColumn[]) => columns.map((c) => c.name).join(', ');

const statements = perDialect((dialect) => {
  const p = (n: number) => (dialect === 'sqlite' ? '?' : `$${n}`);
  // SQLite needs a WHERE in INSERT … SELECT … ON CONFLICT (a parsing ambiguity otherwise).
  const payloads = (n: number) => `insert into webhook_payloads (${names(PAYLOAD_COLUMNS)}) ${selectJsonRows(dialect, PAYLOAD_COLUMNS, p(n))} where true on conflict (event_id, format) do nothing`;
  const deliveries = (n: number) => `insert into webhook_deliveries (${names(DELIVERY_COLUMNS)}) ${selectJsonRows(dialect, DELIVERY_COLUMNS, p(n))} where true on conflict (event_id, target) do nothing returning id`;
  const dequeue = (n: number) => `delete from webhook_fanout where event_seq in (${selectJsonRows(dialect, SEQ_COLUMNS, p(n))})`;
  return {
    payloads: payloads(1),
    // SQLite: one prepared single-row insert per delivery beats both a JSON row set (25 columns
    // read back from JSON cost more than the insert) and a long VALUES list; and without
    // RETURNING (which doubles its cost) the count of changed rows says whether it went in.
    delivery: `insert into webhook_deliveries (${names(DELIVERY_COLUMNS)}) values (${DELIVERY_COLUMNS.map(() => '?').join(', ')}) on conflict (event_id, target) do nothing`,
    dequeue: dequeue(1),
    // PostgreSQL: all three at once; every part of a WITH runs, read or not. The queue rows go
    // by an array, so each is found through the primary key.
    all: `with payloads as (${payloads(1)}), dequeued as (delete from webhook_fanout where event_seq = any($2::bigint[])) ${deliveries(3)}`,
  };
});

/** A delivery to write and the body its attempts will send. */
export interface DeliveryWrite {
  readonly row: DeliveryInsert;
  readonly body: string;
}

/**
 * Writes deliveries and their bodies (skipping any that already exist) and removes the queue rows
 * `dequeue` of the events they came from. Answers the ids of the deliveries it inserted.
 * `event`-format bodies are not stored: the event row is immutable and a claim renders them again.
 */
export async function writeDeliveries(db: Kysely<Schema>, dialect: DialectName, planned: readonly DeliveryWrite[], dequeue: readonly number[] = []): Promise<Set<string>> {
  const sql = statements(dialect);
  const bodies = new Map<string, JsonValue[]>();
  for (const p of planned) if (p.row.format !== 'event') bodies.set(`${p.row.event_id}\u0000${p.row.format}`, [p.row.event_id, p.row.format, p.body]);
  const rows = planned.map((p) => deliveryValues(p.row));
  let inserted: Array<{ id: string }> = [];
  if (dialect === 'postgres') {
    inserted = await runSql<{ id: string }>(db, sql.all, [JSON.stringify([...bodies.values()]), dequeue, JSON.stringify(rows)]);
  } else {
    if (bodies.size) await runSql(db, sql.payloads, [JSON.stringify([...bodies.values()])]);
    for (const row of rows) if (await runSqlChanges(db, sql.delivery, row) === 1) inserted.push({ id: row[0] as string });
    if (dequeue.length) await runSql(db, sql.dequeue, [JSON.stringify(dequeue.map((seq) => [seq]))]);
  }
  return new Set(inserted.map((r) => r.id));
}
