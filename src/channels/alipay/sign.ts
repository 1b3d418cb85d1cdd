/**
 * Alipay's signature rules (protocol-facts §A), byte-exact:
 * - Open Platform request: every param but `sign`, empty values dropped, ASCII-sorted, raw
 *   `k=v` joined with `&`, SHA256withRSA (RSA2) or SHA1withRSA (RSA), base64.
 * - Open Platform notify: the same, but `sign_type` is dropped too (rsaCheckV1).
 * - Response: the raw JSON text of the `*_response` value, as received.
 * - Legacy mapi MD5: `sign` and `sign_type` dropped, sorted, joined, the key appended with no
 *   separator, lowercase hex MD5.
 */
import { createHash, createSign, createVerify, timingSafeEqual, type KeyObject } from 'node:crypto';

export type RsaSignType = 'RSA2' | 'RSA';
export type AlipayParams = Readonly<Record<string, string | undefined>>;

const ALGORITHMS: Readonly<Record<RsaSignType, string>> = { RSA2: 'RSA-SHA256', RSA: 'RSA-SHA1' };

export function isRsaSignType(value: unknown): value is RsaSignType {
  return value === 'RSA2' || value === 'RSA';
}

/**
 * The string to sign: params minus `exclude` and minus empty values, sorted by key in ASCII
 * (UTF-16 code unit) order, joined as raw `k=v` pairs with `&`.
 */
export function signContent(params: AlipayParams, exclude: readonly string[] = ['sign'], keepEmpty = false): string {
  return Object.keys(params)
    .filter((key) => !exclude.includes(key) && (keepEmpty ? params[key] !== undefined : params[key] !== undefined && params[key] !== ''))
    .sort(asciiCompare)
    .map((key) => `${key}=${params[key]}`)
    .join('&');
}

/** What an Open Platform request signs (`sign_type` included). */
export function requestSignContent(params: AlipayParams): string {
  return signContent(params, ['sign']);
}

/** What an Open Platform notify signs (`sign` and `sign_type` dropped). */
export function notifySignContent(params: AlipayParams, keepEmpty = false): string {
  return signContent(params, ['sign', 'sign_type'], keepEmpty);
}

/** SHA256withRSA / SHA1withRSA of UTF-8 text, base64. */
export function rsaSign(content: string, privateKey: KeyObject, signType: RsaSignType = 'RSA2'): string {
  return createSign(ALGORITHMS[signType]).update(content, 'utf8').sign(privateKey, 'base64');
}

/** Verifies a base64 signature; a malformed one is simply false. */
export function rsaVerify(content: string, signature: string, publicKey: KeyObject, signType: RsaSignType = 'RSA2'): boolean {
  if (typeof signature !== 'string' || signature === '') return false;
  try {
    return createVerify(ALGORITHMS[signType]).update(content, 'utf8').verify(publicKey, signature, 'base64');
  } catch {
    return false;
  }
}

/** Signs request params, returning them with `sign` added. */
export function signRequest(params: AlipayParams, privateKey: KeyObject, signType: RsaSignType): Record<string, string> {
  const signed: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) if (value !== undefined) signed[key] = value;
  signed.sign = rsaSign(requestSignContent(params), privateKey, signType);
  return signed;
}

/** Verifies an Open Platform request as Alipay's gateway does (`sign_type` included). */
export function verifyRequest(params: AlipayParams, publicKey: KeyObject): boolean {
  const signType = params.sign_type;
  if (!isRsaSignType(signType)) return false;
  return rsaVerify(requestSignContent(params), params.sign ?? '', publicKey, signType);
}

/**
 * Verifies an async notify or a synchronous return (rsaCheckV1). Alipay's gateway never sends
 * empty values; should one arrive, the content is also tried with it kept, as the Java
 * verifier does: both are contents Alipay's key signed, so neither weakens the check.
 */
export function verifyNotify(params: AlipayParams, publicKey: KeyObject): boolean {
  const signType = params.sign_type ?? 'RSA2';
  if (!isRsaSignType(signType)) return false;
  const signature = params.sign ?? '';
  if (rsaVerify(notifySignContent(params), signature, publicKey, signType)) return true;
  const hasEmpty = Object.values(params).some((value) => value === '');
  return hasEmpty && rsaVerify(notifySignContent(params, true), signature, publicKey, signType);
}

/** Signs notify params as Alipay does: over everything but `sign` and `sign_type`. */
export function signNotify(params: AlipayParams, privateKey: KeyObject, signType: RsaSignType = 'RSA2'): Record<string, string> {
  const signed: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') signed[key] = value;
  signed.sign_type = signType;
  signed.sign = rsaSign(notifySignContent(signed), privateKey, signType);
  return signed;
}

/** The legacy mapi MD5 signature: lowercase hex of MD5(content + key). */
export function md5Sign(params: AlipayParams, key: string): string {
  return createHash('md5').update(signContent(params, ['sign', 'sign_type']) + key, 'utf8').digest('hex');
}

/** Verifies a legacy MD5 signature in constant time. */
export function md5Verify(params: AlipayParams, key: string): boolean {
  const given = params.sign;
  if (typeof given !== 'string' || !/^[0-9a-fA-F]{32}$/.test(given)) return false;
  const expected = Buffer.from(md5Sign(params, key), 'hex');
  return timingSafeEqual(expected, Buffer.from(given.toLowerCase(), 'hex'));
}

function asciiCompare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
