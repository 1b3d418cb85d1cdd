/**
 * Throttles console logins per user name and per client address. After `freeFailures` wrong
 * passwords in a window the key is locked, for a time that doubles with each further failure
 * (capped). While locked, even the right password is refused: otherwise guessing just goes on.
 */
import type { EngineDeps } from '../deps.js';

export interface ThrottlePolicy {
  /** Failures allowed per user name before locking. */
  readonly userFailures: number;
  /** Failures allowed per client address (higher: one office shares an address). */
  readonly ipFailures: number;
  /** Failures older than this are forgotten. */
  readonly windowMs: number;
  readonly baseLockMs: number;
  readonly maxLockMs: number;
}

export const DEFAULT_THROTTLE_POLICY: ThrottlePolicy = Object.freeze({
  userFailures: 5, ipFailures: 20, windowMs: 15 * 60_000, baseLockMs: 30_000, maxLockMs: 15 * 60_000,
});

export function throttleKeys(username: string, ip: string): { key: string; allowed: (p: ThrottlePolicy) => number }[] {
  return [
    { key: `user:${username}`, allowed: (p) => p.userFailures },
    { key: `ip:${ip}`, allowed: (p) => p.ipFailures },
  ];
}

/** Milliseconds until a login may be tried again, or 0 when it may be tried now. */
export async function lockedFor(deps: EngineDeps, username: string, ip: string): Promise<number> {
  const keys = throttleKeys(username, ip).map((k) => k.key);
  const rows = await deps.database.db.selectFrom('admin_login_attempts').select(['locked_until']).where('key', 'in', keys).execute();
  const now = deps.clock.now();
  return Math.max(0, ...rows.map((r) => (r.locked_until ?? 0) - now));
}

export async function recordFailure(deps: EngineDeps, policy: ThrottlePolicy, username: string, ip: string): Promise<number> {
  const now = deps.clock.now();
  let longest = 0;
  for (const { key, allowed } of throttleKeys(username, ip)) {
    // Make the row exist first, so concurrent failures update one row instead of racing inserts.
    await deps.database.db.insertInto('admin_login_attempts').values({ key, failures: 0, first_failure_at: now, locked_until: null })
      .onConflict((oc) => oc.column('key').doNothing()).execute();
    await deps.database.db.transaction().execute(async (trx) => {
      let query = trx.selectFrom('admin_login_attempts').selectAll().where('key', '=', key);
      if (deps.database.dialect === 'postgres') query = query.forUpdate();
      const row = await query.executeTakeFirstOrThrow();
      const fresh = now - row.first_failure_at > policy.windowMs;
      const failures = fresh ? 1 : row.failures + 1;
      const over = failures - allowed(policy);
      const lockedUntil = over > 0 ? now + Math.min(policy.maxLockMs, policy.baseLockMs * 2 ** Math.min(over - 1, 20)) : null;
      if (lockedUntil) longest = Math.max(longest, lockedUntil - now);
      await trx.updateTable('admin_login_attempts')
        .set({ failures, first_failure_at: fresh ? now : row.first_failure_at, locked_until: lockedUntil ?? row.locked_until })
        .where('key', '=', key).execute();
    });
  }
  return longest;
}

/** A successful login clears the user's record (not the address's: others may guess from it). */
export async function recordSuccess(deps: EngineDeps, username: string): Promise<void> {
  await deps.database.db.deleteFrom('admin_login_attempts').where('key', '=', `user:${username}`).execute();
}
