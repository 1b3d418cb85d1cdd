/**
 * Following an app's events as they commit (`paygate listen`). New events are read by `seq`.
 * On PostgreSQL a sequence number can become visible after a higher one (its transaction
 * committed later), so skipped numbers are remembered as gaps and looked up again for a while;
 * a gap that never fills was a rolled-back transaction. SQLite commits in `seq` order.
 */
import type { Selectable } from 'kysely';
import type { EventsTable } from '../store/schema.js';
import type { EngineDeps } from '../engine/deps.js';
import type { Scope } from '../engine/api-types.js';

export type EventRow = Selectable<EventsTable>;

/** How long a missing sequence number is waited for. */
const GAP_PATIENCE_MS = 30_000;
/** Bound on remembered gaps (a sequence jump is rolled-back work, not thousands of late commits). */
const MAX_GAPS = 1000;

export interface EventTail {
  /** Events committed since the last poll (or since the tail started), oldest first. */
  poll(): Promise<EventRow[]>;
}

export async function tailEvents(deps: EngineDeps, scope: Scope): Promise<EventTail> {
  const db = deps.database.db;
  const scoped = () => db.selectFrom('events').selectAll().where('app_id', '=', scope.app_id).where('livemode', '=', scope.livemode ? 1 : 0);
  // Global seq, not per app: gaps are judged against every event, so read the global maximum.
  const start = await db.selectFrom('events').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
  let cursor = Number(start?.seq ?? 0);
  const gaps = new Map<number, number>();
  const watchGaps = deps.database.dialect === 'postgres';

  return {
    async poll() {
      const found: EventRow[] = [];
      if (watchGaps && gaps.size) {
        const late = await scoped().where('seq', 'in', [...gaps.keys()]).execute();
        for (const row of late) gaps.delete(row.seq);
        found.push(...late);
        const now = deps.clock.now();
        for (const [seq, since] of gaps) if (now - since > GAP_PATIENCE_MS) gaps.delete(seq);
      }
      // All apps' rows advance the cursor (to see gaps); only this app's are returned.
      const fresh = await db.selectFrom('events').selectAll().where('seq', '>', cursor).orderBy('seq').limit(500).execute();
      for (const row of fresh) {
        if (watchGaps) for (let missing = cursor + 1; missing < row.seq && gaps.size < MAX_GAPS; missing++) gaps.set(missing, deps.clock.now());
        cursor = row.seq;
        if (row.app_id === scope.app_id && row.livemode === (scope.livemode ? 1 : 0)) found.push(row);
      }
      return found.sort((a, b) => a.seq - b.seq);
    },
  };
}
