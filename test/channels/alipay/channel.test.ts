import { describe, expect, it } from 'vitest';
import { AlipaySdk } from 'alipay-sdk';
import type { ChannelHttpResponse } from '../../../src/channels/contract.js';
import { alipayChannel } from '../../../src/channels/alipay/alipay-channel.js';
import { createAlipayPayment } from '../../../src/channels/alipay/payments.js';
import { generateRsaKeyPair, parsePrivateKey, publicKeyOf, toPem } from '../../../src/channels/alipay/keys.js';
import { execOpenApi } from '../../../src/channels/alipay/client.js';
import { readSettings, validateAlipayOptions, ALIPAY_OPTIONS } from '../../../src/channels/alipay/options.js';
import { writeSignedResponse } from '../../../src/channels/alipay/response.js';
import { md5Sign } from '../../../src/channels/alipay/sign.js';
import { chargeView, testContext } from './support.js';

const merchant = generateRsaKeyPair();
const alipay = generateRsaKeyPair();
const openApi = { app_id: '9021000000000001', private_key: merchant.privateKeyPem, alipay_public_key: alipay.publicKeyPem, gateway: 'https://gw.example/gateway.do' };
const legacy = { partner: '2088000000000001', key: 'abcdefghijklmnopqrstuvwxyz012345', gateway: 'https://gw.example/gateway.do' };

/** The sign rule written out independently of sign.ts, for the cross-check. */
function contentOf(params: Record<string, string>, exclude: string[]): string {
  return Object.keys(params).filter((k) => !exclude.includes(k) && params[k] !== '').sort().map((k) => `${k}=${params[k]}`).join('&');
}

describe('pay URLs', () => {
  it('page and wap pay URLs pass alipay-sdk\'s rsaCheck with the merchant\'s public key', async () => {
    // rsaCheck verifies against the SDK's `alipayPublicKey`: give it the merchant's, as Alipay's gateway holds it.
    const sdk = new AlipaySdk({ appId: openApi.app_id, privateKey: merchant.privateKeyPem, keyType: 'PKCS8', alipayPublicKey: merchant.publicKeyPem });
    for (const channel of ['alipay_pc_direct', 'alipay_wap']) {
      const created = await createAlipayPayment(testContext(openApi), chargeView({ channel, subject: '含 & 和 = 的标题 +', amount: 1999 }));
      if (!created.ok) throw new Error(created.message);
      const url = new URL(created.credential.url as string);
      const params = Object.fromEntries(url.searchParams);
      expect(params).toEqual(created.credential.params);
      expect(sdk.rsaCheck(contentOf(params, ['sign']), params.sign!, 'RSA2')).toBe(true);
      expect(sdk.rsaCheck(contentOf({ ...params, timestamp: '2026-01-01 08:00:01' }, ['sign']), params.sign!, 'RSA2')).toBe(false);
      expect(JSON.parse(params.biz_content!)).toMatchObject({ total_amount: '19.99', out_trade_no: 'ch_0123456789ABCDEFGHIJKLMN' });
      expect(params).toMatchObject({ notify_url: 'http://127.0.0.1:8080/notify/chn_test', return_url: 'http://127.0.0.1:8080/return/chn_test' });
    }
  });

  it('RSA (SHA1) channels sign with SHA1', async () => {
    const sdk = new AlipaySdk({ appId: openApi.app_id, privateKey: merchant.privateKeyPem, keyType: 'PKCS8', alipayPublicKey: merchant.publicKeyPem, signType: 'RSA' });
    const created = await createAlipayPayment(testContext({ ...openApi, sign_type: 'RSA' }), chargeView());
    if (!created.ok) throw new Error(created.message);
    const params = created.credential.params as Record<string, string>;
    expect(params.sign_type).toBe('RSA');
    expect(sdk.rsaCheck(contentOf(params, ['sign']), params.sign!, 'RSA')).toBe(true);
  });

  it('legacy URLs carry the MD5 sign of every other parameter, key appended', async () => {
    for (const channel of ['alipay_direct', 'alipay_escrow', 'alipay_pc_direct', 'alipay_wap']) {
      const created = await createAlipayPayment(testContext(legacy), chargeView({ channel }));
      if (!created.ok) throw new Error(created.message);
      const params = Object.fromEntries(new URL(created.credential.url as string).searchParams);
      expect(params.sign).toBe(md5Sign(params, legacy.key));
      expect(params.sign_type).toBe('MD5');
    }
  });

  it('refuses what the configuration cannot do, and non-CNY charges', async () => {
    await expect(createAlipayPayment(testContext(legacy), chargeView({ channel: 'alipay_qr' }))).rejects.toMatchObject({ code: 'channel_options_invalid', param: 'options.app_id' });
    await expect(createAlipayPayment(testContext(openApi), chargeView({ channel: 'alipay_escrow' }))).rejects.toMatchObject({ param: 'options.partner' });
    await expect(createAlipayPayment(testContext(openApi), chargeView({ currency: 'usd' }))).rejects.toMatchObject({ code: 'currency_unsupported' });
  });
});

describe('options', () => {
  const check = (name: string, value: unknown) => ALIPAY_OPTIONS.find((f) => f.name === name)!.check!(value);

  it('each field says what is wrong with it', () => {
    expect(check('app_id', '2021000000000000')).toBeUndefined();
    expect(check('app_id', '2021')).toMatch(/16-digit/);
    expect(check('partner', '1088000000000000')).toMatch(/2088/);
    expect(check('key', 'short')).toMatch(/32-character/);
    expect(check('private_key', 'nope!')).toBeDefined();
    expect(check('private_key', merchant.privateKeyPem)).toBeUndefined();
    expect(check('alipay_public_key', merchant.privateKeyPem)).toMatch(/private key/);
  });

  it('needs a complete Open Platform or mapi set, and Alipay\'s public key when live', () => {
    expect(() => validateAlipayOptions({}, false)).toThrow(/Open Platform/);
    expect(() => validateAlipayOptions({ app_id: '2021000000000000' }, false)).toThrow(/private_key/);
    expect(() => validateAlipayOptions({ partner: '2088000000000000' }, false)).toThrow(/key/);
    expect(() => validateAlipayOptions({ app_id: openApi.app_id, private_key: merchant.privateKeyPem }, true)).toThrow(/alipay_public_key/);
    expect(() => validateAlipayOptions({ app_id: openApi.app_id, private_key: merchant.privateKeyPem }, false)).not.toThrow();
    expect(() => validateAlipayOptions(legacy, true)).not.toThrow();
  });

  it('defaults to the embedded sandbox in test mode and to Alipay live otherwise', () => {
    expect(alipayChannel.defaultOptions!(false, 'http://127.0.0.1:8080/')).toMatchObject({ gateway: 'http://127.0.0.1:8080/sandbox/alipay/gateway.do' });
    expect(alipayChannel.defaultOptions!(true, 'http://127.0.0.1:8080')).not.toHaveProperty('gateway');
    expect(readSettings({ app_id: openApi.app_id, private_key: merchant.privateKeyPem, ...legacy, gateway: undefined }, true)).toMatchObject({
      openApi: { gateway: 'https://openapi.alipay.com/gateway.do' }, mapi: { gateway: 'https://mapi.alipay.com/gateway.do', sellerId: legacy.partner },
    });
  });
});

describe('response verification in the client', () => {
  const answer = (body: string, status = 200) => () => ({ status, headers: {}, body }) satisfies ChannelHttpResponse;
  const signed = (body: Record<string, unknown>, key = alipay.privateKeyPem) =>
    writeSignedResponse('alipay_trade_query_response', body, parsePrivateKey(key), 'RSA2');
  const call = { method: 'alipay.trade.query', bizContent: { out_trade_no: 'ch_1' } };
  const settings = () => readSettings(openApi, false).openApi!;

  it('sends common params in the query and biz_content in the form body, signed', async () => {
    const ctx = testContext(openApi, answer(signed({ code: '10000', msg: 'Success', trade_status: 'WAIT_BUYER_PAY' })));
    const body = await execOpenApi(ctx, settings(), call);
    expect(body.trade_status).toBe('WAIT_BUYER_PAY');
    const sent = ctx.requests[0]!;
    expect(new URL(sent.url).searchParams.get('method')).toBe('alipay.trade.query');
    expect(new URL(sent.url).searchParams.has('biz_content')).toBe(false);
    expect(new URLSearchParams(sent.body).get('biz_content')).toBe('{"out_trade_no":"ch_1"}');
  });

  it('refuses a response signed by another key, a tampered one and an unsigned success', async () => {
    const other = generateRsaKeyPair().privateKeyPem;
    await expect(execOpenApi(testContext(openApi, answer(signed({ code: '10000' }, other))), settings(), call)).rejects.toMatchObject({ code: 'channel_request_failed' });
    const tampered = signed({ code: '10000', msg: 'Success', total_amount: '1.00' }).replace('1.00', '9.00');
    await expect(execOpenApi(testContext(openApi, answer(tampered)), settings(), call)).rejects.toThrow(/does not verify/);
    await expect(execOpenApi(testContext(openApi, answer('{"alipay_trade_query_response":{"code":"10000"}}')), settings(), call)).rejects.toThrow(/unsigned success/);
    await expect(execOpenApi(testContext(openApi, answer('oops', 502)), settings(), call)).rejects.toThrow(/HTTP 502/);
    await expect(execOpenApi(testContext(openApi, answer('<html>')), settings(), call)).rejects.toThrow(/not an Alipay response/);
  });

  it('passes an unsigned refusal through as a body to decline', async () => {
    const body = await execOpenApi(testContext(openApi, answer('{"error_response":{"code":"40002","sub_code":"isv.invalid-app-id"}}')), settings(), call);
    expect(body.sub_code).toBe('isv.invalid-app-id');
  });

  it('in test mode without alipay_public_key, fetches the sandbox\'s published key', async () => {
    const { alipay_public_key: _omitted, ...withoutKey } = openApi;
    const ctx = testContext(withoutKey, (request) => request.url.endsWith('/alipay_public_key.pem')
      ? { status: 200, headers: {}, body: toPem(publicKeyOf(alipay.privateKeyPem)) }
      : answer(signed({ code: '10000', msg: 'Success' }))());
    await execOpenApi(ctx, readSettings(withoutKey, false).openApi!, call);
    expect(ctx.requests.map((r) => r.url)).toContain('https://gw.example/alipay_public_key.pem');
  });
});
