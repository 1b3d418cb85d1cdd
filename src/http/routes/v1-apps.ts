/**
 * `/v1/apps/:id` with the app's own secret key: read the app (with `payment_ready` and what is
 * `missing`), and roll a key. Creating apps needs an admin session and lives with the console.
 */
import type { RoutePlugin } from './index.js';
import { requireSecretKey, secretScope } from '../auth.js';
import { fail } from '../../core/errors.js';
import type { Scope } from '../../engine/api-types.js';
import { ERROR_RESPONSES, IdParams } from '../schemas/common.js';
import { App, KeyRollBody, RolledKey } from '../schemas/app.js';

const tags = ['apps'];

function ownApp(scope: Scope, id: string): string {
  if (id !== scope.app_id) fail('resource_not_found', { param: 'id', message: `No such app: ${id}` });
  return id;
}

export const v1AppRoutes: RoutePlugin = async (app, { paygate }) => {
  const secret = requireSecretKey(paygate);

  app.get<{ Params: IdParams }>('/v1/apps/:id', {
    onRequest: secret,
    schema: { tags, summary: 'Retrieve the key\'s own app', params: IdParams, response: { 200: App, ...ERROR_RESPONSES } },
  }, async (request) => paygate.apps.retrieve(ownApp(secretScope(request), request.params.id)));

  app.post<{ Params: IdParams; Body: KeyRollBody }>('/v1/apps/:id/keys/roll', {
    onRequest: secret,
    // The answer holds a secret key, which must not be kept in the idempotency table: a retried
    // roll simply rolls again (the key lost with the first answer is useless anyway).
    config: { idempotency: false },
    schema: { tags, summary: 'Replace a key: the old one stops working at once', params: IdParams, body: KeyRollBody, response: { 200: RolledKey, ...ERROR_RESPONSES } },
  }, async (request) => {
    const scope = secretScope(request);
    const id = ownApp(scope, request.params.id);
    const kind = request.body.kind ?? 'secret';
    const livemode = request.body.livemode ?? scope.livemode;
    if (livemode !== scope.livemode) fail('livemode_mismatch', { param: 'livemode', message: 'Roll live keys with a live key and test keys with a test key.' });
    const key = await paygate.apps.rollKey(id, kind, livemode);
    return { object: 'api_key' as const, app: id, kind, livemode, key };
  });
};
