/**
 * Refunds. The refund is reserved first (a pending row, in a transaction holding the charge's
 * lock, so concurrent refunds can never add up past the amount), then the channel is asked,
 * then the outcome settles the refund and the charge's `amount_refunded` together with the
 * `refund.succeeded` / `refund.failed` event. A channel that answers "processing", or cannot
 * be reached, leaves the refund pending for a later notify or query.
 */
import type { RefundObject, Scope } from './api-types.js';
import type { EngineDeps } from './deps.js';
import { fail } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { planRefund, settleRefund, type RefundStatus } from '../core/refund-rules.js';
import type { RefundResult } from '../channels/contract.js';
import { findScopedCharge, lockScopedCharge, lockCharge } from './charge-repository.js';
import { findChannelRow } from './channels.js';
import { channelCall } from './channel-context.js';
import { inTransaction, type UnitOfWork } from './unit-of-work.js';
import { recordEvent } from './outbox.js';
import { writeLog } from './charge-log.js';
import { toChargeView, toRefundObject, toRefundView, type RefundRow } from './charge-object.js';

export interface RefundInput {
  amount?: unknown;
  description?: unknown;
  metadata?: unknown;
}

export async function refundCharge(deps: EngineDeps, scope: Scope, chargeId: string, input: RefundInput = {}): Promise<RefundObject> {
  const description = input.description === undefined || input.description === null ? '' : input.description;
  if (typeof description !== 'string' || description.length > 255) fail('parameter_invalid', { param: 'description', message: 'description must be a string of at most 255 characters.' });
  const metadata = input.metadata ?? {};
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) fail('parameter_invalid', { param: 'metadata', message: 'metadata must be an object.' });

  const reserved = await inTransaction(deps, async (uow) => {
    const charge = await lockScopedCharge(uow, scope, chargeId);
    const pending = await uow.trx.selectFrom('refunds').select(({ fn }) => fn.sum<number>('amount').as('sum'))
      .where('charge_id', '=', chargeId).where('status', '=', 'pending').executeTakeFirst();
    const last = await uow.trx.selectFrom('refunds').select(({ fn }) => fn.max<number>('seq').as('seq')).where('charge_id', '=', chargeId).executeTakeFirst();
    const amount = planRefund({ status: charge.status as never, amount: charge.amount, amount_refunded: charge.amount_refunded, amount_refund_pending: Number(pending?.sum ?? 0) }, input.amount);
    const row: RefundRow = {
      id: newId('refund'), app_id: charge.app_id, charge_id: chargeId, livemode: charge.livemode, seq: Number(last?.seq ?? 0) + 1,
      amount, currency: charge.currency, status: 'pending', description, metadata: JSON.stringify(metadata),
      transaction_no: null, failure_code: null, failure_msg: null, created_at: uow.now, time_succeeded: null, updated_at: uow.now,
    };
    await uow.trx.insertInto('refunds').values(row).execute();
    await writeLog(uow.trx, uow.now, [{ charge_id: chargeId, app_id: charge.app_id, channel_id: charge.channel_id, kind: 'note', message: `refund ${row.id} of ${amount} requested` }]);
    return { row, charge };
  });

  const channel = await findChannelRow(deps, null, reserved.charge.paying_channel_id);
  const call = channelCall(deps, channel, chargeId, reserved.charge.channel_id);
  if (!call.type.refund) {
    await settleRefundRow(deps, reserved.row.id, { ok: false, code: 'not_supported', message: `The ${call.type.type} channel cannot refund.` });
    fail('operation_not_supported', { message: `The ${call.type.type} channel cannot refund.` });
  }
  let result: RefundResult | undefined;
  try {
    result = await call.type.refund(call.ctx, toChargeView(reserved.charge), toRefundView(reserved.row));
  } catch (error) {
    // Unreachable channel: the refund stays pending and is queried later; the money may have moved.
    call.ctx.log(`refund ${reserved.row.id} left pending: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await call.flushLog();
  }
  const settled = result ? await settleRefundRow(deps, reserved.row.id, result) : reserved.row;
  const charge = await findScopedCharge(deps.database.db, scope, chargeId);
  return toRefundObject(settled, charge);
}

/**
 * Settles a pending refund with a channel's answer (from the refund call, a notify or a query).
 * Idempotent: the same outcome again changes nothing.
 */
export async function settleRefundRow(deps: EngineDeps, refundId: string, result: RefundResult): Promise<RefundRow> {
  return inTransaction(deps, async (uow) => {
    const outcome: RefundStatus = result.ok ? result.status : 'failed';
    const known = await uow.trx.selectFrom('refunds').select('charge_id').where('id', '=', refundId).executeTakeFirstOrThrow();
    // Lock the charge first, then read the refund: two settlements of one refund (the refund
    // call's answer and the provider's notify) may race, and only one may count the money.
    const charge = await lockCharge(uow, known.charge_id);
    if (!charge) throw new Error(`refund ${refundId} has no charge`);
    const refund = await uow.trx.selectFrom('refunds').selectAll().where('id', '=', refundId).executeTakeFirstOrThrow();
    if (outcome === 'pending') return refund;
    const decision = settleRefund(refund.status as RefundStatus, outcome);
    const base = { charge_id: charge.id, app_id: charge.app_id, channel_id: charge.channel_id };
    if ('error' in decision) {
      await writeLog(uow.trx, uow.now, [{ ...base, kind: 'error', message: `refund ${refundId}: ${decision.error} (channel says ${outcome})` }]);
      return refund;
    }
    if (!decision.changed) return refund;
    const next: RefundRow = {
      ...refund, status: outcome, updated_at: uow.now,
      ...(result.ok ? { transaction_no: result.transaction_no ?? refund.transaction_no, time_succeeded: uow.now } : { failure_code: result.code, failure_msg: result.message }),
    };
    const updated = await uow.trx.updateTable('refunds').set(next).where('id', '=', refundId).where('status', '=', 'pending').executeTakeFirst();
    // The guard is the last word: if another settlement won, this one counts nothing.
    if (Number(updated.numUpdatedRows) !== 1) return refund;
    if (outcome === 'succeeded') await addRefunded(uow, charge.id, refund.amount, charge.amount);
    await writeLog(uow.trx, uow.now, [{ ...base, kind: 'transition', message: `refund ${refundId} pending → ${outcome}` }]);
    const object = toRefundObject(next, charge);
    await recordEvent(uow, { type: `refund.${outcome}`, app_id: charge.app_id, livemode: charge.livemode === 1, object: object as unknown as Record<string, unknown>, charge_id: charge.id, channel_id: charge.channel_id });
    uow.afterCommit(() => deps.bus.publish({ charge_id: charge.id, app_id: charge.app_id, status: charge.status }));
    return next;
  });
}

async function addRefunded(uow: UnitOfWork, chargeId: string, amount: number, chargeAmount: number): Promise<void> {
  const result = await uow.trx.updateTable('charges')
    .set((eb) => ({ amount_refunded: eb('amount_refunded', '+', amount), updated_at: uow.now }))
    .where('id', '=', chargeId).where('amount_refunded', '<=', chargeAmount - amount).executeTakeFirst();
  // planRefund reserved this amount under the lock; failing here means the books disagree.
  if (Number(result.numUpdatedRows) !== 1) throw new Error(`refund on ${chargeId} would exceed the charge amount`);
}

export async function listRefunds(deps: EngineDeps, scope: Scope, chargeId: string): Promise<RefundObject[]> {
  const charge = await findScopedCharge(deps.database.db, scope, chargeId);
  const rows = await deps.database.db.selectFrom('refunds').selectAll().where('charge_id', '=', chargeId).orderBy('seq', 'desc').execute();
  return rows.map((r) => toRefundObject(r, charge));
}

export async function getRefund(deps: EngineDeps, scope: Scope, chargeId: string, refundId: string): Promise<RefundObject> {
  const charge = await findScopedCharge(deps.database.db, scope, chargeId);
  const row = await deps.database.db.selectFrom('refunds').selectAll().where('charge_id', '=', chargeId).where('id', '=', refundId).executeTakeFirst();
  if (!row) fail('resource_not_found', { param: 'refund', message: `No such refund: ${refundId}` });
  return toRefundObject(row, charge);
}
