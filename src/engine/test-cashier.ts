/**
 * The test channel's hosted cashier: what its page shows and what Pay / Fail do. A plain visit
 * pays at once unless the charge asked for the interactive page; the interactive page checks
 * the channel's payment password (constant-time) before paying.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { EngineDeps } from './deps.js';
import { fail } from '../core/errors.js';
import { findChannelRow } from './channels.js';
import { channelConfig } from './channel-context.js';
import { applySimulated } from './simulate-charge.js';
import { toChargeObject, parseJsonObject, type ChargeRow } from './charge-object.js';
import type { ChargeObject } from './api-types.js';

export interface CashierView {
  readonly charge: ChargeObject;
  readonly merchant: string;
  readonly interactive: boolean;
}

async function loadTestCharge(deps: EngineDeps, chargeId: string): Promise<ChargeRow> {
  const row = await deps.database.db.selectFrom('charges').selectAll().where('id', '=', chargeId).executeTakeFirst();
  if (!row || row.channel !== 'test' || row.livemode === 1) fail('resource_not_found', { param: 'id', message: `No test charge ${chargeId}.` });
  return row;
}

export async function cashierView(deps: EngineDeps, chargeId: string): Promise<CashierView> {
  const row = await loadTestCharge(deps, chargeId);
  const channel = await findChannelRow(deps, null, row.paying_channel_id);
  const config = channelConfig(deps, channel, deps.channels.getType('test'));
  return {
    charge: toChargeObject(row),
    merchant: String(config.options.merchant_name ?? 'paygate test merchant'),
    interactive: parseJsonObject(row.extra).interactive === true,
  };
}

/** Pays (or fails) a test charge as its buyer. `password` is required on interactive charges. */
export async function cashierPay(deps: EngineDeps, chargeId: string, action: 'pay' | 'fail', password?: string): Promise<ChargeObject> {
  const row = await loadTestCharge(deps, chargeId);
  const view = await cashierView(deps, chargeId);
  if (view.interactive) {
    const channel = await findChannelRow(deps, null, row.paying_channel_id);
    const expected = String(channelConfig(deps, channel, deps.channels.getType('test')).options.payment_password ?? '');
    if (!password || !sameSecret(password, expected)) fail('parameter_invalid', { param: 'password', message: 'Incorrect payment password.' });
  }
  if (row.status !== 'pending' && row.status !== 'created') return toChargeObject(row);
  const event = action === 'fail' ? { kind: 'closed' as const, reason: 'failed' as const } : { kind: row.escrow === 1 ? 'secured_paid' as const : 'paid' as const };
  return toChargeObject(await applySimulated(deps, chargeId, event, action === 'fail' ? 'cashier fail' : 'cashier pay'));
}

function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}
