/**
 * WeChat Pay v2's XML, read safely and written the way WeChat writes it.
 *
 * Every v2 message is one flat element (`<xml>` for calls and notifies, `<root>` inside a refund
 * notify's `req_info`) holding text children. Anything else is refused rather than guessed at:
 * a DOCTYPE or entity declaration (no XXE, no billion laughs), nested or repeated fields (a
 * repeated `total_fee` is a classic way to make the verifier and the reader see different
 * values), and bodies over the size cap. Only XML's five predefined entities and numeric
 * character references are decoded, by hand, after parsing with entity processing off.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** WeChat's messages are a few kilobytes; anything far larger is an attack or a mistake. */
export const MAX_XML_BYTES = 64 * 1024;

export type XmlFields = Readonly<Record<string, string>>;
export type XmlParseResult = { readonly ok: true; readonly root: string; readonly fields: XmlFields } | { readonly ok: false; readonly reason: string };

const CDATA = '#cdata';
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
const MAX_FIELDS = 200;

const parser = new XMLParser({
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreAttributes: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: false,
  cdataPropName: CDATA,
});

const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes `&amp;`-style and `&#NN;` references; any other `&name;` is left as it is (never expanded). */
function decodeText(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|amp|lt|gt|quot|apos);/g, (whole, ref: string) => {
    if (ref.startsWith('#x')) return safeCodePoint(parseInt(ref.slice(2), 16)) ?? whole;
    if (ref.startsWith('#')) return safeCodePoint(parseInt(ref.slice(1), 10)) ?? whole;
    return PREDEFINED[ref] ?? whole;
  });
}

function safeCodePoint(code: number): string | undefined {
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}

/** One child's value: plain text, CDATA, or text split around CDATA sections. */
function fieldValue(value: unknown): string | undefined {
  if (typeof value === 'string') return decodeText(value);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  let out = '';
  for (const [key, part] of entries) {
    if (key === CDATA) {
      const sections = Array.isArray(part) ? part : [part];
      if (!sections.every((s) => typeof s === 'string')) return undefined;
      out += sections.join('');
    } else if (key === '#text' && typeof part === 'string') {
      out += decodeText(part);
    } else {
      return undefined;
    }
  }
  return out;
}

/**
 * Parses a flat WeChat XML document. `expectedRoot` is `xml` for API messages and `root` for a
 * decrypted `req_info`.
 */
export function parseWechatXml(text: string, expectedRoot = 'xml'): XmlParseResult {
  if (Buffer.byteLength(text, 'utf8') > MAX_XML_BYTES) return { ok: false, reason: `XML body is larger than ${MAX_XML_BYTES} bytes` };
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) return { ok: false, reason: 'XML with a DOCTYPE or entity declaration is refused' };
  const valid = XMLValidator.validate(text);
  if (valid !== true) return { ok: false, reason: `XML is not well formed: ${valid.err.msg}` };
  let document: Record<string, unknown>;
  try {
    document = parser.parse(text) as Record<string, unknown>;
  } catch (error) {
    return { ok: false, reason: `XML could not be parsed: ${(error as Error).message}` };
  }
  const roots = Object.keys(document);
  if (roots.length !== 1 || roots[0] !== expectedRoot) return { ok: false, reason: `XML must have exactly one <${expectedRoot}> root element` };
  const body = document[expectedRoot];
  if (body === '') return { ok: true, root: expectedRoot, fields: {} };
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { ok: false, reason: `<${expectedRoot}> must hold fields` };
  const fields: Record<string, string> = {};
  const entries = Object.entries(body as Record<string, unknown>);
  if (entries.length > MAX_FIELDS) return { ok: false, reason: `XML has more than ${MAX_FIELDS} fields` };
  for (const [name, raw] of entries) {
    if (name === '#text') {
      if (typeof raw === 'string' && raw.trim() === '') continue;
      return { ok: false, reason: `<${expectedRoot}> holds stray text` };
    }
    if (!FIELD_NAME.test(name)) return { ok: false, reason: `field name "${name.slice(0, 40)}" is not allowed` };
    if (Array.isArray(raw)) return { ok: false, reason: `field <${name}> appears more than once` };
    const value = fieldValue(raw);
    if (value === undefined) return { ok: false, reason: `field <${name}> is not plain text` };
    fields[name] = value;
  }
  return { ok: true, root: expectedRoot, fields };
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
