/**
 * Key material of a WeChat Pay merchant, validated by parsing: the merchant's API private key
 * (`apiclient_key.pem`, PKCS#8 or PKCS#1), the platform's public key or certificate, and the
 * merchant's client certificate for v2 refunds. Parsed keys are cached by their PEM text, since
 * every v3 call and notify needs one and parsing RSA keys is not free.
 */
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';

const MIN_RSA_BITS = 2048;
const cache = new Map<string, KeyObject>();
const CACHE_LIMIT = 256;

function remember(pem: string, key: KeyObject): KeyObject {
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(pem, key);
  return key;
}

function checkRsa(key: KeyObject, what: string): KeyObject {
  if (key.asymmetricKeyType !== 'rsa') throw new Error(`${what} must be an RSA key, not ${key.asymmetricKeyType ?? 'unknown'}`);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) throw new Error(`${what} must be at least ${MIN_RSA_BITS} bits (got ${bits})`);
  return key;
}

/** The merchant's API private key; throws with what is wrong. */
export function merchantPrivateKey(pem: string): KeyObject {
  const cached = cache.get(pem);
  if (cached?.type === 'private') return cached;
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(pem)) throw new Error('private_key must be a PEM "PRIVATE KEY" (apiclient_key.pem)');
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw new Error(`private_key does not parse: ${(error as Error).message}`);
  }
  return remember(pem, checkRsa(key, 'private_key'));
}

/** A public key from a PEM public key or an X.509 certificate; throws with what is wrong. */
export function rsaPublicKey(pem: string, what = 'platform_public_key'): KeyObject {
  const cached = cache.get(pem);
  if (cached?.type === 'public') return cached;
  if (!/-----BEGIN (RSA )?PUBLIC KEY-----|-----BEGIN CERTIFICATE-----/.test(pem)) throw new Error(`${what} must be a PEM public key or certificate`);
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    throw new Error(`${what} does not parse: ${(error as Error).message}`);
  }
  return remember(pem, checkRsa(key, what));
}

/** The PEM (SPKI) public key belonging to a private key. */
export function publicKeyPemOf(privateKeyPem: string): string {
  return createPublicKey(merchantPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'pem' }).toString();
}

/** Whether a public key (or certificate) belongs to a private key. */
export function keysMatch(privateKeyPem: string, publicPem: string): boolean {
  const a = createPublicKey(merchantPrivateKey(privateKeyPem)).export({ type: 'spki', format: 'der' });
  const b = rsaPublicKey(publicPem).export({ type: 'spki', format: 'der' });
  return a.equals(b);
}

/**
 * One spelling per platform serial, to compare and to key by. A certificate serial is an integer:
 * WeChat spells it as 40 hex digits, leading zeros kept, while a parsed certificate (Node's
 * `serialNumber`) drops leading zero bytes. Hex serials are therefore taken as numbers (upper
 * case, no leading zeros); anything else (a `PUB_KEY_ID_…`) stays exactly as it is.
 */
export function canonicalSerial(serial: string): string {
  return /^[0-9A-Fa-f]+$/.test(serial) ? serial.toUpperCase().replace(/^0+(?=.)/, '') : serial;
}

/** Whether two platform serials name the same key (see `canonicalSerial`). */
export function sameSerial(a: string, b: string): boolean {
  return canonicalSerial(a) === canonicalSerial(b);
}

/** A certificate's serial number in WeChat's spelling (upper-case hex), or undefined for a bare key. */
export function certificateSerial(pem: string): string | undefined {
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) return undefined;
  return new X509Certificate(pem).serialNumber.toUpperCase();
}

/** Checks a client certificate (v2 refunds' mutual TLS); throws with what is wrong. */
export function checkClientCertificate(pem: string): void {
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new Error('client_cert must be a PEM certificate (apiclient_cert.pem)');
  try {
    new X509Certificate(pem);
  } catch (error) {
    throw new Error(`client_cert does not parse: ${(error as Error).message}`);
  }
}
