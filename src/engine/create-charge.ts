/**
 * Creates a charge: validate, pick the channel (and its delegate for pay-on-behalf), ask the
 * channel for a credential, then write the charge, its `created → pending` transition, both
 * events and the log as one write (the store commits it in bulk with concurrent ones). The channel is asked before anything is written, so a
 * channel failure leaves no half-made charge behind (only the log of the attempt).
 */
import { randomBase62, newId } from '../core/ids.js';
import { computeFee } from '../core/fees.js';
import { fail, PaygateError } from '../core/errors.js';
import type { ChargeCreateInput, ChargeObject, Scope } from './api-types.js';
import type { EngineDeps } from './deps.js';
import { validateChargeInput } from './charge-input.js';
import { findChannelRow, resolveChargeChannel } from './channels.js';
import { channelCall } from './channel-context.js';
import { toEventRows } from './outbox.js';
import { toLogRow } from './charge-log.js';
import { followTransition, planChargeEvent } from './apply-charge-event.js';
import { toChargeObject, toChargeView, type ChargeRow } from './charge-object.js';
import { runCreatedHook } from './run-hooks.js';

export async function createCharge(deps: EngineDeps, scope: Scope, raw: ChargeCreateInput): Promise<ChargeObject> {
  const now = deps.clock.now();
  const input = validateChargeInput(raw, now, deps.config.defaultExpirySeconds);
  const shown = await resolveChargeChannel(deps, scope, input.channel, input.channel_id);
  const paying = shown.delegate_channel_id ? await findChannelRow(deps, scope.app_id, shown.delegate_channel_id) : shown;
  if (paying.enabled !== 1) fail('channel_disabled', { param: 'channel', message: `Channel ${shown.id} pays through ${paying.id}, which is disabled.` });
  deps.transactionTypes.get(input.type);
  const allowed = shown.transaction_types ? (JSON.parse(shown.transaction_types) as string[]) : null;
  if (allowed && !allowed.includes(input.type)) {
    fail('transaction_type_not_allowed', { param: 'type', message: `Channel ${shown.id} accepts ${allowed.join(', ')} charges, not ${input.type}.` });
  }
  const id = newId('charge');
  const call = channelCall(deps, paying, id, shown.id);
  const type = call.type;
  type.validateCharge?.({ channel: input.channel, extra: input.extra, livemode: scope.livemode });
  const fee = computeFee(input.amount, { percent_bp: shown.fee_percent_bp, fixed: shown.fee_fixed });
  const row: ChargeRow = {
    id, app_id: scope.app_id, channel_id: shown.id, paying_channel_id: paying.id, livemode: scope.livemode ? 1 : 0,
    order_no: input.order_no, channel: input.channel, type: input.type, amount: input.amount, currency: input.currency,
    amount_refunded: 0, fee, amount_settle: input.amount - fee, status: 'created',
    escrow: type.isEscrow?.({ channel: input.channel, extra: input.extra }) ? 1 : 0,
    client_ip: input.client_ip, subject: input.subject, body: input.body, description: input.description,
    extra: JSON.stringify(input.extra), metadata: JSON.stringify(input.metadata), credential: null, extension: '{}',
    transaction_no: null, failure_code: null, failure_msg: null, closed_reason: null, shipment: null,
    notify_url: input.notify_url, return_url: input.return_url, client_secret: `${id}_secret_${randomBase62(24)}`,
    time_expire: input.time_expire_ms, time_paid: null, time_shipped: null, time_succeeded: null, time_closed: null,
    created_at: now, updated_at: now,
  };

  let created;
  try {
    created = await type.createPayment(call.ctx, toChargeView(row));
  } catch (error) {
    await call.flushLog();
    throw error;
  }
  if (!created.ok) {
    await call.flushLog();
    throw new PaygateError('channel_declined', { message: `The channel refused to create the payment: ${created.code} ${created.message}` });
  }

  const credential = { [input.channel]: created.credential };
  // The charge is written already past `created → pending` (decided by the state machine),
  // with both events and both log lines, as one write the store runs in bulk with its neighbours.
  const writtenAt = deps.clock.now();
  const plan = planChargeEvent(row, { kind: 'credential_issued' }, {
    credential: JSON.stringify(credential), extension: JSON.stringify(created.extension ?? {}),
  }, writtenAt, 'credential issued');
  if (!plan) throw new Error('a new charge must move to pending');
  const base = { charge_id: id, app_id: scope.app_id, channel_id: shown.id };
  const createdObject = toChargeObject(row);
  const outcome = await deps.database.chargeWrites.insertCharge({
    charge: plan.next,
    logs: [toLogRow(writtenAt, { ...base, kind: 'transition', message: `created (${input.channel}, ${input.amount} ${input.currency})` }), toLogRow(writtenAt, plan.log)],
    events: toEventRows(writtenAt, [
      { type: 'charge.created', app_id: scope.app_id, livemode: scope.livemode, object: createdObject as unknown as Record<string, unknown>, charge_id: id, channel_id: shown.id },
      ...plan.events,
    ]),
  });
  if (outcome === 'order_no_in_use') {
    await call.flushLog();
    await orderNoInUse(deps, scope, input.order_no);
  }
  await runCreatedHook(deps, createdObject);
  await followTransition(deps, plan);
  await call.flushLog();
  return { ...plan.object, client_secret: row.client_secret };
}

/** Fails with `order_no_in_use`, naming the charge that has the number (read only on this path). */
async function orderNoInUse(deps: EngineDeps, scope: Scope, orderNo: string): Promise<never> {
  const existing = await deps.database.db.selectFrom('charges').select('id')
    .where('app_id', '=', scope.app_id).where('livemode', '=', scope.livemode ? 1 : 0).where('order_no', '=', orderNo).executeTakeFirst();
  fail('order_no_in_use', { param: 'order_no', message: existing ? `order_no ${orderNo} already belongs to charge ${existing.id}.` : `order_no ${orderNo} is already in use.` });
}
