/**
 * The admin console in a real browser (headless Chromium): an operator logs in, creates an app
 * that needs payment, sees the reminder, adds a test channel through the generated form and sees
 * the reminder go, a charge is made and paid through the API, the operator finds it with
 * filters, opens its timeline, refunds half from the UI and sees the refund. Also: a wrong
 * password is refused, and a state-changing call without the CSRF token is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/server.js';
import { choose, confirmBox, ensureAdminBuilt, launchChromium, screenshotPath, settled } from './admin-browser.js';

const PASSWORD = 'browser-test-password';
process.env.PAYGATE_ADMIN_PASSWORD = PASSWORD;

describe('admin console in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let secretKey = '';
  let appId = '';
  let chargeId = '';
  const cspViolations: string[] = [];

  beforeAll(async () => {
    await ensureAdminBuilt();
    server = await startTestServer();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    page = await context.newPage();
    page.on('console', (message) => { if (message.type() === 'error' && /Content Security Policy|Refused to/.test(message.text())) cspViolations.push(message.text()); });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('refuses a wrong password with a message, then logs in', async () => {
    await page.goto(`${server.url}/admin/`);
    await page.waitForURL(/\/admin\/login/);
    await page.fill('input[name=username]', 'admin');
    await page.fill('input[name=password]', 'not the password');
    await page.click('button[type=submit]');
    await expect(page.locator('[data-test=login-error]').textContent()).resolves.toContain('用户名或密码错误');
    await page.screenshot({ path: screenshotPath('login.png') });
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForURL(`${server.url}/admin/`);
    await settled(page);
    await expect(page.locator('h1').first().textContent()).resolves.toBe('概览');
  });

  it('creates an app that needs payment, shows its keys once and reminds to enable payment', async () => {
    await page.goto(`${server.url}/admin/apps`);
    await page.click('[data-test=create-app]');
    await page.locator('[data-test=app-name]').fill('Browser shop');
    await page.locator('.el-dialog .el-switch').first().click();
    await page.click('[data-test=save-app]');
    const reveal = page.locator('.el-dialog:visible .secrets');
    await reveal.waitFor();
    secretKey = (await reveal.locator('.mono').first().textContent())?.trim() ?? '';
    expect(secretKey).toMatch(/^sk_test_[A-Za-z0-9]{32}$/);
    await page.click('[data-test=reveal-done]');
    appId = (await server.paygate.apps.list()).find((a) => a.name === 'Browser shop')!.id;

    await page.goto(`${server.url}/admin/`);
    await settled(page);
    const reminder = page.locator('[data-test=payment-reminder]', { hasText: 'Browser shop' });
    await expect(reminder.count()).resolves.toBe(1);
  });

  it('adds a test channel through the form generated from its option schema, and the reminder goes', async () => {
    await page.goto(`${server.url}/admin/channels`);
    await settled(page);
    await page.click('[data-test=add-channel]');
    await choose(page, 'channel-app', 'Browser shop');
    await page.click('[data-test=type-test]');
    await page.locator('[data-test=channel-name]').fill('Browser cashier');
    await page.locator('[data-test=opt-payment_password]').fill('pay-secret-77');
    await page.screenshot({ path: screenshotPath('channel-form.png') });
    await page.click('[data-test=save-channel]');
    await page.locator('[data-test=channels-table]').getByText('Browser cashier').waitFor();
    const channel = (await server.paygate.channels.list(appId))[0];
    expect(channel).toMatchObject({ name: 'Browser cashier', enabled: true, type: 'test' });
    expect(JSON.stringify(channel.options)).not.toContain('pay-secret-77');

    await page.goto(`${server.url}/admin/`);
    await settled(page);
    await expect(page.locator('[data-test=payment-reminder]', { hasText: 'Browser shop' }).count()).resolves.toBe(0);
  });

  it('finds a charge made and paid through the API with filters, and shows its timeline', async () => {
    const auth = { authorization: `Bearer ${secretKey}` };
    const created = await fetch(`${server.url}/v1/charges`, {
      method: 'POST', headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ order_no: 'BROWSER-42', app: { id: appId }, channel: 'test', amount: 2000, currency: 'cny', client_ip: '127.0.0.1', subject: 'Browser tea', body: 'Oolong', metadata: { orderNumber: 'P2026-42', detailUrl: 'https://shop.example.com/orders/42' } }),
    });
    const charge = (await created.json()) as { id: string; credential: { test: { pay_url: string } } };
    expect(created.status).toBe(200);
    chargeId = charge.id;
    await fetch(charge.credential.test.pay_url);
    expect((await server.paygate.charges.retrieve({ app_id: appId, livemode: false }, chargeId)).status).toBe('succeeded');

    await page.goto(`${server.url}/admin/transactions`);
    await settled(page);
    await choose(page, 'filter-app', 'Browser shop');
    await choose(page, 'filter-status', '支付成功');
    await page.locator('[data-test=filter-q]').fill('BROWSER-42');
    await page.click('[data-test=filter-submit]');
    await settled(page);
    const rows = page.locator('[data-test=transactions-table] .el-table__body-wrapper tr.el-table__row');
    await expect(rows.count()).resolves.toBe(1);
    await expect(rows.first().textContent()).resolves.toContain('¥20.00');
    await page.screenshot({ path: screenshotPath('transactions.png') });

    await rows.first().click();
    await page.waitForURL(new RegExp(`/admin/transactions/${chargeId}$`));
    await settled(page);
    const timeline = await page.locator('[data-test=timeline]').textContent();
    expect(timeline).toContain('pending → succeeded');
  });

  it('refunds half from the UI after a confirmation and shows the refund', async () => {
    await page.click('[data-test=refund-button]');
    const amount = page.locator('[data-test=refund-amount]');
    await expect(amount.inputValue()).resolves.toBe('20.00');
    await amount.fill('10.00');
    await page.locator('[data-test=refund-reason]').fill('half back');
    await page.click('[data-test=refund-submit]');
    await confirmBox(page);
    await page.locator('[data-test=refunded-tag]').waitFor();
    await expect(page.locator('[data-test=refunded-tag]').textContent()).resolves.toContain('¥10.00');
    await expect(page.locator('[data-test=refunds]').textContent()).resolves.toContain('退款成功');
    const stored = await server.paygate.charges.retrieve({ app_id: appId, livemode: false }, chargeId);
    expect(stored.amount_refunded).toBe(1000);
    await page.screenshot({ path: screenshotPath('transaction-detail-refunded.png'), fullPage: true });
  });

  it('refuses a state-changing call without the CSRF token, even with the session cookie', async () => {
    const result = await page.evaluate(async () => {
      const response = await fetch('/admin/api/apps', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'forged' }) });
      return { status: response.status, body: await response.json() as { error: { code: string } } };
    });
    expect(result.status).toBe(403);
    expect(result.body.error.code).toBe('csrf_token_invalid');
    expect((await server.paygate.apps.list()).map((a) => a.name)).not.toContain('forged');
  });

  it('shows the channel payment records with the order link and test badge', async () => {
    const channelId = (await server.paygate.channels.list(appId))[0].id;
    await page.goto(`${server.url}/admin/records?channel_id=${channelId}`);
    await settled(page);
    const link = page.locator('[data-test=records-table] a', { hasText: 'P2026-42' });
    await expect(link.getAttribute('href')).resolves.toBe('https://shop.example.com/orders/42');
    await expect(page.locator('[data-test=records-table]').textContent()).resolves.toContain('测试单');
  });

  it('switches to English', async () => {
    await page.goto(`${server.url}/admin/`);
    await settled(page);
    await page.locator('.topbar .lang').click();
    await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: 'English' }).click();
    await expect(page.locator('h1').first().textContent()).resolves.toBe('Dashboard');
    await page.locator('.topbar .lang').click();
    await page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: '中文' }).click();
  });

  it('renders every page at 1440×900 and 390×844 without horizontal overflow', async () => {
    // A little more data, so the pages show full tables and charts rather than one row.
    const scope = { app_id: appId, livemode: false };
    // An endpoint hears what happens from its creation on: create it before the charges.
    const endpoint = await page.evaluate(async (app) => {
      const session = await (await fetch('/admin/api/session')).json() as { csrf_token: string };
      const response = await fetch('/admin/api/webhooks/endpoints', { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrf_token }, body: JSON.stringify({ app_id: app, livemode: false, url: 'http://127.0.0.1:9/paygate/webhook', events: ['charge.*', 'refund.*'] }) });
      return response.status;
    }, appId);
    expect(endpoint).toBe(200);
    const outcomes = ['paid', 'paid', 'failed', 'paid', 'pending', 'paid', 'failed', 'paid', 'secured_paid'] as const;
    for (const [i, outcome] of outcomes.entries()) {
      const charge = await server.paygate.charges.create(scope, {
        order_no: `SHOT-${i}`, channel: 'test', amount: 990 + i * 1234, currency: 'cny', client_ip: '127.0.0.1',
        subject: ['Green tea', 'Oolong', 'Pu-erh', 'Jasmine'][i % 4], body: 'tea', type: i % 3 === 0 ? 'recharge' : 'order',
        ...(outcome === 'secured_paid' ? { extra: { escrow: true } } : {}),
      });
      if (outcome !== 'pending') await server.paygate.charges.simulate(scope, charge.id, outcome === 'secured_paid' ? 'paid' : outcome);
    }
    for (const event of (await server.paygate.events.list(scope, { limit: 5 })).data) {
      const resent = await page.evaluate(async (id) => {
        const session = await (await fetch('/admin/api/session')).json() as { csrf_token: string };
        const response = await fetch(`/admin/api/events/${id}/resend`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrf_token }, body: '{}' });
        return `${response.status} ${await response.text()}`;
      }, event.id);
      expect(resent).toMatch(/^200 /);
    }
    const pages = ['', 'apps', 'channels', 'transactions', `transactions/${chargeId}`, `records`, 'webhooks', 'webhooks?tab=deliveries'];
    for (const viewport of [{ width: 1440, height: 900 }, { width: 390, height: 844 }]) {
      await page.setViewportSize(viewport);
      for (const path of pages) {
        await page.goto(`${server.url}/admin/${path}`);
        await settled(page);
        await page.waitForTimeout(300);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        const name = `${(path || 'dashboard').replace(/[/?=]/g, '-').replace(/ch_[A-Za-z0-9]+/, 'detail')}-${viewport.width}.png`;
        await page.screenshot({ path: screenshotPath(name), fullPage: true });
        expect(overflow, `${path || 'dashboard'} at ${viewport.width}px overflows by ${overflow}px`).toBeLessThanOrEqual(0);
      }
    }
    expect(cspViolations).toEqual([]);
  }, 120_000); // visits every page at two sizes in a real browser

  it('opens the payment records on the channel of the newest paid charge, not the first listed', async () => {
    // A newer app's channel comes first in the list and has no payments.
    const quiet = await server.paygate.apps.create({ name: 'Quiet shop' });
    await server.paygate.channels.create(quiet.app.id, { type: 'test', name: 'Quiet cashier', livemode: false, enabled: true, options: {} });
    const paidOn = (await server.paygate.channels.list(appId))[0].id;
    await page.goto(`${server.url}/admin/records`);
    await settled(page);
    await page.waitForURL(new RegExp(`channel_id=${paidOn}`), { timeout: 10_000 });
    await expect(page.locator('[data-test=records-table]').textContent()).resolves.toContain('P2026-42');
  });
});
