/**
 * Console login: throttle check, constant-work password check, then a brand-new session.
 * Refusals are data (`invalid` / `locked`), which the HTTP layer turns into 401 / 429.
 */
import type { EngineDeps } from '../deps.js';
import { hashPassword, verifyPassword } from './password-hash.js';
import { openSession, type SessionPolicy } from './admin-sessions.js';
import { lockedFor, recordFailure, recordSuccess, type ThrottlePolicy } from './login-throttle.js';

export interface LoginInput {
  readonly username: unknown;
  readonly password: unknown;
  readonly ip: string;
  readonly userAgent: string;
}

export type LoginResult =
  | { readonly ok: true; readonly token: string; readonly csrfToken: string; readonly user: { readonly id: string; readonly username: string } }
  | { readonly ok: false; readonly reason: 'invalid' }
  | { readonly ok: false; readonly reason: 'locked'; readonly retryAfterMs: number };

// Verifying against a real hash when the user does not exist keeps both answers equally slow,
// so response times do not reveal which user names exist.
let decoyHash: Promise<string> | undefined;
const decoy = (): Promise<string> => (decoyHash ??= hashPassword('decoy password never matches'));

export async function login(deps: EngineDeps, policies: { session: SessionPolicy; throttle: ThrottlePolicy }, input: LoginInput): Promise<LoginResult> {
  const username = typeof input.username === 'string' ? input.username.trim().toLowerCase().slice(0, 64) : '';
  const password = typeof input.password === 'string' ? input.password.slice(0, 200) : '';
  const locked = await lockedFor(deps, username, input.ip);
  if (locked > 0) return { ok: false, reason: 'locked', retryAfterMs: locked };

  const user = username
    ? await deps.database.db.selectFrom('admin_users').select(['id', 'username', 'password_hash']).where('username', '=', username).executeTakeFirst()
    : undefined;
  const matches = await verifyPassword(password, user?.password_hash ?? (await decoy()));
  if (!user || !matches || !password) {
    const lockMs = await recordFailure(deps, policies.throttle, username, input.ip);
    return lockMs > 0 ? { ok: false, reason: 'locked', retryAfterMs: lockMs } : { ok: false, reason: 'invalid' };
  }
  await recordSuccess(deps, username);
  await deps.database.db.updateTable('admin_users').set({ last_login_at: deps.clock.now() }).where('id', '=', user.id).execute();
  const session = await openSession(deps, policies.session, user.id, { ip: input.ip, userAgent: input.userAgent });
  return { ok: true, ...session, user: { id: user.id, username: user.username } };
}
