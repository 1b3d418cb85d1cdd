/**
 * Apps in the console: list (with key hints and channel counts), create (keys shown once),
 * update name / redirect hosts / requires_payment, and roll a key (the new one shown once).
 */
import type { FastifyInstance } from 'fastify';
import { fail } from '../../core/errors.js';
import type { AdminConsole } from '../../engine/admin/admin-console.js';
import type { AppCreateInput } from '../../engine/apps.js';
import { bodyOf } from './query-params.js';

function appInput(body: Record<string, unknown>): Partial<AppCreateInput> {
  const input: { name?: string; requires_payment?: boolean; allowed_redirect_hosts?: string[] } = {};
  if (body.name !== undefined) input.name = body.name as string;
  if (body.requires_payment !== undefined) {
    if (typeof body.requires_payment !== 'boolean') fail('parameter_invalid', { param: 'requires_payment', message: 'requires_payment must be true or false.' });
    input.requires_payment = body.requires_payment;
  }
  if (body.allowed_redirect_hosts !== undefined) input.allowed_redirect_hosts = body.allowed_redirect_hosts as string[];
  return input;
}

export function appRoutes(app: FastifyInstance, admin: AdminConsole): void {
  const { paygate } = admin;
  const db = paygate.deps.database.db;

  app.get('/apps', async () => {
    const [apps, keys, channels] = await Promise.all([
      paygate.apps.list(),
      db.selectFrom('api_keys').select(['app_id', 'kind', 'livemode', 'hint', 'created_at']).where('revoked_at', 'is', null).execute(),
      db.selectFrom('channels').select(['app_id', 'livemode', 'enabled']).where('deleted_at', 'is', null).execute(),
    ]);
    return {
      object: 'list',
      data: apps.map((a) => ({
        ...a,
        keys: keys.filter((k) => k.app_id === a.id).map((k) => ({ kind: k.kind, livemode: k.livemode === 1, hint: k.hint, created: Math.floor(k.created_at / 1000) })),
        channels: {
          test: channels.filter((c) => c.app_id === a.id && c.livemode === 0).length,
          live: channels.filter((c) => c.app_id === a.id && c.livemode === 1).length,
        },
      })),
    };
  });

  app.post('/apps', async (request) => {
    const input = appInput(bodyOf(request.body));
    return paygate.apps.create({ ...input, name: input.name ?? '' });
  });

  app.patch<{ Params: { id: string } }>('/apps/:id', async (request) => paygate.apps.update(request.params.id, appInput(bodyOf(request.body))));

  app.post<{ Params: { id: string } }>('/apps/:id/keys/roll', async (request) => {
    const body = bodyOf(request.body);
    if (body.kind !== 'secret' && body.kind !== 'publishable') fail('parameter_invalid', { param: 'kind', message: 'kind must be secret or publishable.' });
    if (typeof body.livemode !== 'boolean') fail('parameter_invalid', { param: 'livemode', message: 'livemode must be true or false.' });
    const key = await paygate.apps.rollKey(request.params.id, body.kind, body.livemode);
    return { kind: body.kind, livemode: body.livemode, key };
  });
}
