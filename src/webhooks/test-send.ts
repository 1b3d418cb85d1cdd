/**
 * "Send a test event" for an endpoint: a sample event of a type the endpoint subscribes to, in
 * the endpoint's format, signed with its secrets, sent now; the answer is judged as a real
 * delivery would be and returned. Nothing is stored: the sample is not an event of the app.
 */
import type { Selectable } from 'kysely';
import type { ChargesTable, EventsTable } from '../store/schema.js';
import type { EngineDeps } from '../engine/deps.js';
import type { Scope } from '../engine/api-types.js';
import { fail } from '../core/errors.js';
import { randomBase62 } from '../core/ids.js';
import { toChargeObject } from '../engine/charge-object.js';
import { findEndpointRow, signingSecrets } from './endpoints.js';
import { EVENT_TYPES, matchesEventType } from './event-types.js';
import { payloadFormat } from './formats/index.js';
import { createWebhookSender } from './http-sender.js';
import { judgeResponse } from './judge-response.js';
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signatureHeader } from './signature.js';

export interface WebhookTestResult {
  object: 'webhook_test';
  succeeded: boolean;
  http_status: number | null;
  duration_ms: number;
  response_excerpt: string | null;
  error: string | null;
  event: { id: string; type: string };
}

function sampleCharge(scope: Scope, channelId: string, now: number, paid: boolean): Selectable<ChargesTable> {
  const id = `ch_test_${randomBase62(16)}`;
  return {
    id, app_id: scope.app_id, channel_id: channelId, paying_channel_id: channelId, livemode: scope.livemode ? 1 : 0,
    order_no: `test-${now}`, channel: 'test', type: 'order', amount: 100, currency: 'cny', amount_refunded: 0, fee: 0, amount_settle: 100,
    status: paid ? 'succeeded' : 'pending', escrow: 0, client_ip: '127.0.0.1', subject: 'paygate test event', body: 'A sample charge sent by "test endpoint"',
    description: null, extra: '{}', metadata: '{"paygate_test":true}', credential: null, extension: '{}', transaction_no: paid ? `T${now}` : null,
    failure_code: null, failure_msg: null, closed_reason: null, shipment: null, notify_url: null, return_url: null, client_secret: `${id}_secret_x`,
    time_expire: now + 3_600_000, time_paid: paid ? now : null, time_shipped: null, time_succeeded: paid ? now : null, time_closed: null,
    created_at: now - 1000, updated_at: now,
  };
}

export async function testSendEndpoint(deps: EngineDeps, scope: Scope, endpointId: string, input: { type?: unknown } = {}, options: { env?: Readonly<Record<string, string | undefined>>; timeoutMs?: number } = {}): Promise<WebhookTestResult> {
  const endpoint = await findEndpointRow(deps, scope, endpointId);
  const format = payloadFormat(endpoint.format);
  const patterns = JSON.parse(endpoint.events) as string[];
  const subscribed = EVENT_TYPES.filter((t) => matchesEventType(patterns, t) && format.accepts(t));
  const type = typeof input.type === 'string' && input.type ? input.type : subscribed.includes('charge.succeeded') ? 'charge.succeeded' : subscribed[0] ?? 'charge.succeeded';
  if (!(EVENT_TYPES as readonly string[]).includes(type) || !format.accepts(type)) {
    fail('parameter_invalid', { param: 'type', message: `The ${endpoint.format} format has no sample for "${type}"; use one of ${EVENT_TYPES.filter((t) => format.accepts(t)).join(', ')}.` });
  }
  const now = deps.clock.now();
  const charge = sampleCharge(scope, endpoint.channel?.startsWith('chn_') ? endpoint.channel : 'chn_test_sample', now, type !== 'charge.pending' && type !== 'charge.created');
  const event: Selectable<EventsTable> = {
    seq: 0, id: `evt_test_${randomBase62(20)}`, app_id: scope.app_id, livemode: scope.livemode ? 1 : 0, type,
    charge_id: charge.id, channel_id: charge.channel_id, created_at: now,
    data: JSON.stringify(type === 'channel.enabled' ? { id: charge.channel_id, object: 'channel', enabled: true } : toChargeObject(charge)),
  };
  const body = format.render({ event, charge }) ?? '{}';
  const sender = createWebhookSender({ env: options.env, timeoutMs: options.timeoutMs });
  try {
    const response = await sender.send({
      url: endpoint.url, body, livemode: scope.livemode,
      headers: { [EVENT_ID_HEADER]: event.id, 'Paygate-Event-Type': type, 'Paygate-Test': 'true', [SIGNATURE_HEADER]: signatureHeader(body, signingSecrets(deps, endpoint, now), Math.floor(now / 1000)) },
    });
    const verdict = judgeResponse(response, endpoint.require_success_body === 1);
    return {
      object: 'webhook_test', succeeded: verdict.succeeded, http_status: response.status, duration_ms: response.durationMs,
      response_excerpt: verdict.excerpt, error: verdict.error, event: { id: event.id, type },
    };
  } finally {
    sender.close();
  }
}
