/** Prefixed random object ids (`ch_…`, `re_…`), 24 base62 characters after the prefix (~142 bits). */
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

export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${randomBase62(24)}`;
}

export function hasPrefix(id: string, kind: IdKind): boolean {
  return id.startsWith(`${ID_PREFIXES[kind]}_`);
}
