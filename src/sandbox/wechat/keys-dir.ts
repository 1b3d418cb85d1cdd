/**
 * The standalone sandbox's keys directory (PRODUCT.md §6): `config.json` (`appid, mch_id,
 * api_key, api_v3_key, serial_no, platform_serial, app_secret`), `apiclient_key.pem` and
 * `apiclient_public_key.pem` (the merchant pair it verifies v3 requests with),
 * `platform_private_key.pem` and `platform_public_key.pem` (its own pair). Files that exist are
 * used as they are; missing ones (and missing config fields) are generated and written, private
 * keys with mode 0600, so a merchant can point a client at the sandbox with the same files.
 */
import { createPrivateKey, createPublicKey, randomBytes, randomInt } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateRsaPem, newSerial } from './sandbox-keys.js';

export interface WechatKeysConfig {
  readonly appid: string;
  readonly mch_id: string;
  readonly api_key: string;
  readonly api_v3_key: string;
  readonly serial_no: string;
  readonly platform_serial: string;
  readonly app_secret: string;
}

export interface WechatKeysDir {
  readonly dir: string;
  readonly config: WechatKeysConfig;
  /** Present when the directory holds it (the sandbox itself only needs the public key). */
  readonly merchantPrivateKeyPem: string | undefined;
  readonly merchantPublicKeyPem: string;
  readonly platformPrivateKeyPem: string;
  readonly platformPublicKeyPem: string;
  /** When the platform key was made (its certificate's validity starts then). */
  readonly platformIssuedAt: number;
  /** Files this call created. */
  readonly created: readonly string[];
}

const alnum = (n: number) => randomBytes(n * 2).toString('base64').replace(/[^0-9A-Za-z]/g, '').slice(0, n).padEnd(n, '0');

function generatedConfig(): WechatKeysConfig {
  return {
    appid: `wx${randomBytes(8).toString('hex')}`,
    mch_id: `19${String(randomInt(10 ** 8)).padStart(8, '0')}`,
    api_key: alnum(32),
    api_v3_key: alnum(32),
    serial_no: newSerial(),
    platform_serial: newSerial(),
    app_secret: randomBytes(16).toString('hex'),
  };
}

export function loadWechatKeysDir(dir: string): WechatKeysDir {
  mkdirSync(dir, { recursive: true });
  const created: string[] = [];
  const path = (name: string) => join(dir, name);
  const read = (name: string) => (existsSync(path(name)) ? readFileSync(path(name), 'utf8') : undefined);
  const write = (name: string, text: string, secret: boolean) => {
    writeFileSync(path(name), text, { mode: secret ? 0o600 : 0o644 });
    if (secret) chmodSync(path(name), 0o600);
    created.push(name);
  };

  const existing = read('config.json');
  let parsed: Partial<WechatKeysConfig> = {};
  if (existing !== undefined) {
    try {
      parsed = JSON.parse(existing) as Partial<WechatKeysConfig>;
    } catch (error) {
      throw new Error(`${path('config.json')} is not valid JSON: ${(error as Error).message}`);
    }
  }
  const defaults = generatedConfig();
  const given = (name: keyof WechatKeysConfig) => (typeof parsed[name] === 'string' && parsed[name] !== '' ? parsed[name] : undefined);
  const names = Object.keys(defaults) as (keyof WechatKeysConfig)[];
  const config = Object.fromEntries(names.map((name) => [name, given(name) ?? defaults[name]])) as unknown as WechatKeysConfig;
  if (names.some((name) => given(name) === undefined)) write('config.json', `${JSON.stringify({ ...parsed, ...config }, null, 2)}\n`, true);

  let merchantPrivateKeyPem = read('apiclient_key.pem');
  let merchantPublicKeyPem = read('apiclient_public_key.pem');
  if (!merchantPrivateKeyPem && !merchantPublicKeyPem) {
    const pair = generateRsaPem();
    merchantPrivateKeyPem = pair.privateKeyPem;
    write('apiclient_key.pem', pair.privateKeyPem, true);
  }
  if (!merchantPublicKeyPem) {
    merchantPublicKeyPem = createPublicKey(createPrivateKey(merchantPrivateKeyPem!)).export({ type: 'spki', format: 'pem' }).toString();
    write('apiclient_public_key.pem', merchantPublicKeyPem, false);
  }

  let platformPrivateKeyPem = read('platform_private_key.pem');
  if (!platformPrivateKeyPem) {
    if (read('platform_public_key.pem')) throw new Error(`${path('platform_public_key.pem')} exists without platform_private_key.pem: the sandbox cannot sign without the private key`);
    platformPrivateKeyPem = generateRsaPem().privateKeyPem;
    write('platform_private_key.pem', platformPrivateKeyPem, true);
  }
  let platformPublicKeyPem = read('platform_public_key.pem');
  if (!platformPublicKeyPem) {
    platformPublicKeyPem = createPublicKey(createPrivateKey(platformPrivateKeyPem)).export({ type: 'spki', format: 'pem' }).toString();
    write('platform_public_key.pem', platformPublicKeyPem, false);
  }
  return {
    dir, config, merchantPrivateKeyPem, merchantPublicKeyPem, platformPrivateKeyPem, platformPublicKeyPem,
    platformIssuedAt: statSync(path('platform_private_key.pem')).mtimeMs, created,
  };
}
