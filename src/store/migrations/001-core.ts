/** The core tables: apps, keys, channels, charges, refunds, logs, the event outbox, idempotency. */
import type { Kysely } from 'kysely';
import type { MigrationFactory } from './types.js';

export const migration001Core: MigrationFactory = (dialect) => ({
  async up(db: Kysely<unknown>) {
    const ms = dialect === 'postgres' ? 'bigint' : 'integer';
    const serial = (name: string) => (dialect === 'postgres' ? [name, 'bigserial'] : [name, 'integer']) as [string, 'bigserial' | 'integer'];

    await db.schema.createTable('meta')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();

    await db.schema.createTable('apps')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('requires_payment', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('allowed_redirect_hosts', 'text', (c) => c.notNull().defaultTo('[]'))
      .addColumn('created_at', ms, (c) => c.notNull())
      .addColumn('updated_at', ms, (c) => c.notNull())
      .execute();

    await db.schema.createTable('api_keys')
      .addColumn('key_hash', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('livemode', 'integer', (c) => c.notNull())
      .addColumn('hint', 'text', (c) => c.notNull())
      .addColumn('created_at', ms, (c) => c.notNull())
      .addColumn('revoked_at', ms)
      .execute();
    await db.schema.createIndex('api_keys_app').on('api_keys').columns(['app_id', 'kind', 'livemode']).execute();

    await db.schema.createTable('channels')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('livemode', 'integer', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('options', 'text', (c) => c.notNull())
      .addColumn('secret_options', 'text', (c) => c.notNull())
      .addColumn('fee_percent_bp', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('fee_fixed', ms, (c) => c.notNull().defaultTo(0))
      .addColumn('transaction_types', 'text')
      .addColumn('delegate_channel_id', 'text')
      .addColumn('created_at', ms, (c) => c.notNull())
      .addColumn('updated_at', ms, (c) => c.notNull())
      .addColumn('deleted_at', ms)
      .execute();
    await db.schema.createIndex('channels_app').on('channels').columns(['app_id', 'livemode', 'type']).execute();

    await db.schema.createTable('charges')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
      .addColumn('channel_id', 'text', (c) => c.notNull())
      .addColumn('paying_channel_id', 'text', (c) => c.notNull())
      .addColumn('livemode', 'integer', (c) => c.notNull())
      .addColumn('order_no', 'text', (c) => c.notNull())
      .addColumn('channel', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('amount', ms, (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('amount_refunded', ms, (c) => c.notNull().defaultTo(0))
      .addColumn('fee', ms, (c) => c.notNull())
      .addColumn('amount_settle', ms, (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('escrow', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('client_ip', 'text', (c) => c.notNull())
      .addColumn('subject', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('extra', 'text', (c) => c.notNull())
      .addColumn('metadata', 'text', (c) => c.notNull())
      .addColumn('credential', 'text')
      .addColumn('extension', 'text', (c) => c.notNull().defaultTo('{}'))
      .addColumn('transaction_no', 'text')
      .addColumn('failure_code', 'text')
      .addColumn('failure_msg', 'text')
      .addColumn('closed_reason', 'text')
      .addColumn('shipment', 'text')
      .addColumn('notify_url', 'text')
      .addColumn('return_url', 'text')
      .addColumn('client_secret', 'text', (c) => c.notNull())
      .addColumn('time_expire', ms, (c) => c.notNull())
      .addColumn('time_paid', ms)
      .addColumn('time_shipped', ms)
      .addColumn('time_succeeded', ms)
      .addColumn('time_closed', ms)
      .addColumn('created_at', ms, (c) => c.notNull())
      .addColumn('updated_at', ms, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('charges_order_no').unique().on('charges').columns(['app_id', 'livemode', 'order_no']).execute();
    // Keyset pagination of lists, newest first, per app and mode.
    await db.schema.createIndex('charges_app_created').on('charges').columns(['app_id', 'livemode', 'created_at', 'id']).execute();
    await db.schema.createIndex('charges_created').on('charges').columns(['created_at', 'id']).execute();
    await db.schema.createIndex('charges_channel_status').on('charges').columns(['channel_id', 'status', 'created_at']).execute();
    // The expiry and reconcile jobs look for pending charges by deadline.
    await db.schema.createIndex('charges_status_expire').on('charges').columns(['status', 'time_expire']).execute();

    await db.schema.createTable('refunds')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('charge_id', 'text', (c) => c.notNull().references('charges.id'))
      .addColumn('livemode', 'integer', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('amount', ms, (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('metadata', 'text', (c) => c.notNull())
      .addColumn('transaction_no', 'text')
      .addColumn('failure_code', 'text')
      .addColumn('failure_msg', 'text')
      .addColumn('created_at', ms, (c) => c.notNull())
      .addColumn('time_succeeded', ms)
      .addColumn('updated_at', ms, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('refunds_charge_seq').unique().on('refunds').columns(['charge_id', 'seq']).execute();

    const [logSeq, logSeqType] = serial('seq');
    await db.schema.createTable('charge_logs')
      .addColumn(logSeq, logSeqType, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
      .addColumn('charge_id', 'text')
      .addColumn('app_id', 'text')
      .addColumn('channel_id', 'text')
      .addColumn('at', ms, (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('data', 'text')
      .execute();
    await db.schema.createIndex('charge_logs_charge').on('charge_logs').columns(['charge_id', 'seq']).execute();

    const [eventSeq, eventSeqType] = serial('seq');
    await db.schema.createTable('events')
      .addColumn(eventSeq, eventSeqType, (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('livemode', 'integer', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('charge_id', 'text')
      .addColumn('channel_id', 'text')
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('created_at', ms, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('events_app').on('events').columns(['app_id', 'livemode', 'seq']).execute();
    await db.schema.createIndex('events_charge').on('events').columns(['charge_id', 'seq']).execute();

    // Trade state of the embedded protocol sandboxes (test mode only), one JSON document a key.
    await db.schema.createTable('sandbox_state')
      .addColumn('provider', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('updated_at', ms, (c) => c.notNull())
      .addPrimaryKeyConstraint('sandbox_state_pk', ['provider', 'key'])
      .execute();

    await db.schema.createTable('idempotency_keys')
      .addColumn('app_id', 'text', (c) => c.notNull())
      .addColumn('livemode', 'integer', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('request_hash', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('response_status', 'integer')
      .addColumn('response_body', 'text')
      .addColumn('created_at', ms, (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_keys_pk', ['app_id', 'livemode', 'key'])
      .execute();
  },
});
