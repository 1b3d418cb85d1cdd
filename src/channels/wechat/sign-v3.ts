/**
 * WeChat Pay API v3 signatures (protocol-facts §D). Requests carry
 * `Authorization: WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",signature="…",timestamp="…",serial_no="…"`
 * over `METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n`; responses and notifies carry `Wechatpay-*`
 * headers over `TIMESTAMP\nNONCE\nBODY\n`. All SHA256withRSA (PKCS#1 v1.5), Base64.
 */
import { createSign, createVerify, type KeyObject } from 'node:crypto';
import { sameSerial } from './keys.js';

export const V3_AUTH_SCHEME = 'WECHATPAY2-SHA256-RSA2048';
/** wechatpay-axios-plugin and WeChat's own SDKs refuse answers whose timestamp is further off than this. */
export const V3_MAX_CLOCK_SKEW_SECONDS = 300;

/** Lines joined by `\n`, each line (the last too) ending in `\n`. */
export function joinedByLineFeed(...lines: readonly (string | number)[]): string {
  return lines.map((line) => `${line}\n`).join('');
}

/** The message a v3 request signs. `url` is the path with its `?query`, without the host. */
export function v3RequestMessage(method: string, url: string, timestamp: number | string, nonce: string, body = ''): string {
  return joinedByLineFeed(method.toUpperCase(), url, timestamp, nonce, body);
}

/** The message a v3 response or notify signs: `TIMESTAMP\nNONCE\nBODY\n` (an empty body gives `\n`). */
export function v3ResponseMessage(timestamp: number | string, nonce: string, body = ''): string {
  return joinedByLineFeed(timestamp, nonce, body);
}

export function rsaSign(message: string, privateKey: KeyObject | string): string {
  return createSign('RSA-SHA256').update(message, 'utf8').sign(privateKey, 'base64');
}

export function rsaVerify(message: string, signature: string, publicKey: KeyObject | string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return false;
  try {
    return createVerify('RSA-SHA256').update(message, 'utf8').verify(publicKey, signature, 'base64');
  } catch {
    return false;
  }
}

export interface V3AuthorizationFields {
  readonly mchid: string;
  readonly nonce_str: string;
  readonly signature: string;
  readonly timestamp: string;
  readonly serial_no: string;
}

/** The `Authorization` header value. */
export function v3Authorization(fields: V3AuthorizationFields): string {
  const { mchid, nonce_str, signature, timestamp, serial_no } = fields;
  return `${V3_AUTH_SCHEME} mchid="${mchid}",nonce_str="${nonce_str}",signature="${signature}",timestamp="${timestamp}",serial_no="${serial_no}"`;
}

/** Signs a v3 request and returns its `Authorization` header value. */
export function signV3Request(input: {
  readonly method: string;
  readonly url: string;
  readonly body?: string;
  readonly mchid: string;
  readonly serialNo: string;
  readonly privateKey: KeyObject | string;
  readonly timestamp: number;
  readonly nonce: string;
}): string {
  const signature = rsaSign(v3RequestMessage(input.method, input.url, input.timestamp, input.nonce, input.body ?? ''), input.privateKey);
  return v3Authorization({ mchid: input.mchid, nonce_str: input.nonce, signature, timestamp: String(input.timestamp), serial_no: input.serialNo });
}

/**
 * Reads an `Authorization` header (the sandbox's side). The five items may come in any order;
 * a missing, duplicated or unknown item makes the header invalid.
 */
export function parseV3Authorization(header: string | undefined): V3AuthorizationFields | undefined {
  if (!header) return undefined;
  const space = header.indexOf(' ');
  if (space < 0 || header.slice(0, space) !== V3_AUTH_SCHEME) return undefined;
  const found: Record<string, string> = {};
  const item = /\s*([a-z_]+)="([^"]*)"\s*(?:,|$)/gy;
  const rest = header.slice(space + 1);
  let match: RegExpExecArray | null;
  let consumed = 0;
  while (consumed < rest.length && (match = item.exec(rest)) !== null) {
    const [whole, name, value] = match;
    if (!['mchid', 'nonce_str', 'signature', 'timestamp', 'serial_no'].includes(name) || name in found) return undefined;
    found[name] = value;
    consumed += whole.length;
  }
  if (consumed !== rest.length) return undefined;
  const { mchid, nonce_str, signature, timestamp, serial_no } = found;
  if (!mchid || !nonce_str || !signature || !timestamp || !serial_no) return undefined;
  return { mchid, nonce_str, signature, timestamp, serial_no };
}

/** The `Wechatpay-*` headers of a signed answer or notify. */
// A type alias (not an interface) so it is assignable to a plain header record.
export type WechatpaySignatureHeaders = {
  readonly 'Wechatpay-Timestamp': string;
  readonly 'Wechatpay-Nonce': string;
  readonly 'Wechatpay-Signature': string;
  readonly 'Wechatpay-Serial': string;
  readonly 'Wechatpay-Signature-Type': string;
};

/** Signs an answer or notify body with the platform key (the sandbox's side). */
export function signV3Response(body: string, input: { privateKey: KeyObject | string; serial: string; timestamp: number; nonce: string }): WechatpaySignatureHeaders {
  return {
    'Wechatpay-Timestamp': String(input.timestamp),
    'Wechatpay-Nonce': input.nonce,
    'Wechatpay-Signature': rsaSign(v3ResponseMessage(input.timestamp, input.nonce, body), input.privateKey),
    'Wechatpay-Serial': input.serial,
    'Wechatpay-Signature-Type': V3_AUTH_SCHEME,
  };
}

export type V3VerifyResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/** Case-insensitive header lookup over a plain record. */
export function headerOf(headers: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === lower) return value;
  return undefined;
}

/**
 * Verifies a signed answer or notify: the serial is the expected platform key's, the timestamp
 * within ±300 s of `nowSeconds`, and the signature good over the raw body.
 */
export function verifyV3Response(input: {
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: string;
  readonly publicKey: KeyObject | string;
  /** The platform serial the key belongs to; `undefined` accepts any serial (key pinned by configuration). */
  readonly serial: string | undefined;
  readonly nowSeconds: number;
}): V3VerifyResult {
  const timestamp = headerOf(input.headers, 'Wechatpay-Timestamp');
  const nonce = headerOf(input.headers, 'Wechatpay-Nonce');
  const signature = headerOf(input.headers, 'Wechatpay-Signature');
  const serial = headerOf(input.headers, 'Wechatpay-Serial');
  if (!timestamp || !nonce || !signature || !serial) return { ok: false, reason: 'Wechatpay-Timestamp/Nonce/Signature/Serial headers are missing' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'Wechatpay-Timestamp is not a unix time' };
  if (Math.abs(input.nowSeconds - Number(timestamp)) > V3_MAX_CLOCK_SKEW_SECONDS) return { ok: false, reason: `Wechatpay-Timestamp is more than ${V3_MAX_CLOCK_SKEW_SECONDS}s away from now (replayed or clock skew)` };
  if (input.serial !== undefined && !sameSerial(serial, input.serial)) return { ok: false, reason: `Wechatpay-Serial ${serial} is not the platform key's serial ${input.serial}` };
  if (!rsaVerify(v3ResponseMessage(timestamp, nonce, input.body), signature, input.publicKey)) return { ok: false, reason: 'Wechatpay-Signature does not verify with the platform public key' };
  return { ok: true };
}

/** v3 JSAPI `paySign`: RSA over `appId\ntimeStamp\nnonceStr\npackage\n`; `signType` is `RSA` and not signed. */
export function jsapiPaySignV3(params: { appId: string; timeStamp: string; nonceStr: string; package: string }, privateKey: KeyObject | string): string {
  return rsaSign(joinedByLineFeed(params.appId, params.timeStamp, params.nonceStr, params.package), privateKey);
}

/** Verifies a v3 `paySign` (the sandbox's JSAPI page). */
export function verifyJsapiPaySignV3(params: { appId: string; timeStamp: string; nonceStr: string; package: string }, paySign: string, publicKey: KeyObject | string): boolean {
  return rsaVerify(joinedByLineFeed(params.appId, params.timeStamp, params.nonceStr, params.package), paySign, publicKey);
}
