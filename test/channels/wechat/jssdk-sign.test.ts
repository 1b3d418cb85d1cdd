import { describe, expect, it } from 'vitest';
import { Hash } from 'wechatpay-axios-plugin';
import { jssdkSignContent, jssdkSignature, jssdkUrl } from '../../../src/channels/wechat/jssdk-sign.js';
import { vectors } from './fixtures.js';

describe('JS-SDK signature', () => {
  for (const vector of vectors.jssdk) {
    it(`reproduces the official vector for ${vector.params.url}`, () => {
      expect(jssdkSignature(vector.params)).toBe(vector.signature);
    });
  }

  it('drops the #fragment of the page URL', () => {
    const [current] = vectors.jssdk;
    expect(jssdkSignature({ ...current.params, url: `${current.params.url}#/order/1?x=y` })).toBe(current.signature);
    expect(jssdkUrl('https://a.example/p?q=1#frag#more')).toBe('https://a.example/p?q=1');
  });

  it('signs raw values, sorted, and agrees with the plugin sha1', () => {
    const input = { jsapi_ticket: 't', noncestr: 'n', timestamp: 1, url: 'https://a.example/?x=%E4%B8%AD&y=中' };
    expect(jssdkSignContent(input)).toBe('jsapi_ticket=t&noncestr=n&timestamp=1&url=https://a.example/?x=%E4%B8%AD&y=中');
    expect(jssdkSignature(input)).toBe(Hash.sha1(jssdkSignContent(input)));
  });
});
