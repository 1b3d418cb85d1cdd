/**
 * Console sessions. A session is a random token in an HttpOnly cookie (stored hashed), with its
 * own CSRF token, an idle timeout and an absolute lifetime. Logging in always opens a new
 * session (a fresh id), so a token planted before login is worthless after it.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EngineDeps } from '../deps.js';

export interface SessionPolicy {
  /** A session unused this long is over. */
  readonly idleTimeoutMs: number;
  /** A session ends this long after login, however active. */
  readonly maxLifetimeMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = Object.freeze({ idleTimeoutMs: 30 * 60_000, maxLifetimeMs: 12 * 3_600_000 });

/** `last_seen_at` is refreshed at most this often, so reads do not write on every request. */
const TOUCH_INTERVAL_MS = 30_000;

export interface AdminSession {
  readonly userId: string;
  readonly username: string;
  readonly csrfToken: string;
  readonly expiresAt: number;
  readonly idleExpiresAt: number;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function openSession(deps: EngineDeps, policy: SessionPolicy, userId: string, client: { ip: string; userAgent: string }): Promise<{ token: string; csrfToken: string }> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const now = deps.clock.now();
  await deps.database.db.insertInto('admin_sessions').values({
    token_hash: hashToken(token), user_id: userId, csrf_token: csrfToken, created_at: now, last_seen_at: now,
    expires_at: now + policy.maxLifetimeMs, ip: client.ip.slice(0, 64), user_agent: client.userAgent.slice(0, 255),
  }).execute();
  // Old sessions of anyone are swept here rather than by a job: logins are rare and cheap.
  await deps.database.db.deleteFrom('admin_sessions')
    .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<=', now - policy.idleTimeoutMs)])).execute();
  return { token, csrfToken };
}

/** The live session a cookie token names, or undefined (unknown, idle too long, or expired). */
export async function resolveSession(deps: EngineDeps, policy: SessionPolicy, token: string | undefined): Promise<AdminSession | undefined> {
  if (!token || token.length > 200) return undefined;
  const key = hashToken(token);
  const row = await deps.database.db.selectFrom('admin_sessions')
    .innerJoin('admin_users', 'admin_users.id', 'admin_sessions.user_id')
    .select(['admin_sessions.user_id', 'admin_users.username', 'admin_sessions.csrf_token', 'admin_sessions.last_seen_at', 'admin_sessions.expires_at'])
    .where('admin_sessions.token_hash', '=', key).executeTakeFirst();
  if (!row) return undefined;
  const now = deps.clock.now();
  if (now >= row.expires_at || now - row.last_seen_at >= policy.idleTimeoutMs) {
    await deps.database.db.deleteFrom('admin_sessions').where('token_hash', '=', key).execute();
    return undefined;
  }
  let lastSeen = row.last_seen_at;
  if (now - row.last_seen_at >= TOUCH_INTERVAL_MS) {
    await deps.database.db.updateTable('admin_sessions').set({ last_seen_at: now }).where('token_hash', '=', key).execute();
    lastSeen = now;
  }
  return {
    userId: row.user_id, username: row.username, csrfToken: row.csrf_token, expiresAt: row.expires_at,
    idleExpiresAt: Math.min(row.expires_at, lastSeen + policy.idleTimeoutMs),
  };
}

export async function closeSession(deps: EngineDeps, token: string | undefined): Promise<void> {
  if (!token) return;
  await deps.database.db.deleteFrom('admin_sessions').where('token_hash', '=', hashToken(token)).execute();
}

/** Constant-time comparison of the CSRF header with the session's token. */
export function csrfMatches(session: AdminSession, header: string | undefined): boolean {
  if (!header) return false;
  const a = createHash('sha256').update(header).digest();
  const b = createHash('sha256').update(session.csrfToken).digest();
  return timingSafeEqual(a, b);
}
