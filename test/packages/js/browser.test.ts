/**
 * packages/js in a real browser (headless Chromium) against a real paygate: the /demo page pays a
 * test charge while watchChargeStatus shows pending → succeeded; the Vue PaymentMixin works as in
 * seed 000 (watch first, then create, then fetch the pay URL); the polling fallback and pay() too.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestServer, type TestServer } from '../../support/server.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT_DIR = '/tmp/paygate-screenshots';

describe('browser SDK in headless Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.on('pageerror', (error) => console.error('page error:', error));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('the /demo page watches a test payment go from pending to succeeded', async () => {
    await page.goto(`${server.url}/demo`);
    await page.click('#pay');
    await page.locator('#timeline li[data-status="succeeded"]').waitFor({ timeout: 15_000 });
    const statuses = await page.locator('#timeline li').evaluateAll((items) => items.map((li) => (li as HTMLElement).dataset.status));
    expect(statuses).toEqual(['pending', 'succeeded']);
    expect(await page.locator('#result').textContent()).toContain('Paid');
    const chargeId = (await page.locator('#charge').textContent())!.trim();
    const charge = await server.paygate.charges.retrieve({ app_id: server.app.id, livemode: false }, chargeId);
    expect(charge).toMatchObject({ status: 'succeeded', amount: 100, subject: 'Coffee' });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await page.screenshot({ path: `${SCREENSHOT_DIR}/demo.png`, fullPage: true });
  });

  // Browser code is passed as text: the test runner would otherwise rewrite its dynamic imports.
  it('PaymentMixin: watch (before the charge exists), create, fetch the pay URL, see it paid', async () => {
    await page.goto(`${server.url}/demo`);
    const seen = await page.evaluate(`(async () => {
      const { configure } = await import('/demo/sdk/index.js');
      const { createPaymentMixin } = await import('/demo/sdk/vue-mixin.js');
      configure({ baseUrl: '' });
      const mixin = createPaymentMixin({ createChargeUrl: '/demo/api/charge' });
      // What Vue does with a mixin, in a few lines: data() merged in, methods bound to the component.
      const component = { ...mixin.data() };
      for (const [name, fn] of Object.entries(mixin.methods)) component[name] = fn.bind(component);
      const statuses = [];
      const done = new Promise((resolve) => component.watchChargeStatus((data) => {
        statuses.push(data.status);
        if (data.status === 'succeeded') resolve();
      }));
      const charge = await component.createCharge({ amount: 100, subject: 'Test Order', body: 'seed 000', source: 'pc', channel: 'TEST' });
      const res = await component.fetchPayUrl(charge, { channel: 'TEST' });
      await fetch(res.pay_url); // test mode: visiting the pay URL pays
      await done;
      mixin.beforeUnmount.call(component);
      return { statuses, chargeStatus: component.chargeStatus, payUrl: res.pay_url };
    })()`) as { statuses: string[]; chargeStatus: string; payUrl: string };
    expect(seen.statuses).toEqual(['pending', 'succeeded']);
    expect(seen.chargeStatus).toBe('succeeded');
    expect(seen.payUrl).toMatch(/\/pay\/test\/ch_/);
  });

  it('falls back to polling, and pay() follows the credential', async () => {
    await page.goto(`${server.url}/demo`);
    const result = await page.evaluate(`(async () => {
      const sdk = await import('/demo/sdk/index.js');
      sdk.configure({ baseUrl: '', createChargeUrl: '/demo/api/charge', pollIntervalMs: 100 });
      const charge = await sdk.createCharge({ amount: 200, subject: 'Polling' });
      const statuses = [];
      let mode = '';
      const finished = new Promise((resolve) => {
        const watch = sdk.watchChargeStatus(charge, (c) => {
          statuses.push(c.status);
          if (c.status === 'succeeded') resolve();
        }, { transport: 'polling' });
        mode = watch.mode;
      });
      const action = await sdk.pay(charge, { navigate: false });
      await fetch(action.url);
      await finished;
      let missing = '';
      try { sdk.payAction({ id: 'ch_x', channel: 'test', credential: {} }); } catch (error) { missing = error.message; }
      return { statuses, mode, action, missing };
    })()`) as { statuses: string[]; mode: string; action: { kind: string }; missing: string };
    expect(result.mode).toBe('polling');
    expect(result.statuses).toEqual(['pending', 'succeeded']);
    expect(result.action).toMatchObject({ kind: 'redirect' });
    expect(result.missing).toMatch(/no credential/);
  });

  it('pay() shows a QR charge in its container, and hands a JSAPI charge to WeixinJSBridge', async () => {
    await page.goto(`${server.url}/demo`);
    const result = await page.evaluate(`(async () => {
      const sdk = await import('/demo/sdk/index.js');
      const container = document.createElement('div');
      document.body.append(container);
      const native = { id: 'ch_q1', channel: 'wx_pub_qr', credential: { wx_pub_qr: { code_url: 'weixin://wxpay/bizpayurl?pr=abc', url: '/demo?qr=wx' } } };
      const precreate = { id: 'ch_q2', channel: 'alipay_qr', credential: { alipay_qr: { qr_code: 'https://qr.alipay.com/bax01', url: '/demo?qr=ali' } } };
      const wxAction = await sdk.pay(native, { container });
      const frame = container.querySelector('iframe');
      const aliAction = sdk.payAction(precreate);
      const invoked = [];
      window.WeixinJSBridge = { invoke: (name, params, callback) => { invoked.push({ name, params }); callback({ err_msg: 'get_brand_wcpay_request:ok' }); } };
      const params = { appId: 'wx1', timeStamp: '1700000000', nonceStr: 'n', package: 'prepay_id=wx2', signType: 'RSA', paySign: 'sig' };
      const jsapi = await sdk.pay({ id: 'ch_j', channel: 'wx_pub', credential: { wx_pub: params } });
      return { wxAction, frameSrc: frame && frame.getAttribute('src'), aliAction, jsapi, invoked };
    })()`) as { wxAction: object; frameSrc: string | null; aliAction: object; jsapi: object; invoked: { name: string; params: object }[] };
    expect(result.wxAction).toEqual({ kind: 'qr', url: '/demo?qr=wx', content: 'weixin://wxpay/bizpayurl?pr=abc' });
    expect(result.frameSrc).toBe('/demo?qr=wx');
    expect(result.aliAction).toEqual({ kind: 'qr', url: '/demo?qr=ali', content: 'https://qr.alipay.com/bax01' });
    expect(result.jsapi).toEqual({ kind: 'jsapi', result: 'get_brand_wcpay_request:ok' });
    expect(result.invoked).toEqual([{ name: 'getBrandWCPayRequest', params: { appId: 'wx1', timeStamp: '1700000000', nonceStr: 'n', package: 'prepay_id=wx2', signType: 'RSA', paySign: 'sig' } }]);
  });
});
