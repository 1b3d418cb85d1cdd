/**
 * Webhooks in the console: endpoints (create, edit, roll the secret, delete) through the webhook
 * module, and deliveries with every attempt. Secrets appear only in the answers that create or
 * roll them, as in the API.
 */
import type { FastifyInstance } from 'fastify';
import { fail } from '../../core/errors.js';
import type { AdminConsole } from '../../engine/admin/admin-console.js';
import type { Scope } from '../../engine/api-types.js';
import { createEndpoint, deleteEndpoint, rollEndpointSecret, updateEndpoint } from '../../webhooks/endpoints.js';
import { resendEvent } from '../../webhooks/deliveries.js';
import { testSendEndpoint } from '../../webhooks/test-send.js';
import { EVENT_TYPES } from '../../webhooks/event-types.js';
import { WEBHOOK_FORMATS } from '../../webhooks/formats/index.js';
import { bodyOf, optionalInt, optionalMode, optionalText, queryOf } from './query-params.js';

export function webhookRoutes(app: FastifyInstance, admin: AdminConsole): void {
  const deps = admin.paygate.deps;

  async function endpointScope(id: string): Promise<Scope> {
    const row = await deps.database.db.selectFrom('webhook_endpoints').select(['app_id', 'livemode']).where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
    if (!row) fail('resource_not_found', { param: 'id', message: `No such webhook endpoint: ${id}` });
    return { app_id: row.app_id, livemode: row.livemode === 1 };
  }

  app.get('/webhooks/endpoints', async (request) => {
    const query = queryOf(request.query);
    return {
      object: 'list', event_types: EVENT_TYPES, formats: WEBHOOK_FORMATS,
      data: await admin.webhooks.endpoints({ app_id: optionalText(query, 'app_id', 64), livemode: optionalMode(query, undefined) }),
    };
  });

  app.post('/webhooks/endpoints', async (request) => {
    const { app_id: appId, livemode, ...input } = bodyOf(request.body);
    if (typeof appId !== 'string') fail('parameter_missing', { param: 'app_id', message: 'app_id is required: the app the endpoint belongs to.' });
    if (typeof livemode !== 'boolean') fail('parameter_missing', { param: 'livemode', message: 'livemode (true or false) is required.' });
    await admin.paygate.apps.retrieve(appId);
    return createEndpoint(deps, { app_id: appId, livemode }, input);
  });

  app.patch<{ Params: { id: string } }>('/webhooks/endpoints/:id', async (request) =>
    updateEndpoint(deps, await endpointScope(request.params.id), request.params.id, bodyOf(request.body)));

  app.delete<{ Params: { id: string } }>('/webhooks/endpoints/:id', async (request) =>
    deleteEndpoint(deps, await endpointScope(request.params.id), request.params.id));

  app.post<{ Params: { id: string } }>('/webhooks/endpoints/:id/roll', async (request) =>
    rollEndpointSecret(deps, await endpointScope(request.params.id), request.params.id, bodyOf(request.body)));

  app.post<{ Params: { id: string } }>('/webhooks/endpoints/:id/test', async (request) =>
    testSendEndpoint(deps, await endpointScope(request.params.id), request.params.id, bodyOf(request.body)));

  app.post<{ Params: { id: string } }>('/events/:id/resend', async (request) => {
    const event = await deps.database.db.selectFrom('events').select(['app_id', 'livemode']).where('id', '=', request.params.id).executeTakeFirst();
    if (!event) fail('resource_not_found', { param: 'id', message: `No such event: ${request.params.id}` });
    const body = bodyOf(request.body);
    const endpoint = typeof body.webhook_endpoint === 'string' ? body.webhook_endpoint : undefined;
    return { object: 'list', data: await resendEvent(deps, { app_id: event.app_id, livemode: event.livemode === 1 }, request.params.id, { webhook_endpoint: endpoint }) };
  });

  app.get('/webhooks/deliveries', async (request) => {
    const query = queryOf(request.query);
    return admin.webhooks.deliveries(
      { app_id: optionalText(query, 'app_id', 64), livemode: optionalMode(query, undefined), status: optionalText(query, 'status', 20), endpoint_id: optionalText(query, 'endpoint_id', 64) },
      { limit: optionalInt(query, 'limit', 1, 100), starting_after: optionalText(query, 'starting_after') },
    );
  });
}
