/**
 * WeChat Pay API v2 signatures (protocol-facts §C): every non-empty field except `sign`, sorted
 * by ASCII key, joined `k=v&…` with raw values, then `&key=<API key>` appended — in the MD5
 * variant and, less obviously, in the HMAC-SHA256 variant too (where the key is also the HMAC
 * key). Output is upper-case hex. `sign_type` itself is signed when present.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type V2SignType = 'MD5' | 'HMAC-SHA256';
export const V2_SIGN_TYPES: readonly V2SignType[] = ['MD5', 'HMAC-SHA256'];

export type V2Fields = Readonly<Record<string, string | number | undefined>>;

export function isV2SignType(value: unknown): value is V2SignType {
  return value === 'MD5' || value === 'HMAC-SHA256';
}

/** `stringA` of WeChat's documentation: the sorted `k=v&…` text, without the key. */
export function v2SignContent(fields: V2Fields): string {
  return Object.keys(fields)
    .filter((name) => name !== 'sign' && fields[name] !== undefined && String(fields[name]) !== '')
    .sort()
    .map((name) => `${name}=${String(fields[name])}`)
    .join('&');
}

/** The v2 signature of `fields` under `apiKey`. */
export function signV2(fields: V2Fields, apiKey: string, signType: V2SignType = 'MD5'): string {
  const content = `${v2SignContent(fields)}&key=${apiKey}`;
  const digest = signType === 'MD5' ? createHash('md5').update(content, 'utf8') : createHmac('sha256', apiKey).update(content, 'utf8');
  return digest.digest('hex').toUpperCase();
}

/**
 * The sign type a received message was signed with: its own `sign_type` when present, else the
 * length of `sign` (WeChat leaves `sign_type` out of some messages; 32 hex is MD5, 64 is HMAC).
 */
export function v2SignTypeOf(fields: V2Fields): V2SignType | undefined {
  const declared = fields.sign_type;
  if (declared !== undefined && declared !== '') return isV2SignType(declared) ? declared : undefined;
  const sign = String(fields.sign ?? '');
  if (sign.length === 32) return 'MD5';
  if (sign.length === 64) return 'HMAC-SHA256';
  return undefined;
}

/** Constant-time comparison of two hex signatures (case-insensitive, as WeChat's hex is). */
export function signaturesEqual(expected: string, received: string): boolean {
  const a = Buffer.from(expected.toUpperCase(), 'utf8');
  const b = Buffer.from(received.toUpperCase(), 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Checks a received v2 message's `sign`. `allowed` restricts the sign types accepted (a channel
 * configured for HMAC-SHA256 does not accept an MD5-signed message claiming to be from WeChat).
 */
export function verifyV2(fields: V2Fields, apiKey: string, allowed: readonly V2SignType[] = V2_SIGN_TYPES): boolean {
  const sign = fields.sign;
  if (sign === undefined || sign === '') return false;
  const type = v2SignTypeOf(fields);
  if (!type || !allowed.includes(type)) return false;
  return signaturesEqual(signV2(fields, apiKey, type), String(sign));
}

/** The fields `getBrandWCPayRequest` / `wx.requestPayment` receive. */
export interface JsapiPayParams {
  readonly appId: string;
  readonly timeStamp: string;
  readonly nonceStr: string;
  readonly package: string;
  readonly signType: string;
}

/** v2 `paySign`: the v2 signature over exactly the five camelCase fields (protocol-facts §C). */
export function jsapiPaySignV2(params: JsapiPayParams, apiKey: string): string {
  if (!isV2SignType(params.signType)) throw new Error(`a v2 paySign needs signType MD5 or HMAC-SHA256, not ${params.signType}`);
  const { appId, timeStamp, nonceStr, signType } = params;
  return signV2({ appId, timeStamp, nonceStr, package: params.package, signType }, apiKey, params.signType);
}
