/**
 * Reading a charge for the seed formats: channel facts from its `extension` (WeChat writes
 * camelCase names, Alipay its own snake_case ones; both are read), the charge as it was at the
 * event (the event's snapshot), and seed-style times.
 */
import type { Selectable } from 'kysely';
import type { ChargesTable, EventsTable } from '../../store/schema.js';
import { parseJsonObject } from '../../engine/charge-object.js';

/** The charge object saved in a charge event, with the fields the formats read. */
export interface ChargeSnapshot {
  readonly id: string;
  readonly status: string;
  readonly paid: boolean;
  readonly amount: number;
  readonly amount_refunded?: number;
  readonly subject: string;
  readonly body: string;
  readonly order_no: string;
  readonly channel: string;
  readonly client_ip: string;
  readonly transaction_no: string | null;
  readonly time_paid: number | null;
  readonly time_expire: number;
  readonly created: number;
  readonly failure_code: string | null;
  readonly failure_msg: string | null;
  readonly metadata: Record<string, unknown>;
}

/** The charge snapshot of a `charge.*` event. */
export function chargeSnapshot(event: Selectable<EventsTable>): ChargeSnapshot {
  return JSON.parse(event.data) as ChargeSnapshot;
}

/** The charge's channel facts (`extension`), as an object. */
export function extensionOf(charge: Selectable<ChargesTable> | undefined): Record<string, unknown> {
  return charge ? parseJsonObject(charge.extension) : {};
}

/** The first of `names` that the facts hold as a non-empty string or number, as text. */
export function fact(facts: Record<string, unknown>, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = facts[name];
    if ((typeof value === 'string' && value !== '') || typeof value === 'number') return String(value);
  }
  return undefined;
}

/**
 * Times in the seed formats: ISO 8601 in UTC (`2017-10-14T02:51:35.000Z`), exactly as the
 * `/capi/api/v1/charge` routes show the same charge, so a receiver comparing the notify with
 * the charge it fetches sees the same strings. (The seed printed naive local times; a zone-less
 * time cannot be read safely across servers.)
 */
export function isoTime(unixSeconds: number | null | undefined): string | null {
  if (unixSeconds === null || unixSeconds === undefined) return null;
  return new Date(unixSeconds * 1000).toISOString();
}
