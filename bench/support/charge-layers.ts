/**
 * Charge creation below HTTP, for issue 2's report. The same charges are created two more ways,
 * at the same number in flight as the HTTP load:
 *
 * - **the engine in-process**: `paygate.charges.create`, everything `POST /v1/charges` runs after
 *   its body is parsed and its key checked, without HTTP and without a load generator;
 * - **the store alone**: the writes the engine hands the store for a charge (the charge, its two
 *   log lines, its two events), replayed with new ids and order numbers, nothing else.
 *
 * Every closed-loop caller waits for its own write, so a layer's latency includes the layers
 * under it: the store's p99 bounds the engine's, and the engine's bounds the server's, on the
 * machine of the run. The two are timed in alternating rounds after a warm-up; a layer's
 * percentiles are over every call of its rounds.
 */
import { randomBytes } from 'node:crypto';
import { openDatabase } from '../../dist/store/database.js';
import { migrateToLatest } from '../../dist/store/migrate.js';
import { createPaygate } from '../../dist/engine/paygate.js';
import { newId } from '../../dist/core/ids.js';
import type { Database } from '../../dist/store/database.js';
import type { NewChargeWrite } from '../../dist/store/charge-writes.js';
import type { BenchContext } from '../section.js';
import type { LoadResult } from './load.js';
import { benchDatabase } from './databases.js';
import { pool } from './notify-ingest.js';

export interface ChargeLayers {
  readonly engine: LoadResult;
  readonly store: LoadResult;
}

const ROUNDS = 2;

interface Round {
  /** Milliseconds per call that succeeded. */
  readonly latencies: number[];
  readonly seconds: number;
  readonly failed: number;
}

/** Runs `op` `count` times with `concurrency` callers, each waiting for its call before the next. */
async function closedLoop(count: number, concurrency: number, op: () => Promise<void>): Promise<Round> {
  const latencies: number[] = [];
  let failed = 0;
  const started = performance.now();
  await pool(0, count, concurrency, async () => {
    const began = performance.now();
    try {
      await op();
      latencies.push(performance.now() - began);
    } catch {
      failed += 1;
    }
  });
  return { latencies, seconds: (performance.now() - started) / 1000, failed };
}

/** The rounds of one layer as one run: calls over total time, percentiles over every call. */
function summarize(rounds: readonly Round[]): LoadResult {
  const latencies = rounds.flatMap((round) => round.latencies).sort((a, b) => a - b);
  const seconds = rounds.reduce((sum, round) => sum + round.seconds, 0);
  const at = (q: number): number => Math.round((latencies[Math.floor(q * (latencies.length - 1))] ?? 0) * 10) / 10;
  return { rps: latencies.length / seconds, p50: at(0.5), p99: at(0.99), max: at(1), ok: latencies.length, failed: rounds.reduce((sum, round) => sum + round.failed, 0) };
}

/** A database whose store records the first charge write the engine hands it. */
function recording(base: Database): { database: Database; template: () => NewChargeWrite } {
  let first: NewChargeWrite | null = null;
  const writes = base.chargeWrites;
  const database: Database = {
    ...base,
    chargeWrites: {
      insertCharge: (write) => { first ??= write; return writes.insertCharge(write); },
      applyTransition: (write) => writes.applyTransition(write),
    },
  };
  return { database, template: () => { if (!first) throw new Error('the engine wrote no charge'); return first; } };
}

/** The template write aimed at a new charge: new ids and order number, every row the same size. */
function replayOf(template: NewChargeWrite, orderNo: string): NewChargeWrite {
  const now = Date.now();
  const id = newId('charge', now);
  return {
    charge: { ...template.charge, id, order_no: orderNo, client_secret: `${id}_secret_${template.charge.client_secret.slice(-24)}`, created_at: now, updated_at: now },
    logs: template.logs.map((row) => ({ ...row, charge_id: id })),
    events: template.events.map((row) => ({ ...row, id: newId('event', now), charge_id: id })),
  };
}

/** Measures both layers on a fresh database of `dialect`, `count` charges per round each. */
export async function measureChargeLayers(ctx: BenchContext, dialect: 'sqlite' | 'postgres', count: number): Promise<ChargeLayers> {
  const bench = await benchDatabase(dialect, ctx.pgAdminUrl);
  const base = openDatabase(bench.url);
  try {
    await migrateToLatest(base);
    const { database, template } = recording(base);
    const paygate = createPaygate({ database, masterKey: randomBytes(32), publicUrl: 'http://127.0.0.1:8080' });
    const { app } = await paygate.apps.create({ name: 'Bench' });
    await paygate.channels.create(app.id, { type: 'test', livemode: false, options: {} });
    const scope = { app_id: app.id, livemode: false };
    const runId = `layers${Date.now().toString(36)}`;
    let n = 0;
    const engine = async (): Promise<void> => {
      await paygate.charges.create(scope, {
        order_no: `${runId}-e${++n}`, channel: 'test', amount: 100, currency: 'cny',
        client_ip: '127.0.0.1', subject: 'Benchmark', body: 'A charge created by npm run bench',
      });
    };
    const store = async (): Promise<void> => {
      const outcome = await base.chargeWrites.insertCharge(replayOf(template(), `${runId}-s${++n}`));
      if (outcome !== 'inserted') throw new Error(`the replayed charge was not inserted: ${outcome}`);
    };
    ctx.log(`${dialect}: the engine in-process and the store alone, ${ROUNDS} rounds of ${count} each…`);
    await closedLoop(Math.min(count, 2000), ctx.connections, engine);
    await closedLoop(Math.min(count, 2000), ctx.connections, store);
    const rounds = { engine: [] as Round[], store: [] as Round[] };
    for (let round = 0; round < ROUNDS; round += 1) {
      rounds.engine.push(await closedLoop(count, ctx.connections, engine));
      rounds.store.push(await closedLoop(count, ctx.connections, store));
    }
    return { engine: summarize(rounds.engine), store: summarize(rounds.store) };
  } finally {
    await base.close();
    await bench.drop();
  }
}
