/**
 * A minimal self-signed X.509 v3 certificate (DER, then PEM) for the sandbox's platform key.
 * WeChat's `GET /v3/certificates` hands out certificates, and SDKs read the serial from them,
 * so the sandbox issues a real one: sha256WithRSAEncryption over a TBSCertificate with the
 * given serial, a CN, a validity window and the key's SubjectPublicKeyInfo. Node can parse
 * certificates but not make them; the DER needed here is small enough to write by hand.
 */
import { createPublicKey, createSign, type KeyObject } from 'node:crypto';

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest >>= 8) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content]);
}

const sequence = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const utf8String = (text: string) => tlv(0x0c, Buffer.from(text, 'utf8'));
const nullValue = () => Buffer.from([0x05, 0x00]);
const explicit = (n: number, content: Buffer) => tlv(0xa0 + n, content);

function integer(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  // A leading 1 bit would make the INTEGER negative.
  return tlv(0x02, trimmed[0] & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a + b];
  for (const arc of rest) {
    const chunk: number[] = [];
    let value = arc;
    do {
      chunk.unshift(value & 0x7f);
      value = Math.floor(value / 128);
    } while (value > 0);
    for (let i = 0; i < chunk.length - 1; i++) chunk[i] |= 0x80;
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

/** UTCTime for years before 2050, GeneralizedTime after, as RFC 5280 requires. */
function time(ms: number): Buffer {
  const iso = new Date(ms).toISOString();
  const digits = iso.slice(0, 19).replace(/[-:T]/g, '');
  const year = new Date(ms).getUTCFullYear();
  return year < 2050 ? tlv(0x17, Buffer.from(`${digits.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${digits}Z`));
}

function name(commonName: string, organization: string): Buffer {
  return sequence(
    set(sequence(oid('2.5.4.6'), tlv(0x13, Buffer.from('CN')))),
    set(sequence(oid('2.5.4.10'), utf8String(organization))),
    set(sequence(oid('2.5.4.3'), utf8String(commonName))),
  );
}

export interface CertificateInput {
  readonly privateKey: KeyObject;
  /** Serial as hex (WeChat spells it upper-case). */
  readonly serialHex: string;
  readonly commonName: string;
  readonly organization?: string;
  readonly notBefore: number;
  readonly notAfter: number;
}

/** A PEM certificate for `privateKey`'s public key, signed by itself. */
export function selfSignedCertificate(input: CertificateInput): string {
  const algorithm = sequence(oid('1.2.840.113549.1.1.11'), nullValue());
  const subject = name(input.commonName, input.organization ?? 'paygate WeChat Pay sandbox');
  const spki = createPublicKey(input.privateKey).export({ type: 'spki', format: 'der' });
  const tbs = sequence(
    explicit(0, integer(Buffer.from([2]))),
    integer(Buffer.from(input.serialHex.length % 2 ? `0${input.serialHex}` : input.serialHex, 'hex')),
    algorithm,
    subject,
    sequence(time(input.notBefore), time(input.notAfter)),
    subject,
    spki,
  );
  const signature = createSign('RSA-SHA256').update(tbs).sign(input.privateKey);
  const der = sequence(tbs, algorithm, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const body = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}
