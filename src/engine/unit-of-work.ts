/**
 * One database transaction plus the work that must wait for its commit (handlers, watcher
 * notifications). Every state change runs in one of these, with its event and its log line, so
 * they commit together or not at all.
 */
import type { Kysely } from 'kysely';
import type { Schema } from '../store/schema.js';
import type { DialectName } from '../store/database.js';
import type { EngineDeps } from './deps.js';

export interface UnitOfWork {
  /** The transaction's handle: use only this inside the unit (never `deps.database.db`). */
  readonly trx: Kysely<Schema>;
  readonly dialect: DialectName;
  readonly now: number;
  /** Runs after a successful commit, in order; errors there are the callback's own to handle. */
  afterCommit(task: () => void | Promise<void>): void;
}

export async function inTransaction<T>(deps: EngineDeps, work: (uow: UnitOfWork) => Promise<T>): Promise<T> {
  const tasks: Array<() => void | Promise<void>> = [];
  const result = await deps.database.transaction((trx) =>
    work({ trx, dialect: deps.database.dialect, now: deps.clock.now(), afterCommit: (task) => tasks.push(task) }),
  );
  for (const task of tasks) await task();
  return result;
}
