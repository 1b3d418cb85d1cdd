import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { certificateSerial, checkClientCertificate, keysMatch, merchantPrivateKey, publicKeyPemOf, rsaPublicKey, sameSerial } from '../../../src/channels/wechat/keys.js';
import { isValidOutRefundNo, isValidOutTradeNo } from '../../../src/channels/wechat/trade-no.js';
import { newNonce } from '../../../src/channels/wechat/nonce.js';
import { merchantCertPem, merchantPrivateKeyPem, merchantPublicKeyPem, platformPublicKeyPem } from './fixtures.js';

describe('WeChat key material', () => {
  it('parses the merchant private key and derives its public key', () => {
    expect(merchantPrivateKey(merchantPrivateKeyPem).type).toBe('private');
    expect(publicKeyPemOf(merchantPrivateKeyPem)).toBe(merchantPublicKeyPem);
    expect(keysMatch(merchantPrivateKeyPem, merchantPublicKeyPem)).toBe(true);
    expect(keysMatch(merchantPrivateKeyPem, merchantCertPem)).toBe(true);
    expect(keysMatch(merchantPrivateKeyPem, platformPublicKeyPem)).toBe(false);
  });

  it('refuses garbage, public keys as private keys, EC keys and short RSA keys', () => {
    expect(() => merchantPrivateKey('hello')).toThrow(/PEM/);
    expect(() => merchantPrivateKey(merchantPrivateKeyPem.replace(/[A-Z]{8}/, 'AAAAAAAA'))).toThrow();
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => merchantPrivateKey(ec)).toThrow(/RSA/);
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    expect(() => merchantPrivateKey(small)).toThrow(/2048/);
    expect(() => rsaPublicKey(merchantPrivateKeyPem)).toThrow();
  });

  it('reads a platform key from a public key or a certificate, and the serial from a certificate', () => {
    expect(rsaPublicKey(platformPublicKeyPem).type).toBe('public');
    expect(rsaPublicKey(merchantCertPem).type).toBe('public');
    expect(certificateSerial(merchantCertPem)).toBe('5A8B3C7D9E1F20304152637485960718');
    expect(certificateSerial(platformPublicKeyPem)).toBeUndefined();
    expect(() => checkClientCertificate(merchantCertPem)).not.toThrow();
    expect(() => checkClientCertificate(merchantPublicKeyPem)).toThrow();
  });

  it('compares hex serials as numbers (a parsed certificate drops leading zeros) and key ids exactly', () => {
    expect(sameSerial('00277A25A3CE21804EA1AB9304878B9CCC1F23FE', '277A25A3CE21804EA1AB9304878B9CCC1F23FE')).toBe(true);
    expect(sameSerial('5157f09efdc096de15ebe81a47057a7232f1b8e1', '5157F09EFDC096DE15EBE81A47057A7232F1B8E1')).toBe(true);
    expect(sameSerial('00', '0')).toBe(true);
    expect(sameSerial('277A25A3CE21804EA1AB9304878B9CCC1F23FE', '277A25A3CE21804EA1AB9304878B9CCC1F23F0')).toBe(false);
    expect(sameSerial('277A', '277A00')).toBe(false);
    expect(sameSerial('PUB_KEY_ID_0114232134912410000000000000', 'PUB_KEY_ID_0114232134912410000000000000')).toBe(true);
    expect(sameSerial('PUB_KEY_ID_0114232134912410000000000000', 'pub_key_id_0114232134912410000000000000')).toBe(false);
  });
});

describe('out_trade_no and nonce rules', () => {
  it('accepts paygate ids and refuses what WeChat refuses', () => {
    expect(isValidOutTradeNo('ch_0123456789ABCDEFGHIJabcd')).toBe(true);
    expect(isValidOutTradeNo('20150806125346')).toBe(true);
    expect(isValidOutTradeNo('a|b*c-d_e1')).toBe(true);
    expect(isValidOutTradeNo('x'.repeat(33))).toBe(false);
    expect(isValidOutTradeNo('12345')).toBe(false);
    expect(isValidOutTradeNo('订单123456')).toBe(false);
    expect(isValidOutTradeNo('ab cdef')).toBe(false);
    expect(isValidOutRefundNo('re_abc@1')).toBe(true);
    expect(isValidOutRefundNo('x'.repeat(65))).toBe(false);
  });

  it('makes 32-character alphanumeric nonces', () => {
    const a = newNonce();
    expect(a).toMatch(/^[0-9A-Za-z]{32}$/);
    expect(newNonce()).not.toBe(a);
    expect(newNonce(64)).toHaveLength(32);
  });
});
