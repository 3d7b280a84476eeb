/**
 * The one place where text typed by a person is brought to a comparable form
 * before it is searched, matched or written to the audit log. Pure: no Node or DOM.
 */

// Zero-width and formatting characters that are invisible but break matching
// (ZWSP, ZWNJ, ZWJ, word joiner, BOM, soft hyphen, bidi marks and embeddings).
const INVISIBLE = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/g;
// C0 and C1 control characters other than tab and newlines.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/**
 * NFKC (full-width letters and digits become half-width, the ideographic space
 * a plain space), invisible and control characters removed, white space folded
 * to single spaces and trimmed. `＂王\u200B小明\u3000＂` → `"王小明"`.
 */
export function normalizeInput(raw: string): string {
  return raw.normalize('NFKC').replace(INVISIBLE, '').replace(CONTROL, '').replace(/\s+/g, ' ').trim();
}
