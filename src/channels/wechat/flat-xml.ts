/**
 * A one-pass reader for exactly the XML WeChat Pay v2 speaks: one root element holding flat text
 * fields (plain text or CDATA), an optional declaration, comments and whitespace between them.
 *
 * Why by hand: paygate used fast-xml-parser's validator and then its parser, two full passes of
 * a general XML parser, only to refuse most of what they accept (nesting, repeated fields, mixed
 * content). On a notify those passes cost more than the MD5 check and the database write
 * together. This reader accepts nothing beyond the subset, so what it does not know is an error
 * by construction: no DOCTYPE, no entity expansion, no nesting. Attributes are read past and
 * ignored (WeChat sends none). Text keeps unknown named references such as `&nbsp;` as written,
 * decoding only XML's five predefined entities and numeric references.
 */
export type FlatXml = { readonly ok: true; readonly root: string; readonly fields: Record<string, string> } | { readonly ok: false; readonly reason: string };

const NAME = /[A-Za-z_:][A-Za-z0-9_.:-]*/y;
// Named references are held to word characters, at most 20, as general parsers (fast-xml-parser's
// validator) hold them: XML's wider name rules would let through `&A--;`, which they refuse.
const REFERENCE = /^&(?:#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z_][A-Za-z0-9_]{0,19});/;
const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

class NotWellFormed extends Error {}
/** A rule of the flat subset broken by well-formed XML (nesting, a repeated field…): its reason as given. */
class Refused extends Error {}

export function readFlatXml(text: string, expectedRoot: string, isFieldName: (name: string) => boolean, maxFields: number): FlatXml {
  try {
    return { ok: true, root: expectedRoot, fields: new Reader(text).document(expectedRoot, isFieldName, maxFields) };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, reason: error.message };
    if (error instanceof NotWellFormed) return { ok: false, reason: `XML is not well formed: ${error.message}` };
    throw error;
  }
}

class Reader {
  private at = 0;

  constructor(private readonly text: string) {}

  document(expectedRoot: string, isFieldName: (name: string) => boolean, maxFields: number): Record<string, string> {
    if (this.text.startsWith('\uFEFF')) this.at = 1;
    this.skipMisc(true);
    if (!this.text.startsWith('<', this.at)) throw new Refused(`XML must have exactly one <${expectedRoot}> root element`);
    const root = this.openTag();
    if (root.name !== expectedRoot) throw new Refused(`XML must have exactly one <${expectedRoot}> root element`);
    const fields = root.empty ? {} : this.fields(expectedRoot, isFieldName, maxFields);
    this.skipMisc(false);
    if (this.at < this.text.length) throw new Refused(`XML must have exactly one <${expectedRoot}> root element`);
    return fields;
  }

  /** The root's children up to its closing tag, each a text field named once. */
  private fields(root: string, isFieldName: (name: string) => boolean, maxFields: number): Record<string, string> {
    // A plain object is safe: `__proto__`, the one name that would not be an own property, is refused.
    const fields: Record<string, string> = {};
    let count = 0;
    for (;;) {
      this.skipMisc(false);
      if (this.at >= this.text.length) throw new NotWellFormed(`<${root}> is not closed`);
      if (this.text[this.at] !== '<' || this.text.startsWith('<![CDATA[', this.at)) throw new Refused(`<${root}> holds stray text`);
      if (this.text.startsWith('</', this.at)) {
        this.closeTag(root);
        return fields;
      }
      const field = this.openTag();
      if (!isFieldName(field.name) || field.name === '__proto__') throw new Refused(`field name "${field.name.slice(0, 40)}" is not allowed`);
      const value = field.empty ? '' : this.fieldText(field.name);
      if (Object.hasOwn(fields, field.name)) throw new Refused(`field <${field.name}> appears more than once`);
      if (++count > maxFields) throw new Refused(`XML has more than ${maxFields} fields`);
      fields[field.name] = value;
    }
  }

  /** Whitespace and comments; before the root also the declaration. */
  private skipMisc(beforeRoot: boolean): void {
    for (;;) {
      while (this.at < this.text.length && isSpace(this.text.charCodeAt(this.at))) this.at += 1;
      if (this.text.startsWith('<!--', this.at)) this.at = this.after('-->', this.at + 4, 'a comment');
      else if (beforeRoot && this.text.startsWith('<?xml', this.at)) this.at = this.after('?>', this.at + 5, 'the XML declaration');
      else return;
    }
  }

  /** `<name attr="v">` or `<name/>`, the cursor on its `<`. */
  private openTag(): { name: string; empty: boolean } {
    this.at += 1;
    const name = this.name();
    for (;;) {
      const spaced = this.skipSpace();
      const c = this.text[this.at];
      if (c === '>') { this.at += 1; return { name, empty: false }; }
      if (c === '/' && this.text[this.at + 1] === '>') { this.at += 2; return { name, empty: true }; }
      if (!spaced || c === undefined) throw new NotWellFormed(`tag <${name}> is not closed properly`);
      this.attribute(name);
    }
  }

  /** An attribute, read past: `name="value"` or `name='value'`. */
  private attribute(tag: string): void {
    this.name();
    this.skipSpace();
    if (this.text[this.at] !== '=') throw new NotWellFormed(`an attribute of <${tag}> has no value`);
    this.at += 1;
    this.skipSpace();
    const quote = this.text[this.at];
    if (quote !== '"' && quote !== "'") throw new NotWellFormed(`an attribute of <${tag}> is not quoted`);
    const end = this.text.indexOf(quote, this.at + 1);
    if (end === -1 || this.text.slice(this.at + 1, end).includes('<')) throw new NotWellFormed(`an attribute of <${tag}> is not closed`);
    this.at = end + 1;
  }

  /** The text of a field up to its closing tag: text, CDATA sections and comments. */
  private fieldText(name: string): string {
    let value = '';
    for (;;) {
      const lt = this.text.indexOf('<', this.at);
      if (lt === -1) throw new NotWellFormed(`<${name}> is not closed`);
      value += this.decode(this.text.slice(this.at, lt));
      this.at = lt;
      if (this.text.startsWith('<![CDATA[', lt)) {
        const end = this.text.indexOf(']]>', lt + 9);
        if (end === -1) throw new NotWellFormed(`a CDATA section in <${name}> is not closed`);
        value += this.text.slice(lt + 9, end);
        this.at = end + 3;
      } else if (this.text.startsWith('<!--', lt)) {
        this.at = this.after('-->', lt + 4, 'a comment');
      } else if (this.text.startsWith('</', lt)) {
        this.closeTag(name);
        return value;
      } else {
        throw new Refused(`field <${name}> is not plain text`);
      }
    }
  }

  /** `</name>`, the cursor on its `<`. */
  private closeTag(name: string): void {
    this.at += 2;
    const closing = this.name();
    this.skipSpace();
    if (closing !== name || this.text[this.at] !== '>') throw new NotWellFormed(`<${name}> is closed by </${closing}>`);
    this.at += 1;
  }

  private name(): string {
    NAME.lastIndex = this.at;
    const name = NAME.exec(this.text)?.[0];
    if (name === undefined) throw new NotWellFormed(`a tag name is expected at ${this.at}`);
    this.at += name.length;
    return name;
  }

  private skipSpace(): boolean {
    const start = this.at;
    while (this.at < this.text.length && isSpace(this.text.charCodeAt(this.at))) this.at += 1;
    return this.at > start;
  }

  private after(terminator: string, from: number, what: string): number {
    const end = this.text.indexOf(terminator, from);
    if (end === -1) throw new NotWellFormed(`${what} is not closed`);
    return end + terminator.length;
  }

  /** Character data: predefined and numeric references decoded, other named ones kept; a bare `&` is an error. */
  private decode(chars: string): string {
    if (!chars.includes('&')) return chars;
    let out = '';
    let from = 0;
    for (let amp = chars.indexOf('&'); amp !== -1; amp = chars.indexOf('&', from)) {
      const reference = REFERENCE.exec(chars.slice(amp, amp + 64))?.[0];
      if (!reference) throw new NotWellFormed(`a "&" that starts no reference at ${this.at + amp}`);
      out += chars.slice(from, amp) + (referenceText(reference.slice(1, -1)) ?? reference);
      from = amp + reference.length;
    }
    return out + chars.slice(from);
  }
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function referenceText(ref: string): string | undefined {
  if (ref.startsWith('#x')) return codePoint(parseInt(ref.slice(2), 16));
  if (ref.startsWith('#')) return codePoint(parseInt(ref.slice(1), 10));
  return PREDEFINED[ref];
}

function codePoint(code: number): string | undefined {
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
}
