/**
 * The admin console's transaction list at scale (issue 6): seeds a database with N charges
 * (1,000,000 by default) spread over 90 days, three apps, test and live mode, every status, then
 * asks the real admin API (HTTP, logged-in session) for pages: the first page, 50 pages deep by
 * keyset cursor, each filter alone and in combination, searches, an empty result, the live mode
 * and the dashboard. Target: every list page under 300 ms (p95) on SQLite and PostgreSQL.
 *
 *   node --import tsx bench/admin-list.ts [--charges 1000000] [--dialects sqlite,postgres]
 */
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { sql } from 'kysely';
import { openDatabase, type Database } from '../dist/store/database.js';
import { migrateToLatest } from '../dist/store/migrate.js';
import { createPaygate } from '../dist/engine/paygate.js';
import { buildServer } from '../dist/http/server.js';
import { adminConsoleFor } from '../dist/engine/admin/admin-console.js';
import { fixed, type BenchContext, type BenchSection, type BenchSectionResult } from './section.js';
import { benchDatabase } from './support/databases.js';

export const TARGET_MS = 300;
const DAY_MS = 86_400_000;

export interface ScenarioResult {
  readonly name: string;
  readonly rows: number;
  readonly p50: number;
  readonly p95: number;
  readonly max: number;
}

export interface AdminListResult {
  readonly dialect: 'sqlite' | 'postgres';
  readonly charges: number;
  readonly seedSeconds: number;
  readonly scenarios: ScenarioResult[];
}

/** Inserts `count` charges with one INSERT … SELECT over a generated series (fast on both dialects). */
export async function seedCharges(database: Database, count: number, apps: string[], testChannels: string[][], now: number): Promise<void> {
  const start = now - 90 * DAY_MS;
  const step = Math.max(1, Math.floor((90 * DAY_MS) / count));
  const app = `CASE n % 3 WHEN 0 THEN '${apps[0]}' WHEN 1 THEN '${apps[1]}' ELSE '${apps[2]}' END`;
  const testChannel = `CASE n % 6 ${testChannels.flatMap((pair, a) => pair.map((id, c) => `WHEN ${a + 3 * c} THEN '${id}'`)).join(' ')} END`;
  const channel = `CASE WHEN n % 10 = 0 THEN 'chn_bench_live_' || (n % 3) ELSE ${testChannel} END`;
  const status = `CASE WHEN m < 72 THEN 'succeeded' WHEN m < 86 THEN 'closed' WHEN m < 95 THEN 'pending' WHEN m < 97 THEN 'secured_paid' WHEN m < 98 THEN 'shipped' ELSE 'created' END`;
  const paid = 'm < 72 OR (m >= 95 AND m < 98)';
  const created = `(${start} + n * ${step})`;
  const columns = `id, app_id, channel_id, paying_channel_id, livemode, order_no, channel, type, amount, currency, amount_refunded, fee, amount_settle,
    status, escrow, client_ip, subject, body, description, extra, metadata, credential, extension, transaction_no, failure_code, failure_msg,
    closed_reason, shipment, notify_url, return_url, client_secret, time_expire, time_paid, time_shipped, time_succeeded, time_closed, created_at, updated_at`;
  const values = `'ch_bench' || n, ${app}, ${channel}, ${channel}, CASE WHEN n % 10 = 0 THEN 1 ELSE 0 END, 'BENCH-' || n, 'test',
    CASE WHEN n % 25 = 0 THEN 'recharge' ELSE 'order' END, 100 + (n * 7919) % 99900, 'cny',
    CASE WHEN m < 72 AND n % 50 = 0 THEN (100 + (n * 7919) % 99900) / 2 ELSE 0 END, 0, 100 + (n * 7919) % 99900,
    ${status}, CASE WHEN m >= 95 AND m < 98 THEN 1 ELSE 0 END, '127.0.0.1', 'Bench item ' || (n % 1000), 'bench', NULL, '{}', '{}', NULL, '{}',
    CASE WHEN ${paid} THEN 'T' || n ELSE NULL END, CASE WHEN m >= 72 AND m < 86 AND n % 2 = 0 THEN 'buyer_failed' ELSE NULL END,
    CASE WHEN m >= 72 AND m < 86 AND n % 2 = 0 THEN 'The buyer failed (bench)' ELSE NULL END, CASE WHEN m >= 72 AND m < 86 THEN 'expired' ELSE NULL END,
    NULL, NULL, NULL, 'cs_bench_' || n, ${created} + 3600000, CASE WHEN ${paid} THEN ${created} + 60000 ELSE NULL END, NULL,
    CASE WHEN m < 72 THEN ${created} + 60000 ELSE NULL END, CASE WHEN m >= 72 AND m < 86 THEN ${created} + 3600000 ELSE NULL END, ${created}, ${created}`;
  const batch = 250_000;
  for (let from = 1; from <= count; from += batch) {
    const to = Math.min(count, from + batch - 1);
    const series = database.dialect === 'postgres'
      ? `SELECT n, (n * 37) % 100 AS m FROM generate_series(${from}::bigint, ${to}::bigint) AS g(n)`
      : `WITH RECURSIVE seq(n) AS (SELECT ${from} UNION ALL SELECT n + 1 FROM seq WHERE n < ${to}) SELECT n, (n * 37) % 100 AS m FROM seq`;
    await sql.raw(`INSERT INTO charges (${columns}) SELECT ${values} FROM (${series}) AS base`).execute(database.db);
  }
  // What an operator's database has after a while (autovacuum / PRAGMA optimize): fresh statistics.
  await sql.raw(database.dialect === 'postgres' ? 'ANALYZE' : 'ANALYZE').execute(database.db);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))];
}

export interface MeasureOptions {
  readonly dialect: 'sqlite' | 'postgres';
  readonly charges?: number;
  readonly pgAdminUrl?: string;
  readonly repeats?: number;
  readonly log?: (line: string) => void;
}

/** Seeds a fresh database and measures the console's list pages over HTTP. */
export async function measureAdminList(options: MeasureOptions): Promise<AdminListResult> {
  const count = options.charges ?? 1_000_000;
  const repeats = options.repeats ?? 15;
  const log = options.log ?? (() => undefined);
  const bench = await benchDatabase(options.dialect, options.pgAdminUrl);
  const database = openDatabase(bench.url);
  try {
    await migrateToLatest(database);
    const paygate = createPaygate({ database, masterKey: Buffer.alloc(32, 9) });
    const apps: string[] = [];
    const channels: string[][] = [];
    for (const name of ['Bench shop', 'Bench SaaS', 'Bench mini-program']) {
      const { app } = await paygate.apps.create({ name });
      apps.push(app.id);
      const pair: string[] = [];
      for (const label of ['A', 'B']) pair.push((await paygate.channels.create(app.id, { type: 'test', name: `${name} ${label}`, options: { payment_password: '123456' } })).id);
      channels.push(pair);
    }
    const seedStart = Date.now();
    log(`admin-list: seeding ${count} charges on ${options.dialect}…`);
    await seedCharges(database, count, apps, channels, Date.now());
    const seedSeconds = (Date.now() - seedStart) / 1000;
    log(`admin-list: seeded in ${fixed(seedSeconds)} s`);

    const server = buildServer({ paygate });
    const url = (await server.listen({ host: '127.0.0.1', port: 0 })).replace('localhost', '127.0.0.1');
    try {
      await adminConsoleFor(paygate).users.create('bench', 'bench-password');
      const login = await fetch(`${url}/admin/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench', password: 'bench-password' }) });
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
      const get = async (path: string): Promise<{ ms: number; body: { data?: unknown[]; next_cursor?: string | null } }> => {
        const started = performance.now();
        const response = await fetch(`${url}/admin/api${path}`, { headers: { cookie } });
        const body = (await response.json()) as { data?: unknown[]; next_cursor?: string | null };
        const ms = performance.now() - started;
        if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(body)}`);
        return { ms, body };
      };
      const now = Date.now();
      const week = `created_gte=${now - 40 * DAY_MS}&created_lt=${now - 33 * DAY_MS}`;
      const scenarios: Array<[string, string]> = [
        ['first page (test mode)', '/transactions?livemode=false&limit=20'],
        ['first page (live mode, 10% of rows)', '/transactions?livemode=true&limit=20'],
        ['first page, 100 rows', '/transactions?livemode=false&limit=100'],
        ['status = closed', '/transactions?livemode=false&status=closed'],
        ['status = shipped (rare)', '/transactions?livemode=false&status=shipped'],
        ['app', `/transactions?livemode=false&app_id=${apps[1]}`],
        ['app + status + type', `/transactions?livemode=false&app_id=${apps[2]}&status=succeeded&type=recharge`],
        ['channel', `/transactions?livemode=false&channel_id=${channels[0][1]}`],
        ['channel + status', `/transactions?livemode=false&channel_id=${channels[0][1]}&status=pending`],
        ['type = recharge', '/transactions?livemode=false&type=recharge'],
        ['one week, 5 weeks ago', `/transactions?livemode=false&${week}`],
        ['one week + status', `/transactions?livemode=false&status=closed&${week}`],
        ['search order_no', `/transactions?livemode=all&q=BENCH-${Math.floor(count / 2) + 1}`],
        ['search channel trade no', `/transactions?livemode=all&q=T${Math.floor(count / 3) + 3}`],
        ['search charge id', `/transactions?livemode=all&q=ch_bench${Math.floor(count / 4)}`],
        ['no match (live + created)', '/transactions?livemode=true&status=created&type=recharge'],
        ['all modes, no filter', '/transactions?livemode=all'],
      ];
      const results: ScenarioResult[] = [];
      for (const [name, path] of scenarios) {
        await get(path); // warm the statement and page caches once
        const times: number[] = [];
        let rows = 0;
        for (let i = 0; i < repeats; i++) {
          const { ms, body } = await get(path);
          times.push(ms);
          rows = body.data?.length ?? 0;
        }
        times.sort((a, b) => a - b);
        results.push({ name, rows, p50: percentile(times, 0.5), p95: percentile(times, 0.95), max: times[times.length - 1] });
      }
      // Fifty pages deep by cursor: each page timed once.
      const deep: number[] = [];
      let cursor: string | null | undefined;
      for (let page = 0; page < 50; page++) {
        const { ms, body } = await get(`/transactions?livemode=false&limit=20${cursor ? `&starting_after=${cursor}` : ''}`);
        deep.push(ms);
        cursor = body.next_cursor;
        if (!cursor) break;
      }
      deep.sort((a, b) => a - b);
      results.push({ name: 'pages 1 to 50 by cursor', rows: 20, p50: percentile(deep, 0.5), p95: percentile(deep, 0.95), max: deep[deep.length - 1] });
      const dash: number[] = [];
      for (let i = 0; i < 5; i++) dash.push((await get('/dashboard?livemode=false&tz_offset=-480')).ms);
      dash.sort((a, b) => a - b);
      results.push({ name: 'dashboard (30-day figures, no target)', rows: 0, p50: percentile(dash, 0.5), p95: percentile(dash, 0.95), max: dash[dash.length - 1] });
      return { dialect: options.dialect, charges: count, seedSeconds, scenarios: results };
    } finally {
      await server.close();
    }
  } finally {
    await database.close();
    await bench.drop();
  }
}

function markdown(results: readonly AdminListResult[]): string {
  const lines = ['| scenario | ' + results.map((r) => `${r.dialect} p50 / p95 ms`).join(' | ') + ' | rows |', '|---|' + results.map(() => '---:|').join('') + '---:|'];
  for (const [i, s] of (results[0]?.scenarios ?? []).entries()) {
    lines.push(`| ${s.name} | ${results.map((r) => `${fixed(r.scenarios[i].p50)} / ${fixed(r.scenarios[i].p95)}`).join(' | ')} | ${s.rows} |`);
  }
  return [`${results[0]?.charges.toLocaleString('en')} charges; seeded in ${results.map((r) => `${fixed(r.seedSeconds)} s (${r.dialect})`).join(', ')}. Each list scenario is asked ${15} times over HTTP with a console session.`, '', ...lines].join('\n');
}

function missed(results: readonly AdminListResult[]): string[] {
  return results.flatMap((r) => r.scenarios.filter((s) => !s.name.includes('no target') && s.p95 >= TARGET_MS).map((s) => `${r.dialect}: "${s.name}" p95 ${fixed(s.p95)} ms ≥ ${TARGET_MS} ms`));
}

/** The `npm run bench` section. */
export const consoleList: BenchSection = {
  name: 'admin-list',
  async run(ctx: BenchContext): Promise<BenchSectionResult> {
    const results: AdminListResult[] = [];
    for (const dialect of ctx.dialects) {
      if (dialect === 'postgres' && !ctx.pgAdminUrl) continue;
      results.push(await measureAdminList({ dialect, pgAdminUrl: ctx.pgAdminUrl, log: ctx.log }));
    }
    return { title: 'Admin console: transaction list at 1,000,000 charges', markdown: markdown(results), missed: missed(results), data: results };
  },
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { charges: { type: 'string', default: '1000000' }, dialects: { type: 'string', default: 'sqlite,postgres' } } });
  const pgAdminUrl = process.env.PAYGATE_BENCH_DATABASE_URL ?? process.env.PAYGATE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const results: AdminListResult[] = [];
  for (const dialect of values.dialects.split(',') as Array<'sqlite' | 'postgres'>) {
    results.push(await measureAdminList({ dialect, charges: Number(values.charges), pgAdminUrl, log: (line) => console.error(line) }));
  }
  console.log(markdown(results));
  const failures = missed(results);
  console.log(failures.length ? `\nTargets missed:\n${failures.map((f) => `- ${f}`).join('\n')}` : '\nAll targets met.');
}
