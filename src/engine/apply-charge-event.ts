/**
 * Applies one state-machine event to a locked charge inside a unit of work: the row update,
 * its log line and its outbox event are written together, and the transaction-type handlers
 * and watchers run after the commit. A repeated event is a logged no-op; an impossible one
 * throws `charge_state_invalid` (the caller's transaction then rolls back).
 */
import type { Updateable } from 'kysely';
import type { ChargesTable } from '../store/schema.js';
import { isPaid, transition, type ChargeEvent, type ChargeStatus } from '../core/charge-state.js';
import { PaygateError } from '../core/errors.js';
import type { EngineDeps } from './deps.js';
import type { UnitOfWork } from './unit-of-work.js';
import { toChargeObject, type ChargeRow } from './charge-object.js';
import { writeLog } from './charge-log.js';
import { recordEvent } from './outbox.js';
import { runTransactionHook } from './run-hooks.js';

export interface AppliedEvent {
  readonly changed: boolean;
  readonly row: ChargeRow;
}

export async function applyChargeEvent(
  deps: EngineDeps,
  uow: UnitOfWork,
  row: ChargeRow,
  event: ChargeEvent,
  patch: Updateable<ChargesTable> = {},
  cause = 'api',
): Promise<AppliedEvent> {
  const result = transition(row.status as ChargeStatus, event);
  const base = { charge_id: row.id, app_id: row.app_id, channel_id: row.channel_id };
  if (!result.ok) throw new PaygateError(result.code, { message: result.message });
  if (!result.changed) {
    await writeLog(uow.trx, uow.now, [{ ...base, kind: 'note', message: `${event.kind} again (${cause}): already ${row.status}, nothing changed` }]);
    return { changed: false, row };
  }

  const paidNow = isPaid(result.to) && row.time_paid === null ? { time_paid: uow.now } : {};
  const update: Updateable<ChargesTable> = { ...paidNow, ...patch, ...timestampsFor(result.to, uow.now), status: result.to, updated_at: uow.now };
  // The status guard makes a lost race visible instead of silently double-applying.
  const updated = await uow.trx.updateTable('charges').set(update).where('id', '=', row.id).where('status', '=', row.status).executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw new Error(`charge ${row.id} changed under a lock; refusing to apply ${event.kind}`);
  const next: ChargeRow = { ...row, ...(update as Partial<ChargeRow>) };

  await writeLog(uow.trx, uow.now, [{ ...base, kind: 'transition', message: `${result.from} → ${result.to} (${event.kind}, ${cause})`, data: { from: result.from, to: result.to, event: event.kind, cause } }]);
  // Refunds exist only on succeeded charges, and no transition leaves `succeeded`: a charge that
  // changes state has no refunds, so the event's snapshot needs no refunds read.
  const object = toChargeObject(next);
  for (const effect of result.effects) {
    if (effect.kind === 'emit') {
      await recordEvent(uow, { type: effect.eventType, app_id: row.app_id, livemode: row.livemode === 1, object: object as unknown as Record<string, unknown>, charge_id: row.id, channel_id: row.channel_id });
    } else {
      uow.afterCommit(() => runTransactionHook(deps, effect.hook, object, result.from));
    }
  }
  uow.afterCommit(() => deps.bus.publish({ charge_id: row.id, app_id: row.app_id, status: result.to }));
  return { changed: true, row: next };
}

function timestampsFor(status: ChargeStatus, now: number): Updateable<ChargesTable> {
  switch (status) {
    case 'shipped': return { time_shipped: now };
    case 'succeeded': return { time_succeeded: now };
    case 'closed': return { time_closed: now };
    default: return {};
  }
}
