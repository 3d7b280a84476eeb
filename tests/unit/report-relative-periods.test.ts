/**
 * Periods relative to the report (issue 13 §2) through the API, on the hand-counted center
 * (reports-fixture.ts), on SQLite and PostgreSQL:
 * - a quarterly definition whose rows count the quarter, its 1st/2nd/3rd month, the year to date,
 *   the same quarter last year and the previous quarter, generated for 115Q1 and 115Q2: every cell
 *   equals a count made here from the raw rows (received_at / occurred_at read back and bucketed by
 *   Taipei day in plain JS), the period line and the 編製日期 cell are filled;
 * - a monthly and a half-yearly definition;
 * - a fixed month filter outside the cell's period is refused on generate (one line naming the
 *   cells), and reported by checkDefinition; a period that does not fit the frequency is refused at save;
 * - the definition file carries frequency, periods and the 編製日期 cell (version 2), and a version-1
 *   file still imports as a quarterly definition;
 * - submissions are keyed by the period of the frequency, periods() lists that frequency's periods,
 *   and the submitted snapshot downloads.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiInput } from '../../main/contract/api';
import { parseReportPeriod, resolveRelativePeriod, type RelativePeriod, type ReportFrequency } from '../../main/contract/report-periods';
import { todayIso } from '../../main/contract/roc-date';
import type { DefinitionFile, MappingInput } from '../../main/contract/types-reports';
import { compiledDateText } from '../../main/services/reports/periods';
import { inspectWorkbook } from '../../main/services/reports/xlsx';
import { createReportsApp, type ReportsApp } from './reports-fixture';

const TEMPLATE_PATH = fileURLToPath(new URL('../../../shared/fixtures/templates/季報-範例.xlsx', import.meta.url));
const template = () => new Uint8Array(readFileSync(TEMPLATE_PATH));
const b64 = (u: Uint8Array) => Buffer.from(u).toString('base64');
const fromB64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
const SHEET = '脆弱家庭服務';

function values(bytes: Uint8Array): Map<string, string | number | boolean | null> {
  const s = inspectWorkbook(bytes).sheets.find((x) => x.name === SHEET);
  if (!s) throw new Error('no sheet');
  return new Map(s.cells.filter((c) => c.type !== 'empty').map((c) => [c.address, c.value]));
}

/** Rows 10..16 of columns B (受理案件數), G (電訪) and H (面訪), each row one relative period. */
function rowsFor(periods: readonly RelativePeriod[]): MappingInput[] {
  const out: MappingInput[] = [];
  periods.forEach((period, i) => {
    const row = 10 + i;
    out.push({ sheet: SHEET, cell: `B${row}`, indicatorId: 'cases.received', period });
    out.push({ sheet: SHEET, cell: `G${row}`, indicatorId: 'services.count', filters: { method: '電訪家庭' }, period });
    out.push({ sheet: SHEET, cell: `H${row}`, indicatorId: 'services.count', filters: { method: '面訪家庭' }, period });
  });
  return out;
}

let r: ReportsApp;
let templateId: number;
/** Raw rows, read back once: Taipei day of each received case and each service (with its method). */
let received: string[];
let services: { day: string; method: string }[];

const taipeiDay = (ts: string) => new Date(new Date(ts).getTime() + 8 * 3600_000).toISOString().slice(0, 10);
const inRange = (day: string, p: { from: string; to: string }) => day >= p.from && day <= p.to;
const countReceived = (p: { from: string; to: string }) => received.filter((d) => inRange(d, p)).length;
const countServices = (p: { from: string; to: string }, method: string) => services.filter((s) => s.method === method && inRange(s.day, p)).length;

function definitionInput(name: string, frequency: ReportFrequency, mappings: MappingInput[], extra: Partial<ApiInput<'reports.saveDefinition'>> = {}): ApiInput<'reports.saveDefinition'> {
  return {
    templateId,
    name,
    formNo: '10930-01-01-2',
    agency: '南投縣政府社會及勞動處',
    deadline: '次期終了後20日內編報',
    periodCell: { sheet: SHEET, cell: 'A6' },
    frequency,
    mappings,
    ...extra,
  };
}

/** Generates `periodText` and checks every mapped cell against the independent count. */
async function expectCounted(definitionId: number, frequency: ReportFrequency, periods: readonly RelativePeriod[], periodText: string) {
  const report = parseReportPeriod(frequency, periodText);
  if (!report) throw new Error(periodText);
  const g = await r.call(r.d.admin, 'reports.generate', { definitionId, period: periodText });
  expect(g).toMatchObject({ period: report.rocKey, periodLabel: report.label, from: report.from, to: report.to });
  const v = values(fromB64(g.fileBase64));
  expect(v.get('A6')).toBe(report.line);
  const expected: Record<string, number> = {};
  periods.forEach((rel, i) => {
    const range = resolveRelativePeriod(report, rel);
    if (!range) throw new Error(rel);
    expected[`B${10 + i}`] = countReceived(range);
    expected[`G${10 + i}`] = countServices(range, '電訪家庭');
    expected[`H${10 + i}`] = countServices(range, '面訪家庭');
  });
  const got: Record<string, unknown> = {};
  for (const cell of Object.keys(expected)) got[cell] = v.get(cell);
  expect(got).toEqual(expected);
  expect(Object.fromEntries(g.figures.map((f) => [f.cell, f.value]))).toEqual(expected);
  return { g, expected };
}

beforeAll(async () => {
  r = await createReportsApp();
  const t = await r.call(r.d.admin, 'reports.importTemplate', { fileName: '季報-範例.xlsx', bytesBase64: b64(template()) });
  templateId = t.id;
  received = (await r.db.selectFrom('cases').select('received_at').execute()).map((c) => taipeiDay(c.received_at));
  services = (await r.db.selectFrom('service_records').select(['occurred_at', 'method']).execute()).map((s) => ({ day: taipeiDay(s.occurred_at), method: s.method }));
});
afterAll(async () => {
  await r?.close();
});

const QUARTER_ROWS: RelativePeriod[] = ['report', 'month1', 'month2', 'month3', 'ytd', 'sameLastYear', 'previous'];

describe('a quarterly definition with relative periods', () => {
  let id: number;

  it('saves and reads back the frequency, each cell period and the 編製日期 cell', async () => {
    const saved = await r.call(r.d.admin, 'reports.saveDefinition', definitionInput('相對期間季報', 'quarter', rowsFor(QUARTER_ROWS), { compiledCell: { sheet: SHEET, cell: 'G19' } }));
    id = saved.id;
    expect(saved.frequency).toBe('quarter');
    expect(saved.compiledCell).toMatchObject({ sheet: SHEET, cell: 'G19' });
    expect(saved.mappings.filter((m) => m.cell.startsWith('B')).map((m) => m.period)).toEqual(QUARTER_ROWS);
    const again = await r.call(r.d.admin, 'reports.getDefinition', { id });
    expect(again.mappings.map((m) => m.period)).toEqual(saved.mappings.map((m) => m.period));
    const list = await r.call(r.d.admin, 'reports.listDefinitions', {});
    expect(list.find((d) => d.id === id)?.frequency).toBe('quarter');
  });

  it('115Q1 and 115Q2: every cell equals the count of its own period, and the two quarters differ', async () => {
    const q1 = await expectCounted(id, 'quarter', QUARTER_ROWS, '115Q1');
    const q2 = await expectCounted(id, 'quarter', QUARTER_ROWS, '115年第2季');
    // The hand-counted center (reports-fixture.ts): Q1 received C1, C2, C3, C5, C7 (C4 came on 12-31 Taipei).
    expect(q1.expected).toMatchObject({ B10: 5, B11: 3, B12: 1, B13: 1, B14: 5, B15: 0, B16: 2 });
    expect(q2.expected).toMatchObject({ B10: 0, B14: 5, B16: 5, G10: 1, H10: 2 });
    expect(q1.expected).not.toEqual(q2.expected);
    // 編製日期: the template's 中華民國(blank)年(blank)月(blank)日編製 with the generation day (Taipei).
    const today = todayIso(r.t.clock.now);
    const roc = `中華民國${Number(today.slice(0, 4)) - 1911}年${Number(today.slice(5, 7))}月${Number(today.slice(8, 10))}日編製`;
    expect(values(fromB64(q1.g.fileBase64)).get('G19')).toBe(roc);
  });

  it('refuses a period of another frequency beside the field', async () => {
    for (const bad of ['115-03', '115H1', '115', '115Q5']) {
      const env = await r.raw(r.d.admin, 'reports.generate', { definitionId: id, period: bad });
      expect(env.ok).toBe(false);
      if (!env.ok) {
        expect(env.error.code).toBe('VALIDATION');
        expect(env.error.fields?.period).toBe('季別格式不正確，請輸入如 115Q1 或 115年第1季');
      }
    }
  });

  it('submits 115Q1 under the key 2026Q1, lists the quarters and downloads the snapshot', async () => {
    const st = await r.call(r.d.admin, 'reports.submit', { definitionId: id, period: '115Q1' });
    expect(st).toMatchObject({ period: '115Q1', label: '115年第1季', state: 'locked' });
    const row = await r.db.selectFrom('report_submissions').select(['period', 'period_from', 'period_to']).where('definition_id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ period: '2026Q1', period_from: '2026-01-01', period_to: '2026-03-31' });
    const list = await r.call(r.d.admin, 'reports.periods', { definitionId: id, count: 4 });
    // The test clock stands at 2026-03-05 (115年第1季).
    expect(list.map((p) => p.period)).toEqual(['115Q1', '114Q4', '114Q3', '114Q2']);
    expect(list.map((p) => p.state)).toEqual(['locked', 'open', 'open', 'open']);
    const snap = await r.call(r.d.admin, 'reports.snapshot', { definitionId: id, period: '115Q1' });
    expect(snap).toMatchObject({ period: '115Q1', fileName: '相對期間季報_115年第1季.xlsx' });
    expect(values(fromB64(snap.fileBase64)).get('B11')).toBe(3);
    expect((await r.call(r.d.admin, 'reports.listDefinitions', {})).find((d) => d.id === id)?.lastSubmitted).toBe('115Q1');
  });

  it('exports a version-2 file with frequency, periods and the 編製日期 cell; a version-1 file still imports as quarterly', async () => {
    const exported = await r.call(r.d.admin, 'reports.exportDefinition', { id });
    const doc = JSON.parse(exported.text as string) as DefinitionFile;
    expect(doc).toMatchObject({ version: 2, frequency: 'quarter', compiledCell: { sheet: SHEET, cell: 'G19' } });
    expect(doc.mappings.filter((m) => m.cell.startsWith('B')).map((m) => m.period)).toEqual(QUARTER_ROWS);
    const copy = await r.call(r.d.admin, 'reports.importDefinition', { json: exported.text as string, name: '相對期間季報（匯入）' });
    expect(copy.mappings.map((m) => [m.cell, m.period])).toEqual((await r.call(r.d.admin, 'reports.getDefinition', { id })).mappings.map((m) => [m.cell, m.period]));
    expect(copy.compiledCell).toMatchObject({ cell: 'G19' });

    const v1 = { ...doc, version: 1, mappings: doc.mappings.map(({ period: _p, ...m }) => m) } as Record<string, unknown>;
    delete v1.frequency;
    delete v1.compiledCell;
    const old = await r.call(r.d.admin, 'reports.importDefinition', { json: JSON.stringify(v1), name: '舊版定義檔' });
    expect(old.frequency).toBe('quarter');
    expect(old.compiledCell ?? null).toBeNull();
    expect(new Set(old.mappings.map((m) => m.period))).toEqual(new Set(['report']));
  });

  it('refuses at save a period the frequency does not have, naming the cell', async () => {
    const env = await r.raw(r.d.admin, 'reports.saveDefinition', definitionInput('錯誤期間', 'quarter', [{ sheet: SHEET, cell: 'B10', indicatorId: 'cases.received', period: 'month4' }]));
    expect(env.ok).toBe(false);
    if (!env.ok) {
      expect(env.error.code).toBe('VALIDATION');
      expect(env.error.message).toContain(`${SHEET}!B10`);
      expect(env.error.message).toContain('本期第4個月');
      expect(env.error.fields?.['mappings.0.period']).toMatch(/季報沒有/);
    }
  });
});

describe('monthly and half-yearly definitions', () => {
  const MONTH_ROWS: RelativePeriod[] = ['report', 'ytd', 'sameLastYear', 'previous'];
  const HALF_ROWS: RelativePeriod[] = ['report', 'month1', 'month2', 'month3', 'month4', 'month5', 'month6'];

  it('a monthly definition for 115-03 and 115年2月', async () => {
    const d = await r.call(r.d.admin, 'reports.saveDefinition', definitionInput('月報測試', 'month', rowsFor(MONTH_ROWS)));
    expect(d.frequency).toBe('month');
    const mar = await expectCounted(d.id, 'month', MONTH_ROWS, '115-03');
    expect(mar.expected).toMatchObject({ B10: 1, B11: 5, B13: 1 });
    await expectCounted(d.id, 'month', MONTH_ROWS, '115年2月');
    const list = await r.call(r.d.admin, 'reports.periods', { definitionId: d.id, count: 3 });
    expect(list.map((p) => [p.period, p.label])).toEqual([
      ['115-03', '115年3月'],
      ['115-02', '115年2月'],
      ['115-01', '115年1月'],
    ]);
    const env = await r.raw(r.d.admin, 'reports.generate', { definitionId: d.id, period: '115Q1' });
    expect(env.ok ? null : env.error.fields?.period).toBe('月份格式不正確，請輸入如 115-03 或 115年3月');
    const st = await r.call(r.d.admin, 'reports.submit', { definitionId: d.id, period: '115-03' });
    expect(st.period).toBe('115-03');
    expect((await r.db.selectFrom('report_submissions').select('period').where('definition_id', '=', d.id).executeTakeFirstOrThrow()).period).toBe('2026-03');
  });

  it('a half-yearly definition for 115H1 with its six months', async () => {
    const d = await r.call(r.d.admin, 'reports.saveDefinition', definitionInput('半年報測試', 'halfYear', rowsFor(HALF_ROWS)));
    const h1 = await expectCounted(d.id, 'halfYear', HALF_ROWS, '115年上半年');
    expect(h1.g.periodLabel).toBe('115年上半年');
    expect(values(fromB64(h1.g.fileBase64)).get('A6')).toBe('中華民國115年上半年');
    // The six months add up to the half-year for a count of events.
    expect([11, 12, 13, 14, 15, 16].reduce((s, row) => s + (h1.expected[`G${row}`] ?? 0), 0)).toBe(h1.expected.G10);
    expect(h1.expected.B10).toBe(5);
    const list = await r.call(r.d.admin, 'reports.periods', { definitionId: d.id, count: 2 });
    expect(list.map((p) => p.period)).toEqual(['115H1', '114H2']);
    // A submission of an older period is listed too, in time order.
    await r.call(r.d.admin, 'reports.submit', { definitionId: d.id, period: '113H2' });
    expect((await r.call(r.d.admin, 'reports.periods', { definitionId: d.id, count: 2 })).map((p) => [p.period, p.state])).toEqual([
      ['115H1', 'open'],
      ['114H2', 'open'],
      ['113H2', 'locked'],
    ]);
  });
});

describe('a fixed month outside the period', () => {
  it('is refused on generate with one line naming the cells, and shown by checkDefinition', async () => {
    const mappings: MappingInput[] = [
      { sheet: SHEET, cell: 'B10', indicatorId: 'cases.received' },
      { sheet: SHEET, cell: 'B11', indicatorId: 'cases.received', filters: { month: '2026-02' } },
      { sheet: SHEET, cell: 'C11', indicatorId: 'cases.opened', filters: { month: '2026-02' } },
    ];
    const d = await r.call(r.d.admin, 'reports.saveDefinition', definitionInput('固定月份', 'quarter', mappings));
    // Inside the quarter: generated, and B11 counts February.
    const q1 = await r.call(r.d.admin, 'reports.generate', { definitionId: d.id, period: '115Q1' });
    expect(q1.figures.find((f) => f.cell === 'B11')?.value).toBe(countReceived({ from: '2026-02-01', to: '2026-02-28' }));
    expect(q1.figures.find((f) => f.cell === 'B11')?.value).toBe(1);

    const env = await r.raw(r.d.admin, 'reports.generate', { definitionId: d.id, period: '115Q2' });
    expect(env.ok).toBe(false);
    if (!env.ok) {
      expect(env.error.code).toBe('RULE');
      const lines = env.error.message.split('\n').filter((l) => /月份篩選/.test(l));
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`${SHEET}!B11、C11`);
      expect(lines[0]).toContain('115年2月');
      expect(lines[0]).toContain('115年第2季');
    }
    const audits = await r.db.selectFrom('report_submissions').select('id').where('definition_id', '=', d.id).execute();
    expect(audits).toEqual([]);

    const check = await r.call(r.d.admin, 'reports.checkDefinition', { id: d.id, period: '115Q2' });
    expect(check.filter((p) => p.severity === 'error').map((p) => p.code)).toEqual(['fixed-month-outside-period']);
    expect(await r.call(r.d.admin, 'reports.checkDefinition', { id: d.id, period: '115Q1' })).toEqual([]);
    const loose = await r.call(r.d.admin, 'reports.checkDefinition', { id: d.id });
    expect(loose.map((p) => [p.code, p.severity])).toEqual([['fixed-month', 'warning']]);
    expect(loose[0]?.message).toContain(`${SHEET}!B11、C11`);
  });
});


describe('the cross-tab over any period', () => {
  it('takes a half-year, a year or a date range, and breaks services.persons down by 年齡層', async () => {
    const input = { indicatorId: 'services.persons', breakdowns: ['ageBand' as const] };
    const half = await r.call(r.d.admin, 'reports.crosstab', { ...input, period: '115H1' });
    const range = await r.call(r.d.admin, 'reports.crosstab', { ...input, period: { from: '2026-01-01', to: '2026-06-30' } });
    const year = await r.call(r.d.admin, 'reports.crosstab', { ...input, period: '115年' });
    expect(half.period).toEqual({ from: '2026-01-01', to: '2026-06-30', label: '115年上半年' });
    expect(year.period).toEqual({ from: '2026-01-01', to: '2026-12-31', label: '115年' });
    expect(range.period.label).toBe('115/01/01-115/06/30');
    expect(half.rows.map((x) => [x.labels, x.total.value])).toEqual(range.rows.map((x) => [x.labels, x.total.value]));
    expect(half.rowDimensions).toEqual(['ageBand']);
    expect(half.grandTotal.value).toBeGreaterThan(0);
    const bad = await r.raw(r.d.admin, 'reports.crosstab', { ...input, period: '115H3' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.fields?.period).toMatch(/半年（如 115H1）/);
  });
});

describe('the 編製日期 text', () => {
  // 2026-04-09T16:30Z is 115/04/10 00:30 in Taipei.
  const now = new Date('2026-04-09T16:30:00Z');
  it("keeps the template's pattern, follows a label, or writes the usual line", () => {
    expect(compiledDateText('中華民國\u3000\u3000年\u3000\u3000月\u3000\u3000日編製', now)).toBe('中華民國115年4月10日編製');
    expect(compiledDateText('編製日期：中華民國 年 月 日', now)).toBe('編製日期：中華民國115年4月10日');
    expect(compiledDateText('  年  月  日編製', now)).toBe('中華民國115年4月10日編製');
    expect(compiledDateText('編製日期：', now)).toBe('編製日期：中華民國115年4月10日');
    expect(compiledDateText(null, now)).toBe('中華民國115年4月10日編製');
    expect(compiledDateText('中華民國115年1月5日編製', now)).toBe('中華民國115年4月10日編製');
  });
});
