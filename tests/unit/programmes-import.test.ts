/**
 * Bank spreadsheet import of development-account deposits: columns mapped once and reused, bad
 * files refused with zh-TW messages, all-or-nothing rows, and already-recorded rows skipped.
 */
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProgrammeCenter, programmeCounts, refusal, setToday, type ProgrammeCenter } from './programmes-fixture';

function xlsx(rows: unknown[][]): string {
  const wb = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(rows), '存款明細');
  return (XLSX.write(wb, { type: 'buffer', bookType: 'xlsx' }) as Buffer).toString('base64');
}

const HEADER = ['交易日期', '存款帳號', '戶名', '存入金額'];
const MAPPING = { accountNo: '存款帳號', date: '交易日期', amount: '存入金額' };

describe('childAccounts.importBank', () => {
  let c: ProgrammeCenter;
  let tok: string;
  beforeAll(async () => {
    c = await createProgrammeCenter();
    tok = c.w1.token;
    await setToday(c, '2026-06-10');
    await c.t.call('childAccounts.open', { personId: c.p.k1, openedOn: '2026-01-10', monthlyAmount: 1000, accountNo: '0012345678' }, tok);
    await c.t.call('childAccounts.open', { personId: c.p.k3, openedOn: '2026-02-01', monthlyAmount: 500, accountNo: '0087654321' }, tok);
  }, 60_000);
  afterAll(async () => c?.t.close());

  it('refuses files that are not a readable spreadsheet, writing nothing', async () => {
    const before = await programmeCounts(c);
    expect(refusal(await c.t.raw('childAccounts.importBank', { fileBase64: Buffer.from('帳號,金額\n1,2').toString('base64'), dryRun: false }, tok)).message).toMatch(/不是 Excel 檔/);
    expect(refusal(await c.t.raw('childAccounts.importBank', { fileBase64: Buffer.from('PK\u0003\u0004broken').toString('base64'), dryRun: false }, tok)).message).toMatch(/無法讀取/);
    expect(refusal(await c.t.raw('childAccounts.importBank', { fileBase64: xlsx([HEADER]), dryRun: false }, tok)).message).toMatch(/沒有存款資料/);
    expect(refusal(await c.t.raw('childAccounts.importBank', { fileBase64: xlsx([HEADER, ['2026-03-05', '0012345678', '林小安', 1000]]), dryRun: false }, tok)).message).toMatch(/請先對應/);
    expect(await programmeCounts(c)).toEqual(before);
  });

  it('previews with the headers, imports with the mapping, then reuses it', async () => {
    const file = xlsx([HEADER, ['2026-03-05', '0012345678', '林小安', 1000], ['115/03/06', '0087654321', '陳小華', 500]]);
    const preview = await c.t.call('childAccounts.importBank', { fileBase64: file, dryRun: true }, tok);
    expect(preview).toMatchObject({ headers: HEADER, mapping: null, rows: 2, imported: 0 });
    const checked = await c.t.call('childAccounts.importBank', { fileBase64: file, mapping: MAPPING, dryRun: true }, tok);
    expect(checked).toMatchObject({ imported: 2, problems: [] });
    expect((await programmeCounts(c)).child_deposits).toBe(0); // a dry run writes nothing
    expect(await c.t.call('childAccounts.importBank', { fileBase64: file, mapping: MAPPING, dryRun: false }, tok)).toMatchObject({ imported: 2, skipped: 0 });
    // Next month's file: no mapping given, the saved one is used; the rows already in are skipped.
    const next = xlsx([HEADER, ['2026-03-05', '0012345678', '林小安', 1000], ['2026-04-05', '0012345678', '林小安', 1000]]);
    expect(await c.t.call('childAccounts.importBank', { fileBase64: next, dryRun: false }, tok)).toMatchObject({ mapping: MAPPING, imported: 1, skipped: 1 });
    const grid = await c.t.call('childAccounts.deposits', { year: 2026 }, tok);
    expect(grid.find((r) => r.personName === '林小安')?.months).toEqual({ '2026-03': 1000, '2026-04': 1000 });
  });

  it('refuses the whole file when a row breaks a rule, naming the rows', async () => {
    const before = await programmeCounts(c);
    const file = xlsx([
      HEADER,
      ['2026-05-05', '0012345678', '林小安', 1000],
      ['2026-05-05', '0099999999', '王小明', 1000],
      ['2026-01-05', '0087654321', '陳小華', 500],
      ['2026-05-06', '0087654321', '陳小華', 800],
    ]);
    const err = refusal(await c.t.raw('childAccounts.importBank', { fileBase64: file, dryRun: false }, tok));
    expect(err.message).toMatch(/沒有寫入任何資料/);
    expect(err.message).toMatch(/第 3 列：找不到帳號 0099999999/);
    expect(err.message).toMatch(/第 4 列：.*早於開戶日期/);
    expect(err.message).toMatch(/第 5 列：存款金額應為 500、1,000 或 1,250 元/);
    expect(await programmeCounts(c)).toEqual(before);
    // Renamed columns are caught before any row is read.
    const renamed = xlsx([['日期', '帳號', '金額'], ['2026-05-05', '0012345678', 1000]]);
    expect(refusal(await c.t.raw('childAccounts.importBank', { fileBase64: renamed, dryRun: false }, tok)).message).toMatch(/找不到「存款帳號」欄/);
  });
});
