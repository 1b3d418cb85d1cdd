/**
 * The symmetric ciphers of WeChat Pay:
 * - v3 notify resources (and `/v3/certificates`): AEAD_AES_256_GCM under the APIv3 key (32 raw
 *   UTF-8 bytes), IV = the resource's 12-character `nonce`, AAD = `associated_data`, ciphertext =
 *   Base64 of ct‖tag with a 16-byte tag at the end.
 * - v2 refund notifies' `req_info`: AES-256-ECB, PKCS#7, key = lower-case hex MD5 of the API key.
 */
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';

const TAG_BYTES = 16;

/** An encrypted resource as v3 notifies and certificate downloads carry it. */
export interface GcmResource {
  readonly algorithm?: string;
  readonly ciphertext: string;
  readonly nonce: string;
  readonly associated_data?: string;
  readonly original_type?: string;
}

function v3Key(apiV3Key: string): Buffer {
  const key = Buffer.from(apiV3Key, 'utf8');
  if (key.length !== 32) throw new Error('the APIv3 key must be 32 bytes');
  return key;
}

/** Encrypts like WeChat does (the sandbox's side); returns Base64 of ct‖tag. */
export function encryptGcm(plaintext: string, apiV3Key: string, nonce: string, associatedData = ''): string {
  const cipher = createCipheriv('aes-256-gcm', v3Key(apiV3Key), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  return Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString('base64');
}

export type DecryptResult = { readonly ok: true; readonly plaintext: string } | { readonly ok: false; readonly reason: string };

/** Decrypts a v3 resource; a wrong key, nonce, AAD or a tampered byte fails authentication. */
export function decryptGcm(resource: GcmResource, apiV3Key: string): DecryptResult {
  if (resource.algorithm !== undefined && resource.algorithm !== 'AEAD_AES_256_GCM') return { ok: false, reason: `unsupported resource algorithm ${resource.algorithm}` };
  if (typeof resource.ciphertext !== 'string' || typeof resource.nonce !== 'string') return { ok: false, reason: 'resource ciphertext or nonce is missing' };
  const data = Buffer.from(resource.ciphertext, 'base64');
  if (data.length <= TAG_BYTES) return { ok: false, reason: 'resource ciphertext is too short' };
  try {
    const decipher = createDecipheriv('aes-256-gcm', v3Key(apiV3Key), Buffer.from(resource.nonce, 'utf8'), { authTagLength: TAG_BYTES });
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
    const plaintext = Buffer.concat([decipher.update(data.subarray(0, data.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    return { ok: true, plaintext };
  } catch {
    return { ok: false, reason: 'resource does not decrypt under the APIv3 key (wrong key or tampered)' };
  }
}

function reqInfoKey(apiKey: string): Buffer {
  return Buffer.from(createHash('md5').update(apiKey, 'utf8').digest('hex').toLowerCase(), 'utf8');
}

/** Encrypts a refund notify's `req_info` (the sandbox's side). */
export function encryptReqInfo(plaintextXml: string, apiKey: string): string {
  const cipher = createCipheriv('aes-256-ecb', reqInfoKey(apiKey), null);
  return Buffer.concat([cipher.update(plaintextXml, 'utf8'), cipher.final()]).toString('base64');
}

/** Decrypts a refund notify's `req_info`; bad padding (a wrong key, almost always) fails. */
export function decryptReqInfo(reqInfo: string, apiKey: string): DecryptResult {
  const data = Buffer.from(reqInfo, 'base64');
  if (data.length === 0 || data.length % 16 !== 0) return { ok: false, reason: 'req_info is not whole AES blocks' };
  try {
    const decipher = createDecipheriv('aes-256-ecb', reqInfoKey(apiKey), null);
    return { ok: true, plaintext: Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8') };
  } catch {
    return { ok: false, reason: 'req_info does not decrypt under md5(API key)' };
  }
}
