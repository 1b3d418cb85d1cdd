/**
 * WeChat Pay v2's XML, read safely and written the way WeChat writes it.
 *
 * Every v2 message is one flat element (`<xml>` for calls and notifies, `<root>` inside a refund
 * notify's `req_info`) holding text children. Anything else is refused rather than guessed at:
 * a DOCTYPE or entity declaration (no XXE, no billion laughs), nested or repeated fields (a
 * repeated `total_fee` is a classic way to make the verifier and the reader see different
 * values), and bodies over the size cap. Only XML's five predefined entities and numeric
 * character references are decoded.
 */
import { readFlatXml } from './flat-xml.js';

/** WeChat's messages are a few kilobytes; anything far larger is an attack or a mistake. */
export const MAX_XML_BYTES = 64 * 1024;

export type XmlFields = Readonly<Record<string, string>>;
export type XmlParseResult = { readonly ok: true; readonly root: string; readonly fields: XmlFields } | { readonly ok: false; readonly reason: string };

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
const MAX_FIELDS = 200;
const isFieldName = (name: string) => FIELD_NAME.test(name);

/**
 * Parses a flat WeChat XML document (flat-xml.ts). `expectedRoot` is `xml` for API messages and
 * `root` for a decrypted `req_info`.
 */
export function parseWechatXml(text: string, expectedRoot = 'xml'): XmlParseResult {
  // UTF-8 takes at most three bytes per UTF-16 unit: only a long text needs counting.
  if (text.length * 3 > MAX_XML_BYTES && Buffer.byteLength(text, 'utf8') > MAX_XML_BYTES) return { ok: false, reason: `XML body is larger than ${MAX_XML_BYTES} bytes` };
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return { ok: false, reason: 'XML with a DOCTYPE or entity declaration is refused' };
  return readFlatXml(text, expectedRoot, isFieldName, MAX_FIELDS);
}

/** Wraps text in CDATA; a `]]>` inside is split across two sections, as XML requires. */
function cdata(value: string): string {
  return `<![CDATA[${value.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;
}

/**
 * Writes a flat WeChat XML document: digits bare, everything else in CDATA (as WeChat does),
 * fields in the given order, `undefined` values left out.
 */
export function buildWechatXml(fields: Readonly<Record<string, string | number | undefined>>, root = 'xml'): string {
  let out = `<${root}>`;
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (!FIELD_NAME.test(name)) throw new Error(`cannot write XML field "${name}"`);
    const text = String(value);
    out += `<${name}>${/^\d+$/.test(text) ? text : cdata(text)}</${name}>`;
  }
  return `${out}</${root}>`;
}
