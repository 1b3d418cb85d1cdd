/**
 * Webhook side of `/v1/events/:id`: its deliveries with every attempt, and `resend` (every
 * destination, or one endpoint, starts a new round of the retry schedule now).
 */
import type { RoutePlugin } from './index.js';
import { requireSecretKey, secretScope } from '../auth.js';
import { ERROR_RESPONSES, IdParams } from '../schemas/common.js';
import { ResendBody, WebhookDeliveryList } from './webhook-schemas.js';
import { listEventDeliveries, resendEvent } from '../../webhooks/deliveries.js';

const tags = ['webhooks'];

export const webhookEventRoutes: RoutePlugin = async (app, { paygate }) => {
  const secret = requireSecretKey(paygate);
  const deps = paygate.deps;

  app.get<{ Params: IdParams }>('/v1/events/:id/deliveries', {
    onRequest: secret,
    schema: { tags, summary: 'The deliveries of an event, with every attempt', params: IdParams, response: { 200: WebhookDeliveryList, ...ERROR_RESPONSES } },
  }, async (request) => ({
    object: 'list' as const, url: `/v1/events/${request.params.id}/deliveries`, has_more: false,
    data: await listEventDeliveries(deps, secretScope(request), request.params.id),
  }));

  app.post<{ Params: IdParams; Body: ResendBody }>('/v1/events/:id/resend', {
    onRequest: secret,
    schema: { tags, summary: 'Send an event again (a new round of the retry schedule, starting now)', params: IdParams, body: ResendBody, response: { 200: WebhookDeliveryList, ...ERROR_RESPONSES } },
  }, async (request) => ({
    object: 'list' as const, url: `/v1/events/${request.params.id}/deliveries`, has_more: false,
    data: await resendEvent(deps, secretScope(request), request.params.id, request.body),
  }));
};
