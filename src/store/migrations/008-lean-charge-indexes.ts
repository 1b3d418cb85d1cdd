/**
 * Fewer index entries for a charge to move, found by counting the pages a notify's write dirties.
 * A notify moves `status` and sets `transaction_no`: on SQLite every index holding one of them
 * loses an entry and gains one, and on PostgreSQL the update is never HOT, so every index of
 * `charges` whose predicate the new row meets gains an entry. Each index entry is a leaf page
 * written to the WAL and fsynced, and most entries land on a page of their own.
 *
 * - `charges_status_expire (status, time_expire)` becomes `charges_open`, holding only charges
 *   that can still move (created, pending, secured_paid, shipped): the expiry and reconcile jobs
 *   ask only for those, and a charge that succeeds or closes now leaves the index without entering it again.
 * - `charges_channel_status (channel_id, status, created_at)` becomes
 *   `charges_channel_succeeded (channel_id, created_at, id)`, holding succeeded charges only:
 *   payment records are the only query on a channel and a status, and they ask for `succeeded`.
 * - `charges_transaction_no` keeps only charges that have a channel trade number: a new charge,
 *   which has none yet, no longer writes an entry.
 * - `charges_created (created_at, id)` goes: no query orders all charges across apps and modes by
 *   creation alone; the API list is per app (`charges_app_created`), the console's per mode
 *   (`charges_mode_created`), and the dashboard's range scan has `charges_console_stats`.
 *
 * SQLite uses a partial index only when the query repeats its WHERE term as written, so the
 * queries that need these take their terms from `src/store/charge-index-terms.ts`; the terms
 * here are that text, frozen with this migration.
 */
import { sql, type Kysely } from 'kysely';
import type { MigrationFactory } from './types.js';

export const migration008LeanChargeIndexes: MigrationFactory = () => ({
  async up(db: Kysely<unknown>) {
    await sql`DROP INDEX charges_created`.execute(db);
    await sql`DROP INDEX charges_status_expire`.execute(db);
    await sql`CREATE INDEX charges_open ON charges (status, time_expire) WHERE status IN ('created', 'pending', 'secured_paid', 'shipped')`.execute(db);
    await sql`DROP INDEX charges_channel_status`.execute(db);
    await sql`CREATE INDEX charges_channel_succeeded ON charges (channel_id, created_at, id) WHERE status = 'succeeded'`.execute(db);
    await sql`DROP INDEX charges_transaction_no`.execute(db);
    await sql`CREATE INDEX charges_transaction_no ON charges (transaction_no) WHERE transaction_no IS NOT NULL`.execute(db);
  },
});
