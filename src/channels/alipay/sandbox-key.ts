/**
 * In test mode a channel may omit `alipay_public_key`: paygate's sandbox (embedded or
 * standalone) publishes its "Alipay" public key beside its gateway, at
 * `…/alipay_public_key.pem`, as Alipay's sandbox console shows it to developers. Live
 * channels never come here: their key is required when they are saved.
 */
import type { KeyObject } from 'node:crypto';
import type { ChannelContext } from '../contract.js';
import { PaygateError } from '../../core/errors.js';
import { parsePublicKey } from './keys.js';

const TTL_MS = 10 * 60_000;
const cache = new Map<string, { key: KeyObject; at: number }>();

/** Where a sandbox gateway publishes its public key. */
export function sandboxKeyUrl(gateway: string): string {
  const url = new URL(gateway);
  url.search = '';
  url.pathname = url.pathname.replace(/[^/]*$/, 'alipay_public_key.pem');
  return url.toString();
}

/** The sandbox's public key for a test-mode gateway; `refresh` skips the cache. */
export async function alipayPublicKeyFor(ctx: ChannelContext, gateway: string, refresh: boolean): Promise<KeyObject> {
  if (ctx.channel.livemode) {
    throw new PaygateError('channel_options_invalid', { param: 'options.alipay_public_key', message: 'A live Alipay channel needs options.alipay_public_key.' });
  }
  const hit = cache.get(gateway);
  if (hit && !refresh && ctx.clock.now() - hit.at < TTL_MS) return hit.key;
  const url = sandboxKeyUrl(gateway);
  const response = await ctx.http.request({ method: 'GET', url });
  if (response.status !== 200) {
    throw new PaygateError('channel_options_invalid', {
      param: 'options.alipay_public_key',
      message: `options.alipay_public_key is not set and the gateway publishes no sandbox key at ${url} (HTTP ${response.status}); paste the Alipay public key of your sandbox.`,
    });
  }
  const key = parsePublicKey(response.body);
  cache.set(gateway, { key, at: ctx.clock.now() });
  return key;
}
