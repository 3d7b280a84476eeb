/**
 * DataTable's xlsx (renderer/lib/tableExport.ts): the bytes are opened again with SheetJS and compared with
 * the rows they were built from: title with the filter in words, headers as shown, ROC dates, masked IDs.
 */
import { describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { buildXlsx, exportCell, exportFileName, exportTitle, filterWords, sheetName, type ExportSheet } from '../../renderer/lib/tableExport';

function read(bytes: Uint8Array): { name: string; rows: unknown[][]; merges: unknown; title: unknown } {
  const wb = XLSX.read(bytes, { type: 'array' });
  const name = wb.SheetNames[0] as string;
  const ws = wb.Sheets[name] as XLSX.WorkSheet;
  return { name, rows: XLSX.utils.sheet_to_json<unknown[]>(ws, { header: 1, raw: true, defval: null }), merges: ws['!merges'], title: wb.Props?.Title };
}

const sheet: ExportSheet = {
  listName: '我的個案',
  filters: [
    { label: '狀態', value: '開案中' },
    { label: '搜尋', value: '王小明', personal: true },
    { label: '類別', value: '' },
  ],
  today: '2026-05-20',
  columns: [
    { header: '案號', kind: 'text' },
    { header: '戶長', kind: 'text' },
    { header: '身分證字號', kind: 'nationalId' },
    { header: '收案日', kind: 'date' },
    { header: '最近服務', kind: 'datetime' },
    { header: '人數', kind: 'number' },
  ],
  rows: [
    ['115-0001', '王小明', 'A123456789', '2026-03-05', '2026-05-19T06:07:00Z', 3],
    ['115-0002', '=HYPERLINK("x")', null, '1999-12-31', null, '4'],
    ['115-0003', 'B223456780', 'A12****789', '', undefined, null],
  ],
};

describe('table export (xlsx)', () => {
  it('titles the sheet with the list, the filter in words and the ROC day; names the file in 民國', () => {
    expect(exportTitle(sheet.listName, sheet.filters, sheet.today)).toBe('我的個案 - 狀態：開案中，搜尋：王小明 - 列印日期 115/05/20');
    expect(exportTitle('庫存', [], '2026-05-20')).toBe('庫存 - 列印日期 115/05/20');
    expect(exportFileName('我的個案', '2026-05-20')).toBe('我的個案-115年05月20日.xlsx');
    expect(exportFileName('待追蹤 / 逾期', '2026-01-02')).toBe('待追蹤_逾期-115年01月02日.xlsx');
    // The audit row never carries what was typed into a search box.
    expect(filterWords(sheet.filters, { forAudit: true })).toBe('狀態：開案中，搜尋：（已輸入）');
    expect(sheetName('a[b]:c*d?e/f\\g' + 'x'.repeat(40))).toHaveLength(31);
  });

  it('writes ROC dates, masked IDs and numbers, never a Western year or a full ID', () => {
    expect(exportCell('2026-03-05', 'date')).toBe('115/03/05');
    expect(exportCell('2026-05-19T06:07:00Z', 'datetime')).toBe('115/05/19 14:07');
    expect(exportCell('A123456789', 'nationalId')).toBe('A12****789');
    expect(exportCell('A123456789', 'nationalId', true)).toBe('A123456789');
    expect(exportCell('A123456789', 'text')).toBe('A12****789');
    expect(exportCell('2026-03-05', 'text')).toBe('115/03/05');
    expect(exportCell('12', 'number')).toBe(12);
    expect(exportCell(true, 'text')).toBe('是');
    expect(exportCell('', 'text')).toBeNull();
  });

  it('the bytes open with SheetJS and hold the title, the headers and every row as the screen shows them', async () => {
    const progress: number[] = [];
    const bytes = await buildXlsx(XLSX, sheet, (p) => progress.push(p.done));
    const out = read(bytes);
    expect(out.name).toBe('我的個案');
    expect(out.title).toBe('我的個案 - 狀態：開案中，搜尋：王小明 - 列印日期 115/05/20');
    expect(out.merges).toEqual([{ s: { r: 0, c: 0 }, e: { r: 0, c: 5 } }]);
    expect(out.rows).toEqual([
      ['我的個案 - 狀態：開案中，搜尋：王小明 - 列印日期 115/05/20', null, null, null, null, null],
      ['案號', '戶長', '身分證字號', '收案日', '最近服務', '人數'],
      ['115-0001', '王小明', 'A12****789', '115/03/05', '115/05/19 14:07', 3],
      ['115-0002', '=HYPERLINK("x")', null, '88/12/31', null, 4],
      ['115-0003', 'B22****780', 'A12****789', null, null, null],
    ]);
    // A text that looks like a formula stays text.
    const ws = XLSX.read(bytes, { type: 'array', cellFormula: true }).Sheets['我的個案'] as XLSX.WorkSheet;
    expect(ws['B4']?.f).toBeUndefined();
    expect(ws['B4']?.t).toBe('s');
    expect(progress).toEqual([0, 3]);
    const raw = Buffer.from(bytes).toString('latin1');
    expect(raw).not.toContain('A123456789');
  });

  it('builds a large list in chunks, reporting progress between them', async () => {
    const rows = Array.from({ length: 1234 }, (_, i) => [`115-${String(i).padStart(4, '0')}`, '2026-01-01', i]);
    const progress: number[] = [];
    const bytes = await buildXlsx(XLSX, { listName: '庫存', filters: [], today: '2026-05-20', columns: [{ header: '批號' }, { header: '效期', kind: 'date' }, { header: '數量', kind: 'number' }], rows }, (p) => progress.push(p.done));
    expect(progress).toEqual([0, 500, 1000, 1234]);
    const out = read(bytes);
    expect(out.rows).toHaveLength(1236);
    expect(out.rows[1235]).toEqual(['115-1233', '115/01/01', 1233]);
  });
});
