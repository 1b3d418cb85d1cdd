import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadWechatKeysDir } from '../../../src/sandbox/wechat/keys-dir.js';
import { selfSignedCertificate } from '../../../src/sandbox/wechat/x509.js';
import { newSerial, platformIdentity } from '../../../src/sandbox/wechat/sandbox-keys.js';
import { keysMatch } from '../../../src/channels/wechat/keys.js';
import { merchantPrivateKeyPem, platformPrivateKeyPem } from '../../channels/wechat/fixtures.js';

const dirs: string[] = [];
const fresh = () => {
  const dir = mkdtempSync(join(tmpdir(), 'paygate-wx-keys-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => { for (const dir of dirs) rmSync(dir, { recursive: true, force: true }); });

describe('the standalone sandbox keys directory', () => {
  it('generates what is missing (private keys 0600) and reuses it on the next start', () => {
    const dir = fresh();
    const first = loadWechatKeysDir(dir);
    expect([...first.created].sort()).toEqual(['apiclient_key.pem', 'apiclient_public_key.pem', 'config.json', 'platform_private_key.pem', 'platform_public_key.pem']);
    expect(statSync(join(dir, 'apiclient_key.pem')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'platform_private_key.pem')).mode & 0o777).toBe(0o600);
    expect(first.config).toMatchObject({ appid: expect.stringMatching(/^wx[0-9a-f]{16}$/), mch_id: expect.stringMatching(/^\d{10}$/), api_key: expect.stringMatching(/^[0-9A-Za-z]{32}$/) });
    expect(keysMatch(first.merchantPrivateKeyPem!, first.merchantPublicKeyPem)).toBe(true);
    const second = loadWechatKeysDir(dir);
    expect(second.created).toEqual([]);
    expect(second.config).toEqual(first.config);
  });

  it('uses files and config fields that exist, completing the rest', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ appid: 'wxd930ea5d5a258f4f', mch_id: '10000100' }));
    writeFileSync(join(dir, 'apiclient_key.pem'), merchantPrivateKeyPem);
    const keys = loadWechatKeysDir(dir);
    expect(keys.config).toMatchObject({ appid: 'wxd930ea5d5a258f4f', mch_id: '10000100' });
    expect(keys.merchantPrivateKeyPem).toBe(merchantPrivateKeyPem);
    expect(JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')).api_v3_key).toHaveLength(32);
    expect(keys.created).not.toContain('apiclient_key.pem');
  });

  it('refuses a platform public key without its private key', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'platform_public_key.pem'), 'x');
    expect(() => loadWechatKeysDir(dir)).toThrow(/platform_private_key/);
  });
});

describe('the sandbox platform certificate', () => {
  it('is a real self-signed X.509 certificate with the given serial, parsed and verified by node', () => {
    const key = createPrivateKey(platformPrivateKeyPem);
    const cert = new X509Certificate(selfSignedCertificate({ privateKey: key, serialHex: '00FF01', commonName: 'test', notBefore: Date.UTC(2025, 0, 1), notAfter: Date.UTC(2055, 0, 1) }));
    expect(cert.serialNumber).toBe('FF01');
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(new Date(cert.validTo).getUTCFullYear()).toBe(2055);
    const identity = platformIdentity(platformPrivateKeyPem, '7A1B', Date.now());
    expect(new X509Certificate(identity.certificatePem).serialNumber).toBe('7A1B');
    expect(identity.secret).toHaveLength(32);
  });

  it('issues 40-digit serials that a parsed certificate spells the same way', () => {
    // A leading zero byte came up once in 256 serials and was dropped by certificate parsers.
    for (let i = 0; i < 4000; i++) expect(newSerial()).toMatch(/^[1-7][0-9A-F]{39}$/);
    const serial = newSerial();
    expect(new X509Certificate(platformIdentity(platformPrivateKeyPem, serial, Date.now()).certificatePem).serialNumber).toBe(serial);
  });
});
