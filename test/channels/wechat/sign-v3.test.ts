import { describe, expect, it } from 'vitest';
import { Formatter, Rsa } from 'wechatpay-axios-plugin';
import {
  jsapiPaySignV3,
  parseV3Authorization,
  rsaSign,
  rsaVerify,
  signV3Request,
  signV3Response,
  v3Authorization,
  v3RequestMessage,
  v3ResponseMessage,
  verifyJsapiPaySignV3,
  verifyV3Response,
} from '../../../src/channels/wechat/sign-v3.js';
import { merchantPrivateKeyPem, merchantPublicKeyPem, platformPrivateKeyPem, platformPublicKeyPem } from './fixtures.js';

describe('v3 request signing', () => {
  it('builds the official example message, five lines each ending in \\n', () => {
    expect(v3RequestMessage('GET', '/v3/certificates', 1554208460, '593BEC0C930BF1AFEB40B4A08C8FB242')).toBe(
      'GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n',
    );
  });

  it('matches wechatpay-axios-plugin Formatter and Rsa for GET and POST', () => {
    const body = JSON.stringify({ appid: 'wx1', mchid: '1900000109', description: '测试', amount: { total: 1 } });
    for (const [method, url, payload] of [['GET', '/v3/pay/transactions/out-trade-no/ch_1?mchid=1900000109', ''], ['POST', '/v3/pay/transactions/jsapi', body]] as const) {
      const ours = v3RequestMessage(method, url, 1700000000, 'NONCE', payload);
      expect(ours).toBe(Formatter.request(method, url, 1700000000, 'NONCE', payload));
      // PKCS#1 v1.5 is deterministic: the same key and message give the same signature.
      expect(rsaSign(ours, merchantPrivateKeyPem)).toBe(Rsa.sign(ours, Rsa.from(merchantPrivateKeyPem, Rsa.KEY_TYPE_PRIVATE)));
      expect(Rsa.verify(ours, rsaSign(ours, merchantPrivateKeyPem), Rsa.from(merchantPublicKeyPem, Rsa.KEY_TYPE_PUBLIC))).toBe(true);
    }
  });

  it('writes an Authorization header the sandbox reads back, in any item order', () => {
    const header = signV3Request({ method: 'POST', url: '/v3/pay/transactions/native', body: '{}', mchid: '1900000109', serialNo: 'ABC123', privateKey: merchantPrivateKeyPem, timestamp: 1700000000, nonce: 'n0nce' });
    const parsed = parseV3Authorization(header);
    expect(parsed).toMatchObject({ mchid: '1900000109', nonce_str: 'n0nce', timestamp: '1700000000', serial_no: 'ABC123' });
    expect(rsaVerify(v3RequestMessage('POST', '/v3/pay/transactions/native', 1700000000, 'n0nce', '{}'), parsed!.signature, merchantPublicKeyPem)).toBe(true);
    const pluginOrder = Formatter.authorization('1900000109', 'n0nce', parsed!.signature, 1700000000, 'ABC123');
    expect(parseV3Authorization(pluginOrder)).toEqual(parsed);
  });

  it('refuses malformed Authorization headers', () => {
    const good = v3Authorization({ mchid: '1', nonce_str: 'n', signature: 's', timestamp: '1', serial_no: 'x' });
    expect(parseV3Authorization(good)).toBeDefined();
    expect(parseV3Authorization(undefined)).toBeUndefined();
    expect(parseV3Authorization(good.replace('WECHATPAY2-SHA256-RSA2048', 'Bearer'))).toBeUndefined();
    expect(parseV3Authorization(good.replace(',serial_no="x"', ''))).toBeUndefined();
    expect(parseV3Authorization(`${good},mchid="2"`)).toBeUndefined();
    expect(parseV3Authorization(`${good},extra="2"`)).toBeUndefined();
    expect(parseV3Authorization(`${good} trailing`)).toBeUndefined();
  });
});

describe('v3 answer and notify verification', () => {
  const body = '{"code_url":"weixin://wxpay/bizpayurl?pr=abc"}';
  const headers = signV3Response(body, { privateKey: platformPrivateKeyPem, serial: 'PLAT1', timestamp: 1700000000, nonce: 'abc' });

  it('signs TIMESTAMP\\nNONCE\\nBODY\\n like the plugin Formatter.response', () => {
    expect(v3ResponseMessage(1700000000, 'abc', body)).toBe(Formatter.response(1700000000, 'abc', body));
    expect(Rsa.verify(Formatter.response(1700000000, 'abc', body), headers['Wechatpay-Signature'], Rsa.from(platformPublicKeyPem, Rsa.KEY_TYPE_PUBLIC))).toBe(true);
  });

  it('accepts a good answer with headers in any case', () => {
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    expect(verifyV3Response({ headers: lower, body, publicKey: platformPublicKeyPem, serial: 'PLAT1', nowSeconds: 1700000100 })).toEqual({ ok: true });
    expect(verifyV3Response({ headers, body, publicKey: platformPublicKeyPem, serial: undefined, nowSeconds: 1700000000 })).toEqual({ ok: true });
  });

  it('verifies an empty (204) body as a lone \\n', () => {
    const empty = signV3Response('', { privateKey: platformPrivateKeyPem, serial: 'PLAT1', timestamp: 1700000000, nonce: 'e' });
    expect(rsaVerify('1700000000\ne\n\n', empty['Wechatpay-Signature'], platformPublicKeyPem)).toBe(true);
    expect(verifyV3Response({ headers: empty, body: '', publicKey: platformPublicKeyPem, serial: 'PLAT1', nowSeconds: 1700000000 }).ok).toBe(true);
  });

  it('refuses a tampered body, a wrong key, a wrong serial, a stale timestamp and missing headers', () => {
    const base = { headers, body, publicKey: platformPublicKeyPem, serial: 'PLAT1', nowSeconds: 1700000000 };
    expect(verifyV3Response({ ...base, body: body.replace('abc', 'abd') }).ok).toBe(false);
    expect(verifyV3Response({ ...base, publicKey: merchantPublicKeyPem }).ok).toBe(false);
    expect(verifyV3Response({ ...base, serial: 'OTHER' }).ok).toBe(false);
    expect(verifyV3Response({ ...base, nowSeconds: 1700000301 }).ok).toBe(false);
    expect(verifyV3Response({ ...base, headers: { ...headers, 'Wechatpay-Signature': 'not base64!' } }).ok).toBe(false);
    const { 'Wechatpay-Nonce': _nonce, ...missing } = headers;
    expect(verifyV3Response({ ...base, headers: missing }).ok).toBe(false);
  });
});

describe('v3 JSAPI paySign', () => {
  it('signs appId\\ntimeStamp\\nnonceStr\\npackage\\n as the plugin does', () => {
    const params = { appId: 'wx8888888888888888', timeStamp: '1414561699', nonceStr: '5K8264ILTKCH16CQ2502SI8ZNMTM67VS', package: 'prepay_id=wx201410272009395522657a690389285100' };
    const paySign = jsapiPaySignV3(params, merchantPrivateKeyPem);
    expect(paySign).toBe(Rsa.sign(Formatter.joinedByLineFeed(params.appId, params.timeStamp, params.nonceStr, params.package), Rsa.from(merchantPrivateKeyPem, Rsa.KEY_TYPE_PRIVATE)));
    expect(verifyJsapiPaySignV3(params, paySign, merchantPublicKeyPem)).toBe(true);
    expect(verifyJsapiPaySignV3({ ...params, package: 'prepay_id=other' }, paySign, merchantPublicKeyPem)).toBe(false);
  });
});
