/**
 * What the notify-ingestion sections (Alipay, WeChat) share: the pending charges their notifies
 * move, a bounded-concurrency pool, and interleaved timing. Each side of a ratio is measured in
 * slices that alternate with the other side's, over the same payloads, so a machine whose load
 * changes during the run (CI, shared cores) weighs on every side alike. `StoreReplay` measures
 * the ceilings of what ingestion can reach: the least any ingestion does, and the store alone.
 */
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import type { Insertable } from 'kysely';
import { newId } from '../../dist/core/ids.js';
import { batchedChargeReader } from '../../dist/engine/charge-reader.js';
import type { TransitionWrite } from '../../dist/store/charge-writes.js';
import type { Database } from '../../dist/store/database.js';
import type { ChargesTable } from '../../dist/store/schema.js';
import { fixed } from '../section.js';

export interface Rate {
  readonly count: number;
  readonly seconds: number;
  readonly perSecond: number;
}

export function rate(count: number, ms: number): Rate {
  return { count, seconds: ms / 1000, perSecond: count / (ms / 1000) };
}

/** Runs `work(i)` for i in [from, to) with at most `concurrency` in flight. */
export async function pool(from: number, to: number, concurrency: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = from;
  const lanes = Array.from({ length: Math.min(concurrency, to - from) }, async () => {
    while (next < to) await work(next++);
  });
  await Promise.all(lanes);
}

/**
 * Notifies per interleaved slice. Each ingestion slice starts with an empty pipeline (reads,
 * the writer's batches) and ends draining it, which a server under steady notify load never
 * does; with slices of 100 at 64 in flight that was about a fifth of the slice. 500 keeps the
 * fill and drain small and still alternates the sides every few hundred milliseconds.
 */
const SLICE = 500;

/**
 * Notifies every phase runs before timing starts, on charges of their own. The first ingestion
 * slice of a run starts the SQLite writer thread and compiles the engine's code: it took 369 ms
 * where later slices of 500 took about 75 ms, and the second 129 ms. Timed, that start-up cost
 * WeChat's ingestion about a sixth of its rate on SQLite, which a running server never pays
 * (docs/benchmarks.md). Every side warms up alike, so the ratio still compares like with like.
 */
export const WARMUP_NOTIFIES = 1000;

/** One side of a ratio, run over the notifies [from, to); `timed` is false during the warm-up. */
export type Phase = (from: number, to: number, timed: boolean) => Promise<void>;

/**
 * Runs every phase over [0, WARMUP_NOTIFIES + count) in slices of the same indexes, phase after
 * phase within a slice, and answers each phase's total time in milliseconds over the last `count`
 * (the first WARMUP_NOTIFIES are the untimed warm-up).
 */
export async function interleavedTimes<K extends string>(count: number, phases: Record<K, Phase>): Promise<Record<K, number>> {
  const names = Object.keys(phases) as K[];
  const times = Object.fromEntries(names.map((name) => [name, 0])) as Record<K, number>;
  const total = WARMUP_NOTIFIES + count;
  for (let from = 0; from < total; from += SLICE) {
    const to = Math.min(total, from + SLICE);
    const timed = from >= WARMUP_NOTIFIES;
    for (const name of names) {
      const started = performance.now();
      await phases[name](from, to, timed);
      if (timed) times[name] += performance.now() - started;
    }
  }
  return times;
}

/** A pending charge for a notify to move, as the bulk insert before a run writes it. */
function pendingCharge(id: string, appId: string, channelId: string, channel: string, now: number): Insertable<ChargesTable> {
  return {
    id, app_id: appId, channel_id: channelId, paying_channel_id: channelId, livemode: 0, order_no: id, channel,
    type: 'order', amount: 10, currency: 'cny', amount_refunded: 0, fee: 0, amount_settle: 10, status: 'pending', escrow: 0,
    client_ip: '127.0.0.1', subject: 'Benchmark', body: 'Benchmark', description: null, extra: '{}', metadata: '{}', credential: '{}',
    extension: '{}', transaction_no: null, failure_code: null, failure_msg: null, closed_reason: null, shipment: null, notify_url: null,
    return_url: null, client_secret: `${id}_secret`, time_expire: now + 3_600_000, time_paid: null, time_shipped: null,
    time_succeeded: null, time_closed: null, created_at: now, updated_at: now,
  };
}

const BENCH_PREFIX = 'ch_bench';
/** Copies of the bench charges, same length ids: the store-alone phase writes to the twins, the least phase to the thirds. */
const TWIN_PREFIX = 'ch_twin_';
const THIRD_PREFIX = 'ch_third';

/** Ids for the charges a section's notifies move, unique per run. */
export function benchChargeIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${BENCH_PREFIX}${i.toString().padStart(8, '0')}${randomBytes(4).toString('hex')}`);
}

/** A copy of a bench charge id (`StoreReplay` writes to it): same length, its own row. */
const copyOf = (id: string, prefix: string): string => `${prefix}${id.slice(BENCH_PREFIX.length)}`;

/** Inserts the charges, and their two copies, pending on the channel, in bulk. */
export async function seedPendingCharges(database: Database, ids: readonly string[], appId: string, channelId: string, channel: string, now: number): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    const slice = ids.slice(i, i + 500);
    for (const rows of [slice, slice.map((id) => copyOf(id, TWIN_PREFIX)), slice.map((id) => copyOf(id, THIRD_PREFIX))]) {
      await database.db.insertInto('charges').values(rows.map((id) => pendingCharge(id, appId, channelId, channel, now))).execute();
    }
  }
}

/**
 * The store's ceiling for a notify section. Every transition the engine hands the store while it
 * ingests is recorded; the same writes (charge update, log lines, event) are then replayed through
 * the same store on twin charges, seeded pending like the notified ones, with nothing else to do:
 * no parse, verify, read or decision. Ingestion cannot go faster than that on the machine of the
 * run, so the row tells how much of a target the engine's own work could ever reach. A third copy
 * of each charge takes the least phase: parse and verify, read, write. No correct ingestion does
 * less, so that row is the tighter ceiling, and what ingestion loses to it is the engine's own cost.
 */
export class StoreReplay {
  /** The database to give the engine: the real one, its transitions recorded on the way. */
  readonly database: Database;
  private readonly recorded = new Map<string, TransitionWrite>();

  constructor(private readonly base: Database) {
    const writes = base.chargeWrites;
    this.database = {
      ...base,
      chargeWrites: {
        insertCharge: (write) => writes.insertCharge(write),
        applyTransition: (write) => {
          this.recorded.set(write.charge_id, write);
          return writes.applyTransition(write);
        },
      },
    };
  }

  /**
   * The recorded writes of these charges aimed at their copies under `prefix`: new event ids and
   * trade numbers (unique, and placed in their indexes as new ones would be), every row the same size.
   */
  private copyWrites(chargeIds: readonly string[], prefix: string): TransitionWrite[] {
    const now = Date.now();
    return chargeIds.map((id) => {
      const write = this.recorded.get(id);
      if (!write) throw new Error(`no transition was recorded for ${id}`);
      const copy = copyOf(id, prefix);
      const tradeNo = write.set.transaction_no;
      return {
        ...write,
        charge_id: copy,
        set: { ...write.set, ...(tradeNo ? { transaction_no: `${tradeNo.slice(0, -8)}${randomBytes(4).toString('hex')}` } : {}) },
        logs: write.logs.map((row) => ({ ...row, charge_id: copy })),
        events: write.events.map((row) => ({ ...row, id: newId('event', now), charge_id: copy })),
      };
    });
  }

  /**
   * Phases for `interleavedTimes`, after the ingestion phase: `aim` readies a slice's copied
   * writes (its time is not a measurement), `store` replays them on the twins at `concurrency` in
   * flight through the store itself, as the engine hands them over. `least` does on the third
   * copies what no correct ingestion can skip, and nothing more: `verify(i)` (the channel's parse
   * of notify i), the charge's read through the engine's batched reader, and the same write.
   */
  phases(ids: readonly string[], concurrency: number, verify: (i: number) => Promise<void>): { aim: Phase; store: Phase; least: Phase; applied: () => number; leastApplied: () => number } {
    const reader = batchedChargeReader(this.base);
    let twins: TransitionWrite[] = [];
    let thirds: TransitionWrite[] = [];
    let applied = 0;
    let leastApplied = 0;
    return {
      aim: async (from, to) => {
        twins = this.copyWrites(ids.slice(from, to), TWIN_PREFIX);
        thirds = this.copyWrites(ids.slice(from, to), THIRD_PREFIX);
      },
      store: (from, to, timed) => pool(0, to - from, concurrency, async (i) => {
        if (await this.base.chargeWrites.applyTransition(twins[i]!) === 'applied' && timed) applied += 1;
      }),
      least: (from, to, timed) => pool(0, to - from, concurrency, async (i) => {
        await verify(from + i);
        const write = thirds[i]!;
        const charge = await reader.read(write.charge_id);
        if (charge?.status !== write.expected_status) throw new Error(`charge ${write.charge_id} is not ${write.expected_status}`);
        if (await this.base.chargeWrites.applyTransition(write) === 'applied' && timed) leastApplied += 1;
      }),
      applied: () => applied,
      leastApplied: () => leastApplied,
    };
  }
}

const STORE_ROW = 'the store alone: the same transition writes (charge, log lines, event) replayed on twin charges, nothing else';
const LEAST_ROW = 'the least any ingestion does: the channel\'s parse and verify, the charge read, the same writes, on third copies; no engine';

/** The report's two rows for `StoreReplay`'s phases, as ratios to the section's bare side. */
export function ceilingRows(dialect: string, least: Rate, store: Rate, bare: Rate): string[] {
  return ([[LEAST_ROW, least], [STORE_ROW, store]] as const).map(([what, measured]) =>
    `| ${dialect} | ${what} | ${fixed(measured.perSecond, 0)} | ${fixed((measured.perSecond / bare.perSecond) * 100)} % | ${measured.count} |`);
}

/**
 * A line for each database whose store alone, or least ingestion, stays under the target: there
 * no engine work, however small, could make ingestion reach it on the machine of the run.
 */
export function ceilingNotes(runs: readonly { dialect: string; store: number; least: number }[], target: number, bare: string): string[] {
  const notes: string[] = [];
  for (const run of runs) {
    if (run.store < target) {
      notes.push(`- ${run.dialect}: the store alone reaches ${(run.store * 100).toFixed(1)} % of ${bare}, under the ${target * 100} % target: with these writes, ingestion cannot reach it on this machine whatever the rest costs.`);
    } else if (run.least < target) {
      notes.push(`- ${run.dialect}: the least any ingestion does (parse and verify, read, write) reaches ${(run.least * 100).toFixed(1)} % of ${bare}, under the ${target * 100} % target: no engine, however lean, reaches it on this machine.`);
    }
  }
  return notes;
}

/** Charges the notifies moved and their `charge.succeeded` events (the twins' excluded). */
export async function notifiedCounts(database: Database): Promise<{ succeeded: number; events: number }> {
  const succeeded = await database.db.selectFrom('charges').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'succeeded').where('id', 'like', `${BENCH_PREFIX}%`).executeTakeFirstOrThrow();
  const events = await database.db.selectFrom('events').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('type', '=', 'charge.succeeded').where('charge_id', 'like', `${BENCH_PREFIX}%`).executeTakeFirstOrThrow();
  return { succeeded: Number(succeeded.n), events: Number(events.n) };
}
