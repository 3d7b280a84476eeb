/**
 * The xlsx behind DataTable's 匯出 Excel, kept free of React and the DOM so the unit tests build the same
 * bytes on Node (tests/unit/table-export.test.ts). SheetJS is passed in: the component loads it with a
 * dynamic import, so the renderer's first screen does not carry it.
 *
 * What a user gets: a title row (list name, the filter in words, the day it was made, all in 民國), the
 * column headers as shown, then every row the table holds in its shown order. Dates are ROC text
 * (115/05/20), never Western years; national IDs are masked (A12****789) unless the caller may reveal them.
 */
import type * as XLSXNamespace from 'xlsx';
import { maskNationalId } from '../../main/contract/national-id';
import { formatRocDate, formatRocDateTime, isIsoDate } from '../../main/contract/roc-date';

export type XlsxModule = typeof XLSXNamespace;

/** How a column's values are written: dates become ROC text, IDs are masked, numbers stay numbers. */
export type ExportKind = 'text' | 'number' | 'date' | 'datetime' | 'nationalId';

export type CellValue = string | number | boolean | null | undefined;

export interface ExportColumn {
  header: string;
  kind?: ExportKind;
}

/** One filter as the screen shows it. `personal` values (typed search text) stay out of the audit log. */
export interface FilterWord {
  label: string;
  value: string;
  personal?: boolean;
}

export interface ExportSheet {
  /** The list's name: 我的個案. */
  listName: string;
  filters: FilterWord[];
  /** Today's date, ISO, Taipei (the page's clock). */
  today: string;
  columns: ExportColumn[];
  /** Raw values per row, in column order (before ROC / mask formatting). */
  rows: CellValue[][];
  /** True only when the user may see full national IDs (persons.revealId's roles) and the list holds them. */
  revealIds?: boolean;
}

export interface ExportProgress {
  done: number;
  total: number;
}

const FULL_ID = /^[A-Z][A-D1289]\d{8}$/;

/** `狀態：開案中，搜尋：王` — the filter in words; '' when nothing is filtered. */
export function filterWords(filters: FilterWord[], opts: { forAudit?: boolean } = {}): string {
  return filters
    .filter((f) => f.value.trim() !== '')
    .map((f) => `${f.label}：${opts.forAudit && f.personal ? '（已輸入）' : f.value}`)
    .join('，');
}

/** `我的個案 - 狀態：開案中 - 列印日期 115/05/20`. */
export function exportTitle(listName: string, filters: FilterWord[], today: string): string {
  return [listName, filterWords(filters), `列印日期 ${formatRocDate(today)}`].filter((p) => p !== '').join(' - ');
}

/** `我的個案-115年05月20日.xlsx`: the day in 民國, characters a file system refuses replaced. */
export function exportFileName(listName: string, today: string, ext = 'xlsx'): string {
  const [roc, mm, dd] = formatRocDate(today).split('/');
  const safe = listName.replace(/[\\/:*?"<>|\s]+/g, '_');
  return `${safe}-${roc}年${mm}月${dd}日.${ext}`;
}

/** The value a cell shows, ROC and masked: the same text the print sheet uses. */
export function exportCell(value: CellValue, kind: ExportKind = 'text', revealIds = false): string | number | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (kind === 'number') {
    const n = typeof value === 'number' ? value : Number(value);
    return Number.isFinite(n) ? n : String(value);
  }
  if (typeof value === 'number') return value;
  if (kind === 'date') return formatRocDate(value);
  if (kind === 'datetime') return formatRocDateTime(value);
  if (kind === 'nationalId') return revealIds ? value : maskNationalId(value);
  // Safety nets for text columns: a bare ISO date is still shown in 民國, a full ID is never written unmasked.
  if (isIsoDate(value)) return formatRocDate(value);
  if (!revealIds && FULL_ID.test(value)) return maskNationalId(value);
  return value;
}

/** Display width of a text, a CJK character counting two. */
function widthOf(v: string | number | null): number {
  if (v === null) return 0;
  let w = 0;
  for (const ch of String(v)) w += /[\u2e80-\uffff]/.test(ch) ? 2 : 1;
  return w;
}

const CHUNK = 500;
const pause = () => new Promise<void>((r) => setTimeout(r, 0));

/** Excel refuses sheet names over 31 characters or with []:*?/\ in them. */
export function sheetName(listName: string): string {
  return listName.replace(/[[\]:*?/\\]/g, '_').slice(0, 31) || '清單';
}

/**
 * Builds the workbook in chunks of 500 rows with a pause between them, so the screen can paint the
 * progress; returns the xlsx bytes.
 */
export async function buildXlsx(XLSX: XlsxModule, sheet: ExportSheet, onProgress?: (p: ExportProgress) => void): Promise<Uint8Array> {
  const total = sheet.rows.length;
  const kinds = sheet.columns.map((c) => c.kind ?? 'text');
  const widths = sheet.columns.map((c) => widthOf(c.header));
  const title = exportTitle(sheet.listName, sheet.filters, sheet.today);
  const ws = XLSX.utils.aoa_to_sheet([[title], sheet.columns.map((c) => c.header)]);
  onProgress?.({ done: 0, total });
  for (let start = 0; start < total; start += CHUNK) {
    const chunk = sheet.rows.slice(start, start + CHUNK).map((row) =>
      kinds.map((kind, i) => {
        const v = exportCell(row[i], kind, sheet.revealIds);
        widths[i] = Math.max(widths[i] ?? 0, widthOf(v));
        return v;
      }),
    );
    XLSX.utils.sheet_add_aoa(ws, chunk, { origin: -1 });
    onProgress?.({ done: Math.min(start + CHUNK, total), total });
    if (start + CHUNK < total) await pause();
  }
  // Every cell is a value, never a formula: a text starting with '=' stays text.
  ws['!merges'] = sheet.columns.length > 1 ? [{ s: { r: 0, c: 0 }, e: { r: 0, c: sheet.columns.length - 1 } }] : [];
  ws['!cols'] = widths.map((w) => ({ wch: Math.min(Math.max(w + 2, 6), 60) }));
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, ws, sheetName(sheet.listName));
  wb.Props = { Title: title };
  await pause();
  const out = XLSX.write(wb, { type: 'array', bookType: 'xlsx', compression: true }) as ArrayBuffer;
  return new Uint8Array(out);
}
