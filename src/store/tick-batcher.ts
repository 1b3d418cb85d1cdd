/**
 * Collects the items submitted during one event-loop turn and hands them to `flush` together.
 * Concurrent requests then share one database round trip (PostgreSQL) instead of paying one
 * each. The flush answers one result per item, in order; a thrown error fails every item of
 * that batch. Batches are flushed as they form, several may be in flight at once.
 */
export type BatchOutcome<R> = { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: unknown };

interface Waiting<I, R> {
  readonly item: I;
  readonly resolve: (value: R) => void;
  readonly reject: (reason: unknown) => void;
}

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
