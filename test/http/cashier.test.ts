/**
 * The test channel's cashier in a real browser (headless Chromium via playwright-core): a plain
 * visit pays; the interactive page shows subject, amount in yuan and merchant, refuses a wrong
 * payment password, pays with the right one, and Fail closes the charge. Screenshots are written
 * to a temporary folder (printed) so a person can look at them.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../support/server.js';
import type { ChargeObject } from '../../src/engine/api-types.js';
import { chargeBody, client } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
/** Outside the repository; set PAYGATE_SCREENSHOTS to keep them elsewhere. */
const SHOTS = process.env.PAYGATE_SCREENSHOTS ?? join(tmpdir(), 'paygate-cashier-screenshots');

describe.skipIf(!existsSync(CHROMIUM))('the test cashier in Chromium', () => {
  let s: TestServer;
  let call: ReturnType<typeof client>;
  let browser: Browser;

  beforeAll(async () => {
    s = await startTestServer({ testChannelOptions: { payment_password: '246810', merchant_name: '蓝杯咖啡 Blue Cup Coffee' } });
    call = client(s);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    mkdirSync(SHOTS, { recursive: true });
    console.info(`cashier screenshots: ${SHOTS}`);
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  const status = async (id: string) => (await call<ChargeObject>('GET', `/v1/charges/${id}`)).body.status;
  const payUrl = (charge: ChargeObject) => (charge.credential.test as { pay_url: string }).pay_url;

  it('pays on a plain visit and shows the result, with JavaScript off', async () => {
    const charge = (await call<ChargeObject>('POST', '/v1/charges', chargeBody({ amount: 990 }))).body;
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(payUrl(charge));
    await expect.poll(() => page.textContent('h1')).toContain('支付成功');
    expect(await page.textContent('.amount')).toContain('9.90');
    await page.screenshot({ path: `${SHOTS}/plain-visit-result.png`, fullPage: true });
    await context.close();
    expect(await status(charge.id)).toBe('succeeded');
  });

  it('asks for the payment password on an interactive charge: wrong is refused, right pays', async () => {
    const charge = (await call<ChargeObject>('POST', '/v1/charges', chargeBody({ amount: 3250, subject: '拿铁咖啡 Latte ×2', extra: { interactive: true }, return_url: `${s.url}/v1/openapi.json` }))).body;
    for (const viewport of [{ width: 1280, height: 860, name: 'desktop' }, { width: 390, height: 844, name: 'phone' }]) {
      const context = await browser.newContext({ viewport, javaScriptEnabled: false });
      const page = await context.newPage();
      await page.goto(payUrl(charge));
      expect(await page.textContent('.subject')).toBe('拿铁咖啡 Latte ×2');
      expect(await page.textContent('.amount')).toBe('¥32.50');
      expect(await page.textContent('.merchant')).toContain('蓝杯咖啡 Blue Cup Coffee');
      expect(await page.isVisible('input[type=password]')).toBe(true);
      expect(await page.isVisible('button.pay')).toBe(true);
      expect(await page.isVisible('button.fail')).toBe(true);
      await page.screenshot({ path: `${SHOTS}/interactive-${viewport.name}.png`, fullPage: true });
      await context.close();
    }
    expect(await status(charge.id)).toBe('pending');

    const page = await browser.newPage();
    await page.goto(payUrl(charge));
    await page.fill('input[type=password]', '111111');
    await page.click('button.pay');
    expect(await page.textContent('.error')).toContain('支付密码错误');
    await page.screenshot({ path: `${SHOTS}/interactive-wrong-password.png`, fullPage: true });
    expect(await status(charge.id)).toBe('pending');

    await page.fill('input[type=password]', '246810');
    await page.click('button.pay');
    expect(await page.textContent('h1')).toContain('支付成功');
    await page.screenshot({ path: `${SHOTS}/interactive-paid.png`, fullPage: true });
    expect(await status(charge.id)).toBe('succeeded');
    // The result page sends the buyer on to the return_url after a few seconds.
    await page.waitForURL(`${s.url}/v1/openapi.json`, { timeout: 10_000 });
    await page.close();
  });

  it('closes the charge when the buyer presses Fail', async () => {
    const charge = (await call<ChargeObject>('POST', '/v1/charges', chargeBody({ extra: { interactive: true } }))).body;
    const page = await browser.newPage();
    await page.goto(payUrl(charge));
    await page.fill('input[type=password]', '246810');
    await page.click('button.fail');
    expect(await page.textContent('h1')).toContain('交易已关闭');
    await page.close();
    expect(await status(charge.id)).toBe('closed');
  });
});
