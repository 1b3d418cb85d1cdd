/**
 * The Alipay channel's options (PRODUCT.md §3) and their reading into typed settings. A
 * channel is configured for Open Platform (`app_id`, `private_key`, `alipay_public_key`), for
 * legacy mapi (`partner`, `key`), or both; each key is validated by parsing it, so a bad key is
 * a 400 naming its field when the channel is saved.
 */
import type { KeyObject } from 'node:crypto';
import type { ChannelOptions, OptionField } from '../contract.js';
import { fail } from '../../core/errors.js';
import { describePrivateKeyProblem, describePublicKeyProblem, parsePrivateKey, parsePublicKey } from './keys.js';
import { isRsaSignType, type RsaSignType } from './sign.js';
import { MAPI_GATEWAY, OPEN_API_GATEWAY } from './protocol.js';

const pattern = (re: RegExp, what: string) => (value: unknown) => (typeof value === 'string' && re.test(value) ? undefined : what);
const PARTNER_ID = /^2088\d{12}$/;

export const ALIPAY_OPTIONS: readonly OptionField[] = [
  { name: 'app_id', kind: 'string', required: false, label: { en: 'App ID', zh: '应用 APPID' },
    help: { en: 'Open Platform app id (16 digits), for page, wap and QR pay.', zh: '开放平台应用 APPID（16 位数字）。' },
    check: pattern(/^\d{16}$/, 'must be the 16-digit Open Platform app id') },
  { name: 'private_key', kind: 'pem', required: false, secret: true, label: { en: 'App private key', zh: '应用私钥' },
    help: { en: 'RSA private key, PKCS#1 or PKCS#8, PEM or bare base64.', zh: 'RSA 应用私钥，PKCS1 或 PKCS8，PEM 或纯 base64。' },
    check: describePrivateKeyProblem },
  { name: 'alipay_public_key', kind: 'pem', required: false, label: { en: 'Alipay public key', zh: '支付宝公钥' },
    help: { en: 'Verifies responses and notifies. Required live; in test mode the sandbox\'s key is used.', zh: '用于验签。正式环境必填，测试模式使用沙箱公钥。' },
    check: describePublicKeyProblem },
  { name: 'gateway', kind: 'url', required: false, label: { en: 'Gateway', zh: '网关' },
    help: { en: 'Defaults to Alipay live, or to paygate\'s sandbox in test mode.', zh: '默认正式网关；测试模式默认 paygate 沙箱。' } },
  { name: 'sign_type', kind: 'enum', required: false, enum: ['RSA2', 'RSA'], default: 'RSA2', label: { en: 'Signature type', zh: '签名方式' } },
  { name: 'seller_id', kind: 'string', required: false, label: { en: 'Seller id (PID)', zh: '卖家支付宝用户号' },
    help: { en: 'When set, notifies for another seller are refused.', zh: '设置后，其他卖家的通知将被拒绝。' },
    check: pattern(PARTNER_ID, 'must be a 16-digit id starting with 2088') },
  { name: 'partner', kind: 'string', required: false, label: { en: 'Partner id (legacy)', zh: '合作者身份 PID（旧版）' },
    help: { en: 'Legacy mapi partner id, for alipay_direct and alipay_escrow.', zh: '旧版即时到账与担保交易使用。' },
    check: pattern(PARTNER_ID, 'must be a 16-digit id starting with 2088') },
  { name: 'key', kind: 'secret', required: false, secret: true, label: { en: 'MD5 key (legacy)', zh: '安全校验码 Key（旧版）' },
    check: pattern(/^[0-9A-Za-z]{32}$/, 'must be the 32-character MD5 key') },
  { name: 'seller_email', kind: 'string', required: false, label: { en: 'Seller email (legacy)', zh: '卖家支付宝账号（旧版）' },
    check: pattern(/^[^\s@]+@[^\s@]+$/, 'must be an email address') },
];

export interface OpenApiSettings {
  readonly appId: string;
  readonly privateKey: KeyObject;
  /** Undefined in test mode when not configured: the sandbox's key is fetched. */
  readonly alipayPublicKey: KeyObject | undefined;
  readonly signType: RsaSignType;
  readonly gateway: string;
}

export interface MapiSettings {
  readonly partner: string;
  readonly key: string;
  readonly sellerId: string;
  readonly sellerEmail: string | undefined;
  readonly gateway: string;
}

export interface AlipaySettings {
  readonly openApi: OpenApiSettings | undefined;
  readonly mapi: MapiSettings | undefined;
  /** The seller notifies must name, when known. */
  readonly sellerId: string | undefined;
  readonly livemode: boolean;
}

/** Cross-field rules, run when a channel is saved. */
export function validateAlipayOptions(options: ChannelOptions, livemode: boolean): void {
  const has = (name: string) => typeof options[name] === 'string' && options[name] !== '';
  const openApi = has('app_id') || has('private_key');
  const mapi = has('partner') || has('key');
  if (!openApi && !mapi) {
    fail('channel_options_invalid', { param: 'options.app_id', message: 'Configure Open Platform (app_id and private_key) or legacy mapi (partner and key), or both.' });
  }
  if (openApi) {
    for (const name of ['app_id', 'private_key']) if (!has(name)) fail('channel_options_invalid', { param: `options.${name}`, message: `options.${name} is required with Open Platform credentials.` });
    if (livemode && !has('alipay_public_key')) fail('channel_options_invalid', { param: 'options.alipay_public_key', message: 'options.alipay_public_key is required for a live channel: paygate verifies Alipay\'s answers with it.' });
  }
  if (mapi) {
    for (const name of ['partner', 'key']) if (!has(name)) fail('channel_options_invalid', { param: `options.${name}`, message: `options.${name} is required with legacy mapi credentials.` });
  }
}

/** Typed settings of a configured channel (options already validated when saved). */
export function readSettings(options: ChannelOptions, livemode: boolean): AlipaySettings {
  const text = (name: string) => (typeof options[name] === 'string' && options[name] !== '' ? (options[name] as string) : undefined);
  const gateway = text('gateway');
  const appId = text('app_id');
  const privateKey = text('private_key');
  const signType = text('sign_type') ?? 'RSA2';
  const publicKeyText = text('alipay_public_key');
  const openApi: OpenApiSettings | undefined = appId && privateKey ? {
    appId,
    privateKey: parsePrivateKey(privateKey),
    alipayPublicKey: publicKeyText ? parsePublicKey(publicKeyText) : undefined,
    signType: isRsaSignType(signType) ? signType : 'RSA2',
    gateway: gateway ?? OPEN_API_GATEWAY,
  } : undefined;
  const partner = text('partner');
  const key = text('key');
  const mapi: MapiSettings | undefined = partner && key ? {
    partner,
    key,
    sellerId: text('seller_id') ?? partner,
    sellerEmail: text('seller_email'),
    gateway: gateway ?? MAPI_GATEWAY,
  } : undefined;
  return { openApi, mapi, sellerId: text('seller_id') ?? mapi?.sellerId, livemode };
}

/** The settings a verb needs, or a configuration error that says what to add. */
export function requireOpenApi(settings: AlipaySettings, what: string): OpenApiSettings {
  if (!settings.openApi) fail('channel_options_invalid', { param: 'options.app_id', message: `${what} needs Open Platform credentials: set options.app_id and options.private_key.` });
  return settings.openApi;
}

export function requireMapi(settings: AlipaySettings, what: string): MapiSettings {
  if (!settings.mapi) fail('channel_options_invalid', { param: 'options.partner', message: `${what} needs legacy mapi credentials: set options.partner and options.key.` });
  return settings.mapi;
}
