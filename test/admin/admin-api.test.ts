import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/dialects.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { ConsoleClient } from './console-client.js';

const PASSWORD = 'correct horse battery staple';
process.env.PAYGATE_ADMIN_PASSWORD = PASSWORD;

for (const d of DIALECTS) {
  describe.skipIf(!d.available)(`admin API (${d.name})`, () => {
    let server: TestServer;
    let client: ConsoleClient;

    beforeAll(async () => {
      server = await startTestServer({ dialect: d });
      client = new ConsoleClient(server.url);
    });
    afterAll(async () => server?.close());

    it('refuses every console call without a session', async () => {
      const response = await client.call('GET', '/admin/api/transactions');
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ error: { code: 'admin_session_required' } });
    });

    it('logs in with the first admin from PAYGATE_ADMIN_PASSWORD and sets a strict HttpOnly cookie', async () => {
      const response = await client.login('admin', PASSWORD);
      expect(response.status).toBe(200);
      const cookie = response.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/^paygate_admin=[A-Za-z0-9_-]{40,};/);
      expect(cookie).toContain('HttpOnly');
      expect(cookie).toContain('SameSite=Strict');
      expect(cookie).toContain('Path=/admin');
      expect(cookie).not.toContain('Secure');
      expect(response.body).toMatchObject({ user: { username: 'admin' } });
      expect(String(response.body.csrf_token)).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    });

    it('gives a new session id at every login and ends the old one', async () => {
      const other = new ConsoleClient(server.url);
      await other.login('admin', PASSWORD);
      const before = other.cookie;
      await other.login('admin', PASSWORD);
      expect(other.cookie).not.toBe(before);
      const stale = new ConsoleClient(server.url);
      stale.cookie = before;
      expect((await stale.call('GET', '/admin/api/session')).status).toBe(401);
    });

    it('refuses a state-changing call without the CSRF token, and with a wrong one', async () => {
      const without = await client.call('POST', '/admin/api/apps', { name: 'No CSRF' }, { csrf: false });
      expect(without.status).toBe(403);
      expect(without.body).toMatchObject({ error: { code: 'csrf_token_invalid' } });
      const saved = client.csrf;
      client.csrf = 'x'.repeat(32);
      const wrong = await client.call('POST', '/admin/api/apps', { name: 'Wrong CSRF' });
      client.csrf = saved;
      expect(wrong.status).toBe(403);
      const apps = await client.call<{ data: Array<{ name: string }> }>('GET', '/admin/api/apps');
      expect(apps.body.data.map((a) => a.name)).not.toContain('No CSRF');
    });

    it('creates an app through POST /v1/apps with an admin session and shows its keys once', async () => {
      const created = await client.call<{ app: { id: string; name: string }; keys: Record<string, string> }>('POST', '/v1/apps', { name: 'Console shop', requires_payment: true });
      expect(created.status).toBe(200);
      expect(created.body.keys.test_secret_key).toMatch(/^sk_test_/);
      const listed = await client.call<{ data: Array<{ id: string; keys: Array<{ hint: string }>; missing: string[] }> }>('GET', '/admin/api/apps');
      const app = listed.body.data.find((a) => a.id === created.body.app.id);
      expect(app?.keys).toHaveLength(4);
      expect(JSON.stringify(listed.body)).not.toContain(created.body.keys.test_secret_key);
      expect(app?.missing.length).toBeGreaterThan(0);
      const anonymous = await new ConsoleClient(server.url).call('POST', '/v1/apps', { name: 'Nobody' });
      expect(anonymous.status).toBe(401);
    });

    it('creates a channel, lists a paid charge with filters, shows its timeline and refunds half', async () => {
      const apps = await client.call<{ data: Array<{ id: string; name: string }> }>('GET', '/admin/api/apps');
      const appId = apps.body.data.find((a) => a.name === 'Console shop')!.id;
      const channel = await client.call<{ id: string; enabled: boolean; options: Record<string, unknown> }>('POST', '/admin/api/channels', {
        app_id: appId, type: 'test', name: 'Cashier', livemode: false, options: { payment_password: 'secret-pass-1' }, fee: { percent_bp: 60, fixed: 0 },
      });
      expect(channel.status).toBe(200);
      expect(JSON.stringify(channel.body.options)).not.toContain('secret-pass-1');

      const scope = { app_id: appId, livemode: false };
      const charge = await server.paygate.charges.create(scope, { order_no: 'ORDER-1001', channel: 'test', amount: 1000, currency: 'cny', client_ip: '127.0.0.1', subject: 'Tea', body: 'Green tea' });
      await server.paygate.charges.simulate(scope, charge.id, 'paid');

      const found = await client.call<{ data: Array<{ id: string; status: string; channel_name: string }> }>('GET', `/admin/api/transactions?livemode=false&app_id=${appId}&status=succeeded&q=ORDER-1001`);
      expect(found.body.data.map((t) => t.id)).toEqual([charge.id]);
      expect(found.body.data[0].channel_name).toBe('Cashier');
      const none = await client.call<{ data: unknown[] }>('GET', `/admin/api/transactions?livemode=false&app_id=${appId}&status=closed`);
      expect(none.body.data).toEqual([]);

      const detail = await client.call<{ log: Array<{ kind: string; message: string }>; actions: { refund: boolean; refundable: number } }>('GET', `/admin/api/transactions/${charge.id}`);
      expect(detail.body.log.filter((l) => l.kind === 'transition').map((l) => l.message).join('\n')).toMatch(/pending → succeeded/);
      expect(detail.body.actions).toMatchObject({ refund: true, refundable: 1000 });

      const refund = await client.call<{ status: string; amount: number }>('POST', `/admin/api/transactions/${charge.id}/refund`, { amount: 500, description: 'half back' });
      expect(refund.body).toMatchObject({ status: 'succeeded', amount: 500 });
      const after = await client.call<{ charge: { amount_refunded: number }; actions: { refundable: number } }>('GET', `/admin/api/transactions/${charge.id}`);
      expect(after.body.charge.amount_refunded).toBe(500);
      expect(after.body.actions.refundable).toBe(500);

      const csv = await client.call('GET', `/admin/api/transactions/export.csv?livemode=false&app_id=${appId}&tz_offset=-480`);
      expect(csv.headers.get('content-type')).toContain('text/csv');
      expect(csv.text).toContain('ORDER-1001');
      expect(csv.text).toContain(',10.00,5.00,');
    });

    it('tests a channel connection, refuses to delete it while a charge is pending, then deletes it', async () => {
      const apps = await client.call<{ data: Array<{ id: string; name: string }> }>('GET', '/admin/api/apps');
      const appId = apps.body.data.find((a) => a.name === 'Console shop')!.id;
      const channel = await client.call<{ id: string }>('POST', '/admin/api/channels', { app_id: appId, type: 'test', name: 'Short-lived', livemode: false, options: { payment_password: 'secret-pass-2' } });
      const test = await client.call<{ ok: boolean; message: string }>('POST', `/admin/api/channels/${channel.body.id}/test`, {});
      expect(test.body).toMatchObject({ ok: true });
      const pending = await server.paygate.charges.create({ app_id: appId, livemode: false }, { order_no: 'PENDING-1', channel: 'test', amount: 300, currency: 'cny', client_ip: '127.0.0.1', subject: 'x', body: 'y', channel_id: channel.body.id });
      const refused = await client.call('DELETE', `/admin/api/channels/${channel.body.id}`);
      expect(refused.status).toBe(409);
      expect(refused.body).toMatchObject({ error: { code: 'channel_has_pending_charges' } });
      const closed = await client.call<{ status: string }>('POST', `/admin/api/transactions/${pending.id}/close`, {});
      expect(closed.body.status).toBe('closed');
      expect((await client.call('DELETE', `/admin/api/channels/${channel.body.id}`)).status).toBe(200);
      const types = await client.call<{ data: Array<{ type: string; options: Array<{ name: string; secret: boolean; label: { zh: string } }> }> }>('GET', '/admin/api/channel-types');
      const testType = types.body.data.find((t) => t.type === 'test')!;
      expect(testType.options.find((o) => o.name === 'payment_password')).toMatchObject({ secret: true, label: { zh: '支付密码' } });
    });

    it('manages a webhook endpoint (secret shown once) and resends an event to it', async () => {
      const apps = await client.call<{ data: Array<{ id: string; name: string }> }>('GET', '/admin/api/apps');
      const appId = apps.body.data.find((a) => a.name === 'Console shop')!.id;
      const created = await client.call<{ id: string; secret: string }>('POST', '/admin/api/webhooks/endpoints', { app_id: appId, livemode: false, url: 'http://127.0.0.1:9/hook', events: ['charge.*'] });
      expect(created.status).toBe(200);
      expect(created.body.secret).toMatch(/^whsec_/);
      const listed = await client.call('GET', '/admin/api/webhooks/endpoints?livemode=false');
      expect(listed.text).toContain(created.body.id);
      expect(listed.text).not.toContain(created.body.secret);
      const charge = await server.paygate.charges.create({ app_id: appId, livemode: false }, { order_no: 'HOOKED-1', channel: 'test', amount: 100, currency: 'cny', client_ip: '127.0.0.1', subject: 'x', body: 'y' });
      const event = (await server.paygate.events.list({ app_id: appId, livemode: false }, { charge: charge.id })).data.find((e) => e.type === 'charge.pending')!;
      const resent = await client.call<{ data: Array<{ url?: string }> }>('POST', `/admin/api/events/${event.id}/resend`, {});
      expect(resent.status).toBe(200);
      expect(JSON.stringify(resent.body)).toContain('http://127.0.0.1:9/hook');
      const detail = await client.call<{ deliveries: Array<{ url: string; status: string }> }>('GET', `/admin/api/transactions/${charge.id}`);
      expect(detail.body.deliveries.map((d) => d.url)).toContain('http://127.0.0.1:9/hook');
      const deliveries = await client.call<{ data: Array<{ event_id: string }> }>('GET', '/admin/api/webhooks/deliveries?livemode=false');
      expect(deliveries.body.data.map((d) => d.event_id)).toContain(event.id);
      expect((await client.call('DELETE', `/admin/api/webhooks/endpoints/${created.body.id}`)).status).toBe(200);
    });

    it('refuses a wrong password, then throttles even the right one', async () => {
      const guesser = new ConsoleClient(server.url);
      await server.paygate.deps.database.db.deleteFrom('admin_login_attempts').execute();
      const { adminConsoleFor } = await import('../../src/engine/admin/admin-console.js');
      await adminConsoleFor(server.paygate).users.create('victim', 'the right password');
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) statuses.push((await guesser.login('victim', `guess-${i}`)).status);
      expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(statuses.slice(5)).toEqual([429, 429]);
      const right = await guesser.login('victim', 'the right password');
      expect(right.status).toBe(429);
      expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    });

    it('serves the SPA shell (or the not-built page) at /admin with deep links', async () => {
      const response = await fetch(`${server.url}/admin/transactions/ch_123`);
      expect([200, 503]).toContain(response.status);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(await response.text()).toMatch(/<div id="app">|not built/);
      const api404 = await client.call('GET', '/admin/api/nope');
      expect(api404.status).toBe(404);
    });
  });
}
