/**
 * The legacy mapi's synchronous XML replies (send_goods_confirm_by_platform,
 * single_trade_query):
 *   <alipay><is_success>T</is_success><request>…</request>
 *     <response><trade>…fields…</trade></response><sign>…</sign><sign_type>MD5</sign_type></alipay>
 * or `<is_success>F</is_success><error>CODE</error>`. The fields of the response record are
 * MD5-signed with the partner key by the same rule as requests. Parsing refuses DOCTYPEs
 * (no entity expansion) and caps the size.
 */
import { XMLParser } from 'fast-xml-parser';
import { md5Sign, md5Verify } from './sign.js';

const MAX_XML_BYTES = 64 * 1024;

export interface MapiReply {
  readonly isSuccess: boolean;
  readonly error: string | undefined;
  /** Name of the record inside `<response>` (`trade`, `tradeBase`), if any. */
  readonly record: string | undefined;
  readonly fields: Readonly<Record<string, string>>;
  readonly sign: string | undefined;
  readonly signType: string | undefined;
}

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
  ignoreDeclaration: true,
});

/** Parses a mapi reply; undefined when it is not one. */
export function parseMapiReply(xml: string): MapiReply | undefined {
  if (xml.length > MAX_XML_BYTES || /<!DOCTYPE|<!ENTITY/i.test(xml)) return undefined;
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch {
    return undefined;
  }
  const root = objectAt(doc, 'alipay');
  if (!root) return undefined;
  const isSuccess = root.is_success === 'T';
  const response = objectAt(root, 'response');
  const record = response ? Object.keys(response)[0] : undefined;
  const fields: Record<string, string> = {};
  const recordValue = record && response ? response[record] : undefined;
  if (recordValue && typeof recordValue === 'object' && !Array.isArray(recordValue)) {
    for (const [key, value] of Object.entries(recordValue)) if (typeof value === 'string') fields[key] = value;
  }
  return {
    isSuccess,
    error: typeof root.error === 'string' ? root.error : undefined,
    record,
    fields,
    sign: typeof root.sign === 'string' ? root.sign : undefined,
    signType: typeof root.sign_type === 'string' ? root.sign_type : undefined,
  };
}

/** Whether a successful reply's record is signed by the partner key. */
export function verifyMapiReply(reply: MapiReply, key: string): boolean {
  if (reply.signType !== 'MD5' || reply.sign === undefined) return false;
  return md5Verify({ ...reply.fields, sign: reply.sign }, key);
}

export interface MapiReplyInput {
  readonly request: Readonly<Record<string, string>>;
  /** The response record, signed; a success may have none (close_trade). */
  readonly record?: { readonly name: string; readonly fields: Readonly<Record<string, string>> };
  /** Present for a failure: `<is_success>F</is_success><error>…</error>`. */
  readonly error?: string;
  readonly key: string;
}

/** Writes a reply as the mapi gateway does (used by the sandbox). */
export function writeMapiReply(input: MapiReplyInput): string {
  const head = '<?xml version="1.0" encoding="utf-8"?>';
  if (input.error !== undefined) {
    return `${head}<alipay><is_success>F</is_success><error>${escapeXml(input.error)}</error></alipay>`;
  }
  if (!input.record) return `${head}<alipay><is_success>T</is_success></alipay>`;
  const request = Object.entries(input.request)
    .filter(([name]) => name !== 'sign' && name !== 'sign_type')
    .map(([name, value]) => `<param name="${escapeXml(name)}">${escapeXml(value)}</param>`)
    .join('');
  const fields = Object.entries(input.record.fields).map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`).join('');
  const sign = md5Sign(input.record.fields, input.key);
  return `${head}<alipay><is_success>T</is_success><request>${request}</request><response><${input.record.name}>${fields}</${input.record.name}></response><sign>${sign}</sign><sign_type>MD5</sign_type></alipay>`;
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function objectAt(value: unknown, key: string): Record<string, unknown> | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const inner = (value as Record<string, unknown>)[key];
  return inner && typeof inner === 'object' && !Array.isArray(inner) ? (inner as Record<string, unknown>) : undefined;
}
