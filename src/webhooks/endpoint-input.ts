/**
 * Validation of webhook endpoint parameters at the edge of the module. Values may arrive from a
 * JSON body, a form body (`events[]=…`, `"true"`) or the CLI, so booleans and lists are read
 * leniently but checked strictly; every message says what to send instead.
 */
import { fail } from '../core/errors.js';
import { checkWebhookUrl, destinationPolicy, isLoopbackName } from './destination-guard.js';
import { checkEventPattern, EVENT_TYPES, matchesEventType } from './event-types.js';
import { WEBHOOK_FORMATS, payloadFormat, type WebhookFormat } from './formats/index.js';

export interface EndpointInput {
  url?: unknown;
  events?: unknown;
  channel?: unknown;
  format?: unknown;
  require_success_body?: unknown;
  enabled?: unknown;
  description?: unknown;
}

export interface EndpointFields {
  url: string;
  events: string[];
  channel: string | null;
  format: WebhookFormat;
  require_success_body: boolean;
  enabled: boolean;
  description: string | null;
}

export function readBoolean(value: unknown, param: string): boolean {
  if (value === true || value === 'true' || value === '1' || value === 1) return true;
  if (value === false || value === 'false' || value === '0' || value === 0) return false;
  fail('parameter_invalid', { param, message: `${param} must be true or false.` });
}

function readEvents(value: unknown, format: WebhookFormat): string[] {
  const list = typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value;
  if (!Array.isArray(list) || list.length === 0 || list.some((item) => typeof item !== 'string')) {
    fail('parameter_invalid', { param: 'events', message: 'events must be a non-empty list of event types, e.g. ["charge.succeeded"], or ["*"] for all.' });
  }
  const patterns = [...new Set(list as string[])];
  for (const pattern of patterns) {
    const problem = checkEventPattern(pattern);
    if (problem) fail('parameter_invalid', { param: 'events', message: problem });
  }
  // A pattern the format has no message for at all would subscribe to silence: refuse it.
  const accepts = payloadFormat(format).accepts;
  const unsupported = patterns.filter((p) => p !== '*' && !EVENT_TYPES.some((type) => matchesEventType([p], type) && accepts(type)));
  if (unsupported.length) fail('parameter_invalid', { param: 'events', message: `The ${format} format has no message for ${unsupported.join(', ')}; subscribe to charge events only, or use the event format.` });
  return patterns;
}

function readFormat(value: unknown): WebhookFormat {
  if (value === undefined || value === null || value === '') return 'event';
  if (typeof value !== 'string' || !(WEBHOOK_FORMATS as readonly string[]).includes(value)) {
    fail('parameter_invalid', { param: 'format', message: `format must be one of ${WEBHOOK_FORMATS.join(', ')} (event: the event object; capi: seed 000 notify JSON; scrm: seed 001 message).` });
  }
  return value as WebhookFormat;
}

export function readUrl(value: unknown, livemode: boolean, env: Readonly<Record<string, string | undefined>>): string {
  if (typeof value !== 'string' || value.trim() === '') fail('parameter_missing', { param: 'url', message: 'url is required: where to POST events, e.g. https://shop.example.com/hooks.' });
  const url = value.trim();
  const policy = destinationPolicy(livemode, env);
  const problem = checkWebhookUrl(url, policy);
  if (problem) fail('parameter_invalid', { param: 'url', message: problem });
  // Caught here for a clear answer at once; at send time the DNS answer is what is checked.
  if (!policy.allowPrivate && isLoopbackName(new URL(url).hostname)) {
    fail('parameter_invalid', { param: 'url', message: `${new URL(url).hostname} is a loopback, private or link-local address; live-mode webhooks go to public addresses only (use a test-mode endpoint for local development, or set PAYGATE_ALLOW_PRIVATE_WEBHOOKS=1).` });
  }
  return url;
}

function readChannel(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || !/^[A-Za-z0-9_]{1,64}$/.test(value)) fail('parameter_invalid', { param: 'channel', message: 'channel must be a channel id (chn_…) or a channel type such as wechat or alipay.' });
  return value;
}

function readDescription(value: unknown): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string' || value.length > 200) fail('parameter_invalid', { param: 'description', message: 'description must be text of at most 200 characters.' });
  return value;
}

/** The fields of a new endpoint, with defaults (capi: `charge.succeeded` and `SUCCESS` required). */
export function readNewEndpoint(input: EndpointInput, livemode: boolean, env: Readonly<Record<string, string | undefined>>): EndpointFields {
  const format = readFormat(input.format);
  return {
    url: readUrl(input.url, livemode, env),
    format,
    events: input.events === undefined ? (format === 'capi' ? ['charge.succeeded'] : ['*']) : readEvents(input.events, format),
    channel: readChannel(input.channel),
    require_success_body: input.require_success_body === undefined ? format === 'capi' : readBoolean(input.require_success_body, 'require_success_body'),
    enabled: input.enabled === undefined ? true : readBoolean(input.enabled, 'enabled'),
    description: readDescription(input.description),
  };
}

/** The fields an update changes, checked against the endpoint's current ones. */
export function readEndpointUpdate(input: EndpointInput, current: EndpointFields, livemode: boolean, env: Readonly<Record<string, string | undefined>>): EndpointFields {
  const format = input.format === undefined ? current.format : readFormat(input.format);
  return {
    url: input.url === undefined ? current.url : readUrl(input.url, livemode, env),
    format,
    events: input.events === undefined ? readEvents(current.events, format) : readEvents(input.events, format),
    channel: input.channel === undefined ? current.channel : readChannel(input.channel),
    require_success_body: input.require_success_body === undefined ? current.require_success_body : readBoolean(input.require_success_body, 'require_success_body'),
    enabled: input.enabled === undefined ? current.enabled : readBoolean(input.enabled, 'enabled'),
    description: input.description === undefined ? current.description : readDescription(input.description),
  };
}
