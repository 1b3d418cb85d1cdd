/**
 * The transactional outbox: event rows written in the same transaction as the change they
 * record. The webhook dispatcher delivers from here; an event id is stable across retries.
 */
import { newId } from '../core/ids.js';
import type { EventObject } from './api-types.js';
import type { UnitOfWork } from './unit-of-work.js';
import type { Flag } from '../store/schema.js';
import type { EventRow } from '../store/charge-writes.js';

export interface NewEvent {
  readonly type: string;
  readonly app_id: string;
  readonly livemode: boolean;
  readonly object: Record<string, unknown>;
  readonly charge_id?: string | null;
  readonly channel_id?: string | null;
}

/** The stored rows of events, each with a new id; their `seq` will follow the array. */
export function toEventRows(now: number, events: readonly NewEvent[]): EventRow[] {
  return events.map((event) => ({
    id: newId('event'),
    app_id: event.app_id,
    livemode: (event.livemode ? 1 : 0) as Flag,
    type: event.type,
    charge_id: event.charge_id ?? null,
    channel_id: event.channel_id ?? null,
    data: JSON.stringify(event.object),
    created_at: now,
  }));
}

/** Writes events in one statement, in order (their `seq` follows the array). */
export async function recordEvents(uow: UnitOfWork, events: readonly NewEvent[]): Promise<EventObject[]> {
  if (events.length === 0) return [];
  const rows = toEventRows(uow.now, events);
  await uow.trx.insertInto('events').values(rows).execute();
  return rows.map((row, i) => ({
    id: row.id, object: 'event', type: row.type, created: Math.floor(uow.now / 1000), livemode: events[i]!.livemode, app: row.app_id, data: { object: events[i]!.object },
  }));
}

export async function recordEvent(uow: UnitOfWork, event: NewEvent): Promise<EventObject> {
  const [recorded] = await recordEvents(uow, [event]);
  return recorded!;
}
