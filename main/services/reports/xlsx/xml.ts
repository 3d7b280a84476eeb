/**
 * A minimal, linear-time, pull-style XML tokenizer for OOXML parts.
 *
 * It reports open tags (with attributes and exact source offsets), close tags and text; it skips
 * comments and processing instructions; it checks well-formedness as it goes (balanced tags, quoted
 * attributes, no `<` in attribute values, known entities only, a single root) and refuses DTDs (OOXML
 * forbids them, and refusing them rules out entity-expansion attacks). Every scan only moves forward,
 * and every `indexOf` starts where the previous one stopped, so the total work is linear in the input.
 *
 * The offsets are what make in-place editing possible: the writer splices new text into the original
 * string at exact token boundaries and leaves every other character untouched.
 */

export class XmlError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(`${message} at offset ${offset}`);
    this.name = 'XmlError';
    this.offset = offset;
  }
}

export const TOK_END = 0;
export const TOK_OPEN = 1;
export const TOK_CLOSE = 2;
export const TOK_TEXT = 3;
export type TokType = typeof TOK_END | typeof TOK_OPEN | typeof TOK_CLOSE | typeof TOK_TEXT;

export interface XmlAttr {
  name: string;
  local: string;
  value: string;
  /** Offset of the attribute name. */
  start: number;
  /** Offset just past the closing quote. */
  end: number;
  /** Offsets of the raw value, between the quotes. */
  valueStart: number;
  valueEnd: number;
}

const LT = 60; // <
const GT = 62; // >
const SLASH = 47; // /
const EQ = 61; // =
const QUOT = 34; // "
const APOS = 39; // '
const BANG = 33; // !
const QMARK = 63; // ?

function isWs(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

function isNameStop(c: number): boolean {
  return isWs(c) || c === GT || c === SLASH || c === EQ || c === LT || c === QUOT || c === APOS || Number.isNaN(c);
}

function isBadNameStart(c: number): boolean {
  // digits, '-', '.', and the stop characters cannot start a name
  return (c >= 48 && c <= 57) || c === 45 || c === 46 || isNameStop(c);
}

export function localName(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

export function prefixOf(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? '' : name.slice(0, i + 1);
}

/** Decodes the five predefined entities and character references; throws XmlError on anything else. */
export function decodeEntities(s: string, baseOffset = 0): string {
  let amp = s.indexOf('&');
  if (amp < 0) return s;
  let out = '';
  let last = 0;
  while (amp >= 0) {
    const semi = s.indexOf(';', amp + 1);
    if (semi < 0 || semi - amp > 12) throw new XmlError('unterminated entity reference', baseOffset + amp);
    const ent = s.slice(amp + 1, semi);
    let rep: string;
    switch (ent) {
      case 'lt':
        rep = '<';
        break;
      case 'gt':
        rep = '>';
        break;
      case 'amp':
        rep = '&';
        break;
      case 'quot':
        rep = '"';
        break;
      case 'apos':
        rep = "'";
        break;
      default: {
        let cp = NaN;
        if (ent.length > 2 && (ent[1] === 'x' || ent[1] === 'X') && ent[0] === '#') {
          if (/^[0-9a-fA-F]{1,6}$/.test(ent.slice(2))) cp = parseInt(ent.slice(2), 16);
        } else if (ent.length > 1 && ent[0] === '#') {
          if (/^[0-9]{1,7}$/.test(ent.slice(1))) cp = parseInt(ent.slice(1), 10);
        }
        if (!(cp > 0 && cp <= 0x10ffff) || (cp >= 0xd800 && cp <= 0xdfff)) {
          throw new XmlError(`unknown entity &${ent};`, baseOffset + amp);
        }
        rep = String.fromCodePoint(cp);
      }
    }
    out += s.slice(last, amp) + rep;
    last = semi + 1;
    amp = s.indexOf('&', last);
  }
  return out + s.slice(last);
}

export function escapeXmlText(s: string): string {
  return s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

export function escapeXmlAttr(s: string): string {
  return s.replace(/[&<>"\n\r\t]/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      case '\n':
        return '&#10;';
      case '\r':
        return '&#13;';
      default:
        return '&#9;';
    }
  });
}

export class XmlScanner {
  readonly src: string;
  private pos = 0;
  type: TokType = TOK_END;
  /** Qualified name of the current open/close tag. */
  name = '';
  /** Local name (prefix removed) of the current open/close tag. */
  local = '';
  /** Source offsets of the current token: [start, end). For CDATA text, the content between the markers. */
  start = 0;
  end = 0;
  selfClosing = false;
  isCData = false;
  private spans: number[] = [];
  private attrCount = 0;
  private readonly stack: string[] = [];
  private readonly localStack: string[] = [];
  private rootSeen = false;

  constructor(src: string) {
    this.src = src;
    // A byte-order mark is allowed before the declaration.
    if (src.charCodeAt(0) === 0xfeff) this.pos = 1;
  }

  /** Number of open elements (for an open tag that is not self-closing, it includes that element). */
  get depth(): number {
    return this.stack.length;
  }

  /** Local name of the element containing the current token. */
  parentLocal(): string {
    const n = this.localStack.length;
    // An open, non-self-closing tag is already on the stack; anything else sits inside the top.
    const idx = this.type === TOK_OPEN && !this.selfClosing ? n - 2 : n - 1;
    return idx >= 0 ? (this.localStack[idx] as string) : '';
  }

  /** Local names of the open elements, outermost first. */
  path(): readonly string[] {
    return this.localStack;
  }

  private fail(msg: string, at: number): never {
    throw new XmlError(msg, at);
  }

  next(): TokType {
    const s = this.src;
    const n = s.length;
    for (;;) {
      const p = this.pos;
      if (p >= n) {
        if (this.stack.length) this.fail(`unclosed element <${this.stack[this.stack.length - 1] ?? ''}>`, p);
        if (!this.rootSeen) this.fail('no root element', p);
        this.type = TOK_END;
        return TOK_END;
      }
      if (s.charCodeAt(p) !== LT) {
        let q = s.indexOf('<', p);
        if (q < 0) q = n;
        this.pos = q;
        if (this.stack.length === 0) {
          for (let i = p; i < q; i++) if (!isWs(s.charCodeAt(i))) this.fail('text outside the root element', i);
          continue;
        }
        this.start = p;
        this.end = q;
        this.isCData = false;
        this.type = TOK_TEXT;
        return TOK_TEXT;
      }
      const c1 = s.charCodeAt(p + 1);
      if (c1 === BANG) {
        if (s.startsWith('--', p + 2)) {
          const q = s.indexOf('-->', p + 4);
          if (q < 0) this.fail('unterminated comment', p);
          this.pos = q + 3;
          continue;
        }
        if (s.startsWith('[CDATA[', p + 2)) {
          if (this.stack.length === 0) this.fail('CDATA outside the root element', p);
          const q = s.indexOf(']]>', p + 9);
          if (q < 0) this.fail('unterminated CDATA section', p);
          this.start = p + 9;
          this.end = q;
          this.pos = q + 3;
          this.isCData = true;
          this.type = TOK_TEXT;
          return TOK_TEXT;
        }
        this.fail('DTD or unsupported declaration (not allowed in OOXML)', p);
      }
      if (c1 === QMARK) {
        const q = s.indexOf('?>', p + 2);
        if (q < 0) this.fail('unterminated processing instruction', p);
        this.pos = q + 2;
        continue;
      }
      if (c1 === SLASH) {
        let q = p + 2;
        while (q < n && !isNameStop(s.charCodeAt(q))) q++;
        const name = s.slice(p + 2, q);
        while (q < n && isWs(s.charCodeAt(q))) q++;
        if (s.charCodeAt(q) !== GT) this.fail('malformed end tag', p);
        const top = this.stack.pop();
        this.localStack.pop();
        if (top !== name) this.fail(`end tag </${name}> does not match <${top ?? ''}>`, p);
        this.name = name;
        this.local = localName(name);
        this.start = p;
        this.end = q + 1;
        this.pos = q + 1;
        this.selfClosing = false;
        this.type = TOK_CLOSE;
        return TOK_CLOSE;
      }
      // Open tag.
      if (this.stack.length === 0 && this.rootSeen) this.fail('more than one root element', p);
      if (isBadNameStart(c1)) this.fail('malformed tag', p);
      let q = p + 1;
      while (q < n && !isNameStop(s.charCodeAt(q))) q++;
      const name = s.slice(p + 1, q);
      const spans = this.spans;
      let count = 0;
      let selfClosing = false;
      for (;;) {
        const ws0 = q;
        while (q < n && isWs(s.charCodeAt(q))) q++;
        const c = s.charCodeAt(q);
        if (c === GT) {
          q++;
          break;
        }
        if (c === SLASH) {
          if (s.charCodeAt(q + 1) !== GT) this.fail('malformed tag', q);
          selfClosing = true;
          q += 2;
          break;
        }
        if (q >= n) this.fail('unterminated tag', p);
        if (q === ws0) this.fail('missing whitespace before attribute', q);
        const ns = q;
        if (isBadNameStart(c)) this.fail('malformed attribute', q);
        while (q < n && !isNameStop(s.charCodeAt(q))) q++;
        const ne = q;
        while (q < n && isWs(s.charCodeAt(q))) q++;
        if (s.charCodeAt(q) !== EQ) this.fail('attribute without value', ns);
        q++;
        while (q < n && isWs(s.charCodeAt(q))) q++;
        const quote = s.charCodeAt(q);
        if (quote !== QUOT && quote !== APOS) this.fail('unquoted attribute value', q);
        const vs = q + 1;
        let ve = vs;
        for (;;) {
          if (ve >= n) this.fail('unterminated attribute value', vs);
          const vc = s.charCodeAt(ve);
          if (vc === quote) break;
          if (vc === LT) this.fail("'<' in attribute value", ve);
          ve++;
        }
        q = ve + 1;
        const k = count * 4;
        spans[k] = ns;
        spans[k + 1] = ne;
        spans[k + 2] = vs;
        spans[k + 3] = ve;
        count++;
      }
      this.attrCount = count;
      this.name = name;
      this.local = localName(name);
      this.start = p;
      this.end = q;
      this.pos = q;
      this.selfClosing = selfClosing;
      this.rootSeen = true;
      if (!selfClosing) {
        this.stack.push(name);
        this.localStack.push(this.local);
      }
      this.type = TOK_OPEN;
      return TOK_OPEN;
    }
  }

  /** Decoded text of the current text token. */
  text(): string {
    const raw = this.src.slice(this.start, this.end);
    return this.isCData ? raw : decodeEntities(raw, this.start);
  }

  /** Value of the attribute with this local name on the current open tag, or null. */
  attr(local: string): string | null {
    const s = this.src;
    const spans = this.spans;
    for (let i = 0; i < this.attrCount; i++) {
      const k = i * 4;
      const ns = spans[k] as number;
      const ne = spans[k + 1] as number;
      let ls = ns;
      for (let j = ne - 1; j > ns; j--) {
        if (s.charCodeAt(j) === 58) {
          ls = j + 1;
          break;
        }
      }
      if (ne - ls === local.length && s.startsWith(local, ls)) {
        const vs = spans[k + 2] as number;
        const ve = spans[k + 3] as number;
        return decodeEntities(s.slice(vs, ve), vs);
      }
    }
    return null;
  }

  /** Value of the attribute with exactly this qualified name, or null. */
  attrQ(qname: string): string | null {
    const s = this.src;
    const spans = this.spans;
    for (let i = 0; i < this.attrCount; i++) {
      const k = i * 4;
      const ns = spans[k] as number;
      const ne = spans[k + 1] as number;
      if (ne - ns === qname.length && s.startsWith(qname, ns)) {
        const vs = spans[k + 2] as number;
        return decodeEntities(s.slice(vs, spans[k + 3] as number), vs);
      }
    }
    return null;
  }

  /** All attributes of the current open tag, with offsets. */
  attrs(): XmlAttr[] {
    const s = this.src;
    const spans = this.spans;
    const out: XmlAttr[] = [];
    for (let i = 0; i < this.attrCount; i++) {
      const k = i * 4;
      const ns = spans[k] as number;
      const ne = spans[k + 1] as number;
      const vs = spans[k + 2] as number;
      const ve = spans[k + 3] as number;
      const name = s.slice(ns, ne);
      out.push({ name, local: localName(name), value: decodeEntities(s.slice(vs, ve), vs), start: ns, end: ve + 1, valueStart: vs, valueEnd: ve });
    }
    return out;
  }

  /** After an open tag, skips to its matching close tag (no-op for a self-closing tag). */
  skipElement(): void {
    if (this.type !== TOK_OPEN || this.selfClosing) return;
    const target = this.stack.length - 1;
    while (this.stack.length > target) {
      if (this.next() === TOK_END) return;
    }
  }

  /** Concatenated decoded text inside the current element (for simple elements such as <f> or <v>). */
  readElementText(): string {
    if (this.type !== TOK_OPEN || this.selfClosing) return '';
    const target = this.stack.length - 1;
    let out = '';
    while (this.stack.length > target) {
      const t = this.next();
      if (t === TOK_END) break;
      if (t === TOK_TEXT) out += this.text();
    }
    return out;
  }
}

/** Runs the scanner over the whole document only to check it is well-formed. */
export function checkWellFormed(src: string): void {
  const sc = new XmlScanner(src);
  while (sc.next() !== TOK_END) {
    if (sc.type === TOK_TEXT && !sc.isCData) {
      // Validate entity references in text too.
      const raw = src.slice(sc.start, sc.end);
      if (raw.indexOf('&') >= 0) decodeEntities(raw, sc.start);
    }
  }
}

/** Decodes `_xHHHH_` escapes used by OOXML in string values (ST_Xstring). */
export function decodeOoxmlEscapes(s: string): string {
  if (s.indexOf('_x') < 0) return s;
  return s.replace(/_x([0-9A-Fa-f]{4})_/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * Encodes a string for a `<t>` element: `_xHHHH_` look-alikes are protected, characters XML 1.0
 * cannot hold are written as `_xHHHH_`, lone surrogates become U+FFFD, then XML-escaped.
 */
export function encodeOoxmlText(s: string): string {
  let t = s.replace(/_x([0-9A-Fa-f]{4})_/g, '_x005F_x$1_');
  // eslint-disable-next-line no-control-regex
  t = t.replace(/[\u0000-\u0008\u000B\u000C\u000D\u000E-\u001F\uFFFE\uFFFF]/g, (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`);
  t = t.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
  return escapeXmlText(t);
}
