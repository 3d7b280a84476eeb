import type { Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as XLSX from 'xlsx';
import { api, expect, type RunningHost, seedDemoAt, startHost, test } from './host';

/**
 * Issue 11 §6, as an administrator would use it on the demo center: open a household, see who saw one of
 * its members in one click (the household's views included), read the details in zh-TW with ROC dates
 * (never JSON), filter by date range, user, action and record, and export the filtered log as an xlsx
 * that SheetJS opens with the rows the screen shows.
 */
test.describe.configure({ mode: 'serial' });

const PASSWORD = 'demo1234';
const SHOTS = join(process.cwd(), 'artifacts', 'issue11', 'audit');
mkdirSync(SHOTS, { recursive: true });
const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

let host: RunningHost;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wd-e2e-i11-audit-'));
  seedDemoAt(dataDir);
  host = await startHost({ dataDir });
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

test('who saw this person: one click from the household, details in zh-TW, filters, export', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, 'admin');
  const hit = (await api<{ hits: { householdId: number; headName: string; members: { personId: number; name: string }[] }[] }>(page, 'search.query', { q: '陳', limit: 5 })).hits.find((h) => h.householdId && h.headName);
  expect(hit).toBeTruthy();
  const householdId = hit?.householdId as number;
  const headName = hit?.headName as string;
  await page.goto(`${host.url}#/households/${householdId}`);
  await expect(page.getByTestId('household-title')).toBeVisible();

  // One button, then the person.
  await page.getByTestId('who-saw').click();
  await page.getByRole('menuitem', { name: new RegExp(`^${headName}`) }).click();
  await expect(page.getByTestId('audit-subject')).toContainText(`誰看過這個人：${headName}`);
  const targets = page.getByTestId('audit-target');
  await expect(targets.first()).toBeVisible();
  // The admin's own view of the household a moment ago is listed, named.
  await expect(page.getByTestId('dt-audit-log')).toContainText(`家戶 ${headName}`);
  await expect(page.getByTestId('dt-audit-log')).toContainText('檢視範圍：完整內容');
  const tableText = (await page.getByTestId('dt-audit-log').innerText()) ?? '';
  expect(tableText).not.toContain('{');
  expect(tableText).toMatch(/11[45]\/\d{2}\/\d{2} \d{2}:\d{2}/);
  expect(tableText).not.toMatch(/20\d\d[-/]/);
  await shot(page, '01-who-saw-person');

  // Export: the xlsx holds the rows the screen lists.
  const shownRows = await page.locator('[data-testid^="audit-row-"]').count();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('dt-audit-log').getByTestId('dt-export').click()]);
  const file = join(dataDir, 'audit-export.xlsx');
  await download.saveAs(file);
  const wb = XLSX.read(readFileSync(file));
  const sheet = wb.Sheets[wb.SheetNames[0] as string];
  const cells = XLSX.utils.sheet_to_json<unknown[]>(sheet as XLSX.WorkSheet, { header: 1 });
  const flat = cells.map((r) => r.join(' ')).join('\n');
  expect(flat).toContain(`家戶 ${headName}`);
  expect(flat).not.toContain('{');
  const dataRows = cells.filter((r) => typeof r[0] === 'number');
  expect(dataRows.length).toBe(shownRows);

  // Filters on the whole log: action 檢視, record 家戶 #id, a date range, a user.
  await page.getByRole('button', { name: '取消「誰看過」查詢' }).click();
  await page.getByRole('combobox', { name: '動作' }).click();
  await page.getByRole('option', { name: '檢視', exact: true }).click();
  await page.getByRole('combobox', { name: '紀錄類別' }).click();
  await page.getByRole('option', { name: '家戶', exact: true }).click();
  await page.getByLabel('紀錄編號').fill(String(householdId));
  await expect(page.getByTestId('audit-total')).toContainText('共 1 筆');
  await expect(targets).toHaveCount(1);
  await expect(targets.first()).toContainText(`家戶 ${headName}`);
  await page.getByLabel('開始日期').fill('115/05/21');
  await page.getByLabel('開始日期').press('Enter');
  await expect(page.getByText('沒有符合條件的紀錄。')).toBeVisible();
  await page.getByLabel('開始日期').fill('115/05/20');
  await page.getByLabel('開始日期').press('Enter');
  await page.getByLabel('結束日期').fill('115/05/20');
  await page.getByLabel('結束日期').press('Enter');
  await expect(page.getByTestId('audit-total')).toContainText('共 1 筆');
  await page.getByRole('combobox', { name: '操作者' }).click();
  await page.getByRole('option', { name: /（sw01）$/ }).click();
  await expect(page.getByText('沒有符合條件的紀錄。')).toBeVisible();
  await page.getByRole('combobox', { name: '操作者' }).click();
  await page.getByRole('option', { name: /（admin）$/ }).click();
  await expect(page.getByTestId('audit-total')).toContainText('共 1 筆');
  await shot(page, '02-filters');
});
