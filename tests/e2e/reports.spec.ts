import type { Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import * as XLSX from 'xlsx';
import type { FigureView, GenerateResult } from '../../main/contract/types-reports';
import { callFromPage, expect, type RunningHost, seedDemoAt, shot, startHost, test } from './host';

/**
 * Reports (issue 4) in Chromium: an administrator imports the example central template, maps cells
 * (and the period line A6), saves the definition, generates 115年第1季 on the demo data, downloads the
 * xlsx and the test checks the filled values against the API's figures and that every other part of
 * the template is unchanged; submits (locks) the quarter, changes a record, generates again and sees
 * the difference. A 督導 prints the monthly report to PDF (page 1 rendered to PNG with pdftoppm).
 * The cross-tab screen gives a table, a chart and an xlsx.
 */
test.describe.configure({ mode: 'serial' });

const ROOT = join(import.meta.dirname, '..', '..');
const TEMPLATE = join(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures', 'templates', '季報-範例.xlsx');
const ARTIFACTS = join(ROOT, 'artifacts');
const PASSWORD = 'demo1234';
const SHEET = '脆弱家庭服務';

let host: RunningHost;
let dataDir: string;
let definitionId = 0;
let firstFigures: FigureView[] = [];

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wd-e2e-reports-'));
  seedDemoAt(dataDir);
  host = await startHost({ dataDir });
  mkdirSync(join(ARTIFACTS, 'screenshots'), { recursive: true });
});
test.afterAll(async () => {
  await host.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function signIn(page: Page, username: string) {
  await page.goto(host.url);
  await page.getByLabel('帳號').fill(username);
  await page.getByLabel('密碼').fill(PASSWORD);
  await page.getByRole('button', { name: '登入' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
}

async function pickOption(page: Page, testId: string, text: string) {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: text, exact: true }).click();
}

/** Clicks a cell of the template grid and maps it to an indicator (optionally with a 面向 filter). */
async function mapCell(page: Page, cell: string, indicator: string, dimension?: string) {
  await page.locator(`td[data-cell="${cell}"]`).click();
  await expect(page.getByTestId('mapping-panel')).toContainText(`${SHEET}!${cell}`);
  await pickOption(page, 'indicator-select', indicator);
  if (dimension) {
    await pickOption(page, 'filter-dim', '脆弱面向');
    await pickOption(page, 'filter-value', dimension);
  }
  await page.getByTestId('apply-mapping').click();
  await expect(page.locator(`td[data-cell="${cell}"]`)).toContainText(indicator.replace(/（.*$/, ''));
}

/** The sheet XML with the given cells' <c> elements removed, to compare the rest byte for byte. */
function withoutCells(xml: string, cells: string[]): string {
  let out = xml;
  for (const c of cells) out = out.replace(new RegExp(`<c r="${c}"(?:[^>]*?/>|[^>]*?>[\\s\\S]*?</c>)`), '');
  return out;
}

function sheetPath(files: Record<string, Uint8Array>, name: string): string {
  const wb = new TextDecoder().decode(files['xl/workbook.xml']);
  const rid = new RegExp(`<sheet [^>]*name="${name}"[^>]*r:id="([^"]+)"`).exec(wb)?.[1] ?? '';
  const rels = new TextDecoder().decode(files['xl/_rels/workbook.xml.rels']);
  const target = new RegExp(`<Relationship [^>]*Id="${rid}"[^>]*Target="([^"]+)"`).exec(rels)?.[1] ?? new RegExp(`Target="([^"]+)"[^>]*Id="${rid}"`).exec(rels)?.[1] ?? '';
  return target.startsWith('/') ? target.slice(1) : `xl/${target}`;
}

test('管理者: import the template, map cells, generate 115年第1季, download, submit, see the difference', async ({ page }) => {
  // The longest flow of the suite (import, map, export, import, generate, download, submit, unlock): 1.5 min on a loaded 2-core machine.
  test.setTimeout(240_000);
  await signIn(page, 'admin');
  await page.goto(`${host.url}#/reports/templates`);
  await expect(page.getByRole('heading', { name: '季報範本與報表定義' })).toBeVisible();

  // A file that is not xlsx is refused with a zh-TW message.
  await page.locator('input[type=file][accept*=".xlsx"]').setInputFiles({ name: '不是範本.xlsx', mimeType: 'application/octet-stream', buffer: Buffer.from('這不是 xlsx') });
  await expect(page.getByTestId('refusal')).toBeVisible();
  await shot(page, 'reports-01-template-refused');

  await page.locator('input[type=file][accept*=".xlsx"]').setInputFiles(TEMPLATE);
  await expect(page.getByTestId('templates-table')).toContainText('季報-範例.xlsx');
  await page.locator('[data-testid^="map-template-"]').first().click();
  await expect(page.getByTestId('template-grid')).toBeVisible();
  await expect(page.locator('td[data-cell="A5"]')).toContainText('脆弱家庭服務概況');

  await page.getByLabel('報表名稱').fill('脆弱家庭服務概況季報');
  await page.getByLabel('表號').fill('1234-05-06');
  await page.getByLabel('編製機關').fill('南投市社會福利服務中心');
  await page.getByLabel('報送期限').fill('次季終了後20日內編報');

  await mapCell(page, 'B10', '受理案件數（件）');
  await mapCell(page, 'C10', '開案數（件）');
  await mapCell(page, 'D10', '不開案數（件）');
  await mapCell(page, 'E10', '結案數（件）');
  await mapCell(page, 'C11', '開案數（件）', '家庭經濟陷困');
  await page.locator('td[data-cell="A6"]').click();
  await page.getByTestId('set-period-cell').click();
  await expect(page.getByTestId('period-cell')).toHaveValue(`${SHEET}!A6`);
  await shot(page, 'reports-02-mapping');

  await page.getByTestId('save-definition').click();
  await expect(page).toHaveURL(/#\/reports\/definitions\/\d+$/);
  definitionId = Number(/definitions\/(\d+)$/.exec(page.url())?.[1]);
  expect(definitionId).toBeGreaterThan(0);
  await expect(page.locator('td[data-cell="C11"]')).toContainText('家庭經濟陷困');
  await shot(page, 'reports-03-definition-saved');

  // The definition exports to a .json file, which imports again (another center would do this) under a new name.
  const jsonPromise = page.waitForEvent('download');
  await page.getByTestId('export-definition').click();
  const jsonDownload = await jsonPromise;
  expect(jsonDownload.suggestedFilename()).toMatch(/\.json$/);
  const jsonPath = join(ARTIFACTS, 'reports-definition.json');
  await jsonDownload.saveAs(jsonPath);
  expect(JSON.parse(readFileSync(jsonPath, 'utf8')).mappings).toHaveLength(5);
  await page.goto(`${host.url}#/reports/templates`);
  await page.locator('input[type=file][accept*=".json"]').setInputFiles(jsonPath);
  await expect(page.getByTestId('refusal')).toContainText('已有名為');
  await page.getByTestId('import-name').fill('脆弱家庭服務概況季報（匯入）');
  await page.locator('input[type=file][accept*=".json"]').setInputFiles(jsonPath);
  await expect(page).toHaveURL(/#\/reports\/definitions\/\d+$/);
  expect(page.url()).not.toMatch(new RegExp(`definitions/${definitionId}$`));
  await expect(page.locator('td[data-cell="C11"]')).toContainText('家庭經濟陷困');

  // Generate the quarter and review the figures.
  await page.goto(`${host.url}#/reports/quarterly`);
  await pickOption(page, 'definition-select', '脆弱家庭服務概況季報（1234-05-06）');
  await expect(page.getByTestId('quarter-select')).toHaveValue('115年第1季');
  await page.getByTestId('generate').click();
  await expect(page.getByTestId('figures-table')).toBeVisible();
  await expect(page.getByTestId('figures-table').locator('tbody tr')).toHaveCount(5);
  await shot(page, 'reports-04-generated');

  const downloadPromise = page.waitForEvent('download');
  await page.getByTestId('download-xlsx').click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toBe('季報-115年第1季.xlsx');
  const saved = join(ARTIFACTS, 'reports-季報-115Q1.xlsx');
  await download.saveAs(saved);

  // The figures the API gives for the same definition and period are in the downloaded file.
  const api = (await callFromPage(page, 'reports.generate', { definitionId, period: '115Q1' })) as { ok: boolean; value: GenerateResult };
  expect(api.ok).toBe(true);
  firstFigures = api.value.figures;
  expect(firstFigures.map((f) => f.cell).sort()).toEqual(['B10', 'C10', 'C11', 'D10', 'E10']);
  const filled = readFileSync(saved);
  const book = XLSX.read(filled, { type: 'buffer' });
  const ws = book.Sheets[SHEET];
  expect(ws).toBeDefined();
  for (const f of firstFigures) expect({ cell: f.cell, value: ws?.[f.cell]?.v ?? null }).toEqual({ cell: f.cell, value: f.value });
  expect(String(ws?.A6?.v)).toContain('115年第1季');
  expect(firstFigures.find((f) => f.cell === 'B10')?.value).toBeGreaterThan(0);

  // Every part other than the mapped sheet is unchanged byte for byte; in the mapped sheet only the mapped cells differ.
  const before = unzipSync(new Uint8Array(readFileSync(TEMPLATE)));
  const after = unzipSync(new Uint8Array(filled));
  const mappedSheet = sheetPath(before, SHEET);
  expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
  const changed = Object.keys(before).filter((p) => Buffer.compare(Buffer.from(before[p] as Uint8Array), Buffer.from(after[p] as Uint8Array)) !== 0);
  // workbook.xml may differ only in <calcPr> (fullCalcOnLoad, so the template's formulas recalculate on opening).
  expect(changed.filter((p) => p !== mappedSheet && p !== 'xl/workbook.xml')).toEqual([]);
  const noCalc = (b: Uint8Array | undefined) => new TextDecoder().decode(b).replace(/<calcPr\b[^>]*\/>/, '');
  expect(noCalc(after['xl/workbook.xml'])).toBe(noCalc(before['xl/workbook.xml']));
  expect(new TextDecoder().decode(after['xl/workbook.xml'])).toContain('fullCalcOnLoad="1"');
  const cells = [...firstFigures.map((f) => f.cell), 'A6'];
  expect(withoutCells(new TextDecoder().decode(after[mappedSheet]), cells)).toBe(withoutCells(new TextDecoder().decode(before[mappedSheet]), cells));

  // Submit: the quarter locks.
  await page.getByTestId('submit').click();
  // Submitting locks the quarter: the screen asks first.
  await page.getByRole('dialog').getByTestId('confirm-action-ok').click();
  await expect(page.getByTestId('period-state')).toHaveText('已送出（鎖定）');
  await expect(page.getByTestId('no-diff')).toBeVisible();
  await expect(page.getByTestId('periods-table')).toContainText('已送出（鎖定）');

  // A case received in 115Q1 is added; generating again shows the difference cell by cell.
  const me = (await callFromPage(page, 'auth.status', {})) as { value?: { session: { user: { id: number } } } };
  expect(me.value?.session.user.id).toBeGreaterThan(0);
  const intake = (await callFromPage(page, 'cases.intake', {
    householdId: 1,
    source: 'A',
    receivedAt: '2026-02-16T09:00:00+08:00',
    caseType: '脆弱家庭',
    factors: [],
    riskLevel: '中',
    leadWorkerId: null,
  })) as { ok: boolean; error?: { message: string } };
  expect(intake.error?.message).toBeUndefined();
  await page.getByTestId('generate').click();
  const diff = page.getByTestId('diff-table');
  await expect(diff).toBeVisible();
  const b10 = firstFigures.find((f) => f.cell === 'B10')?.value ?? 0;
  await expect(diff.locator('tbody tr').filter({ hasText: 'B10' })).toContainText(String(b10 + 1));
  await shot(page, 'reports-05-locked-diff');

  // 解鎖 needs a reason; the quarter can then be generated and submitted again.
  await page.getByTestId('unlock').click();
  await page.getByTestId('unlock-reason').fill('補登2月受理個案');
  await page.getByRole('button', { name: '確認解鎖' }).click();
  await expect(page.getByTestId('period-state')).toHaveText('已解鎖（待重送）');
  await expect(page.getByTestId('periods-table')).toContainText('補登2月受理個案');
});

test('督導: the monthly report prints to PDF on A4', async ({ page }) => {
  await signIn(page, 'sup1');
  await page.goto(`${host.url}#/reports/monthly`);
  await pickOption(page, 'month-select', '115年3月');
  const frame = page.frameLocator('[data-testid="monthly-frame"]');
  await expect(frame.locator('h1')).toBeVisible();
  await page.getByTestId('remark').fill('本月開案量穩定，請持續追蹤逾期訪視。');
  await page.getByTestId('save-remark').click();
  await expect(page.getByText('督導意見已儲存。')).toBeVisible();
  await expect(frame.locator('body')).toContainText('本月開案量穩定');
  await shot(page, 'reports-06-monthly');

  // The print button records the print first, then opens the print dialog (stubbed in the test).
  await page.evaluate(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => {
      (window as unknown as { printed: number }).printed += 1;
    };
  });
  await page.getByTestId('print-monthly').click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);

  const pdf = join(ARTIFACTS, 'reports-monthly.pdf');
  await page.pdf({ path: pdf, format: 'A4', preferCSSPageSize: true, printBackground: true });
  expect(statSync(pdf).size).toBeGreaterThan(5000);
  const png = join(ARTIFACTS, 'screenshots', 'reports-monthly-page1');
  rmSync(`${png}.png`, { force: true });
  execFileSync('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', pdf, png]);
  expect(existsSync(`${png}.png`)).toBe(true);
  const fonts = execFileSync('pdffonts', [pdf]).toString();
  expect(fonts).toMatch(/Kai/i);
});

test('管理者: cross-tabulation gives a table, a chart and an xlsx', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto(`${host.url}#/reports/crosstab`);
  await pickOption(page, 'x-indicator', '受理案件數（件）');
  await page.getByTestId('x-breakdowns').click({ force: true });
  await page.getByRole('option', { name: '組別', exact: true }).click();
  await page.getByRole('option', { name: '月份', exact: true }).click();
  await page.keyboard.press('Escape');
  await page.getByTestId('x-run').click();
  await expect(page.getByTestId('crosstab-table')).toBeVisible();
  await expect(page.getByTestId('crosstab-chart').locator('rect').first()).toBeVisible();
  const total = await page.getByTestId('grand-total').textContent();
  expect(Number(total)).toBeGreaterThan(0);
  await shot(page, 'reports-07-crosstab');

  const downloadPromise = page.waitForEvent('download');
  await page.getByTestId('x-export').click();
  const download = await downloadPromise;
  expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
  const saved = join(ARTIFACTS, 'reports-crosstab.xlsx');
  await download.saveAs(saved);
  const book = XLSX.read(readFileSync(saved), { type: 'buffer' });
  const first = book.Sheets[book.SheetNames[0] ?? ''];
  expect(first).toBeDefined();
  // The screen shows every figure; the exported file masks counts under 3.
  expect(XLSX.utils.sheet_to_csv(first as XLSX.WorkSheet)).toContain('<3');
});
