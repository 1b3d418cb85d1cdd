/**
 * A provider's notification, in named steps (Hyperswitch-style): find the channel, let the
 * channel verify the message and read what it says, match it to the charge (channel, amount),
 * then apply the transition, its event and its log in one transaction, and only after that
 * commit answer the provider "ok". Forged, mismatched or unknown notifies change nothing, are
 * logged (on the charge, or as an orphan line), and are never acknowledged as ok.
 */
import type { InboundRequest, NotifyParseResult, OutboundReply } from '../channels/contract.js';
import type { ChargeEvent } from '../core/charge-state.js';
import { isPaygateError } from '../core/errors.js';
import type { EngineDeps } from './deps.js';
import { channelCall, type ChannelRow } from './channel-context.js';
import { inTransaction } from './unit-of-work.js';
import { lockCharge } from './charge-repository.js';
import { applyChargeEvent } from './apply-charge-event.js';
import { appendLog } from './charge-log.js';
import { parseJsonObject, type ChargeRow } from './charge-object.js';
import { settleRefundRow } from './refund-charge.js';

export type NotifyOutcome = 'applied' | 'duplicate' | 'rejected' | 'illegal';

export interface IngestResult {
  readonly reply: OutboundReply;
  readonly outcome: NotifyOutcome;
  readonly charge_id?: string;
}

const PLAIN_REPLY = (ok: boolean): OutboundReply => ({ status: ok ? 200 : 400, headers: { 'content-type': 'text/plain' }, body: ok ? 'success' : 'fail' });

export async function ingestNotify(deps: EngineDeps, channelId: string, request: InboundRequest, source: 'notify' | 'return' = 'notify'): Promise<IngestResult> {
  const channel = await deps.database.db.selectFrom('channels').selectAll().where('id', '=', channelId).executeTakeFirst();
  if (!channel) {
    await orphan(deps, null, channelId, `${source} for unknown channel ${channelId}`, request);
    return { reply: PLAIN_REPLY(false), outcome: 'rejected' };
  }
  const call = channelCall(deps, channel, null);
  const ack = (ok: boolean) => call.type.acknowledgeNotify?.(ok, request) ?? PLAIN_REPLY(ok);
  const parse = source === 'return' ? call.type.parseReturn : call.type.parseNotify;
  if (!parse) {
    await orphan(deps, channel, channelId, `the ${channel.type} channel takes no ${source}`, request);
    return { reply: ack(false), outcome: 'rejected' };
  }

  let parsed: NotifyParseResult;
  try {
    parsed = await parse.call(call.type, call.ctx, request);
  } catch (error) {
    parsed = { verified: false, reason: `could not be read: ${error instanceof Error ? error.message : String(error)}` };
  }
  const charge = parsed.charge_id ? await deps.database.db.selectFrom('charges').selectAll().where('id', '=', parsed.charge_id).executeTakeFirst() : undefined;
  const belongs = charge && charge.paying_channel_id === channel.id ? charge : undefined;
  for (const line of call.lines) Object.assign(line, { charge_id: belongs?.id ?? null });
  await call.flushLog();

  if (!parsed.verified) {
    await logOn(deps, belongs, channel, 'error', `${source} rejected: ${parsed.reason}`, request);
    return { reply: ack(false), outcome: 'rejected', charge_id: belongs?.id };
  }
  if (!belongs) {
    await orphan(deps, channel, channelId, `${source} verified but names no charge of this channel: ${parsed.charge_id}`, request);
    return { reply: ack(false), outcome: 'rejected' };
  }
  if (parsed.amount !== belongs.amount) {
    await logOn(deps, belongs, channel, 'error', `${source} rejected: amount ${parsed.amount} does not match the charge's ${belongs.amount}`, request);
    return { reply: ack(false), outcome: 'rejected', charge_id: belongs.id };
  }

  const event = parsed.event;
  if (event.kind === 'refund') {
    const refund = await deps.database.db.selectFrom('refunds').select(['id', 'charge_id']).where('id', '=', event.refund_reference).executeTakeFirst();
    if (!refund || refund.charge_id !== belongs.id) {
      await logOn(deps, belongs, channel, 'error', `refund ${source} for unknown refund ${event.refund_reference}`, request);
      return { reply: ack(false), outcome: 'rejected', charge_id: belongs.id };
    }
    await logOn(deps, belongs, channel, 'notify', `refund ${source} verified: ${event.refund_reference} ${event.status}`, request);
    await settleRefundRow(deps, refund.id, event.status === 'succeeded' ? { ok: true, status: 'succeeded' } : { ok: false, code: 'refund_failed', message: 'The channel reports the refund failed.' });
    return { reply: ack(true), outcome: 'applied', charge_id: belongs.id };
  }
  if (event.kind === 'pending') {
    await logOn(deps, belongs, channel, 'notify', `${source} verified: still waiting for the buyer`, request);
    return { reply: ack(true), outcome: 'duplicate', charge_id: belongs.id };
  }

  const chargeEvent: ChargeEvent = event.kind === 'closed' ? { kind: 'closed', reason: 'channel_closed' } : { kind: event.kind };
  try {
    const changed = await inTransaction(deps, async (uow) => {
      const locked = await lockCharge(uow, belongs.id);
      if (!locked) throw new Error('charge vanished');
      const notifyLine = { charge_id: locked.id, app_id: locked.app_id, channel_id: locked.channel_id, kind: 'notify' as const, message: `${source} verified: ${event.kind}${parsed.notification_id ? ` (${parsed.notification_id})` : ''}`, data: { request: requestForLog(request), facts: parsed.facts ?? {} } };
      const facts = parsed.facts ? { extension: JSON.stringify({ ...parseJsonObject(locked.extension), ...parsed.facts }) } : {};
      const patch = {
        ...facts,
        ...(parsed.transaction_no && !locked.transaction_no ? { transaction_no: parsed.transaction_no } : {}),
        ...(parsed.paid_at && !locked.time_paid && (event.kind === 'paid' || event.kind === 'secured_paid') ? { time_paid: parsed.paid_at } : {}),
        ...(event.kind === 'closed' ? { closed_reason: 'channel_closed' } : {}),
      };
      return (await applyChargeEvent(deps, uow, locked, chargeEvent, patch, `${channel.type} ${source}`, [notifyLine])).changed;
    });
    return { reply: ack(true), outcome: changed ? 'applied' : 'duplicate', charge_id: belongs.id };
  } catch (error) {
    if (isPaygateError(error) && error.code === 'charge_state_invalid') {
      // Verified, but impossible here (e.g. paid after we closed it): money may have moved.
      // Acknowledge so the provider stops retrying, and flag it loudly on the charge.
      await logOn(deps, belongs, channel, 'error', `NEEDS ATTENTION: verified ${source} says ${event.kind}, but the charge is ${belongs.status}: ${error.message}`, request);
      return { reply: ack(true), outcome: 'illegal', charge_id: belongs.id };
    }
    throw error;
  }
}

function requestForLog(request: InboundRequest): Record<string, unknown> {
  return { method: request.method, url: request.url, body: request.rawBody.slice(0, 8_000) };
}

async function logOn(deps: EngineDeps, charge: ChargeRow | undefined, channel: ChannelRow, kind: 'error' | 'notify', message: string, request: InboundRequest): Promise<void> {
  await appendLog(deps.database, deps.clock.now(), [{ charge_id: charge?.id ?? null, app_id: channel.app_id, channel_id: charge?.channel_id ?? channel.id, kind, message, data: { request: requestForLog(request) } }]);
}

async function orphan(deps: EngineDeps, channel: ChannelRow | null, channelId: string, message: string, request: InboundRequest): Promise<void> {
  await appendLog(deps.database, deps.clock.now(), [{ charge_id: null, app_id: channel?.app_id ?? null, channel_id: channelId, kind: 'error', message, data: { request: requestForLog(request) } }]);
}
