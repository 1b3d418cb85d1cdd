/**
 * Runs a transaction type's handler after a committed change (seed 002). A failing handler is
 * logged on the charge; it cannot undo a payment that happened. `onSecuredPaid` may return
 * shipping parameters, and then the escrow charge is shipped at once (seed 002's auto-ship).
 */
import type { TransactionHook } from '../core/charge-state.js';
import type { ChargeObject } from './api-types.js';
import type { EngineDeps } from './deps.js';
import { appendLog } from './charge-log.js';
import { shipCharge } from './ship-charge.js';

export async function runTransactionHook(deps: EngineDeps, hook: TransactionHook, charge: ChargeObject, previous: string): Promise<void> {
  const handler = deps.transactionTypes.has(charge.type) ? deps.transactionTypes.get(charge.type) : undefined;
  const fn = handler?.[hook];
  if (!handler || !fn) return;
  const base = { charge_id: charge.id, app_id: charge.app, channel_id: charge.channel_id };
  try {
    const result = await fn.call(handler, charge, previous);
    await appendLog(deps.database, deps.clock.now(), [{ ...base, kind: 'handler', message: `${charge.type}.${hook} ran` }]);
    if (hook === 'onSecuredPaid' && result && typeof result === 'object') {
      await shipCharge(deps, { app_id: charge.app, livemode: charge.livemode }, charge.id, {
        logistics_name: result.logistics_name,
        invoice_no: result.invoice_no,
        transport_type: result.transport_type ?? 'EXPRESS',
      }, 'auto-ship');
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await appendLog(deps.database, deps.clock.now(), [{ ...base, kind: 'error', message: `${charge.type}.${hook} failed: ${message}` }]).catch(() => undefined);
  }
}

/** Runs `onCreated`, which has no previous state. */
export async function runCreatedHook(deps: EngineDeps, charge: ChargeObject): Promise<void> {
  const handler = deps.transactionTypes.has(charge.type) ? deps.transactionTypes.get(charge.type) : undefined;
  if (!handler?.onCreated) return;
  try {
    await handler.onCreated(charge);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await appendLog(deps.database, deps.clock.now(), [{ charge_id: charge.id, app_id: charge.app, channel_id: charge.channel_id, kind: 'error', message: `${charge.type}.onCreated failed: ${message}` }]).catch(() => undefined);
  }
}
