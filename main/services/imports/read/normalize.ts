/**
 * Cell normalisation: text folding (full-width ASCII and U+3000 to half-width), column letters, Excel
 * date serials (1900 and 1904 systems) to ISO dates.
 */
import type { SourceCell } from '../types';

/**
 * Trims and folds full-width ASCII (U+FF01..U+FF5E) and the ideographic space U+3000 to half-width.
 * CJK characters and characters outside the BMP (surrogate pairs, e.g. 𥕢) are kept as they are.
 */
const NEEDS_FOLD = /[\u3000\uff01-\uff5e]/;

export function foldText(s: string): string {
  if (!NEEDS_FOLD.test(s)) return s.trim();
  let out = '';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    if (u === 0x3000 || (u >= 0xff01 && u <= 0xff5e)) {
      out += s.slice(start, i) + String.fromCharCode(u === 0x3000 ? 0x20 : u - 0xfee0);
      start = i + 1;
    }
  }
  out = start === 0 ? s : out + s.slice(start);
  return out.trim();
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const letterCache: string[] = [];

/** 0-based column index to letters: 0 → 'A', 27 → 'AB'. */
export function colLetter(c: number): string {
  const hit = letterCache[c];
  if (hit !== undefined) return hit;
  let n = c + 1;
  let s = '';
  while (n > 0) {
    const m = (n - 1) % 26;
    s = LETTERS[m] + s;
    n = Math.floor((n - 1) / 26);
  }
  if (c < 16384) letterCache[c] = s;
  return s;
}

/** Column letters to 0-based index: 'A' → 0, 'AB' → 27; -1 when not letters. */
export function colIndex(col: string): number {
  if (!/^[A-Za-z]{1,3}$/.test(col)) return -1;
  let n = 0;
  for (const ch of col.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

const emptyCells: SourceCell[] = [];

/** A shared, frozen empty cell for a column (saves one object per empty cell in big sheets). */
export function emptyCell(c: number): SourceCell {
  let cell = emptyCells[c];
  if (!cell) {
    cell = Object.freeze({ col: colLetter(c), text: '' }) as SourceCell;
    if (c < 16384) emptyCells[c] = cell;
  }
  return cell;
}

const DAY_MS = 86_400_000;
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

/**
 * An Excel date serial to 'YYYY-MM-DD', or undefined when it is no calendar date (below 1 in the 1900
 * system, negative, the phantom 1900-02-29 = serial 60, or out of range). The time of day is dropped
 * (rounded to the second first, so 45000.99999999 is still the next day's midnight).
 */
export function serialToIso(serial: number, date1904: boolean): string | undefined {
  if (!Number.isFinite(serial)) return undefined;
  const v = Math.round(serial * 86400) / 86400;
  const day = Math.floor(v);
  if (day > 2_958_465) return undefined; // after 9999-12-31
  let ms: number;
  if (date1904) {
    if (day < 0) return undefined;
    ms = EPOCH_1904 + day * DAY_MS;
  } else {
    if (day < 1 || day === 60) return undefined;
    // Excel counts a 1900-02-29 that never was: serials before it are one day later than the epoch says.
    ms = day < 60 ? EPOCH_1900 + (day + 1) * DAY_MS : EPOCH_1900 + day * DAY_MS;
  }
  return new Date(ms).toISOString().slice(0, 10);
}

/** True when a number format shows a calendar date (has a year, day or era part), not only a time or duration. */
export function formatHasDate(fmt: string): boolean {
  const stripped = fmt
    .replace(/"[^"]*"/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\\./g, '')
    .replace(/_.|\*./g, '');
  if (/general/i.test(stripped)) return false;
  return /[ydeb]/i.test(stripped) && !/[#0?]/.test(stripped);
}

/** True when foldText(s) would be '' (cheap: stops at the first character that is not white space). */
export function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const u = s.charCodeAt(i);
    if (u === 0x20 || (u >= 0x09 && u <= 0x0d) || u === 0xa0 || u === 0x3000 || u === 0xfeff) continue;
    if (u < 0x1680 || !(u === 0x1680 || (u >= 0x2000 && u <= 0x200a) || u === 0x2028 || u === 0x2029 || u === 0x202f || u === 0x205f)) return false;
  }
  return true;
}
