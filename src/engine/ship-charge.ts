/** `POST /v1/charges/:id/ship`: escrow (担保交易) goods shipped; tells the channel, then moves the charge. */
import type { ChargeObject, Scope } from './api-types.js';
import type { EngineDeps } from './deps.js';
import { fail, PaygateError } from '../core/errors.js';
import type { ShipmentView } from '../channels/contract.js';
import { findScopedCharge, lockCharge, refundsOf } from './charge-repository.js';
import { findChannelRow } from './channels.js';
import { channelCall } from './channel-context.js';
import { inTransaction } from './unit-of-work.js';
import { applyChargeEvent } from './apply-charge-event.js';
import { toChargeObject, toChargeView } from './charge-object.js';

export function validateShipment(input: Partial<ShipmentView> | undefined): ShipmentView {
  const field = (name: keyof ShipmentView, fallback?: string): string => {
    const value = input?.[name] ?? fallback;
    if (typeof value !== 'string' || value.trim() === '') fail('parameter_missing', { param: name, message: `${name} is required to ship.` });
    if (value.length > 64) fail('parameter_invalid', { param: name, message: `${name} must be at most 64 characters.` });
    return value.trim();
  };
  const transport = field('transport_type', 'EXPRESS').toUpperCase();
  if (!['EXPRESS', 'POST', 'EMS', 'DIRECT'].includes(transport)) fail('parameter_invalid', { param: 'transport_type', message: 'transport_type must be EXPRESS, POST, EMS or DIRECT.' });
  return { logistics_name: field('logistics_name'), invoice_no: field('invoice_no'), transport_type: transport };
}

export async function shipCharge(deps: EngineDeps, scope: Scope, id: string, input: Partial<ShipmentView> | undefined, cause = 'api'): Promise<ChargeObject> {
  const shipment = validateShipment(input);
  const row = await findScopedCharge(deps.database.db, scope, id);
  if (row.escrow !== 1) fail('operation_not_supported', { message: 'Only escrow charges are shipped; this charge was paid instantly.' });
  if (row.status !== 'secured_paid') fail('charge_state_invalid', { message: `Only a secured_paid charge can be shipped; this one is ${row.status}.` });
  const channel = await findChannelRow(deps, null, row.paying_channel_id);
  const call = channelCall(deps, channel, row.id, row.channel_id);
  if (!call.type.ship) fail('operation_not_supported', { message: `The ${call.type.type} channel cannot ship.` });
  let result;
  try {
    result = await call.type.ship(call.ctx, toChargeView(row), shipment);
  } finally {
    await call.flushLog();
  }
  if (!result.ok) throw new PaygateError('channel_declined', { message: `The channel refused the shipment: ${result.code} ${result.message}` });
  const confirmed = result.confirmed === true;
  const shipped = await inTransaction(deps, async (uow) => {
    const locked = await lockCharge(uow, id);
    if (!locked) fail('resource_not_found', { param: 'id' });
    const patch = { shipment: JSON.stringify({ ...shipment, time_shipped: Math.floor(uow.now / 1000) }) };
    let { row: next } = await applyChargeEvent(deps, uow, locked, { kind: 'shipped' }, patch, cause);
    if (confirmed) ({ row: next } = await applyChargeEvent(deps, uow, next, { kind: 'confirmed' }, {}, 'auto-confirm after shipping'));
    return next;
  });
  return toChargeObject(shipped, await refundsOf(deps.database.db, id));
}
