/**
 * Reading deliveries and their attempts (API, console, CLI) and resending an event
 * (`POST /v1/events/:id/resend`, `paygate events resend`): every delivery of the event starts a
 * new round of the schedule now, and an endpoint that wants the event now but has no delivery of
 * it (one disabled, or subscribed to other types, when the event was fanned out) gets one. An
 * endpoint created after the event gets none: endpoints hear what happens from their creation on
 * (`endpointMatches` in fanout.ts).
 */
import { sql, type Selectable } from 'kysely';
import type { WebhookAttemptsTable } from '../store/schema.js';
import type { EngineDeps } from '../engine/deps.js';
import type { Scope } from '../engine/api-types.js';
import { fail } from '../core/errors.js';
import type { DeliveryRow } from './delivery-claims.js';
import { insertDeliveries, plannedDeliveries } from './fanout.js';

export interface WebhookAttemptObject {
  attempt: number;
  started: number;
  duration_ms: number;
  http_status: number | null;
  succeeded: boolean;
  response_excerpt: string | null;
  error: string | null;
  dispatcher: string;
}

export interface WebhookDeliveryObject {
  id: string;
  object: 'webhook_delivery';
  event: string;
  event_type: string;
  /** The endpoint (`we_…`), or null for the charge's own notify_url. */
  webhook_endpoint: string | null;
  target: 'webhook_endpoint' | 'notify_url';
  url: string;
  format: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts_count: number;
  /** When the next send is due (unix seconds), while pending. */
  next_attempt: number | null;
  last_http_status: number | null;
  last_error: string | null;
  created: number;
  completed: number | null;
  attempts: WebhookAttemptObject[];
}

/** The `paygate_outbox` payload saying existing deliveries became due (the fan-out trigger sends ''). */
export const DUE_NOTICE = 'due';

const seconds = (ms: number | null) => (ms === null ? null : Math.floor(ms / 1000));

export function toAttemptObject(row: Selectable<WebhookAttemptsTable>): WebhookAttemptObject {
  return {
    attempt: row.attempt_no, started: Math.floor(row.started_at / 1000), duration_ms: row.duration_ms, http_status: row.http_status,
    succeeded: row.succeeded === 1, response_excerpt: row.response_excerpt, error: row.error, dispatcher: row.dispatcher,
  };
}

export function toDeliveryObject(row: DeliveryRow, attempts: readonly Selectable<WebhookAttemptsTable>[]): WebhookDeliveryObject {
  return {
    id: row.id, object: 'webhook_delivery', event: row.event_id, event_type: row.event_type, webhook_endpoint: row.endpoint_id,
    target: row.endpoint_id ? 'webhook_endpoint' : 'notify_url', url: row.url, format: row.format, status: row.status,
    attempts_count: row.attempt_count, next_attempt: row.status === 'pending' ? seconds(row.next_attempt_at) : null,
    last_http_status: row.last_http_status, last_error: row.last_error, created: Math.floor(row.created_at / 1000), completed: seconds(row.completed_at),
    attempts: attempts.filter((a) => a.delivery_id === row.id).map(toAttemptObject),
  };
}

async function findScopedEvent(deps: EngineDeps, scope: Scope, eventId: string) {
  const event = await deps.database.db.selectFrom('events').selectAll()
    .where('id', '=', eventId).where('app_id', '=', scope.app_id).where('livemode', '=', scope.livemode ? 1 : 0).executeTakeFirst();
  if (!event) fail('resource_not_found', { param: 'id', message: `No such event: ${eventId}` });
  return event;
}

/** The deliveries of an event, each with its attempts (oldest first). */
export async function listEventDeliveries(deps: EngineDeps, scope: Scope, eventId: string): Promise<WebhookDeliveryObject[]> {
  await findScopedEvent(deps, scope, eventId);
  const db = deps.database.db;
  const rows = await db.selectFrom('webhook_deliveries').selectAll().where('event_id', '=', eventId).orderBy('created_at').orderBy('id').execute();
  const attempts = rows.length ? await db.selectFrom('webhook_attempts').selectAll().where('delivery_id', 'in', rows.map((r) => r.id)).orderBy('seq').execute() : [];
  return rows.map((row) => toDeliveryObject(row, attempts));
}

/** Deliveries of a charge's events (the console's transaction detail), found through the events. */
export async function listChargeDeliveries(deps: EngineDeps, chargeId: string): Promise<WebhookDeliveryObject[]> {
  const db = deps.database.db;
  const events = db.selectFrom('events').select('id').where('charge_id', '=', chargeId);
  const rows = await db.selectFrom('webhook_deliveries').selectAll().where('event_id', 'in', events).orderBy('event_seq').orderBy('id').execute();
  if (rows.length === 0) return [];
  const attempts = await db.selectFrom('webhook_attempts').selectAll().where('delivery_id', 'in', rows.map((r) => r.id)).orderBy('seq').execute();
  return rows.map((row) => toDeliveryObject(row, attempts));
}

/**
 * Sends an event again to all its destinations (or only to `webhook_endpoint`): finished
 * deliveries become due now with a fresh schedule; one in flight right now is left to finish.
 */
export async function resendEvent(deps: EngineDeps, scope: Scope, eventId: string, options: { webhook_endpoint?: string } = {}): Promise<WebhookDeliveryObject[]> {
  const event = await findScopedEvent(deps, scope, eventId);
  const now = deps.clock.now();
  await deps.database.transaction(async (trx) => {
    const planned = (await plannedDeliveries(deps, trx, event, now))
      .filter((d) => !options.webhook_endpoint || d.row.endpoint_id === options.webhook_endpoint);
    await insertDeliveries(trx, deps.database.dialect, planned);
    let reset = trx.updateTable('webhook_deliveries').set({ status: 'pending', round_attempts: 0, next_attempt_at: now, completed_at: null, updated_at: now })
      .where('event_id', '=', eventId).where('lease_token', 'is', null);
    if (options.webhook_endpoint) reset = reset.where('endpoint_id', '=', options.webhook_endpoint);
    await reset.execute();
    if (deps.database.dialect === 'postgres') await sql`select pg_notify('paygate_outbox', ${DUE_NOTICE})`.execute(trx);
  });
  const deliveries = await listEventDeliveries(deps, scope, eventId);
  if (options.webhook_endpoint && !deliveries.some((d) => d.webhook_endpoint === options.webhook_endpoint)) {
    fail('resource_not_found', { param: 'webhook_endpoint', message: `Event ${eventId} does not go to ${options.webhook_endpoint}: the endpoint does not exist, is disabled, or does not subscribe to ${event.type}.` });
  }
  return deliveries;
}
