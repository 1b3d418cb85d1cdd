/**
 * Who the sandbox knows as merchants, and the keys it verifies their requests with. Standalone,
 * that is the keys directory (one merchant); embedded in paygate, every test-mode Alipay
 * channel, whose app public key is derived from its configured private key (the real Alipay
 * would have it uploaded) and whose MD5 key is its `key` option.
 */
import { createHash, type KeyObject } from 'node:crypto';
import type { ChannelConfig } from '../../channels/contract.js';
import { parsePrivateKey, parsePublicKey, publicKeyOf } from '../../channels/alipay/keys.js';

export interface SandboxMerchant {
  /** The merchant's PID; trades are keyed by it. */
  readonly sellerId: string;
  readonly sellerEmail?: string;
  readonly appId?: string;
  readonly partner?: string;
  readonly appPublicKey?: KeyObject;
  readonly md5Key?: string;
  /** Where the sandbox learnt of it, for error pages. */
  readonly source: string;
}

export interface MerchantDirectory {
  byAppId(appId: string): Promise<SandboxMerchant[]>;
  byPartner(partner: string): Promise<SandboxMerchant[]>;
}

/** A stable `2088…` seller id for an app that was configured without one. */
export function derivedSellerId(appId: string): string {
  const hash = createHash('sha256').update(`alipay-sandbox-seller:${appId}`).digest();
  let out = '';
  for (let i = 0; out.length < 12; i += 1) out += String((hash[i] ?? 0) % 10);
  return `2088${out}`;
}

export function staticMerchants(merchants: readonly SandboxMerchant[]): MerchantDirectory {
  return {
    byAppId: async (appId) => merchants.filter((m) => m.appId === appId),
    byPartner: async (partner) => merchants.filter((m) => m.partner === partner),
  };
}

/** What a test-mode channel's options make of it as a merchant, or undefined if it has no credentials. */
export function merchantFromChannel(config: ChannelConfig): SandboxMerchant | undefined {
  const text = (name: string) => (typeof config.options[name] === 'string' && config.options[name] !== '' ? (config.options[name] as string) : undefined);
  const appId = text('app_id');
  const privateKey = text('private_key');
  const partner = text('partner');
  const md5Key = text('key');
  if (!(appId && privateKey) && !(partner && md5Key)) return undefined;
  let appPublicKey: KeyObject | undefined;
  try {
    appPublicKey = privateKey ? publicKeyOf(parsePrivateKey(privateKey)) : undefined;
  } catch {
    appPublicKey = undefined;
  }
  const sellerId = text('seller_id') ?? partner ?? derivedSellerId(appId ?? '');
  return {
    sellerId,
    ...(text('seller_email') ? { sellerEmail: text('seller_email') } : {}),
    ...(appId ? { appId } : {}),
    ...(partner ? { partner } : {}),
    ...(appPublicKey ? { appPublicKey } : {}),
    ...(md5Key ? { md5Key } : {}),
    source: `channel ${config.id}`,
  };
}

/** Merchants read from paygate's test-mode channels at each request, so edits apply at once. */
export function channelMerchants(load: () => Promise<readonly ChannelConfig[]>): MerchantDirectory {
  const all = async () => (await load()).map(merchantFromChannel).filter((m): m is SandboxMerchant => m !== undefined);
  return {
    byAppId: async (appId) => (await all()).filter((m) => m.appId === appId),
    byPartner: async (partner) => (await all()).filter((m) => m.partner === partner),
  };
}

/** The merchant of a keys directory (PRODUCT.md §6). */
export function keysDirectoryMerchant(config: { app_id: string; seller_id: string; partner: string; md5_key: string }, appPublicKeyPem: string): SandboxMerchant {
  return {
    sellerId: config.seller_id,
    appId: config.app_id,
    partner: config.partner,
    appPublicKey: parsePublicKey(appPublicKeyPem),
    md5Key: config.md5_key,
    source: 'keys directory',
  };
}
