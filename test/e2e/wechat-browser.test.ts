/**
 * JSAPI in a real browser (headless Chromium): the buyer opens paygate's JSAPI page for a
 * `wx_pub` charge; in test mode the page loads the sandbox's WeixinJSBridge, calls
 * `getBrandWCPayRequest` with the charge's credential, the bridge verifies paySign and pays, the
 * notify reaches paygate, and the page moves on to the result page. v2 and v3, both dialects.
 */
process.env.PAYGATE_SANDBOX_RETRY_SCHEDULE = '300ms,300ms,1s';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { DIALECTS } from '../support/dialects.js';
import { launchChromium } from './admin-browser.js';
import { wechatRig, type WechatRig } from './wechat-support.js';

let browser: Browser;
beforeAll(async () => { browser = await launchChromium(); }, 60_000);
afterAll(async () => { await browser?.close(); });

for (const dialect of DIALECTS) {
  for (const version of ['v2', 'v3'] as const) {
    describe.skipIf(!dialect.available)(`JSAPI through the test page in Chromium (${dialect.name}, ${version})`, () => {
      let rig: WechatRig;
      beforeAll(async () => { rig = await wechatRig(dialect, version, 'HMAC-SHA256'); });
      afterAll(async () => { await rig?.close(); });

      it('pays with WeixinJSBridge.invoke(getBrandWCPayRequest) and lands on the result page', async () => {
        const charge = await rig.charge('wx_pub', 2599, { open_id: await rig.openid('chromium-buyer') });
        const page = await browser.newPage();
        try {
          await page.goto(`${rig.server.url}/pay/wechat/jsapi/${charge.id}`);
          expect(await page.evaluate(() => typeof (window as unknown as { WeixinJSBridge?: unknown }).WeixinJSBridge)).toBe('object');
          await page.locator('#pay').click();
          await page.waitForURL(`${rig.server.url}/pay/result/${charge.id}`, { timeout: 15_000 });
          expect(await page.content()).toContain('25.99');
        } finally {
          await page.close();
        }
        expect(await rig.retrieve(charge.id)).toMatchObject({ status: 'succeeded', paid: true });
      });

      it('a credential with a forged paySign fails in the bridge and pays nothing', async () => {
        const charge = await rig.charge('wx_pub', 100, { open_id: await rig.openid('chromium-buyer') });
        const forged = { ...charge.credential.wx_pub!, paySign: version === 'v3' ? 'Zm9yZ2Vk' : 'F'.repeat(64) };
        const query = new URLSearchParams(forged).toString();
        const page = await browser.newPage();
        try {
          await page.goto(`${rig.sandboxUrl}/jsapi?${query}`);
          await page.locator('#pay').click();
          await page.waitForFunction(() => (document.getElementById('result')?.textContent ?? '') !== '');
          expect(await page.locator('#result').textContent()).toContain('get_brand_wcpay_request:fail');
        } finally {
          await page.close();
        }
        expect((await rig.retrieve(charge.id)).status).toBe('pending');
      });
    });
  }
}
