/**
 * What the notify-ingestion sections (Alipay, WeChat) share: the pending charges their notifies
 * move, a bounded-concurrency pool, and interleaved timing. Each side of a ratio is measured in
 * slices that alternate with the other side's, over the same payloads, so a machine whose load
 * changes during the run (CI, shared cores) weighs on every side alike.
 */
import { performance } from 'node:perf_hooks';
import type { Insertable } from 'kysely';
import type { ChargesTable } from '../../dist/store/schema.js';

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
 * Runs every phase over [0, count) in slices of the same indexes, phase after phase within a
 * slice, and answers each phase's total time in milliseconds.
 */
export async function interleavedTimes<K extends string>(count: number, phases: Record<K, (from: number, to: number) => Promise<void>>): Promise<Record<K, number>> {
  const names = Object.keys(phases) as K[];
  const times = Object.fromEntries(names.map((name) => [name, 0])) as Record<K, number>;
  for (let from = 0; from < count; from += SLICE) {
    const to = Math.min(count, from + SLICE);
    for (const name of names) {
      const started = performance.now();
      await phases[name](from, to);
      times[name] += performance.now() - started;
    }
  }
  return times;
}

/** A pending charge for a notify to move, as the bulk insert before a run writes it. */
export function pendingCharge(id: string, appId: string, channelId: string, channel: string, now: number): Insertable<ChargesTable> {
  return {
    id, app_id: appId, channel_id: channelId, paying_channel_id: channelId, livemode: 0, order_no: id, channel,
    type: 'order', amount: 10, currency: 'cny', amount_refunded: 0, fee: 0, amount_settle: 10, status: 'pending', escrow: 0,
    client_ip: '127.0.0.1', subject: 'Benchmark', body: 'Benchmark', description: null, extra: '{}', metadata: '{}', credential: '{}',
    extension: '{}', transaction_no: null, failure_code: null, failure_msg: null, closed_reason: null, shipment: null, notify_url: null,
    return_url: null, client_secret: `${id}_secret`, time_expire: now + 3_600_000, time_paid: null, time_shipped: null,
    time_succeeded: null, time_closed: null, created_at: now, updated_at: now,
  };
}
