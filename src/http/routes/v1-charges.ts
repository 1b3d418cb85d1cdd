/**
 * `/v1/charges` (Ping++ shape): create, read, list, and the state-changing verbs
 * reverse (close), ship and confirm (escrow), simulate (test mode).
 * Reading one charge is open to publishable keys and the charge's client secret; everything else
 * needs the app's secret key.
 */
import { Type } from '@sinclair/typebox';
import type { RoutePlugin } from './index.js';
import { assertOwnApp, chargeScope, requireChargeReader, requireSecretKey, secretScope } from '../auth.js';
import { ERROR_RESPONSES, EmptyBody, IdParams } from '../schemas/common.js';
import { Charge, ChargeCreateBody, ChargeList, ChargeListQuery, ShipBody, SimulateBody } from '../schemas/charge.js';

const tags = ['charges'];

export const v1ChargeRoutes: RoutePlugin = async (app, { paygate }) => {
  const secret = requireSecretKey(paygate);
  const reader = requireChargeReader(paygate);
  const ok = (schema: typeof Charge | typeof ChargeList) => ({ 200: schema, ...ERROR_RESPONSES });

  app.post<{ Body: ChargeCreateBody }>('/v1/charges', {
    onRequest: secret,
    schema: { tags, summary: 'Create a charge', body: ChargeCreateBody, response: ok(Charge) },
  }, async (request) => {
    const scope = secretScope(request);
    const { app: appRef, ...input } = request.body;
    assertOwnApp(scope, appRef?.id, 'app[id]');
    return paygate.charges.create(scope, input);
  });

  app.get<{ Querystring: ChargeListQuery }>('/v1/charges', {
    onRequest: secret,
    schema: { tags, summary: 'List charges, newest first', querystring: ChargeListQuery, response: ok(ChargeList) },
  }, async (request) => {
    const scope = secretScope(request);
    const { app: appRef, ...params } = request.query;
    assertOwnApp(scope, appRef?.id, 'app[id]');
    return paygate.charges.list(scope, params);
  });

  app.get<{ Params: IdParams }>('/v1/charges/:id', {
    onRequest: reader,
    config: { browser: true },
    schema: {
      tags, summary: 'Retrieve a charge (secret key, publishable key or the charge\'s client_secret)', params: IdParams,
      querystring: Type.Object({ client_secret: Type.Optional(Type.String({ maxLength: 200 })) }), response: ok(Charge),
    },
  }, async (request) => paygate.charges.retrieve(chargeScope(request, request.params.id), request.params.id));

  app.post<{ Params: IdParams }>('/v1/charges/:id/reverse', {
    onRequest: secret,
    schema: { tags, summary: 'Close a pending charge', params: IdParams, body: EmptyBody, response: ok(Charge) },
  }, async (request) => paygate.charges.reverse(secretScope(request), request.params.id));

  app.post<{ Params: IdParams; Body: ShipBody }>('/v1/charges/:id/ship', {
    onRequest: secret,
    schema: { tags, summary: 'Escrow: the goods were shipped', params: IdParams, body: ShipBody, response: ok(Charge) },
  }, async (request) => paygate.charges.ship(secretScope(request), request.params.id, request.body));

  app.post<{ Params: IdParams }>('/v1/charges/:id/confirm', {
    onRequest: secret,
    schema: { tags, summary: 'Escrow, test mode: the buyer confirms receipt', params: IdParams, body: EmptyBody, response: ok(Charge) },
  }, async (request) => paygate.charges.confirm(secretScope(request), request.params.id));

  app.post<{ Params: IdParams; Body: SimulateBody }>('/v1/charges/:id/simulate', {
    onRequest: secret,
    schema: { tags, summary: 'Test mode: drive a charge without a browser', params: IdParams, body: SimulateBody, response: ok(Charge) },
  }, async (request) => paygate.charges.simulate(secretScope(request), request.params.id, request.body.outcome));
};
