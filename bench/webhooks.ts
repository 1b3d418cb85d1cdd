/**
 * Issue 3's benchmark: webhook dispatch against a bare loop of the same HTTP requests.
 * - bare loop: the dispatcher's own HTTP client (`createWebhookSender`) sends N pre-built signed
 *   requests to a receiver answering `SUCCESS`, `concurrency` at a time;
 * - dispatch: N events already committed in the outbox (N/2 test charges, created + pending) are
 *   fanned out, claimed, signed, sent with the same client and concurrency, judged and recorded —
 *   events delivered per second until the last attempt is stored (target ≥ 50 % of the bare loop);
 *   bare loop and dispatch alternate for a few rounds (the same backlog re-queued each time) and
 *   the ratio is of the medians, because a shared machine's speed drifts during a run;
 * - latency: charges created at a steady rate while the dispatcher runs; from the commit of a
 *   charge's events to the stored successful attempt, p50 and p99.
 * The receiver is its own process. One run per database (SQLite file with synchronous=FULL, and
 * PostgreSQL when reachable).
 */
import { performance } from 'node:perf_hooks';
import { openDatabase, type Database } from '../dist/store/database.js';
import { migrateToLatest } from '../dist/store/migrate.js';
import { createPaygate, type Paygate } from '../dist/engine/paygate.js';
import { createDispatcher } from '../dist/webhooks/dispatcher.js';
import { createEndpoint } from '../dist/webhooks/endpoints.js';
import { createWebhookSender, type WebhookSender } from '../dist/webhooks/http-sender.js';
import { signatureHeader } from '../dist/webhooks/signature.js';
import { fixed, type BenchContext, type BenchSection, type BenchSectionResult } from './section.js';
import { benchDatabase, postgresAnswers } from './support/databases.js';
import { startServerProcess } from './support/processes.js';

export const TARGETS = { ratio: 0.5 } as const;
/** Sends in flight, for both (the dispatcher's default); BENCH_WEBHOOK_CONCURRENCY changes it. */
const CONCURRENCY = Number(process.env.BENCH_WEBHOOK_CONCURRENCY ?? 32);

export interface WebhookRun {
  readonly dialect: 'sqlite' | 'postgres';
  readonly events: number;
  /** Each round's rates, bare loop and dispatch measured back to back. */
  readonly rounds: readonly { readonly bare: number; readonly dispatch: number }[];
  /** Medians over the rounds. */
  readonly barePerSecond: number;
  readonly dispatchPerSecond: number;
  readonly ratio: number;
  readonly latency: { readonly count: number; readonly p50Ms: number; readonly p99Ms: number; readonly maxMs: number };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}

async function pool(count: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, async () => { while (next < count) await work(next++); }));
}

async function bareLoop(sender: WebhookSender, url: string, bodies: readonly string[]): Promise<number> {
  const secret = 'whsec_bench';
  const started = performance.now();
  await pool(bodies.length, CONCURRENCY, async (i) => {
    const body = bodies[i]!;
    const response = await sender.send({ url, body, livemode: false, headers: { 'Paygate-Event-Id': `evt_${i}`, 'Paygate-Signature': signatureHeader(body, [secret], Math.floor(Date.now() / 1000)) } });
    if (response.status !== 200) throw new Error(`bare loop: ${response.error ?? response.status}`);
  });
  return bodies.length / ((performance.now() - started) / 1000);
}

/** Resolves once `count()` reaches `expected` (counted in the dispatcher's callback, not by querying). */
async function waitFor(count: () => number, expected: number): Promise<void> {
  while (count() < expected) await new Promise((resolve) => setTimeout(resolve, 5));
}

async function createCharges(paygate: Paygate, appId: string, count: number, tag: string): Promise<void> {
  for (let i = 0; i < count; i++) {
    await paygate.charges.create({ app_id: appId, livemode: false }, { order_no: `${tag}-${i}`, channel: 'test', amount: 100, currency: 'cny', client_ip: '127.0.0.1', subject: 'Benchmark', body: 'webhook benchmark' });
  }
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Puts every event back in the fan-out queue and forgets its deliveries: the same backlog again. */
async function requeue(database: Database): Promise<void> {
  await database.transaction(async (trx) => {
    await trx.deleteFrom('webhook_deliveries').execute();
    await trx.insertInto('webhook_fanout').columns(['event_seq', 'event_id', 'created_at'])
      .expression((eb) => eb.selectFrom('events').select(['seq', 'id', 'created_at']).where('type', 'in', ['charge.created', 'charge.pending']))
      .execute();
  });
}

/**
 * One database: `rounds` pairs of (bare loop, dispatch of the whole backlog), alternating so both
 * see the same machine conditions (the ratio is of the medians), then paced latency.
 */
export async function runWebhookBenchmark(ctx: BenchContext, dialect: 'sqlite' | 'postgres', events: number, rounds = 5): Promise<WebhookRun> {
  const db = await benchDatabase(dialect, ctx.pgAdminUrl);
  const receiver = await startServerProcess(['--import', 'tsx', 'bench/webhooks-receiver.ts'], {}, /listening on (http:\/\/\S+)/);
  const database = openDatabase(db.url);
  const sender = createWebhookSender();
  try {
    await migrateToLatest(database);
    const paygate = createPaygate({ database, masterKey: '6b'.repeat(32) });
    const { app } = await paygate.apps.create({ name: 'Webhook bench' });
    await paygate.channels.create(app.id, { type: 'test' });
    const scope = { app_id: app.id, livemode: false };

    ctx.log(`${dialect}: ${events} events into the outbox…`);
    await createCharges(paygate, app.id, events / 2, 'backlog');
    // Subscribed after the backlog was written: each round re-queues it explicitly.
    await database.db.deleteFrom('webhook_fanout').execute();
    await createEndpoint(paygate.deps, scope, { url: `${receiver.captured}/hooks`, events: ['charge.created', 'charge.pending'], require_success_body: true });
    await database.db.updateTable('webhook_endpoints').set({ created_at: 0 }).execute();
    const sample = await database.db.selectFrom('events').select('data').where('type', '=', 'charge.pending').limit(1).executeTakeFirstOrThrow();
    const bodies = Array.from({ length: events }, () => sample.data);

    const bare: number[] = [];
    const dispatch: number[] = [];
    let delivered = 0;
    const latencies: number[] = [];
    const committedAt = new Map<string, number>();
    const makeDispatcher = () => createDispatcher(paygate.deps, {
      bus: paygate.bus, sender, concurrency: CONCURRENCY, pollIntervalMs: 100,
      onAttempt: (outcome) => {
        if (outcome.succeeded) delivered++;
        const t0 = outcome.delivery.charge_id ? committedAt.get(outcome.delivery.charge_id) : undefined;
        if (t0 !== undefined && outcome.succeeded) latencies.push(performance.now() - t0);
      },
    });
    // Round 0 warms both paths up (JIT, connections, caches) and is not counted.
    for (let round = 0; round <= rounds; round++) {
      ctx.log(`${dialect}: round ${round}/${rounds}${round === 0 ? ' (warm-up)' : ''}: bare loop, then dispatch, of ${events}…`);
      const bareRate = await bareLoop(sender, `${receiver.captured}/hooks`, bodies);
      await requeue(database);
      delivered = 0;
      const dispatcher = makeDispatcher();
      const started = performance.now();
      dispatcher.start();
      await waitFor(() => delivered, events);
      const dispatchRate = events / ((performance.now() - started) / 1000);
      await dispatcher.stop();
      if (round === 0) continue;
      bare.push(bareRate);
      dispatch.push(dispatchRate);
    }

    ctx.log(`${dialect}: latency at a steady rate…`);
    delivered = 0;
    const dispatcher = makeDispatcher();
    dispatcher.start();
    const paced = Math.min(400, events / 2);
    for (let i = 0; i < paced; i++) {
      const charge = await paygate.charges.create(scope, { order_no: `paced-${i}`, channel: 'test', amount: 100, currency: 'cny', client_ip: '127.0.0.1', subject: 'Benchmark', body: 'latency' });
      committedAt.set(charge.id, performance.now());
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await waitFor(() => delivered, paced * 2);
    await dispatcher.stop();
    const sorted = latencies.sort((a, b) => a - b);
    const barePerSecond = median(bare);
    const dispatchPerSecond = median(dispatch);
    return {
      dialect, events, rounds: bare.map((b, i) => ({ bare: b, dispatch: dispatch[i]! })), barePerSecond, dispatchPerSecond, ratio: dispatchPerSecond / barePerSecond,
      latency: { count: sorted.length, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99), maxMs: sorted[sorted.length - 1] ?? NaN },
    };
  } finally {
    sender.close();
    await database.close();
    await receiver.stop();
    await db.drop();
  }
}

export const benchmark: BenchSection = {
  name: 'webhooks',
  async run(ctx: BenchContext): Promise<BenchSectionResult> {
    const events = Math.max(1000, Math.round(ctx.durationSeconds * 200 / 2) * 2);
    const runs: WebhookRun[] = [];
    for (const dialect of ctx.dialects) {
      if (dialect === 'postgres' && !(ctx.pgAdminUrl && (await postgresAnswers(ctx.pgAdminUrl)))) {
        ctx.log('postgres: not reachable, skipped');
        continue;
      }
      runs.push(await runWebhookBenchmark(ctx, dialect, events));
    }
    const rows = runs.map((r) => `| ${r.dialect} | ${r.events} | ${fixed(r.barePerSecond, 0)} | ${fixed(r.dispatchPerSecond, 0)} | **${fixed(r.ratio * 100)} %** | ${fixed(r.latency.p50Ms)} ms | ${fixed(r.latency.p99Ms)} ms |`);
    const markdown = [
      `Events delivered per second to a local receiver answering \`SUCCESS\` (its own process), ${CONCURRENCY} sends in flight, against a bare loop of the same signed requests through the same HTTP client. Dispatch counts from a backlog in the outbox to the last attempt stored; latency runs from the commit of a charge's events to the stored successful attempt, charges created about every 5 ms. Target: dispatch ≥ ${TARGETS.ratio * 100} % of the bare loop.`,
      '',
      '| database | events | bare loop /s (median) | dispatch /s (median) | ratio | latency p50 | latency p99 |',
      '|---|---:|---:|---:|---:|---:|---:|',
      ...rows,
    ].join('\n');
    const missed = runs.filter((r) => r.ratio < TARGETS.ratio).map((r) => `${r.dialect}: dispatch is ${fixed(r.ratio * 100)} % of the bare loop (target ≥ ${TARGETS.ratio * 100} %)`);
    return { title: 'Webhook dispatch', markdown, missed, data: runs };
  },
};
