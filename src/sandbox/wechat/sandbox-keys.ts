/**
 * The sandbox's own identity as "WeChat Pay": the platform RSA key pair it signs v3 answers and
 * notifies with, the serial that names it, and a self-signed certificate for `/v3/certificates`.
 * Embedded in paygate it is generated once and kept in the sandbox state (so it survives
 * restarts); standalone it comes from the keys directory.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { SandboxStateStore } from '../state-store.js';
import { selfSignedCertificate } from './x509.js';

export interface PlatformIdentity {
  readonly privateKey: KeyObject;
  readonly publicKeyPem: string;
  /** Upper-case hex; `Wechatpay-Serial` of everything the sandbox signs. */
  readonly serial: string;
  readonly certificatePem: string;
  readonly notBefore: number;
  readonly notAfter: number;
  /** A secret derived from the key: openids and tokens are stable as long as the key is. */
  readonly secret: Buffer;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

/**
 * 40 hex digits, as WeChat issues. The first digit is held to 1–7: a leading 8–F would make the
 * DER INTEGER negative, and a leading zero byte is dropped by certificate parsers, so some SDKs
 * would read a serial that does not match the one the sandbox announces.
 */
export function newSerial(): string {
  return randomBytes(20).toString('hex').toUpperCase().replace(/^[089A-F]/, '7');
}

export function generateRsaPem(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Builds the identity from a private key PEM and a serial; the certificate is made for them. */
export function platformIdentity(privateKeyPem: string, serial: string, issuedAt: number): PlatformIdentity {
  const privateKey = createPrivateKey(privateKeyPem);
  const notBefore = issuedAt - 24 * 3600 * 1000;
  const notAfter = issuedAt + 5 * YEAR_MS;
  return {
    privateKey,
    publicKeyPem: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString(),
    serial: serial.toUpperCase(),
    certificatePem: selfSignedCertificate({ privateKey, serialHex: serial, commonName: 'WeChat Pay sandbox platform certificate', notBefore, notAfter }),
    notBefore,
    notAfter,
    secret: createHash('sha256').update('paygate-wechat-sandbox\n').update(privateKey.export({ type: 'pkcs8', format: 'der' })).digest(),
  };
}

interface StoredPlatform {
  readonly private_key_pem: string;
  readonly serial: string;
  readonly issued_at: number;
}

/** The embedded sandbox's identity: created on first use, then read from the state store. */
export function storedPlatformIdentity(store: SandboxStateStore, now: () => number): () => Promise<PlatformIdentity> {
  let cached: Promise<PlatformIdentity> | undefined;
  return () => {
    cached ??= (async () => {
      let stored = await store.get<StoredPlatform>('platform');
      if (!stored) {
        stored = { private_key_pem: generateRsaPem().privateKeyPem, serial: newSerial(), issued_at: now() };
        await store.put('platform', stored);
        // Another process may have raced us; whatever is stored last is what everyone uses.
        stored = (await store.get<StoredPlatform>('platform')) ?? stored;
      }
      return platformIdentity(stored.private_key_pem, stored.serial, stored.issued_at);
    })().catch((error: unknown) => {
      cached = undefined;
      throw error;
    });
    return cached;
  };
}
