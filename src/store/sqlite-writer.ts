/**
 * The main thread's side of the SQLite writer thread (sqlite-writer-worker.ts). Charge writes
 * queue here and go over in batches; each batch is written in one transaction and one durable
 * COMMIT (group commit), and each write's promise settles only after its batch's COMMIT returned.
 * The thread and the main connection take turns through `WriteLock`.
 *
 * Batches are pipelined: a batch leaves as soon as it holds EARLY_BATCH writes instead of waiting
 * for the end of the event-loop turn, and the rest follow when it returns (MAX_IN_FLIGHT).
 * Writes arrive in waves (the continuations of one committed batch all run in one turn), and a
 * wave held back until its last write was queued left the thread idle while the main thread
 * worked and the main thread idle while the thread wrote. Measured on 64 concurrent Alipay
 * notifies in one run of the machine: 4,100–4,300 → 5,100–5,800 per second, the main thread
 * busy 57 → 85 % of the time.
 */
import { Worker } from 'node:worker_threads';
import type { ChargeWrites, InsertChargeOutcome, NewChargeWrite, TransitionOutcome, TransitionWrite } from './charge-writes.js';
import type { SqliteWrite } from './charge-writes-sqlite.js';
import type { WriterBatch, WriterReply } from './sqlite-writer-worker.js';
import type { WriteLock } from './write-lock.js';

/**
 * Batches posted to the thread and not yet committed, at most. With 2 or 4, notifies ran 6–10 %
 * faster than with 1, but under charge creation the main heap's old space then swelled to
 * ~110 MiB between major collections and the server's peak RSS rose from 180–225 to 233–249
 * MiB, against a 250 MB budget. One batch at the thread, leaving early, keeps most of the gain.
 */
const MAX_IN_FLIGHT = 1;
/**
 * Writes that make a batch worth sending before the event-loop turn ends. Each batch pays one
 * flush (about 1.2 ms here), so smaller ones overlap more but keep the thread busier: 16 and 32
 * measured alike on 64 concurrent notifies, 32 a little ahead.
 */
const EARLY_BATCH = 32;

interface Waiting {
  readonly write: SqliteWrite;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
}

function toError(plain: { message: string; code?: string }): Error {
  return Object.assign(new Error(plain.message), plain.code ? { code: plain.code } : {});
}

/** Under tsx or vitest this module is TypeScript source; its worker then registers tsx first. */
function startWorker(file: string): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./sqlite-writer-worker.js', import.meta.url), { workerData: { file } });
  const source = new URL('./sqlite-writer-worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(boot, { eval: true, workerData: { file } });
}

export class SqliteWriter implements ChargeWrites {
  private started: Worker | null = null;
  private queue: Waiting[] = [];
  /** Posted batches by number, in the order the thread commits them. */
  private readonly flights = new Map<number, Waiting[]>();
  private nextBatch = 1;
  /** A pump at the end of this event-loop turn is scheduled. */
  private scheduled = false;
  private acquiring = false;
  private releaseLock: (() => void) | null = null;
  private failure: Error | null = null;
  private closed: Promise<void> | null = null;
  /** Batches committed and writes they held, for benchmarks and tests. */
  readonly stats = { batches: 0, writes: 0 };

  constructor(private readonly file: string, private readonly lock: WriteLock, private readonly maxBatch = 512) {}

  /** The thread starts with the first write (a process that never writes a charge never starts it). */
  private get worker(): Worker {
    if (this.started) return this.started;
    const worker = startWorker(this.file);
    worker.unref();
    worker.on('message', (reply: WriterReply) => this.settle(reply));
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => { if (!this.closed) this.fail(new Error(`the SQLite writer thread exited (${code})`)); });
    return (this.started = worker);
  }

  insertCharge(write: NewChargeWrite): Promise<InsertChargeOutcome> {
    return this.submit({ kind: 'insert', write }) as Promise<InsertChargeOutcome>;
  }

  applyTransition(write: TransitionWrite): Promise<TransitionOutcome> {
    return this.submit({ kind: 'transition', write }) as Promise<TransitionOutcome>;
  }

  /** Waits for queued writes, then stops the thread. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      while (this.queue.length > 0 || this.flights.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
      if (!this.started) return;
      const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
      this.worker.ref();
      this.worker.postMessage('close');
      await exited;
    })();
    return this.closed;
  }

  private submit(write: SqliteWrite): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error('the database is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ write, resolve, reject });
      this.pump(false);
    });
  }

  /**
   * Sends what is queued when it should go: at the end of the turn (`turnEnded`, so the writes of
   * one I/O turn share a batch), or earlier once EARLY_BATCH writes wait; never beyond
   * MAX_IN_FLIGHT batches (a settled batch pumps again). The lock is taken before the first batch
   * and passed on when the thread has nothing left or the main connection asks for its turn.
   */
  private pump(turnEnded: boolean): void {
    if (this.queue.length === 0 || this.flights.size >= MAX_IN_FLIGHT || this.failure) return;
    if (!turnEnded && this.queue.length < EARLY_BATCH) {
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.pump(true);
        });
      }
      return;
    }
    // Synchronously when the lock is free: a batch posted from a microtask queued behind the
    // rest of the wave would leave only after the whole wave.
    this.releaseLock ??= this.lock.tryAcquire();
    if (!this.releaseLock) {
      if (this.acquiring) return;
      this.acquiring = true;
      void this.lock.acquire().then((release) => {
        this.acquiring = false;
        this.releaseLock = release;
        this.pump(true);
      });
      return;
    }
    // The main connection waits for its turn: let the posted batches finish, then pass the lock.
    if (this.lock.contended && this.flights.size > 0) return;
    this.worker.ref();
    const writes = this.queue.splice(0, this.maxBatch);
    const batch = this.nextBatch++;
    this.flights.set(batch, writes);
    const message: WriterBatch = { batch, writes: writes.map((w) => w.write) };
    this.worker.postMessage(message);
  }

  private settle(reply: WriterReply): void {
    const writes = this.flights.get(reply.batch);
    if (!writes) return;
    this.flights.delete(reply.batch);
    if (reply.error) {
      for (const w of writes) w.reject(toError(reply.error));
    } else {
      this.stats.batches += 1;
      this.stats.writes += writes.length;
      writes.forEach((w, i) => {
        const outcome = reply.outcomes![i]!;
        if (outcome.ok) w.resolve(outcome.value);
        else w.reject(toError(outcome.error));
      });
    }
    if (this.flights.size === 0 && (this.queue.length === 0 || this.lock.contended)) this.passLockOn();
    this.pump(true);
  }

  private passLockOn(): void {
    this.releaseLock?.();
    this.releaseLock = null;
    this.started?.unref();
  }

  private fail(error: Error): void {
    this.failure = error;
    const pending = [...[...this.flights.values()].flat(), ...this.queue];
    this.queue = [];
    this.flights.clear();
    this.passLockOn();
    for (const w of pending) w.reject(error);
  }
}
