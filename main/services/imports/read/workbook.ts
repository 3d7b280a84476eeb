/**
 * readWorkbook: bytes of an uploaded file → a SourceBook (or a typed, zh-TW refusal), and sheetRows: one
 * sheet → a dense grid of normalised SourceCells. Never throws for a bad file.
 *
 * xlsx/xlsm, xls (BIFF2-8, also HTML/SpreadsheetML "xls" exports) and ods go through SheetJS with options
 * that bound work (dense sheets, no styles/HTML/formulas/VBA); csv/tsv/txt is decoded and parsed here.
 */
import type * as XLSX from 'xlsx';
import { sheetJs } from '../../../lib/sheet-libraries';
import { readOleDirectory } from '../../reports/xlsx/sniff';
import type { SourceCell } from '../types';
import { odsHiddenSheets } from './ods';
import { colLetter, emptyCell, foldText, formatHasDate, isBlank, serialToIso } from './normalize';
import { decodeText, parseDelimited, sniffDelimiter } from './text';
import type { MergeRange, ReadError, ReadOptions, ReadResult, SourceBook, SourceFormat, SourceGrid, SourceSheet, TextEncodingName } from './types';



/** Largest file we read (bytes). */
export const MAX_FILE_BYTES = 20 * 1024 * 1024;
const MAX_FILE_MB = MAX_FILE_BYTES / 1024 / 1024;

/** Largest total of a zip's (xlsx/ods) uncompressed parts we let SheetJS inflate: a bound on a zip bomb. */
export const MAX_UNZIPPED_BYTES = 500 * 1024 * 1024;

export const readErrors = {
  encrypted: (): ReadError => ({
    code: 'ENCRYPTED',
    message: '檔案有密碼保護（加密），無法讀取。請在 Excel 移除密碼（檔案 → 資訊 → 保護活頁簿 → 以密碼加密，清除密碼）後，另存新檔為 .xlsx 再匯入',
  }),
  corrupt: (): ReadError => ({ code: 'CORRUPT', message: '檔案已損壞或不完整，無法讀取。請用 Excel 開啟確認內容無誤後「另存新檔」為 .xlsx，再重新匯入' }),
  textNotSheet: (): ReadError => ({ code: 'CORRUPT', message: '檔案內容只是一段文字，不是試算表（可能下載不完整）。請重新取得原始檔案後再匯入' }),
  tooLarge: (bytes: number): ReadError => ({
    code: 'TOO_LARGE',
    message: `檔案大小 ${(bytes / 1024 / 1024).toFixed(1)} MB，超過 ${MAX_FILE_MB} MB 的上限。請刪除不需要的工作表或分成數個檔案後再匯入`,
  }),
  tooLargeUnzipped: (): ReadError => ({
    code: 'TOO_LARGE',
    message: `檔案內容解壓縮後超過 ${MAX_UNZIPPED_BYTES / 1024 / 1024} MB，超過可讀取的上限。請刪除不需要的工作表、格式或圖片，或分成數個檔案後再匯入`,
  }),
  unsupported: (what?: string): ReadError => ({
    code: 'UNSUPPORTED',
    message: `${what ? `這是${what}，` : '無法辨識的檔案格式，'}不是試算表。請另存為 Excel 活頁簿（.xlsx）、.xls、.ods 或 CSV 後再匯入`,
  }),
  empty: (): ReadError => ({ code: 'EMPTY', message: '檔案中沒有任何資料（所有工作表都是空的）。請確認選對了檔案' }),
};

/** How a sheet's cells are kept until sheetRows asks for them. */
type SheetSource =
  | { kind: 'sheetjs'; data: (XLSX.CellObject | null | undefined)[][]; merges: MergeRange[]; date1904: boolean }
  | { kind: 'text'; data: string[][] }
  | { kind: 'grid'; grid: SourceGrid };

interface BookState {
  sources: Map<string, SheetSource>;
  sheets: Map<string, SourceSheet>;
}

const state = new WeakMap<SourceBook, BookState>();

function startsWith(b: Uint8Array, sig: readonly number[]): boolean {
  if (b.length < sig.length) return false;
  for (let i = 0; i < sig.length; i++) if (b[i] !== sig[i]) return false;
  return true;
}

function asciiIncludes(b: Uint8Array, needle: string, limit = b.length): boolean {
  const n = needle.length;
  const first = needle.charCodeAt(0);
  const end = Math.min(b.length, limit) - n;
  outer: for (let i = 0; i <= end; i++) {
    if (b[i] !== first) continue;
    for (let k = 1; k < n; k++) if (b[i + k] !== needle.charCodeAt(k)) continue outer;
    return true;
  }
  return false;
}

/** No control characters other than tab/CR/LF/FF/EOF in the first 4 KB: text (any 8-bit encoding, so Big5 too). */
function looksLikeText(b: Uint8Array): boolean {
  const n = Math.min(b.length, 4096);
  for (let i = 0; i < n; i++) {
    const c = b[i] as number;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12 && c !== 26) return false;
  }
  return true;
}

function u16(b: Uint8Array, o: number): number {
  return (b[o] ?? 0) | ((b[o + 1] ?? 0) << 8);
}

function u32(b: Uint8Array, o: number): number {
  return u16(b, o) + u16(b, o + 2) * 0x10000;
}

/**
 * The sum of the uncompressed sizes in a zip's central directory (Infinity for zip64 sizes), or null when
 * the directory cannot be found or walked (SheetJS then decides whether the file is readable).
 */
export function zipUncompressedTotal(b: Uint8Array): number | null {
  const minEocd = 22;
  if (b.length < minEocd) return null;
  let eocd = -1;
  for (let i = b.length - minEocd; i >= Math.max(0, b.length - minEocd - 0xffff); i--) {
    if (b[i] === 0x50 && b[i + 1] === 0x4b && b[i + 2] === 0x05 && b[i + 3] === 0x06) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const entries = u16(b, eocd + 10);
  let p = u32(b, eocd + 16);
  let total = 0;
  for (let k = 0; k < entries; k++) {
    if (p + 46 > b.length || u32(b, p) !== 0x02014b50) return null;
    const size = u32(b, p + 24);
    if (size === 0xffffffff) return Infinity;
    total += size;
    p += 46 + u16(b, p + 28) + u16(b, p + 30) + u16(b, p + 32);
  }
  return total;
}

type Sniffed = { kind: 'sheetjs'; format: SourceFormat } | { kind: 'markup'; format: SourceFormat; charset: TextEncodingName | undefined } | { kind: 'text' } | { kind: 'refuse'; error: ReadError };

/** The charset an HTML/XML file declares (meta charset, http-equiv, XML declaration), when it is one we decode. */
function declaredCharset(head: string): TextEncodingName | undefined {
  const m = /(?:charset|encoding)\s*=\s*["']?([\w-]+)/.exec(head);
  const name = m?.[1]?.toLowerCase();
  if (!name) return undefined;
  if (name === 'utf-8' || name === 'utf8') return 'utf-8';
  if (name === 'big5' || name === 'big5-hkscs' || name === 'cp950' || name === 'x-x-big5' || name === 'ms950') return 'big5';
  return undefined;
}

const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function sniff(b: Uint8Array, fileName: string): Sniffed {
  const ext = (/\.([a-z0-9]+)$/i.exec(fileName)?.[1] ?? '').toLowerCase();
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04]) || startsWith(b, [0x50, 0x4b, 0x05, 0x06])) {
    const unzipped = zipUncompressedTotal(b);
    if (unzipped !== null && unzipped > MAX_UNZIPPED_BYTES) return { kind: 'refuse', error: readErrors.tooLargeUnzipped() };
    if (asciiIncludes(b, 'application/vnd.oasis.opendocument.spreadsheet', 200)) return { kind: 'sheetjs', format: 'ods' };
    if (asciiIncludes(b, 'application/vnd.oasis.opendocument', 200)) return { kind: 'refuse', error: readErrors.unsupported(' OpenDocument 文件或簡報') };
    if (!asciiIncludes(b, 'xl/') && !asciiIncludes(b, 'xl\\')) {
      if (asciiIncludes(b, 'word/')) return { kind: 'refuse', error: readErrors.unsupported(' Word 文件') };
      if (asciiIncludes(b, 'ppt/')) return { kind: 'refuse', error: readErrors.unsupported(' PowerPoint 簡報') };
    }
    return { kind: 'sheetjs', format: 'xlsx' };
  }
  if (startsWith(b, OLE_MAGIC)) {
    const names = new Set(readOleDirectory(b).names.map((n) => n.toLowerCase()));
    if (names.has('encryptedpackage') || names.has('encryptioninfo')) return { kind: 'refuse', error: readErrors.encrypted() };
    if (names.has('worddocument')) return { kind: 'refuse', error: readErrors.unsupported(' Word 文件') };
    if (names.has('powerpoint document')) return { kind: 'refuse', error: readErrors.unsupported(' PowerPoint 簡報') };
    return { kind: 'sheetjs', format: 'xls' };
  }
  // Raw BIFF2-BIFF4 (not in an OLE container): BOF record 0x0009/0x0209/0x0409/0x0809.
  if (b.length >= 4 && (b[0] === 0x09 || b[0] === 0x08) && [0x00, 0x02, 0x04, 0x08].includes(b[1] as number)) {
    return { kind: 'sheetjs', format: 'xls' };
  }
  if (startsWith(b, [0x25, 0x50, 0x44, 0x46])) return { kind: 'refuse', error: readErrors.unsupported(' PDF 檔') };
  if (startsWith(b, [0xff, 0xfe]) || startsWith(b, [0xfe, 0xff])) return { kind: 'text' };
  if (!looksLikeText(b)) return { kind: 'refuse', error: readErrors.unsupported() };
  const head = new TextDecoder('utf-8').decode(b.subarray(0, Math.min(b.length, 4096))).replace(/^\uFEFF/, '').trimStart().toLowerCase();
  if (head.startsWith('<?xml') || head.startsWith('<!doctype html') || head.startsWith('<html') || /^<(table|meta|head|body)\b/.test(head)) {
    // HTML tables and SpreadsheetML saved as .xls (government systems export these), flat ODS: text that
    // SheetJS parses once we have decoded it (SheetJS itself would read Big5 bytes as Latin-1).
    const charset = declaredCharset(head);
    if (head.includes('opendocument')) return { kind: 'markup', format: 'ods', charset };
    return { kind: 'markup', format: 'xls', charset };
  }
  if (ext === 'csv' || ext === 'tsv' || ext === 'txt' || ext === 'tab') return { kind: 'text' };
  const firstLine = head.split(/\r?\n|\r/, 1)[0] ?? '';
  if (firstLine.includes(',') || firstLine.includes('\t') || firstLine.includes(';')) return { kind: 'text' };
  // A plain sentence saved under a spreadsheet's name (e.g. a mail gateway's "attachment not found").
  if (ext === 'xls' || ext === 'xlsx' || ext === 'xlsm' || ext === 'ods') return { kind: 'refuse', error: readErrors.textNotSheet() };
  return { kind: 'text' };
}

function isEmptyRaw(cell: XLSX.CellObject | null | undefined): boolean {
  if (!cell || cell.t === 'z') return true;
  const v = cell.v;
  if (v === undefined || v === null) return true;
  if (typeof v === 'string') return isBlank(v);
  return false;
}

function extentOf<T>(data: readonly (readonly T[] | null | undefined)[], isEmpty: (cell: T) => boolean): { rows: number; cols: number } {
  let rows = 0;
  let cols = 0;
  for (let r = 0; r < data.length; r++) {
    const row = data[r];
    if (!row) continue;
    for (let c = row.length - 1; c >= 0; c--) {
      if (!isEmpty(row[c] as T)) {
        rows = r + 1;
        if (c + 1 > cols) cols = c + 1;
        break;
      }
    }
  }
  return { rows, cols };
}

/** Excel's error codes as the sheet shows them. */
const ERROR_TEXT: Readonly<Record<number, string>> = {
  0x00: '#NULL!',
  0x07: '#DIV/0!',
  0x0f: '#VALUE!',
  0x17: '#REF!',
  0x1d: '#NAME?',
  0x24: '#NUM!',
  0x2a: '#N/A',
  0x2b: '#GETTING_DATA',
};

/**
 * A number as the sheet shows it: its number format applied (so a date shows as a date and 0012345 keeps
 * its zeros); integers in General format directly (the common case, and the cheap one).
 */
function numberText(v: number, z: XLSX.NumberFormat | undefined, date1904: boolean): string {
  if ((z === undefined || z === 'General' || z === 0) && Number.isInteger(v)) return String(v);
  try {
    return sheetJs().SSF.format(z ?? 'General', v, { date1904 });
  } catch {
    return String(v);
  }
}

/**
 * SheetJS gives the FIRST cell of a file with an East Asian built-in date format id (27-31, 36, 50-58) no
 * `z` (it loads the format while formatting that very cell), but formats its text with the implicit
 * 'm/d/yy'. General-format numbers never look like that, so such text marks a date cell.
 */
function isImplicitDateText(w: string | undefined): boolean {
  return w !== undefined && /^\d{1,2}\/\d{1,2}\/\d{2}$/.test(w);
}

function fromSheetJsCell(cell: XLSX.CellObject | null | undefined, c: number, date1904: boolean): SourceCell {
  if (isEmptyRaw(cell) || !cell) return emptyCell(c);
  const col = colLetter(c);
  const v = cell.v;
  switch (cell.t) {
    case 'n': {
      const num = v as number;
      const out: SourceCell = { col, text: foldText(cell.w ?? numberText(num, cell.z, date1904)), number: num };
      if ((typeof cell.z === 'string' && formatHasDate(cell.z)) || (cell.z === undefined && isImplicitDateText(cell.w))) {
        const iso = serialToIso(num, date1904);
        if (iso) out.date = iso;
      }
      return out;
    }
    case 'd': {
      const d = v instanceof Date ? v : new Date(String(v));
      const iso = Number.isNaN(d.getTime()) ? undefined : d.toISOString().slice(0, 10);
      const out: SourceCell = { col, text: foldText(cell.w ?? iso ?? String(v)) };
      if (iso) out.date = iso;
      return out;
    }
    case 'b':
      return { col, text: foldText(cell.w ?? (v ? 'TRUE' : 'FALSE')) };
    case 'e':
      return { col, text: cell.w ?? ERROR_TEXT[v as number] ?? '#N/A' };
    default:
      return { col, text: foldText(typeof v === 'string' ? v : (cell.w ?? String(v))) };
  }
}

function fromText(field: string | undefined, c: number): SourceCell {
  if (field === undefined || field === '') return emptyCell(c);
  const text = foldText(field);
  return text === '' ? emptyCell(c) : { col: colLetter(c), text };
}

function buildGrid(source: SheetSource, sheet: SourceSheet): SourceGrid {
  if (source.kind === 'grid') return source.grid;
  const { rowCount, colCount } = sheet;
  const rows: SourceCell[][] = new Array<SourceCell[]>(rowCount);
  for (let r = 0; r < rowCount; r++) {
    const raw = source.data[r];
    const out = new Array<SourceCell>(colCount);
    for (let c = 0; c < colCount; c++) {
      out[c] = source.kind === 'sheetjs' ? fromSheetJsCell(raw?.[c] as XLSX.CellObject | undefined, c, source.date1904) : fromText((raw as string[] | undefined)?.[c], c);
    }
    rows[r] = out;
  }
  const merges = source.kind === 'sheetjs' ? source.merges : [];
  return { rows, merges };
}

function clipMerges(raw: XLSX.Range[] | undefined, rows: number, cols: number): MergeRange[] {
  const out: MergeRange[] = [];
  for (const m of raw ?? []) {
    if (m.s.r >= rows || m.s.c >= cols) continue;
    if (m.e.r === m.s.r && m.e.c === m.s.c) continue;
    out.push({ s: { r: m.s.r, c: m.s.c }, e: { r: Math.min(m.e.r, rows - 1), c: Math.min(m.e.c, cols - 1) } });
  }
  return out;
}

/** The error SheetJS threw, mapped to a refusal. */
function mapSheetJsError(e: unknown, bytes: Uint8Array, format: SourceFormat): ReadError {
  const msg = e instanceof Error ? e.message : String(e);
  if (/password|encrypt/i.test(msg)) return readErrors.encrypted();
  // A zip that names no workbook part at all is some other zip; one that does is a damaged workbook.
  if (format === 'xlsx' && !asciiIncludes(bytes, 'xl/') && !asciiIncludes(bytes, 'xl\\') && !asciiIncludes(bytes, '[Content_Types].xml')) {
    return readErrors.unsupported(' zip 壓縮檔');
  }
  return readErrors.corrupt();
}

function readWithSheetJs(bytes: Uint8Array, format: SourceFormat, text?: string): ReadResult {
  let wb: XLSX.WorkBook;
  try {
    // 'buffer' over the same memory: SheetJS's 'array' path copies and is several times slower on BIFF.
    wb = sheetJs().read(text ?? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), {
      type: text === undefined ? 'buffer' : 'string',
      dense: true,
      cellStyles: false,
      cellHTML: false,
      cellFormula: false,
      cellNF: true,
      cellDates: false,
      // Needed although it costs time: SheetJS loads the implicit formats of the East Asian built-in date
      // ids (27-36, 50-58, used by Taiwanese Excel) only while formatting text; without it those dates get no `z`.
      cellText: true,
      bookVBA: false,
      bookDeps: false,
      bookFiles: false,
      sheetStubs: false,
      WTF: false,
    });
  } catch (e) {
    return { ok: false, error: mapSheetJsError(e, bytes, format) };
  }
  if (format === 'xlsx' && wb.bookType === 'ods') format = 'ods';
  const date1904 = Boolean(wb.Workbook?.WBProps?.date1904);
  const odsHidden = format === 'ods' && text === undefined ? odsHiddenSheets(bytes) : null;
  const book: SourceBook = { format, sheets: [] };
  const st: BookState = { sources: new Map(), sheets: new Map() };
  wb.SheetNames.forEach((name, i) => {
    const ws = wb.Sheets[name] as (XLSX.WorkSheet & { '!data'?: (XLSX.CellObject | null | undefined)[][] }) | undefined;
    const data = Array.isArray(ws?.['!data']) ? ws['!data'] : [];
    const { rows, cols } = extentOf(data, isEmptyRaw);
    const sheet: SourceSheet = { name, hidden: Boolean(wb.Workbook?.Sheets?.[i]?.Hidden) || odsHidden?.has(name) === true, rowCount: rows, colCount: cols };
    if (st.sheets.has(name)) return; // SheetJS never yields duplicate names; guard anyway
    book.sheets.push(sheet);
    st.sheets.set(name, sheet);
    st.sources.set(name, { kind: 'sheetjs', data, merges: clipMerges(ws?.['!merges'], rows, cols), date1904 });
  });
  return finish(book, st);
}

function readText(bytes: Uint8Array, fileName: string, opts: ReadOptions | undefined): ReadResult {
  const decoded = decodeText(bytes, opts?.encoding);
  const text = decoded.text.replace(/^\uFEFF/, '');
  const rows = parseDelimited(text, sniffDelimiter(text));
  const { rows: rowCount, cols: colCount } = extentOf<string>(rows, (f) => f === undefined || isBlank(f));
  const name = fileName.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '') || 'CSV';
  const sheet: SourceSheet = { name, hidden: false, rowCount, colCount };
  const book: SourceBook = { format: 'csv', sheets: [sheet] };
  if (decoded.encoding) {
    book.encoding = decoded.encoding;
    book.encodingGuessed = decoded.guessed;
  }
  if (decoded.replaced > 0) {
    book.warnings = [
      `檔案中有 ${decoded.replaced} 個字無法正確顯示（可能是自造字，或檔案的文字編碼不是${decoded.encoding === 'big5' ? ' Big5' : ' UTF-8'}）。` +
        '請核對這些列的姓名與地址，或改選其他編碼後再讀取',
    ];
  }
  const st: BookState = { sources: new Map([[name, { kind: 'text', data: rows }]]), sheets: new Map([[name, sheet]]) };
  return finish(book, st);
}

function finish(book: SourceBook, st: BookState): ReadResult {
  if (!book.sheets.some((s) => s.rowCount > 0)) return { ok: false, error: readErrors.empty() };
  state.set(book, st);
  return { ok: true, book };
}

/**
 * Reads an uploaded file. The format comes from the content (a .csv that is really an xlsx reads as xlsx);
 * the name only helps with text files. CSV: a BOM decides the encoding, else `opts.encoding`, else UTF-8
 * when the bytes are valid UTF-8 and Big5 (CP950) when not. Refusals come back as `{ ok: false, error }`.
 */
export function readWorkbook(bytes: Uint8Array, fileName: string, opts?: ReadOptions): ReadResult {
  try {
    if (bytes.length > MAX_FILE_BYTES) return { ok: false, error: readErrors.tooLarge(bytes.length) };
    if (bytes.length === 0) return { ok: false, error: readErrors.empty() };
    const s = sniff(bytes, fileName);
    if (s.kind === 'refuse') return { ok: false, error: s.error };
    if (s.kind === 'text') return readText(bytes, fileName, opts);
    if (s.kind === 'markup') {
      const decoded = decodeText(bytes, opts?.encoding ?? s.charset);
      const r = readWithSheetJs(bytes, s.format, decoded.text.replace(/^\uFEFF/, ''));
      if (r.ok && decoded.encoding) {
        r.book.encoding = decoded.encoding;
        r.book.encodingGuessed = opts?.encoding === undefined && s.charset === undefined;
      }
      return r;
    }
    return readWithSheetJs(bytes, s.format);
  } catch {
    return { ok: false, error: readErrors.corrupt() };
  }
}

/**
 * One sheet of a book from readWorkbook as a dense grid (built on first use, then cached; the raw sheet is
 * released). Throws only for a programming error: a book not from readWorkbook or an unknown sheet name.
 */
export function sheetRows(book: SourceBook, sheetName: string): SourceGrid {
  const st = state.get(book);
  const source = st?.sources.get(sheetName);
  const sheet = st?.sheets.get(sheetName);
  if (!st || !source || !sheet) throw new Error(`sheetRows: no sheet ${JSON.stringify(sheetName)} in this book`);
  if (source.kind === 'grid') return source.grid;
  const grid = buildGrid(source, sheet);
  st.sources.set(sheetName, { kind: 'grid', grid });
  return grid;
}
