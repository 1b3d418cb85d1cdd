import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';

describe('SQLite group commit', () => {
  let database: Database | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await database?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const put = (db: Database, key: string, fail = false) => db.transaction(async (trx) => {
    await trx.insertInto('meta').values({ key, value: 'v' }).execute();
    if (fail) throw new Error(`unit ${key} fails`);
    return key;
  });

  it('a failing unit rolls back alone; the others of its batch commit', async () => {
    database = openDatabase('sqlite::memory:');
    await migrateToLatest(database);
    const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => put(database!, `k${i}`, i % 3 === 0)));
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(10);
    const rows = await database.db.selectFrom('meta').select('key').execute();
    expect(rows.map((r) => r.key).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `k${i}`).filter((_, i) => i % 3 !== 0).sort());
  });

  it('units that arrive in the same turn share one commit', async () => {
    database = openDatabase('sqlite::memory:');
    await migrateToLatest(database);
    const before = { ...database.commitStats! };
    await Promise.all(Array.from({ length: 40 }, (_, i) => put(database!, `g${i}`)));
    expect(database.commitStats!.units - before.units).toBe(40);
    expect(database.commitStats!.batches - before.batches).toBe(1);
  });

  it('a unit that breaks a constraint fails without touching its neighbours', async () => {
    database = openDatabase('sqlite::memory:');
    await migrateToLatest(database);
    const results = await Promise.allSettled([put(database, 'same'), put(database, 'same'), put(database, 'other')]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('every resolved unit is on disk when its promise resolves (read back by a second connection)', async () => {
    dir = mkdtempSync(join(tmpdir(), 'paygate-gc-'));
    const url = `sqlite:${join(dir, 'db.sqlite')}`;
    database = openDatabase(url);
    await migrateToLatest(database);
    const other = openDatabase(url);
    try {
      await Promise.all(Array.from({ length: 50 }, async (_, i) => {
        await put(database!, `d${i}`);
        const seen = await other.db.selectFrom('meta').select('key').where('key', '=', `d${i}`).executeTakeFirst();
        expect(seen?.key).toBe(`d${i}`);
      }));
    } finally {
      await other.close();
    }
  });
});
