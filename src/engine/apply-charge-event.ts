/**
 * Applies one state-machine event to a locked charge inside a unit of work: the row update,
 * its log line and its outbox event are written together, and the transaction-type handlers
 * and watchers run after the commit. A repeated event is a logged no-op; an impossible one
 * throws `charge_state_invalid` (the caller's transaction then rolls back).
 *
 * `planChargeEvent` is the decision without the writes, so charge creation can insert a row
 * that is already past its first transition together with both events in one statement.
 */
import type { Updateable } from 'kysely';
import type { ChargesTable } from '../store/schema.js';
import { isPaid, transition, type ChargeEvent, type ChargeStatus, type TransactionHook } from '../core/charge-state.js';
import { PaygateError } from '../core/errors.js';
import type { EngineDeps } from './deps.js';
import type { ChargeObject } from './api-types.js';
import type { UnitOfWork } from './unit-of-work.js';
import { toChargeObject, type ChargeRow } from './charge-object.js';
import { writeLog, type LogLine } from './charge-log.js';
import { recordEvents, type NewEvent } from './outbox.js';
import { runTransactionHook } from './run-hooks.js';

export interface AppliedEvent {
  readonly changed: boolean;
  readonly row: ChargeRow;
}

/** A changed transition, decided but not written. */
export interface PlannedEvent {
  readonly from: ChargeStatus;
  readonly update: Updateable<ChargesTable>;
  readonly next: ChargeRow;
  /** `next` as the API shows it (the events carry it too). */
  readonly object: ChargeObject;
  readonly log: LogLine;
  readonly events: NewEvent[];
  readonly hooks: TransactionHook[];
}

/** Decides a transition; `undefined` when it is a no-op. Throws when it is impossible. */
export function planChargeEvent(row: ChargeRow, event: ChargeEvent, patch: Updateable<ChargesTable>, now: number, cause: string): PlannedEvent | undefined {
  const result = transition(row.status as ChargeStatus, event);
  if (!result.ok) throw new PaygateError(result.code, { message: result.message });
  if (!result.changed) return undefined;
  const paidNow = isPaid(result.to) && row.time_paid === null ? { time_paid: now } : {};
  const update: Updateable<ChargesTable> = { ...paidNow, ...patch, ...timestampsFor(result.to, now), status: result.to, updated_at: now };
  const next: ChargeRow = { ...row, ...(update as Partial<ChargeRow>) };
  // Refunds exist only on succeeded charges, and no transition leaves `succeeded`: a charge that
  // changes state has no refunds, so the event's snapshot needs no refunds read.
  const object = toChargeObject(next);
  const events: NewEvent[] = [];
  const hooks: TransactionHook[] = [];
  for (const effect of result.effects) {
    if (effect.kind === 'emit') events.push({ type: effect.eventType, app_id: row.app_id, livemode: row.livemode === 1, object: object as unknown as Record<string, unknown>, charge_id: row.id, channel_id: row.channel_id });
    else hooks.push(effect.hook);
  }
  const log: LogLine = {
    charge_id: row.id, app_id: row.app_id, channel_id: row.channel_id, kind: 'transition',
    message: `${result.from} → ${result.to} (${event.kind}, ${cause})`, data: { from: result.from, to: result.to, event: event.kind, cause },
  };
  return { from: result.from, update, next, object, log, events, hooks };
}

/** What must follow a committed transition: handlers, then watchers. Call it after the commit. */
export async function followTransition(deps: EngineDeps, plan: PlannedEvent): Promise<void> {
  for (const hook of plan.hooks) await runTransactionHook(deps, hook, plan.object, plan.from);
  deps.bus.publish({ charge_id: plan.next.id, app_id: plan.next.app_id, status: plan.next.status });
}

/** Queues `followTransition` for after the unit's commit. */
export function afterTransition(deps: EngineDeps, uow: UnitOfWork, plan: PlannedEvent): void {
  uow.afterCommit(() => followTransition(deps, plan));
}

export async function applyChargeEvent(
  deps: EngineDeps,
  uow: UnitOfWork,
  row: ChargeRow,
  event: ChargeEvent,
  patch: Updateable<ChargesTable> = {},
  cause = 'api',
  /** Lines written in the same statement as the transition's own (e.g. the notify that caused it). */
  withLog: readonly LogLine[] = [],
): Promise<AppliedEvent> {
  const plan = planChargeEvent(row, event, patch, uow.now, cause);
  if (!plan) {
    await writeLog(uow.trx, uow.now, [...withLog, { charge_id: row.id, app_id: row.app_id, channel_id: row.channel_id, kind: 'note', message: `${event.kind} again (${cause}): already ${row.status}, nothing changed` }]);
    return { changed: false, row };
  }
  // The status guard makes a lost race visible instead of silently double-applying.
  const updated = await uow.trx.updateTable('charges').set(plan.update).where('id', '=', row.id).where('status', '=', row.status).executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw new Error(`charge ${row.id} changed under a lock; refusing to apply ${event.kind}`);
  await writeLog(uow.trx, uow.now, [...withLog, plan.log]);
  await recordEvents(uow, plan.events);
  afterTransition(deps, uow, plan);
  return { changed: true, row: plan.next };
}

function timestampsFor(status: ChargeStatus, now: number): Updateable<ChargesTable> {
  switch (status) {
    case 'shipped': return { time_shipped: now };
    case 'succeeded': return { time_succeeded: now };
    case 'closed': return { time_closed: now };
    default: return {};
  }
}
