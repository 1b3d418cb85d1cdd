/**
 * `paygate sandbox wechat --port P --keys DIR`: the WeChat Pay sandbox on its own, at
 * `http://HOST:P/` with WeChat's real paths, trusting and signing with the keys directory.
 * Trades live in memory (a restart forgets them), which is what a throwaway protocol double wants.
 */
import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import { memoryStateStore, type SandboxStateStore } from '../state-store.js';
import { wechatSandboxPlugin } from './fastify-plugin.js';
import { loadWechatKeysDir, type WechatKeysDir } from './keys-dir.js';
import { staticMerchants, type SandboxMerchant } from './merchants.js';
import { WechatSandbox, type CashierMode } from './sandbox.js';
import { platformIdentity } from './sandbox-keys.js';
import { createPublicKey } from 'node:crypto';

export interface StandaloneOptions {
  readonly keysDir: string;
  readonly port?: number;
  readonly host?: string;
  readonly mode?: CashierMode;
  readonly store?: SandboxStateStore;
  readonly retrySchedule?: readonly number[];
  readonly refundDelayMs?: number;
}

export interface StandaloneSandbox {
  readonly url: string;
  readonly sandbox: WechatSandbox;
  readonly keys: WechatKeysDir;
  close(): Promise<void>;
}

export function keysDirMerchant(keys: WechatKeysDir): SandboxMerchant {
  const c = keys.config;
  return {
    appid: c.appid, mchId: c.mch_id, apiKey: c.api_key, apiV3Key: c.api_v3_key, publicKey: createPublicKey(keys.merchantPublicKeyPem),
    serialNo: c.serial_no.toUpperCase(), appSecret: c.app_secret, source: `keys directory ${keys.dir}`,
  };
}

export async function startStandaloneWechatSandbox(options: StandaloneOptions): Promise<StandaloneSandbox> {
  const keys = loadWechatKeysDir(options.keysDir);
  const platform = platformIdentity(keys.platformPrivateKeyPem, keys.config.platform_serial, keys.platformIssuedAt);
  const host = options.host ?? '127.0.0.1';
  let url = '';
  const sandbox = new WechatSandbox({
    store: options.store ?? memoryStateStore(),
    merchants: staticMerchants([keysDirMerchant(keys)]),
    platform: async () => platform,
    baseUrl: () => url,
    mode: options.mode,
    retrySchedule: options.retrySchedule,
    refundDelayMs: options.refundDelayMs,
  });
  const app = Fastify({ logger: false, bodyLimit: 256 * 1024 });
  await app.register(wechatSandboxPlugin, { sandbox });
  app.addHook('onClose', async () => sandbox.close());
  await app.listen({ host, port: options.port ?? 0 });
  const port = (app.server.address() as AddressInfo).port;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  await sandbox.start();
  return { url, sandbox, keys, close: () => app.close() };
}
