/** `POST /v1/charges/:id/reverse`: closes a charge that has not been paid, at the channel and here. */
import type { ChargeObject, Scope } from './api-types.js';
import type { EngineDeps } from './deps.js';
import { fail, PaygateError } from '../core/errors.js';
import { transition, type ChargeStatus, type CloseReason } from '../core/charge-state.js';
import { findScopedCharge, lockCharge, refundsOf } from './charge-repository.js';
import { findChannelRow } from './channels.js';
import { channelCall } from './channel-context.js';
import { inTransaction } from './unit-of-work.js';
import { applyChargeEvent } from './apply-charge-event.js';
import { toChargeObject, toChargeView, type ChargeRow } from './charge-object.js';

export async function reverseCharge(deps: EngineDeps, scope: Scope, id: string): Promise<ChargeObject> {
  const row = await findScopedCharge(deps.database.db, scope, id);
  const closed = await closeChargeRow(deps, row, 'reversed');
  return toChargeObject(closed, await refundsOf(deps.database.db, id));
}

/** Closes at the channel (when it can), then locally. Used by reverse and by the expiry job. */
export async function closeChargeRow(deps: EngineDeps, row: ChargeRow, reason: CloseReason, failure?: { code: string; message: string }): Promise<ChargeRow> {
  const check = transition(row.status as ChargeStatus, { kind: 'closed', reason });
  if (!check.ok) fail('charge_state_invalid', { message: `A ${row.status} charge cannot be closed.` });
  if (!check.changed) return row;
  const channel = await findChannelRow(deps, null, row.paying_channel_id).catch(() => undefined);
  if (channel && reason !== 'failed') {
    const call = channelCall(deps, channel, row.id, row.channel_id);
    if (call.type.close) {
      try {
        const result = await call.type.close(call.ctx, toChargeView(row));
        if (!result.ok) throw new PaygateError('channel_declined', { message: `The channel would not close the charge: ${result.code} ${result.message}` });
      } finally {
        await call.flushLog();
      }
    }
  }
  return inTransaction(deps, async (uow) => {
    const locked = await lockCharge(uow, row.id);
    if (!locked) fail('resource_not_found', { param: 'id' });
    const patch = { closed_reason: reason, ...(failure ? { failure_code: failure.code, failure_msg: failure.message } : {}) };
    return (await applyChargeEvent(deps, uow, locked, { kind: 'closed', reason }, patch, reason)).row;
  });
}
