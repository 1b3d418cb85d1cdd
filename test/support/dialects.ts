/**
 * Every storage and engine test runs on SQLite and on PostgreSQL. `DIALECTS` lists both; the
 * PostgreSQL one is skipped (with a printed notice) unless PAYGATE_TEST_DATABASE_URL is set.
 * Each opened database is brand new (a fresh SQLite file, or a freshly created PostgreSQL
 * database), so test files run in parallel without seeing each other's rows.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type Database, type DialectName } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';

export interface TestDialect {
  readonly name: DialectName;
  readonly available: boolean;
  /** Opens a fresh, migrated database; `close()` drops it. */
  open(): Promise<Database>;
}

const pgUrl = process.env.PAYGATE_TEST_DATABASE_URL;
let noticePrinted = false;
if (!pgUrl && !noticePrinted) {
  noticePrinted = true;
  console.warn('[paygate tests] PAYGATE_TEST_DATABASE_URL is not set: PostgreSQL variants are skipped.');
}

async function freshPostgres(): Promise<Database> {
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  const name = `paygate_t_${randomBytes(6).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(pgUrl!);
  url.pathname = `/${name}`;
  const database = openDatabase(url.toString());
  await migrateToLatest(database);
  return {
    ...database,
    async close() {
      await database.close();
      const dropper = new pg.Client({ connectionString: pgUrl });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
    },
  };
}

/** A database file, as `npm start` uses, so charge writes go through the writer thread. */
async function freshSqlite(): Promise<Database> {
  const dir = mkdtempSync(join(tmpdir(), 'paygate-test-'));
  const database = openDatabase(`sqlite:${join(dir, 'paygate.db')}`);
  await migrateToLatest(database);
  const close = database.close;
  return Object.assign(database, {
    async close() {
      await close();
      rmSync(dir, { recursive: true, force: true });
    },
  });
}

export const DIALECTS: readonly TestDialect[] = [
  { name: 'sqlite', available: true, open: freshSqlite },
  { name: 'postgres', available: Boolean(pgUrl), open: freshPostgres },
];
