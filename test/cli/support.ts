/**
 * Helpers for CLI tests: run `main(argv)` in-process with a captured environment and output,
 * make an empty database URL per dialect (a temporary SQLite file, or a brand-new PostgreSQL
 * database) so commands are tested from nothing, as a script would run them, and run
 * `paygate serve` as a real process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
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

export interface Served {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
}

/** Starts `paygate serve` (with `flags`) as a real process through tsx, on a free port; resolves once it serves. */
export function startServe(env: Record<string, string>, flags: readonly string[] = ['--no-jobs']): Promise<Served> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', ...flags], {
    cwd: process.cwd(), env: { PATH: process.env.PATH ?? '', ...env, PORT: '0' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => { out += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { out += chunk.toString(); });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}`)), 90_000);
    const check = (): void => {
      const match = /paygate is serving on (http:\/\/\S+)/.exec(out);
      if (match && out.includes('Press Ctrl-C')) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, output: () => out });
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited with ${code}:\n${out}`)); });
  });
}

export function alive(served: Served): boolean {
  return served.child.exitCode === null && served.child.signalCode === null;
}

/** Sends `signal` and resolves with the exit code, or the signal's name if the process died of one. */
export function stop(served: Served, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | string | null> {
  if (!alive(served)) return Promise.resolve(served.child.exitCode ?? served.child.signalCode);
  return new Promise((resolve) => {
    served.child.once('exit', (code, killedBy) => resolve(code ?? killedBy));
    served.child.kill(signal);
  });
}
