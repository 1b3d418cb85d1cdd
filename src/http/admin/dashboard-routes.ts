/** The dashboard's figures and the console's reference data (statuses, types, channel codes). */
import type { FastifyInstance } from 'fastify';
import { CHARGE_STATUSES } from '../../core/charge-state.js';
import type { AdminConsole } from '../../engine/admin/admin-console.js';
import { optionalMode, optionalText, queryOf, tzOffset } from './query-params.js';

export function dashboardRoutes(app: FastifyInstance, admin: AdminConsole): void {
  app.get('/dashboard', async (request) => {
    const query = queryOf(request.query);
    return admin.dashboard({ livemode: optionalMode(query, false) ?? false, offsetMinutes: tzOffset(query), app_id: optionalText(query, 'app_id', 64) });
  });

  app.get('/meta', async () => {
    const deps = admin.paygate.deps;
    return {
      statuses: CHARGE_STATUSES,
      transaction_types: deps.transactionTypes.types(),
      channel_types: deps.channels.types().map((t) => ({ type: t.type, title: t.title, codes: t.codes, test_only: t.testOnly === true })),
      channel_codes: deps.channels.codes(),
      public_url: deps.config.publicUrl,
    };
  });
}
