/**
 * Helpers for CLI tests: run `main(argv)` in-process with a captured environment and output, and
 * make an empty database URL per dialect (a temporary SQLite file, or a brand-new PostgreSQL
 * database) so commands are tested from nothing, as a script would run them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { main } from '../../src/cli/main.js';
import type { DialectName } from '../../src/store/database.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `paygate ...args` in this process with exactly `env` (nothing inherited). */
export async function runCli(args: readonly string[], env: Record<string, string>, cwd = process.cwd()): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'paygate', ...args], {
    env, cwd,
    stdout: (text) => { stdout += text; },
    stderr: (text) => { stderr += text; },
  });
  return { code, stdout, stderr };
}

export interface EmptyDatabase {
  readonly url: string;
  /** A fresh data directory beside it (master key, demo keys). */
  readonly dataDir: string;
  drop(): Promise<void>;
}

/** An empty, unmigrated database of the dialect, and a data directory. */
export async function emptyDatabase(dialect: DialectName): Promise<EmptyDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'paygate-cli-'));
  if (dialect === 'sqlite') {
    return { url: `sqlite:${join(dataDir, 'paygate.db')}`, dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const adminUrl = process.env.PAYGATE_TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('PAYGATE_TEST_DATABASE_URL is not set');
  const name = `paygate_cli_${randomBytes(6).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dataDir,
    async drop() {
      await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function adminQuery(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** The environment a CLI test runs with: its own database and data directory, a fixed master key. */
export function cliEnv(db: EmptyDatabase, extra: Record<string, string> = {}): Record<string, string> {
  return { DATABASE_URL: db.url, PAYGATE_DATA_DIR: db.dataDir, PAYGATE_MASTER_KEY: '07'.repeat(32), ...extra };
}
