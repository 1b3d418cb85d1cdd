/**
 * The WeChat channel's options (PRODUCT.md §3) and their reading into typed settings. `api_version`
 * chooses v2 (XML, `api_key`) or v3 (JSON, `api_v3_key` + `private_key` + `serial_no`). Keys are
 * validated by parsing them, so a bad key is a 400 naming its field when the channel is saved.
 */
import type { KeyObject } from 'node:crypto';
import type { ChannelOptions, OptionField } from '../contract.js';
import { fail } from '../../core/errors.js';
import { checkClientCertificate, certificateSerial, merchantPrivateKey, rsaPublicKey } from './keys.js';
import { isV2SignType, type V2SignType } from './sign-v2.js';
import { LIVE_MP_GATEWAY, LIVE_OAUTH_GATEWAY, LIVE_PAY_GATEWAY } from './protocol.js';

const pattern = (re: RegExp, what: string) => (value: unknown) => (typeof value === 'string' && re.test(value) ? undefined : what);
const problem = (check: (text: string) => unknown) => (value: unknown) => {
  try {
    check(String(value));
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^[a-z_]+ /, '');
  }
};

export const WECHAT_OPTIONS: readonly OptionField[] = [
  { name: 'api_version', kind: 'enum', required: false, enum: ['v2', 'v3'], default: 'v2', label: { en: 'API version', zh: 'API 版本' },
    help: { en: 'v2: XML signed with the API key. v3: JSON signed with the merchant certificate key.', zh: 'v2：XML + API 密钥签名；v3：JSON + 商户证书私钥签名。' } },
  { name: 'appid', kind: 'string', required: true, label: { en: 'AppID', zh: '公众号/小程序 AppID' },
    check: pattern(/^wx[0-9A-Za-z]{16}$/, 'must be an AppID like wx + 16 characters') },
  { name: 'mch_id', kind: 'string', required: false, label: { en: 'Merchant id', zh: '商户号 mch_id' },
    help: { en: 'Leave empty for an official account without WeChat Pay that pays through a delegate channel (代支付).', zh: '不具备支付功能的公众号留空，并设置代支付渠道。' },
    check: pattern(/^\d{8,12}$/, 'must be the 8 to 12 digit merchant id') },
  { name: 'api_key', kind: 'secret', required: false, secret: true, label: { en: 'API key (v2)', zh: 'API 密钥（v2）' },
    help: { en: 'The 32-character APIv2 key; signs v2 calls and decrypts refund notifies.', zh: '32 位 APIv2 密钥。' },
    check: pattern(/^[0-9A-Za-z]{32}$/, 'must be the 32-character API key') },
  { name: 'sign_type', kind: 'enum', required: false, enum: ['MD5', 'HMAC-SHA256'], default: 'MD5', label: { en: 'v2 signature type', zh: 'v2 签名类型' } },
  { name: 'api_v3_key', kind: 'secret', required: false, secret: true, label: { en: 'APIv3 key', zh: 'APIv3 密钥' },
    help: { en: '32 bytes; decrypts v3 notifies.', zh: '32 字节，用于解密 v3 通知。' },
    check: (value) => (typeof value === 'string' && Buffer.byteLength(value, 'utf8') === 32 ? undefined : 'must be 32 bytes') },
  { name: 'private_key', kind: 'pem', required: false, secret: true, label: { en: 'Merchant API private key', zh: '商户 API 私钥 apiclient_key.pem' },
    help: { en: 'Signs v3 calls and JSAPI paySign; with client_cert, the key of v2 refunds\' TLS certificate.', zh: 'v3 请求签名；v2 退款双向证书的私钥。' },
    check: problem(merchantPrivateKey) },
  { name: 'serial_no', kind: 'string', required: false, label: { en: 'Merchant certificate serial', zh: '商户证书序列号' },
    check: pattern(/^[0-9A-Fa-f]{8,40}$/, 'must be the certificate serial number in hex') },
  { name: 'platform_public_key', kind: 'pem', required: false, label: { en: 'WeChat Pay platform public key or certificate', zh: '微信支付平台公钥或平台证书' },
    help: { en: 'Verifies v3 answers and notifies. Required live; in test mode the sandbox\'s certificate is downloaded.', zh: '验证 v3 应答与通知。正式环境必填，测试模式自动下载沙箱平台证书。' },
    check: problem((text) => rsaPublicKey(text)) },
  { name: 'platform_serial', kind: 'string', required: false, label: { en: 'Platform serial / public key id', zh: '平台证书序列号或公钥 ID' },
    check: pattern(/^[0-9A-Za-z_]{1,64}$/, 'must be the platform certificate serial or PUB_KEY_ID_…') },
  { name: 'app_secret', kind: 'secret', required: false, secret: true, label: { en: 'AppSecret', zh: 'AppSecret' },
    help: { en: 'For OAuth (openid) and the JS-SDK ticket.', zh: '用于网页授权与 JS-SDK。' },
    check: pattern(/^[0-9A-Za-z]{16,64}$/, 'must be the AppSecret') },
  { name: 'client_cert', kind: 'pem', required: false, label: { en: 'Merchant client certificate (v2 refunds)', zh: '商户证书 apiclient_cert.pem（v2 退款）' },
    check: problem(checkClientCertificate) },
  { name: 'gateway', kind: 'url', required: false, label: { en: 'Pay gateway', zh: '支付网关' },
    help: { en: 'Defaults to api.mch.weixin.qq.com, or to paygate\'s sandbox in test mode.', zh: '默认正式网关；测试模式默认 paygate 沙箱。' } },
  { name: 'mp_gateway', kind: 'url', required: false, label: { en: 'Official account API gateway', zh: '公众平台 API 网关' },
    help: { en: 'access_token, jsapi_ticket, OAuth code exchange; defaults follow the pay gateway.', zh: '默认跟随支付网关。' } },
  { name: 'oauth_gateway', kind: 'url', required: false, label: { en: 'OAuth gateway', zh: '网页授权网关' },
    help: { en: 'Where buyers are sent for OAuth; defaults follow the pay gateway.', zh: '默认跟随支付网关。' } },
];

export type ApiVersion = 'v2' | 'v3';

export interface WechatSettings {
  readonly version: ApiVersion;
  readonly appid: string;
  readonly mchId: string;
  readonly livemode: boolean;
  readonly apiKey: string | undefined;
  readonly signType: V2SignType;
  readonly apiV3Key: string | undefined;
  readonly privateKey: KeyObject | undefined;
  readonly privateKeyPem: string | undefined;
  readonly serialNo: string | undefined;
  readonly platformPublicKey: KeyObject | undefined;
  /** The serial answers must carry: configured, or read from a configured certificate. */
  readonly platformSerial: string | undefined;
  readonly appSecret: string | undefined;
  readonly clientCert: string | undefined;
  readonly gateway: string;
  readonly mpGateway: string;
  readonly oauthGateway: string;
}

function text(options: ChannelOptions, name: string): string | undefined {
  const value = options[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Cross-field rules, run when a channel is saved. */
export function validateWechatOptions(options: ChannelOptions, livemode: boolean): void {
  const need = (name: string, why: string) => {
    if (!text(options, name)) fail('channel_options_invalid', { param: `options.${name}`, message: `options.${name} is required ${why}.` });
  };
  // Without mch_id the channel is an official account only (OAuth, JS-SDK, pay-on-behalf through a delegate).
  if (!text(options, 'mch_id')) {
    for (const name of ['api_key', 'api_v3_key', 'private_key', 'serial_no', 'client_cert']) {
      if (text(options, name)) need('mch_id', `with options.${name} (the merchant the key belongs to)`);
    }
    return;
  }
  const version = text(options, 'api_version') ?? 'v2';
  if (version === 'v2') need('api_key', 'for API v2');
  if (version === 'v3') {
    need('api_v3_key', 'for API v3');
    need('private_key', 'for API v3 (it signs every call)');
    need('serial_no', 'for API v3 (the merchant certificate serial goes in every Authorization header)');
    if (livemode) need('platform_public_key', 'for a live v3 channel: paygate verifies WeChat Pay\'s answers and notifies with it');
    const platform = text(options, 'platform_public_key');
    if (platform && !certificateSerial(platform)) need('platform_serial', 'with a bare platform public key (its PUB_KEY_ID_… or serial)');
  }
  if (text(options, 'client_cert') && !text(options, 'private_key')) need('private_key', 'with client_cert (the certificate\'s key)');
}

/** The pay gateway's host is WeChat's own: the official-account hosts are separate hosts. */
function followGateway(gateway: string, live: string): string {
  return gateway.replace(/\/+$/, '') === LIVE_PAY_GATEWAY ? live : gateway.replace(/\/+$/, '');
}

/** Typed settings of a configured channel (options were validated when saved). */
export function readSettings(options: ChannelOptions, livemode: boolean): WechatSettings {
  const version: ApiVersion = text(options, 'api_version') === 'v3' ? 'v3' : 'v2';
  const gateway = (text(options, 'gateway') ?? LIVE_PAY_GATEWAY).replace(/\/+$/, '');
  const privateKeyPem = text(options, 'private_key');
  const platformPem = text(options, 'platform_public_key');
  const signType = text(options, 'sign_type');
  return {
    version,
    appid: text(options, 'appid') ?? '',
    mchId: text(options, 'mch_id') ?? '',
    livemode,
    apiKey: text(options, 'api_key'),
    signType: isV2SignType(signType) ? signType : 'MD5',
    apiV3Key: text(options, 'api_v3_key'),
    privateKey: privateKeyPem ? merchantPrivateKey(privateKeyPem) : undefined,
    privateKeyPem,
    serialNo: text(options, 'serial_no')?.toUpperCase(),
    platformPublicKey: platformPem ? rsaPublicKey(platformPem) : undefined,
    platformSerial: text(options, 'platform_serial') ?? (platformPem ? certificateSerial(platformPem) : undefined),
    appSecret: text(options, 'app_secret'),
    clientCert: text(options, 'client_cert'),
    gateway,
    mpGateway: (text(options, 'mp_gateway') ?? followGateway(gateway, LIVE_MP_GATEWAY)).replace(/\/+$/, ''),
    oauthGateway: (text(options, 'oauth_gateway') ?? followGateway(gateway, LIVE_OAUTH_GATEWAY)).replace(/\/+$/, ''),
  };
}

/** The merchant id, or a configuration fault for an official account that cannot collect money itself. */
export function requireMerchant(settings: WechatSettings): string {
  if (settings.mchId) return settings.mchId;
  return fail('channel_options_invalid', { param: 'options.mch_id', message: 'This WeChat channel has no mch_id: it is an official account without WeChat Pay. Give it a delegate channel that has one (pay-on-behalf), or set mch_id and its keys.' });
}

/** A configuration fault naming the field to fix. */
export function missing(name: string, why: string): never {
  fail('channel_options_invalid', { param: `options.${name}`, message: `options.${name} is needed ${why}.` });
}
