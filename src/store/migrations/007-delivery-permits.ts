/**
 * Start permits (delivery-permits.ts): `permit_token` is set to the holder's lease token once the
 * holder has durably counted an attempt and may send. After a crash only a permitted delivery may
 * have been sent, so only it is recorded as an interrupted attempt; one that was merely claimed
 * is sent again as if nothing had happened.
 */
import type { Kysely } from 'kysely';
import type { MigrationFactory } from './types.js';

export const migration007DeliveryPermits: MigrationFactory = () => ({
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('webhook_deliveries').addColumn('permit_token', 'text').execute();
  },
});
