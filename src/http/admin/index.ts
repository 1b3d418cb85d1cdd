/**
 * The admin console's HTTP side: the admin API under `/admin/api` (session + CSRF guarded),
 * `POST /v1/apps` for a logged-in operator, and the SPA's files at `/admin`. When the server is
 * ready it makes sure the first operator exists (from `PAYGATE_ADMIN_PASSWORD`, or with a
 * generated password that the startup banner prints once).
 */
import type { FastifyInstance } from 'fastify';
import type { RoutePlugin } from '../routes/index.js';
import { adminConsoleFor, type AdminConsole } from '../../engine/admin/admin-console.js';
import { checkAdminRequest, installAdminGuard } from './guard.js';
import { authRoutes } from './auth-routes.js';
import { dashboardRoutes } from './dashboard-routes.js';
import { appRoutes } from './app-routes.js';
import { channelRoutes } from './channel-routes.js';
import { transactionRoutes } from './transaction-routes.js';
import { webhookRoutes } from './webhook-routes.js';
import { staticRoutes } from './static-files.js';
import { bodyOf } from './query-params.js';

export const adminRoutes: RoutePlugin = async (app, { paygate }) => {
  const admin = adminConsoleFor(paygate);

  app.addHook('onReady', async () => {
    // Printed by the startup banner (startup-note.ts); a server without the CLI uses PAYGATE_ADMIN_PASSWORD.
    await admin.firstAdmin(process.env.PAYGATE_ADMIN_PASSWORD);
  });

  await app.register(async (api: FastifyInstance) => {
    installAdminGuard(api, admin);
    api.addHook('onSend', async (_request, reply, payload) => {
      reply.header('x-content-type-options', 'nosniff');
      return payload;
    });
    authRoutes(api, admin);
    dashboardRoutes(api, admin);
    appRoutes(api, admin);
    channelRoutes(api, admin);
    transactionRoutes(api, admin);
    webhookRoutes(api, admin);
  }, { prefix: '/admin/api' });

  await app.register(async (v1: FastifyInstance) => v1AppCreate(v1, admin));
  staticRoutes(app);
};

/** `POST /v1/apps` (PRODUCT.md §3): creating an app is an operator's act, so it takes an admin session. */
function v1AppCreate(app: FastifyInstance, admin: AdminConsole): void {
  app.post('/v1/apps', { config: { idempotency: false } }, async (request) => {
    await checkAdminRequest(admin, request);
    const body = bodyOf(request.body);
    return admin.paygate.apps.create({
      name: body.name as string,
      requires_payment: body.requires_payment === true || body.requires_payment === 'true',
      allowed_redirect_hosts: body.allowed_redirect_hosts as string[] | undefined,
    });
  });
}
