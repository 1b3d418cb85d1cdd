/**
 * The webhook dispatcher: fans queued events out to deliveries, claims due deliveries, sends them
 * (up to `concurrency` at once), and records every attempt. Runs inside `paygate serve` and alone
 * as `paygate worker`; several may share one PostgreSQL database (see delivery-claims.ts).
 *
 * Sends never wait for the database: deliveries are taken ahead (`PREFETCH_MAX`), sent only under
 * a start permit written ahead of them (delivery-permits.ts), and their results recorded in
 * batches. On PostgreSQL the takes, permits and records run side by side on the pool; on SQLite,
 * where every commit is an fsync on this thread, one transaction does all of it, and only when it
 * is worth a commit. docs/webhooks.md ("Running the dispatcher") tells the whole scheme.
 * It wakes on the in-process charge bus, on PostgreSQL `paygate_outbox` notifications from any
 * process, on finished sends and on `wake()`, and looks at the queue at least every
 * `pollIntervalMs`; a retry this dispatcher scheduled wakes it when it is due.
 */
import { hostname } from 'node:os';
import type { EngineDeps } from '../engine/deps.js';
import { randomBase62 } from '../core/ids.js';
import { createWebhookSender } from './http-sender.js';

export type { Dispatcher, DispatcherOptions } from './dispatcher-options.js';
import { nextAttemptAt } from './retry-schedule.js';
import type { ClaimedDelivery, SendOutcome } from './delivery-claims.js';
import { dispatcherSettings, PERMIT_AHEAD, PERMIT_LOW_WATER, PG_RECORDS_IN_FLIGHT, PREFETCH_MAX, PREFETCH_START, RECORD_DELAY_MS, type Dispatcher, type DispatcherOptions } from './dispatcher-options.js';
import { createCycle, type ReadyDelivery, type TakeResult, type TakeWork } from './dispatch-cycle.js';
import { createSendLane } from './send-lane.js';
import { listenPostgres, type PgListener } from './pg-listener.js';
import { DUE_NOTICE } from './deliveries.js';
import { createWakeTimer } from './wake-timer.js';

export function createDispatcher(deps: EngineDeps, options: DispatcherOptions = {}): Dispatcher {
  const { schedule, timeoutMs, leaseMs, concurrency, pollIntervalMs } = dispatcherSettings(options);
  const postgres = deps.database.dialect === 'postgres';
  const capacity = () => concurrency * Math.max(1, Math.min(PREFETCH_MAX, Math.floor((leaseMs - timeoutMs) / 2 / Math.max(lane.averageSendMs, 1))));
  // Take more work once the queue falls below this. PostgreSQL refills early, its take being a
  // round trip away; SQLite late, for few and large commits (a take blocks this thread anyway).
  const lowWater = () => (postgres ? capacity() / 2 : concurrency);
  const recordDelayMs = RECORD_DELAY_MS[deps.database.dialect];
  const ownSender = !options.sender;
  const sender = options.sender ?? createWebhookSender({ timeoutMs, env: options.env });
  const id = `${hostname()}:${process.pid}:${randomBase62(6)}`;
  const stats = { sent: 0, succeeded: 0, failed: 0 };
  const { database, clock } = deps;
  const cycle = createCycle(deps, { schedule, leaseMs, batchSize: options.batchSize ?? 1000, dispatcherId: id });
  const lane = createSendLane({
    sender, clock, concurrency, timeoutMs, leaseMs, initialSendMs: (leaseMs - timeoutMs) / 2 / PREFETCH_START,
    onOutcome(outcome) {
      stats.sent++;
      if (outcome.succeeded) stats.succeeded++; else stats.failed++;
      if (results.length === 0) oldestResultAt = clock.now();
      results.push(outcome);
      stepSoon();
    },
  });

  let running = false;
  /** Deliveries held: queued, being sent, or sent and waiting for their result to be recorded. */
  let held = 0;
  let results: SendOutcome[] = [];
  let oldestResultAt = 0;
  /**
   * Database work in flight. SQLite: one cycle at a time (`taking`). PostgreSQL: a fan-out
   * (`taking`), a claim of due deliveries, records (up to `PG_RECORDS_IN_FLIGHT`) and a give-back
   * may all overlap, with `reserved` room set aside for the takes in flight.
   */
  let taking: Promise<void> | undefined;
  let claimingDue: Promise<void> | undefined;
  const recordings = new Set<Promise<void>>();
  let releasing: Promise<void> | undefined;
  let permitting: Promise<void> | undefined;
  let reserved = 0;
  /** Permits being written: by a take in flight, or a top-up. */
  let permitsInFlight = 0;
  let fanOutWanted = true;
  let dueWanted = true;
  /** When this dispatcher's earliest scheduled retry is due. */
  let retryDueAt = Infinity;
  /** When the queue (fan-out) and the due deliveries were last looked at. */
  let lastFanOutLook = 0;
  let lastDueLook = 0;
  let failures = 0;
  let pausedUntil = 0;
  let scheduled = false;
  const wakeTimer = createWakeTimer(() => step());
  const unsubscribers: Array<() => void> = [];
  let listener: PgListener | undefined;

  /** Decide on the next turn of the event loop: answers read in this turn join the same batch. */
  function stepSoon(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(step);
  }
  const wakeForEvents = () => {
    fanOutWanted = true;
    stepSoon();
  };
  const wakeForAll = () => {
    fanOutWanted = true;
    dueWanted = true;
    stepSoon();
  };

  function enqueue(ready: readonly ReadyDelivery[]): void {
    held += ready.length;
    lane.enqueue(ready);
  }

  function failed(error: unknown): void {
    options.onError?.(error);
    failures++;
    pausedUntil = clock.now() + Math.min(pollIntervalMs * 2 ** failures, 30_000);
  }

  /** After a write: count the recorded results as done and remember when a retry falls due. */
  function recorded(batch: readonly SendOutcome[], at: number): void {
    held -= batch.length;
    for (const outcome of batch) {
      if (!outcome.succeeded) {
        const next = nextAttemptAt(schedule, outcome.delivery.round_attempts, at);
        if (next !== null && next < retryDueAt) retryDueAt = next;
      }
      options.onAttempt?.(outcome);
    }
  }

  function took(work: TakeWork, result: TakeResult, startedAt: number): void {
    enqueue(result.ready);
    if (work.fanOut) fanOutWanted = fanOutWanted || result.moreQueued;
    if (work.claimDue) dueWanted = dueWanted || result.moreDue;
    if (result.error !== undefined) return;
    if (work.fanOut) lastFanOutLook = startedAt;
    if (work.claimDue) lastDueLook = startedAt;
  }

  /** How many more permits to write now to have `PERMIT_AHEAD` waiting. */
  function permitRoom(): number {
    return Math.max(0, PERMIT_AHEAD * concurrency - lane.permitted - permitsInFlight);
  }

  /** Permits to top up now (0 while enough permitted deliveries wait). */
  function permitTopUp(): number {
    if (!running || lane.unpermitted === 0 || lane.permitted + permitsInFlight >= PERMIT_LOW_WATER * concurrency) return 0;
    return permitRoom();
  }

  /** After a permit write (undefined: it failed): hand the answer to the lane. */
  function permitted(granted: readonly ClaimedDelivery[] | undefined): void {
    held -= lane.permitsWritten(granted);
  }

  /** Room to take more work into, or 0 when taking is not worth it yet. */
  function roomNow(now: number): number {
    if (!running || now < pausedUntil || lane.queued >= lowWater()) return 0;
    return Math.max(0, capacity() - held - reserved);
  }

  /** SQLite: what one cycle should take (both kinds at once), or undefined. */
  function wantedTake(now: number): TakeWork | undefined {
    const room = roomNow(now);
    if (room <= 0 || (!fanOutWanted && !dueWanted)) return undefined;
    const work = { claimDue: dueWanted, fanOut: fanOutWanted, max: room, permit: 0 };
    fanOutWanted = dueWanted = false;
    return work;
  }

  function wantedRecord(now: number): boolean {
    if (results.length === 0 || (running && now < pausedUntil)) return false;
    // SQLite: a take records what waits, so alone a record waits for about a take's worth.
    const enough = postgres ? 2 * concurrency : capacity() - 2 * concurrency;
    return !running || results.length >= enough || lane.sending + lane.queued === 0 || now - oldestResultAt >= recordDelayMs;
  }

  function takeResults(): SendOutcome[] {
    const batch = results;
    results = [];
    return batch;
  }

  function step(): void {
    scheduled = false;
    if (!running) return; // stop() records what is left
    const now = clock.now();
    if (now - lastFanOutLook >= pollIntervalMs) fanOutWanted = true;
    if (now - lastDueLook >= pollIntervalMs) dueWanted = true;
    if (now >= retryDueAt) {
      dueWanted = true;
      retryDueAt = Infinity;
    }
    if (postgres) {
      if (recordings.size < PG_RECORDS_IN_FLIGHT && wantedRecord(now)) {
        const write: Promise<void> = recordOnPostgres(takeResults()).finally(() => { recordings.delete(write); stepSoon(); });
        recordings.add(write);
      }
      const topUp = permitting ? 0 : permitTopUp();
      if (topUp > 0) permitting = permitOnPostgres(topUp).finally(() => { permitting = undefined; stepSoon(); });
      if (!releasing && lane.expiredCount > 0) releasing = releaseOnPostgres().finally(() => { releasing = undefined; stepSoon(); });
      // Due deliveries are usually few: their claim runs beside the fan-out with a share of the room
      // (a full claim asks again at once).
      if (!claimingDue && dueWanted && roomNow(now) > 0) {
        const work = { claimDue: true, fanOut: false, max: Math.min(Math.ceil(roomNow(now) / 2), 2 * concurrency), permit: permitRoom() };
        dueWanted = false;
        claimingDue = takeOnPostgres(work).finally(() => { claimingDue = undefined; stepSoon(); });
      }
      if (!taking && fanOutWanted && roomNow(now) > 0) {
        const work = { claimDue: false, fanOut: true, max: roomNow(now), permit: permitRoom() };
        fanOutWanted = false;
        taking = takeOnPostgres(work).finally(() => { taking = undefined; stepSoon(); });
      }
    } else if (!taking) {
      const work = wantedTake(now) ?? (lane.expiredCount > 0 && running ? { claimDue: false, fanOut: false, max: 0, permit: 0 } : undefined);
      if (work || wantedRecord(now) || permitTopUp() > 0) taking = sqliteCycle(work).finally(() => { taking = undefined; stepSoon(); });
    }
    armTimer(now);
  }

  /** Sleeps until the next thing this dispatcher must do by itself. */
  function armTimer(now: number): void {
    // Whatever is due already waits for a send or a database write to finish, which steps again.
    const candidates = [lastFanOutLook + pollIntervalMs, lastDueLook + pollIntervalMs, retryDueAt];
    if (results.length > 0) candidates.push(oldestResultAt + recordDelayMs);
    let at = Math.min(...candidates.filter((t) => t > now));
    if (pausedUntil > now) at = Math.max(at === Infinity ? now : at, pausedUntil);
    wakeTimer.armAt(at, now);
  }

  async function recordOnPostgres(batch: SendOutcome[]): Promise<void> {
    try {
      await cycle.record(database.db, batch);
      failures = 0;
      recorded(batch, clock.now());
    } catch (error) {
      // Not written: kept for the next try (their leases still hold).
      results = batch.concat(results);
      failed(error);
    }
  }

  async function permitOnPostgres(count: number): Promise<void> {
    const toPermit = lane.takeForPermit(count);
    permitsInFlight += toPermit.length;
    try {
      permitted(await cycle.permit(database.db, toPermit));
    } catch (error) {
      permitted(undefined);
      failed(error);
    } finally {
      permitsInFlight -= toPermit.length;
    }
  }

  async function takeOnPostgres(work: TakeWork): Promise<void> {
    const startedAt = clock.now();
    reserved += work.max;
    permitsInFlight += work.permit;
    try {
      const result = await cycle.take(database.db, work);
      took(work, result, startedAt);
      if (result.error !== undefined) failed(result.error);
      else failures = 0;
    } finally {
      reserved -= work.max;
      permitsInFlight -= work.permit;
    }
  }

  async function releaseOnPostgres(): Promise<void> {
    const giveBack = lane.takeExpired();
    try {
      await cycle.release(database.db, giveBack);
      held -= giveBack.length;
    } catch (error) {
      lane.returnExpired(giveBack);
      failed(error);
    }
  }

  /**
   * SQLite: give back, record, top up permits and take in one transaction, so one commit covers
   * them all. Every cycle tops permits up: sharing a commit, it costs next to nothing.
   */
  async function sqliteCycle(takeWork: TakeWork | undefined): Promise<void> {
    const startedAt = clock.now();
    const giveBack = lane.takeExpired();
    const batch = takeResults();
    const permitsWanted = running ? permitRoom() : 0;
    const toPermit = lane.takeForPermit(permitsWanted);
    const work = takeWork && { ...takeWork, permit: permitsWanted - toPermit.length };
    try {
      const { granted, result } = await database.transaction(async (trx) => {
        await cycle.release(trx, giveBack);
        await cycle.record(trx, batch);
        const granted = await cycle.permit(trx, toPermit);
        if (!work || work.max <= 0) return { granted, result: undefined };
        const taken = await cycle.take(trx, work);
        // All or nothing: a failure rolls back what was recorded and claimed with it.
        if (taken.error !== undefined) throw taken.error;
        return { granted, result: taken };
      });
      failures = 0;
      held -= giveBack.length;
      recorded(batch, clock.now());
      permitted(granted);
      if (work && result) took(work, result, startedAt);
    } catch (error) {
      lane.returnExpired(giveBack);
      permitted(undefined);
      results = batch.concat(results);
      if (work) {
        fanOutWanted ||= work.fanOut;
        dueWanted ||= work.claimDue;
      }
      failed(error);
    }
  }

  /** Resolves once no database work is in flight. */
  async function settle(): Promise<void> {
    while (taking || claimingDue || recordings.size > 0 || releasing || permitting) await Promise.allSettled([taking, claimingDue, ...recordings, releasing, permitting]);
  }

  /** Stop: give back what was claimed but not started, finish what was started, record it all. */
  async function drain(): Promise<void> {
    await settle();
    const unsent = lane.takeUnsent();
    if (unsent.length) {
      await cycle.release(database.db, unsent).then(() => { held -= unsent.length; }, options.onError);
    }
    while (lane.sending > 0 || results.length > 0) {
      await lane.idle();
      const batch = takeResults();
      try {
        await (postgres ? cycle.record(database.db, batch) : database.transaction((trx) => cycle.record(trx, batch)));
        recorded(batch, clock.now());
      } catch (error) {
        options.onError?.(error);
        break;
      }
    }
  }

  /** One take (fan-out and claims) and its recording, awaited; for `runOnce`. */
  async function takeNow(work: TakeWork): Promise<TakeResult> {
    const batch = takeResults();
    const run = async (db: typeof database.db) => {
      await cycle.record(db, batch);
      const taken = await cycle.take(db, work);
      // SQLite: all or nothing. PostgreSQL: what was taken before a failure is held and sent.
      if (taken.error !== undefined && !postgres) throw taken.error;
      return taken;
    };
    const result = postgres ? await run(database.db) : await database.transaction(run);
    recorded(batch, clock.now());
    enqueue(result.ready);
    if (result.error !== undefined) throw result.error;
    return result;
  }

  return {
    id,
    stats,
    wake: wakeForAll,
    start() {
      if (running) return;
      running = true;
      fanOutWanted = dueWanted = true;
      if (options.bus) unsubscribers.push(options.bus.subscribeAll(wakeForEvents));
      // Another process's events (the fan-out trigger), and resends (`due`: existing deliveries are due).
      if (postgres) listener = listenPostgres(database.url, ['paygate_outbox'], (_channel, payload) => (payload === DUE_NOTICE ? wakeForAll() : wakeForEvents()), wakeForAll);
      stepSoon();
    },
    async stop() {
      running = false;
      wakeTimer.clear();
      for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
      await drain();
      await listener?.close();
      listener = undefined;
      if (ownSender) sender.close();
    },
    async runOnce() {
      let fannedOut = 0;
      for (;;) {
        const result = await takeNow({ claimDue: false, fanOut: true, max: 0, permit: 0 });
        fannedOut += result.fannedOut;
        if (!result.moreQueued) break;
      }
      const before = stats.sent;
      // Everything taken is permitted at once: this pass sends it all, then returns.
      await takeNow({ claimDue: true, fanOut: false, max: capacity() - held, permit: capacity() - held });
      await lane.idle();
      await takeNow({ claimDue: false, fanOut: false, max: 0, permit: 0 });
      return { fannedOut, sent: stats.sent - before };
    },
  };
}
