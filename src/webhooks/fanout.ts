/**
 * Fan-out: turns queued events (the `webhook_fanout` rows a trigger writes with each event) into
 * one delivery per matching destination — the app's enabled endpoints whose event patterns and
 * channel filter match, and the charge's own `notify_url` for `charge.succeeded` (seed 000,
 * `capi` format, `SUCCESS` required). The payload is rendered here, once, so every attempt
 * sends the same bytes. Queue rows are deleted in the same transaction that writes the
 * deliveries: a crash leaves either both or neither.
 */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { ChannelsTable, ChargesTable, EventsTable, Schema, WebhookDeliveriesTable } from '../store/schema.js';
import type { EngineDeps } from '../engine/deps.js';
import type { DialectName } from '../store/database.js';
import { newId } from '../core/ids.js';
import { matchesEventType } from './event-types.js';
import { payloadFormat, type PayloadContext } from './formats/index.js';
import type { EndpointRow } from './endpoints.js';

/** The target of a charge's own `notify_url` delivery (endpoints use their id). */
export const NOTIFY_URL_TARGET = 'notify_url';
/** The event that goes to a charge's `notify_url` (seed 000 notifies a successful payment). */
export const NOTIFY_URL_EVENT = 'charge.succeeded';

type EventRow = Selectable<EventsTable>;
type DeliveryInsert = Insertable<WebhookDeliveriesTable>;

/** A delivery to write, with the body its attempts will send. */
export interface PlannedDelivery {
  readonly row: DeliveryInsert;
  readonly body: string;
}

/** Whether an endpoint wants this event (app, mode, type, channel filter). */
export function endpointMatches(endpoint: EndpointRow, event: EventRow, channel: Selectable<ChannelsTable> | undefined, patterns: readonly string[] = JSON.parse(endpoint.events) as string[]): boolean {
  if (endpoint.app_id !== event.app_id || endpoint.livemode !== event.livemode || endpoint.enabled !== 1 || endpoint.deleted_at !== null) return false;
  // An endpoint hears what happens from its creation on (as with Stripe), even if the fan-out of an
  // older event was still queued when it was added.
  if (event.created_at < endpoint.created_at) return false;
  if (!matchesEventType(patterns, event.type)) return false;
  if (endpoint.channel === null) return true;
  if (endpoint.channel.startsWith('chn_')) return event.channel_id === endpoint.channel;
  return channel?.type === endpoint.channel;
}

interface BatchContext {
  readonly charges: Map<string, Selectable<ChargesTable>>;
  readonly channels: Map<string, Selectable<ChannelsTable>>;
  readonly endpoints: ReadonlyArray<{ readonly row: EndpointRow; readonly patterns: readonly string[] }>;
}

function matching(context: Pick<BatchContext, 'channels' | 'endpoints'>, event: EventRow) {
  const channel = event.channel_id ? context.channels.get(event.channel_id) : undefined;
  return context.endpoints.filter((e) => endpointMatches(e.row, event, channel, e.patterns));
}

/** What a batch of events needs: endpoints, channels, and the charges the chosen formats read. */
async function loadContext(trx: Kysely<Schema>, events: readonly EventRow[]): Promise<BatchContext> {
  const channelIds = [...new Set(events.map((e) => e.channel_id).filter((id): id is string => id !== null))];
  const appIds = [...new Set(events.map((e) => e.app_id))];
  // One query after another: a transaction is one connection.
  const channels = channelIds.length ? await trx.selectFrom('channels').selectAll().where('id', 'in', channelIds).execute() : [];
  const endpointRows = await trx.selectFrom('webhook_endpoints').selectAll().where('app_id', 'in', appIds).where('enabled', '=', 1).where('deleted_at', 'is', null).execute();
  const partial = {
    channels: new Map<string, Selectable<ChannelsTable>>(channels.map((c) => [c.id, c])),
    endpoints: endpointRows.map((row) => ({ row, patterns: JSON.parse(row.events) as string[] })),
  };
  // The event format needs only the event; the seed formats and notify_url read the charge.
  const chargeIds = [...new Set(events
    .filter((e) => e.charge_id !== null && (e.type === NOTIFY_URL_EVENT || matching(partial, e).some((m) => m.row.format !== 'event')))
    .map((e) => e.charge_id!))];
  const charges = chargeIds.length ? await trx.selectFrom('charges').selectAll().where('id', 'in', chargeIds).execute() : [];
  return { ...partial, charges: new Map(charges.map((c) => [c.id, c])) };
}

/** The deliveries one event needs, given what was loaded for its batch. */
function deliveriesFor(event: EventRow, loaded: BatchContext, dueAt: number, now: number): PlannedDelivery[] {
  const charge = event.charge_id ? loaded.charges.get(event.charge_id) : undefined;
  const channel = event.channel_id ? loaded.channels.get(event.channel_id) : undefined;
  const context: PayloadContext = { event, charge, channel };
  const base = {
    event_id: event.id, event_seq: event.seq, event_type: event.type, app_id: event.app_id, livemode: event.livemode, charge_id: event.charge_id,
    status: 'pending' as const, attempt_count: 0, round_attempts: 0, next_attempt_at: dueAt, lease_until: null, lease_token: null, stale_lease_token: null,
    last_attempt_at: null, last_http_status: null, last_error: null, created_at: now, updated_at: now, completed_at: null,
  };
  const out: PlannedDelivery[] = [];
  const rendered = new Map<string, string | undefined>();
  for (const { row: endpoint } of matching(loaded, event)) {
    const format = payloadFormat(endpoint.format);
    if (!rendered.has(endpoint.format)) rendered.set(endpoint.format, format.accepts(event.type) ? format.render(context) : undefined);
    const payload = rendered.get(endpoint.format);
    if (payload === undefined) continue;
    out.push({ body: payload, row: { ...base, id: newId('delivery'), target: endpoint.id, endpoint_id: endpoint.id, url: endpoint.url, format: endpoint.format, require_success_body: endpoint.require_success_body } });
  }
  if (event.type === NOTIFY_URL_EVENT && charge?.notify_url) {
    const payload = payloadFormat('capi').render(context);
    if (payload !== undefined) {
      out.push({ body: payload, row: { ...base, id: newId('delivery'), target: NOTIFY_URL_TARGET, endpoint_id: null, url: charge.notify_url, format: 'capi', require_success_body: 1 } });
    }
  }
  return out;
}

/**
 * Writes deliveries and their bodies, skipping any that already exist. `event`-format bodies are
 * not stored: the event row is immutable and the claim renders them from it again.
 */
export async function insertDeliveries(trx: Kysely<Schema>, planned: readonly PlannedDelivery[]): Promise<void> {
  const stored = planned.filter((p) => p.row.format !== 'event');
  const bodies = new Map(stored.map((p) => [`${p.row.event_id}\u0000${p.row.format}`, { event_id: p.row.event_id, format: p.row.format, body: p.body }]));
  const payloads = [...bodies.values()];
  for (let i = 0; i < payloads.length; i += 200) {
    await trx.insertInto('webhook_payloads').values(payloads.slice(i, i + 200)).onConflict((oc) => oc.columns(['event_id', 'format']).doNothing()).execute();
  }
  const rows = planned.map((p) => p.row);
  for (let i = 0; i < rows.length; i += 100) {
    await trx.insertInto('webhook_deliveries').values(rows.slice(i, i + 100)).onConflict((oc) => oc.columns(['event_id', 'target']).doNothing()).execute();
  }
}

export interface FanOutResult {
  readonly events: number;
  readonly deliveries: number;
}

/**
 * Fans out up to `limit` queued events, oldest first, inside the caller's transaction. On
 * PostgreSQL the queue rows are locked with SKIP LOCKED, so concurrent dispatchers split the
 * queue instead of waiting on each other.
 */
export async function fanOutQueued(trx: Kysely<Schema>, dialect: DialectName, now: number, options: { limit: number; firstDelayMs: number }): Promise<FanOutResult> {
  let query = trx.selectFrom('webhook_fanout').selectAll().orderBy('event_seq').limit(options.limit);
  if (dialect === 'postgres') query = query.forUpdate().skipLocked();
  const queued = await query.execute();
  if (queued.length === 0) return { events: 0, deliveries: 0 };
  const seqs = queued.map((q) => q.event_seq);
  const events = await trx.selectFrom('events').selectAll().where('seq', 'in', seqs).orderBy('seq').execute();
  const loaded = await loadContext(trx, events);
  const rows = events.flatMap((event) => deliveriesFor(event, loaded, now + options.firstDelayMs, now));
  await insertDeliveries(trx, rows);
  await trx.deleteFrom('webhook_fanout').where('event_seq', 'in', seqs).execute();
  return { events: queued.length, deliveries: rows.length };
}

/** `fanOutQueued` in a transaction of its own. */
export async function fanOutBatch(deps: EngineDeps, options: { limit: number; firstDelayMs: number }): Promise<FanOutResult> {
  return deps.database.transaction((trx) => fanOutQueued(trx, deps.database.dialect, deps.clock.now(), options));
}

/** Deliveries an event needs now (used by resend for endpoints added after the event). */
export async function plannedDeliveries(deps: EngineDeps, trx: Kysely<Schema>, event: EventRow, dueAt: number): Promise<PlannedDelivery[]> {
  return deliveriesFor(event, await loadContext(trx, [event]), dueAt, deps.clock.now());
}
