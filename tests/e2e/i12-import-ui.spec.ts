import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import * as XLSX from 'xlsx';
import * as cptable from 'xlsx/dist/cpexcel';
import type { ImportBatchView } from '../../main/contract/methods/imports';
import type { CodeListVersionView, CodeListView } from '../../main/contract/types-cases';
import { api, expect, type RunningHost, seedDemoAt, startHost, test } from './host';

/**
 * Issue 12, the import screens: an administrator brings in a new version of the 脆弱性因子 code list from a
 * spreadsheet made in the test (a hidden sheet first, a title row above the headers, every current code, one
 * renamed, two new, one without a name, one code twice), walks 選擇檔案 → 工作表與標題列 → 欄位對應 → 檢查
 * → 匯入, downloads the check and the result reports, finds the batch in 匯入紀錄 and undoes it. A worker
 * sees neither the menu entry nor the screens. Screenshots of every step: artifacts/issue12/ui/.
 */
test.describe.configure({ mode: 'serial', timeout: 300_000 });

const PASSWORD = 'demo1234';
const ROOT = join(import.meta.dirname, '..', '..');
const SHOTS = join(ROOT, 'artifacts', 'issue12', 'ui');
mkdirSync(SHOTS, { recursive: true });
const WESTERN_YEAR = /(?:19|20)\d\d[-/年]/;
// The CommonJS codepage tables, however the loader presents them.
const codepages = ((cptable as { default?: unknown }).default ?? cptable) as { utils: { encode(cp: number, s: string): Uint8Array | number[] } };
const CORPUS = join(ROOT, '..', 'shared', 'corpus', 'spreadsheets');

let host: RunningHost;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wd-e2e-i12-ui-'));
  seedDemoAt(dataDir);
  host = await startHost({ dataDir });
});
test.afterAll(async () => {
  await host?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function signIn(page: Page, username: string) {
  await page.goto(host.url);
  await page.getByLabel('帳號').fill(username);
  await page.getByLabel('密碼').fill(PASSWORD);
  await page.getByRole('button', { name: '登入' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
}

/** No Western year anywhere the user reads (ROC dates only). */
async function expectRocOnly(page: Page) {
  const text = await page.locator('main').innerText();
  expect(text).not.toMatch(WESTERN_YEAR);
}

async function pickOption(page: Page, testId: string, label: string | RegExp) {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: label }).click();
}

interface CodeItem {
  code: string;
  label: string;
  group: string | null;
}

/** The workbook: a hidden 說明 sheet first, then 代碼表 with a title row, the header row (row 2) and the codes. */
function codeListWorkbook(items: CodeItem[]): Buffer {
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([['本檔由中央提供，請勿修改欄位名稱。']]), '說明');
  const aoa: (string | number)[][] = [['脆弱性因子代碼表（115年版）'], ['代碼', '名稱', '面向代碼', '排序']];
  items.forEach((it, i) => aoa.push([it.code, it.label, it.group ?? '', i + 1]));
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(aoa), '代碼表');
  book.Workbook = { Sheets: [{ Hidden: 1 }, { Hidden: 0 }] };
  return XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

async function readDownload(page: Page, click: () => Promise<void>, saveAs: string): Promise<{ name: string; rows: unknown[][] }> {
  const download = page.waitForEvent('download');
  await click();
  const file = await download;
  const path = join(SHOTS, saveAs);
  await file.saveAs(path);
  const wb = XLSX.read(readFileSync(path), { type: 'buffer' });
  const ws = wb.Sheets[wb.SheetNames[0] as string] as XLSX.WorkSheet;
  return { name: file.suggestedFilename(), rows: XLSX.utils.sheet_to_json<unknown[]>(ws, { header: 1, defval: '' }) };
}

test('a worker sees no 資料匯入 and the import routes answer 無權限', async ({ page }) => {
  await signIn(page, 'sw01');
  await expect(page.getByRole('navigation').getByText('資料匯入')).toHaveCount(0);
  for (const path of ['/imports', '/imports/batches']) {
    await page.goto(`${host.url}#${path}`);
    await expect(page.getByTestId('route-forbidden')).toBeVisible();
    await expect(page.getByText('無權限')).toBeVisible();
  }
  await shot(page, '00-worker-forbidden');
});

test('匯入紀錄 starts empty, and 資料匯入 is in the administrator\'s menu', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto(`${host.url}#/imports/batches`);
  await expect(page.getByRole('heading', { name: '匯入紀錄' })).toBeVisible();
  await expect(page.getByTestId('dt-empty')).toHaveText('尚無匯入紀錄。');
  await shot(page, '00-batches-empty');
  await page.getByRole('navigation').getByText('資料匯入').click();
  await expect(page.getByTestId('import-file-step')).toBeVisible();
});

test('an administrator imports a code list, checks it, commits, downloads the report and undoes the batch', async ({ page }) => {
  await signIn(page, 'admin');
  const versions = await api<CodeListVersionView[]>(page, 'codelists.versions', { list: 'vulnerability' });
  const newest = versions.reduce((a, b) => (a.effectiveFrom > b.effectiveFrom ? a : b));
  const current = await api<CodeListView>(page, 'codelists.get', { list: 'vulnerability', versionId: newest.id });
  const items: CodeItem[] = [];
  for (const g of current.groups) {
    items.push({ code: g.code, label: g.label, group: null });
    for (const it of g.items) items.push({ code: it.code, label: it.label, group: g.code });
  }
  const firstGroup = current.groups[0]!.code;
  const renamed = items.findIndex((it) => it.group !== null);
  items[renamed] = { ...items[renamed]!, label: `${items[renamed]!.label}（修訂）` };
  const existing = items.length;
  items.push({ code: 'T-901', label: '測試新增因子甲', group: firstGroup });
  items.push({ code: 'T-902', label: '測試新增因子乙', group: firstGroup });
  items.push({ code: 'T-903', label: '', group: firstGroup }); // error: no name
  items.push({ code: 'T-901', label: '測試新增因子甲', group: firstGroup }); // duplicate of an earlier line
  const errorLine = 2 + existing + 3; // title row, header row, then the codes
  const duplicateLine = errorLine + 1;

  // The menu entry, and the empty form's messages beside each field.
  await page.getByRole('navigation').getByText('資料匯入').click();
  await expect(page.getByRole('heading', { name: '資料匯入' })).toBeVisible();
  await shot(page, '01-file-step');
  await page.getByTestId('import-file-next').click();
  await expect(page.getByText('請選擇名冊種類')).toBeVisible();
  await expect(page.getByText('請輸入來源名稱')).toBeVisible();
  await expect(page.getByText('請選擇檔案')).toBeVisible();
  await shot(page, '02-file-step-errors');

  // 1. kind, source, file.
  await pickOption(page, 'import-kind', '代碼表');
  await page.getByTestId('import-source').fill('衛福部脆弱性因子代碼表');
  await page.locator('input[type="file"]').setInputFiles({ name: '脆弱性因子代碼表.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: codeListWorkbook(items) });
  await page.getByTestId('import-file-next').click();

  // 2. The hidden sheet is marked, the header row (2) detected; clicking row 1 moves it, row 2 puts it back.
  await expect(page.getByTestId('import-sheet-step')).toBeVisible();
  await expect(page.getByTestId('import-sheet')).toHaveValue(/代碼表/);
  await page.getByTestId('import-sheet').click();
  await expect(page.getByRole('option', { name: /說明（隱藏）/ })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('import-header-row')).toHaveText('標題列：第 2 列');
  await page.getByTestId('preview-row-1').click();
  await expect(page.getByTestId('import-header-row')).toHaveText('標題列：第 1 列');
  await page.getByTestId('preview-row-2').click();
  await expect(page.getByTestId('import-header-row')).toHaveText('標題列：第 2 列');
  await expect(page.getByTestId('preview-row-2')).toHaveAttribute('data-header', 'true');
  await shot(page, '03-sheet-step');
  await page.getByTestId('import-sheet-next').click();

  // 3. The mapping comes suggested from the headers; a required field left unmapped and a missing 生效日期 are
  // errors beside them.
  await expect(page.getByTestId('import-mapping-step')).toBeVisible();
  await expect(page.getByTestId('map-code')).toHaveValue('A 欄：代碼');
  await expect(page.getByTestId('map-label')).toHaveValue('B 欄：名稱');
  await pickOption(page, 'map-label', 'C 欄：面向代碼');
  await pickOption(page, 'map-label', 'C 欄：面向代碼'); // picking the chosen option again clears it
  // Leave the field first: its message appears on blur and moves the button down.
  await page.getByTestId('map-label').press('Tab');
  await expect(page.getByText('請選擇「名稱」取自哪一欄')).toBeVisible();
  await page.getByTestId('import-dryrun').click();
  await expect(page.getByTestId('form-error')).toBeVisible();
  await expect(page.getByText('請選擇「名稱」取自哪一欄')).toBeVisible();
  await expect(page.getByText('請選擇生效日期')).toBeVisible();
  await shot(page, '04-mapping-errors');
  await pickOption(page, 'map-label', 'B 欄：名稱');
  await page.getByTestId('opt-effectiveFrom').fill('115/06/01');
  await page.getByTestId('opt-effectiveFrom').press('Tab');
  await shot(page, '05-mapping-filled');
  await expectRocOnly(page);
  await page.getByTestId('import-dryrun').click();

  // 4. The check: counts per status, the bad row's cell and reason, exclude one new row.
  await expect(page.getByTestId('import-check-step')).toBeVisible({ timeout: 60_000 });
  const chips = page.getByTestId('import-counts');
  await expect(chips.getByTestId('chip-new')).toHaveText('新增 2');
  await expect(chips.getByTestId('chip-match')).toHaveText(`已存在 ${existing}`);
  await expect(chips.getByTestId('chip-error')).toHaveText('錯誤 1');
  await expect(chips.getByTestId('chip-duplicate')).toHaveText(/重複 1$/);
  await shot(page, '06-check-result');
  await chips.getByTestId('chip-error').click();
  await expect(page.getByTestId(`import-row-${errorLine}`)).toContainText(`第 ${errorLine} 列 B 欄：名稱不可空白`);
  await chips.getByTestId('chip-duplicate').click();
  await expect(page.getByTestId(`import-row-${duplicateLine}`)).toContainText(`與第 ${errorLine - 2} 列相同`);
  await chips.getByTestId('chip-match').click();
  await expect(page.getByTestId(`import-row-${3 + renamed}`)).toContainText('名稱：');
  await chips.getByTestId('chip-new').click();
  await shot(page, '07-check-filter-new');
  await expect(page.getByTestId('import-commit')).toHaveText(`匯入 ${existing + 2} 筆`);
  // The box follows the server's answer (imports.setRows), so it is clicked, then seen checked.
  await page.getByTestId(`exclude-${errorLine - 1}`).click();
  await expect(page.getByTestId(`exclude-${errorLine - 1}`)).toBeChecked();
  await expect(chips.getByTestId('chip-excluded')).toHaveText('已排除 1');
  await expect(page.getByTestId('import-commit')).toHaveText(`匯入 ${existing + 1} 筆`);
  await expect(page.getByTestId('import-fix-hint')).toContainText('修正後重新選擇檔案');
  await chips.getByTestId('chip-all').click();
  await expectRocOnly(page);

  const check = await readDownload(page, () => page.getByTestId('import-export-check').click(), 'check-result.xlsx');
  expect(check.name).toMatch(/\.xlsx$/);
  expect(JSON.stringify(check.rows)).toContain('名稱不可空白');

  // 5. Commit behind its confirmation; the result: batch number, counts, the report.
  await page.getByTestId('import-commit').click();
  const confirm = page.getByTestId('import-commit-confirm');
  await expect(confirm).toContainText(`確認匯入 ${existing + 1} 筆？`);
  await shot(page, '08-commit-confirm');
  await confirm.getByTestId('confirm-action-ok').click();
  await expect(page.getByTestId('import-done')).toBeVisible({ timeout: 60_000 });
  const batchNo = (await page.getByTestId('import-batch-no').innerText()).trim();
  expect(batchNo).toMatch(/\d/);
  await expect(page.getByTestId('import-done-counts')).toContainText(`已寫入 ${existing + 1} 筆`);
  await shot(page, '09-commit-done');
  await expectRocOnly(page);
  const report = await readDownload(page, () => page.getByTestId('import-download-result').click(), 'result-report.xlsx');
  expect(report.name).toContain(batchNo);
  expect(JSON.stringify(report.rows)).toContain('已排除');

  const after = await api<CodeListVersionView[]>(page, 'codelists.versions', { list: 'vulnerability' });
  expect(after.length).toBe(versions.length + 1);
  expect(after.some((v) => v.effectiveFrom === '2026-06-01')).toBe(true);

  // 6. 匯入紀錄: the batch, 可復原至, 復原 with a reason.
  await page.getByRole('link', { name: '匯入紀錄' }).click();
  await expect(page.getByRole('heading', { name: '匯入紀錄' })).toBeVisible();
  const row = page.getByTestId(`batch-row-${batchNo}`);
  await expect(row).toContainText('已匯入');
  await expect(row).toContainText('代碼表');
  await expect(row).toContainText('脆弱性因子代碼表.xlsx');
  await shot(page, '10-batches');
  await expectRocOnly(page);
  await row.getByTestId(`undo-${batchNo}`).click();
  const undo = page.getByTestId('import-undo-confirm');
  await expect(undo.getByTestId('confirm-action-ok')).toBeDisabled();
  await undo.getByTestId('import-undo-reason').fill('測試：生效日期填錯');
  await shot(page, '11-undo-confirm');
  await undo.getByTestId('confirm-action-ok').click();
  await expect(page.getByTestId('batches-notice')).toContainText(`已復原批號 ${batchNo}`);
  await expect(row).toContainText('已復原');
  await shot(page, '12-undone');
  const undone = await api<{ rows: ImportBatchView[] }>(page, 'imports.batches', {});
  expect(undone.rows.find((b) => b.batchNo === batchNo)?.state).toBe('undone');
  const back = await api<CodeListVersionView[]>(page, 'codelists.versions', { list: 'vulnerability' });
  expect(back.length).toBe(versions.length);
});

test('the file step refuses an encrypted file beside 檔案 and lets a Big5 CSV be read as UTF-8 or Big5', async ({ page }) => {
  await signIn(page, 'admin');
  await page.goto(`${host.url}#/imports`);
  await pickOption(page, 'import-kind', '代碼表');
  await page.getByTestId('import-source').fill('測試來源');

  // An encrypted workbook: the reader's zh-TW refusal stands beside the file input, nothing else moves.
  await page.locator('input[type="file"]').setInputFiles({ name: '加密.xlsx', mimeType: 'application/octet-stream', buffer: readFileSync(join(CORPUS, 'excelize__encryptAES.xlsx')) });
  await page.getByTestId('import-file-next').click();
  const fileField = page.getByTestId('import-file').locator('xpath=ancestor::div[contains(@class,"mantine-InputWrapper-root")]');
  await expect(fileField).toContainText(/加密|密碼/);
  await expect(page.getByTestId('import-file-step')).toBeVisible();
  await shot(page, '13-file-encrypted-refused');

  // A Big5 CSV: detected, said so, and the choice reads it again.
  const csv = '代碼,名稱,面向代碼\r\nT-1,測試因子,1\r\n';
  const big5 = Buffer.from(codepages.utils.encode(950, csv));
  await page.locator('input[type="file"]').setInputFiles({ name: '代碼表.csv', mimeType: 'text/csv', buffer: big5 });
  await page.getByTestId('import-file-next').click();
  await expect(page.getByTestId('import-sheet-step')).toBeVisible();
  await expect(page.getByTestId('import-encoding-guessed')).toContainText('Big5');
  await expect(page.getByTestId('preview-row-1')).toContainText('名稱');
  await shot(page, '14-csv-big5-guessed');
  await page.getByTestId('import-encoding').getByText('UTF-8').click();
  await expect(page.getByTestId('preview-row-1')).not.toContainText('名稱');
  await page.getByTestId('import-encoding').getByText('Big5（繁體中文）').click();
  await expect(page.getByTestId('preview-row-1')).toContainText('名稱');
});
