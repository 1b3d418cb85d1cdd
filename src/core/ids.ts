/**
 * Prefixed object ids (`ch_…`, `re_…`): 24 base62 characters after the prefix, the first 8 the
 * creation time in milliseconds and the other 16 random (~95 bits). Ids made later sort later,
 * so a new row lands at the right edge of its primary-key index instead of on a random page:
 * a batch of new charges then dirties (and writes to the WAL) a few pages, not one per row.
 */
import { randomBytes } from 'node:crypto';

export const ID_PREFIXES = {
  charge: 'ch',
  refund: 're',
  event: 'evt',
  app: 'app',
  channel: 'chn',
  webhookEndpoint: 'we',
  delivery: 'dlv',
  adminUser: 'adm',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

// CSPRNG bytes drawn 4 KiB at a time: one system call per ~100 ids instead of one per id
// (Node's randomUUID caches the same way).
let pool = Buffer.alloc(0);
let offset = 0;
function randomByte(): number {
  if (offset >= pool.length) {
    pool = randomBytes(4096);
    offset = 0;
  }
  return pool[offset++]!;
}

/** Random base62 text; rejection sampling keeps every character uniform. */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    const byte = randomByte();
    if (byte < 248) out += ALPHABET[byte % 62];
  }
  return out;
}

/** `ms` as 8 base62 digits, most significant first (fixed width, so text order is time order). */
function timeBase62(ms: number): string {
  let out = '';
  for (let i = 0; i < 8; i++) {
    out = ALPHABET[ms % 62]! + out;
    ms = Math.floor(ms / 62);
  }
  return out;
}

export function newId(kind: IdKind, now: number = Date.now()): string {
  return `${ID_PREFIXES[kind]}_${timeBase62(now)}${randomBase62(16)}`;
}

export function hasPrefix(id: string, kind: IdKind): boolean {
  return id.startsWith(`${ID_PREFIXES[kind]}_`);
}
