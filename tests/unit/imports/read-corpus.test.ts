/**
 * Every file of the shared corpus (spreadsheets written by other people, some broken or encrypted on
 * purpose, and the Taiwanese reference lists) either reads into at least one sheet with data or is
 * refused with a typed error and a zh-TW message, each within 2 s; the known cases get the right result.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sheetJs } from '../../../main/lib/sheet-libraries';
import { dataRows, detectHeaderRow, headerColumns, readWorkbook, sheetRows, type ReadResult } from '../../../main/services/imports/read';

const CORPUS = new URL('../../../../shared/corpus/', import.meta.url);
const SHEETS = fileURLToPath(new URL('spreadsheets/', CORPUS));
const TW = fileURLToPath(new URL('tw/', CORPUS));
const files = readdirSync(SHEETS).sort();

/** Generous: the bound is 2 s per file; the machine is shared with other test runs. */
const LIMIT_MS = 2000;

const HAN = /[\u3400-\u9fff]/;

interface Timed {
  result: ReadResult;
  /** Reading the file plus building the grid of every sheet and finding its header. */
  ms: number;
}

const times: { file: string; ms: number; outcome: string }[] = [];

// SheetJS is loaded on first use (main/lib/sheet-libraries.ts): load it before the clock runs, so the bound measures reading a file.
beforeAll(() => {
  sheetJs();
});

function readFully(dir: string, file: string): Timed {
  const bytes = new Uint8Array(readFileSync(dir + file));
  const start = performance.now();
  const result = readWorkbook(bytes, file);
  if (result.ok) {
    for (const s of result.book.sheets) {
      const grid = sheetRows(result.book, s.name);
      const h = detectHeaderRow(grid);
      headerColumns(grid, h);
    }
  }
  const ms = performance.now() - start;
  const outcome = result.ok
    ? `${result.book.format}, ${result.book.sheets.length} sheet(s), ${result.book.sheets.map((s) => s.rowCount).join('/')} rows`
    : result.error.code;
  times.push({ file, ms, outcome });
  return { result, ms };
}

afterAll(() => {
  const lines = times.map((t) => `${t.ms.toFixed(0).padStart(6)} ms  ${t.file.padEnd(70)} ${t.outcome}`);
  console.log(`read times (file → sheets, grids, header):\n${lines.join('\n')}`);
});

/** Refusals we know the reason for (MANIFEST.tsv). Other broken files SheetJS recovers are fine either way. */
const REFUSED: Readonly<Record<string, string>> = {
  'excelize__encryptAES.xlsx': 'ENCRYPTED',
  'excelize__encryptSHA1.xlsx': 'ENCRYPTED',
  'calamine__too_small.xls': 'CORRUPT',
};

/** Files that must read, with a sheet and a cell we check. */
const READS: Readonly<Record<string, { sheet: string; row: number; col: string; text: string }>> = {
  'calamine__issue219.xls': { sheet: '工作表1', row: 1, col: 'A', text: '' },
  'easyexcel__compatibility-t04.xlsx': { sheet: '工作表1', row: 1, col: 'A', text: '序号' },
  'xlrd__biff4_no_format_no_window2.xls': { sheet: 'Sheet1', row: 1, col: 'A', text: 'ID' },
};

describe('the spreadsheet corpus', () => {
  it('has files', () => {
    expect(files.length).toBeGreaterThan(40);
  });

  for (const file of files) {
    it(`${file}: sheets or a typed refusal, within 2 s`, () => {
      const { result, ms } = readFully(SHEETS, file);
      expect(ms).toBeLessThan(LIMIT_MS);
      if (result.ok) {
        expect(result.book.sheets.length).toBeGreaterThan(0);
        expect(result.book.sheets.some((s) => s.rowCount > 0)).toBe(true);
        for (const s of result.book.sheets) {
          const grid = sheetRows(result.book, s.name);
          expect(grid.rows.length).toBe(s.rowCount);
          for (const row of grid.rows) expect(row.length).toBe(s.colCount);
          if (s.rowCount > 0) {
            // Trailing empty rows are dropped: the last row has something in it.
            expect(grid.rows[s.rowCount - 1]?.some((c) => c.text !== '' || c.number !== undefined)).toBe(true);
          }
        }
      } else {
        expect(['ENCRYPTED', 'CORRUPT', 'TOO_LARGE', 'UNSUPPORTED', 'EMPTY']).toContain(result.error.code);
        expect(result.error.message).toMatch(HAN);
        expect(result.error.message).toMatch(/請/);
      }
      const known = REFUSED[file];
      if (known) expect(result.ok ? 'read' : result.error.code).toBe(known);
      const reads = READS[file];
      if (reads) {
        expect(result.ok).toBe(true);
        if (result.ok) {
          const grid = sheetRows(result.book, reads.sheet);
          const cell = grid.rows[reads.row - 1]?.find((c) => c.col === reads.col);
          if (reads.text) expect(cell?.text).toBe(reads.text);
        }
      }
    });
  }

  it('reads the 1904 date system right (xls and xlsx)', () => {
    const xls = readWorkbook(new Uint8Array(readFileSync(`${SHEETS}calamine__date_1904.xls`)), 'date_1904.xls');
    expect(xls.ok).toBe(true);
    if (!xls.ok) return;
    const g = sheetRows(xls.book, 'Sheet1');
    // Serial 42735 in the 1904 system is 2021-01-01 (it would be 2016-12-31 in the 1900 system).
    expect(g.rows[0]?.[0]).toMatchObject({ col: 'A', number: 42735, date: '2021-01-01' });
    expect(g.rows[1]?.[0]?.date).toBe('2021-01-02');
    // A duration ([hh]:mm:ss) is a number, not a date.
    expect(g.rows[2]?.[0]?.date).toBeUndefined();
    expect(g.rows[2]?.[0]?.number).toBeCloseTo(10.632, 3);

    const xlsx = readWorkbook(new Uint8Array(readFileSync(`${SHEETS}exceljs__1904.xlsx`)), '1904.xlsx');
    expect(xlsx.ok).toBe(true);
    if (!xlsx.ok) return;
    const cells = sheetRows(xlsx.book, 'Sheet1').rows.flat().filter((c) => c.date !== undefined);
    expect(cells[0]).toMatchObject({ col: 'B', number: 0, date: '1904-01-01' });
  });

  it('reads the 1900 date system right', () => {
    const r = readWorkbook(new Uint8Array(readFileSync(`${SHEETS}calamine__date.xlsx`)), 'date.xlsx');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const g = sheetRows(r.book, 'Sheet1');
    expect(g.rows[0]?.[0]).toMatchObject({ number: 44197, date: '2021-01-01', text: '2021-01-01' });
    expect(g.rows[0]?.[1]).toMatchObject({ number: 15, text: '15' });
    expect(g.rows[0]?.[1]?.date).toBeUndefined();
  });

  it('dates in the East Asian built-in formats (ids 31, 57, 58: no format string in the file) are dates', () => {
    const r = readWorkbook(new Uint8Array(readFileSync(`${SHEETS}easyexcel__dataformat-dataformat.xlsx`)), 'x.xlsx');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const a = sheetRows(r.book, 'Sheet1').rows.map((row) => row[0]);
    // A8, A9, A10 use ids 31, 57, 58; A5 a custom [DBNum1][$-804]yyyy"年"m"月"d"日"; A4 the built-in 14.
    for (const line of [4, 5, 8, 9, 10]) expect(a[line - 1]?.date, `A${line}`).toBe('2020-01-01');
    // Times are not dates: A21 h:mm:ss AM/PM, A22 h:mm:ss.
    expect(a[20]).toMatchObject({ text: '1:01:01 AM' });
    expect(a[20]?.date).toBeUndefined();
    expect(a[21]).toMatchObject({ text: '1:01:01' });
    expect(a[21]?.date).toBeUndefined();
  });

  it('flags hidden sheets', () => {
    const r = readWorkbook(new Uint8Array(readFileSync(`${SHEETS}exceljs__test-issue-880.xlsx`)), 'x.xlsx');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.book.sheets.map((s) => [s.name, s.hidden])).toEqual([
      ['A', false],
      ['Ersatzteilliste', true],
      ['Leiterprüfung', true],
      ['Feststellanlagen', true],
      ['Schweißgerät', true],
    ]);
  });
});

describe('the Taiwanese reference lists', () => {
  it('village-fix keeps characters outside the BMP intact', () => {
    const { result, ms } = readFully(TW, 'twgeojson__village-fix.csv');
    expect(ms).toBeLessThan(LIMIT_MS);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.book).toMatchObject({ format: 'csv', encoding: 'utf-8', encodingGuessed: true });
    const grid = sheetRows(result.book, result.book.sheets[0]?.name ?? '');
    const texts = grid.rows.flat().map((c) => c.text);
    expect(texts.some((t) => t.includes('石𥕢里'))).toBe(true);
    const raw = readFileSync(`${TW}twgeojson__village-fix.csv`, 'utf8');
    // Every non-BMP character of the file reaches the grid.
    const astral = [...raw].filter((ch) => (ch.codePointAt(0) ?? 0) > 0xffff);
    expect(astral.length).toBeGreaterThan(0);
    const joined = texts.join('\n');
    for (const ch of astral) expect(joined).toContain(ch);
  });

  it('the postal list has no header row and full-width digits folded', () => {
    const { result, ms } = readFully(TW, 'twzipcode__Zip32_utf8_10501_1.csv');
    expect(ms).toBeLessThan(LIMIT_MS * 2);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const sheet = result.book.sheets[0];
    expect(sheet?.colCount).toBe(5);
    expect(sheet?.rowCount).toBeGreaterThan(60_000);
    const grid = sheetRows(result.book, sheet?.name ?? '');
    expect(detectHeaderRow(grid)).toBe(0);
    const cols = headerColumns(grid, 0);
    expect(cols.map((c) => c.header)).toEqual(['（第 A 欄）', '（第 B 欄）', '（第 C 欄）', '（第 D 欄）', '（第 E 欄）']);
    const first = dataRows(grid, 0, cols, { zip: 'A', city: 'B', area: 'C', road: 'D' }).next().value;
    expect(first).toEqual({
      line: 1,
      // The file's first line is 「10058,臺北市,中正區,八德路１段,全」.
      cells: { zip: { col: 'A', text: '10058' }, city: { col: 'B', text: '臺北市' }, area: { col: 'C', text: '中正區' }, road: { col: 'D', text: '八德路1段' } },
    });
    const all = grid.rows.flat().map((c) => c.text).join('');
    expect(all).not.toMatch(/[０-９]/);
    expect(all).toContain('八德路1段');
    // Runs of spaces inside a field are the file's (雙  48號以下): only the ends are trimmed.
    expect(grid.rows[2]?.[4]?.text).toBe('雙  48號以下');
  });

  it('the village list and districts read with their header row', () => {
    for (const f of ['twgeojson__village-list.csv', 'twgeojson__districts.csv']) {
      const { result, ms } = readFully(TW, f);
      expect(ms).toBeLessThan(LIMIT_MS);
      expect(result.ok).toBe(true);
      if (!result.ok) continue;
      const grid = sheetRows(result.book, result.book.sheets[0]?.name ?? '');
      expect(detectHeaderRow(grid)).toBe(1);
      expect(grid.rows.length).toBeGreaterThan(7800);
    }
    const r = readWorkbook(new Uint8Array(readFileSync(`${TW}twgeojson__village-list.csv`)), 'village-list.csv');
    if (!r.ok) return;
    const grid = sheetRows(r.book, r.book.sheets[0]?.name ?? '');
    const cols = headerColumns(grid, 1);
    expect(cols.slice(0, 3).map((c) => c.header)).toEqual(['OBJECTID_1', 'COUNTY', 'COUNTY_ID']);
    // The real-world defect (blank county codes in 金門/連江) comes through as empty cells, not dropped rows.
    const rows = [...dataRows(grid, 1, cols, { county: 'B', countyId: 'C' })];
    expect(rows.length).toBe(grid.rows.length - 1);
    expect(rows.some((row) => row.cells.countyId?.text === '' && /金門|連江/.test(row.cells.county?.text ?? ''))).toBe(true);
  });
});
