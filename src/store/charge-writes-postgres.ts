/**
 * Charge writes on PostgreSQL: the writes submitted in one event-loop turn go to the server as
 * ONE statement per `POSTGRES_BATCH` writes (data-modifying CTEs over `jsonb_to_recordset`),
 * which PostgreSQL runs and commits atomically. Per charge that replaces five round trips (begin,
 * three inserts, commit) with a share of one. Each write still has its own outcome: a duplicate
 * `order_no` or a lost status race leaves only that write out. Should the batch statement fail for
 * another reason (one bad row), each write is retried alone, so one write's error never fails its
 * neighbours.
 */
import type pg from 'pg';
import { POSTGRES_BATCH, TickBatcher, type BatchOutcome } from './tick-batcher.js';
import {
  CHARGE_COLUMNS, EVENT_COLUMNS, LOG_COLUMNS, transitionColumns,
  type ChargeWrites, type EventRow, type InsertChargeOutcome, type LogRow, type NewChargeWrite, type TransitionOutcome, type TransitionWrite,
} from './charge-writes.js';

type Columns = ReadonlyArray<readonly [string, string]>;

const names = (columns: Columns, prefix = ''): string => columns.map(([name]) => `${prefix}${name}`).join(', ');
const recordType = (columns: Columns): string => columns.map(([name, type]) => `${name} ${type}`).join(', ');

/** Log and event rows of the batch, each tagged with the write it belongs to (`item`) and its place (`ord`). */
function childInserts(applied: string): string {
  return `
  logs as (
    insert into charge_logs (${names(LOG_COLUMNS)})
    select ${names(LOG_COLUMNS, 'l.')} from jsonb_to_recordset($2::jsonb) as l(item integer, ord integer, ${recordType(LOG_COLUMNS)})
    where l.item in (select item from ${applied}) order by l.ord
  ),
  events as (
    insert into events (${names(EVENT_COLUMNS)})
    select ${names(EVENT_COLUMNS, 'e.')} from jsonb_to_recordset($3::jsonb) as e(item integer, ord integer, ${recordType(EVENT_COLUMNS)})
    where e.item in (select item from ${applied}) order by e.ord
  )`;
}

const INSERT_CHARGES = `
with input as (
  select * from jsonb_to_recordset($1::jsonb) as x(item integer, ${recordType(CHARGE_COLUMNS)})
),
inserted as (
  insert into charges (${names(CHARGE_COLUMNS)})
  select ${names(CHARGE_COLUMNS)} from input order by item
  on conflict (app_id, livemode, order_no) do nothing
  returning id
),
applied as (select input.item from input join inserted on inserted.id = input.id),${childInserts('applied')}
select item from applied`;

/** One `set` expression per column: the write's value when it names the column, else the current one. */
const SET_EVERY_COLUMN = CHARGE_COLUMNS.filter(([name]) => name !== 'id')
  .map(([name, type]) => `${name} = case when x.set ? '${name}' then (x.set->>'${name}')::${type} else c.${name} end`).join(',\n    ');

// When two writes of one batch aim at the same charge, PostgreSQL updates the row once, with
// one of them; `returning x.item` says which, and only that write's logs and events are kept.
const APPLY_TRANSITIONS = `
with input as (
  select * from jsonb_to_recordset($1::jsonb) as x(item integer, charge_id text, expected_status text, set jsonb)
),
applied as (
  update charges c set
    ${SET_EVERY_COLUMN}
  from input x
  where c.id = x.charge_id and c.status = x.expected_status
  returning x.item
),${childInserts('applied')}
select item from applied`;

function tagged<T extends object>(rows: ReadonlyArray<readonly T[]>): string {
  let ord = 0;
  return JSON.stringify(rows.flatMap((list, item) => list.map((row) => ({ ...row, item, ord: ord++ }))));
}

async function appliedItems(pool: pg.Pool, name: string, text: string, values: string[]): Promise<Set<number>> {
  const result = await pool.query<{ item: number }>({ name, text, values });
  return new Set(result.rows.map((row) => row.item));
}

/** Runs a batch as one statement; when that fails, each write alone, so only the bad one fails. */
function batched<W, R>(pool: pg.Pool, runBatch: (pool: pg.Pool, writes: readonly W[]) => Promise<R[]>): TickBatcher<W, R> {
  return new TickBatcher<W, R>(async (writes): Promise<BatchOutcome<R>[]> => {
    try {
      return (await runBatch(pool, writes)).map((value) => ({ ok: true, value }));
    } catch (error) {
      if (writes.length === 1) return [{ ok: false, error }];
      return Promise.all(writes.map(async (write) => {
        try {
          const [value] = await runBatch(pool, [write]);
          return { ok: true as const, value: value! };
        } catch (alone) {
          return { ok: false as const, error: alone };
        }
      }));
    }
  }, POSTGRES_BATCH);
}

async function insertBatch(pool: pg.Pool, writes: readonly NewChargeWrite[]): Promise<InsertChargeOutcome[]> {
  const charges = JSON.stringify(writes.map((write, item) => ({ ...write.charge, item })));
  const applied = await appliedItems(pool, 'paygate_insert_charges', INSERT_CHARGES, [
    charges, tagged(writes.map((w) => w.logs as LogRow[])), tagged(writes.map((w) => w.events as EventRow[])),
  ]);
  return writes.map((_, item) => (applied.has(item) ? 'inserted' : 'order_no_in_use'));
}

async function transitionBatch(pool: pg.Pool, writes: readonly TransitionWrite[]): Promise<TransitionOutcome[]> {
  for (const write of writes) transitionColumns(write);
  const input = JSON.stringify(writes.map((write, item) => ({ item, charge_id: write.charge_id, expected_status: write.expected_status, set: write.set })));
  const applied = await appliedItems(pool, 'paygate_apply_transitions', APPLY_TRANSITIONS, [
    input, tagged(writes.map((w) => w.logs as LogRow[])), tagged(writes.map((w) => w.events as EventRow[])),
  ]);
  return writes.map((_, item) => (applied.has(item) ? 'applied' : 'status_changed'));
}

export function postgresChargeWrites(pool: pg.Pool): ChargeWrites {
  const inserts = batched(pool, insertBatch);
  const transitions = batched(pool, transitionBatch);
  return {
    insertCharge: (write) => inserts.submit(write),
    applyTransition: (write) => transitions.submit(write),
  };
}
