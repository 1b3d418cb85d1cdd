/**
 * The sandbox's own "Alipay" key pair (it signs responses, notifies and returns with it) and,
 * standalone, the keys directory of PRODUCT.md §6: `config.json` (`app_id, seller_id, partner,
 * md5_key`), `app_private_key.pem` / `app_public_key.pem` (the merchant pair it verifies
 * requests with) and `alipay_private_key.pem` / `alipay_public_key.pem` (its own pair). Files
 * that exist are used as they are; missing ones are generated.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes, type KeyObject } from 'node:crypto';
import { generateRsaKeyPair, parsePrivateKey, parsePublicKey, publicKeyOf, toPem } from '../../channels/alipay/keys.js';
import type { SandboxStateStore } from '../state-store.js';
import { keysDirectoryMerchant, type SandboxMerchant } from './merchants.js';
import { digits } from './trade.js';

export interface SandboxKeys {
  readonly alipayPrivateKey: KeyObject;
  readonly alipayPublicKeyPem: string;
}

export interface KeysDirectoryConfig {
  app_id: string;
  seller_id: string;
  partner: string;
  md5_key: string;
}

export interface KeysDirectory {
  readonly dir: string;
  readonly config: KeysDirectoryConfig;
  readonly merchant: SandboxMerchant;
  readonly keys: SandboxKeys;
  /** What a merchant (paygate) configures to talk to this sandbox. */
  readonly appPrivateKeyPem: string;
}

/** Reads a keys directory, generating what is missing. */
export function loadKeysDirectory(dir: string): KeysDirectory {
  mkdirSync(dir, { recursive: true });
  const configPath = join(dir, 'config.json');
  const existing = existsSync(configPath) ? (JSON.parse(readFileSync(configPath, 'utf8')) as Partial<KeysDirectoryConfig>) : {};
  const sellerId = existing.seller_id ?? existing.partner ?? `2088${digits(12)}`;
  const config: KeysDirectoryConfig = {
    app_id: existing.app_id ?? `9021${digits(12)}`,
    seller_id: sellerId,
    partner: existing.partner ?? sellerId,
    md5_key: existing.md5_key ?? randomBytes(24).toString('base64').replace(/[^0-9A-Za-z]/g, '').padEnd(32, '0').slice(0, 32).toLowerCase(),
  };
  if (JSON.stringify(existing) !== JSON.stringify(config)) writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  const app = keyPairIn(dir, 'app');
  const alipay = keyPairIn(dir, 'alipay');
  return {
    dir,
    config,
    merchant: keysDirectoryMerchant(config, app.publicKeyPem),
    keys: { alipayPrivateKey: parsePrivateKey(alipay.privateKeyPem), alipayPublicKeyPem: alipay.publicKeyPem },
    appPrivateKeyPem: app.privateKeyPem,
  };
}

function keyPairIn(dir: string, name: 'app' | 'alipay'): { privateKeyPem: string; publicKeyPem: string } {
  const privatePath = join(dir, `${name}_private_key.pem`);
  const publicPath = join(dir, `${name}_public_key.pem`);
  if (!existsSync(privatePath)) {
    if (existsSync(publicPath)) {
      // Only the public half: fine for the merchant pair (the sandbox only verifies with it).
      if (name === 'app') return { privateKeyPem: '', publicKeyPem: readFileSync(publicPath, 'utf8') };
      throw new Error(`${privatePath} is missing but ${publicPath} exists; the sandbox needs its private key to sign`);
    }
    const pair = generateRsaKeyPair();
    writeFileSync(privatePath, pair.privateKeyPem, { mode: 0o600 });
    writeFileSync(publicPath, pair.publicKeyPem);
    return pair;
  }
  const privateKeyPem = readFileSync(privatePath, 'utf8');
  if (!existsSync(publicPath)) writeFileSync(publicPath, toPem(publicKeyOf(privateKeyPem)));
  const publicKeyPem = readFileSync(publicPath, 'utf8');
  parsePublicKey(publicKeyPem);
  return { privateKeyPem, publicKeyPem };
}

/**
 * The embedded sandbox's pair lives in the database, so every paygate process on one database
 * signs alike and restarts keep it. Created on first use; a concurrent first use converges on
 * whichever write landed last, as both processes re-read it.
 */
export async function storedSandboxKeys(store: SandboxStateStore): Promise<SandboxKeys> {
  let stored = await store.get<{ private_key: string; public_key: string }>('keys');
  if (!stored) {
    const pair = generateRsaKeyPair();
    await store.put('keys', { private_key: pair.privateKeyPem, public_key: pair.publicKeyPem });
    stored = (await store.get<{ private_key: string; public_key: string }>('keys'))!;
  }
  return { alipayPrivateKey: parsePrivateKey(stored.private_key), alipayPublicKeyPem: stored.public_key };
}
