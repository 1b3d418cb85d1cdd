import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { MIGRATIONS } from '../../src/store/migrations/index.js';
import { cliEnv, emptyDatabase, runCli, type EmptyDatabase } from './support.js';

for (const d of DIALECTS) {
  describe.skipIf(!d.available)(`paygate migrate (${d.name})`, () => {
    let db: EmptyDatabase | undefined;
    afterEach(async () => {
      await db?.drop();
      db = undefined;
    });

    it('applies every migration once; running it again changes nothing', async () => {
      db = await emptyDatabase(d.name);
      const env = cliEnv(db);
      const first = await runCli(['migrate', '--json'], env);
      expect(first.code).toBe(0);
      expect((JSON.parse(first.stdout) as { applied: string[] }).applied).toEqual(Object.keys(MIGRATIONS));

      const second = await runCli(['migrate', '--json'], env);
      expect(second.code).toBe(0);
      expect((JSON.parse(second.stdout) as { applied: string[] }).applied).toEqual([]);

      const plain = await runCli(['migrate'], env);
      expect(plain.stdout).toContain('already up to date');

      // The schema is usable after repeated runs.
      const created = await runCli(['apps', 'create', '--name', 'After migrate', '--json'], env);
      expect(created.code).toBe(0);
    });
  });
}
