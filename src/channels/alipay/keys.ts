/**
 * RSA keys as merchants paste them from Alipay's console: PEM or bare base64, PKCS#1
 * (`RSA PRIVATE KEY`, what Alipay's key tool calls "PKCS1") or PKCS#8 (`PRIVATE KEY`, the
 * Java SDK's format); public keys as SPKI (`PUBLIC KEY`), PKCS#1 (`RSA PUBLIC KEY`) or an X.509
 * certificate. Parsed keys are cached by their text, since every notify needs one.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, X509Certificate, type KeyObject } from 'node:crypto';

const PEM_PATTERN = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/;
const CACHE_LIMIT = 64;
const privateCache = new Map<string, KeyObject>();
const publicCache = new Map<string, KeyObject>();

/** Why a key did not parse, in words a merchant can act on. */
export class KeyFormatError extends Error {
  override readonly name = 'KeyFormatError';
}

/** Parses an RSA private key (PKCS#1 or PKCS#8, PEM or bare base64). */
export function parsePrivateKey(text: string): KeyObject {
  return cached(privateCache, text, () => {
    const key = decodeKey(text, 'private', (der) => [
      () => createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }),
      () => createPrivateKey({ key: der, format: 'der', type: 'pkcs1' }),
    ], (pem) => createPrivateKey(pem));
    return requireRsa(key, 'private');
  });
}

/**
 * Parses an RSA public key (SPKI or PKCS#1, PEM or bare base64, or an X.509 certificate).
 * Private key material is refused: node would derive the public half from it, and a public
 * key field is stored in clear.
 */
export function parsePublicKey(text: string): KeyObject {
  return cached(publicCache, text, () => {
    const key = decodeKey(text, 'public', (der) => [
      () => refusePrivate(der),
      () => createPublicKey({ key: der, format: 'der', type: 'spki' }),
      () => createPublicKey({ key: der, format: 'der', type: 'pkcs1' }),
      () => new X509Certificate(der).publicKey,
    ], (pem, label) => {
      if (label.includes('PRIVATE')) throw new KeyFormatError('this is a private key; paste the public key');
      return label === 'CERTIFICATE' ? new X509Certificate(pem).publicKey : createPublicKey(pem);
    });
    return requireRsa(key, 'public');
  });
}

/** Throws a KeyFormatError (which stops decoding) when the DER is a private key; else fails softly. */
function refusePrivate(der: Buffer): never {
  for (const type of ['pkcs8', 'pkcs1'] as const) {
    let isPrivate = false;
    try {
      createPrivateKey({ key: der, format: 'der', type });
      isPrivate = true;
    } catch {
      // not this encoding of a private key
    }
    if (isPrivate) throw new KeyFormatError('this is a private key; paste the public key');
  }
  throw new Error('not a private key');
}

/** The public half of a private key. */
export function publicKeyOf(privateKey: KeyObject | string): KeyObject {
  const key = typeof privateKey === 'string' ? parsePrivateKey(privateKey) : privateKey;
  return createPublicKey(key);
}

/** `check` for an option field: what is wrong with a private key text, or undefined. */
export function describePrivateKeyProblem(value: unknown): string | undefined {
  return describeProblem(value, parsePrivateKey);
}

/** `check` for an option field: what is wrong with a public key text, or undefined. */
export function describePublicKeyProblem(value: unknown): string | undefined {
  return describeProblem(value, parsePublicKey);
}

/** A PEM text of a key (SPKI for public keys, PKCS#8 for private ones). */
export function toPem(key: KeyObject): string {
  return key.type === 'private'
    ? String(key.export({ format: 'pem', type: 'pkcs8' }))
    : String(key.export({ format: 'pem', type: 'spki' }));
}

/** The bare base64 one-liner that Alipay's console shows and accepts. */
export function toBareBase64(key: KeyObject): string {
  return toPem(key).replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
}

/** A fresh 2048-bit pair as PEM texts, as Alipay's key tool makes them. */
export function generateRsaKeyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKeyPem: toPem(privateKey), publicKeyPem: toPem(publicKey) };
}

function decodeKey(
  text: string,
  kind: 'private' | 'public',
  fromDer: (der: Buffer) => Array<() => KeyObject>,
  fromPem: (pem: string, label: string) => KeyObject,
): KeyObject {
  if (typeof text !== 'string' || text.trim() === '') throw new KeyFormatError(`the ${kind} key is empty`);
  const normalized = text.trim().replace(/\\n/g, '\n');
  const pem = PEM_PATTERN.exec(normalized);
  if (pem) {
    const label = pem[1] ?? '';
    try {
      return fromPem(rewrap(label, pem[2] ?? ''), label);
    } catch (cause) {
      if (cause instanceof KeyFormatError) throw cause;
      throw new KeyFormatError(`the ${kind} key's PEM block (${label}) does not parse: ${messageOf(cause)}`);
    }
  }
  const bare = normalized.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(bare)) {
    throw new KeyFormatError(`the ${kind} key is neither PEM nor base64 text`);
  }
  const der = Buffer.from(bare, 'base64');
  for (const attempt of fromDer(der)) {
    try {
      return attempt();
    } catch (error) {
      if (error instanceof KeyFormatError) throw error;
      // Try the next encoding: a bare key does not say which one it is.
    }
  }
  throw new KeyFormatError(`the ${kind} key's base64 is not an RSA ${kind === 'private' ? 'PKCS#1 or PKCS#8' : 'SPKI, PKCS#1 or X.509'} key`);
}

/** Re-wraps a PEM body at 64 columns: keys pasted from web consoles often lose their line breaks. */
function rewrap(label: string, body: string): string {
  const flat = body.replace(/\s+/g, '');
  return `-----BEGIN ${label}-----\n${flat.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
}

function requireRsa(key: KeyObject, kind: 'private' | 'public'): KeyObject {
  if (key.asymmetricKeyType !== 'rsa') {
    throw new KeyFormatError(`the ${kind} key is ${key.asymmetricKeyType ?? 'not asymmetric'}, Alipay uses RSA`);
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 1024) throw new KeyFormatError(`the ${kind} key has ${bits} bits; Alipay keys have at least 1024`);
  return key;
}

function describeProblem(value: unknown, parse: (text: string) => KeyObject): string | undefined {
  if (typeof value !== 'string') return 'must be a key text (PEM or base64)';
  try {
    parse(value);
    return undefined;
  } catch (error) {
    return messageOf(error);
  }
}

function cached(cache: Map<string, KeyObject>, text: string, parse: () => KeyObject): KeyObject {
  const hit = cache.get(text);
  if (hit) return hit;
  const key = parse();
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(text, key);
  return key;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
