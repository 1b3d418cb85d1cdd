/**
 * First-start demo seeding. When the database has no app yet, `paygate serve` creates the demo app
 * "Demo shop" with an enabled `test` channel, then runs every factory in `DEMO_CHANNELS` so each
 * channel type can add its own demo channel (for example one wired to its embedded sandbox).
 * The demo's test keys go to `<data dir>/demo.json` (mode 0600) so later starts can print them again:
 * paygate itself keeps only hashes of keys.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Paygate } from '../engine/paygate.js';
import { alipayDemoChannel } from '../sandbox/alipay/demo-channel.js';
import { wechatDemoChannel } from '../sandbox/wechat/demo-channel.js';

/** What a demo channel factory gets: the engine, the demo app, the data directory and the server's base URL. */
export interface DemoChannelContext {
  readonly paygate: Paygate;
  readonly appId: string;
  readonly dataDir: string;
  readonly baseUrl: string;
}

/** Creates one demo channel for the demo app. */
export type DemoChannelFactory = (ctx: DemoChannelContext) => Promise<void>;

/** Demo channels beyond the built-in test channel; channel engineers append theirs here. */
export const DEMO_CHANNELS: DemoChannelFactory[] = [
  alipayDemoChannel,
  wechatDemoChannel,
];

export const DEMO_APP_NAME = 'Demo shop';

/** What `<data dir>/demo.json` holds. */
export interface DemoKeys {
  readonly app_id: string;
  readonly name: string;
  readonly test_secret_key: string;
  readonly test_publishable_key: string;
  readonly test_channel_id: string;
}

export interface SeedResult {
  /** True when this start created the demo (the database had no app). */
  readonly created: boolean;
  /** The demo keys, from this start or from demo.json; undefined when there is no demo. */
  readonly demo: DemoKeys | undefined;
  /** Demo channel factories that failed, with why (the demo app itself still exists). */
  readonly failures: readonly string[];
}

export function demoFile(dataDir: string): string {
  return join(dataDir, 'demo.json');
}

/** The demo keys saved by an earlier first start, if any and if they belong to an existing app. */
export function readDemoKeys(dataDir: string): DemoKeys | undefined {
  const file = demoFile(dataDir);
  if (!existsSync(file)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<DemoKeys>;
    return typeof parsed.app_id === 'string' && typeof parsed.test_secret_key === 'string' ? (parsed as DemoKeys) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Creates the demo when the database has no app; otherwise returns the saved demo keys if their app
 * still exists. On PostgreSQL the caller runs this under a lock so two first starts make one demo.
 */
export async function seedDemoIfEmpty(ctx: { paygate: Paygate; dataDir: string; baseUrl: string }): Promise<SeedResult> {
  const { paygate, dataDir } = ctx;
  const db = paygate.deps.database.db;
  const anyApp = await db.selectFrom('apps').select('id').limit(1).executeTakeFirst();
  if (anyApp) {
    const saved = readDemoKeys(dataDir);
    const exists = saved && (await db.selectFrom('apps').select('id').where('id', '=', saved.app_id).executeTakeFirst());
    return { created: false, demo: exists ? saved : undefined, failures: [] };
  }
  const { app, keys } = await paygate.apps.create({ name: DEMO_APP_NAME });
  const channel = await paygate.channels.create(app.id, { type: 'test', name: 'Test channel', livemode: false, enabled: true });
  const demo: DemoKeys = {
    app_id: app.id, name: app.name, test_secret_key: keys.test_secret_key, test_publishable_key: keys.test_publishable_key, test_channel_id: channel.id,
  };
  // Saved before the factories run, so a failing factory cannot lose the only copy of the key.
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(demoFile(dataDir), `${JSON.stringify(demo, null, 2)}\n`, { mode: 0o600 });
  chmodSync(demoFile(dataDir), 0o600);
  const failures: string[] = [];
  for (const factory of DEMO_CHANNELS) {
    try {
      await factory({ paygate, appId: app.id, dataDir, baseUrl: ctx.baseUrl });
    } catch (error) {
      failures.push(`${factory.name || 'a demo channel'}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return { created: true, demo, failures };
}
