/**
 * Helpers of the console's browser tests: make sure the SPA is built, start Chromium (Debian's,
 * never a downloaded one), and drive Element Plus widgets the way an operator clicks them.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ADMIN_DIST } from '../../src/http/admin/static-files.js';

export const CHROMIUM = '/usr/bin/chromium';

/** Builds `admin/dist` when it is missing (a fresh clone running the tests before `npm run build`). */
export async function ensureAdminBuilt(): Promise<void> {
  if (existsSync(join(ADMIN_DIST, 'index.html'))) return;
  // Asynchronous, so the test worker keeps answering its runner while Vite builds.
  await promisify(execFile)(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--config', 'admin/vite.config.ts', '--logLevel', 'warn'], { timeout: 240_000 });
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

/** The screenshots the docs show (docs/admin.md); the rest are for looking at during review. */
const DOC_SHOTS = new Set(['login.png', 'dashboard-1440.png', 'dashboard-390.png', 'transactions-1440.png', 'transactions-390.png', 'transactions-detail-1440.png', 'channels-1440.png', 'channel-form.png']);

/** Where a screenshot goes: `docs/screenshots` for the docs' few with PAYGATE_SCREENSHOTS=docs, else a temp folder. */
export function screenshotPath(name: string): string {
  const toDocs = process.env.PAYGATE_SCREENSHOTS === 'docs' && DOC_SHOTS.has(name);
  const dir = toDocs ? join(process.cwd(), 'docs', 'screenshots') : join(tmpdir(), 'paygate-admin-screens');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

/** Opens an Element Plus select (found by its data-test) and picks the option with this text. */
export async function choose(page: Page, dataTest: string, optionText: string): Promise<void> {
  await page.locator(`[data-test="${dataTest}"]`).click();
  const option = page.locator('.el-select-dropdown:visible .el-select-dropdown__item', { hasText: optionText }).first();
  await option.waitFor({ state: 'visible' });
  await option.click();
}

/** Accepts the confirmation box Element Plus shows (ElMessageBox.confirm). */
export async function confirmBox(page: Page): Promise<void> {
  const button = page.locator('.el-message-box .el-message-box__btns .el-button--primary');
  await button.waitFor({ state: 'visible' });
  await button.click();
}

/** Waits until no Element Plus loading mask is shown. */
export async function settled(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => document.querySelectorAll('.el-loading-mask').length === 0, undefined, { timeout: 10_000 }).catch(() => undefined);
}
