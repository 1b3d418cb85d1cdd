/**
 * Webhook signing (PRODUCT.md §4): `Paygate-Signature: t=<unix>,v1=<hex>` where the hex is
 * HMAC-SHA256 under the endpoint's secret of `"<t>.<raw body>"`. While a rolled secret is still
 * in its overlap, one `v1=` is sent per secret, so receivers holding either one verify.
 * Receivers verify with `packages/node` (`webhooks.verify`), which is written separately on
 * purpose: a test signs here and verifies there.
 */
import { createHmac } from 'node:crypto';
import { randomBase62 } from '../core/ids.js';

export const SIGNATURE_HEADER = 'Paygate-Signature';
export const EVENT_ID_HEADER = 'Paygate-Event-Id';

/** A new endpoint secret: `whsec_` and 40 base62 characters (~238 bits). */
export function newWebhookSecret(): string {
  return `whsec_${randomBase62(40)}`;
}

/** The hex HMAC-SHA256 of `"<t>.<body>"` under `secret`. */
export function computeSignature(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/** The header value signing `body` at `timestamp` (unix seconds) with each of `secrets`. */
export function signatureHeader(body: string, secrets: readonly string[], timestamp: number): string {
  if (secrets.length === 0) throw new Error('signatureHeader needs at least one secret');
  return [`t=${timestamp}`, ...secrets.map((secret) => `v1=${computeSignature(secret, timestamp, body)}`)].join(',');
}

/** `whsec_…wxyz`: enough to tell secrets apart on a screen, useless to an attacker. */
export function secretHint(secret: string): string {
  return `${secret.slice(0, 6)}…${secret.slice(-4)}`;
}
