/**
 * Webhook storage: the app's endpoints, one delivery row per (event, destination), one attempt
 * row per send, and the fan-out queue.
 *
 * The queue is filled by a trigger on `events`, so a queue row commits in the very transaction
 * that writes the event (the engine's outbox code needs no change, and no event can be skipped
 * the way a "last seq seen" cursor skips a sequence number whose transaction commits late).
 * On PostgreSQL the triggers also `pg_notify` at commit: `paygate_outbox` wakes every
 * dispatcher, `paygate_charge` tells every process's charge watchers (SSE) that a charge moved.
 */
import { sql, type Kysely } from 'kysely';
import type { MigrationFactory } from './types.js';

export const migration002Webhooks: MigrationFactory = (dialect) => ({
  async up(db: Kysely<unknown>) {
    const ms = dialect === 'postgres' ? 'bigint' : 'integer';

    await db.schema.createTable('webhook_endpoints')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
      .addColumn('livemode', 'integer', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('events', 'text', (c) => c.notNull())
      .addColumn('channel', 'text')
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('require_success_body', 'integer', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('previous_secret', 'text')
      .addColumn('previous_secret_expires_at', ms)
      .addColumn('created_at', ms, (c) => c.notNull())
      .addColumn('updated_at', ms, (c) => c.notNull())
      .addColumn('deleted_at', ms)
      .execute();
    await db.schema.createIndex('webhook_endpoints_app').on('webhook_endpoints').columns(['app_id', 'livemode', 'created_at']).execute();

    await db.schema.createTable('webhook_fanout')
      .addColumn('event_seq', ms, (c) => c.primaryKey())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('created_at', ms, (c) => c.notNull())
      .execute();

    await db.schema.createTable('webhook_deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('event_seq', ms, (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('livemode', 'integer', (c) => c.notNull())
      .addColumn('charge_id', 'text')
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('endpoint_id', 'text')
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('require_success_body', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempt_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('round_attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', ms)
      .addColumn('lease_until', ms)
      .addColumn('lease_token', 'text')
      .addColumn('stale_lease_token', 'text')
      .addColumn('last_attempt_at', ms)
      .addColumn('last_http_status', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('created_at', ms, (c) => c.notNull())
      .addColumn('updated_at', ms, (c) => c.notNull())
      .addColumn('completed_at', ms)
      .execute();
    // One delivery per event and destination: a fan-out that runs twice adds nothing.
    await db.schema.createIndex('webhook_deliveries_event_target').unique().on('webhook_deliveries').columns(['event_id', 'target']).execute();
    // The claim query: due pending deliveries, oldest due first; and the console's newest-first list
    // per app. No more: every attempt rewrites its row, and each index is paid on every rewrite.
    await db.schema.createIndex('webhook_deliveries_due').on('webhook_deliveries').columns(['status', 'next_attempt_at']).execute();
    await db.schema.createIndex('webhook_deliveries_app').on('webhook_deliveries').columns(['app_id', 'livemode', 'created_at']).execute();
    if (dialect === 'postgres') {
      // A claim changes no indexed column; free room in each page lets PostgreSQL update in place (HOT).
      await sql`ALTER TABLE webhook_deliveries SET (fillfactor = 70)`.execute(db);
    }

    // Bodies live apart from the delivery rows, which are rewritten at every claim and result:
    // one body per event and format, shared by every endpoint that takes that format. (The `event`
    // format is rendered from the immutable event row instead, so it needs none.)
    await db.schema.createTable('webhook_payloads')
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('format', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('webhook_payloads_pk', ['event_id', 'format'])
      .execute();

    await db.schema.createTable('webhook_attempts')
      .addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
      .addColumn('delivery_id', 'text', (c) => c.notNull())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('attempt_no', 'integer', (c) => c.notNull())
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('started_at', ms, (c) => c.notNull())
      .addColumn('duration_ms', 'integer', (c) => c.notNull())
      .addColumn('http_status', 'integer')
      .addColumn('response_excerpt', 'text')
      .addColumn('error', 'text')
      .addColumn('succeeded', 'integer', (c) => c.notNull())
      .addColumn('dispatcher', 'text', (c) => c.notNull())
      .execute();
    // A send has exactly one number: two dispatchers can never both record attempt n.
    await db.schema.createIndex('webhook_attempts_delivery_no').unique().on('webhook_attempts').columns(['delivery_id', 'attempt_no']).execute();

    if (dialect === 'postgres') {
      await sql`CREATE FUNCTION paygate_events_fanout() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          INSERT INTO webhook_fanout (event_seq, event_id, created_at) VALUES (NEW.seq, NEW.id, NEW.created_at);
          PERFORM pg_notify('paygate_outbox', '');
          RETURN NULL;
        END $$`.execute(db);
      await sql`CREATE TRIGGER events_webhook_fanout AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION paygate_events_fanout()`.execute(db);
      await sql`CREATE FUNCTION paygate_charge_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.status IS DISTINCT FROM OLD.status OR NEW.amount_refunded IS DISTINCT FROM OLD.amount_refunded THEN
            PERFORM pg_notify('paygate_charge', json_build_object('charge_id', NEW.id, 'app_id', NEW.app_id, 'status', NEW.status)::text);
          END IF;
          RETURN NULL;
        END $$`.execute(db);
      await sql`CREATE TRIGGER charges_notify AFTER UPDATE ON charges FOR EACH ROW EXECUTE FUNCTION paygate_charge_notify()`.execute(db);
    } else {
      await sql`CREATE TRIGGER events_webhook_fanout AFTER INSERT ON events BEGIN
        INSERT INTO webhook_fanout (event_seq, event_id, created_at) VALUES (NEW.seq, NEW.id, NEW.created_at);
      END`.execute(db);
    }
  },
});
