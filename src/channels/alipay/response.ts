/**
 * Open Platform responses: `{"<method>_response":{…},"sign":"…"}`. Alipay signs the raw JSON
 * text of the `*_response` value exactly as it sends it (including `\/` escapes), so the
 * signed content is cut out of the received text by a JSON scanner and never re-serialised.
 */
import type { KeyObject } from 'node:crypto';
import { rsaSign, rsaVerify, type RsaSignType } from './sign.js';

/** `alipay.trade.query` → `alipay_trade_query_response`. */
export function responseKeyOf(method: string): string {
  return `${method.replaceAll('.', '_')}_response`;
}

export interface ResponseEnvelope {
  /** The key the body was found under: the method's key or `error_response`. */
  readonly key: string;
  /** The exact text of the body, as signed. */
  readonly content: string;
  readonly body: Readonly<Record<string, unknown>>;
  readonly sign: string | undefined;
}

/** Splits a response text; undefined when it is not an Alipay response for `method`. */
export function readResponse(raw: string, method: string): ResponseEnvelope | undefined {
  const members = topLevelMembers(raw);
  if (!members) return undefined;
  const wanted = responseKeyOf(method);
  const found = members.get(wanted) ?? members.get('error_response');
  if (!found) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(found.text);
  } catch {
    return undefined;
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const signMember = members.get('sign');
  const sign = signMember ? (JSON.parse(signMember.text) as unknown) : undefined;
  return {
    key: members.has(wanted) ? wanted : 'error_response',
    content: found.text,
    body: body as Record<string, unknown>,
    sign: typeof sign === 'string' ? sign : undefined,
  };
}

/** Verifies a response's signature on its byte-exact content. */
export function verifyResponse(envelope: ResponseEnvelope, publicKey: KeyObject, signType: RsaSignType): boolean {
  return envelope.sign !== undefined && rsaVerify(envelope.content, envelope.sign, publicKey, signType);
}

/**
 * Serialises a response as Alipay does (slashes escaped as `\/`) and signs its body text.
 * Used by the sandbox; the escaping makes any client that re-serialises fail, as it would live.
 */
export function writeSignedResponse(
  key: string,
  body: Readonly<Record<string, unknown>>,
  privateKey: KeyObject,
  signType: RsaSignType,
): string {
  const content = JSON.stringify(body).replace(/\//g, '\\/');
  const sign = rsaSign(content, privateKey, signType);
  return `{"${key}":${content},"sign":${JSON.stringify(sign)}}`;
}

interface Member {
  readonly text: string;
}

/** The top-level members of a JSON object text, each with its raw value text. */
export function topLevelMembers(raw: string): Map<string, Member> | undefined {
  const members = new Map<string, Member>();
  let i = skipSpace(raw, 0);
  if (raw[i] !== '{') return undefined;
  i = skipSpace(raw, i + 1);
  if (raw[i] === '}') return members;
  for (;;) {
    if (raw[i] !== '"') return undefined;
    const keyEnd = stringEnd(raw, i);
    if (keyEnd < 0) return undefined;
    const key = JSON.parse(raw.slice(i, keyEnd)) as string;
    i = skipSpace(raw, keyEnd);
    if (raw[i] !== ':') return undefined;
    const start = skipSpace(raw, i + 1);
    const end = valueEnd(raw, start);
    if (end < 0) return undefined;
    // The first occurrence wins, so a later duplicate key cannot replace signed content.
    if (!members.has(key)) members.set(key, { text: raw.slice(start, end) });
    i = skipSpace(raw, end);
    if (raw[i] === ',') {
      i = skipSpace(raw, i + 1);
      continue;
    }
    return raw[i] === '}' ? members : undefined;
  }
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i += 1;
  return i;
}

/** Index just past the closing quote of the string starting at `i`, or -1. */
function stringEnd(text: string, i: number): number {
  for (let j = i + 1; j < text.length; j += 1) {
    if (text[j] === '\\') j += 1;
    else if (text[j] === '"') return j + 1;
  }
  return -1;
}

/** Index just past the value starting at `i`, or -1. */
function valueEnd(text: string, i: number): number {
  const first = text[i];
  if (first === '"') return stringEnd(text, i);
  if (first === '{' || first === '[') {
    let depth = 0;
    for (let j = i; j < text.length; j += 1) {
      const c = text[j];
      if (c === '"') {
        j = stringEnd(text, j) - 1;
        if (j < 0) return -1;
      } else if (c === '{' || c === '[') depth += 1;
      else if (c === '}' || c === ']') {
        depth -= 1;
        if (depth === 0) return j + 1;
      }
    }
    return -1;
  }
  let j = i;
  while (j < text.length && !',}] \n\r\t'.includes(text[j] as string)) j += 1;
  return j > i ? j : -1;
}
