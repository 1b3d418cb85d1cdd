/** Schemas of webhook endpoints, deliveries and attempts (`/v1/webhook_endpoints`, `/v1/events/:id/…`). */
import { Type, type Static } from '@sinclair/typebox';
import { ListOf, Nullable, StringEnum, UnixTime } from '../schemas/common.js';
import { WEBHOOK_FORMATS } from '../../webhooks/formats/index.js';
import { EVENT_TYPES } from '../../webhooks/event-types.js';

const Format = StringEnum(WEBHOOK_FORMATS, 'event: the event object (default); capi: seed 000 notify JSON; scrm: seed 001 message.');
const Events = Type.Array(Type.String({ maxLength: 64 }), {
  minItems: 1, maxItems: 32,
  description: `Event types to receive: ${EVENT_TYPES.join(', ')}; a family like charge.*; or * for all. Default ["*"] (capi: ["charge.succeeded"]).`,
});
const Flag = (description: string) => Type.Boolean({ description });

export const WebhookEndpoint = Type.Object({
  id: Type.String({ description: 'we_…' }),
  object: Type.Literal('webhook_endpoint'),
  app: Type.String(),
  livemode: Type.Boolean(),
  url: Type.String(),
  events: Type.Array(Type.String()),
  channel: Nullable(Type.String({ description: 'Only events of this channel (id or type).' })),
  format: Format,
  require_success_body: Flag('The answer must be the body SUCCESS (besides a 2xx status).'),
  enabled: Type.Boolean(),
  description: Nullable(Type.String()),
  secret_hint: Type.String({ description: 'whsec_…abcd: which secret is current.' }),
  previous_secret_expires: Nullable(UnixTime('While a rolled secret is still sent beside the new one: until when.')),
  created: UnixTime(),
  updated: UnixTime(),
  secret: Type.Optional(Type.String({ description: 'The signing secret (whsec_…): only in the answers that create or roll it. Keep it.' })),
}, { description: 'Where the app receives events.' });

export const WebhookEndpointList = ListOf(WebhookEndpoint, 'The app\'s webhook endpoints in the key\'s mode, newest first.');

export const WebhookEndpointCreateBody = Type.Object({
  url: Type.String({ maxLength: 2048, description: 'http(s) URL that receives POSTs. Live mode refuses private addresses.' }),
  events: Type.Optional(Events),
  channel: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  format: Type.Optional(Format),
  require_success_body: Type.Optional(Flag('Require the body SUCCESS (default false; true for capi).')),
  enabled: Type.Optional(Type.Boolean()),
  description: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
}, { additionalProperties: false });
export type WebhookEndpointCreateBody = Static<typeof WebhookEndpointCreateBody>;

export const WebhookEndpointUpdateBody = Type.Partial(WebhookEndpointCreateBody, { additionalProperties: false });
export type WebhookEndpointUpdateBody = Static<typeof WebhookEndpointUpdateBody>;

export const RollSecretBody = Type.Object({
  expires_in: Type.Optional(Type.Integer({ minimum: 0, maximum: 604800, description: 'Seconds the old secret keeps being sent beside the new one (default 86400; 0: drop it now).' })),
}, { additionalProperties: false });
export type RollSecretBody = Static<typeof RollSecretBody>;

export const TestSendBody = Type.Object({
  type: Type.Optional(Type.String({ maxLength: 64, description: 'The event type of the sample (default: the first the endpoint subscribes to, or charge.succeeded).' })),
}, { additionalProperties: false });
export type TestSendBody = Static<typeof TestSendBody>;

export const WebhookTestResult = Type.Object({
  object: Type.Literal('webhook_test'),
  succeeded: Type.Boolean(),
  http_status: Nullable(Type.Integer()),
  duration_ms: Type.Integer(),
  response_excerpt: Nullable(Type.String()),
  error: Nullable(Type.String({ description: 'Why it did not count as received.' })),
  event: Type.Object({ id: Type.String(), type: Type.String() }),
}, { description: 'What a sample event sent right now got back (nothing is stored).' });

export const WebhookEndpointDeleted = Type.Object({ id: Type.String(), object: Type.Literal('webhook_endpoint'), deleted: Type.Literal(true) });

export const WebhookAttempt = Type.Object({
  attempt: Type.Integer(),
  started: UnixTime(),
  duration_ms: Type.Integer(),
  http_status: Nullable(Type.Integer()),
  succeeded: Type.Boolean(),
  response_excerpt: Nullable(Type.String()),
  error: Nullable(Type.String()),
  dispatcher: Type.String(),
});

export const WebhookDelivery = Type.Object({
  id: Type.String({ description: 'dlv_…' }),
  object: Type.Literal('webhook_delivery'),
  event: Type.String(),
  event_type: Type.String(),
  webhook_endpoint: Nullable(Type.String()),
  target: StringEnum(['webhook_endpoint', 'notify_url'] as const),
  url: Type.String(),
  format: Type.String(),
  status: StringEnum(['pending', 'succeeded', 'failed'] as const),
  attempts_count: Type.Integer(),
  next_attempt: Nullable(UnixTime('When the next send is due, while pending.')),
  last_http_status: Nullable(Type.Integer()),
  last_error: Nullable(Type.String()),
  created: UnixTime(),
  completed: Nullable(UnixTime()),
  attempts: Type.Array(WebhookAttempt),
}, { description: 'One event to one destination, with every attempt.' });

export const WebhookDeliveryList = ListOf(WebhookDelivery, 'Deliveries of the event.');

export const ResendBody = Type.Object({
  webhook_endpoint: Type.Optional(Type.String({ maxLength: 64, description: 'Only to this endpoint (default: every destination).' })),
}, { additionalProperties: false });
export type ResendBody = Static<typeof ResendBody>;
