/**
 * Fan-out: turns queued events (the `webhook_fanout` rows a trigger writes with each event) into
 * one delivery per matching destination — the app's enabled endpoints whose event patterns and
 * channel filter match, and the charge's own `notify_url` for `charge.succeeded` (seed 000,
 * `capi` format, `SUCCESS` required). The payload is rendered here, once, so every attempt
 * sends the same bytes. Queue rows are deleted by the write that inserts the deliveries (one
 * statement on PostgreSQL, the caller's transaction on SQLite): a crash leaves either both or
 * neither.
 *
 * A dispatcher that fans out can take the deliveries that are due at once for itself: they are
 * written already claimed (the same lease a claim would stamp), the first few of them also
 * permitted (attempt 1 counted, delivery-permits.ts), and sent from the body rendered here, so
 * the hot path neither claims nor permits them in a second statement nor reads the event again.
 */
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { ChannelsTable, ChargesTable, EventsTable, Schema, WebhookDeliveriesTable } from '../store/schema.js';
import type { EngineDeps } from '../engine/deps.js';
import type { DialectName } from '../store/database.js';
import { newId } from '../core/ids.js';
import { matchesEventType } from './event-types.js';
import { payloadFormat, type PayloadContext } from './formats/index.js';
import type { EndpointRow } from './endpoints.js';
import { writeDeliveries } from './fanout-writes.js';
import type { ClaimedDelivery } from './delivery-claims.js';

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

type ChannelRow = Selectable<ChannelsTable>;

/** What a batch of events needs: endpoints, channels (unless already read), and the charges the chosen formats read. */
async function loadContext(trx: Kysely<Schema>, events: readonly EventRow[], read?: { channels: ChannelRow[]; endpoints: EndpointRow[] }): Promise<BatchContext> {
  const channelIds = [...new Set(events.map((e) => e.channel_id).filter((id): id is string => id !== null))];
  const appIds = [...new Set(events.map((e) => e.app_id))];
  const channels = read?.channels ?? (channelIds.length ? await trx.selectFrom('channels').selectAll().where('id', 'in', channelIds).execute() : []);
  const endpointRows = read?.endpoints ?? await trx.selectFrom('webhook_endpoints').selectAll().where('app_id', 'in', appIds).where('enabled', '=', 1).where('deleted_at', 'is', null).execute();
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

/** A new pending delivery of `event` to one destination, due at `dueAt` (one literal: one object shape). */
function deliveryRow(event: EventRow, to: { target: string; endpoint_id: string | null; url: string; format: DeliveryInsert['format']; require_success_body: 0 | 1 }, dueAt: number, now: number): DeliveryInsert {
  return {
    id: newId('delivery', now), event_id: event.id, event_seq: event.seq, event_type: event.type, app_id: event.app_id, livemode: event.livemode,
    charge_id: event.charge_id, target: to.target, endpoint_id: to.endpoint_id, url: to.url, format: to.format, require_success_body: to.require_success_body,
    status: 'pending', attempt_count: 0, round_attempts: 0, next_attempt_at: dueAt, lease_until: null, lease_token: null, stale_lease_token: null, permit_token: null,
    last_attempt_at: null, last_http_status: null, last_error: null, created_at: now, updated_at: now, completed_at: null,
  };
}

/** The deliveries one event needs, given what was loaded for its batch. */
function deliveriesFor(event: EventRow, loaded: BatchContext, dueAt: number, now: number): PlannedDelivery[] {
  const charge = event.charge_id ? loaded.charges.get(event.charge_id) : undefined;
  const channel = event.channel_id ? loaded.channels.get(event.channel_id) : undefined;
  const context: PayloadContext = { event, charge, channel };
  const out: PlannedDelivery[] = [];
  // Rendered once per format: every endpoint taking that format gets the same bytes.
  let rendered: Partial<Record<string, string | undefined>> | undefined;
  for (const { row: endpoint } of matching(loaded, event)) {
    rendered ??= {};
    if (!(endpoint.format in rendered)) {
      const format = payloadFormat(endpoint.format);
      rendered[endpoint.format] = format.accepts(event.type) ? format.render(context) : undefined;
    }
    const payload = rendered[endpoint.format];
    if (payload === undefined) continue;
    out.push({ body: payload, row: deliveryRow(event, { target: endpoint.id, endpoint_id: endpoint.id, url: endpoint.url, format: endpoint.format, require_success_body: endpoint.require_success_body }, dueAt, now) });
  }
  if (event.type === NOTIFY_URL_EVENT && charge?.notify_url) {
    const payload = payloadFormat('capi').render(context);
    if (payload !== undefined) {
      out.push({ body: payload, row: deliveryRow(event, { target: NOTIFY_URL_TARGET, endpoint_id: null, url: charge.notify_url, format: 'capi', require_success_body: 1 }, dueAt, now) });
    }
  }
  return out;
}

/** Writes deliveries and their bodies, skipping any that already exist (resend). */
export async function insertDeliveries(trx: Kysely<Schema>, dialect: DialectName, planned: readonly PlannedDelivery[]): Promise<void> {
  await writeDeliveries(trx, dialect, planned);
}

/** Deliveries a fan-out wrote already claimed for its dispatcher, with what sending them needs. */
export interface FannedOutClaim {
  readonly delivery: ClaimedDelivery;
  readonly body: string;
  /** The endpoint row as read for this fan-out (its sealed secrets), or undefined for a notify_url. */
  readonly endpoint: EndpointRow | undefined;
}

export interface FanOutResult {
  /** Queue rows taken (events fanned out). */
  readonly events: number;
  readonly deliveries: number;
  /** Deliveries written claimed for the caller (see `FanOutOptions.claim`). */
  readonly claimed: readonly FannedOutClaim[];
}

export interface FanOutOptions {
  readonly limit: number;
  readonly firstDelayMs: number;
  /** Write up to `max` of the deliveries due now already claimed under this lease, the first `permit` of them permitted. */
  readonly claim?: { readonly max: number; readonly permit: number; readonly token: string; readonly leaseUntil: number };
}

type QueuedEvent = EventRow & { queue_seq: number };

/**
 * The oldest queued events (a queue row whose event is missing comes with a null id) and, on
 * PostgreSQL, in the same statement, the endpoints and channels they need: one round trip.
 */
async function readQueue(trx: Kysely<Schema>, dialect: DialectName, limit: number): Promise<{ queued: QueuedEvent[]; read?: { channels: ChannelRow[]; endpoints: EndpointRow[] } }> {
  const oldest = sql`select f.event_seq as queue_seq, e.* from webhook_fanout f left join events e on e.seq = f.event_seq order by f.event_seq limit ${limit}`;
  if (dialect === 'sqlite') return { queued: (await sql<QueuedEvent>`${oldest}`.execute(trx)).rows };
  // The events as plain rows; endpoints and channels (few) as JSON, on the first row only.
  const { rows } = await sql<QueuedEvent & { ctx_endpoints: EndpointRow[] | null; ctx_channels: ChannelRow[] | null }>`with q as (${oldest}),
    ctx as (select (select coalesce(json_agg(w), '[]') from webhook_endpoints w where w.app_id in (select app_id from q) and w.enabled = 1 and w.deleted_at is null) as ctx_endpoints,
      (select coalesce(json_agg(c), '[]') from channels c where c.id in (select channel_id from q)) as ctx_channels)
    select q.*, ctx.* from q left join ctx on q.queue_seq = (select min(queue_seq) from q) order by q.queue_seq`.execute(trx);
  const first = rows[0];
  const queued = rows.map(({ ctx_endpoints: _e, ctx_channels: _c, ...event }) => event as QueuedEvent);
  return { queued, read: { channels: first?.ctx_channels ?? [], endpoints: first?.ctx_endpoints ?? [] } };
}

/**
 * Fans out up to `limit` queued events, oldest first: inside the caller's transaction on SQLite,
 * on PostgreSQL in one writing statement (no transaction needed). The queue is read without
 * locking it (a row lock is a write: WAL for every queued event), so two dispatchers may read the
 * same events; the deliveries' unique key lets only one of them write (and hold) each delivery,
 * and removing a queue row twice is harmless.
 */
export async function fanOutQueued(trx: Kysely<Schema>, dialect: DialectName, now: number, options: FanOutOptions): Promise<FanOutResult> {
  if (options.limit <= 0) return { events: 0, deliveries: 0, claimed: [] };
  const { queued, read } = await readQueue(trx, dialect, options.limit);
  if (queued.length === 0) return { events: 0, deliveries: 0, claimed: [] };
  const events = queued.filter((row) => row.id !== null).map(({ queue_seq: _seq, ...event }) => event as EventRow);
  const loaded = await loadContext(trx, events, read);
  const dueAt = now + options.firstDelayMs;
  const planned = events.flatMap((event) => deliveriesFor(event, loaded, dueAt, now));
  const claiming: PlannedDelivery[] = [];
  const claim = options.claim;
  if (claim && dueAt <= now) {
    for (const p of planned.slice(0, Math.max(0, claim.max))) {
      // Due again only when the lease runs out (the holder died): until then a claim of due
      // deliveries need not even look at it. Its result sets the real next time.
      Object.assign(p.row, { lease_token: claim.token, lease_until: claim.leaseUntil, next_attempt_at: claim.leaseUntil });
      if (claiming.length < claim.permit) Object.assign(p.row, { attempt_count: 1, round_attempts: 1, last_attempt_at: now, permit_token: claim.token });
      claiming.push(p);
    }
  }
  const inserted = await writeDeliveries(trx, dialect, planned, queued.map((q) => Number(q.queue_seq)));
  const endpoints = new Map(loaded.endpoints.map((e) => [e.row.id, e.row]));
  const claimed = claiming.filter((p) => inserted.has(p.row.id!)).map((p): FannedOutClaim => ({
    delivery: p.row as ClaimedDelivery,
    body: p.body,
    endpoint: p.row.endpoint_id ? endpoints.get(p.row.endpoint_id) : undefined,
  }));
  return { events: queued.length, deliveries: planned.length, claimed };
}

/** `fanOutQueued` in a transaction of its own. */
export async function fanOutBatch(deps: EngineDeps, options: { limit: number; firstDelayMs: number }): Promise<FanOutResult> {
  return deps.database.transaction((trx) => fanOutQueued(trx, deps.database.dialect, deps.clock.now(), options));
}

/**
 * Deliveries an event needs now, by today's endpoints (used by resend to add the ones missing, such
 * as an endpoint enabled since). Never for an endpoint created after the event: see `endpointMatches`.
 */
export async function plannedDeliveries(deps: EngineDeps, trx: Kysely<Schema>, event: EventRow, dueAt: number): Promise<PlannedDelivery[]> {
  return deliveriesFor(event, await loadContext(trx, [event]), dueAt, deps.clock.now());
}
