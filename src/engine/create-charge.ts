/**
 * Creates a charge: validate, pick the channel (and its delegate for pay-on-behalf), ask the
 * channel for a credential, then write the charge, its `created → pending` transition, both
 * events and the log in one transaction. The channel is asked before anything is written, so a
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
import { inTransaction } from './unit-of-work.js';
import { recordEvents } from './outbox.js';
import { writeLog } from './charge-log.js';
import { afterTransition, planChargeEvent } from './apply-charge-event.js';
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
  const existing = await deps.database.db.selectFrom('charges').select('id')
    .where('app_id', '=', scope.app_id).where('livemode', '=', scope.livemode ? 1 : 0).where('order_no', '=', input.order_no).executeTakeFirst();
  if (existing) fail('order_no_in_use', { param: 'order_no', message: `order_no ${input.order_no} already belongs to charge ${existing.id}.` });

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
  const charge = await inTransaction(deps, async (uow) => {
    // The charge is written already past `created → pending` (decided by the state machine),
    // with both events and both log lines, in three statements.
    const plan = planChargeEvent(row, { kind: 'credential_issued' }, {
      credential: JSON.stringify(credential), extension: JSON.stringify(created.extension ?? {}),
    }, uow.now, 'credential issued');
    if (!plan) throw new Error('a new charge must move to pending');
    try {
      await uow.trx.insertInto('charges').values(plan.next).execute();
    } catch (error) {
      if (isUniqueViolation(error)) fail('order_no_in_use', { param: 'order_no', message: `order_no ${input.order_no} is already in use.` });
      throw error;
    }
    const base = { charge_id: id, app_id: scope.app_id, channel_id: shown.id };
    await writeLog(uow.trx, uow.now, [{ ...base, kind: 'transition', message: `created (${input.channel}, ${input.amount} ${input.currency})` }, plan.log]);
    await recordEvents(uow, [
      { type: 'charge.created', app_id: scope.app_id, livemode: scope.livemode, object: toChargeObject(row) as unknown as Record<string, unknown>, charge_id: id, channel_id: shown.id },
      ...plan.events,
    ]);
    uow.afterCommit(() => runCreatedHook(deps, toChargeObject(row)));
    afterTransition(deps, uow, plan);
    return toChargeObject(plan.next);
  });
  await call.flushLog();
  return { ...charge, client_secret: row.client_secret };
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || /UNIQUE constraint failed/.test(e?.message ?? '');
}
