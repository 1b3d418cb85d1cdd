import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { openDatabase } from '../../src/store/database.js';
import { createPaygate } from '../../src/engine/paygate.js';
import { cliEnv, emptyDatabase, runCli, type EmptyDatabase } from './support.js';

for (const d of DIALECTS) {
  describe.skipIf(!d.available)(`paygate apps (${d.name})`, () => {
    let db: EmptyDatabase | undefined;
    afterEach(async () => {
      await db?.drop();
      db = undefined;
    });

    it('apps create --json on an empty database prints the app id and four working keys', async () => {
      db = await emptyDatabase(d.name);
      const result = await runCli(['apps', 'create', '--name', 'Script shop', '--json'], cliEnv(db));
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const printed = JSON.parse(result.stdout) as Record<string, string>;
      expect(Object.keys(printed).sort()).toEqual(['id', 'live_publishable_key', 'live_secret_key', 'name', 'test_publishable_key', 'test_secret_key']);
      expect(printed.id).toMatch(/^app_[0-9A-Za-z]{24}$/);
      expect(printed.name).toBe('Script shop');
      expect(printed.test_secret_key).toMatch(/^sk_test_/);
      expect(printed.live_secret_key).toMatch(/^sk_live_/);
      expect(printed.test_publishable_key).toMatch(/^pk_test_/);
      expect(printed.live_publishable_key).toMatch(/^pk_live_/);

      // The keys were really stored: the engine authenticates them as the new app's.
      const database = openDatabase(db.url);
      try {
        const paygate = createPaygate({ database, masterKey: Buffer.alloc(32, 7) });
        expect(await paygate.authenticate(printed.test_secret_key!)).toEqual({ app_id: printed.id, kind: 'secret', livemode: false });
        expect(await paygate.authenticate(printed.live_publishable_key!)).toEqual({ app_id: printed.id, kind: 'publishable', livemode: true });
      } finally {
        await database.close();
      }
    });

    it('apps list shows every created app, as a table and as JSON', async () => {
      db = await emptyDatabase(d.name);
      const env = cliEnv(db);
      const first = JSON.parse((await runCli(['apps', 'create', '--name', 'First', '--json'], env)).stdout) as { id: string };
      const second = JSON.parse((await runCli(['apps', 'create', '--name', 'Second', '--json'], env)).stdout) as { id: string };
      const json = await runCli(['apps', 'list', '--json'], env);
      expect(json.code).toBe(0);
      expect((JSON.parse(json.stdout) as { id: string }[]).map((a) => a.id).sort()).toEqual([first.id, second.id].sort());
      const table = await runCli(['apps', 'list'], env);
      expect(table.stdout).toContain(first.id);
      expect(table.stdout).toMatch(/Second\s+no\s+no/);
    });

    it('apps create without --name fails with a usage error and creates nothing', async () => {
      db = await emptyDatabase(d.name);
      const env = cliEnv(db);
      const result = await runCli(['apps', 'create', '--json'], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain("required option '--name <name>' not specified");
      expect(JSON.parse((await runCli(['apps', 'list', '--json'], env)).stdout)).toEqual([]);
    });

    it('an over-long name is refused with the engine\'s error naming the parameter', async () => {
      db = await emptyDatabase(d.name);
      const result = await runCli(['apps', 'create', '--name', 'x'.repeat(101)], cliEnv(db));
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('parameter_invalid');
      expect(result.stderr).toContain('(param: name)');
    });
  });
}
