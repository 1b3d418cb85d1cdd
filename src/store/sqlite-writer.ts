/**
 * The main thread's side of the SQLite writer thread (sqlite-writer-worker.ts). Charge writes
 * queue here; whenever the thread is idle, everything queued goes over as one batch, written in
 * one transaction and one durable COMMIT (group commit). Each write's promise settles only after
 * that COMMIT returned. The thread and the main connection take turns through `WriteLock`.
 */
import { Worker } from 'node:worker_threads';
import type { ChargeWrites, InsertChargeOutcome, NewChargeWrite, TransitionOutcome, TransitionWrite } from './charge-writes.js';
import type { SqliteWrite } from './charge-writes-sqlite.js';
import type { WriterBatch, WriterReply } from './sqlite-writer-worker.js';
import type { WriteLock } from './write-lock.js';

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
  private inFlight: { batch: number; writes: Waiting[] } | null = null;
  private scheduled = false;
  private nextBatch = 1;
  private failure: Error | null = null;
  private closed: Promise<void> | null = null;
  private releaseLock: (() => void) | null = null;
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
      while (this.queue.length > 0 || this.inFlight) await new Promise((resolve) => setTimeout(resolve, 5));
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
      if (!this.scheduled && !this.inFlight) {
        this.scheduled = true;
        // setImmediate: the requests parsed in this I/O turn join the batch.
        setImmediate(() => void this.send());
      }
    });
  }

  private async send(): Promise<void> {
    this.scheduled = false;
    if (this.inFlight || this.queue.length === 0) return;
    const writes = this.queue.splice(0, this.maxBatch);
    const batch = this.nextBatch++;
    this.inFlight = { batch, writes };
    this.worker.ref();
    this.releaseLock = await this.lock.acquire();
    const message: WriterBatch = { batch, writes: writes.map((w) => w.write) };
    this.worker.postMessage(message);
  }

  private settle(reply: WriterReply): void {
    const flight = this.inFlight;
    if (!flight || flight.batch !== reply.batch) return;
    this.finishFlight();
    if (reply.error) {
      for (const w of flight.writes) w.reject(toError(reply.error));
    } else {
      this.stats.batches += 1;
      this.stats.writes += flight.writes.length;
      flight.writes.forEach((w, i) => {
        const outcome = reply.outcomes![i]!;
        if (outcome.ok) w.resolve(outcome.value);
        else w.reject(toError(outcome.error));
      });
    }
    if (this.queue.length > 0) void this.send();
  }

  private finishFlight(): void {
    this.inFlight = null;
    this.releaseLock?.();
    this.releaseLock = null;
    this.started?.unref();
  }

  private fail(error: Error): void {
    this.failure = error;
    const pending = [...(this.inFlight?.writes ?? []), ...this.queue];
    this.queue = [];
    if (this.inFlight) this.finishFlight();
    for (const w of pending) w.reject(error);
  }
}
