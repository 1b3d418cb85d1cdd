/**
 * paygate's embedded WeChat Pay sandbox at `/sandbox/wechat` (v2 `/pay/…`, v3 `/v3/…`, OAuth,
 * JS-SDK, the JSAPI bridge, NATIVE and H5 pages). Its merchants are the test-mode WeChat
 * channels (matched by mch_id, and by appid for the official-account API); its trades and its
 * own platform key live in the database (`sandbox_state`); it follows paygate's clock.
 */
import type { RoutePlugin } from './index.js';
import { databaseStateStore } from '../../sandbox/state-store.js';
import { SANDBOX_PATH } from '../../channels/wechat/protocol.js';
import { wechatSandboxPlugin } from '../../sandbox/wechat/fastify-plugin.js';
import { channelMerchants } from '../../sandbox/wechat/merchants.js';
import { WechatSandbox } from '../../sandbox/wechat/sandbox.js';
import { storedPlatformIdentity } from '../../sandbox/wechat/sandbox-keys.js';

const embedded = new WeakMap<object, WechatSandbox>();

/** The sandbox embedded in a paygate's server (tests inspect its notifies and users through it). */
export function embeddedWechatSandbox(paygate: object): WechatSandbox | undefined {
  return embedded.get(paygate);
}

export const sandboxWechatRoutes: RoutePlugin = async (app, { paygate }) => {
  const clock = paygate.deps.clock;
  const store = databaseStateStore(paygate.deps.database.db, 'wechat', () => clock.now());
  const sandbox = new WechatSandbox({
    store,
    merchants: channelMerchants(() => paygate.channels.configs({ type: 'wechat', livemode: false })),
    platform: storedPlatformIdentity(store, () => clock.now()),
    baseUrl: () => `${paygate.publicUrl}${SANDBOX_PATH}`,
    clock,
  });
  embedded.set(paygate, sandbox);
  await app.register(wechatSandboxPlugin, { prefix: SANDBOX_PATH, sandbox });
  app.addHook('onReady', async () => {
    await sandbox.start();
  });
  app.addHook('onClose', async () => {
    await sandbox.close();
  });
};
