import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualClock } from '../../src/core/clock.js';
import { DIALECTS } from '../support/dialects.js';
import { engineFixture, type EngineFixture } from '../support/engine.js';
import { createAdminConsole, type AdminConsole } from '../../src/engine/admin/admin-console.js';
import { hashPassword, verifyPassword } from '../../src/engine/admin/password-hash.js';

describe('console password hashes', () => {
  it('are salted scrypt hashes that verify only the right password', async () => {
    const a = await hashPassword('correct horse');
    const b = await hashPassword('correct horse');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(a).not.toBe(b);
    await expect(verifyPassword('correct horse', a)).resolves.toBe(true);
    await expect(verifyPassword('correct horsE', a)).resolves.toBe(false);
    await expect(verifyPassword('correct horse', 'plain-text')).resolves.toBe(false);
  });
});

for (const d of DIALECTS) {
  describe.skipIf(!d.available)(`console sessions and login (${d.name})`, () => {
    let fx: EngineFixture;
    let admin: AdminConsole;
    const clock = manualClock(Date.UTC(2026, 4, 1));
    const client = { ip: '10.0.0.8', userAgent: 'test' };

    beforeAll(async () => {
      fx = await engineFixture(d, { clock });
      admin = createAdminConsole(fx.paygate, { session: { idleTimeoutMs: 10 * 60_000, maxLifetimeMs: 60 * 60_000 }, throttle: { userFailures: 3, ipFailures: 100, baseLockMs: 60_000 } });
    });
    afterAll(async () => fx?.close());

    it('creates the first admin once, with a generated password when none is configured', async () => {
      const first = await admin.ensureFirstAdmin(undefined);
      expect(first).toMatchObject({ created: true, username: 'admin' });
      expect(first.generatedPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(await admin.ensureFirstAdmin('another-password')).toEqual({ created: false, username: 'admin' });
      const login = await admin.login({ username: 'admin', password: first.generatedPassword, ...client });
      expect(login.ok).toBe(true);
      const row = await fx.database.db.selectFrom('admin_users').select('password_hash').executeTakeFirstOrThrow();
      expect(row.password_hash).not.toContain(first.generatedPassword!);
    });

    it('ends a session after the idle timeout, and keeps an active one alive until its lifetime', async () => {
      await admin.users.create('idle', 'idle-password');
      const login = await admin.login({ username: 'idle', password: 'idle-password', ...client });
      if (!login.ok) throw new Error('login failed');
      clock.advance(9 * 60_000);
      expect(await admin.session(login.token)).toMatchObject({ username: 'idle' });
      clock.advance(9 * 60_000);
      expect(await admin.session(login.token)).toMatchObject({ username: 'idle' });
      clock.advance(10 * 60_000 + 1);
      expect(await admin.session(login.token)).toBeUndefined();

      const busy = await admin.login({ username: 'idle', password: 'idle-password', ...client });
      if (!busy.ok) throw new Error('login failed');
      for (let i = 0; i < 6; i++) {
        clock.advance(9 * 60_000);
        expect(await admin.session(busy.token)).toBeDefined();
      }
      clock.advance(9 * 60_000);
      expect(await admin.session(busy.token)).toBeUndefined();
    });

    it('stores only a hash of the session token, and each login gets a new one', async () => {
      const one = await admin.login({ username: 'idle', password: 'idle-password', ...client });
      const two = await admin.login({ username: 'idle', password: 'idle-password', ...client });
      if (!one.ok || !two.ok) throw new Error('login failed');
      expect(one.token).not.toBe(two.token);
      expect(one.csrfToken).not.toBe(two.csrfToken);
      const rows = await fx.database.db.selectFrom('admin_sessions').select('token_hash').execute();
      expect(rows.map((r) => r.token_hash)).not.toContain(one.token);
      await admin.logout(one.token);
      expect(await admin.session(one.token)).toBeUndefined();
      expect(await admin.session(two.token)).toBeDefined();
    });

    it('locks a user name after repeated failures, even for the right password, then lets it try again', async () => {
      await admin.users.create('target', 'target-password');
      const attempt = (password: string) => admin.login({ username: 'target', password, ...client });
      expect(await attempt('wrong-1')).toEqual({ ok: false, reason: 'invalid' });
      expect(await attempt('wrong-2')).toEqual({ ok: false, reason: 'invalid' });
      expect(await attempt('wrong-3')).toEqual({ ok: false, reason: 'invalid' });
      expect(await attempt('wrong-4')).toMatchObject({ ok: false, reason: 'locked', retryAfterMs: 60_000 });
      expect(await attempt('target-password')).toMatchObject({ ok: false, reason: 'locked' });
      clock.advance(60_001);
      expect(await attempt('wrong-5')).toMatchObject({ ok: false, reason: 'locked', retryAfterMs: 120_000 });
      clock.advance(120_001);
      expect((await attempt('target-password')).ok).toBe(true);
      // Success forgets the user's failures.
      expect(await attempt('wrong-6')).toEqual({ ok: false, reason: 'invalid' });
    });

    it('changing a password ends every session of that operator', async () => {
      const login = await admin.login({ username: 'idle', password: 'idle-password', ...client });
      if (!login.ok) throw new Error('login failed');
      await admin.users.setPassword(login.user.id, 'a-new-password');
      expect(await admin.session(login.token)).toBeUndefined();
      expect((await admin.login({ username: 'idle', password: 'a-new-password', ...client })).ok).toBe(true);
    });
  });
}
