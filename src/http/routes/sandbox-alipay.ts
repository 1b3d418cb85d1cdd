/**
 * paygate's embedded Alipay sandbox at `/sandbox/alipay` (gateway.do, cashier, QR scans). Its
 * merchants are the test-mode Alipay channels (matched by app_id or partner), its trades and
 * its own key pair live in the database (`sandbox_state`), and it follows paygate's clock.
 */
import type { RoutePlugin } from './index.js';
import { databaseStateStore } from '../../sandbox/state-store.js';
import { AlipaySandbox } from '../../sandbox/alipay/sandbox.js';
import { channelMerchants } from '../../sandbox/alipay/merchants.js';
import { storedSandboxKeys } from '../../sandbox/alipay/sandbox-keys.js';
import { alipaySandboxRoutes } from '../../sandbox/alipay/plugin.js';

export const ALIPAY_SANDBOX_PREFIX = '/sandbox/alipay';

/**
 * The embedded sandbox posts notifies from inside paygate's own network, so a tenant's signed
 * request must not make it call arbitrary hosts: only paygate itself, and the `host[:port]`s
 * listed in PAYGATE_SANDBOX_CALLBACK_HOSTS (comma-separated), e.g. a developer's local app.
 */
export function callbackAllowed(url: string, publicUrl: string, extraHosts: string | undefined): boolean {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return false;
  }
  if (target.origin === new URL(publicUrl).origin) return true;
  const hosts = (extraHosts ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
  return hosts.includes(target.host.toLowerCase());
}

export const sandboxAlipayRoutes: RoutePlugin = async (app, { paygate }) => {
  const clock = paygate.deps.clock;
  const store = databaseStateStore(paygate.deps.database.db, 'alipay', () => clock.now());
  const sandbox = new AlipaySandbox({
    store,
    merchants: channelMerchants(() => paygate.channels.configs({ type: 'alipay', livemode: false })),
    keys: () => storedSandboxKeys(store),
    baseUrl: () => `${paygate.publicUrl}${ALIPAY_SANDBOX_PREFIX}`,
    clock,
    callbackAllowed: (url) => callbackAllowed(url, paygate.publicUrl, process.env.PAYGATE_SANDBOX_CALLBACK_HOSTS),
  });
  await app.register(alipaySandboxRoutes, { prefix: ALIPAY_SANDBOX_PREFIX, sandbox });
  app.addHook('onReady', async () => {
    await sandbox.start();
  });
};
