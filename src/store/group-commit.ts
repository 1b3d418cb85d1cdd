/**
 * Group commit for the embedded SQLite database. With `synchronous=FULL` every COMMIT waits for
 * the disk; one commit per charge would cap throughput at the disk's flush rate. Instead, the
 * units of work that arrive while a batch is being written are queued, then run one after the
 * other inside a single transaction, each in its own SAVEPOINT (so a failing unit rolls back
 * alone), and the batch is committed once. No caller hears "done" before that COMMIT returned,
 * so an acknowledged change is as durable as with one commit each.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from './schema.js';
import type { WriteLock } from './write-lock.js';

type Work<T> = (trx: Kysely<Schema>) => Promise<T>;

interface Pending {
  readonly work: Work<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
}

export class SqliteGroupCommitter {
  private queue: Pending[] = [];
  private running = false;
  private scheduled = false;
  /** Batches committed and units they held, for benchmarks and tests. */
  readonly stats = { batches: 0, units: 0 };

  constructor(private readonly db: Kysely<Schema>, private readonly lock?: WriteLock, private readonly maxBatch = 256) {}

  run<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  /**
   * better-sqlite3 is synchronous: a batch started at once would run to its COMMIT before Node
   * reads the next socket, so every request would commit alone. Starting the drain from
   * `setImmediate` lets the requests of the same I/O turn queue up and share one commit.
   */
  private schedule(): void {
    if (this.running || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        await this.commitBatch(batch);
      }
    } finally {
      this.running = false;
      if (this.queue.length > 0) this.schedule();
    }
  }

  private async commitBatch(batch: Pending[]): Promise<void> {
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    const release = await this.lock?.acquire();
    try {
      // One connection, held for the whole batch (Kysely's SQLite driver serialises by mutex).
      await this.db.connection().execute(async (conn) => {
        await sql`begin immediate`.execute(conn);
        try {
          if (batch.length === 1) {
            // Alone in its batch: the transaction itself is the unit's boundary.
            outcomes.push({ ok: true, value: await batch[0]!.work(conn) });
            await sql`commit`.execute(conn);
            return;
          }
          for (const unit of batch) {
            await sql`savepoint unit`.execute(conn);
            try {
              const value = await unit.work(conn);
              await sql`release unit`.execute(conn);
              outcomes.push({ ok: true, value });
            } catch (error) {
              await sql`rollback to unit`.execute(conn);
              await sql`release unit`.execute(conn);
              outcomes.push({ ok: false, error });
            }
          }
          await sql`commit`.execute(conn);
        } catch (error) {
          await sql`rollback`.execute(conn).catch(() => undefined);
          throw error;
        }
      });
    } catch (error) {
      // The batch did not commit: nothing of it is on disk, so every unit failed.
      for (const unit of batch) unit.reject(error);
      return;
    } finally {
      release?.();
    }
    this.stats.batches += 1;
    this.stats.units += batch.length;
    batch.forEach((unit, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) unit.resolve(outcome.value);
      else unit.reject(outcome.error);
    });
  }
}
