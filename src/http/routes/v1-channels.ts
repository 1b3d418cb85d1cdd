/**
 * `/v1/channels`: the app's configured channels in the key's mode. Create, list, read (secrets
 * masked), update (PATCH, or POST as Ping++ SDKs do), delete; options are validated against the
 * channel type's schema by the engine. `GET /v1/channels/:id/records` lists the payments shown
 * under a channel (seed 001).
 */
import type { FastifyRequest } from 'fastify';
import type { RoutePlugin } from './index.js';
import { requireSecretKey, secretScope } from '../auth.js';
import { fail } from '../../core/errors.js';
import type { Scope } from '../../engine/api-types.js';
import type { Paygate } from '../../engine/paygate.js';
import { listChannelRecords } from '../../engine/channel-records.js';
import { ERROR_RESPONSES, IdParams } from '../schemas/common.js';
import { Channel, ChannelCreateBody, ChannelDeleted, ChannelList, ChannelUpdateBody, PaymentRecordList, RecordListQuery } from '../schemas/channel.js';

const tags = ['channels'];

/** A channel of the caller's app and mode; one of the other mode is not found, like another app's. */
async function ownChannel(paygate: Paygate, scope: Scope, id: string) {
  const channel = await paygate.channels.retrieve(scope.app_id, id);
  if (channel.livemode !== scope.livemode) fail('resource_not_found', { param: 'id', message: `No such channel: ${id}` });
  return channel;
}

export const v1ChannelRoutes: RoutePlugin = async (app, { paygate }) => {
  const secret = requireSecretKey(paygate);

  app.post<{ Body: ChannelCreateBody }>('/v1/channels', {
    onRequest: secret,
    schema: { tags, summary: 'Create a channel', body: ChannelCreateBody, response: { 200: Channel, ...ERROR_RESPONSES } },
  }, async (request) => {
    const scope = secretScope(request);
    const livemode = request.body.livemode ?? scope.livemode;
    if (livemode !== scope.livemode) fail('livemode_mismatch', { param: 'livemode', message: `A ${scope.livemode ? 'live' : 'test'} key creates ${scope.livemode ? 'live' : 'test'} channels; use the app's ${livemode ? 'live' : 'test'} secret key.` });
    return paygate.channels.create(scope.app_id, { ...request.body, livemode });
  });

  app.get('/v1/channels', {
    onRequest: secret,
    schema: { tags, summary: 'List channels', response: { 200: ChannelList, ...ERROR_RESPONSES } },
  }, async (request) => {
    const scope = secretScope(request);
    return { object: 'list' as const, url: '/v1/channels', has_more: false, data: await paygate.channels.list(scope.app_id, { livemode: scope.livemode }) };
  });

  app.get<{ Params: IdParams }>('/v1/channels/:id', {
    onRequest: secret,
    schema: { tags, summary: 'Retrieve a channel (secret options masked)', params: IdParams, response: { 200: Channel, ...ERROR_RESPONSES } },
  }, async (request) => ownChannel(paygate, secretScope(request), request.params.id));

  const update = async (request: FastifyRequest<{ Params: IdParams; Body: ChannelUpdateBody }>) => {
    const scope = secretScope(request);
    await ownChannel(paygate, scope, request.params.id);
    return paygate.channels.update(scope.app_id, request.params.id, request.body);
  };
  const updateSchema = { tags, summary: 'Update a channel (only the fields given)', params: IdParams, body: ChannelUpdateBody, response: { 200: Channel, ...ERROR_RESPONSES } };
  app.patch<{ Params: IdParams; Body: ChannelUpdateBody }>('/v1/channels/:id', { onRequest: secret, schema: updateSchema }, update);
  app.post<{ Params: IdParams; Body: ChannelUpdateBody }>('/v1/channels/:id', { onRequest: secret, schema: { ...updateSchema, summary: 'Update a channel (POST form, as Ping++ SDKs send)' } }, update);

  app.delete<{ Params: IdParams }>('/v1/channels/:id', {
    onRequest: secret,
    schema: { tags, summary: 'Delete a channel (refused while it has unfinished charges)', params: IdParams, response: { 200: ChannelDeleted, ...ERROR_RESPONSES } },
  }, async (request) => {
    const scope = secretScope(request);
    await ownChannel(paygate, scope, request.params.id);
    return paygate.channels.delete(scope.app_id, request.params.id);
  });

  app.get<{ Params: IdParams; Querystring: RecordListQuery }>('/v1/channels/:id/records', {
    onRequest: secret,
    schema: { tags, summary: 'Payment records: succeeded charges shown under this channel', params: IdParams, querystring: RecordListQuery, response: { 200: PaymentRecordList, ...ERROR_RESPONSES } },
  }, async (request) => listChannelRecords(paygate.deps, secretScope(request), request.params.id, request.query));
};
