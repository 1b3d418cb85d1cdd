import { describe, expect, it } from 'vitest';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import {
  describePrivateKeyProblem, describePublicKeyProblem, parsePrivateKey, parsePublicKey, toBareBase64,
} from '../../../src/channels/alipay/keys.js';
import { rsaSign, rsaVerify } from '../../../src/channels/alipay/sign.js';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pkcs8Pem = String(privateKey.export({ format: 'pem', type: 'pkcs8' }));
const pkcs1Pem = String(privateKey.export({ format: 'pem', type: 'pkcs1' }));
const spkiPem = String(publicKey.export({ format: 'pem', type: 'spki' }));
const pkcs1PublicPem = String(publicKey.export({ format: 'pem', type: 'pkcs1' }));
const bare = (pem: string) => pem.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');

function signsLikeTheOriginal(text: string): void {
  const parsed = parsePrivateKey(text);
  const signature = rsaSign('content', parsed, 'RSA2');
  expect(rsaVerify('content', signature, publicKey, 'RSA2')).toBe(true);
}

describe('private keys as merchants paste them', () => {
  it('reads PKCS#8 and PKCS#1 PEM', () => {
    signsLikeTheOriginal(pkcs8Pem);
    signsLikeTheOriginal(pkcs1Pem);
  });

  it('reads bare base64 of either encoding (what Alipay\'s key tool shows)', () => {
    signsLikeTheOriginal(bare(pkcs8Pem));
    signsLikeTheOriginal(bare(pkcs1Pem));
  });

  it('reads a PEM whose line breaks were lost or escaped', () => {
    signsLikeTheOriginal(pkcs8Pem.replace(/\n(?!-----END)/g, ' '));
    signsLikeTheOriginal(pkcs1Pem.replace(/\n/g, '\\n'));
  });

  it('says what is wrong with a key that does not parse', () => {
    expect(describePrivateKeyProblem(pkcs8Pem)).toBeUndefined();
    expect(describePrivateKeyProblem('-- not a key --')).toMatch(/neither PEM nor base64/);
    expect(describePrivateKeyProblem('QUJDRA==')).toMatch(/not an RSA/);
    expect(describePrivateKeyProblem(spkiPem)).toBeDefined();
    expect(describePrivateKeyProblem(42)).toMatch(/key text/);
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ format: 'pem', type: 'pkcs8' });
    expect(describePrivateKeyProblem(String(ec))).toMatch(/Alipay uses RSA/);
  });
});

describe('public keys as Alipay\'s console shows them', () => {
  it('reads SPKI and PKCS#1 PEM and bare base64', () => {
    for (const text of [spkiPem, pkcs1PublicPem, bare(spkiPem), bare(pkcs1PublicPem)]) {
      const parsed = parsePublicKey(text);
      expect(parsed.export({ format: 'der', type: 'spki' }).equals(publicKey.export({ format: 'der', type: 'spki' }))).toBe(true);
    }
  });

  it('refuses a private key given as the Alipay public key', () => {
    expect(describePublicKeyProblem('garbage!')).toBeDefined();
    expect(describePublicKeyProblem(bare(pkcs8Pem))).toMatch(/private key/);
    expect(describePublicKeyProblem(bare(pkcs1Pem))).toMatch(/private key/);
    expect(describePublicKeyProblem(pkcs1Pem)).toMatch(/private key/);
  });

  it('writes the one-line base64 form back', () => {
    expect(toBareBase64(createPublicKey(spkiPem))).toBe(bare(spkiPem));
    expect(toBareBase64(createPrivateKey(pkcs1Pem))).toBe(bare(pkcs8Pem));
  });
});
