/**
 * The platform key a v3 answer or notify must be signed with. A configured
 * `platform_public_key` (required live) is used as it is. A test-mode channel may leave it out:
 * then the certificates are downloaded from the gateway's `GET /v3/certificates`, exactly as
 * WeChat's SDKs bootstrap — each certificate decrypted with the APIv3 key, the download's own
 * signature checked with the certificate it names — and cached for a while, one download at a time.
 */
import type { KeyObject } from 'node:crypto';
import type { ChannelContext } from '../contract.js';
import { fail } from '../../core/errors.js';
import { unixSeconds } from '../../core/clock.js';
import { decryptGcm, type GcmResource } from './aes.js';
import { canonicalSerial, certificateSerial, rsaPublicKey, sameSerial } from './keys.js';
import { missing, type WechatSettings } from './options.js';
import { V3_PATHS } from './protocol.js';
import { verifyV3Response } from './sign-v3.js';
import { parseJson, v3Send } from './transport-v3.js';

export interface PlatformKey {
  readonly key: KeyObject;
  /** The serial answers must carry, or undefined when the configuration pins no serial. */
  readonly serial: string | undefined;
}

const TTL_MS = 10 * 60_000;
/** Downloaded platform keys by channel, each keyed by `canonicalSerial`. */
const cache = new Map<string, { certs: Map<string, KeyObject>; at: number }>();
const inflight = new Map<string, Promise<Map<string, KeyObject>>>();

export async function platformKeyFor(ctx: ChannelContext, settings: WechatSettings, wantedSerial?: string): Promise<PlatformKey> {
  if (settings.platformPublicKey) return { key: settings.platformPublicKey, serial: settings.platformSerial };
  if (settings.livemode) missing('platform_public_key', 'for a live v3 channel');
  const cacheKey = `${settings.gateway}|${settings.mchId}`;
  const wanted = wantedSerial === undefined ? undefined : canonicalSerial(wantedSerial);
  let entry = cache.get(cacheKey);
  const stale = !entry || ctx.clock.now() - entry.at > TTL_MS || (wanted !== undefined && !entry.certs.has(wanted));
  if (stale) {
    const certs = await downloadOnce(cacheKey, () => downloadCertificates(ctx, settings));
    entry = { certs, at: ctx.clock.now() };
    cache.set(cacheKey, entry);
  }
  const certs = entry!.certs;
  const serial = wanted !== undefined && certs.has(wanted) ? wanted : [...certs.keys()].at(-1)!;
  return { key: certs.get(serial)!, serial };
}

function downloadOnce(cacheKey: string, download: () => Promise<Map<string, KeyObject>>): Promise<Map<string, KeyObject>> {
  const running = inflight.get(cacheKey);
  if (running) return running;
  const started = download().finally(() => inflight.delete(cacheKey));
  inflight.set(cacheKey, started);
  return started;
}

async function downloadCertificates(ctx: ChannelContext, settings: WechatSettings): Promise<Map<string, KeyObject>> {
  const apiV3Key = settings.apiV3Key ?? missing('api_v3_key', 'to decrypt the platform certificates');
  const response = await v3Send(ctx, settings, 'GET', V3_PATHS.certificates);
  if (response.status !== 200) fail('channel_request_failed', { message: `Downloading the platform certificates answered HTTP ${response.status}: ${response.body.slice(0, 200)}` });
  const data = parseJson(response.body)?.data;
  if (!Array.isArray(data) || data.length === 0) fail('channel_request_failed', { message: 'The platform certificate download holds no certificates.' });
  const certs = new Map<string, KeyObject>();
  for (const item of data as Record<string, unknown>[]) {
    const encrypted = item.encrypt_certificate as GcmResource | undefined;
    if (!encrypted || typeof item.serial_no !== 'string') continue;
    const plain = decryptGcm(encrypted, apiV3Key);
    if (!plain.ok) fail('channel_request_failed', { message: `A platform certificate does not decrypt: ${plain.reason}` });
    const carried = certificateSerial(plain.plaintext);
    if (carried === undefined || !sameSerial(carried, item.serial_no)) fail('channel_request_failed', { message: `Platform certificate ${item.serial_no} carries serial ${carried ?? 'none'}.` });
    certs.set(canonicalSerial(item.serial_no), rsaPublicKey(plain.plaintext, 'platform certificate'));
  }
  const signer = response.headers['wechatpay-serial'];
  const key = signer ? certs.get(canonicalSerial(signer)) : undefined;
  if (!key) fail('channel_request_failed', { message: `The certificate download is signed by ${signer ?? 'no'} serial, which it does not contain.` });
  const verified = verifyV3Response({ headers: response.headers, body: response.body, publicKey: key, serial: signer, nowSeconds: unixSeconds(ctx.clock.now()) });
  if (!verified.ok) fail('channel_request_failed', { message: `The certificate download did not verify: ${verified.reason}` });
  return certs;
}

/** Forgets downloaded certificates (tests; a rotated sandbox key). */
export function clearPlatformCertificateCache(): void {
  cache.clear();
}
