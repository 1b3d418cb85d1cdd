/**
 * Issue 2's benchmark: `POST /v1/charges` on the test channel with a durable commit, against a
 * bare Fastify route parsing the same JSON body, at 64 connections, on SQLite and PostgreSQL.
 * paygate runs exactly as `npm start` runs it (`node dist/cli/main.js serve`; `--dist` picks another
 * build), as a child process, using the demo app it creates on first start. Each paygate run is
 * paired with a bare run right before it, so the ratio compares two measurements taken under the
 * same machine conditions.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../dist/store/database.js';
import { fixed, type BenchContext, type BenchSection, type BenchSectionResult } from './section.js';
import { startServerProcess } from './support/processes.js';
import { measureLoad, type LoadResult } from './support/load.js';
import { benchDatabase, postgresAnswers } from './support/databases.js';
import { measureChargeLayers, type ChargeLayers } from './support/charge-layers.js';

/** Issue 2 says 250 MB: 250,000,000 bytes, which is 238.4 MiB (the unit the table reports in). */
const RSS_LIMIT_MIB = 250e6 / 2 ** 20;
export const TARGETS = { ratio: { sqlite: 0.25, postgres: 0.15 }, p99Ms: 25, rssMiB: RSS_LIMIT_MIB } as const;

interface Measured extends LoadResult {
  readonly rssMiB: number;
}

interface DialectRun {
  readonly dialect: 'sqlite' | 'postgres';
  readonly durability: string;
  readonly bare: Measured;
  readonly paygate: Measured;
  /** Charges in the database after the run (warm-up included); at least `paygate.ok`. */
  readonly storedCharges: number;
  /** The same charges below HTTP: the engine in-process, and the store alone. */
  readonly layers: ChargeLayers;
}

function chargeBody(appId: string, runId: string): () => unknown {
  let n = 0;
  return () => ({
    order_no: `${runId}-${++n}`, app: { id: appId }, channel: 'test', amount: 100, currency: 'cny',
    client_ip: '127.0.0.1', subject: 'Benchmark', body: 'A charge created by npm run bench',
  });
}

async function measureBare(ctx: BenchContext, makeBody: () => unknown): Promise<Measured> {
  const server = await startServerProcess(['bench/bare-server.mjs'], {}, /listening on (http:\/\/\S+)/);
  try {
    const load = await measureLoad({ url: server.captured, path: '/v1/charges', makeBody, connections: ctx.connections, durationSeconds: ctx.durationSeconds, warmupSeconds: ctx.warmupSeconds });
    return { ...load, rssMiB: server.peakRssMiB() };
  } finally {
    await server.stop();
  }
}

async function runHttp(ctx: BenchContext, dialect: 'sqlite' | 'postgres'): Promise<Omit<DialectRun, 'layers'>> {
  const db = await benchDatabase(dialect, ctx.pgAdminUrl);
  try {
    const env = { DATABASE_URL: db.url, PAYGATE_DATA_DIR: db.dataDir, PAYGATE_MASTER_KEY: '5a'.repeat(32), HOST: '127.0.0.1', PORT: '0' };
    const server = await startServerProcess([`${ctx.dist}/cli/main.js`, 'serve', '--no-jobs'], env, /paygate is serving on (http:\/\/\S+)[\s\S]*Press Ctrl-C/);
    let paygate: Measured;
    let bare: Measured;
    try {
      const demo = JSON.parse(readFileSync(join(db.dataDir, 'demo.json'), 'utf8')) as { app_id: string; test_secret_key: string };
      const runId = `bench${Date.now().toString(36)}`;
      ctx.log(`${dialect}: bare Fastify route…`);
      bare = await measureBare(ctx, chargeBody(demo.app_id, `${runId}b`));
      ctx.log(`${dialect}: paygate POST /v1/charges…`);
      const load = await measureLoad({
        url: server.captured, path: '/v1/charges', headers: { authorization: `Bearer ${demo.test_secret_key}` },
        makeBody: chargeBody(demo.app_id, runId), connections: ctx.connections, durationSeconds: ctx.durationSeconds, warmupSeconds: ctx.warmupSeconds,
      });
      paygate = { ...load, rssMiB: server.peakRssMiB() };
    } finally {
      const code = await server.stop();
      if (code !== 0) ctx.log(`${dialect}: paygate exited with ${code}:\n${server.output().slice(-2000)}`);
    }
    const database = openDatabase(db.url);
    let storedCharges: number;
    try {
      const row = await database.db.selectFrom('charges').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      storedCharges = Number(row.n);
    } finally {
      await database.close();
    }
    return { dialect, durability: await db.durability(), bare, paygate, storedCharges };
  } finally {
    await db.drop();
  }
}

/** The HTTP runs, then the same charges below HTTP on a fresh database. */
async function runDialect(ctx: BenchContext, dialect: 'sqlite' | 'postgres'): Promise<DialectRun> {
  const http = await runHttp(ctx, dialect);
  return { ...http, layers: await measureChargeLayers(ctx, dialect, Math.max(4000, Math.round(ctx.durationSeconds * 2000))) };
}

function missedTargets(run: DialectRun): string[] {
  const missed: string[] = [];
  const ratio = run.paygate.rps / run.bare.rps;
  const target = TARGETS.ratio[run.dialect];
  if (ratio < target) missed.push(`${run.dialect}: throughput ${fixed(ratio * 100)} % of bare (target ≥ ${target * 100} %)`);
  if (run.paygate.p99 >= TARGETS.p99Ms) missed.push(`${run.dialect}: p99 ${run.paygate.p99} ms (target < ${TARGETS.p99Ms} ms)`);
  if (run.paygate.rssMiB >= TARGETS.rssMiB) missed.push(`${run.dialect}: peak RSS ${fixed(run.paygate.rssMiB)} MiB (target < 250 MB = ${fixed(TARGETS.rssMiB)} MiB)`);
  if (run.paygate.failed > 0) missed.push(`${run.dialect}: ${run.paygate.failed} failed requests`);
  if (run.storedCharges < run.paygate.ok) missed.push(`${run.dialect}: ${run.paygate.ok} charges acknowledged but only ${run.storedCharges} stored`);
  return missed;
}

/** Where the layers under HTTP already reach the p99 target: no server in front of them can be faster. */
function layerNotes(run: DialectRun): string[] {
  const { engine, store } = run.layers;
  if (store.p99 >= TARGETS.p99Ms) return [`- ${run.dialect}: the store alone answers at p99 ${store.p99} ms, over the ${TARGETS.p99Ms} ms target before the engine, HTTP or the load generator add anything.`];
  if (engine.p99 >= TARGETS.p99Ms) return [`- ${run.dialect}: the engine in-process answers at p99 ${engine.p99} ms (the store alone ${store.p99} ms), over the ${TARGETS.p99Ms} ms target before HTTP and the load generator add anything.`];
  return [];
}

function render(runs: readonly DialectRun[]): string {
  const lines = [
    '| database | server | req/s | ratio to bare | p50 ms | p99 ms | max ms | peak RSS MiB | ok | failed |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const run of runs) {
    const ratio = run.paygate.rps / run.bare.rps;
    lines.push(`| ${run.dialect} | bare Fastify | ${fixed(run.bare.rps, 0)} | 100 % | ${run.bare.p50} | ${run.bare.p99} | ${run.bare.max} | ${fixed(run.bare.rssMiB)} | ${run.bare.ok} | ${run.bare.failed} |`);
    lines.push(`| ${run.dialect} | **paygate** | **${fixed(run.paygate.rps, 0)}** | **${fixed(ratio * 100)} %** (target ≥ ${TARGETS.ratio[run.dialect] * 100} %) | ${run.paygate.p50} | **${run.paygate.p99}** | ${run.paygate.max} | **${fixed(run.paygate.rssMiB)}** | ${run.paygate.ok} | ${run.paygate.failed} |`);
    for (const [name, layer] of [['the engine in-process, no HTTP', run.layers.engine], ['the store alone, the same writes', run.layers.store]] as const) {
      lines.push(`| ${run.dialect} | ${name} | ${fixed(layer.rps, 0)} | ${fixed((layer.rps / run.bare.rps) * 100)} % | ${layer.p50} | ${layer.p99} | ${layer.max} | — | ${layer.ok} | ${layer.failed} |`);
    }
  }
  lines.push('');
  lines.push('The last two rows of each database create the same charges below HTTP, in the bench process, at the same number in flight: `paygate.charges.create` called directly, then the store given the writes the engine hands it for a charge (the charge, two log lines, two events) and nothing else (`bench/support/charge-layers.ts`). Each is timed in two rounds alternating with the other; its percentiles are over every call of both.');
  lines.push('');
  lines.push(...runs.flatMap(layerNotes));
  for (const run of runs) lines.push(`- ${run.dialect} durability, as the server reports it: ${run.durability}; ${run.storedCharges} charges stored (warm-up included) for ${run.paygate.ok} acknowledged in the timed run.`);
  return lines.join('\n');
}

export const chargeCreation: BenchSection = {
  name: 'charge-creation',
  async run(ctx): Promise<BenchSectionResult> {
    const dialects: ('sqlite' | 'postgres')[] = ctx.dialects.filter((d) => d === 'sqlite');
    if (ctx.dialects.includes('postgres')) {
      if (ctx.pgAdminUrl && (await postgresAnswers(ctx.pgAdminUrl))) dialects.push('postgres');
      else ctx.log('PostgreSQL does not answer: its row is skipped');
    }
    const runs: DialectRun[] = [];
    for (const dialect of dialects) runs.push(await runDialect(ctx, dialect));
    const missed = runs.flatMap(missedTargets);
    if (ctx.dialects.includes('postgres') && !dialects.includes('postgres')) missed.push('postgres: not measured (no server answered)');
    return {
      title: `POST /v1/charges vs a bare Fastify route (${ctx.connections} connections, ${ctx.durationSeconds} s after ${ctx.warmupSeconds} s warm-up)`,
      markdown: render(runs),
      missed,
      data: runs,
    };
  },
};
