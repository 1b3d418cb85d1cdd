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

/** Random base62 text; rejection sampling keeps every character uniform. */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += ALPHABET[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

export function newId(kind: IdKind): string {
  return `${ID_PREFIXES[kind]}_${randomBase62(24)}`;
}

export function hasPrefix(id: string, kind: IdKind): boolean {
  return id.startsWith(`${ID_PREFIXES[kind]}_`);
}
