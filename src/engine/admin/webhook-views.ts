/**
 * What the console shows of webhooks: endpoints (never their secrets), deliveries with every
 * attempt, and delivery health for the dashboard. Read-only; sending and resending belong to
 * the webhook dispatcher.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Schema, WebhookAttemptsTable, WebhookDeliveriesTable } from '../../store/schema.js';
import { fail } from '../../core/errors.js';
import type { EngineDeps } from '../deps.js';
import { decodeCursor, encodeCursor } from './transaction-search.js';

export interface AttemptView {
  attempt_no: number;
  url: string;
  /** Unix ms (the console shows attempts to the second and their durations in ms). */
  started_at: number;
  duration_ms: number;
  http_status: number | null;
  response_excerpt: string | null;
  error: string | null;
  succeeded: boolean;
}

export interface DeliveryView {
  id: string;
  event_id: string;
  event_type: string;
  app_id: string;
  livemode: boolean;
  charge_id: string | null;
  target: string;
  endpoint_id: string | null;
  url: string;
  format: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempt_count: number;
  next_attempt_at: number | null;
  last_http_status: number | null;
  last_error: string | null;
  created: number;
  attempts?: AttemptView[];
}

const toAttempt = (a: Selectable<WebhookAttemptsTable>): AttemptView => ({
  attempt_no: a.attempt_no, url: a.url, started_at: a.started_at, duration_ms: a.duration_ms, http_status: a.http_status,
  response_excerpt: a.response_excerpt, error: a.error, succeeded: a.succeeded === 1,
});


const DELIVERY_COLUMNS = [
  'id', 'event_id', 'event_seq', 'event_type', 'app_id', 'livemode', 'charge_id', 'target', 'endpoint_id', 'url', 'format',
  'require_success_body', 'status', 'attempt_count', 'round_attempts', 'next_attempt_at', 'last_attempt_at', 'last_http_status',
  'last_error', 'created_at', 'updated_at', 'completed_at',
] as const;

/** Only the columns the console shows: the webhook module may add its own (leases …) freely. */
type DeliveryRow = Pick<Selectable<WebhookDeliveriesTable>, (typeof DELIVERY_COLUMNS)[number]>;

const toDelivery = (d: DeliveryRow): DeliveryView => ({
  id: d.id, event_id: d.event_id, event_type: d.event_type, app_id: d.app_id, livemode: d.livemode === 1, charge_id: d.charge_id,
  target: d.target, endpoint_id: d.endpoint_id, url: d.url, format: d.format, status: d.status, attempt_count: d.attempt_count,
  next_attempt_at: d.next_attempt_at, last_http_status: d.last_http_status, last_error: d.last_error, created: Math.floor(d.created_at / 1000),
});


async function withAttempts(db: Kysely<Schema>, rows: DeliveryRow[]): Promise<DeliveryView[]> {
  if (rows.length === 0) return [];
  const attempts = await db.selectFrom('webhook_attempts').selectAll().where('delivery_id', 'in', rows.map((r) => r.id)).orderBy('seq').execute();
  return rows.map((row) => ({ ...toDelivery(row), attempts: attempts.filter((a) => a.delivery_id === row.id).map(toAttempt) }));
}

/** Every delivery (with attempts) of the given events: a charge's detail page. */
export async function deliveriesOfEvents(deps: EngineDeps, eventIds: readonly string[]): Promise<DeliveryView[]> {
  if (eventIds.length === 0) return [];
  const db = deps.database.db;
  const rows = await db.selectFrom('webhook_deliveries').select(DELIVERY_COLUMNS).where('event_id', 'in', [...eventIds]).orderBy('event_seq').orderBy('created_at').execute();
  return withAttempts(db, rows);
}

export interface DeliveryFilter {
  readonly app_id?: string;
  readonly livemode?: boolean;
  readonly status?: string;
  readonly endpoint_id?: string;
}

/** Deliveries newest first, keyset-paged like the transaction list. */
export async function listDeliveries(deps: EngineDeps, filter: DeliveryFilter, page: { limit?: number; starting_after?: string } = {}): Promise<{ object: 'list'; data: DeliveryView[]; next_cursor: string | null }> {
  const limit = page.limit ?? 20;
  if (filter.status && !['pending', 'succeeded', 'failed'].includes(filter.status)) fail('parameter_invalid', { param: 'status', message: 'status must be pending, succeeded or failed.' });
  const db = deps.database.db;
  let query = db.selectFrom('webhook_deliveries').select(DELIVERY_COLUMNS);
  if (filter.app_id) query = query.where('app_id', '=', filter.app_id);
  if (filter.livemode !== undefined) query = query.where('livemode', '=', filter.livemode ? 1 : 0);
  if (filter.status) query = query.where('status', '=', filter.status as 'pending');
  if (filter.endpoint_id) query = query.where('endpoint_id', '=', filter.endpoint_id);
  if (page.starting_after) {
    const cursor = decodeCursor(page.starting_after, 'starting_after');
    query = query.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(cursor.created_at, cursor.id)));
  }
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
  const pageRows = rows.slice(0, limit);
  const last = pageRows[pageRows.length - 1];
  return { object: 'list', data: await withAttempts(db, pageRows), next_cursor: rows.length > limit && last ? encodeCursor(last) : null };
}

export interface EndpointView {
  id: string;
  app_id: string;
  livemode: boolean;
  url: string;
  description: string | null;
  events: string[];
  channel: string | null;
  format: string;
  require_success_body: boolean;
  enabled: boolean;
  created: number;
}

export async function listEndpoints(deps: EngineDeps, filter: { app_id?: string; livemode?: boolean } = {}): Promise<EndpointView[]> {
  let query = deps.database.db.selectFrom('webhook_endpoints')
    .select(['id', 'app_id', 'livemode', 'url', 'description', 'events', 'channel', 'format', 'require_success_body', 'enabled', 'created_at'])
    .where('deleted_at', 'is', null);
  if (filter.app_id) query = query.where('app_id', '=', filter.app_id);
  if (filter.livemode !== undefined) query = query.where('livemode', '=', filter.livemode ? 1 : 0);
  const rows = await query.orderBy('created_at', 'desc').execute();
  return rows.map((r) => ({
    id: r.id, app_id: r.app_id, livemode: r.livemode === 1, url: r.url, description: r.description, events: JSON.parse(r.events) as string[],
    channel: r.channel, format: r.format, require_success_body: r.require_success_body === 1, enabled: r.enabled === 1, created: Math.floor(r.created_at / 1000),
  }));
}

export interface WebhookHealth {
  /** Deliveries created in the window, by status. */
  readonly succeeded: number;
  readonly pending: number;
  readonly failed: number;
  /** Succeeded among the finished ones, 0..1, or null when none finished. */
  readonly success_rate: number | null;
  readonly endpoints: number;
}

export async function webhookHealth(deps: EngineDeps, filter: { livemode?: boolean; app_id?: string }, sinceMs: number): Promise<WebhookHealth> {
  const db = deps.database.db;
  let query = db.selectFrom('webhook_deliveries').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).where('created_at', '>=', sinceMs);
  if (filter.livemode !== undefined) query = query.where('livemode', '=', filter.livemode ? 1 : 0);
  if (filter.app_id) query = query.where('app_id', '=', filter.app_id);
  const rows = await query.groupBy('status').execute();
  const count = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
  const endpoints = await listEndpoints(deps, filter);
  const [succeeded, pending, failed] = [count('succeeded'), count('pending'), count('failed')];
  return { succeeded, pending, failed, success_rate: succeeded + failed > 0 ? succeeded / (succeeded + failed) : null, endpoints: endpoints.filter((e) => e.enabled).length };
}
