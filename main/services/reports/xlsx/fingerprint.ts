/**
 * Mapping drift detection. When an administrator maps a cell, we record what identifies its place:
 * the row label (nearest non-empty text cell to its left), the column label (nearest non-empty text
 * cell above), and its style id. When a new template arrives, checkMapping compares and reports, in
 * zh-TW, every mapping whose place no longer matches, before anything is generated.
 */
import { encodeCell, parseCellRef, inGrid, rangeContains, type CellRange } from './cellref';
import { TemplateFillError } from './errors';
import { findSheet, sheetNotFound } from './fill';
import { guard, loadWorkbook, type LoadedWorkbook } from './inspect';
import type { TemplateLimits } from './limits';
import { similarSheetName } from './problems';
import type { CellModel, SheetContent } from './sheet-read';

export interface CellFingerprint {
  sheet: string;
  cell: string;
  /** Nearest non-empty text to the left in the same row (merged areas count), or null. */
  rowLabel: string | null;
  rowLabelCell: string | null;
  /** Nearest non-empty text above in the same column (merged areas count), or null. */
  columnLabel: string | null;
  columnLabelCell: string | null;
  /** The cell's `s` style index, or null when the cell element does not exist. */
  styleId: number | null;
}

export interface MappingToCheck {
  sheet: string;
  cell: string;
  fingerprint: CellFingerprint;
}

export type MappingProblemCode =
  | 'sheet-missing'
  | 'invalid-cell'
  | 'row-label-changed'
  | 'column-label-changed'
  | 'formula-cell'
  | 'merged-cell'
  | 'style-changed';

export interface MappingProblem {
  sheet: string;
  cell: string;
  code: MappingProblemCode;
  /** `error`: generating would put the figure in the wrong place; `warning`: worth a look. */
  severity: 'error' | 'warning';
  /** zh-TW text for the administrator. */
  message: string;
  /** Where the labels match now, when a unique such cell was found (e.g. after a row was inserted). */
  suggestedCell: string | null;
  /** sheet-missing: a similarly named sheet of the template (it was probably renamed), or null. */
  suggestedSheet?: string | null;
  /** What the mapping was saved with and what the template has now (labels, style ids, the merged area). */
  before?: string | null;
  after?: string | null;
}

export interface FingerprintOptions {
  limits?: Partial<TemplateLimits>;
}

/** Comparison form of a label: NFKC, no whitespace at all (so 季, two ideographic spaces, 報 equals 季報). */
export function normaliseLabel(s: string | null): string {
  return s === null ? '' : s.normalize('NFKC').replace(/\s+/g, '');
}

class SheetIndex {
  readonly byRow = new Map<number, CellModel[]>();
  readonly byCol = new Map<number, CellModel[]>();
  readonly byAddr = new Map<string, CellModel>();
  readonly merges: CellRange[];

  constructor(content: SheetContent) {
    this.merges = content.merges;
    for (const c of content.cells) {
      this.byAddr.set(c.address, c);
      const r = this.byRow.get(c.row);
      if (r) r.push(c);
      else this.byRow.set(c.row, [c]);
      const k = this.byCol.get(c.col);
      if (k) k.push(c);
      else this.byCol.set(c.col, [c]);
    }
  }

  static isLabel(c: CellModel | undefined): c is CellModel {
    return c !== undefined && c.type === 'string' && typeof c.value === 'string' && c.value.trim() !== '';
  }

  private coveredBy(row: number, col: number): CellRange | undefined {
    return this.merges.find((m) => rangeContains(m, row, col) && (m.top !== row || m.left !== col));
  }

  /** Nearest label to the left: [position, label cell]. */
  rowLabel(row: number, col: number): CellModel | null {
    let best: CellModel | null = null;
    let bestPos = 0;
    for (const c of this.byRow.get(row) ?? []) {
      if (c.col < col && c.col > bestPos && SheetIndex.isLabel(c) && !this.coveredBy(c.row, c.col)) {
        best = c;
        bestPos = c.col;
      }
    }
    for (const m of this.merges) {
      if (row < m.top || row > m.bottom || m.left >= col) continue;
      const pos = Math.min(m.right, col - 1);
      if (pos <= bestPos) continue;
      const anchor = this.byAddr.get(encodeCell(m.top, m.left));
      if (SheetIndex.isLabel(anchor)) {
        best = anchor;
        bestPos = pos;
      }
    }
    return best;
  }

  /** Nearest label above. */
  columnLabel(row: number, col: number): CellModel | null {
    let best: CellModel | null = null;
    let bestPos = 0;
    for (const c of this.byCol.get(col) ?? []) {
      if (c.row < row && c.row > bestPos && SheetIndex.isLabel(c) && !this.coveredBy(c.row, c.col)) {
        best = c;
        bestPos = c.row;
      }
    }
    for (const m of this.merges) {
      if (col < m.left || col > m.right || m.top >= row) continue;
      const pos = Math.min(m.bottom, row - 1);
      if (pos <= bestPos) continue;
      const anchor = this.byAddr.get(encodeCell(m.top, m.left));
      if (SheetIndex.isLabel(anchor)) {
        best = anchor;
        bestPos = pos;
      }
    }
    return best;
  }

  fingerprint(sheet: string, row: number, col: number): CellFingerprint {
    const address = encodeCell(row, col);
    const rl = this.rowLabel(row, col);
    const cl = this.columnLabel(row, col);
    const own = this.byAddr.get(address);
    return {
      sheet,
      cell: address,
      rowLabel: rl ? String(rl.value) : null,
      rowLabelCell: rl ? rl.address : null,
      columnLabel: cl ? String(cl.value) : null,
      columnLabelCell: cl ? cl.address : null,
      styleId: own ? own.styleId : null,
    };
  }

  /** Cells whose row and column labels both match; used to suggest where a mapping moved. */
  findByLabels(rowLabel: string, columnLabel: string): string[] {
    const wantR = normaliseLabel(rowLabel);
    const wantC = normaliseLabel(columnLabel);
    const rows = new Set<number>();
    const cols = new Set<number>();
    for (const c of this.byAddr.values()) {
      if (!SheetIndex.isLabel(c)) continue;
      const n = normaliseLabel(String(c.value));
      if (wantR !== '' && n === wantR) rows.add(c.row);
      if (wantC !== '' && n === wantC) {
        const m = this.merges.find((g) => g.top === c.row && g.left === c.col);
        for (let k = c.col; k <= (m ? m.right : c.col); k++) cols.add(k);
      }
    }
    if (rows.size * cols.size > 400) return [];
    const out: string[] = [];
    for (const r of rows) {
      for (const k of cols) {
        const rl = this.rowLabel(r, k);
        const cl = this.columnLabel(r, k);
        if (rl && cl && normaliseLabel(String(rl.value)) === wantR && normaliseLabel(String(cl.value)) === wantC) {
          out.push(encodeCell(r, k));
        }
      }
    }
    return out;
  }
}

class IndexCache {
  private readonly cache = new Map<number, SheetIndex>();
  constructor(private readonly wb: LoadedWorkbook) {}
  get(index: number): SheetIndex {
    let idx = this.cache.get(index);
    if (!idx) {
      const ref = this.wb.pkg.sheets[index];
      if (!ref) throw new Error(`no sheet ${index}`);
      idx = new SheetIndex(this.wb.readSheet(ref, true));
      this.cache.set(index, idx);
    }
    return idx;
  }
}

function cellOrThrow(sheet: string, cell: string): { row: number; col: number } {
  const p = parseCellRef(cell.trim());
  if (!p || !inGrid(p)) throw new TemplateFillError('invalid-cell', `「${cell}」不是有效的儲存格位置（例如 B10）。`, sheet, cell);
  return p;
}

/** Fingerprints several cells of one workbook (parsing each sheet once). */
export function fingerprintCells(bytes: Uint8Array, cells: ReadonlyArray<{ sheet: string; cell: string }>, opts: FingerprintOptions = {}): CellFingerprint[] {
  return guard(() => {
    const wb = loadWorkbook(bytes, opts.limits);
    const cache = new IndexCache(wb);
    return cells.map(({ sheet, cell }) => {
      const ref = findSheet(wb.pkg.sheets, sheet);
      if (!ref) throw sheetNotFound(sheet, wb.pkg.sheets);
      const p = cellOrThrow(sheet, cell);
      return cache.get(ref.index).fingerprint(ref.name, p.row, p.col);
    });
  });
}

export function fingerprintCell(bytes: Uint8Array, sheet: string, cell: string, opts: FingerprintOptions = {}): CellFingerprint {
  const [fp] = fingerprintCells(bytes, [{ sheet, cell }], opts);
  if (!fp) throw new Error('unreachable');
  return fp;
}

function quote(s: string | null): string {
  return s === null || s.trim() === '' ? '（空白）' : `「${s.trim()}」`;
}

/**
 * Checks saved mappings against a (new) template. Returns an empty list when every mapped cell is
 * still where its labels say it should be.
 */
export function checkMapping(bytes: Uint8Array, mappings: readonly MappingToCheck[], opts: FingerprintOptions = {}): MappingProblem[] {
  return guard(() => {
    const wb = loadWorkbook(bytes, opts.limits);
    const cache = new IndexCache(wb);
    const problems: MappingProblem[] = [];
    // A missing sheet is matched against the template's sheets that no mapping names (a renamed one).
    const named = new Set(mappings.map((m) => findSheet(wb.pkg.sheets, m.sheet)?.index).filter((i) => i !== undefined));
    const unnamed = wb.pkg.sheets.filter((s) => !named.has(s.index) && s.kind === 'worksheet').map((s) => s.name);
    const renamed = new Map<string, string | null>();
    for (const m of mappings) {
      const ref = findSheet(wb.pkg.sheets, m.sheet);
      if (!ref) {
        if (!renamed.has(m.sheet)) renamed.set(m.sheet, similarSheetName(m.sheet, unnamed));
        const suggestedSheet = renamed.get(m.sheet) ?? null;
        const message = suggestedSheet ? `工作表「${m.sheet}」不存在，是否已改名為「${suggestedSheet}」？` : `工作表「${m.sheet}」不存在`;
        problems.push({ sheet: m.sheet, cell: m.cell, code: 'sheet-missing', severity: 'error', message, suggestedCell: null, suggestedSheet });
        continue;
      }
      const p = parseCellRef(m.cell.trim());
      if (!p || !inGrid(p)) {
        problems.push({ sheet: m.sheet, cell: m.cell, code: 'invalid-cell', severity: 'error', message: `「${m.cell}」不是有效的儲存格位置`, suggestedCell: null });
        continue;
      }
      const address = encodeCell(p.row, p.col);
      const where = `（工作表「${ref.name}」）`;
      const idx = cache.get(ref.index);
      const now = idx.fingerprint(ref.name, p.row, p.col);
      const exp = m.fingerprint;
      const rowChanged = normaliseLabel(now.rowLabel) !== normaliseLabel(exp.rowLabel);
      const colChanged = normaliseLabel(now.columnLabel) !== normaliseLabel(exp.columnLabel);
      let suggestion: string | null = null;
      if ((rowChanged || colChanged) && exp.rowLabel !== null && exp.columnLabel !== null) {
        const found = idx.findByLabels(exp.rowLabel, exp.columnLabel);
        if (found.length === 1) suggestion = found[0] ?? null;
      }
      const hint = suggestion ? `，可能已移到 ${suggestion}` : '';
      if (rowChanged) {
        problems.push({
          sheet: ref.name,
          cell: address,
          code: 'row-label-changed',
          severity: 'error',
          message: `儲存格 ${address} 的列標題由${quote(exp.rowLabel)}變成${quote(now.rowLabel)}${hint}${where}`,
          suggestedCell: suggestion,
          before: exp.rowLabel,
          after: now.rowLabel,
        });
      }
      if (colChanged) {
        problems.push({
          sheet: ref.name,
          cell: address,
          code: 'column-label-changed',
          severity: 'error',
          message: `儲存格 ${address} 的欄標題由${quote(exp.columnLabel)}變成${quote(now.columnLabel)}${hint}${where}`,
          suggestedCell: suggestion,
          before: exp.columnLabel,
          after: now.columnLabel,
        });
      }
      const own = idx.byAddr.get(address);
      if (own?.hasFormula) {
        problems.push({
          sheet: ref.name,
          cell: address,
          code: 'formula-cell',
          severity: 'error',
          message: `儲存格 ${address} 現在是公式，不能填入數值${where}`,
          suggestedCell: null,
        });
      }
      const merge = idx.merges.find((g) => rangeContains(g, p.row, p.col) && (g.top !== p.row || g.left !== p.col));
      if (merge) {
        problems.push({
          sheet: ref.name,
          cell: address,
          code: 'merged-cell',
          severity: 'error',
          message: `儲存格 ${address} 現在位於合併儲存格 ${merge.ref} 之中，填入的數值不會顯示${where}`,
          suggestedCell: null,
          after: merge.ref,
        });
      }
      if (!rowChanged && !colChanged && exp.styleId !== null && now.styleId !== null && exp.styleId !== now.styleId) {
        problems.push({
          sheet: ref.name,
          cell: address,
          code: 'style-changed',
          severity: 'warning',
          message: `儲存格 ${address} 的格式已變更（樣式編號 ${exp.styleId} → ${now.styleId}），請確認範本是否調整過${where}`,
          suggestedCell: null,
        });
      }
    }
    return problems;
  });
}
