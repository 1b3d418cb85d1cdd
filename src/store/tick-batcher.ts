/**
 * Collects the items submitted during one event-loop turn and hands them to `flush` together.
 * Concurrent requests then share one database round trip (PostgreSQL) instead of paying one
 * each. The flush answers one result per item, in order; a thrown error fails every item of
 * that batch. A batch leaves at the end of the turn, or at once when it reaches `maxBatch`;
 * several may be in flight at once.
 */
export type BatchOutcome<R> = { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: unknown };

interface Waiting<I, R> {
  readonly item: I;
  readonly resolve: (value: R) => void;
  readonly reject: (reason: unknown) => void;
}

/**
 * Where a batch goes to PostgreSQL, it leaves once it holds this many items instead of at the
 * end of the turn. The server then works on the first statement while this thread still
 * prepares the rest of the turn's requests. Left to the end of the turn, 64 concurrent notifies
 * travelled in one batch: the server waited while Node planned them, then Node waited while the
 * server wrote them. Node's event loop was busy 44 % of the time, and 1.1 of the 2 cores were
 * used. At 32 it is busy 70 %, and notify ingestion runs 14–21 % faster. At 16 or 24 the extra
 * statements cost more than the overlap gives; at 48 too little overlaps
 * (docs/benchmarks.md, 2026-11-22).
 */
export const POSTGRES_BATCH = 32;

export class TickBatcher<I, R> {
  private waiting: Waiting<I, R>[] = [];
  private scheduled = false;
  /** Batches flushed and items they held, for benchmarks and tests. */
  readonly stats = { batches: 0, items: 0 };

  constructor(private readonly flush: (items: readonly I[]) => Promise<BatchOutcome<R>[]>, private readonly maxBatch = 200) {}

  submit(item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (this.waiting.length >= this.maxBatch) this.flushNow();
      else if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate, not a microtask: the requests parsed in this I/O turn join the batch.
        setImmediate(() => this.flushNow());
      }
    });
  }

  private flushNow(): void {
    this.scheduled = false;
    const batch = this.waiting;
    if (batch.length === 0) return;
    this.waiting = [];
    this.stats.batches += 1;
    this.stats.items += batch.length;
    this.flush(batch.map((w) => w.item)).then(
      (outcomes) => batch.forEach((w, i) => {
        const outcome = outcomes[i];
        if (!outcome) w.reject(new Error('batch flush answered fewer results than items'));
        else if (outcome.ok) w.resolve(outcome.value);
        else w.reject(outcome.error);
      }),
      (error: unknown) => batch.forEach((w) => w.reject(error)),
    );
  }
}
