import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { openDatabase } from '../../src/store/database.js';
import { createPaygate } from '../../src/engine/paygate.js';
import { ensureFirstAdmin } from '../../src/engine/admin/admin-users.js';
import { login } from '../../src/engine/admin/login.js';
import { DEFAULT_SESSION_POLICY } from '../../src/engine/admin/admin-sessions.js';
import { recordFailure, DEFAULT_THROTTLE_POLICY, lockedFor } from '../../src/engine/admin/login-throttle.js';
import { cliEnv, emptyDatabase, runCli, type EmptyDatabase } from './support.js';

type Engine = ReturnType<typeof createPaygate>;

function adminLogin(paygate: Engine, input: { username: string; password: string; ip: string }) {
  return login(paygate.deps, { session: DEFAULT_SESSION_POLICY, throttle: DEFAULT_THROTTLE_POLICY }, { ...input, userAgent: 'test' });
}

for (const d of DIALECTS) {
  describe.skipIf(!d.available)(`paygate admins (${d.name})`, () => {
    let db: EmptyDatabase | undefined;
    afterEach(async () => {
      await db?.drop();
      db = undefined;
    });

    /** The first operator, as `paygate serve` creates it on a first start, with a password nobody kept. */
    async function withFirstAdmin(): Promise<EmptyDatabase> {
      db = await emptyDatabase(d.name);
      expect((await runCli(['migrate'], cliEnv(db))).code).toBe(0);
      await withEngine(db.url, (paygate) => ensureFirstAdmin(paygate.deps, 'lost-password-1'));
      return db;
    }

    async function withEngine<T>(url: string, work: (paygate: Engine) => Promise<T>): Promise<T> {
      const database = openDatabase(url);
      try {
        return await work(createPaygate({ database, masterKey: Buffer.alloc(32, 7) }));
      } finally {
        await database.close();
      }
    }

    it('reset-password generates a password that logs in, ends old sessions and lifts a lock', async () => {
      const empty = await withFirstAdmin();
      const oldSession = await withEngine(empty.url, (paygate) => adminLogin(paygate, { username: 'admin', password: 'lost-password-1', ip: '10.0.0.1' }));
      expect(oldSession.ok).toBe(true);
      // Someone guessed until the name was locked.
      await withEngine(empty.url, async (paygate) => {
        for (let i = 0; i < DEFAULT_THROTTLE_POLICY.userFailures + 1; i++) await recordFailure(paygate.deps, DEFAULT_THROTTLE_POLICY, 'admin', `10.0.1.${i}`);
        expect(await lockedFor(paygate.deps, 'admin', '10.0.2.1')).toBeGreaterThan(0);
      });

      const result = await runCli(['admins', 'reset-password', '--json'], cliEnv(empty));
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const printed = JSON.parse(result.stdout) as { username: string; password: string };
      expect(printed.username).toBe('admin');
      expect(printed.password).toMatch(/^[A-Za-z0-9_-]{24}$/);

      await withEngine(empty.url, async (paygate) => {
        expect(await lockedFor(paygate.deps, 'admin', '10.0.2.1')).toBe(0);
        expect((await adminLogin(paygate, { username: 'admin', password: 'lost-password-1', ip: '10.0.2.1' })).ok).toBe(false);
        expect((await adminLogin(paygate, { username: 'admin', password: printed.password, ip: '10.0.2.1' })).ok).toBe(true);
        // Only the session just opened is left: the one from before the reset is gone.
        expect(await paygate.deps.database.db.selectFrom('admin_sessions').select('token_hash').execute()).toHaveLength(1);
      });
    });

    it('reset-password takes PAYGATE_ADMIN_PASSWORD when set and never prints it', async () => {
      const empty = await withFirstAdmin();
      const result = await runCli(['admins', 'reset-password'], { ...cliEnv(empty), PAYGATE_ADMIN_PASSWORD: 'chosen-by-ops-42' });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('PAYGATE_ADMIN_PASSWORD');
      expect(result.stdout).not.toContain('chosen-by-ops-42');
      await withEngine(empty.url, async (paygate) => {
        expect((await adminLogin(paygate, { username: 'admin', password: 'chosen-by-ops-42', ip: '10.0.0.1' })).ok).toBe(true);
      });
    });

    it('reset-password refuses an unknown operator and a password too short, changing nothing', async () => {
      const empty = await withFirstAdmin();
      const unknown = await runCli(['admins', 'reset-password', '--username', 'nobody'], cliEnv(empty));
      expect(unknown.code).toBe(1);
      expect(unknown.stderr).toContain('No operator is named nobody');
      const short = await runCli(['admins', 'reset-password'], { ...cliEnv(empty), PAYGATE_ADMIN_PASSWORD: 'short' });
      expect(short.code).toBe(1);
      expect(short.stderr).toContain('at least 8 characters');
      await withEngine(empty.url, async (paygate) => {
        expect((await adminLogin(paygate, { username: 'admin', password: 'lost-password-1', ip: '10.0.0.1' })).ok).toBe(true);
      });
    });

    it('list shows the operators, as a table and as JSON', async () => {
      const empty = await withFirstAdmin();
      const json = await runCli(['admins', 'list', '--json'], cliEnv(empty));
      expect(json.code).toBe(0);
      expect((JSON.parse(json.stdout) as { username: string; last_login: number | null }[]).map((u) => [u.username, u.last_login])).toEqual([['admin', null]]);
      const table = await runCli(['admins', 'list'], cliEnv(empty));
      expect(table.stdout).toMatch(/admin\s+adm_\S+\s+\S.*never/);
    });
  });
}
