/** Reading charges: scoped reads for the API, locked reads inside a unit of work. */
import type { Kysely } from 'kysely';
import type { Schema } from '../store/schema.js';
import type { Scope } from './api-types.js';
import type { UnitOfWork } from './unit-of-work.js';
import type { ChargeRow, RefundRow } from './charge-object.js';
import { fail } from '../core/errors.js';

/** A charge of the scope's app and mode, or 404 (another app's charge is simply not found). */
export async function findScopedCharge(db: Kysely<Schema>, scope: Scope, id: string): Promise<ChargeRow> {
  const row = await db.selectFrom('charges').selectAll()
    .where('id', '=', id).where('app_id', '=', scope.app_id).where('livemode', '=', scope.livemode ? 1 : 0)
    .executeTakeFirst();
  if (!row) fail('resource_not_found', { param: 'id', message: `No such charge: ${id}` });
  return row;
}

/** Reads and row-locks a charge for the rest of the transaction (PostgreSQL); SQLite serialises writers. */
export async function lockCharge(uow: UnitOfWork, id: string): Promise<ChargeRow | undefined> {
  let query = uow.trx.selectFrom('charges').selectAll().where('id', '=', id);
  if (uow.dialect === 'postgres') query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function lockScopedCharge(uow: UnitOfWork, scope: Scope, id: string): Promise<ChargeRow> {
  const row = await lockCharge(uow, id);
  if (!row || row.app_id !== scope.app_id || (row.livemode === 1) !== scope.livemode) {
    fail('resource_not_found', { param: 'id', message: `No such charge: ${id}` });
  }
  return row;
}

export async function refundsOf(db: Kysely<Schema>, chargeId: string): Promise<RefundRow[]> {
  return db.selectFrom('refunds').selectAll().where('charge_id', '=', chargeId).orderBy('seq').execute();
}
