import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Hash } from 'wechatpay-axios-plugin';
import { jsapiPaySignV2, signV2, v2SignContent, v2SignTypeOf, verifyV2 } from '../../../src/channels/wechat/sign-v2.js';
import { vectors } from './fixtures.js';

const official = vectors.wechat_v2;

describe('v2 signatures', () => {
  it('reproduce the official MD5 vector', () => {
    expect(v2SignContent(official.params)).toBe('appid=wxd930ea5d5a258f4f&body=test&device_info=1000&mch_id=10000100&nonce_str=ibuaiVcKdpRxkhJA');
    expect(signV2(official.params, official.key, 'MD5')).toBe(official.md5);
  });

  it('reproduce the official HMAC-SHA256 vector (the &key= suffix is appended there too)', () => {
    expect(signV2(official.params, official.key, 'HMAC-SHA256')).toBe(official.hmac_sha256);
  });

  it('leave out sign and empty values but sign sign_type', () => {
    const withExtras = { ...official.params, sign: 'whatever', attach: '', detail: undefined };
    expect(signV2(withExtras, official.key)).toBe(official.md5);
    const typed = { ...official.params, sign_type: 'HMAC-SHA256' };
    expect(v2SignContent(typed)).toContain('&sign_type=HMAC-SHA256');
    expect(signV2(typed, official.key, 'HMAC-SHA256')).not.toBe(official.hmac_sha256);
  });

  it('agree with wechatpay-axios-plugin Hash.sign on arbitrary fields', () => {
    // `__proto__` is left out: the plugin's ksort drops it (Object.assign), and paygate's XML reader refuses it anyway.
    const field = fc.stringMatching(/^[a-z_]{1,12}$/).filter((name) => name !== '__proto__');
    const value = fc.oneof(fc.string({ maxLength: 20 }), fc.stringMatching(/^[\u4e00-\u9fa5A-Za-z0-9 &=]{0,20}$/));
    fc.assert(
      fc.property(fc.dictionary(field, value, { minKeys: 1, maxKeys: 12 }), fc.constantFrom('MD5' as const, 'HMAC-SHA256' as const), (fields, type) => {
        expect(signV2(fields, official.key, type)).toBe(Hash.sign(type, fields, official.key));
      }),
      { numRuns: 200 },
    );
  });

  it('verify a good signature and refuse a tampered field, a wrong key or a disallowed sign type', () => {
    const signed = { ...official.params, total_fee: '100', sign: signV2({ ...official.params, total_fee: '100' }, official.key) };
    expect(verifyV2(signed, official.key)).toBe(true);
    expect(verifyV2({ ...signed, sign: signed.sign.toLowerCase() }, official.key)).toBe(true);
    expect(verifyV2({ ...signed, total_fee: '1' }, official.key)).toBe(false);
    expect(verifyV2(signed, `${official.key.slice(0, -1)}0`)).toBe(false);
    expect(verifyV2(signed, official.key, ['HMAC-SHA256'])).toBe(false);
    expect(verifyV2({ ...signed, sign: '' }, official.key)).toBe(false);
  });

  it('read the sign type from sign_type, or else from the length of sign', () => {
    expect(v2SignTypeOf({ sign_type: 'HMAC-SHA256', sign: 'x' })).toBe('HMAC-SHA256');
    expect(v2SignTypeOf({ sign: official.md5 })).toBe('MD5');
    expect(v2SignTypeOf({ sign: official.hmac_sha256 })).toBe('HMAC-SHA256');
    expect(v2SignTypeOf({ sign_type: 'SHA1', sign: official.md5 })).toBeUndefined();
  });

  it('make the JSAPI paySign over exactly appId, timeStamp, nonceStr, package, signType', () => {
    const params = { appId: 'wxd930ea5d5a258f4f', timeStamp: '1472179274', nonceStr: 'e61463f8efa94090b1f366cccfbbb444', package: 'prepay_id=wx2017033010242291fcfe0db70013231072', signType: 'MD5' };
    const expected = Hash.sign('MD5', params, official.key);
    expect(jsapiPaySignV2(params, official.key)).toBe(expected);
    expect(jsapiPaySignV2({ ...params, signType: 'HMAC-SHA256' }, official.key)).toBe(Hash.sign('HMAC-SHA256', { ...params, signType: 'HMAC-SHA256' }, official.key));
    expect(() => jsapiPaySignV2({ ...params, signType: 'RSA' }, official.key)).toThrow();
  });
});
