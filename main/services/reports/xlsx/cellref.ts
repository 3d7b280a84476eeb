/** A1-style cell references. Rows and columns are 1-based. */
import { MAX_COLS, MAX_ROWS } from './limits';

export interface CellPos {
  row: number;
  col: number;
}

export interface CellRange {
  /** Normalised A1 reference, e.g. `B8:B9` (a single cell stays `B8`). */
  ref: string;
  top: number;
  left: number;
  bottom: number;
  right: number;
}

export function colToLetters(col: number): string {
  let s = '';
  let n = col;
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export function lettersToCol(letters: string): number {
  let n = 0;
  for (let i = 0; i < letters.length; i++) {
    const c = letters.charCodeAt(i);
    const v = c >= 97 ? c - 96 : c - 64;
    if (v < 1 || v > 26) return NaN;
    n = n * 26 + v;
  }
  return n;
}

export function encodeCell(row: number, col: number): string {
  return colToLetters(col) + String(row);
}

/**
 * Parses `B10`, `$B$10` or `b10`. Returns null when malformed. Out-of-grid references are returned
 * as they are (callers decide); use `inGrid` to check.
 */
export function parseCellRef(ref: string): CellPos | null {
  let i = 0;
  const n = ref.length;
  if (ref.charCodeAt(i) === 36) i++;
  const cs = i;
  while (i < n) {
    const c = ref.charCodeAt(i);
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) i++;
    else break;
  }
  if (i === cs || i - cs > 4) return null;
  const col = lettersToCol(ref.slice(cs, i));
  if (ref.charCodeAt(i) === 36) i++;
  const rs = i;
  while (i < n) {
    const c = ref.charCodeAt(i);
    if (c >= 48 && c <= 57) i++;
    else break;
  }
  if (i === rs || i !== n || i - rs > 8 || ref.charCodeAt(rs) === 48) return null;
  const row = Number(ref.slice(rs, i));
  if (!Number.isFinite(col)) return null;
  return { row, col };
}

export function inGrid(p: CellPos): boolean {
  return p.row >= 1 && p.row <= MAX_ROWS && p.col >= 1 && p.col <= MAX_COLS;
}

/** Parses `A1:J22` or `A1` into a range; null when malformed. */
export function parseRange(ref: string): CellRange | null {
  const parts = ref.split(':');
  if (parts.length > 2) return null;
  const a = parseCellRef(parts[0] ?? '');
  const b = parts.length === 2 ? parseCellRef(parts[1] ?? '') : a;
  if (!a || !b) return null;
  const top = Math.min(a.row, b.row);
  const bottom = Math.max(a.row, b.row);
  const left = Math.min(a.col, b.col);
  const right = Math.max(a.col, b.col);
  return makeRange(top, left, bottom, right);
}

export function makeRange(top: number, left: number, bottom: number, right: number): CellRange {
  const s = encodeCell(top, left);
  const ref = top === bottom && left === right ? s : `${s}:${encodeCell(bottom, right)}`;
  return { ref, top, left, bottom, right };
}

export function rangeInGrid(r: CellRange): boolean {
  return inGrid({ row: r.top, col: r.left }) && inGrid({ row: r.bottom, col: r.right });
}

export function rangeContains(r: CellRange, row: number, col: number): boolean {
  return row >= r.top && row <= r.bottom && col >= r.left && col <= r.right;
}

/** Normalises a user-supplied cell address (`$b$10` -> `B10`); null when malformed or out of the grid. */
export function normaliseCellAddress(ref: string): string | null {
  const p = parseCellRef(ref.trim());
  if (!p || !inGrid(p)) return null;
  return encodeCell(p.row, p.col);
}
