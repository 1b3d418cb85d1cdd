/**
 * The webhook dispatcher: fans queued events out to deliveries, claims due deliveries, sends them
 * (up to `concurrency` at once), and records every attempt. Runs inside `paygate serve` and alone
 * as `paygate worker`; several may share one PostgreSQL database (see delivery-claims.ts).
 *
 * Its database work happens in cycles: one transaction records the results that came in since the
 * last cycle, fans out queued events and claims as many due deliveries as there are free slots.
 * Results that arrive while a cycle commits wait for the next one, so under load many results
 * share one commit (one fsync). A cycle claims more deliveries than there are send slots: the
 * extra ones wait in memory and start the moment a send finishes, so sends keep flowing while the
 * next cycle commits.
 * It wakes on the in-process charge bus, on PostgreSQL `paygate_outbox` notifications from any
 * process, on finished sends and on `wake()`; otherwise it sleeps until the next retry is due
 * (at most `pollIntervalMs`).
 */
import { hostname } from 'node:os';
import type { EngineDeps } from '../engine/deps.js';
import type { ChargeBus } from '../engine/charge-bus.js';
import { randomBase62 } from '../core/ids.js';
import { createWebhookSender, DEFAULT_WEBHOOK_TIMEOUT_MS, type WebhookResponse, type WebhookSender } from './http-sender.js';
import { DEFAULT_RETRY_SCHEDULE_MS, validateSchedule } from './retry-schedule.js';
import { nextDueAt, payloadKey, releaseClaims, type ClaimedDelivery, type SendOutcome } from './delivery-claims.js';
import { runCycle } from './dispatch-cycle.js';
import { buildDeliveryRequest } from './delivery-request.js';
import { judgeResponse } from './judge-response.js';
import { listenPostgres, type PgListener } from './pg-listener.js';

export interface DispatcherOptions {
  /** Delays of the sends, ms (default 0, 2m, 10m, 10m, 1h, 2h, 6h, 15h). */
  readonly schedule?: readonly number[];
  /** Deadline of one send, ms (default 10 s). */
  readonly timeoutMs?: number;
  /** Sends in flight at once (default 32). */
  readonly concurrency?: number;
  /** Longest sleep between looks at the database, ms (default 500). */
  readonly pollIntervalMs?: number;
  /** How long a claim holds a delivery, ms; must exceed twice `timeoutMs` (default 4 × timeout + 10 s). */
  readonly leaseMs?: number;
  /** Events fanned out per cycle (default 200). */
  readonly batchSize?: number;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** A sender to use instead of a new one (the benchmark shares one with its bare loop). */
  readonly sender?: WebhookSender;
  /** The in-process bus to wake on (`paygate.bus`). */
  readonly bus?: ChargeBus;
  /** Called after each recorded attempt (the CLI prints a line). */
  readonly onAttempt?: (outcome: SendOutcome) => void;
  /** Called when a cycle fails (database unreachable…); the dispatcher keeps going. */
  readonly onError?: (error: unknown) => void;
}

export interface Dispatcher {
  readonly id: string;
  start(): void;
  /** Stops claiming, waits for sends in flight and their records, releases connections. */
  stop(): Promise<void>;
  /** Look at the database now (something was just written). */
  wake(): void;
  /** One pass: fan out what is queued, send what is due now, record it all. For tests and tools. */
  runOnce(): Promise<{ fannedOut: number; sent: number }>;
  readonly stats: { sent: number; succeeded: number; failed: number };
}

/**
 * A cycle claims up to this many times `concurrency`: the surplus waits in memory and starts the
 * moment a slot frees, so sends never wait for a commit. A queued delivery whose lease would run
 * out before its send could finish is given back unsent.
 */
const PREFETCH = 4;

interface CycleResult {
  readonly fannedOut: number;
  readonly moreQueued: boolean;
  readonly claimed: number;
  readonly free: number;
}

export function createDispatcher(deps: EngineDeps, options: DispatcherOptions = {}): Dispatcher {
  const schedule = validateSchedule(options.schedule ?? DEFAULT_RETRY_SCHEDULE_MS);
  const timeoutMs = options.timeoutMs ?? DEFAULT_WEBHOOK_TIMEOUT_MS;
  const leaseMs = options.leaseMs ?? 4 * timeoutMs + 10_000;
  if (leaseMs <= 2 * timeoutMs) throw new Error(`the lease (${leaseMs} ms) must be longer than twice the send deadline (${timeoutMs} ms): a claimed delivery may wait one deadline for a free slot`);
  const concurrency = options.concurrency ?? 32;
  const pollIntervalMs = options.pollIntervalMs ?? 500;
  const batchSize = options.batchSize ?? 200;
  const ownSender = !options.sender;
  const sender = options.sender ?? createWebhookSender({ timeoutMs, env: options.env });
  const id = `${hostname()}:${process.pid}:${randomBase62(6)}`;
  const stats = { sent: 0, succeeded: 0, failed: 0 };
  const { database } = deps;

  let running = false;
  let loopDone: Promise<void> = Promise.resolve();
  let wakeUp: (() => void) | undefined;
  let woken = false;
  /** Deliveries held: queued, being sent, or sent and waiting for their result to be recorded. */
  let held = 0;
  /** Claimed deliveries waiting for a free send slot, oldest claim first. */
  const queue: Array<{ delivery: ClaimedDelivery; body: string | undefined; secrets: string[] | undefined; claimedAt: number }> = [];
  /** Claimed deliveries whose lease ran too short before a slot came free: given back next cycle. */
  let expired: ClaimedDelivery[] = [];
  let sending = 0;
  let results: SendOutcome[] = [];
  const sends = new Set<Promise<void>>();
  const unsubscribers: Array<() => void> = [];
  let listener: PgListener | undefined;

  /** Set when something new may be queued (an event was written, a poll is due). */
  let fanOutWanted = true;
  const wake = () => {
    woken = true;
    wakeUp?.();
  };
  const wakeForEvents = () => {
    fanOutWanted = true;
    wake();
  };

  async function send(delivery: ClaimedDelivery, body: string | undefined, secrets: readonly string[] | undefined): Promise<void> {
    const startedAt = deps.clock.now();
    let response: WebhookResponse;
    try {
      response = await sender.send(buildDeliveryRequest(delivery, body, secrets, startedAt));
    } catch (error) {
      // Not the receiver's fault (a secret that does not decrypt…), but still an attempt to record.
      response = { status: null, durationMs: 0, body: null, error: `paygate could not send: ${error instanceof Error ? error.message : String(error)}` };
    }
    const verdict = judgeResponse(response, delivery.require_success_body === 1);
    stats.sent++;
    if (verdict.succeeded) stats.succeeded++; else stats.failed++;
    results.push({ delivery, startedAt, durationMs: response.durationMs, httpStatus: response.status, excerpt: verdict.excerpt, error: verdict.error, succeeded: verdict.succeeded });
    sending--;
    pump();
    wake();
  }

  /** Starts queued sends while there are free slots. */
  function pump(): void {
    while (sending < concurrency && queue.length > 0) {
      const next = queue.shift()!;
      // Never start a send that could outlive its lease: give the delivery back instead.
      if (deps.clock.now() + timeoutMs >= next.claimedAt + leaseMs) {
        expired.push(next.delivery);
        continue;
      }
      sending++;
      const task = send(next.delivery, next.body, next.secrets);
      sends.add(task);
      void task.finally(() => sends.delete(task));
    }
  }

  /** Records results, fans out, claims (see dispatch-cycle.ts), then queues the claimed sends. */
  async function cycle(work: { fanOut: boolean; claim: boolean }): Promise<CycleResult> {
    if (expired.length) {
      const giveBack = expired;
      expired = [];
      await releaseClaims({ db: database.db, dialect: database.dialect, now: deps.clock.now() }, giveBack);
      held -= giveBack.length;
    }
    const recording = results;
    results = [];
    const free = work.claim ? PREFETCH * concurrency - (held - recording.length) : 0;
    const outcome = await runCycle(deps, { schedule, leaseMs, batchSize, dispatcherId: id }, { recording, fanOut: work.fanOut, free });
    if (outcome.recorded) {
      held -= recording.length;
      for (const result of recording) options.onAttempt?.(result);
    } else {
      // Not written: kept for the next cycle (their leases still hold).
      results = recording.concat(results);
    }
    const { deliveries, bodies, secrets } = outcome.claimed;
    held += deliveries.length;
    const claimedAt = deps.clock.now();
    for (const delivery of deliveries) {
      queue.push({ delivery, body: bodies.get(payloadKey(delivery)), secrets: delivery.endpoint_id ? secrets.get(delivery.endpoint_id) : undefined, claimedAt });
    }
    pump();
    if (outcome.error !== undefined) throw outcome.error;
    return { fannedOut: outcome.fannedOut, moreQueued: outcome.fannedOut >= batchSize, claimed: deliveries.length, free };
  }

  async function sleep(ms: number): Promise<void> {
    if (woken || !running) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, ms));
      wakeUp = () => { clearTimeout(timer); resolve(); };
    });
    wakeUp = undefined;
  }

  async function loop(): Promise<void> {
    let failures = 0;
    while (running) {
      // Let every answer that has already arrived be read first: they then share this cycle's
      // commit instead of each paying for one.
      await new Promise((resolve) => setImmediate(resolve));
      woken = false;
      let delay = pollIntervalMs;
      try {
        const fanOut = fanOutWanted;
        fanOutWanted = false;
        const result = await cycle({ fanOut, claim: true });
        failures = 0;
        if (result.moreQueued) fanOutWanted = true;
        // Go round again at once while there is certainly more to do.
        if (result.moreQueued || results.length > 0 || (result.free > 0 && result.claimed === result.free)) continue;
        if (held === 0) {
          const due = await nextDueAt(deps);
          if (due !== null) delay = Math.min(pollIntervalMs, due - deps.clock.now());
        }
      } catch (error) {
        fanOutWanted = true;
        options.onError?.(error);
        failures++;
        delay = Math.min(pollIntervalMs * 2 ** failures, 30_000);
      }
      await sleep(delay);
      // A quiet spell ends with a look at the queue: events written by processes we cannot hear.
      if (!woken) fanOutWanted = true;
    }
    // Give back what was claimed but not started, then finish what was started, and record it.
    const unsent = [...expired.splice(0), ...queue.splice(0).map((entry) => entry.delivery)];
    if (unsent.length) {
      held -= unsent.length;
      await releaseClaims({ db: database.db, dialect: database.dialect, now: deps.clock.now() }, unsent).catch(options.onError);
    }
    while (sends.size > 0 || results.length > 0) {
      await Promise.allSettled([...sends]);
      try {
        await cycle({ fanOut: false, claim: false });
      } catch (error) {
        options.onError?.(error);
        break;
      }
    }
  }

  return {
    id,
    stats,
    wake: wakeForEvents,
    start() {
      if (running) return;
      running = true;
      if (options.bus) unsubscribers.push(options.bus.subscribeAll(wakeForEvents));
      if (database.dialect === 'postgres') listener = listenPostgres(database.url, ['paygate_outbox'], wakeForEvents, wakeForEvents);
      loopDone = loop();
    },
    async stop() {
      running = false;
      wake();
      await loopDone;
      for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
      await listener?.close();
      listener = undefined;
      if (ownSender) sender.close();
    },
    async runOnce() {
      let fannedOut = 0;
      for (;;) {
        const result = await cycle({ fanOut: true, claim: false });
        fannedOut += result.fannedOut;
        if (!result.moreQueued) break;
      }
      const before = stats.sent;
      await cycle({ fanOut: false, claim: true });
      while (sends.size > 0) await Promise.allSettled([...sends]);
      await cycle({ fanOut: false, claim: false });
      return { fannedOut, sent: stats.sent - before };
    },
  };
}
