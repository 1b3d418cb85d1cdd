import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parsePrivateKey, parsePublicKey, publicKeyOf } from '../../../src/channels/alipay/keys.js';
import {
  md5Sign, md5Verify, notifySignContent, requestSignContent, rsaSign, rsaVerify, signNotify, signRequest, verifyNotify, verifyRequest,
} from '../../../src/channels/alipay/sign.js';

const vectors = JSON.parse(readFileSync(new URL('../../fixtures/alipay/vectors.json', import.meta.url), 'utf8')) as {
  alipay_md5: Array<{ params: Record<string, string>; key: string; sign: string }>;
  alipay_rsa2_request: { params: Record<string, string>; string_to_sign: string; sign: string; private_key_pkcs8: string };
  alipay_notify: { params: Record<string, string>; alipay_public_key: string };
};

describe('legacy MD5 signatures (chloerei/alipay vectors)', () => {
  for (const vector of vectors.alipay_md5) {
    it(`signs ${JSON.stringify(vector.params)} with key ${vector.key.slice(0, 2)}… as ${vector.sign}`, () => {
      expect(md5Sign(vector.params, vector.key)).toBe(vector.sign);
      expect(md5Verify({ ...vector.params, sign: vector.sign, sign_type: 'MD5' }, vector.key)).toBe(true);
    });
  }

  it('appends the key with no separator and ignores sign, sign_type and empty values', () => {
    const [vector] = vectors.alipay_md5;
    expect(md5Sign({ ...vector!.params, sign: 'x', sign_type: 'MD5', empty: '' }, vector!.key)).toBe(vector!.sign);
  });

  it('refuses a changed value, a wrong key and a malformed signature', () => {
    const [vector] = vectors.alipay_md5;
    const signed = { ...vector!.params, sign: vector!.sign };
    expect(md5Verify({ ...signed, partner: '124' }, vector!.key)).toBe(false);
    expect(md5Verify(signed, '30000000000000000000000000000000')).toBe(false);
    expect(md5Verify({ ...signed, sign: 'not-hex' }, vector!.key)).toBe(false);
    expect(md5Verify({ ...vector!.params }, vector!.key)).toBe(false);
  });

  it('accepts an upper-case hex signature', () => {
    const [vector] = vectors.alipay_md5;
    expect(md5Verify({ ...vector!.params, sign: vector!.sign.toUpperCase() }, vector!.key)).toBe(true);
  });
});

describe('Open Platform RSA2 request signatures (chloerei/alipay vector)', () => {
  const vector = vectors.alipay_rsa2_request;
  const privateKey = parsePrivateKey(vector.private_key_pkcs8);

  it('builds the published string to sign, sign_type included', () => {
    expect(requestSignContent(vector.params)).toBe(vector.string_to_sign);
  });

  it('reproduces the published signature byte for byte', () => {
    expect(rsaSign(vector.string_to_sign, privateKey, 'RSA2')).toBe(vector.sign);
    expect(signRequest(vector.params, privateKey, 'RSA2').sign).toBe(vector.sign);
  });

  it('verifies as the gateway would, and refuses any change', () => {
    const publicKey = publicKeyOf(privateKey);
    const signed = { ...vector.params, sign: vector.sign };
    expect(verifyRequest(signed, publicKey)).toBe(true);
    expect(verifyRequest({ ...signed, timestamp: '2016-04-01 00:00:01' }, publicKey)).toBe(false);
    expect(verifyRequest({ ...signed, sign_type: 'RSA' }, publicKey)).toBe(false);
    expect(verifyRequest({ ...signed, sign_type: 'MD5' }, publicKey)).toBe(false);
  });

  it('drops empty values from the string to sign', () => {
    expect(requestSignContent({ ...vector.params, notify_url: '', sign: 'zzz' })).toBe(vector.string_to_sign);
  });

  it('sorts by ASCII code, so upper case sorts before lower case', () => {
    expect(requestSignContent({ b: '1', B: '2', a_b: '3', a: '4' })).toBe('B=2&a=4&a_b=3&b=1');
  });
});

describe('Open Platform notify verification (real notify from alipay-sdk-nodejs-all)', () => {
  const vector = vectors.alipay_notify;
  const alipayKey = parsePublicKey(vector.alipay_public_key);

  it('verifies only with sign and sign_type removed', () => {
    expect(verifyNotify(vector.params, alipayKey)).toBe(true);
    const withSignType = requestSignContent(vector.params);
    expect(rsaVerify(withSignType, vector.params.sign!, alipayKey, 'RSA2')).toBe(false);
    expect(rsaVerify(notifySignContent(vector.params), vector.params.sign!, alipayKey, 'RSA2')).toBe(true);
  });

  it('refuses a tampered amount, a changed app_id, a missing sign and a forged one', () => {
    expect(verifyNotify({ ...vector.params, total_amount: '100.00' }, alipayKey)).toBe(false);
    expect(verifyNotify({ ...vector.params, app_id: '2019073166072303' }, alipayKey)).toBe(false);
    const { sign: _sign, ...unsigned } = vector.params;
    expect(verifyNotify(unsigned, alipayKey)).toBe(false);
    expect(verifyNotify({ ...vector.params, sign: Buffer.alloc(256, 7).toString('base64') }, alipayKey)).toBe(false);
    expect(verifyNotify({ ...vector.params, sign_type: 'HMAC' }, alipayKey)).toBe(false);
  });

  it('refuses a notify signed by any other key', () => {
    const { privateKey } = pairFor();
    const forged = signNotify(vector.params, privateKey);
    expect(verifyNotify(forged, alipayKey)).toBe(false);
  });

  it('signs notifies as Alipay does: sign_type set but not signed, empty values left out', () => {
    const { privateKey, publicKey } = pairFor();
    const signed = signNotify({ out_trade_no: 'ch_1', total_amount: '0.10', passback_params: '' }, privateKey);
    expect(signed.passback_params).toBeUndefined();
    expect(signed.sign_type).toBe('RSA2');
    expect(rsaVerify('out_trade_no=ch_1&total_amount=0.10', signed.sign!, publicKey, 'RSA2')).toBe(true);
    expect(verifyNotify(signed, publicKey)).toBe(true);
  });

  it('still verifies a notify that carries an empty value the signer kept', () => {
    const { privateKey, publicKey } = pairFor();
    const params = { out_trade_no: 'ch_1', passback_params: '', total_amount: '0.10' };
    const sign = rsaSign('out_trade_no=ch_1&passback_params=&total_amount=0.10', privateKey, 'RSA2');
    expect(verifyNotify({ ...params, sign, sign_type: 'RSA2' }, publicKey)).toBe(true);
  });
});

describe('RSA (SHA1) signatures', () => {
  it('sign and verify with the legacy RSA sign_type and differ from RSA2', () => {
    const { privateKey, publicKey } = pairFor();
    const rsa = rsaSign('a=1', privateKey, 'RSA');
    expect(rsaVerify('a=1', rsa, publicKey, 'RSA')).toBe(true);
    expect(rsaVerify('a=1', rsa, publicKey, 'RSA2')).toBe(false);
  });
});

function pairFor() {
  const privateKey = parsePrivateKey(vectors.alipay_rsa2_request.private_key_pkcs8);
  return { privateKey, publicKey: publicKeyOf(privateKey) };
}
