/** Cell addresses and rectangular ranges on the template grid (1-based rows and columns). */
import type { TemplateGridCell, TemplateGridSheet } from '../../../main/contract/types-reports';

export interface CellPos {
  row: number;
  col: number;
}

export interface GridRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

export function colLetters(col: number): string {
  let s = '';
  let n = col;
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export function addressOf(p: CellPos): string {
  return `${colLetters(p.col)}${p.row}`;
}

export function parseAddress(address: string): CellPos | null {
  const m = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/.exec(address.trim());
  if (!m) return null;
  let col = 0;
  for (const ch of (m[1] ?? '').toUpperCase()) col = col * 26 + (ch.charCodeAt(0) - 64);
  return { row: Number(m[2]), col };
}

export function rangeOf(a: CellPos, b: CellPos): GridRange {
  return { top: Math.min(a.row, b.row), left: Math.min(a.col, b.col), bottom: Math.max(a.row, b.row), right: Math.max(a.col, b.col) };
}

export function rangeRef(r: GridRange): string {
  const a = addressOf({ row: r.top, col: r.left });
  const b = addressOf({ row: r.bottom, col: r.right });
  return a === b ? a : `${a}:${b}`;
}

export function inRange(r: GridRange | null, row: number, col: number): boolean {
  return !!r && row >= r.top && row <= r.bottom && col >= r.left && col <= r.right;
}

export function isSingle(r: GridRange | null): boolean {
  return !!r && r.top === r.bottom && r.left === r.right;
}

/** Grows `r` until every merge it touches lies wholly inside it (as Excel does when selecting). */
export function expandToMerges(sheet: TemplateGridSheet, r: GridRange): GridRange {
  let out = { ...r };
  let changed = true;
  while (changed) {
    changed = false;
    for (const mg of sheet.merges) {
      const touches = mg.top <= out.bottom && mg.bottom >= out.top && mg.left <= out.right && mg.right >= out.left;
      if (!touches) continue;
      const next = { top: Math.min(out.top, mg.top), left: Math.min(out.left, mg.left), bottom: Math.max(out.bottom, mg.bottom), right: Math.max(out.right, mg.right) };
      if (next.top !== out.top || next.left !== out.left || next.bottom !== out.bottom || next.right !== out.right) {
        out = next;
        changed = true;
      }
    }
  }
  return out;
}

/** Looks up cells by position, a merged area answering with its top-left cell. */
export class SheetIndex {
  private readonly cells = new Map<string, TemplateGridCell>();
  private readonly mergeTopLeft = new Map<string, string>();
  constructor(readonly sheet: TemplateGridSheet) {
    for (const c of sheet.cells) this.cells.set(c.address, c);
    for (const mg of sheet.merges) {
      const tl = addressOf({ row: mg.top, col: mg.left });
      for (let r = mg.top; r <= mg.bottom; r++) for (let c = mg.left; c <= mg.right; c++) this.mergeTopLeft.set(addressOf({ row: r, col: c }), tl);
    }
  }

  /** The cell itself (not its merge). */
  cell(address: string): TemplateGridCell | undefined {
    return this.cells.get(address);
  }

  /** True when the position is inside a merge but not its top-left cell. */
  covered(row: number, col: number): boolean {
    const a = addressOf({ row, col });
    const tl = this.mergeTopLeft.get(a);
    return tl !== undefined && tl !== a;
  }

  /** The text shown at a position (a merged area's text for every cell it covers). */
  textAt(row: number, col: number): string {
    const a = addressOf({ row, col });
    const c = this.cells.get(this.mergeTopLeft.get(a) ?? a);
    return c && c.type === 'string' ? c.text.trim() : '';
  }

  /** The nearest text left of `left` on `row`: the row's label. */
  rowLabel(row: number, left: number): { text: string; address: string | null } {
    for (let c = left - 1; c >= 1; c--) {
      const t = this.textAt(row, c);
      if (t) return { text: t, address: addressOf({ row, col: c }) };
    }
    return { text: '', address: null };
  }

  /** The address of the nearest text above `top` in `col` (a merge: its top-left cell). */
  columnHeadCell(col: number, top: number, depth = 4): string | null {
    for (let r = top - 1; r >= Math.max(1, top - depth); r--) {
      if (this.textAt(r, col)) {
        const a = addressOf({ row: r, col });
        return this.mergeTopLeft.get(a) ?? a;
      }
    }
    return null;
  }

  /** The texts above `top` in `col`, nearest first (at most `depth` rows, a merge counted once). */
  columnHeads(col: number, top: number, depth = 4): string[] {
    const out: string[] = [];
    for (let r = top - 1; r >= Math.max(1, top - depth); r--) {
      const t = this.textAt(r, col);
      if (t && !out.includes(t)) out.push(t);
    }
    return out;
  }
}
