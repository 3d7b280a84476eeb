/** diffFilled: cell-by-cell value differences between two workbooks (e.g. regenerated vs. submitted). */
import { guard, loadWorkbook } from './inspect';
import type { TemplateLimits } from './limits';
import type { CellModel } from './sheet-read';

export type CellScalar = string | number | boolean | null;

export interface CellDiff {
  sheet: string;
  cell: string;
  before: CellScalar;
  after: CellScalar;
  /** Displayed text before/after ('' for empty). */
  beforeText: string;
  afterText: string;
}

export interface DiffOptions {
  limits?: Partial<TemplateLimits>;
}

function valuesOf(cells: readonly CellModel[]): Map<string, CellModel> {
  const m = new Map<string, CellModel>();
  for (const c of cells) if (c.type !== 'empty') m.set(c.address, c);
  return m;
}

function same(a: CellModel | undefined, b: CellModel | undefined): boolean {
  if (!a || !b) return a === b;
  return a.value === b.value && (a.type === b.type || (a.type !== 'string' && b.type !== 'string'));
}

/**
 * Lists every cell whose value differs. Sheets are matched by name, in the order of `oldBytes`
 * (sheets only in `newBytes` follow); cells are ordered by row, then column.
 */
export function diffFilled(oldBytes: Uint8Array, newBytes: Uint8Array, opts: DiffOptions = {}): CellDiff[] {
  return guard(() => {
    const a = loadWorkbook(oldBytes, opts.limits);
    const b = loadWorkbook(newBytes, opts.limits);
    const names: string[] = [];
    for (const s of a.pkg.sheets) names.push(s.name);
    for (const s of b.pkg.sheets) if (!names.includes(s.name)) names.push(s.name);
    const out: CellDiff[] = [];
    for (const name of names) {
      const ra = a.pkg.sheets.find((s) => s.name === name);
      const rb = b.pkg.sheets.find((s) => s.name === name);
      const ca = ra ? valuesOf(a.readSheet(ra, false).cells) : new Map<string, CellModel>();
      const cb = rb ? valuesOf(b.readSheet(rb, false).cells) : new Map<string, CellModel>();
      const rows: Array<{ row: number; col: number; d: CellDiff }> = [];
      const visit = (addr: string): void => {
        const x = ca.get(addr);
        const y = cb.get(addr);
        if (same(x, y)) return;
        const at = (x ?? y) as CellModel;
        rows.push({
          row: at.row,
          col: at.col,
          d: { sheet: name, cell: addr, before: x ? x.value : null, after: y ? y.value : null, beforeText: x ? x.text : '', afterText: y ? y.text : '' },
        });
      };
      for (const addr of ca.keys()) visit(addr);
      for (const addr of cb.keys()) if (!ca.has(addr)) visit(addr);
      rows.sort((p, q) => p.row - q.row || p.col - q.col);
      for (const r of rows) out.push(r.d);
    }
    return out;
  });
}
