/**
 * The core's one door to the file-reading layer (./read, written apart). Everything the pipeline needs from a
 * file goes through these five functions, so the reader can change without touching the pipeline.
 *
 * TEMPORARY stand-in until ./read lands: a minimal SheetJS reader with the same signatures (xlsx/ods/csv in
 * UTF-8, text cells, no merges or encodings). Replaced by re-exports from ./read.
 */
import * as XLSX from 'xlsx';
import type { SourceCell, SourceRow } from './types';

export type ReadErrorCode = 'ENCRYPTED' | 'CORRUPT' | 'TOO_LARGE' | 'UNSUPPORTED' | 'EMPTY';
export interface ReadError {
  code: ReadErrorCode;
  message: string;
}
export interface SourceSheet {
  name: string;
  hidden: boolean;
  rowCount: number;
  colCount: number;
}
export interface SourceBook {
  format: string;
  encoding?: string;
  encodingGuessed?: boolean;
  sheets: SourceSheet[];
}
export type ReadResult = { ok: true; book: SourceBook } | { ok: false; error: ReadError };
export interface SourceGrid {
  rows: SourceCell[][];
  merges: unknown[];
}
export interface HeaderColumn {
  col: string;
  header: string;
}

const books = new WeakMap<SourceBook, XLSX.WorkBook>();

export function colLetter(c: number): string {
  let s = '';
  for (let n = c + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

export function readWorkbook(bytes: Uint8Array, fileName: string, opts?: { encoding?: string }): ReadResult {
  void opts;
  if (bytes.length === 0) return { ok: false, error: { code: 'EMPTY', message: '檔案是空的' } };
  try {
    const wb = XLSX.read(bytes, { type: 'array', dense: true });
    const sheets = wb.SheetNames.map((name, i) => {
      const ws = wb.Sheets[name] as XLSX.WorkSheet;
      const ref = ws['!ref'];
      const range = ref ? XLSX.utils.decode_range(ref) : { e: { r: -1, c: -1 } };
      return { name, hidden: (wb.Workbook?.Sheets?.[i]?.Hidden ?? 0) !== 0, rowCount: range.e.r + 1, colCount: range.e.c + 1 };
    });
    const book: SourceBook = { format: /\.csv$/i.test(fileName) ? 'csv' : 'xlsx', sheets };
    books.set(book, wb);
    return { ok: true, book };
  } catch {
    return { ok: false, error: { code: 'CORRUPT', message: '檔案已損毀或不是試算表，無法讀取' } };
  }
}

export function sheetRows(book: SourceBook, name: string): SourceGrid {
  const wb = books.get(book);
  const ws = wb?.Sheets[name];
  if (!ws) throw new Error('sheetRows: unknown sheet');
  const meta = book.sheets.find((s) => s.name === name) as SourceSheet;
  const dense = (ws as unknown as { '!data'?: (XLSX.CellObject | undefined)[][] })['!data'] ?? [];
  const rows: SourceCell[][] = [];
  for (let r = 0; r < meta.rowCount; r++) {
    const row: SourceCell[] = [];
    for (let c = 0; c < meta.colCount; c++) {
      const cell = dense[r]?.[c];
      const out: SourceCell = { col: colLetter(c), text: cell ? String(cell.w ?? cell.v ?? '').trim() : '' };
      if (cell && typeof cell.v === 'number') out.number = cell.v;
      row.push(out);
    }
    rows.push(row);
  }
  return { rows, merges: [] };
}

export function detectHeaderRow(grid: SourceGrid): number {
  const i = grid.rows.findIndex((r) => r.filter((c) => c.text !== '').length >= 2);
  return i < 0 ? 1 : i + 1;
}

export function headerColumns(grid: SourceGrid, headerRow: number): HeaderColumn[] {
  return (grid.rows[headerRow - 1] ?? []).map((c) => ({ col: c.col, header: c.text === '' ? `（第 ${c.col} 欄）` : c.text }));
}

export function* dataRows(grid: SourceGrid, headerRow: number, columns: readonly HeaderColumn[], mapping: Readonly<Record<string, string>>): Generator<SourceRow> {
  void columns;
  const index = new Map(grid.rows[0]?.map((c, i) => [c.col, i]) ?? []);
  for (let r = headerRow; r < grid.rows.length; r++) {
    const row = grid.rows[r] as SourceCell[];
    if (row.every((c) => c.text === '')) continue;
    const cells: Record<string, SourceCell> = {};
    for (const [field, col] of Object.entries(mapping)) {
      const i = index.get(col);
      const cell = i === undefined ? undefined : row[i];
      if (cell) cells[field] = cell;
    }
    yield { line: r + 1, cells };
  }
}
