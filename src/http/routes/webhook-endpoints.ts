/**
 * `/v1/webhook_endpoints`: the app's endpoints in the key's mode (secret key only). Create (the
 * signing secret is in that answer only), list, read, update (POST or PATCH), delete, roll the
 * secret with an overlap, and send a test event.
 */
import type { FastifyRequest } from 'fastify';
import type { RoutePlugin } from './index.js';
import { requireSecretKey, secretScope } from '../auth.js';
import { ERROR_RESPONSES, IdParams } from '../schemas/common.js';
import {
  RollSecretBody, TestSendBody, WebhookEndpoint, WebhookEndpointCreateBody, WebhookEndpointDeleted, WebhookEndpointList,
  WebhookEndpointUpdateBody, WebhookTestResult,
} from './webhook-schemas.js';
import { createEndpoint, deleteEndpoint, listEndpoints, retrieveEndpoint, rollEndpointSecret, updateEndpoint } from '../../webhooks/endpoints.js';
import { testSendEndpoint } from '../../webhooks/test-send.js';

const tags = ['webhooks'];

export const webhookEndpointRoutes: RoutePlugin = async (app, { paygate }) => {
  const secret = requireSecretKey(paygate);
  const deps = paygate.deps;

  // Answers holding a signing secret are not kept by the idempotency store.
  app.post<{ Body: WebhookEndpointCreateBody }>('/v1/webhook_endpoints', {
    onRequest: secret,
    config: { idempotency: false },
    schema: { tags, summary: 'Create a webhook endpoint (the answer holds its signing secret, once)', body: WebhookEndpointCreateBody, response: { 200: WebhookEndpoint, ...ERROR_RESPONSES } },
  }, async (request) => createEndpoint(deps, secretScope(request), request.body));

  app.get('/v1/webhook_endpoints', {
    onRequest: secret,
    schema: { tags, summary: 'List webhook endpoints', response: { 200: WebhookEndpointList, ...ERROR_RESPONSES } },
  }, async (request) => listEndpoints(deps, secretScope(request)));

  app.get<{ Params: IdParams }>('/v1/webhook_endpoints/:id', {
    onRequest: secret,
    schema: { tags, summary: 'Retrieve a webhook endpoint', params: IdParams, response: { 200: WebhookEndpoint, ...ERROR_RESPONSES } },
  }, async (request) => retrieveEndpoint(deps, secretScope(request), request.params.id));

  const update = async (request: FastifyRequest<{ Params: IdParams; Body: WebhookEndpointUpdateBody }>) =>
    updateEndpoint(deps, secretScope(request), request.params.id, request.body);
  const updateSchema = { tags, summary: 'Update a webhook endpoint (only the fields given)', params: IdParams, body: WebhookEndpointUpdateBody, response: { 200: WebhookEndpoint, ...ERROR_RESPONSES } };
  app.post<{ Params: IdParams; Body: WebhookEndpointUpdateBody }>('/v1/webhook_endpoints/:id', { onRequest: secret, schema: updateSchema }, update);
  app.patch<{ Params: IdParams; Body: WebhookEndpointUpdateBody }>('/v1/webhook_endpoints/:id', { onRequest: secret, schema: updateSchema }, update);

  app.delete<{ Params: IdParams }>('/v1/webhook_endpoints/:id', {
    onRequest: secret,
    schema: { tags, summary: 'Delete a webhook endpoint (its pending deliveries fail)', params: IdParams, response: { 200: WebhookEndpointDeleted, ...ERROR_RESPONSES } },
  }, async (request) => deleteEndpoint(deps, secretScope(request), request.params.id));

  app.post<{ Params: IdParams; Body: RollSecretBody }>('/v1/webhook_endpoints/:id/roll_secret', {
    onRequest: secret,
    config: { idempotency: false },
    schema: { tags, summary: 'Roll the signing secret; the old one is still sent beside it for expires_in seconds', params: IdParams, body: RollSecretBody, response: { 200: WebhookEndpoint, ...ERROR_RESPONSES } },
  }, async (request) => rollEndpointSecret(deps, secretScope(request), request.params.id, request.body));

  app.post<{ Params: IdParams; Body: TestSendBody }>('/v1/webhook_endpoints/:id/test', {
    onRequest: secret,
    schema: { tags, summary: 'Send a sample event now and show the answer (nothing is stored)', params: IdParams, body: TestSendBody, response: { 200: WebhookTestResult, ...ERROR_RESPONSES } },
  }, async (request) => testSendEndpoint(deps, secretScope(request), request.params.id, request.body));
};
