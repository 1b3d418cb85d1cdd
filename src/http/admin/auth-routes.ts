/**
 * Console login, logout and the session probe. Login answers the CSRF token the SPA must send
 * on every state-changing call; the probe gives it again after a page reload.
 */
import type { FastifyInstance } from 'fastify';
import { fail } from '../../core/errors.js';
import type { AdminConsole } from '../../engine/admin/admin-console.js';
import { clearSessionCookie, readCookie, SESSION_COOKIE, setSessionCookie } from './session-cookie.js';
import { bodyOf } from './query-params.js';
import { sessionOf } from './guard.js';

export function authRoutes(app: FastifyInstance, admin: AdminConsole): void {
  const sessionAnswer = (username: string, csrfToken: string) => ({
    user: { username }, csrf_token: csrfToken, idle_timeout_seconds: Math.floor(admin.policies.session.idleTimeoutMs / 1000),
  });

  app.post('/login', { config: { adminPublic: true } }, async (request, reply) => {
    // A cross-site HTML form cannot send JSON without a CORS preflight, which paygate never grants.
    if (!String(request.headers['content-type'] ?? '').startsWith('application/json')) {
      fail('body_invalid', { message: 'Send the login as application/json.' });
    }
    const body = bodyOf(request.body);
    const result = await admin.login({
      username: body.username, password: body.password, ip: request.ip, userAgent: String(request.headers['user-agent'] ?? ''),
    });
    if (!result.ok && result.reason === 'locked') {
      const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
      reply.header('retry-after', String(seconds));
      fail('rate_limited', { message: `Too many failed logins; try again in ${seconds} seconds.` });
    }
    if (!result.ok) fail('admin_login_invalid');
    // Whatever session the browser had before is dropped: the new one has a new id.
    await admin.logout(readCookie(request, SESSION_COOKIE));
    setSessionCookie(request, reply, result.token, admin.paygate.publicUrl);
    return sessionAnswer(result.user.username, result.csrfToken);
  });

  app.get('/session', { config: { adminPublic: true } }, async (request) => {
    const session = await admin.session(readCookie(request, SESSION_COOKIE));
    if (!session) fail('admin_session_required');
    return sessionAnswer(session.username, session.csrfToken);
  });

  app.post('/logout', async (request, reply) => {
    await admin.logout(readCookie(request, SESSION_COOKIE));
    clearSessionCookie(request, reply, admin.paygate.publicUrl);
    return { ok: true };
  });

  app.post('/password', async (request) => {
    const session = sessionOf(request);
    const body = bodyOf(request.body);
    const check = await admin.login({ username: session.username, password: body.current_password, ip: request.ip, userAgent: 'password-change' });
    if (!check.ok) fail('admin_login_invalid', { param: 'current_password', message: 'The current password is wrong.' });
    await admin.logout(check.token);
    if (typeof body.new_password !== 'string') fail('parameter_missing', { param: 'new_password', message: 'new_password is required.' });
    await admin.users.setPassword(session.userId, body.new_password);
    return { ok: true, message: 'Password changed; every session of this operator has ended. Log in again.' };
  });
}
