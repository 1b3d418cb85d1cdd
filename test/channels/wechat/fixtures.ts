/** Loads the WeChat test fixtures (keys, official vectors) from test/fixtures/wechat. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dir = fileURLToPath(new URL('../../fixtures/wechat/', import.meta.url));

export function fixture(name: string): string {
  return readFileSync(dir + name, 'utf8');
}

export const merchantPrivateKeyPem = fixture('merchant_private_key.pem');
export const merchantPublicKeyPem = fixture('merchant_public_key.pem');
export const merchantCertPem = fixture('merchant_cert.pem');
export const platformPrivateKeyPem = fixture('platform_private_key.pem');
export const platformPublicKeyPem = fixture('platform_public_key.pem');

export interface WechatVectors {
  wechat_v2: { params: Record<string, string>; key: string; md5: string; hmac_sha256: string };
  jssdk: { params: { noncestr: string; jsapi_ticket: string; timestamp: string; url: string }; signature: string }[];
}
export const vectors = JSON.parse(fixture('vectors.json')) as WechatVectors;
