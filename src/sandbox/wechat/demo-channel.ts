/**
 * The demo app's WeChat channel at first start: test mode, pointing at the embedded sandbox
 * (no gateway option), with merchant keys generated into `<data dir>/wechat-sandbox/` in the
 * keys-directory layout of `paygate sandbox wechat --keys DIR` (so the same files also drive a
 * standalone sandbox). API v2 (MD5) by default; the v3 keys are set too, so switching
 * `api_version` to `v3` is all it takes to try API v3.
 */
import { join } from 'node:path';
import type { DemoChannelContext } from '../../cli/demo.js';
import { loadWechatKeysDir } from './keys-dir.js';

export async function wechatDemoChannel(ctx: DemoChannelContext): Promise<void> {
  const keys = loadWechatKeysDir(join(ctx.dataDir, 'wechat-sandbox'));
  const c = keys.config;
  await ctx.paygate.channels.create(ctx.appId, {
    type: 'wechat',
    name: 'WeChat Pay (sandbox)',
    livemode: false,
    enabled: true,
    options: {
      api_version: 'v2', appid: c.appid, mch_id: c.mch_id, api_key: c.api_key, sign_type: 'MD5', app_secret: c.app_secret,
      ...(keys.merchantPrivateKeyPem ? { api_v3_key: c.api_v3_key, private_key: keys.merchantPrivateKeyPem, serial_no: c.serial_no } : {}),
    },
  });
}
