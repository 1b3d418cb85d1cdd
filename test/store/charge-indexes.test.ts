import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql, type Compilable, type Kysely } from 'kysely';
import { DIALECTS } from '../support/dialects.js';
import type { Database } from '../../src/store/database.js';
import type { Schema } from '../../src/store/schema.js';
import { expiredChargesQuery, unsettledChargesQuery } from '../../src/engine/jobs.js';
import { succeededChargesOfChannel } from '../../src/engine/channel-records.js';
import { applyTransactionFilter } from '../../src/engine/admin/transaction-filter.js';

/** The query plan as text: SQLite's EXPLAIN QUERY PLAN, or PostgreSQL's EXPLAIN with sequential scans priced out (tables here are empty). */
async function planOf(db: Kysely<Schema>, dialect: string, query: Compilable): Promise<string> {
  const compiled = query.compile();
  if (dialect === 'sqlite') {
    const rows = await db.executeQuery<{ detail: string }>({ ...compiled, sql: `EXPLAIN QUERY PLAN ${compiled.sql}` });
    return rows.rows.map((row) => row.detail).join('\n');
  }
  return db.transaction().execute(async (trx) => {
    await sql`SET LOCAL enable_seqscan = off`.execute(trx);
    const rows = await trx.executeQuery<{ 'QUERY PLAN': string }>({ ...compiled, sql: `EXPLAIN ${compiled.sql}` });
    return rows.rows.map((row) => row['QUERY PLAN']).join('\n');
  });
}

async function chargeIndexes(database: Database): Promise<string[]> {
  const names = database.dialect === 'sqlite'
    ? await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'charges' and sql is not null`.execute(database.db)
    : await sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'charges' and schemaname = current_schema() and indexname <> 'charges_pkey'`.execute(database.db);
  return names.rows.map((row) => row.name).sort();
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialect.available)(`the indexes of charges on ${dialect.name}`, () => {
    let database: Database;
    beforeEach(async () => { database = await dialect.open(); });
    afterEach(() => database.close());

    it('are the lean set of migration 008', async () => {
      expect(await chargeIndexes(database)).toEqual([
        'charges_app_created', 'charges_channel_created', 'charges_channel_succeeded', 'charges_console_stats', 'charges_mode_created',
        'charges_mode_status_created', 'charges_mode_type_created', 'charges_open', 'charges_order_no', 'charges_order_no_lookup', 'charges_transaction_no',
      ]);
    });

    it('serve the expiry job from charges_open', async () => {
      expect(await planOf(database.db, dialect.name, expiredChargesQuery(database.db, Date.now(), 100))).toMatch(/charges_open\b/);
    });

    it('serve the reconcile job from charges_open', async () => {
      expect(await planOf(database.db, dialect.name, unsettledChargesQuery(database.db, Date.now(), 50))).toMatch(/charges_open\b/);
    });

    it("serve a channel's payment records from charges_channel_succeeded", async () => {
      expect(await planOf(database.db, dialect.name, succeededChargesOfChannel(database.db, 'app_x', 'chn_x').orderBy('created_at', 'desc').orderBy('id', 'desc').limit(21)))
        .toMatch(/charges_channel_succeeded/);
    });

    it('serve a console search by trade number from charges_transaction_no', async () => {
      const search = applyTransactionFilter(database.db.selectFrom('charges').selectAll(), { q: '2026120722001400000000000001' });
      expect(await planOf(database.db, dialect.name, search)).toMatch(/charges_transaction_no/);
    });
  });
}
