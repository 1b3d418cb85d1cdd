/**
 * A provider's notification, in named steps (Hyperswitch-style): find the channel, let the
 * channel verify the message and read what it says, match it to the charge (channel, amount),
 * then apply the transition with its event and its log as one write, and only after that
 * commit answer the provider "ok". Forged, mismatched or unknown notifies change nothing, are
 * logged (on the charge, or as an orphan line), and are never acknowledged as ok.
 *
 * This is the hottest path after charge creation, and it runs in bursts, so each step costs as
 * few database round trips as it can: the channel comes from a cache, the charge from a read
 * batched with the concurrent notifies' (charge-reader.ts), and the channel call's log lines go
 * into the same write as the transition (notify-transition.ts) or the rejection line.
 */
import type { InboundRequest, NotifyParseResult, OutboundReply } from '../channels/contract.js';
import type { ChargeEvent } from '../core/charge-state.js';
import type { EngineDeps } from './deps.js';
import { channelCall, type ChannelRow } from './channel-context.js';
import { appendLog, type LogLine } from './charge-log.js';
import type { ChargeRow } from './charge-object.js';
import { settleRefundRow } from './refund-charge.js';
import { applyNotifiedEvent, type VerifiedNotify } from './notify-transition.js';

export type NotifyOutcome = 'applied' | 'duplicate' | 'rejected' | 'illegal';

export interface IngestResult {
  readonly reply: OutboundReply;
  readonly outcome: NotifyOutcome;
  readonly charge_id?: string;
}

type Source = 'notify' | 'return';

const PLAIN_REPLY = (ok: boolean): OutboundReply => ({ status: ok ? 200 : 400, headers: { 'content-type': 'text/plain' }, body: ok ? 'success' : 'fail' });

export async function ingestNotify(deps: EngineDeps, channelId: string, request: InboundRequest, source: Source = 'notify'): Promise<IngestResult> {
  const channel = await notifiedChannel(deps, channelId);
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
  const charge = parsed.charge_id ? await deps.readers.charges.read(parsed.charge_id) : undefined;
  const belongs = charge && charge.paying_channel_id === channel.id ? charge : undefined;
  // The channel's lines go out with the first write this notify makes, whichever it is.
  const callLines = call.takeLines(belongs?.id ?? null);

  if (!parsed.verified) {
    await logOn(deps, belongs, channel, 'error', `${source} rejected: ${parsed.reason}`, request, callLines);
    return { reply: ack(false), outcome: 'rejected', charge_id: belongs?.id };
  }
  if (!belongs) {
    await orphan(deps, channel, channelId, `${source} verified but names no charge of this channel: ${parsed.charge_id}`, request, callLines);
    return { reply: ack(false), outcome: 'rejected' };
  }
  if (parsed.amount !== belongs.amount) {
    await logOn(deps, belongs, channel, 'error', `${source} rejected: amount ${parsed.amount} does not match the charge's ${belongs.amount}`, request, callLines);
    return { reply: ack(false), outcome: 'rejected', charge_id: belongs.id };
  }

  const event = parsed.event;
  if (event.kind === 'refund') return ingestRefund(deps, { channel, charge: belongs, source, request, callLines, ack }, event);
  if (event.kind === 'pending') {
    await logOn(deps, belongs, channel, 'notify', `${source} verified: still waiting for the buyer`, request, callLines);
    return { reply: ack(true), outcome: 'duplicate', charge_id: belongs.id };
  }

  const outcome = await applyNotifiedEvent(deps, {
    charge: belongs, parsed, event: toChargeEvent(event), channelType: channel.type, source, request: requestForLog(request), channelLines: callLines,
  });
  // 'illegal' is acknowledged too: the provider cannot undo it, retrying would only repeat it.
  return { reply: ack(true), outcome, charge_id: belongs.id };
}

/**
 * The channel a notify URL names, deleted ones included (a refund notify may follow a deletion).
 * Read through the app-channels cache under its own key, so every channel change clears it too.
 */
async function notifiedChannel(deps: EngineDeps, channelId: string): Promise<ChannelRow | undefined> {
  const rows = await deps.caches.channels.get(`id:${channelId}`, () =>
    deps.database.db.selectFrom('channels').selectAll().where('id', '=', channelId).execute());
  return rows[0];
}

function toChargeEvent(event: Exclude<VerifiedNotify['event'], { kind: 'refund' | 'pending' }>): ChargeEvent {
  return event.kind === 'closed' ? { kind: 'closed', reason: 'channel_closed' } : { kind: event.kind };
}

interface MatchedNotify {
  readonly channel: ChannelRow;
  readonly charge: ChargeRow;
  readonly source: Source;
  readonly request: InboundRequest;
  readonly callLines: readonly LogLine[];
  readonly ack: (ok: boolean) => OutboundReply;
}

async function ingestRefund(deps: EngineDeps, notify: MatchedNotify, event: Extract<VerifiedNotify['event'], { kind: 'refund' }>): Promise<IngestResult> {
  const { channel, charge, source, request, callLines, ack } = notify;
  const refund = await deps.database.db.selectFrom('refunds').select(['id', 'charge_id']).where('id', '=', event.refund_reference).executeTakeFirst();
  if (!refund || refund.charge_id !== charge.id) {
    await logOn(deps, charge, channel, 'error', `refund ${source} for unknown refund ${event.refund_reference}`, request, callLines);
    return { reply: ack(false), outcome: 'rejected', charge_id: charge.id };
  }
  await logOn(deps, charge, channel, 'notify', `refund ${source} verified: ${event.refund_reference} ${event.status}`, request, callLines);
  await settleRefundRow(deps, refund.id, event.status === 'succeeded' ? { ok: true, status: 'succeeded' } : { ok: false, code: 'refund_failed', message: 'The channel reports the refund failed.' });
  return { reply: ack(true), outcome: 'applied', charge_id: charge.id };
}

/** The call's lines, on the charge (when the notify names one of this channel), with the channel's secrets masked. */
function requestForLog(request: InboundRequest): Record<string, unknown> {
  return { method: request.method, url: request.url, body: request.rawBody.slice(0, 8_000) };
}

async function logOn(deps: EngineDeps, charge: ChargeRow | undefined, channel: ChannelRow, kind: 'error' | 'notify', message: string, request: InboundRequest, before: readonly LogLine[] = []): Promise<void> {
  await appendLog(deps.database, deps.clock.now(), [...before, { charge_id: charge?.id ?? null, app_id: channel.app_id, channel_id: charge?.channel_id ?? channel.id, kind, message, data: { request: requestForLog(request) } }]);
}

async function orphan(deps: EngineDeps, channel: ChannelRow | null, channelId: string, message: string, request: InboundRequest, before: readonly LogLine[] = []): Promise<void> {
  await appendLog(deps.database, deps.clock.now(), [...before, { charge_id: null, app_id: channel?.app_id ?? null, channel_id: channelId, kind: 'error', message, data: { request: requestForLog(request) } }]);
}
