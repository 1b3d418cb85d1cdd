/** Throw-away databases for the benchmarks: a SQLite file in a temp dir, or a new PostgreSQL database. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface BenchDatabase {
  readonly url: string;
  readonly dataDir: string;
  /** Settings that decide durability, as the server reports them. */
  durability(): Promise<string>;
  drop(): Promise<void>;
}

export async function benchDatabase(dialect: 'sqlite' | 'postgres', pgAdminUrl?: string): Promise<BenchDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'paygate-bench-'));
  if (dialect === 'sqlite') {
    const url = `sqlite:${join(dataDir, 'paygate.db')}`;
    return {
      url, dataDir,
      async durability() {
        // Asked of a connection opened exactly as the server opens it.
        const { openDatabase } = await import('../../src/store/database.js');
        const { sql } = await import('kysely');
        const database = openDatabase(url);
        try {
          const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(database.db);
          const sync = await sql<{ synchronous: number }>`pragma synchronous`.execute(database.db);
          const names = ['OFF', 'NORMAL', 'FULL', 'EXTRA'];
          return `journal_mode=${mode.rows[0]?.journal_mode}, synchronous=${names[sync.rows[0]?.synchronous ?? -1] ?? '?'}`;
        } finally {
          await database.close();
        }
      },
      drop: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  if (!pgAdminUrl) throw new Error('no PostgreSQL URL');
  const name = `paygate_bench_${randomBytes(5).toString('hex')}`;
  await query(pgAdminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(pgAdminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(), dataDir,
    async durability() {
      const rows = await query(url.toString(), "select name, setting from pg_settings where name in ('fsync', 'synchronous_commit', 'full_page_writes', 'wal_sync_method') order by name");
      return rows.map((r) => `${r.name}=${r.setting}`).join(', ');
    },
    async drop() {
      await query(pgAdminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function query(url: string, text: string): Promise<Record<string, string>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Record<string, string>>(text)).rows;
  } finally {
    await client.end();
  }
}

/** Whether a PostgreSQL server answers at `url`. */
export async function postgresAnswers(url: string): Promise<boolean> {
  try {
    await query(url, 'select 1');
    return true;
  } catch {
    return false;
  }
}
