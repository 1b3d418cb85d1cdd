/**
 * Test mode only: drive a charge as its buyer would, without a browser.
 * `POST /v1/charges/:id/simulate` (`paid | secured_paid | failed | confirm`) and
 * `POST /v1/charges/:id/confirm` (the escrow buyer confirms receipt). Where the channel has a
 * protocol sandbox, the sandbox acts and its notify moves the charge, exercising the real path.
 */
import type { ChargeObject, Scope, SimulateOutcome } from './api-types.js';
import type { EngineDeps } from './deps.js';
import { fail, PaygateError } from '../core/errors.js';
import type { ChargeEvent } from '../core/charge-state.js';
import { findScopedCharge, lockCharge, refundsOf } from './charge-repository.js';
import { findChannelRow } from './channels.js';
import { channelCall } from './channel-context.js';
import { inTransaction } from './unit-of-work.js';
import { applyChargeEvent } from './apply-charge-event.js';
import { toChargeObject, toChargeView, type ChargeRow } from './charge-object.js';
import { testTransactionNo } from './trade-numbers.js';

export const SIMULATE_OUTCOMES: readonly SimulateOutcome[] = ['paid', 'secured_paid', 'failed', 'confirm'];

function eventFor(row: ChargeRow, outcome: SimulateOutcome): ChargeEvent {
  switch (outcome) {
    case 'paid': return { kind: row.escrow === 1 ? 'secured_paid' : 'paid' };
    case 'secured_paid':
      if (row.escrow !== 1) fail('operation_not_supported', { param: 'outcome', message: 'secured_paid is for escrow charges; this charge is instant (use paid).' });
      return { kind: 'secured_paid' };
    case 'failed': return { kind: 'closed', reason: 'failed' };
    case 'confirm':
      if (row.status !== 'shipped') fail('charge_state_invalid', { message: `The buyer confirms a shipped charge; this one is ${row.status}.` });
      return { kind: 'confirmed' };
  }
}

export async function simulateCharge(deps: EngineDeps, scope: Scope, id: string, outcome: unknown): Promise<ChargeObject> {
  if (scope.livemode) fail('livemode_only_test', { message: 'simulate works on test charges only; live charges are paid by real buyers.' });
  if (typeof outcome !== 'string' || !SIMULATE_OUTCOMES.includes(outcome as SimulateOutcome)) {
    fail('parameter_invalid', { param: 'outcome', message: `outcome must be one of ${SIMULATE_OUTCOMES.join(', ')}.` });
  }
  const row = await findScopedCharge(deps.database.db, scope, id);
  if (row.livemode === 1) fail('livemode_only_test');
  const event = eventFor(row, outcome as SimulateOutcome);

  const channel = await findChannelRow(deps, null, row.paying_channel_id).catch(() => undefined);
  if (channel) {
    const call = channelCall(deps, channel, row.id, row.channel_id);
    if (call.type.simulate) {
      let result;
      try {
        result = await call.type.simulate(call.ctx, toChargeView(row), outcome as SimulateOutcome);
      } finally {
        await call.flushLog();
      }
      if (!result.ok) throw new PaygateError('channel_declined', { message: `The sandbox refused: ${result.code} ${result.message}` });
      if (result.handled) return toChargeObject(await findScopedCharge(deps.database.db, scope, id), await refundsOf(deps.database.db, id));
    }
  }
  const next = await applySimulated(deps, row.id, event, outcome as SimulateOutcome);
  return toChargeObject(next, await refundsOf(deps.database.db, id));
}

/** Applies a buyer outcome directly (the test channel's own pay page uses this too). */
export async function applySimulated(deps: EngineDeps, chargeId: string, event: ChargeEvent, cause: string): Promise<ChargeRow> {
  return inTransaction(deps, async (uow) => {
    const locked = await lockCharge(uow, chargeId);
    if (!locked) fail('resource_not_found', { param: 'id' });
    const patch = event.kind === 'paid' || event.kind === 'secured_paid'
      ? { transaction_no: locked.transaction_no ?? testTransactionNo(uow.now) }
      : event.kind === 'closed'
        ? { closed_reason: event.reason, failure_code: 'buyer_failed', failure_msg: 'The buyer chose to fail the payment (test mode).' }
        : {};
    return (await applyChargeEvent(deps, uow, locked, event, patch, `simulate ${cause}`)).row;
  });
}

export async function confirmCharge(deps: EngineDeps, scope: Scope, id: string): Promise<ChargeObject> {
  return simulateCharge(deps, scope, id, 'confirm');
}
