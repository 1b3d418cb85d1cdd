/**
 * Cross-process mutual exclusion for scheduled work. On PostgreSQL, several paygate processes may
 * share one database (PRODUCT.md §6 scale-out), so a job runs under a session advisory lock held on
 * a dedicated connection: if the process dies, the connection closes and the lock goes with it.
 * SQLite is one process by construction, so there the work simply runs.
 */
import type { Database } from '../store/database.js';

/** Locks in paygate's name space are `hashtext('paygate:' || name)`, so names are enough to coordinate. */
function lockKey(name: string): string {
  return `paygate:${name}`;
}

/** Runs `work` only if no other process holds the lock `name`; returns whether it ran. */
export async function tryWithAdvisoryLock(database: Database, name: string, work: () => Promise<void>): Promise<boolean> {
  if (!database.pool) {
    await work();
    return true;
  }
  const client = await database.pool.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock(hashtext($1)) as locked', [lockKey(name)]);
    if (!rows[0]?.locked) return false;
    try {
      await work();
    } finally {
      await client.query('select pg_advisory_unlock(hashtext($1))', [lockKey(name)]);
    }
    return true;
  } finally {
    client.release();
  }
}

/** Waits for the lock `name`, then runs `work` (for one-time work such as first-start seeding). */
export async function withAdvisoryLock<T>(database: Database, name: string, work: () => Promise<T>): Promise<T> {
  if (!database.pool) return work();
  const client = await database.pool.connect();
  try {
    await client.query('select pg_advisory_lock(hashtext($1))', [lockKey(name)]);
    try {
      return await work();
    } finally {
      await client.query('select pg_advisory_unlock(hashtext($1))', [lockKey(name)]);
    }
  } finally {
    client.release();
  }
}
