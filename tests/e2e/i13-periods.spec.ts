import type { Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as XLSX from 'xlsx';
import type { CrosstabView, DefinitionView, GenerateResult, TemplateView } from '../../main/contract/types-reports';
import { callFromPage, expect, type RunningHost, seedDemoAt, startHost, test, signInDemo } from './host';

/**
 * Periods relative to the report (issue 13 §2, §6 cross-tab, §7 snapshot) in Chromium, on the demo data at
 * TEST_NOW 2026-05-20 (115年第2季). A quarterly definition is set up through the API (rows: the quarter,
 * its 1st/2nd/3rd month, the year to date, the previous quarter; the 編製日期 cell), then on the screen:
 * generate 115年第1季 and 114年第4季, download both, check each file against the API's figures and
 * against one another (the months add up to the quarter; Q1's "previous" is Q4's quarter; Q1's year to
 * date is Q1); submit 115年第1季 and download the submitted snapshot. A monthly definition lists months.
 * The cross-tab by 年齡層 over a custom ROC date range equals the API's, and its half-year equals that range.
 */
test.describe.configure({ mode: 'serial' });

const ROOT = join(import.meta.dirname, '..', '..');
const TEMPLATE = join(ROOT, '..', 'shared', 'fixtures', 'templates', '季報-範例.xlsx');
const SHOTS = join(ROOT, 'artifacts', 'issue13', 'periods');
const SHEET = '脆弱家庭服務';

let host: RunningHost;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wd-e2e-i13-periods-'));
  seedDemoAt(dataDir);
  host = await startHost({ dataDir });
  mkdirSync(SHOTS, { recursive: true });
});
test.afterAll(async () => {
  await host.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

function signIn(page: Page, username: string) {
  return signInDemo(page, host.url, username);
}

async function pickOption(page: Page, testId: string, text: string) {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: text, exact: true }).click();
}

async function api<T>(page: Page, method: string, payload: unknown): Promise<T> {
  const env = (await callFromPage(page, method, payload)) as { ok: boolean; value?: T; error?: { message: string } };
  if (!env.ok) throw new Error(`${method}: ${env.error?.message}`);
  return env.value as T;
}

/** Downloads through `testId` and returns the file name and the sheet's values. */
async function download(page: Page, testId: string, saveAs: string): Promise<{ name: string; cells: XLSX.WorkSheet }> {
  const promise = page.waitForEvent('download');
  await page.getByTestId(testId).click();
  const d = await promise;
  const path = join(SHOTS, saveAs);
  await d.saveAs(path);
  const ws = XLSX.read(readFileSync(path), { type: 'buffer' }).Sheets[SHEET];
  if (!ws) throw new Error('no sheet');
  return { name: d.suggestedFilename(), cells: ws };
}

const ROWS = [
  ['report', 10],
  ['month1', 11],
  ['month2', 12],
  ['month3', 13],
  ['ytd', 14],
  ['previous', 15],
] as const;

test('管理者: a quarterly definition with relative periods, generated for two quarters, submitted, snapshot downloaded', async ({ page }) => {
  await signIn(page, 'admin');
  const template = await api<TemplateView>(page, 'reports.importTemplate', { fileName: '季報-範例.xlsx', bytesBase64: readFileSync(TEMPLATE).toString('base64') });
  const mappings = ROWS.flatMap(([period, row]) => [
    { sheet: SHEET, cell: `B${row}`, indicatorId: 'cases.received', period },
    { sheet: SHEET, cell: `G${row}`, indicatorId: 'services.count', filters: { method: '電訪家庭' }, period },
    { sheet: SHEET, cell: `H${row}`, indicatorId: 'services.count', filters: { method: '面訪家庭' }, period },
  ]);
  const def = await api<DefinitionView>(page, 'reports.saveDefinition', {
    templateId: template.id,
    name: '相對期間季報',
    formNo: '10930-01-01-2',
    agency: '南投縣政府社會及勞動處',
    deadline: '次季終了後20日內編報',
    frequency: 'quarter',
    periodCell: { sheet: SHEET, cell: 'A6' },
    compiledCell: { sheet: SHEET, cell: 'G19' },
    mappings,
  });
  expect(def.mappings.map((m) => m.period)).toContain('month3');

  await page.goto(`${host.url}#/reports/quarterly`);
  await expect(page.getByRole('heading', { name: '定期報表產製' })).toBeVisible();
  await pickOption(page, 'definition-select', '相對期間季報（10930-01-01-2）');
  // The last finished quarter at 115/05/20 is offered first.
  await expect(page.getByTestId('quarter-select')).toHaveValue('115年第1季');

  const files: Record<string, XLSX.WorkSheet> = {};
  for (const [label, key] of [
    ['115年第1季', '115Q1'],
    ['114年第4季', '114Q4'],
  ] as const) {
    await pickOption(page, 'quarter-select', label);
    await page.getByTestId('generate').click();
    await expect(page.getByTestId('generate-result')).toContainText(label);
    await expect(page.getByTestId('figures-table').locator('tbody tr')).toHaveCount(mappings.length);
    await shot(page, `periods-01-generated-${key}`);
    if (key === '115Q1') await expect(page.getByTestId('cell-period-B12')).toHaveText('本期第2個月 115/02/01–115/02/28');
    const file = await download(page, 'download-xlsx', `相對期間季報-${key}.xlsx`);
    expect(file.name).toBe(`季報-${label}.xlsx`);
    files[key] = file.cells;
    // The file holds the API's figures for the same period, the period line and the 編製日期.
    const g = await api<GenerateResult>(page, 'reports.generate', { definitionId: def.id, period: key });
    for (const f of g.figures) expect({ cell: f.cell, v: file.cells[f.cell]?.v ?? null }).toEqual({ cell: f.cell, v: f.value });
    expect(file.cells.A6?.v).toBe(`中華民國${label}`);
    expect(file.cells.G19?.v).toBe('中華民國115年5月20日編製');
  }
  const q1 = files['115Q1'] as XLSX.WorkSheet;
  const q4 = files['114Q4'] as XLSX.WorkSheet;
  const v = (ws: XLSX.WorkSheet, cell: string) => Number(ws[cell]?.v);
  for (const col of ['B', 'G', 'H']) {
    // A count of events: the three months add up to the quarter.
    expect(v(q1, `${col}11`) + v(q1, `${col}12`) + v(q1, `${col}13`)).toBe(v(q1, `${col}10`));
    expect(v(q4, `${col}11`) + v(q4, `${col}12`) + v(q4, `${col}13`)).toBe(v(q4, `${col}10`));
    // Q1's previous quarter is Q4; Q1's year to date is Q1 itself.
    expect(v(q1, `${col}15`)).toBe(v(q4, `${col}10`));
    expect(v(q1, `${col}14`)).toBe(v(q1, `${col}10`));
  }
  // The months of 115Q1 against the cross-tab by month, an independent path through the indicator.
  const byMonth = await api<CrosstabView>(page, 'reports.crosstab', { indicatorId: 'cases.received', breakdowns: ['month'], period: '115Q1' });
  expect(byMonth.rows.map((r) => r.total.value ?? 0)).toEqual([v(q1, 'B11'), v(q1, 'B12'), v(q1, 'B13')]);
  expect(v(q1, 'B10')).toBeGreaterThan(0);
  expect([v(q1, 'B10'), v(q1, 'G10'), v(q1, 'H10')]).not.toEqual([v(q4, 'B10'), v(q4, 'G10'), v(q4, 'H10')]);

  // Submit 115年第1季; its snapshot downloads as submitted.
  await pickOption(page, 'quarter-select', '115年第1季');
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('generate-result')).toContainText('115年第1季');
  await page.getByTestId('submit').click();
  await page.getByRole('dialog').getByTestId('confirm-action-ok').click();
  await expect(page.getByTestId('period-state')).toHaveText('已送出（鎖定）');
  await expect(page.getByTestId('download-snapshot')).toBeVisible();
  await expect(page.getByTestId('snapshot-115Q1')).toBeVisible();
  await shot(page, 'periods-02-submitted');
  const snap = await download(page, 'download-snapshot', '相對期間季報-115Q1-送出版本.xlsx');
  expect(snap.name).toBe('季報-送出版本-115年第1季.xlsx');
  for (const [, row] of ROWS) for (const col of ['B', 'G', 'H']) expect(snap.cells[`${col}${row}`]?.v).toBe(q1[`${col}${row}`]?.v);
  // Other quarters have nothing to download.
  await expect(page.getByTestId('snapshot-114Q4')).toHaveCount(0);
});

test('管理者: a monthly definition offers months in ROC and generates one', async ({ page }) => {
  await signIn(page, 'admin');
  const templates = await api<TemplateView[]>(page, 'reports.listTemplates', {});
  await api<DefinitionView>(page, 'reports.saveDefinition', {
    templateId: templates[0]?.id,
    name: '服務月報',
    formNo: 'M-01',
    agency: '南投縣政府社會及勞動處',
    deadline: '次月10日前',
    frequency: 'month',
    periodCell: { sheet: SHEET, cell: 'A6' },
    mappings: [
      { sheet: SHEET, cell: 'G10', indicatorId: 'services.count', filters: { method: '電訪家庭' } },
      { sheet: SHEET, cell: 'G11', indicatorId: 'services.count', filters: { method: '電訪家庭' }, period: 'ytd' },
    ],
  });
  await page.goto(`${host.url}#/reports/quarterly`);
  await pickOption(page, 'definition-select', '服務月報（M-01）');
  await expect(page.getByTestId('quarter-select')).toHaveValue('115年4月');
  await pickOption(page, 'quarter-select', '115年3月');
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('generate-result')).toContainText('115年3月');
  await expect(page.getByTestId('periods-table')).toContainText('115年5月');
  await shot(page, 'periods-03-monthly');
  const file = await download(page, 'download-xlsx', '服務月報-115-03.xlsx');
  expect(file.name).toBe('月報-115年3月.xlsx');
  expect(file.cells.A6?.v).toBe('中華民國115年3月');
  const ytd = await api<CrosstabView>(page, 'reports.crosstab', { indicatorId: 'services.count', breakdowns: ['method'], period: { from: '2026-01-01', to: '2026-03-31' } });
  expect(file.cells.G11?.v).toBe(ytd.rows.find((r) => r.keys[0] === '電訪家庭')?.total.value);
});

test('管理者: the cross-tab by 年齡層 over a custom ROC date range and a half-year', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto(`${host.url}#/reports/crosstab`);
  await pickOption(page, 'x-indicator', '服務人數（人）');
  await page.getByTestId('x-breakdowns').click({ force: true });
  await page.getByRole('option', { name: '年齡層', exact: true }).click();
  await page.keyboard.press('Escape');
  await page.getByTestId('x-period-kind').getByText('自訂起訖').click();
  await page.getByTestId('x-from').fill('115/01/01');
  await page.getByTestId('x-to').fill('115/06/30');
  await page.getByTestId('x-to').blur();
  await page.getByTestId('x-run').click();
  await expect(page.getByTestId('crosstab-table')).toBeVisible();
  await expect(page.getByTestId('crosstab-table')).toContainText('年齡層');
  await expect(page.getByTestId('crosstab-table')).toContainText('65歲以上');
  await expect(page.getByRole('heading', { name: /115\/01\/01-115\/06\/30/ })).toBeVisible();
  await shot(page, 'periods-04-crosstab-range');
  const shownTotal = Number(await page.getByTestId('grand-total').textContent());
  const range = await api<CrosstabView>(page, 'reports.crosstab', { indicatorId: 'services.persons', breakdowns: ['ageBand'], period: { from: '2026-01-01', to: '2026-06-30' } });
  expect(shownTotal).toBe(range.grandTotal.value);
  expect(shownTotal).toBeGreaterThan(0);

  // The same dates as a half-year.
  await page.getByTestId('x-period-kind').getByText('半年').click();
  await pickOption(page, 'x-period', '115年上半年');
  await page.getByTestId('x-run').click();
  await expect(page.getByRole('heading', { name: /115年上半年/ })).toBeVisible();
  expect(Number(await page.getByTestId('grand-total').textContent())).toBe(shownTotal);
  await shot(page, 'periods-05-crosstab-half-year');

  // A range whose end is before its start is refused beside the field.
  await page.getByTestId('x-period-kind').getByText('自訂起訖').click();
  await page.getByTestId('x-from').fill('115/06/30');
  await page.getByTestId('x-to').fill('115/01/01');
  await page.getByTestId('x-to').blur();
  await expect(page.getByText('迄日不可早於起日')).toBeVisible();
  await expect(page.getByTestId('x-run')).toBeDisabled();
});
