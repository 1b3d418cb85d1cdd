/** Reads of charges, events and logs for the API and the console. */
import type { ChargeObject, EventObject, ListObject, ListParams, Scope } from './api-types.js';
import type { EngineDeps } from './deps.js';
import { fail } from '../core/errors.js';
import { findScopedCharge, refundsOf } from './charge-repository.js';
import { toChargeObject } from './charge-object.js';
import { pageOfCharges, parsePage } from './pagination.js';
import type { Selectable } from 'kysely';
import type { EventsTable, ChargeLogsTable } from '../store/schema.js';

export async function retrieveCharge(deps: EngineDeps, scope: Scope, id: string): Promise<ChargeObject> {
  const row = await findScopedCharge(deps.database.db, scope, id);
  return toChargeObject(row, await refundsOf(deps.database.db, id));
}

export async function listCharges(deps: EngineDeps, scope: Scope, params: ListParams & { status?: string; channel?: string } = {}): Promise<ListObject<ChargeObject>> {
  const page = parsePage(params);
  const db = deps.database.db;
  let query = db.selectFrom('charges').selectAll().where('app_id', '=', scope.app_id).where('livemode', '=', scope.livemode ? 1 : 0);
  if (params.status) query = query.where('status', '=', params.status);
  if (params.channel) query = query.where('channel', '=', params.channel);
  const { rows, hasMore } = await pageOfCharges(query, page, (id) => db.selectFrom('charges').select(['created_at', 'id']).where('id', '=', id).where('app_id', '=', scope.app_id).executeTakeFirst());
  const data = await Promise.all(rows.map(async (row) => toChargeObject(row, await refundsOf(db, row.id))));
  return { object: 'list', url: '/v1/charges', has_more: hasMore, data };
}

export function toEventObject(row: Selectable<EventsTable>): EventObject {
  return { id: row.id, object: 'event', type: row.type, created: Math.floor(row.created_at / 1000), livemode: row.livemode === 1, app: row.app_id, data: { object: JSON.parse(row.data) as Record<string, unknown> } };
}

export async function retrieveEvent(deps: EngineDeps, scope: Scope, id: string): Promise<EventObject> {
  const row = await deps.database.db.selectFrom('events').selectAll().where('id', '=', id).where('app_id', '=', scope.app_id).where('livemode', '=', scope.livemode ? 1 : 0).executeTakeFirst();
  if (!row) fail('resource_not_found', { param: 'id', message: `No such event: ${id}` });
  return toEventObject(row);
}

export async function listEvents(deps: EngineDeps, scope: Scope, params: ListParams & { type?: string; charge?: string } = {}): Promise<ListObject<EventObject>> {
  const page = parsePage(params);
  const db = deps.database.db;
  let query = db.selectFrom('events').selectAll().where('app_id', '=', scope.app_id).where('livemode', '=', scope.livemode ? 1 : 0);
  if (params.type) query = query.where('type', '=', params.type);
  if (params.charge) query = query.where('charge_id', '=', params.charge);
  if (page.startingAfter) {
    const cursor = await db.selectFrom('events').select('seq').where('id', '=', page.startingAfter).executeTakeFirst();
    if (!cursor) fail('resource_not_found', { param: 'starting_after', message: `No such event: ${page.startingAfter}` });
    query = query.where('seq', '<', cursor.seq);
  }
  const rows = await query.orderBy('seq', 'desc').limit(page.limit + 1).execute();
  return { object: 'list', url: '/v1/events', has_more: rows.length > page.limit, data: rows.slice(0, page.limit).map(toEventObject) };
}

export interface LogEntry {
  seq: number;
  at: number;
  kind: Selectable<ChargeLogsTable>['kind'];
  message: string;
  data: unknown;
}

/** The full log of a charge, oldest first (secrets were masked when written). */
export async function chargeLog(deps: EngineDeps, chargeId: string): Promise<LogEntry[]> {
  const rows = await deps.database.db.selectFrom('charge_logs').selectAll().where('charge_id', '=', chargeId).orderBy('seq').execute();
  return rows.map((r) => ({ seq: r.seq, at: r.at, kind: r.kind, message: r.message, data: r.data ? JSON.parse(r.data) : null }));
}
