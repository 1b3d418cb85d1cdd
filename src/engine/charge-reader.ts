/**
 * Reads charges by id, batched: the reads asked for during one event-loop turn go to the
 * database as one statement (on PostgreSQL one per `POSTGRES_BATCH` reads, the first leaving
 * before the turn ends). Notifies arrive in bursts (a provider retries, a busy shop gets
 * many payments at once); on PostgreSQL every query costs a round trip and ~0.1 ms of Node CPU,
 * so 64 concurrent notifies share one read instead of paying 64. On SQLite the batch is one
 * prepared statement run once instead of 64 trips through the query pipeline.
 *
 * A read is not a lock: callers that write what they read use a conditional write
 * (`chargeWrites.applyTransition` with the status they saw) and read again when it lost a race.
 */
import { CompiledQuery } from 'kysely';
import type { Database } from '../store/database.js';
import { POSTGRES_BATCH, TickBatcher, type BatchOutcome } from '../store/tick-batcher.js';
import type { ChargeRow } from './charge-object.js';

export interface ChargeReader {
  /** The charge as committed now, or `undefined` when there is no such charge. */
  read(id: string): Promise<ChargeRow | undefined>;
  /** Batches sent and reads they held, for benchmarks and tests. */
  readonly stats: { readonly batches: number; readonly items: number };
}

// One SQL text per dialect whatever the batch size: the ids travel as one parameter, so the
// statement is prepared once (PostgreSQL: per connection, by name; SQLite: the statement cache).
const POSTGRES_READ = 'select * from charges where id = any($1::text[])';
const SQLITE_READ = 'select * from charges where id in (select value from json_each(?))';

export function batchedChargeReader(database: Database): ChargeReader {
  const readBatch = database.dialect === 'postgres' ? postgresRead(database) : sqliteRead(database);
  const batcher = new TickBatcher<string, ChargeRow | undefined>(async (ids): Promise<BatchOutcome<ChargeRow | undefined>[]> => {
    const unique = [...new Set(ids)];
    const rows = new Map((await readBatch(unique)).map((row) => [row.id, row]));
    return ids.map((id) => ({ ok: true, value: rows.get(id) }));
  }, database.dialect === 'postgres' ? POSTGRES_BATCH : undefined);
  return { read: (id) => batcher.submit(id), stats: batcher.stats };
}

function postgresRead(database: Database): (ids: string[]) => Promise<ChargeRow[]> {
  const pool = database.pool;
  if (!pool) throw new Error('a PostgreSQL database without its pool');
  return async (ids) => (await pool.query<ChargeRow>({ name: 'paygate_read_charges', text: POSTGRES_READ, values: [ids] })).rows;
}

function sqliteRead(database: Database): (ids: string[]) => Promise<ChargeRow[]> {
  return async (ids) => (await database.db.executeQuery<ChargeRow>(CompiledQuery.raw(SQLITE_READ, [JSON.stringify(ids)]))).rows;
}
