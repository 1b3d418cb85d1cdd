/**
 * Applies the event of a verified notify (paid, secured_paid, closed) to its charge without a
 * row lock: decide on the charge as read, then write the transition, its event and every log
 * line of the notify as one `chargeWrites.applyTransition`, guarded by the status that was read.
 * The store commits it together with the concurrent notifies' writes (one statement for a whole
 * batch on PostgreSQL, one group commit on SQLite), which is why there is no lock to take.
 *
 * When another writer moved the charge first, the write changes nothing; the charge is read
 * again and the decision made again (now usually "already done", a logged no-op). So 20 copies
 * of one notify racing each other still give exactly one transition and one event.
 */
import type { NotifyParseResult } from '../channels/contract.js';
import type { ChargeEvent } from '../core/charge-state.js';
import { isPaygateError } from '../core/errors.js';
import type { ChargeRecord } from '../store/charge-writes.js';
import type { EngineDeps } from './deps.js';
import { followTransition, planChargeEvent, type PlannedEvent } from './apply-charge-event.js';
import { appendLog, toLogRow, type LogLine } from './charge-log.js';
import { parseJsonObject, type ChargeRow } from './charge-object.js';
import { toEventRows } from './outbox.js';

/**
 * A status only moves forward and changes at most four times in a charge's life, and every lost
 * race means it changed once more, so five attempts always suffice; the bound guards a bug.
 */
const MAX_ATTEMPTS = 5;

export type VerifiedNotify = Extract<NotifyParseResult, { verified: true }>;

export interface NotifiedTransition {
  /** The charge as read before deciding; may be stale (that is what the status guard is for). */
  readonly charge: ChargeRow;
  readonly parsed: VerifiedNotify;
  readonly event: ChargeEvent;
  readonly channelType: string;
  readonly source: 'notify' | 'return';
  /** The request as it goes into log lines. */
  readonly request: Readonly<Record<string, unknown>>;
  /** The channel call's own lines (requests it made, notes), written with the notify's. */
  readonly channelLines: readonly LogLine[];
}

export type NotifiedOutcome = 'applied' | 'duplicate' | 'illegal';

/**
 * Applies the notify's event to its charge; see the top of this file. Throws only on a fault,
 * after logging the notify on the charge with what went wrong: the lines the transition would
 * have carried (the channel's, the verified request) must not vanish with its failed write.
 */
export async function applyNotifiedEvent(deps: EngineDeps, notified: NotifiedTransition): Promise<NotifiedOutcome> {
  const cause = `${notified.channelType} ${notified.source}`;
  try {
    return await applyWithRetries(deps, notified, cause);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    // Best effort: when the store itself is failing this write fails too, and the provider's
    // retry is what brings the notify back.
    await appendLog(deps.database, deps.clock.now(), [...notified.channelLines, {
      ...lineOn(notified.charge), kind: 'error', data: { request: notified.request, facts: notified.parsed.facts ?? {} },
      message: `${cause} verified, but ${notified.event.kind} was not applied (${reason}); the provider will retry`,
    }]).catch(() => undefined);
    throw error;
  }
}

async function applyWithRetries(deps: EngineDeps, notified: NotifiedTransition, cause: string): Promise<NotifiedOutcome> {
  let charge = notified.charge;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const outcome = await decideAndWrite(deps, charge, notified, cause);
    if (outcome !== 'status_changed') return outcome;
    const current = await deps.readers.charges.read(charge.id);
    if (!current) throw new Error(`charge ${charge.id} vanished while a notify was applied to it`);
    charge = current;
  }
  throw new Error(`the charge changed ${MAX_ATTEMPTS} times meanwhile`);
}

/** One attempt on the charge as read: a transition, a logged no-op, a flagged impossibility, or a lost race. */
async function decideAndWrite(deps: EngineDeps, charge: ChargeRow, notified: NotifiedTransition, cause: string): Promise<NotifiedOutcome | 'status_changed'> {
  const now = deps.clock.now();
  let plan: PlannedEvent | undefined;
  try {
    plan = planChargeEvent(charge, notified.event, notifyPatch(charge, notified.parsed, notified.event), now, cause);
  } catch (error) {
    if (!isPaygateError(error) || error.code !== 'charge_state_invalid') throw error;
    // Verified, but impossible here (e.g. paid after we closed it): money may have moved.
    // The caller acknowledges it so the provider stops retrying; the line flags it loudly.
    await appendLog(deps.database, now, [...notified.channelLines, attentionLine(charge, notified, error.message)]);
    return 'illegal';
  }
  const lines = [...notified.channelLines, notifyLine(charge, notified)];
  if (!plan) {
    await appendLog(deps.database, now, [...lines, repeatedLine(charge, notified, cause)]);
    return 'duplicate';
  }
  if (await writeTransition(deps, charge, plan, lines, now) === 'status_changed') return 'status_changed';
  await followTransition(deps, plan);
  return 'applied';
}

/** The transition, its events and all the notify's lines, written only if the status is still the one read. */
function writeTransition(deps: EngineDeps, charge: ChargeRow, plan: PlannedEvent, lines: readonly LogLine[], now: number) {
  return deps.database.chargeWrites.applyTransition({
    charge_id: charge.id,
    expected_status: charge.status,
    set: plan.update as Partial<ChargeRecord>,
    logs: [...lines, plan.log].map((line) => toLogRow(now, line)),
    events: toEventRows(now, plan.events),
  });
}

/** What the notify adds to the charge besides the status: provider facts, its trade number, when paid. */
function notifyPatch(charge: ChargeRow, parsed: VerifiedNotify, event: ChargeEvent): Partial<ChargeRecord> {
  const paid = event.kind === 'paid' || event.kind === 'secured_paid';
  return {
    ...(parsed.facts ? { extension: JSON.stringify({ ...parseJsonObject(charge.extension), ...parsed.facts }) } : {}),
    ...(parsed.transaction_no && !charge.transaction_no ? { transaction_no: parsed.transaction_no } : {}),
    ...(parsed.paid_at && !charge.time_paid && paid ? { time_paid: parsed.paid_at } : {}),
    ...(event.kind === 'closed' ? { closed_reason: 'channel_closed' } : {}),
  };
}

const lineOn = (charge: ChargeRow) => ({ charge_id: charge.id, app_id: charge.app_id, channel_id: charge.channel_id });

function notifyLine(charge: ChargeRow, { source, parsed, event, request }: NotifiedTransition): LogLine {
  const id = parsed.notification_id ? ` (${parsed.notification_id})` : '';
  return { ...lineOn(charge), kind: 'notify', message: `${source} verified: ${event.kind}${id}`, data: { request, facts: parsed.facts ?? {} } };
}

function repeatedLine(charge: ChargeRow, { event }: NotifiedTransition, cause: string): LogLine {
  return { ...lineOn(charge), kind: 'note', message: `${event.kind} again (${cause}): already ${charge.status}, nothing changed` };
}

function attentionLine(charge: ChargeRow, { source, event, request }: NotifiedTransition, reason: string): LogLine {
  return { ...lineOn(charge), kind: 'error', message: `NEEDS ATTENTION: verified ${source} says ${event.kind}, but the charge is ${charge.status}: ${reason}`, data: { request } };
}
