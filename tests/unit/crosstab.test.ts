/**
 * Cross-tabulation on the hand-counted center of reports-fixture.ts (115年第1季):
 * totals asked of the database (a case in two 面向 counts once in the total),
 * suppression of small cells, a supervisor's team-limited view, and the xlsx export.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrosstabView } from '../../main/contract/types-reports';
import { NANTOU, PULI, createReportsApp, type ReportsApp } from './reports-fixture';

let r: ReportsApp;
beforeAll(async () => {
  r = await createReportsApp();
});
afterAll(async () => {
  await r?.close();
});

const grid = (v: CrosstabView) => v.rows.map((row) => [...row.labels, ...row.cells.map((c) => c.display), row.total.display]);

describe('cases received in 115年第1季', () => {
  it('district × case type, with row and column totals', async () => {
    const v = await r.call(r.d.admin, 'reports.crosstab', { indicatorId: 'cases.received', breakdowns: ['district', 'caseType'], period: '115Q1' });
    expect(v.rowDimensions).toEqual(['district']);
    expect(v.columnDimension).toBe('caseType');
    expect(v.columns.map((c) => c.label)).toEqual(['脆弱家庭', '一般福利諮詢', '急難紓困', '其他']);
    expect(v.rows.map((x) => x.keys)).toEqual([[NANTOU], [PULI]]);
    expect(grid(v)).toEqual([
      ['南投市', '2', '0', '0', '1', '3'], // C1 C2 脆弱家庭, C7 其他
      ['埔里鎮', '0', '1', '1', '0', '2'], // C3 一般福利諮詢, C5 急難紓困
    ]);
    expect(v.columnTotals.map((c) => c.value)).toEqual([2, 1, 1, 1]);
    expect(v.grandTotal.value).toBe(5);
    expect(v.scopedToTeams).toBe(false);
  });

  it('team × 面向: a case in two 面向 sits in both columns and once in the total', async () => {
    const v = await r.call(r.d.admin, 'reports.crosstab', { indicatorId: 'cases.received', breakdowns: ['team', 'dimension'], period: '115Q1' });
    expect(v.columns.map((c) => c.label)).toEqual(['家庭經濟陷困', '家庭關係衝突或疏離', '兒少發展不利處境', '個人生活適應困難', '未填']);
    expect(grid(v)).toEqual([
      ['第一組', '1', '1', '1', '1', '1', '4'], // C1 in 面向 1 and 3, C2 4, C5 6, C7 none: 4 cases
      ['第二組', '0', '0', '0', '0', '1', '1'], // C3 none
    ]);
    expect(v.columnTotals.map((c) => c.value)).toEqual([1, 1, 1, 1, 2]);
    expect(v.grandTotal.value).toBe(5);
    expect(v.notes.join('\n')).toMatch(/脆弱面向可複選/);
  });

  it('suppresses cells under the threshold as <3; totals are computed before suppression and say so', async () => {
    const v = await r.call(r.d.admin, 'reports.crosstab', { indicatorId: 'cases.received', breakdowns: ['village', 'month'], period: '115Q1', suppressBelow: 3 });
    // 三民里: C1 (Jan), C7 (Jan); 康壽里: C2 (Feb); 大城里: C3 (Jan), C5 (Mar)
    expect(grid(v)).toEqual([
      ['三民里', '<3', '0', '0', '2'],
      ['康壽里', '0', '<3', '0', '1'],
      ['大城里', '<3', '0', '<3', '2'],
    ]);
    expect(v.rows[0]?.cells[0]).toEqual({ value: null, display: '<3', suppressed: true });
    expect(v.columnTotals.map((c) => c.display)).toEqual(['3', '1', '1']);
    expect(v.grandTotal.value).toBe(5);
    expect(v.suppressedCount).toBe(4);
    expect(v.notes.join('\n')).toMatch(/小於 3 的儲存格以「<3」表示；合計係以遮蔽前的數值計算/);
    const one = await r.call(r.d.admin, 'reports.crosstab', { indicatorId: 'cases.received', breakdowns: ['village'], period: '115Q1', suppressBelow: 3 });
    expect(one.rows.map((x) => [x.labels[0], x.total.display])).toEqual([
      ['三民里', '<3'],
      ['康壽里', '<3'],
      ['大城里', '<3'],
    ]);
  });

  it('three dimensions: team × month rows, method columns (services)', async () => {
    const v = await r.call(r.d.admin, 'reports.crosstab', { indicatorId: 'services.count', breakdowns: ['team', 'month', 'method'], period: '115Q1' });
    expect(v.rowDimensions).toEqual(['team', 'month']);
    expect(v.columns.map((c) => c.label)).toEqual(['電訪家庭', '面訪家庭']);
    expect(grid(v)).toEqual([
      ['第一組', '115年1月', '1', '1', '2'], // S1 電訪, S10 面訪
      ['第一組', '115年2月', '0', '2', '2'], // S2, S3
      ['第一組', '115年3月', '1', '0', '1'], // S6
      ['第二組', '115年1月', '1', '0', '1'], // S4
      ['第二組', '115年2月', '0', '1', '1'], // S7
      ['第二組', '115年3月', '1', '0', '1'], // S8
    ]);
    expect(v.grandTotal.value).toBe(8);
  });

  it('a rate: suppression looks at the denominator; the total is the overall rate', async () => {
    const v = await r.call(r.d.admin, 'reports.crosstab', { indicatorId: 'cases.contact24h', breakdowns: ['team'], period: '115Q1', suppressBelow: 3 });
    expect(v.rows.map((x) => [x.labels[0], x.total.display])).toEqual([
      ['第一組', '66.7'], // 2 of 3
      ['第二組', '<3'], // 1 of 2
    ]);
    expect(v.grandTotal).toMatchObject({ value: 60, display: '60.0', numerator: 3, denominator: 5 });
    expect(v.notes.join('\n')).toMatch(/整體比率/);
  });

  it('refuses a breakdown the indicator does not allow', async () => {
    const env = await r.raw(r.d.admin, 'reports.crosstab', { indicatorId: 'cases.openAtEnd', breakdowns: ['month'], period: '115Q1' });
    expect(env.ok ? 'ok' : env.error.code).toBe('VALIDATION');
    const bad = await r.raw(r.d.admin, 'reports.crosstab', { indicatorId: 'cases.received', breakdowns: ['team', 'team'], period: '115Q1' });
    expect(bad.ok ? 'ok' : bad.error.code).toBe('VALIDATION');
    const period = await r.raw(r.d.admin, 'reports.crosstab', { indicatorId: 'cases.received', breakdowns: ['team'], period: '去年' });
    expect(period.ok ? 'ok' : period.error.code).toBe('VALIDATION');
  });
});

describe('access', () => {
  it("a supervisor's cross-tab covers their teams only; workers are refused", async () => {
    const v = await r.call(r.d.sup2, 'reports.crosstab', { indicatorId: 'cases.received', breakdowns: ['team'], period: '115Q1' });
    expect(v.rows.map((x) => [x.labels[0], x.total.value])).toEqual([['第二組', 1]]);
    expect(v.scopedToTeams).toBe(true);
    expect(v.notes.join('\n')).toMatch(/統計範圍：第二組/);
    for (const who of [r.d.w1, r.d.clerk]) {
      const env = await r.raw(who, 'reports.crosstab', { indicatorId: 'cases.received', breakdowns: ['team'], period: '115Q1' });
      expect(env.ok ? 'ok' : env.error.code).toBe('FORBIDDEN');
    }
  });
});

describe('xlsx export', () => {
  it('writes the table with <3 for suppressed cells, totals, and the notes; audited as an export', async () => {
    const f = await r.call(r.d.admin, 'reports.crosstabXlsx', { indicatorId: 'cases.received', breakdowns: ['village', 'month'], period: '115Q1', suppressBelow: 3 });
    expect(f.fileName).toBe('受理案件數_村里x月份_115年第1季.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(f.fileBase64 as string, 'base64') as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('交叉分析');
    if (!ws) throw new Error('no sheet');
    const rows: unknown[][] = [];
    ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    expect(rows[0]?.[0]).toBe('受理案件數交叉分析');
    expect(rows[1]?.[0]).toBe('中華民國115年第1季');
    // Two header rows: 月份 spans the month columns; 村里 and 合計 span both rows (merged cells read as their master).
    expect(rows[3]).toEqual(['村里', '月份', '月份', '月份', '合計']);
    expect(rows[4]).toEqual(['村里', '115年1月', '115年2月', '115年3月', '合計']);
    expect(rows[5]).toEqual(['三民里', '<3', 0, 0, 2]);
    expect(rows[6]).toEqual(['康壽里', 0, '<3', 0, 1]);
    expect(rows[7]).toEqual(['大城里', '<3', 0, '<3', 2]);
    expect(rows[8]).toEqual(['合計', 3, 1, 1, 5]);
    expect(rows.map((x) => String(x[0])).join('\n')).toMatch(/合計係以遮蔽前的數值計算/);
    const audit = await r.db.selectFrom('audit_log').selectAll().where('entity', '=', 'crosstab').executeTakeFirstOrThrow();
    expect(audit.action).toBe('export');
    expect(JSON.parse(audit.detail as string)).toMatchObject({ indicatorId: 'cases.received', suppressBelow: 3 });
  });
});
