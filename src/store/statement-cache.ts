/**
 * Kysely's SQLite driver calls `prepare(sql)` for every query; preparing costs more than running
 * most of paygate's statements. This wraps a better-sqlite3 database so each distinct SQL text
 * is prepared once and reused (a bounded LRU: query shapes are few, but never unbounded).
 */
import type SqliteDatabase from 'better-sqlite3';
import type { SqliteDatabase as KyselySqliteDatabase } from 'kysely';

export function withStatementCache(db: SqliteDatabase.Database, capacity = 512): KyselySqliteDatabase {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => {
      cache.clear();
      db.close();
    },
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (statement) {
        // Re-insert to mark as most recently used.
        cache.delete(sql);
      } else {
        statement = db.prepare(sql);
        if (cache.size >= capacity) cache.delete(cache.keys().next().value as string);
      }
      cache.set(sql, statement);
      return statement as unknown as ReturnType<KyselySqliteDatabase['prepare']>;
    },
  };
}
