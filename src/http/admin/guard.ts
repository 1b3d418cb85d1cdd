/**
 * Guards of the admin API: every route needs a live session, except those marked
 * `config: { adminPublic: true }` (login, session probe); every state-changing method also needs
 * the session's CSRF token in `X-CSRF-Token`. A cross-site form can send neither.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fail } from '../../core/errors.js';
import type { AdminConsole } from '../../engine/admin/admin-console.js';
import { csrfMatches, type AdminSession } from '../../engine/admin/admin-sessions.js';
import { readCookie, SESSION_COOKIE } from './session-cookie.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the admin guard on console routes. */
    adminSession?: AdminSession;
  }
  interface FastifyContextConfig {
    /** An admin route that needs no session (login, session probe). */
    adminPublic?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Checks the session and, for state-changing calls, the CSRF token; throws a registered error. */
export async function checkAdminRequest(admin: AdminConsole, request: FastifyRequest): Promise<AdminSession> {
  const session = await admin.session(readCookie(request, SESSION_COOKIE));
  if (!session) fail('admin_session_required');
  if (!SAFE_METHODS.has(request.method)) {
    const header = request.headers['x-csrf-token'];
    if (!csrfMatches(session, typeof header === 'string' ? header : undefined)) fail('csrf_token_invalid');
  }
  return session;
}

export function installAdminGuard(app: FastifyInstance, admin: AdminConsole): void {
  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.config.adminPublic) return;
    request.adminSession = await checkAdminRequest(admin, request);
  });
}

/** The session of a guarded route (set by the guard). */
export function sessionOf(request: FastifyRequest): AdminSession {
  if (!request.adminSession) fail('admin_session_required');
  return request.adminSession;
}
