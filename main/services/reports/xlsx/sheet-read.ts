/** Reads shared strings and worksheet XML into the import-screen model. */
import { encodeCell, makeRange, parseCellRef, parseRange, inGrid, rangeInGrid, type CellRange } from './cellref';
import { fileErrors } from './errors';
import { formatExcelDate, formatGeneral, formatNumber } from './format';
import type { StyleTable } from './styles';
import { TOK_CLOSE, TOK_END, TOK_OPEN, XmlScanner, decodeOoxmlEscapes } from './xml';

export type CellType = 'string' | 'number' | 'boolean' | 'date' | 'error' | 'empty';

export interface CellModel {
  /** A1 address, e.g. `B10`. */
  address: string;
  row: number;
  col: number;
  type: CellType;
  /**
   * The stored value: text for strings/errors, the number for numbers, true/false for booleans, the
   * serial number for dates (or the ISO text for `t="d"` cells), null for empty cells.
   */
  value: string | number | boolean | null;
  /** Value as displayed text (best effort; dates as `YYYY-MM-DD`). */
  text: string;
  hasFormula: boolean;
  /** Formula text without `=`, when the cell holds its own formula text (shared-formula children: null). */
  formula: string | null;
  /** Index into `WorkbookModel.styles`. */
  styleId: number;
}

export interface ColumnInfo {
  /** First and last column (1-based) this entry applies to. */
  min: number;
  max: number;
  /** Width in Excel character units, when set. */
  width: number | null;
  hidden: boolean;
}

export interface RowInfo {
  row: number;
  /** Height in points, when set. */
  height: number | null;
  hidden: boolean;
}

export interface FrozenPane {
  /** Number of frozen rows at the top. */
  rows: number;
  /** Number of frozen columns at the left. */
  cols: number;
  topLeftCell: string | null;
}

export interface SheetContent {
  dimension: string | null;
  usedRange: string | null;
  cells: CellModel[];
  merges: CellRange[];
  columns: ColumnInfo[];
  rows: RowInfo[];
  defaultColumnWidth: number | null;
  defaultRowHeight: number | null;
  frozenPane: FrozenPane | null;
}

/** Collects the text of an `<si>` or `<is>` element: plain `<t>` or rich-text runs, skipping phonetic runs. */
export function readRichText(sc: XmlScanner): string {
  if (sc.selfClosing) return '';
  const target = sc.depth - 1;
  let out = '';
  while (sc.depth > target) {
    const t = sc.next();
    if (t === TOK_END) break;
    if (t === TOK_OPEN) {
      if (sc.local === 'rPh' || sc.local === 'phoneticPr') sc.skipElement();
      else if (sc.local === 't') out += sc.readElementText();
    }
  }
  return decodeOoxmlEscapes(out);
}

export function parseSharedStrings(xml: string): string[] {
  const sc = new XmlScanner(xml);
  const out: string[] = [];
  for (let t = sc.next(); t !== TOK_END; t = sc.next()) {
    if (t === TOK_OPEN && sc.local === 'si') out.push(readRichText(sc));
  }
  return out;
}

export interface CellBudget {
  remaining: number;
  limit: number;
}

export interface ReadSheetOptions {
  sheetName: string;
  /** Zip path of the sheet part (for error messages). */
  part: string;
  sharedStrings: readonly string[];
  styles: StyleTable;
  date1904: boolean;
  budget: CellBudget;
  /** Keep cells that have no value (styled blanks). Default true. */
  keepEmpty: boolean;
}

function num(v: string | null): number | null {
  if (v === null || v.trim() === '') return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}

function flag(v: string | null): boolean {
  return v === '1' || v === 'true';
}

export function readSheetXml(xml: string, opts: ReadSheetOptions): SheetContent {
  const sc = new XmlScanner(xml);
  const cells: CellModel[] = [];
  const merges: CellRange[] = [];
  const columns: ColumnInfo[] = [];
  const rows: RowInfo[] = [];
  let dimension: string | null = null;
  let defaultColumnWidth: number | null = null;
  let defaultRowHeight: number | null = null;
  let frozenPane: FrozenPane | null = null;
  let sheetViewCount = 0;
  let inSheetData = false;

  let rowNum = 0;
  let lastCol = 0;
  let minR = Infinity;
  let minC = Infinity;
  let maxR = 0;
  let maxC = 0;

  // Current cell.
  let cRow = 0;
  let cCol = 0;
  let cType = '';
  let cStyle = 0;
  let cV: string | null = null;
  let cInline: string | null = null;
  let cHasF = false;
  let cF: string | null = null;

  const hints = opts.styles.hints;
  const finishCell = (): void => {
    const style = hints[cStyle] ?? hints[0];
    let type: CellType = 'empty';
    let value: string | number | boolean | null = null;
    let text = '';
    switch (cType) {
      case 's': {
        const idx = cV !== null ? Number(cV.trim()) : NaN;
        const s = Number.isInteger(idx) ? opts.sharedStrings[idx] : undefined;
        if (s !== undefined) {
          type = 'string';
          value = s;
          text = s;
        }
        break;
      }
      case 'inlineStr':
        if (cInline !== null) {
          type = 'string';
          value = cInline;
          text = cInline;
        } else if (cV !== null) {
          type = 'string';
          value = cV;
          text = cV;
        }
        break;
      case 'str':
        if (cV !== null) {
          type = 'string';
          value = decodeOoxmlEscapes(cV);
          text = value;
        }
        break;
      case 'b':
        if (cV !== null) {
          type = 'boolean';
          value = cV.trim() === '1' || cV.trim().toLowerCase() === 'true';
          text = value ? 'TRUE' : 'FALSE';
        }
        break;
      case 'e':
        if (cV !== null) {
          type = 'error';
          value = cV;
          text = cV;
        }
        break;
      case 'd':
        if (cV !== null) {
          type = 'date';
          value = cV;
          text = cV.replace('T', ' ').replace(/(\.\d+)?Z?$/, '');
        }
        break;
      default: {
        if (cV !== null && cV.trim() !== '') {
          const n = Number(cV);
          if (Number.isFinite(n)) {
            value = n;
            if (style?.isDate) {
              type = 'date';
              text = formatExcelDate(n, opts.date1904, style.numFmt);
            } else {
              type = 'number';
              text = style ? formatNumber(n, style.numFmt) : formatGeneral(n);
            }
          } else {
            type = 'string';
            value = cV;
            text = cV;
          }
        }
      }
    }
    if (type === 'empty' && !cHasF && !opts.keepEmpty) return;
    if (cRow < minR) minR = cRow;
    if (cRow > maxR) maxR = cRow;
    if (cCol < minC) minC = cCol;
    if (cCol > maxC) maxC = cCol;
    cells.push({
      address: encodeCell(cRow, cCol),
      row: cRow,
      col: cCol,
      type,
      value,
      text,
      hasFormula: cHasF,
      formula: cF,
      styleId: hints[cStyle] ? cStyle : 0,
    });
  };

  for (let t = sc.next(); t !== TOK_END; t = sc.next()) {
    if (t === TOK_OPEN) {
      const l = sc.local;
      if (inSheetData) {
        if (l === 'row') {
          const r = sc.attr('r');
          const rn = r !== null && /^\d+$/.test(r.trim()) ? Number(r.trim()) : rowNum + 1;
          if (rn < 1 || rn > 1_048_576) throw fileErrors.absurdDimension(opts.sheetName, `row ${r ?? rn}`);
          rowNum = rn;
          lastCol = 0;
          const ht = num(sc.attr('ht'));
          const hidden = flag(sc.attr('hidden'));
          if (ht !== null || hidden) {
            rows.push({ row: rn, height: ht, hidden });
          }
        } else if (l === 'c') {
          if (--opts.budget.remaining < 0) throw fileErrors.tooManyCells(opts.sheetName, opts.budget.limit);
          const r = sc.attr('r');
          if (r !== null) {
            const p = parseCellRef(r.trim());
            if (!p) throw fileErrors.corruptXml(opts.part, `bad cell reference ${r}`);
            if (!inGrid(p)) throw fileErrors.absurdDimension(opts.sheetName, r);
            cRow = p.row;
            cCol = p.col;
            if (rowNum === 0) rowNum = p.row;
          } else {
            cRow = rowNum || 1;
            cCol = lastCol + 1;
            if (cCol > 16_384) throw fileErrors.absurdDimension(opts.sheetName, `column ${cCol}`);
          }
          lastCol = cCol;
          cType = sc.attr('t') ?? 'n';
          const s = sc.attr('s');
          cStyle = s !== null && /^\d+$/.test(s) ? Number(s) : 0;
          cV = null;
          cInline = null;
          cHasF = false;
          cF = null;
          if (sc.selfClosing) finishCell();
        } else if (l === 'v') {
          cV = sc.readElementText();
        } else if (l === 'f') {
          cHasF = true;
          const f = sc.readElementText();
          cF = f === '' ? null : f;
        } else if (l === 'is') {
          cInline = readRichText(sc);
        }
        continue;
      }
      switch (l) {
        case 'sheetData':
          inSheetData = !sc.selfClosing;
          break;
        case 'dimension':
          dimension = sc.attr('ref');
          break;
        case 'sheetView':
          sheetViewCount++;
          break;
        case 'pane':
          if (sheetViewCount === 1 && frozenPane === null) {
            const state = sc.attr('state');
            if (state === 'frozen' || state === 'frozenSplit') {
              const xs = num(sc.attr('xSplit')) ?? 0;
              const ys = num(sc.attr('ySplit')) ?? 0;
              frozenPane = { rows: Math.max(0, Math.round(ys)), cols: Math.max(0, Math.round(xs)), topLeftCell: sc.attr('topLeftCell') };
            }
          }
          break;
        case 'sheetFormatPr':
          defaultRowHeight = num(sc.attr('defaultRowHeight'));
          defaultColumnWidth = num(sc.attr('defaultColWidth'));
          if (defaultColumnWidth === null) {
            const base = num(sc.attr('baseColWidth'));
            if (base !== null) defaultColumnWidth = base + 0.71;
          }
          break;
        case 'col': {
          const min = num(sc.attr('min'));
          const max = num(sc.attr('max'));
          if (min !== null && max !== null && min >= 1 && max >= min) {
            columns.push({ min, max: Math.min(max, 16_384), width: num(sc.attr('width')), hidden: flag(sc.attr('hidden')) });
          }
          break;
        }
        case 'mergeCell': {
          const ref = sc.attr('ref');
          const rg = ref !== null ? parseRange(ref.trim()) : null;
          if (rg) {
            if (!rangeInGrid(rg)) throw fileErrors.absurdDimension(opts.sheetName, rg.ref);
            merges.push(rg);
          }
          break;
        }
        default:
          break;
      }
    } else if (t === TOK_CLOSE) {
      if (inSheetData) {
        if (sc.local === 'c') finishCell();
        else if (sc.local === 'sheetData') inSheetData = false;
      }
    }
  }

  if (dimension !== null) {
    const d = parseRange(dimension.trim());
    if (d && !rangeInGrid(d)) throw fileErrors.absurdDimension(opts.sheetName, dimension);
  }
  for (const m of merges) {
    if (m.top < minR) minR = m.top;
    if (m.left < minC) minC = m.left;
    if (m.bottom > maxR) maxR = m.bottom;
    if (m.right > maxC) maxC = m.right;
  }
  const usedRange = maxR > 0 ? makeRange(minR, minC, maxR, maxC).ref : null;
  return { dimension, usedRange, cells, merges, columns, rows, defaultColumnWidth, defaultRowHeight, frozenPane };
}
