/**
 * The demo app's Alipay channel (first start of `paygate serve`): a test-mode channel with
 * Open Platform and legacy credentials generated into `<data dir>/alipay-demo/`, pointing at
 * the embedded sandbox, so `channel: "alipay_qr"` (or any Alipay code) works right away.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { DemoChannelContext } from '../../cli/demo.js';
import { generateRsaKeyPair } from '../../channels/alipay/keys.js';
import { databaseStateStore } from '../state-store.js';
import { storedSandboxKeys } from './sandbox-keys.js';
import { digits } from './trade.js';

interface DemoConfig {
  app_id: string;
  partner: string;
  md5_key: string;
}

export async function alipayDemoChannel(ctx: DemoChannelContext): Promise<void> {
  const dir = join(ctx.dataDir, 'alipay-demo');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const configPath = join(dir, 'config.json');
  const config: DemoConfig = existsSync(configPath)
    ? (JSON.parse(readFileSync(configPath, 'utf8')) as DemoConfig)
    : { app_id: `9021${digits(12)}`, partner: `2088${digits(12)}`, md5_key: randomBytes(16).toString('hex') };
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  const privatePath = join(dir, 'app_private_key.pem');
  if (!existsSync(privatePath)) {
    const pair = generateRsaKeyPair();
    writeFileSync(privatePath, pair.privateKeyPem, { mode: 0o600 });
    writeFileSync(join(dir, 'app_public_key.pem'), pair.publicKeyPem);
  }
  // The embedded sandbox's "Alipay" key: saved beside, and configured so nothing is fetched.
  const sandboxKeys = await storedSandboxKeys(databaseStateStore(ctx.paygate.deps.database.db, 'alipay'));
  writeFileSync(join(dir, 'alipay_public_key.pem'), sandboxKeys.alipayPublicKeyPem);
  await ctx.paygate.channels.create(ctx.appId, {
    type: 'alipay',
    name: 'Alipay (sandbox)',
    livemode: false,
    enabled: true,
    options: {
      app_id: config.app_id,
      private_key: readFileSync(privatePath, 'utf8'),
      alipay_public_key: sandboxKeys.alipayPublicKeyPem,
      seller_id: config.partner,
      partner: config.partner,
      key: config.md5_key,
      seller_email: 'demo-seller@sandbox.paygate',
    },
  });
}
