/**
 * The HTTP request of one attempt: the stored body, `Paygate-Event-Id` (stable across retries,
 * for de-duplication), and for endpoints `Paygate-Signature` over the exact body with the
 * endpoint's current (and, during a roll's overlap, previous) secret.
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../store/schema.js';
import type { EngineDeps } from '../engine/deps.js';
import type { WebhookRequest } from './http-sender.js';
import { signingSecrets } from './endpoints.js';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signatureHeader } from './signature.js';
import type { DeliveryRow } from './delivery-claims.js';

/** The signing secrets (opened) of the endpoints a batch of deliveries goes to, by endpoint id. */
export async function loadSigningSecrets(deps: EngineDeps, db: Kysely<Schema>, deliveries: readonly DeliveryRow[], now: number): Promise<Map<string, string[]>> {
  const ids = [...new Set(deliveries.map((d) => d.endpoint_id).filter((id): id is string => id !== null))];
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('webhook_endpoints').select(['id', 'secret', 'previous_secret', 'previous_secret_expires_at']).where('id', 'in', ids).execute();
  // Opened once per batch, not once per send.
  return new Map(rows.map((row) => [row.id, signingSecrets(deps, row, now)]));
}

/** The bodies of a batch of deliveries, by `payloadKey`. */
export async function loadPayloads(db: Kysely<Schema>, deliveries: readonly DeliveryRow[]): Promise<Map<string, string>> {
  if (deliveries.length === 0) return new Map();
  const eventIds = [...new Set(deliveries.map((d) => d.event_id))];
  const rows = await db.selectFrom('webhook_payloads').selectAll().where('event_id', 'in', eventIds).execute();
  return new Map(rows.map((row) => [payloadKey(row), row.body]));
}

export function payloadKey(row: { event_id: string; format: string }): string {
  return `${row.event_id}\u0000${row.format}`;
}

/** The request of one attempt. Endpoint deliveries are never sent unsigned. */
export function buildDeliveryRequest(delivery: DeliveryRow, body: string | undefined, secrets: readonly string[] | undefined, now: number): WebhookRequest {
  if (body === undefined) throw new Error(`the body of ${delivery.event_id} in the ${delivery.format} format is missing`);
  if (delivery.endpoint_id && !secrets?.length) throw new Error(`the signing secret of endpoint ${delivery.endpoint_id} is missing`);
  const headers: Record<string, string> = {
    [EVENT_ID_HEADER]: delivery.event_id,
    'Paygate-Event-Type': delivery.event_type,
    'Paygate-Delivery-Attempt': String(delivery.attempt_count),
  };
  if (secrets?.length) headers[SIGNATURE_HEADER] = signatureHeader(body, secrets, Math.floor(now / 1000));
  return { url: delivery.url, body, headers, livemode: delivery.livemode === 1 };
}
