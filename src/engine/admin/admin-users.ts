/**
 * Console operators. The first one is created at first start from `PAYGATE_ADMIN_PASSWORD`, or
 * with a generated password printed once: there is never a fixed default password.
 */
import { fail } from '../../core/errors.js';
import { newId } from '../../core/ids.js';
import type { EngineDeps } from '../deps.js';
import { generatePassword, hashPassword, passwordProblem } from './password-hash.js';
import { recordSuccess } from './login-throttle.js';

export const FIRST_ADMIN_USERNAME = 'admin';

export interface AdminUser {
  readonly id: string;
  readonly username: string;
  readonly created: number;
  readonly last_login: number | null;
}

export function normalizeUsername(raw: unknown): string {
  const name = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (!/^[a-z0-9._@-]{1,64}$/.test(name)) fail('parameter_invalid', { param: 'username', message: 'username must be 1 to 64 letters, digits or . _ @ -.' });
  return name;
}

export async function createAdminUser(deps: EngineDeps, username: string, password: string): Promise<AdminUser> {
  const name = normalizeUsername(username);
  const problem = passwordProblem(password);
  if (problem) fail('parameter_invalid', { param: 'password', message: problem });
  const taken = await deps.database.db.selectFrom('admin_users').select('id').where('username', '=', name).executeTakeFirst();
  if (taken) fail('parameter_invalid', { param: 'username', message: `An operator named ${name} already exists.` });
  const now = deps.clock.now();
  const id = newId('adminUser');
  await deps.database.db.insertInto('admin_users').values({
    id, username: name, password_hash: await hashPassword(password), created_at: now, updated_at: now, last_login_at: null,
  }).execute();
  return { id, username: name, created: Math.floor(now / 1000), last_login: null };
}

export async function setAdminPassword(deps: EngineDeps, userId: string, password: string): Promise<void> {
  const problem = passwordProblem(password);
  if (problem) fail('parameter_invalid', { param: 'password', message: problem });
  const result = await deps.database.db.updateTable('admin_users')
    .set({ password_hash: await hashPassword(password), updated_at: deps.clock.now() })
    .where('id', '=', userId).executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) fail('resource_not_found', { param: 'id', message: `No such operator: ${userId}` });
  // A changed password ends every other session of that operator.
  await deps.database.db.deleteFrom('admin_sessions').where('user_id', '=', userId).execute();
}

export async function listAdminUsers(deps: EngineDeps): Promise<AdminUser[]> {
  const rows = await deps.database.db.selectFrom('admin_users').select(['id', 'username', 'created_at', 'last_login_at']).orderBy('created_at').execute();
  return rows.map((r) => ({ id: r.id, username: r.username, created: Math.floor(r.created_at / 1000), last_login: r.last_login_at === null ? null : Math.floor(r.last_login_at / 1000) }));
}

export interface FirstAdmin {
  /** True only on the call that created the operator. */
  readonly created: boolean;
  readonly username: string;
  /** Set only when the password was generated here: print it once, it is never shown again. */
  readonly generatedPassword?: string;
}

/**
 * Makes sure one operator exists. Idempotent: once any operator exists, nothing changes (a
 * later PAYGATE_ADMIN_PASSWORD does not overwrite a password set in the console).
 */
export async function ensureFirstAdmin(deps: EngineDeps, envPassword: string | undefined): Promise<FirstAdmin> {
  const any = await deps.database.db.selectFrom('admin_users').select('username').orderBy('created_at').limit(1).executeTakeFirst();
  if (any) return { created: false, username: any.username };
  const fromEnv = envPassword !== undefined && envPassword !== '';
  const password = fromEnv ? envPassword : generatePassword();
  try {
    await createAdminUser(deps, FIRST_ADMIN_USERNAME, password);
  } catch (error) {
    // Two processes starting at once: the other one created it first.
    const again = await deps.database.db.selectFrom('admin_users').select('username').limit(1).executeTakeFirst();
    if (again) return { created: false, username: again.username };
    throw error;
  }
  return { created: true, username: FIRST_ADMIN_USERNAME, ...(fromEnv ? {} : { generatedPassword: password }) };
}

export interface PasswordReset {
  readonly username: string;
  /** Set only when the password was generated here: print it once, it is never shown again. */
  readonly generatedPassword?: string;
}

/**
 * Sets an operator's password from outside the console (`paygate admins reset-password`), for an
 * operator who forgot it: `password`, or a generated one when it is undefined. Ends the
 * operator's sessions and lifts the login lock on the name, so the new password works at once.
 */
export async function resetAdminPassword(deps: EngineDeps, username: string, password: string | undefined): Promise<PasswordReset> {
  const name = normalizeUsername(username);
  const user = await deps.database.db.selectFrom('admin_users').select('id').where('username', '=', name).executeTakeFirst();
  if (!user) fail('resource_not_found', { param: 'username', message: `No operator is named ${name}.` });
  const chosen = password ?? generatePassword();
  await setAdminPassword(deps, user.id, chosen);
  // As a successful login does: the failures counted against the name are forgotten.
  await recordSuccess(deps, name);
  return { username: name, ...(password === undefined ? { generatedPassword: chosen } : {}) };
}
