/**
 * Semantic validation of a charge request. The HTTP layer checks shapes; this checks meaning,
 * so library users get the same guarantees. Every error names its parameter.
 */
import { assertAmount, normalizeCurrency } from '../core/money.js';
import { fail } from '../core/errors.js';
import type { ChargeCreateInput } from './api-types.js';

export interface ValidChargeInput {
  readonly order_no: string;
  readonly channel: string;
  readonly amount: number;
  readonly currency: string;
  readonly client_ip: string;
  readonly subject: string;
  readonly body: string;
  readonly description: string | null;
  readonly extra: Record<string, unknown>;
  readonly metadata: Record<string, unknown>;
  readonly time_expire_ms: number;
  readonly type: string;
  readonly notify_url: string | null;
  readonly return_url: string | null;
  readonly channel_id: string | undefined;
}

const MAX_EXPIRY_SECONDS = 15 * 24 * 3600;

function text(value: unknown, param: string, max: number, required = true): string {
  if (value === undefined || value === null || value === '') {
    if (required) fail('parameter_missing', { param, message: `${param} is required.` });
    return '';
  }
  if (typeof value !== 'string') fail('parameter_invalid', { param, message: `${param} must be a string.` });
  if (value.length > max) fail('parameter_invalid', { param, message: `${param} must be at most ${max} characters.` });
  return value;
}

function object(value: unknown, param: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) fail('parameter_invalid', { param, message: `${param} must be an object.` });
  if (JSON.stringify(value).length > 8_000) fail('parameter_invalid', { param, message: `${param} is too large (8 KB at most).` });
  return value as Record<string, unknown>;
}

function url(value: unknown, param: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  const raw = text(value, param, 1_000);
  try {
    const parsed = new URL(raw);
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('scheme');
  } catch {
    fail('parameter_invalid', { param, message: `${param} must be an http(s) URL.` });
  }
  return raw;
}

export function validateChargeInput(input: ChargeCreateInput, nowMs: number, defaultExpirySeconds: number): ValidChargeInput {
  if (!input || typeof input !== 'object') fail('body_invalid');
  const orderNo = text(input.order_no, 'order_no', 64);
  if (!/^[0-9A-Za-z_\-|*.:]+$/.test(orderNo)) fail('parameter_invalid', { param: 'order_no', message: 'order_no may hold letters, digits and _ - | * . : only.' });
  const clientIp = text(input.client_ip, 'client_ip', 64);
  if (!/^[0-9a-fA-F:.]+$/.test(clientIp)) fail('parameter_invalid', { param: 'client_ip', message: 'client_ip must be an IPv4 or IPv6 address.' });
  let expireMs = nowMs + defaultExpirySeconds * 1000;
  if (input.time_expire !== undefined && input.time_expire !== null) {
    const t = input.time_expire;
    if (typeof t !== 'number' || !Number.isSafeInteger(t) || t * 1000 <= nowMs + 60_000 || t * 1000 > nowMs + MAX_EXPIRY_SECONDS * 1000) {
      fail('time_expire_invalid', { param: 'time_expire', message: 'time_expire must be a unix time in seconds, more than a minute and at most 15 days ahead.' });
    }
    expireMs = t * 1000;
  }
  const channelId = input.channel_id === undefined ? undefined : text(input.channel_id, 'channel_id', 64);
  return {
    order_no: orderNo,
    channel: text(input.channel, 'channel', 32),
    amount: assertAmount(input.amount, 'amount'),
    currency: normalizeCurrency(input.currency),
    client_ip: clientIp,
    subject: text(input.subject, 'subject', 128),
    body: text(input.body, 'body', 512),
    description: text(input.description, 'description', 255, false) || null,
    extra: object(input.extra, 'extra'),
    metadata: object(input.metadata, 'metadata'),
    time_expire_ms: expireMs,
    type: input.type === undefined ? 'order' : text(input.type, 'type', 32),
    notify_url: url(input.notify_url, 'notify_url'),
    return_url: url(input.return_url, 'return_url'),
    channel_id: channelId,
  };
}
