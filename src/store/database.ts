/**
 * Opens paygate's database from a URL: `sqlite:./data/paygate.db` (default, embedded),
 * `sqlite::memory:`, or `postgres://…`. SQLite runs in WAL mode with `synchronous=FULL`, so a
 * charge acknowledged to a client survives a power cut.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import type { Schema } from './schema.js';
import { withStatementCache } from './statement-cache.js';
import { SqliteGroupCommitter } from './group-commit.js';
import type { ChargeWrites } from './charge-writes.js';
import { mainThreadChargeWrites, statementRunner } from './charge-writes-sqlite.js';
import { configureConnection } from './sqlite-connection.js';
import { SqliteWriter } from './sqlite-writer.js';
import { WriteLock } from './write-lock.js';
import { postgresChargeWrites } from './charge-writes-postgres.js';

export type DialectName = 'sqlite' | 'postgres';

export interface Database {
  readonly db: Kysely<Schema>;
  readonly dialect: DialectName;
  readonly url: string;
  /**
   * Runs `work` in one transaction and resolves once it is durably committed. SQLite groups
   * concurrent units into one commit (see group-commit.ts); PostgreSQL uses a transaction each.
   * `work` must use only the handle it is given: the SQLite connection is held meanwhile.
   */
  transaction<T>(work: (trx: Kysely<Schema>) => Promise<T>): Promise<T>;
  /** The hot writes (new charge, transition) as data, run in bulk; see charge-writes.ts.
   * Never call them from inside `transaction` work: on SQLite they wait for the same write lock. */
  readonly chargeWrites: ChargeWrites;
  /** SQLite only: how many commits the group committer made for how many units. */
  readonly commitStats?: { readonly batches: number; readonly units: number };
  /** SQLite file only: how many commits the writer thread made for how many charge writes. */
  readonly writerStats?: { readonly batches: number; readonly writes: number };
  /** For PostgreSQL only: the pool, for LISTEN/NOTIFY and advisory locks. */
  readonly pool?: pg.Pool;
  close(): Promise<void>;
}

export const DEFAULT_DATABASE_URL = 'sqlite:./data/paygate.db';

// int8 (bigint, bigserial, count) as a JS number: every value paygate stores is below 2^53.
pg.types.setTypeParser(20, (value: string) => Number(value));

export function dialectOf(url: string): DialectName {
  if (url.startsWith('sqlite:')) return 'sqlite';
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return 'postgres';
  throw new Error(`DATABASE_URL must start with sqlite: or postgres:// (got "${redactUrl(url)}")`);
}

export function openDatabase(url: string = DEFAULT_DATABASE_URL, options: { poolSize?: number } = {}): Database {
  const dialect = dialectOf(url);
  if (dialect === 'sqlite') {
    const file = url.slice('sqlite:'.length) || ':memory:';
    if (file !== ':memory:') mkdirSync(dirname(resolve(file)), { recursive: true });
    const sqlite = new SqliteDatabase(file);
    configureConnection(sqlite);
    const statements = withStatementCache(sqlite);
    const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: statements }) });
    const lock = new WriteLock();
    const committer = new SqliteGroupCommitter(db, lock);
    const transaction = <T>(work: (trx: Kysely<Schema>) => Promise<T>): Promise<T> => committer.run(work);
    // A database file gets a writer thread for the charge writes; an in-memory database exists
    // only on this connection, so there they run here, inside the group commit.
    const writer = file === ':memory:' ? null : new SqliteWriter(file, lock);
    const chargeWrites = writer ?? mainThreadChargeWrites((work) => committer.run(work),
      statementRunner((sql) => statements.prepare(sql) as unknown as SqliteDatabase.Statement));
    const close = async (): Promise<void> => {
      await writer?.close();
      await db.destroy();
    };
    return { db, dialect, url, transaction, chargeWrites, commitStats: committer.stats, writerStats: writer?.stats, close };
  }
  const pool = new pg.Pool({ connectionString: url, max: options.poolSize ?? 10 });
  // An idle client whose server connection drops (restart, failover) emits 'error' on the pool;
  // unhandled, that would crash the process. The pool replaces the client on next use.
  pool.on('error', (error) => {
    if ((error as { code?: string }).code !== '57P01') console.warn(`[paygate] idle PostgreSQL connection lost: ${error.message}`);
  });
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect, url, pool, transaction: (work) => db.transaction().execute(work), chargeWrites: postgresChargeWrites(pool), close: () => db.destroy() };
}

/** Hides a password in a database URL before it reaches a log. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):([^@]+)@/, '//$1:***@');
}

/** `SELECT … FOR UPDATE` where the dialect has it; SQLite serialises writers on its own. */
export function lockClause(dialect: DialectName) {
  return dialect === 'postgres' ? sql` for update` : sql``;
}
