/**
 * The Alipay sandbox on its own (`paygate sandbox alipay --port P --keys DIR`): one merchant
 * from the keys directory, trades in memory, gateway at `http://HOST:P/gateway.do`.
 */
import Fastify from 'fastify';
import { memoryStateStore, type SandboxStateStore } from '../state-store.js';
import { loadKeysDirectory, type KeysDirectory } from './sandbox-keys.js';
import { staticMerchants } from './merchants.js';
import { AlipaySandbox, type CashierMode } from './sandbox.js';
import { alipaySandboxRoutes } from './plugin.js';
import type { NotifyPoster } from './notifier.js';
import type { Clock } from '../../core/clock.js';

export interface StandaloneOptions {
  readonly keysDir: string;
  readonly port?: number;
  readonly host?: string;
  readonly mode?: CashierMode;
  readonly retrySchedule?: readonly number[];
  readonly store?: SandboxStateStore;
  readonly poster?: NotifyPoster;
  readonly logger?: boolean;
  readonly clock?: Clock;
}

export interface RunningSandbox {
  /** e.g. `http://127.0.0.1:18080` */
  readonly url: string;
  readonly gateway: string;
  readonly keys: KeysDirectory;
  readonly sandbox: AlipaySandbox;
  close(): Promise<void>;
}

export async function startStandaloneAlipaySandbox(options: StandaloneOptions): Promise<RunningSandbox> {
  const keys = loadKeysDirectory(options.keysDir);
  const host = options.host ?? '127.0.0.1';
  let url = '';
  const sandbox = new AlipaySandbox({
    store: options.store ?? memoryStateStore(),
    merchants: staticMerchants([keys.merchant]),
    keys: async () => keys.keys,
    baseUrl: () => url,
    ...(options.retrySchedule ? { retrySchedule: options.retrySchedule } : {}),
    ...(options.poster ? { poster: options.poster } : {}),
    ...(options.mode ? { mode: options.mode } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const app = Fastify({ logger: options.logger ?? false });
  await app.register(alipaySandboxRoutes, { sandbox, listTrades: true });
  const address = await app.listen({ port: options.port ?? 0, host });
  url = address.replace('[::1]', '127.0.0.1');
  await sandbox.start();
  return { url, gateway: `${url}/gateway.do`, keys, sandbox, close: () => app.close() };
}
