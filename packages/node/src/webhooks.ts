/**
 * Verifying paygate webhooks: `Paygate-Signature: t=<unix>,v1=<hex>[,v1=<hex>]`, where each hex is
 * HMAC-SHA256 under an endpoint secret (`whsec_…`) of `"<t>.<raw body>"`. Verification needs
 * the body exactly as it arrived — re-serialised JSON differs in spacing or key order and will
 * not match. Comparison is constant-time; the timestamp must be within `tolerance` seconds.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookSignatureError } from './errors.js';

export const SIGNATURE_HEADER = 'paygate-signature';
export const EVENT_ID_HEADER = 'paygate-event-id';

export interface VerifyOptions {
  /** Largest accepted age (and clock skew) of the signature, seconds; default 300. 0 disables the check. */
  readonly tolerance?: number;
  /** The current time in unix seconds (tests). */
  readonly now?: number;
}

function sign(secret: string, timestamp: string, body: Buffer): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
}

function parseHeader(header: string): { timestamp: string; signatures: Buffer[] } {
  let timestamp: string | undefined;
  const signatures: Buffer[] = [];
  for (const part of header.split(',')) {
    const index = part.indexOf('=');
    const key = part.slice(0, index).trim();
    const value = part.slice(index + 1).trim();
    if (key === 't') timestamp = value;
    else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) signatures.push(Buffer.from(value, 'hex'));
  }
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || signatures.length === 0) {
    throw new WebhookSignatureError('header_malformed', `The Paygate-Signature header is malformed ("${header.slice(0, 80)}"): expected "t=<unix seconds>,v1=<64 hex characters>". Pass the header exactly as received.`);
  }
  return { timestamp, signatures };
}

/**
 * Checks a webhook and returns its parsed JSON body. Throws `WebhookSignatureError` with a message
 * that says what to fix.
 *
 * @param rawBody the request body exactly as received (string or Buffer), not a parsed object
 * @param header the `Paygate-Signature` header value
 * @param secret the endpoint's signing secret (`whsec_…`), or several while rolling secrets
 */
export function verify<T = unknown>(rawBody: string | Buffer | Uint8Array, header: string | string[] | undefined | null, secret: string | readonly string[], options: VerifyOptions = {}): T {
  if (typeof rawBody !== 'string' && !(rawBody instanceof Uint8Array)) {
    throw new WebhookSignatureError('raw_body_required', 'webhooks.verify needs the raw request body (a string or Buffer exactly as received), but got a parsed object. Pass the raw body: e.g. express.raw({ type: "application/json" }), or Fastify\'s request.rawBody / a "parseAs: \'buffer\'" content-type parser.');
  }
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new WebhookSignatureError('header_missing', 'There is no Paygate-Signature header. Pass req.headers["paygate-signature"]; if it is absent, the request did not come from a paygate webhook endpoint (a charge\'s notify_url is not signed).');
  }
  const secrets = (typeof secret === 'string' ? [secret] : [...secret]).filter((s) => typeof s === 'string' && s !== '');
  if (secrets.length === 0 || secrets.some((s) => !s.startsWith('whsec_'))) {
    throw new WebhookSignatureError('secret_invalid', 'The secret must be the endpoint\'s signing secret, which starts with "whsec_" (returned once when the endpoint was created or its secret rolled) — not an API key.');
  }
  const { timestamp, signatures } = parseHeader(value);
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : Buffer.from(rawBody);

  let matched = false;
  for (const candidate of secrets) {
    const expected = sign(candidate, timestamp, body);
    // Every comparison runs, so the time taken does not reveal which one matched.
    for (const signature of signatures) if (signature.length === expected.length && timingSafeEqual(signature, expected)) matched = true;
  }
  if (!matched) {
    throw new WebhookSignatureError('no_matching_signature', 'No signature in the Paygate-Signature header matches. Check that you pass the raw body exactly as received (not JSON.stringify of a parsed body) and the signing secret of this endpoint (after a roll, the new one).');
  }
  const tolerance = options.tolerance ?? 300;
  const now = options.now ?? Math.floor(Date.now() / 1000);
  const age = now - Number(timestamp);
  if (tolerance > 0 && Math.abs(age) > tolerance) {
    throw new WebhookSignatureError('timestamp_outside_tolerance', `The signature was made ${Math.abs(age)} s ${age >= 0 ? 'ago' : 'in the future'}, more than the tolerance of ${tolerance} s: a replayed request, or a clock that is off (check NTP on this server).`);
  }
  try {
    return JSON.parse(body.toString('utf8')) as T;
  } catch {
    throw new WebhookSignatureError('payload_not_json', 'The signature is valid but the body is not JSON.');
  }
}

/** A header for `payload` signed with `secret`, to test a receiver without paygate. */
export function generateTestHeader(payload: string, secret: string, timestamp: number = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${sign(secret, String(timestamp), Buffer.from(payload, 'utf8')).toString('hex')}`;
}

export const webhooks = { verify, generateTestHeader, SIGNATURE_HEADER, EVENT_ID_HEADER };
