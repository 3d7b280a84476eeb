import type { Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { DefinitionSummary, DefinitionView, ExportedFile, TemplateView } from '../../main/contract/types-reports';
import { api, expect, type RunningHost, seedDemoAt, startHost, test, signInDemo } from './host';

/**
 * Managing what was made (issue 13 §5, §7) in Chromium on the demo center: the administrator renames a
 * template and a definition, is told beside the row why a template in use cannot be deleted, deletes a
 * definition never submitted, deletes one whose quarter was submitted and finds it under 已封存 with its
 * submitted file still downloadable (byte for byte), and, when the template under a definition has its
 * sheet renamed, 產製 refuses in one line naming the cells and asking whether the sheet was renamed.
 */
test.describe.configure({ mode: 'serial' });

const ROOT = join(import.meta.dirname, '..', '..');
const TEMPLATE = join(ROOT, '..', 'shared', 'fixtures', 'templates', '季報-範例.xlsx');
const SHOTS = join(ROOT, 'artifacts', 'issue13', 'manage');
const SHEET = '脆弱家庭服務';

let host: RunningHost;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wd-e2e-i13-manage-'));
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

function signIn(page: Page) {
  return signInDemo(page, host.url, 'admin');
}

function mappings(rows: number[]) {
  return rows.flatMap((row) => [
    { sheet: SHEET, cell: `B${row}`, indicatorId: 'cases.received', filters: row > 10 ? { dimension: String(row - 10) } : {} },
    { sheet: SHEET, cell: `C${row}`, indicatorId: 'cases.opened', filters: row > 10 ? { dimension: String(row - 10) } : {} },
  ]);
}

function form(templateId: number, name: string, rows = [10, 11, 12]) {
  return { templateId, name, formNo: '10930-01-01-2', agency: '南投市社會福利服務中心', deadline: '次季終了後20日內編報', periodCell: { sheet: SHEET, cell: 'A6' }, mappings: mappings(rows) };
}

test('管理者: rename, refused delete, delete, archive with the submitted file still downloadable', async ({ page }) => {
  await signIn(page);
  const t = await api<TemplateView>(page, 'reports.importTemplate', { fileName: '季報-範例.xlsx', bytesBase64: readFileSync(TEMPLATE).toString('base64') });
  const kept = await api<DefinitionView>(page, 'reports.saveDefinition', form(t.id, '脆弱家庭服務概況季報'));
  const draft = await api<DefinitionView>(page, 'reports.saveDefinition', form(t.id, '試作的報表', [10]));
  await api(page, 'reports.submit', { definitionId: kept.id, period: '115Q1' });

  await page.goto(`${host.url}#/reports/templates`);
  await expect(page.getByTestId('definitions-table')).toContainText('脆弱家庭服務概況季報');
  await shot(page, '01-lists');

  // Rename the template (its display name) and a definition; a name already used is refused beside the field.
  await page.getByTestId(`template-${t.id}-rename`).click();
  await page.getByTestId('rename-input').fill('115年度脆弱家庭季報範本.xlsx');
  await page.getByTestId('rename-save').click();
  await expect(page.getByTestId('templates-table')).toContainText('115年度脆弱家庭季報範本.xlsx');
  await expect(page.getByTestId(`row-notice-template-${t.id}`)).toHaveText('已將「季報-範例.xlsx」改名為「115年度脆弱家庭季報範本.xlsx」。');
  await expect(page.getByTestId('definitions-table')).toContainText('115年度脆弱家庭季報範本.xlsx');

  await page.getByTestId(`definition-${draft.id}-rename`).click();
  await page.getByTestId('rename-input').fill('脆弱家庭服務概況季報');
  await page.getByTestId('rename-save').click();
  await expect(page.getByTestId(`definition-${draft.id}-rename-dialog`)).toContainText('已有名為「脆弱家庭服務概況季報」的報表定義，請換一個名稱。');
  await shot(page, '02-rename-refused');
  await page.getByTestId('rename-input').fill('試作報表（勿送出）');
  await page.getByTestId('rename-save').click();
  await expect(page.getByTestId('definitions-table')).toContainText('試作報表（勿送出）');

  // A template in use: the refusal names the definitions, beside the row.
  await page.getByTestId(`template-${t.id}-delete`).click();
  await page.getByRole('button', { name: '確定刪除範本' }).click();
  await expect(page.getByTestId(`row-notice-template-${t.id}`)).toContainText('無法執行：範本「115年度脆弱家庭季報範本.xlsx」仍由報表定義「脆弱家庭服務概況季報」、「試作報表（勿送出）」使用，不能刪除。');
  await shot(page, '03-template-delete-refused');

  // A definition never submitted is deleted.
  await page.getByTestId(`definition-${draft.id}-delete`).click();
  await expect(page.getByRole('dialog')).toContainText('確定要刪除報表定義「試作報表（勿送出）」及其儲存格對應嗎？');
  await page.getByRole('button', { name: '確定刪除', exact: true }).click();
  await expect(page.getByTestId('definition-gone-notice')).toHaveText('已刪除報表定義「試作報表（勿送出）」及其 2 格儲存格對應。');
  await expect(page.getByTestId('definitions-table')).not.toContainText('試作報表');

  // One whose quarter was submitted is archived: hidden from the list, shown under 已封存.
  const snapshot = await api<{ sha256: string; fileName: string }>(page, 'reports.snapshot', { definitionId: kept.id, period: '115Q1' });
  await page.getByTestId(`definition-${kept.id}-delete`).click();
  await expect(page.getByRole('dialog')).toContainText('已有送出的報表（最近一期 115Q1），刪除時會改為封存');
  await page.getByRole('button', { name: '確定刪除', exact: true }).click();
  await expect(page.getByTestId(`archived-row-${kept.id}`)).toContainText('脆弱家庭服務概況季報');
  await expect(page.getByTestId(`row-notice-definition-${kept.id}`)).toContainText('已有送出的報表（1 期），因此改為封存');
  await expect(page.getByTestId('definitions-table')).toHaveCount(0);
  await expect(page.getByTestId(`archived-row-${kept.id}`)).toContainText('115/05/20');
  await page.getByTestId(`archived-${kept.id}-submitted`).click();
  await expect(page.getByTestId(`archived-row-${kept.id}`)).toContainText('115年第1季');
  await shot(page, '04-archived');
  const downloading = page.waitForEvent('download');
  await page.locator(`[data-testid^="archived-${kept.id}-download-"]`).first().click();
  const file = await downloading;
  expect(file.suggestedFilename()).toBe(snapshot.fileName);
  const bytes = readFileSync(await file.path());
  expect(createHash('sha256').update(bytes).digest('hex')).toBe(snapshot.sha256);

  // Now only the archived definition uses the template: deleting it keeps it, and says so.
  await page.getByTestId(`template-${t.id}-delete`).click();
  await page.getByRole('button', { name: '確定刪除範本' }).click();
  await expect(page.getByTestId('template-gone-notice')).toHaveText(
    '範本「115年度脆弱家庭季報範本.xlsx」是已封存的報表定義「脆弱家庭服務概況季報」的範本，為保留其已送出的報表而保留在系統中，不再列於範本清單。',
  );
  await expect(page.getByTestId('templates-table')).toHaveCount(0);
  const all = await api<DefinitionSummary[]>(page, 'reports.listDefinitions', { includeArchived: true });
  expect(all.map((d) => [d.name, d.archivedAt !== null])).toEqual([['脆弱家庭服務概況季報', true]]);
  await shot(page, '05-template-kept');
});

test('管理者: 產製 on a template whose sheet was renamed is refused in one line naming the cells', async ({ page }) => {
  await signIn(page);
  // Another file (the example re-zipped), a definition over it, then the file swapped for one whose sheet is renamed.
  const other = zipSync(unzipSync(new Uint8Array(readFileSync(TEMPLATE))), { level: 1 });
  const t = await api<TemplateView>(page, 'reports.importTemplate', { fileName: '1-服務量.xlsx', bytesBase64: Buffer.from(other).toString('base64') });
  const d = await api<DefinitionView>(page, 'reports.saveDefinition', form(t.id, '服務量季報', [10, 11, 12, 13, 14, 15, 16]));
  const files = unzipSync(other);
  files['xl/workbook.xml'] = strToU8(strFromU8(files['xl/workbook.xml'] as Uint8Array).replace(`name="${SHEET}"`, `name="${SHEET}統計"`));
  const renamed = join(dataDir, 'renamed.xlsx');
  writeFileSync(renamed, zipSync(files));
  execFileSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['tests/e2e/i13-swap-template.ts', dataDir, String(t.id), renamed], { cwd: ROOT, stdio: 'pipe' });

  await page.goto(`${host.url}#/reports/quarterly`);
  await page.getByTestId('definition-select').click();
  await page.getByRole('option', { name: /^服務量季報/ }).click();
  await page.getByTestId('generate').click();
  const refusal = page.getByTestId('refusal');
  await expect(refusal).toContainText('無法產製報表：範本的結構與儲存格對應不符，共 1 個問題（15 格）');
  await expect(refusal).toContainText(`1. ${SHEET}!A6、B10:C16：範本中找不到工作表「${SHEET}」，是否已改名為「${SHEET}統計」？`);
  await expect(refusal).not.toContainText('匯入：');
  await expect(page.getByTestId('generate-result')).toHaveCount(0);
  await shot(page, '06-generate-refused-renamed-sheet');

  // The definition file carrying that template is refused the same way when imported on this screen.
  const exported = await api<ExportedFile>(page, 'reports.exportDefinition', { id: d.id });
  const json = join(dataDir, exported.fileName);
  writeFileSync(json, exported.text ?? '');
  await page.goto(`${host.url}#/reports/templates`);
  await page.locator('input[type=file][accept*=".json"]').setInputFiles(json);
  await expect(page.getByTestId('refusal')).toContainText(`無法匯入：範本的結構與儲存格對應不符，共 1 個問題（15 格），請修正對應或重新匯入正確的範本。\n1. ${SHEET}!A6、B10:C16：範本中找不到工作表「${SHEET}」，是否已改名為「${SHEET}統計」？`);
  await shot(page, '07-import-refused-renamed-sheet');
});
