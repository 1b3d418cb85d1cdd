/** `/v1/events`: the app's events in the key's mode, newest first, and one event by id. */
import type { RoutePlugin } from './index.js';
import { requireSecretKey, secretScope } from '../auth.js';
import { ERROR_RESPONSES, IdParams } from '../schemas/common.js';
import { Event, EventList, EventListQuery } from '../schemas/event.js';

const tags = ['events'];

export const v1EventRoutes: RoutePlugin = async (app, { paygate }) => {
  const secret = requireSecretKey(paygate);

  app.get<{ Querystring: EventListQuery }>('/v1/events', {
    onRequest: secret,
    schema: { tags, summary: 'List events, newest first', querystring: EventListQuery, response: { 200: EventList, ...ERROR_RESPONSES } },
  }, async (request) => paygate.events.list(secretScope(request), request.query));

  app.get<{ Params: IdParams }>('/v1/events/:id', {
    onRequest: secret,
    schema: { tags, summary: 'Retrieve an event', params: IdParams, response: { 200: Event, ...ERROR_RESPONSES } },
  }, async (request) => paygate.events.retrieve(secretScope(request), request.params.id));
};
