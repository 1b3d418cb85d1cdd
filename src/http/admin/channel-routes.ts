/**
 * Channels in the console (seed 002 支付接口): the types and their option schemas (which drive
 * the form), list per app, create, edit (secrets only replaced, never shown), enable/disable,
 * delete (the engine refuses while charges are pending), test connection, payment records.
 */
import type { FastifyInstance } from 'fastify';
import { fail } from '../../core/errors.js';
import type { AdminConsole } from '../../engine/admin/admin-console.js';
import type { ChannelCreateInput, ChannelObject } from '../../engine/api-types.js';
import { bodyOf, optionalInt, optionalMode, optionalText, queryOf } from './query-params.js';

const EDITABLE = ['name', 'enabled', 'options', 'fee', 'transaction_types', 'delegate'] as const;

export function channelRoutes(app: FastifyInstance, admin: AdminConsole): void {
  const { paygate } = admin;
  const db = paygate.deps.database.db;

  async function appOfChannel(id: string): Promise<string> {
    const row = await db.selectFrom('channels').select('app_id').where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
    if (!row) fail('resource_not_found', { param: 'id', message: `No such channel: ${id}` });
    return row.app_id;
  }

  app.get('/channel-types', async () => ({
    transaction_types: paygate.deps.transactionTypes.types(),
    data: paygate.channels.types().map((t) => ({
      type: t.type, title: t.title, codes: t.codes, test_only: t.testOnly === true, can_test_connection: typeof t.testConnection === 'function',
      options: t.options.map((o) => ({
        name: o.name, label: o.label, kind: o.kind, required: o.required, secret: o.secret === true,
        enum: o.enum ?? null, default: o.default ?? null, help: o.help ?? null,
      })),
    })),
  }));

  app.get('/channels', async (request) => {
    const query = queryOf(request.query);
    const appId = optionalText(query, 'app_id', 64);
    const livemode = optionalMode(query, undefined);
    const apps = appId ? [await paygate.apps.retrieve(appId)] : await paygate.apps.list();
    const data: Array<ChannelObject & { app_name: string }> = [];
    for (const a of apps) {
      for (const channel of await paygate.channels.list(a.id, livemode === undefined ? {} : { livemode })) data.push({ ...channel, app_name: a.name });
    }
    return { object: 'list', data };
  });

  app.post('/channels', async (request) => {
    const body = bodyOf(request.body);
    if (typeof body.app_id !== 'string') fail('parameter_missing', { param: 'app_id', message: 'app_id is required: the app the channel belongs to.' });
    const { app_id: appId, ...input } = body;
    return paygate.channels.create(appId, input as unknown as ChannelCreateInput);
  });

  app.patch<{ Params: { id: string } }>('/channels/:id', async (request) => {
    const body = bodyOf(request.body);
    const unknown = Object.keys(body).find((k) => !(EDITABLE as readonly string[]).includes(k));
    if (unknown) fail('parameter_unknown', { param: unknown, message: `${unknown} cannot be changed; editable: ${EDITABLE.join(', ')}.` });
    return paygate.channels.update(await appOfChannel(request.params.id), request.params.id, body);
  });

  app.delete<{ Params: { id: string } }>('/channels/:id', async (request) => paygate.channels.delete(await appOfChannel(request.params.id), request.params.id));

  app.post<{ Params: { id: string } }>('/channels/:id/test', async (request) => admin.testConnection(request.params.id));

  app.get<{ Params: { id: string } }>('/channels/:id/records', async (request) => {
    const query = queryOf(request.query);
    return admin.records(request.params.id, { limit: optionalInt(query, 'limit', 1, 100), starting_after: optionalText(query, 'starting_after') });
  });
}
