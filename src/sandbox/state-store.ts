/**
 * Where a protocol sandbox keeps its trades. Embedded in paygate (test mode) it uses the
 * `sandbox_state` table so trades survive a restart; standalone (`paygate sandbox …`) it may
 * use memory. Documents are JSON, keyed per provider.
 */
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../store/schema.js';

export interface SandboxStateStore {
  get<T>(key: string): Promise<T | undefined>;
  put<T>(key: string, value: T): Promise<void>;
  /** Documents whose key starts with `prefix`. */
  list<T>(prefix: string): Promise<T[]>;
}

export function memoryStateStore(): SandboxStateStore {
  const docs = new Map<string, string>();
  return {
    async get<T>(key: string) {
      const text = docs.get(key);
      return text === undefined ? undefined : (JSON.parse(text) as T);
    },
    async put(key, value) {
      docs.set(key, JSON.stringify(value));
    },
    async list<T>(prefix: string) {
      return [...docs.entries()].filter(([k]) => k.startsWith(prefix)).map(([, v]) => JSON.parse(v) as T);
    },
  };
}

export function databaseStateStore(db: Kysely<Schema>, provider: string, now: () => number = Date.now): SandboxStateStore {
  return {
    async get<T>(key: string) {
      const row = await db.selectFrom('sandbox_state').select('data').where('provider', '=', provider).where('key', '=', key).executeTakeFirst();
      return row ? (JSON.parse(row.data) as T) : undefined;
    },
    async put(key, value) {
      const data = JSON.stringify(value);
      await db.insertInto('sandbox_state')
        .values({ provider, key, data, updated_at: now() })
        .onConflict((oc) => oc.columns(['provider', 'key']).doUpdateSet({ data, updated_at: now() }))
        .execute();
    },
    async list<T>(prefix: string) {
      const rows = await db.selectFrom('sandbox_state').select('data').where('provider', '=', provider).where(sql<string>`substr(key, 1, ${prefix.length})`, '=', prefix).execute();
      return rows.map((r) => JSON.parse(r.data) as T);
    },
  };
}
