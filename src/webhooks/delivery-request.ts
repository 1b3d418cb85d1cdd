/**
 * The HTTP request of one attempt: the stored body, `Paygate-Event-Id` (stable across retries,
 * for de-duplication), and for endpoints `Paygate-Signature` over the exact body with the
 * endpoint's current (and, during a roll's overlap, previous) secret.
 */
import type { WebhookRequest } from './http-sender.js';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signatureHeader } from './signature.js';
import type { ClaimedDelivery } from './delivery-claims.js';

/** The request of one attempt. Endpoint deliveries are never sent unsigned. */
export function buildDeliveryRequest(delivery: ClaimedDelivery, body: string | undefined, secrets: readonly string[] | undefined, now: number): WebhookRequest {
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
