/**
 * The admin console: operators, their sessions, login throttling, and the indexes that keep the
 * console's transaction list and dashboard fast at millions of charges.
 */
import type { Kysely } from 'kysely';
import type { MigrationFactory } from './types.js';

export const migration005Admin: MigrationFactory = (dialect) => ({
  async up(db: Kysely<unknown>) {
    const ms = dialect === 'postgres' ? 'bigint' : 'integer';

    await db.schema.createTable('admin_users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('username', 'text', (c) => c.notNull().unique())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', ms, (c) => c.notNull())
      .addColumn('updated_at', ms, (c) => c.notNull())
      .addColumn('last_login_at', ms)
      .execute();

    // The cookie carries a random token; only its hash is stored, so a leaked table opens no session.
    await db.schema.createTable('admin_sessions')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('admin_users.id').onDelete('cascade'))
      .addColumn('csrf_token', 'text', (c) => c.notNull())
      .addColumn('created_at', ms, (c) => c.notNull())
      .addColumn('last_seen_at', ms, (c) => c.notNull())
      .addColumn('expires_at', ms, (c) => c.notNull())
      .addColumn('ip', 'text', (c) => c.notNull())
      .addColumn('user_agent', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('admin_sessions_user').on('admin_sessions').columns(['user_id']).execute();

    // Kept in the database (not memory) so every paygate process behind a balancer throttles alike.
    await db.schema.createTable('admin_login_attempts')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('first_failure_at', ms, (c) => c.notNull())
      .addColumn('locked_until', ms)
      .execute();

    // The console's transaction list is always scoped to a mode and ordered newest first; each
    // filter gets an index ending in (created_at, id) so keyset pages stay index range scans.
    await db.schema.createIndex('charges_mode_created').on('charges').columns(['livemode', 'created_at', 'id']).execute();
    await db.schema.createIndex('charges_mode_status_created').on('charges').columns(['livemode', 'status', 'created_at', 'id']).execute();
    await db.schema.createIndex('charges_mode_type_created').on('charges').columns(['livemode', 'type', 'created_at', 'id']).execute();
    await db.schema.createIndex('charges_channel_created').on('charges').columns(['channel_id', 'created_at', 'id']).execute();
    await db.schema.createIndex('charges_order_no_lookup').on('charges').columns(['order_no']).execute();
    await db.schema.createIndex('charges_transaction_no').on('charges').columns(['transaction_no']).execute();
    await db.schema.createIndex('refunds_created').on('refunds').columns(['livemode', 'created_at']).execute();
    // Covers the dashboard's one grouped scan over a date range (no table lookups). It leads with
    // created_at, not livemode, so the planner never prefers it to charges_mode_created for a
    // list page (it cannot give the (created_at, id) order without a sort).
    await db.schema.createIndex('charges_console_stats').on('charges')
      .columns(['created_at', 'livemode', 'status', 'channel_id', 'type', 'currency', 'amount', 'amount_refunded']).execute();
    // The console's delivery list and the dashboard's webhook health, newest first per mode.
    await db.schema.createIndex('webhook_deliveries_mode_created').on('webhook_deliveries').columns(['livemode', 'created_at', 'id']).execute();
  },
});
