import { describe, expect, it } from 'vitest';
import { PaygateError } from '../../../src/core/errors.js';
import { validateChannelOptions } from '../../../src/engine/channel-options.js';
import { wechatChannel } from '../../../src/channels/wechat/wechat-channel.js';
import { readSettings } from '../../../src/channels/wechat/options.js';
import { merchantCertPem, merchantPrivateKeyPem, platformPublicKeyPem } from './fixtures.js';

const v2 = { appid: 'wxd930ea5d5a258f4f', mch_id: '10000100', api_key: '192006250b4c09247ec02edce69f6a2d' };
const v3 = { api_version: 'v3', appid: 'wxd930ea5d5a258f4f', mch_id: '1900000109', api_v3_key: 'abcdefghijklmnopqrstuvwxyz012345', private_key: merchantPrivateKeyPem, serial_no: '5A8B3C7D9E1F20304152637485960718' };

function paramOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof PaygateError) return error.param;
    throw error;
  }
  return undefined;
}

describe('WeChat channel options', () => {
  it('accept v2 and v3 configurations and keep the secrets apart', () => {
    const split = validateChannelOptions(wechatChannel, false, v2);
    expect(split.secretOptions).toEqual({ api_key: v2.api_key });
    expect(split.publicOptions).toMatchObject({ appid: v2.appid, mch_id: v2.mch_id, api_version: 'v2', sign_type: 'MD5' });
    const split3 = validateChannelOptions(wechatChannel, false, v3);
    expect(Object.keys(split3.secretOptions).sort()).toEqual(['api_v3_key', 'private_key']);
  });

  it('name the missing or broken field', () => {
    expect(paramOf(() => validateChannelOptions(wechatChannel, false, { ...v2, api_key: undefined }))).toBe('options.api_key');
    expect(paramOf(() => validateChannelOptions(wechatChannel, false, { ...v2, appid: 'wechat' }))).toBe('options.appid');
    expect(paramOf(() => validateChannelOptions(wechatChannel, false, { ...v3, private_key: '-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----' }))).toBe('options.private_key');
    expect(paramOf(() => validateChannelOptions(wechatChannel, false, { ...v3, api_v3_key: 'short' }))).toBe('options.api_v3_key');
    expect(paramOf(() => validateChannelOptions(wechatChannel, true, v3))).toBe('options.platform_public_key');
    expect(paramOf(() => validateChannelOptions(wechatChannel, true, { ...v3, platform_public_key: platformPublicKeyPem }))).toBe('options.platform_serial');
    expect(paramOf(() => validateChannelOptions(wechatChannel, true, { ...v3, platform_public_key: merchantCertPem }))).toBeUndefined();
    expect(paramOf(() => validateChannelOptions(wechatChannel, false, { ...v2, sign_type: 'SHA1' }))).toBe('options.sign_type');
  });

  it('allow an official account without WeChat Pay (appid only), but no keys without mch_id', () => {
    expect(paramOf(() => validateChannelOptions(wechatChannel, false, { appid: v2.appid, app_secret: 'a'.repeat(32) }))).toBeUndefined();
    expect(paramOf(() => validateChannelOptions(wechatChannel, false, { appid: v2.appid, api_key: v2.api_key }))).toBe('options.mch_id');
  });

  it('default the gateway to the embedded sandbox in test mode, and derive the official-account hosts', () => {
    expect(wechatChannel.defaultOptions!(false, 'http://127.0.0.1:8080/')).toEqual({ gateway: 'http://127.0.0.1:8080/sandbox/wechat' });
    expect(wechatChannel.defaultOptions!(true, 'http://x')).toEqual({ gateway: 'https://api.mch.weixin.qq.com' });
    const live = readSettings({ ...v2, gateway: 'https://api.mch.weixin.qq.com' }, true);
    expect([live.mpGateway, live.oauthGateway]).toEqual(['https://api.weixin.qq.com', 'https://open.weixin.qq.com']);
    const sandbox = readSettings({ ...v2, gateway: 'http://127.0.0.1:8080/sandbox/wechat/' }, false);
    expect([sandbox.gateway, sandbox.mpGateway, sandbox.oauthGateway]).toEqual(Array(3).fill('http://127.0.0.1:8080/sandbox/wechat'));
    expect(readSettings({ ...v3, platform_public_key: merchantCertPem }, true).platformSerial).toBe('5A8B3C7D9E1F20304152637485960718');
  });
});

describe('WeChat charge input', () => {
  const check = (channel: string, extra: Record<string, unknown>) => paramOf(() => wechatChannel.validateCharge!({ channel, extra, livemode: false }));
  it('needs extra.open_id for JSAPI codes only', () => {
    expect(check('wx_pub', {})).toBe('extra[open_id]');
    expect(check('wx_lite', { open_id: 'bad openid!' })).toBe('extra[open_id]');
    expect(check('wx_pub', { open_id: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' })).toBeUndefined();
    expect(check('wx_pub_qr', {})).toBeUndefined();
    expect(check('wx_wap', {})).toBeUndefined();
  });
  it('checks product_id and limit_pay when given', () => {
    expect(check('wx_pub_qr', { product_id: 'sku-1' })).toBe('extra[product_id]');
    expect(check('wx_pub_qr', { product_id: 'sku1' })).toBeUndefined();
    expect(check('wx_pub_qr', { limit_pay: 'credit' })).toBe('extra[limit_pay]');
  });
});
