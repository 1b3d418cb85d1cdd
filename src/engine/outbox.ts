/**
 * The transactional outbox: an event row written in the same transaction as the change it
 * records. The webhook dispatcher delivers from here; the event id is stable across retries.
 */
import { newId } from '../core/ids.js';
import type { EventObject } from './api-types.js';
import type { UnitOfWork } from './unit-of-work.js';

export interface NewEvent {
  readonly type: string;
  readonly app_id: string;
  readonly livemode: boolean;
  readonly object: Record<string, unknown>;
  readonly charge_id?: string | null;
  readonly channel_id?: string | null;
}

export async function recordEvent(uow: UnitOfWork, event: NewEvent): Promise<EventObject> {
  const id = newId('event');
  await uow.trx.insertInto('events').values({
    id,
    app_id: event.app_id,
    livemode: event.livemode ? 1 : 0,
    type: event.type,
    charge_id: event.charge_id ?? null,
    channel_id: event.channel_id ?? null,
    data: JSON.stringify(event.object),
    created_at: uow.now,
  }).execute();
  return { id, object: 'event', type: event.type, created: Math.floor(uow.now / 1000), livemode: event.livemode, app: event.app_id, data: { object: event.object } };
}
