/**
 * Delimited text files: decoding (UTF-8 with or without BOM, Big5/CP950 detected or chosen, UTF-16 with a
 * BOM) and a small RFC 4180 parser (quoted fields, doubled quotes, embedded newlines and delimiters).
 * Every field stays text: whether 1150305 is a date or 007 a code is the kinds' decision (cells.ts).
 */
import type { TextEncodingName } from './types';

export interface Decoded {
  text: string;
  /** undefined for UTF-16 files. */
  encoding: TextEncodingName | undefined;
  guessed: boolean;
  /**
   * How many characters cannot be shown as they were meant: undecodable bytes (U+FFFD) and private-use
   * characters (U+E000-U+F8FF), which is where Big5 自造字 (user-defined characters for rare names) land.
   */
  replaced: number;
}

function tryDecode(label: string, bytes: Uint8Array): string | null {
  try {
    return new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Decodes text bytes. A BOM decides; otherwise the caller's encoding wins; otherwise valid UTF-8 is UTF-8
 * and anything else is tried as Big5 (CP950), leniently when even that fails.
 */
export function decodeText(bytes: Uint8Array, encoding: TextEncodingName | undefined): Decoded {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return counted({ text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8', guessed: encoding === undefined });
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return counted({ text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: undefined, guessed: false });
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return counted({ text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: undefined, guessed: false });
  if (encoding) return counted({ text: new TextDecoder(encoding).decode(bytes), encoding, guessed: false });
  const utf8 = tryDecode('utf-8', bytes);
  if (utf8 !== null) return counted({ text: utf8, encoding: 'utf-8', guessed: true });
  const big5 = tryDecode('big5', bytes);
  if (big5 !== null) return counted({ text: big5, encoding: 'big5', guessed: true });
  return counted({ text: new TextDecoder('big5').decode(bytes), encoding: 'big5', guessed: true });
}

const UNSHOWABLE = /[\ue000-\uf8ff\ufffd]/;
const UNSHOWABLE_ALL = /[\ue000-\uf8ff\ufffd]/g;

function counted(d: Omit<Decoded, 'replaced'>): Decoded {
  const replaced = UNSHOWABLE.test(d.text) ? (d.text.match(UNSHOWABLE_ALL)?.length ?? 0) : 0;
  return { ...d, replaced };
}

/** Picks the delimiter from the first line (outside quotes): the most frequent of comma, tab, semicolon; comma on a tie. */
export function sniffDelimiter(text: string): string {
  const counts = { ',': 0, '\t': 0, ';': 0 };
  let quoted = false;
  for (let i = 0; i < text.length && i < 65536; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && (ch === ',' || ch === '\t' || ch === ';')) counts[ch]++;
  }
  if (counts['\t'] > counts[','] && counts['\t'] >= counts[';']) return '\t';
  if (counts[';'] > counts[','] && counts[';'] > counts['\t']) return ';';
  return ',';
}

/**
 * Parses delimited text into rows of raw field strings. Quoted fields may contain the delimiter, doubled
 * quotes and newlines; CRLF, LF and CR end records. A final newline does not make an extra row.
 */
export function parseDelimited(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  const n = text.length;
  const d = delimiter.charCodeAt(0);
  while (i < n) {
    // One field.
    let field: string;
    if (text.charCodeAt(i) === 34 /* " */) {
      let buf = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q === -1) {
          // Unterminated quote: the rest of the file is this field.
          buf += text.slice(j);
          j = n;
          break;
        }
        buf += text.slice(j, q);
        if (text.charCodeAt(q + 1) === 34) {
          buf += '"';
          j = q + 2;
        } else {
          j = q + 1;
          break;
        }
      }
      // Anything between the closing quote and the delimiter is kept (as spreadsheet programs do).
      let k = j;
      while (k < n) {
        const c = text.charCodeAt(k);
        if (c === d || c === 10 || c === 13) break;
        k++;
      }
      field = buf + text.slice(j, k);
      i = k;
    } else {
      let k = i;
      while (k < n) {
        const c = text.charCodeAt(k);
        if (c === d || c === 10 || c === 13) break;
        k++;
      }
      field = text.slice(i, k);
      i = k;
    }
    row.push(field);
    if (i >= n) break;
    const c = text.charCodeAt(i);
    if (c === d) {
      i++;
      if (i >= n) row.push('');
      continue;
    }
    // End of record.
    i += c === 13 && text.charCodeAt(i + 1) === 10 ? 2 : 1;
    rows.push(row);
    row = [];
  }
  if (row.length > 0) rows.push(row);
  return rows;
}
