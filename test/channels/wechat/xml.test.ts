import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { Transformer } from 'wechatpay-axios-plugin';
import { buildWechatXml, MAX_XML_BYTES, parseWechatXml } from '../../../src/channels/wechat/xml.js';

const notify = `<xml><appid><![CDATA[wx2421b1c4370ec43b]]></appid>
<attach><![CDATA[支付测试]]></attach>
<bank_type><![CDATA[CFT]]></bank_type>
<fee_type><![CDATA[CNY]]></fee_type>
<is_subscribe><![CDATA[Y]]></is_subscribe>
<mch_id><![CDATA[10000100]]></mch_id>
<nonce_str><![CDATA[5d2b6c2a8db53831f7eda20af46e531c]]></nonce_str>
<openid><![CDATA[oUpF8uMEb4qRXf22hE3X68TekukE]]></openid>
<out_trade_no><![CDATA[1409811653]]></out_trade_no>
<result_code><![CDATA[SUCCESS]]></result_code>
<return_code><![CDATA[SUCCESS]]></return_code>
<sign><![CDATA[B552ED6B279343CB493C5DD0D78AB241]]></sign>
<time_end><![CDATA[20140903131540]]></time_end>
<total_fee>1</total_fee>
<trade_type><![CDATA[JSAPI]]></trade_type>
<transaction_id><![CDATA[1004400740201409030005092168]]></transaction_id>
</xml>`;

describe('WeChat XML', () => {
  it('reads the documented notify into flat fields', () => {
    const parsed = parseWechatXml(notify);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.fields.total_fee).toBe('1');
    expect(parsed.fields.attach).toBe('支付测试');
    expect(Object.keys(parsed.fields)).toHaveLength(16);
    expect(parsed.fields).toEqual(Transformer.toObject(notify));
  });

  it('decodes only predefined and numeric references, keeps CDATA raw', () => {
    const parsed = parseWechatXml('<xml><a>1 &amp; 2 &lt;3&gt; &#20013;&#x6587; &nbsp;</a><b><![CDATA[&amp; <raw>]]></b><c></c></xml>');
    expect(parsed).toEqual({ ok: true, root: 'xml', fields: { a: '1 & 2 <3> 中文 &nbsp;', b: '&amp; <raw>', c: '' } });
  });

  it('refuses an XML bomb, external entities and any DOCTYPE', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><xml><a>&lol2;</a></xml>`;
    expect(parseWechatXml(bomb)).toMatchObject({ ok: false, reason: expect.stringContaining('DOCTYPE') });
    const xxe = `<!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><a>&xxe;</a></xml>`;
    expect(parseWechatXml(xxe).ok).toBe(false);
    expect(parseWechatXml('<!doctype xml><xml><a>1</a></xml>').ok).toBe(false);
  });

  it('refuses oversize bodies, repeated and nested fields, and other roots', () => {
    expect(parseWechatXml(`<xml><a>${'x'.repeat(MAX_XML_BYTES)}</a></xml>`)).toMatchObject({ ok: false, reason: expect.stringContaining('larger') });
    expect(parseWechatXml('<xml><total_fee>1</total_fee><total_fee>10000</total_fee></xml>')).toMatchObject({ ok: false, reason: expect.stringContaining('more than once') });
    expect(parseWechatXml('<xml><a><b>1</b></a></xml>').ok).toBe(false);
    expect(parseWechatXml('<xml><a>1</a></xml><xml><a>2</a></xml>').ok).toBe(false);
    expect(parseWechatXml('<root><a>1</a></root>').ok).toBe(false);
    expect(parseWechatXml('<root><a>1</a></root>', 'root').ok).toBe(true);
    expect(parseWechatXml('<xml><a>1</a>').ok).toBe(false);
    expect(parseWechatXml('').ok).toBe(false);
    expect(parseWechatXml('{"json":true}').ok).toBe(false);
    expect(parseWechatXml('<xml><__proto__>1</__proto__></xml>').ok).toBe(false);
    expect(parseWechatXml('<xml>text<a>1</a></xml>').ok).toBe(false);
  });

  it('ignores attributes and the XML declaration', () => {
    expect(parseWechatXml('<?xml version="1.0" encoding="UTF-8"?><xml><a x="1">v</a></xml>')).toEqual({ ok: true, root: 'xml', fields: { a: 'v' } });
  });

  it('writes WeChat-style XML that round-trips, including ]]> inside values', () => {
    const fields = { return_code: 'SUCCESS', total_fee: 100, body: 'a]]>b <c> & d', skipped: undefined, empty: '' };
    const xml = buildWechatXml(fields);
    expect(xml).toContain('<total_fee>100</total_fee>');
    expect(xml).toContain('<return_code><![CDATA[SUCCESS]]></return_code>');
    expect(parseWechatXml(xml)).toEqual({ ok: true, root: 'xml', fields: { return_code: 'SUCCESS', total_fee: '100', body: 'a]]>b <c> & d', empty: '' } });
    expect(Transformer.toObject(xml)).toMatchObject({ return_code: 'SUCCESS', body: 'a]]>b <c> & d' });
    expect(() => buildWechatXml({ 'bad name': 'x' })).toThrow();
  });
});

describe('WeChat XML against a general parser', () => {
  const general = new XMLParser({ processEntities: false, htmlEntities: false, parseTagValue: false, ignoreAttributes: true, trimValues: false, cdataPropName: '#cdata' });
  const name = fc.stringMatching(/^[a-z_][a-z0-9_]{0,12}$/);
  const text = fc.stringMatching(/^[^<&\]]{0,20}$/);
  const value = fc.oneof(
    text.map((t) => ({ xml: t, value: t })),
    text.map((t) => ({ xml: `<![CDATA[${t}<&>]]>`, value: `${t}<&>` })),
    fc.constantFrom({ xml: '&amp;&lt;&#20013;&#x6587;&nbsp;', value: '&<中文&nbsp;' }, { xml: '', value: '' }),
  );
  const documents = fc.uniqueArray(fc.tuple(name, value, fc.constantFrom('', '\n', '  ', '<!-- note -->')), { selector: ([n]) => n, maxLength: 12 })
    .map((fields) => ({
      xml: `<?xml version="1.0"?>\n<xml>${fields.map(([n, v, gap]) => `${gap}<${n}>${v.xml}</${n}>`).join('')}\n</xml>`,
      fields: Object.fromEntries(fields.map(([n, v]) => [n, v.value])),
    }));

  it('reads every flat document as written, and as a general parser sees its fields', () => {
    fc.assert(fc.property(documents, ({ xml, fields }) => {
      expect(parseWechatXml(xml)).toEqual({ ok: true, root: 'xml', fields });
      const seen = (general.parse(xml) as { xml: Record<string, unknown> | string }).xml;
      expect(Object.keys(typeof seen === 'string' ? {} : seen).filter((k) => k !== '#text').sort()).toEqual(Object.keys(fields).sort());
    }));
  });

  it('answers (never throws) for any cut or spliced document, and accepts none that is not well formed', () => {
    fc.assert(fc.property(documents, fc.nat(), fc.nat(), fc.constantFrom('<', '>', '&', '</a>', '<b>', ']]>', '<![CDATA[', '"', ''), ({ xml }, cut, at, insert) => {
      const broken = xml.slice(0, at % (xml.length + 1)) + insert + xml.slice(at % (xml.length + 1)).slice(0, cut % (xml.length + 1));
      const parsed = parseWechatXml(broken);
      if (parsed.ok) expect(XMLValidator.validate(broken)).toBe(true);
    }), { numRuns: 3000 });
  });

  it('refuses a bare ampersand, a mismatched close and an unclosed CDATA', () => {
    expect(parseWechatXml('<xml><a>1 & 2</a></xml>')).toEqual({ ok: false, reason: 'XML is not well formed: a "&" that starts no reference at 10' });
    // Found by the property above: a named reference outside word characters, or too long for one.
    expect(parseWechatXml('<xml><a> &A--;  </a></xml>').ok).toBe(false);
    expect(parseWechatXml(`<xml><a>&${'n'.repeat(21)};</a></xml>`).ok).toBe(false);
    expect(parseWechatXml(`<xml><a>&${'n'.repeat(20)};</a></xml>`)).toEqual({ ok: true, root: 'xml', fields: { a: `&${'n'.repeat(20)};` } });
    expect(parseWechatXml('<xml><a>1</b></xml>')).toMatchObject({ ok: false, reason: expect.stringContaining('closed by') });
    expect(parseWechatXml('<xml><a><![CDATA[1</a></xml>').ok).toBe(false);
    expect(parseWechatXml('\uFEFF<xml><a>1</a></xml>')).toEqual({ ok: true, root: 'xml', fields: { a: '1' } });
    expect(parseWechatXml('<xml/>')).toEqual({ ok: true, root: 'xml', fields: {} });
  });
});
