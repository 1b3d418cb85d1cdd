/**
 * The merchants the sandbox knows, with the keys it checks their requests with. Standalone:
 * the one merchant of the keys directory. Embedded in paygate: every test-mode WeChat channel,
 * read at each request (so an edited key applies at once); its public key is derived from the
 * configured private key, as if the merchant had uploaded its certificate to WeChat.
 * Several channels may share a mch_id (two official accounts of one merchant): callers pick the
 * one whose key verifies.
 */
import type { KeyObject } from 'node:crypto';
import { createPublicKey } from 'node:crypto';
import type { ChannelConfig } from '../../channels/contract.js';
import { merchantPrivateKey } from '../../channels/wechat/keys.js';

export interface SandboxMerchant {
  readonly appid: string;
  /** Empty for an official account without WeChat Pay (it still has OAuth and the JS-SDK). */
  readonly mchId: string;
  readonly apiKey?: string;
  readonly apiV3Key?: string;
  readonly publicKey?: KeyObject;
  /** Upper-case hex serial of the merchant certificate. */
  readonly serialNo?: string;
  readonly appSecret?: string;
  /** Where the sandbox learnt of it (for messages). */
  readonly source: string;
}

export interface MerchantDirectory {
  all(): Promise<readonly SandboxMerchant[]>;
}

export async function merchantsByMchId(directory: MerchantDirectory, mchId: string): Promise<SandboxMerchant[]> {
  if (!mchId) return [];
  return (await directory.all()).filter((m) => m.mchId === mchId);
}

export async function merchantsByAppId(directory: MerchantDirectory, appid: string): Promise<SandboxMerchant[]> {
  return (await directory.all()).filter((m) => m.appid === appid);
}

export function staticMerchants(merchants: readonly SandboxMerchant[]): MerchantDirectory {
  return { all: async () => merchants };
}

/** What a test-mode channel's options make of it as an account (undefined without appid). */
export function merchantFromChannel(config: ChannelConfig): SandboxMerchant | undefined {
  const text = (name: string) => (typeof config.options[name] === 'string' && config.options[name] !== '' ? (config.options[name] as string) : undefined);
  const appid = text('appid');
  const mchId = text('mch_id');
  if (!appid) return undefined;
  let publicKey: KeyObject | undefined;
  const privateKeyPem = text('private_key');
  try {
    publicKey = privateKeyPem ? createPublicKey(merchantPrivateKey(privateKeyPem)) : undefined;
  } catch {
    publicKey = undefined;
  }
  return {
    appid,
    mchId: mchId ?? '',
    apiKey: text('api_key'),
    apiV3Key: text('api_v3_key'),
    publicKey,
    serialNo: text('serial_no')?.toUpperCase(),
    appSecret: text('app_secret'),
    source: `channel ${config.id}`,
  };
}

/** Merchants from paygate's test-mode channels, read at each call. */
export function channelMerchants(load: () => Promise<readonly ChannelConfig[]>): MerchantDirectory {
  return {
    all: async () => (await load()).map(merchantFromChannel).filter((m): m is SandboxMerchant => m !== undefined),
  };
}
