/**
 * The WHERE terms of the partial indexes on `charges` (migration 008), for the queries they serve.
 * SQLite picks a partial index only when the query holds the index's own term, written the same
 * way with literal values (a bound parameter does not count), so these are raw SQL and must stay
 * exactly the migration's text; `test/store/charge-indexes.test.ts` checks that each query is
 * served by its index on both dialects.
 */
import { sql, type RawBuilder } from 'kysely';

/** `charges_open`: charges that can still move (the expiry and reconcile jobs look only at these). */
export const OPEN_CHARGE: RawBuilder<boolean> = sql<boolean>`status IN ('created', 'pending', 'secured_paid', 'shipped')`;

/** `charges_channel_succeeded`: the payment records of a channel. */
export const SUCCEEDED_CHARGE: RawBuilder<boolean> = sql<boolean>`status = 'succeeded'`;
