import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import * as XLSX from 'xlsx';
import { apiSignIn, callFromPage, expect, installTestClock, type RunningHost, seedDemoAt, startHost, test, testToday } from './host';
import { formatRocDate } from '../../main/contract/roc-date';

/**
 * Issue 11, item 4: every list exports and prints through the one DataTable. For each named list, a role
 * that sees it signs in, exports, and the test opens the download with SheetJS and compares it with what
 * the screen shows (same rows and columns, ROC dates, masked IDs); the audit log has the export. Sorting,
 * paging, hiding a column and printing (print media screenshot) are exercised on the way.
 */
test.describe.configure({ mode: 'default', timeout: 240_000 });

const PASSWORD = 'demo1234';
const ROOT = join(import.meta.dirname, '..', '..');
const SHOTS = join(ROOT, 'artifacts', 'issue11', 'tables');
mkdirSync(SHOTS, { recursive: true });
const ROC_TODAY = formatRocDate(testToday());
const [RY, RM, RD] = ROC_TODAY.split('/');
const WESTERN_YEAR = /(?:19|20)\d\d[-/年]/;
const FULL_ID = /[A-Z][12]\d{8}/;

let host: RunningHost;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wd-e2e-tables-'));
  seedDemoAt(dataDir);
  host = await startHost({ dataDir });
});
test.afterAll(async () => {
  await host?.stop();
  rmSync(dataDir, { recursive: true, force: true });
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

interface Sheet {
  fileName: string;
  title: string;
  header: string[];
  rows: string[][];
}

const norm = (s: unknown): string => (s === null || s === undefined ? '' : String(s).replace(/\s+/g, ' ').trim().replace(/^—$/, ''));

/** Clicks 匯出 Excel in the table and reads the download with SheetJS. */
async function exportTable(page: Page, tableId: string): Promise<Sheet> {
  const table = page.getByTestId(`dt-${tableId}`);
  const download = page.waitForEvent('download');
  await table.getByTestId('dt-export').click();
  const file = await download;
  const path = join(SHOTS, `export-${tableId}.xlsx`);
  await file.saveAs(path);
  const wb = XLSX.read(readFileSync(path), { type: 'buffer' });
  const ws = wb.Sheets[wb.SheetNames[0] as string] as XLSX.WorkSheet;
  const aoa = XLSX.utils.sheet_to_json<unknown[]>(ws, { header: 1, raw: true, defval: null });
  const [title, header, ...rows] = aoa;
  const width = (header ?? []).length;
  return {
    fileName: file.suggestedFilename(),
    title: norm(title?.[0]),
    header: (header ?? []).map(norm),
    rows: rows.map((r) => Array.from({ length: width }, (_, i) => norm(r[i]))),
  };
}

/** The table's headers and body cells as the screen shows them (the sort arrows taken off the headers). */
async function screenTable(page: Page, tableId: string): Promise<{ header: string[]; rows: string[][]; total: number }> {
  const table = page.getByTestId(`dt-${tableId}`);
  const header = (await table.locator('thead th:not([data-screen-only])').allInnerTexts()).map((t) => norm(t.replace(/[▲▼↕]/g, '')));
  const rows: string[][] = [];
  for (const tr of await table.locator('tbody tr').all()) {
    if ((await tr.getByTestId('dt-empty').count()) > 0) continue;
    rows.push((await tr.locator('td:not([data-screen-only])').allInnerTexts()).map(norm));
  }
  const totalText = await table.getByTestId('dt-total').innerText();
  const total = Number(/共 (\d+) 筆/.exec(totalText)?.[1] ?? '-1');
  return { header, rows, total };
}

/** Export, compare with the screen, check file name, title, ROC dates, masked IDs. */
async function exportMatchesScreen(page: Page, tableId: string, listName: string, titleHas: string[] = []): Promise<Sheet> {
  const screen = await screenTable(page, tableId);
  const sheet = await exportTable(page, tableId);
  expect(sheet.fileName).toBe(`${listName.replace(/\s+/g, '_')}-${RY}年${RM}月${RD}日.xlsx`);
  expect(sheet.title.startsWith(`${listName} - `)).toBe(true);
  expect(sheet.title.endsWith(`列印日期 ${ROC_TODAY}`)).toBe(true);
  for (const t of titleHas) expect(sheet.title).toContain(t);
  expect(sheet.header).toEqual(screen.header);
  expect(sheet.rows).toHaveLength(screen.total);
  // The rows on screen are the first rows of the file, cell for cell.
  expect(sheet.rows.slice(0, screen.rows.length)).toEqual(screen.rows);
  // Dates in 民國 (a list's own name may carry what the data holds, e.g. a demo programme's name).
  const all = JSON.stringify([sheet.header, sheet.rows]);
  expect(all).not.toMatch(WESTERN_YEAR);
  expect(all).not.toMatch(FULL_ID);
  await expect(page.getByTestId(`dt-${tableId}`).getByTestId('dt-notice')).toContainText(`已匯出 ${screen.total} 筆`);
  return sheet;
}

/** The audit log (read as the auditor in a page of its own) has this export with the row count. */
async function expectExportAudited(browser: Browser, entity: string, rows: number): Promise<void> {
  const page = await installTestClock(await browser.newPage());
  try {
    await page.goto(host.url);
    await apiSignIn(page, 'auditor', PASSWORD);
    const r = (await callFromPage(page, 'audit.list', { action: 'export', limit: 50 })) as { ok: boolean; value?: { rows: { entity: string; detail: { rows: number } | null }[] } };
    expect(r.ok).toBe(true);
    const hit = r.value?.rows.find((x) => x.entity === entity);
    expect(hit?.detail?.rows).toBe(rows);
  } finally {
    await page.close();
  }
}

/** 列印: the print is recorded, the sheet holds the table alone; a print-media screenshot of it. */
async function printTable(page: Page, tableId: string, name: string): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { printed: number }).printed = 0;
    window.print = () => {
      (window as unknown as { printed: number }).printed += 1;
    };
  });
  await page.getByTestId(`dt-${tableId}`).getByTestId('dt-print').click();
  await expect.poll(() => page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
  const sheet = page.getByTestId('dt-print-sheet');
  await expect(sheet).toHaveCount(1);
  await page.emulateMedia({ media: 'print' });
  await expect(sheet).toBeVisible();
  await expect(page.getByTestId('current-user')).toBeHidden();
  await shot(page, name);
  await page.emulateMedia({ media: 'screen' });
  // The dialog closing takes the sheet away again.
  await page.evaluate(() => window.dispatchEvent(new Event('afterprint')));
  await expect(sheet).toHaveCount(0);
}

test('社工: 我的個案 exports what the screen shows, prints, sorts and hides a column', async ({ page, browser }) => {
  await signIn(page, 'sw01');
  await page.goto(`${host.url}#/my-cases`);
  const table = page.getByTestId('dt-my-cases');
  await expect(table.locator('tbody tr').first()).toBeVisible();
  await expect(table.getByTestId('dt-total')).toContainText('共');
  await shot(page, 'my-cases-01');
  const sheet = await exportMatchesScreen(page, 'my-cases', '我的個案', ['狀態：進行中']);
  await expectExportAudited(browser, 'worklists.my_cases', sheet.rows.length);

  // Hide a column: gone from the screen and from the next export, remembered after a reload.
  expect(sheet.header).toContain('個案類型');
  await table.getByTestId('dt-columns').click();
  await page.getByTestId('dt-col-caseType').click();
  await page.keyboard.press('Escape');
  await expect(table.locator('thead th', { hasText: '個案類型' })).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('dt-my-cases').locator('tbody tr').first()).toBeVisible();
  await expect(page.getByTestId('dt-my-cases').locator('thead th', { hasText: '個案類型' })).toHaveCount(0);
  const narrower = await exportMatchesScreen(page, 'my-cases', '我的個案');
  expect(narrower.header).not.toContain('個案類型');
  await shot(page, 'my-cases-02-column-hidden');

  await printTable(page, 'my-cases', 'my-cases-03-print');
});

test('督導: 組別個案 exports every page of the team caseload', async ({ page, browser }) => {
  await signIn(page, 'sup1');
  await page.goto(`${host.url}#/team-cases`);
  const table = page.getByTestId('dt-team-cases');
  await expect(table.locator('tbody tr').first()).toBeVisible();
  await expect(table.getByTestId('dt-total')).toContainText('共');
  const sheet = await exportMatchesScreen(page, 'team-cases', '組別個案', ['狀態：進行中']);
  await expectExportAudited(browser, 'worklists.team_cases', sheet.rows.length);
  await shot(page, 'team-cases-01');
});

test('社工: the three 待追蹤 tabs export what they show', async ({ page, browser }) => {
  await signIn(page, 'sw01');
  const tabs: [string, string, string, string][] = [
    ['/follow-ups', 'follow-ups', '逾期追蹤', 'worklists.follow_ups'],
    ['/follow-ups?tab=concerns', 'overdue-concerns', '關懷訪視逾期', 'worklists.overdue_concerns'],
    ['/follow-ups?tab=uncontacted', 'uncontacted', '派案逾24小時未聯繫', 'worklists.uncontacted'],
  ];
  for (const [path, id, name, entity] of tabs) {
    await page.goto(`${host.url}#${path}`);
    const table = page.getByTestId(`dt-${id}`);
    await expect(table.getByTestId('dt-total')).not.toHaveText('載入中…');
    await shot(page, `follow-ups-${id}`);
    if ((await table.getByTestId('dt-empty').count()) > 0) {
      // An empty list offers no export.
      await expect(table.getByTestId('dt-export')).toBeDisabled();
      continue;
    }
    const sheet = await exportMatchesScreen(page, id, name);
    await expectExportAudited(browser, entity, sheet.rows.length);
  }
});

test('社工: 長期關懷戶 sorts in zh-TW order, pages, exports the sorted rows, and prints', async ({ page, browser }) => {
  await signIn(page, 'sw01');
  await page.goto(`${host.url}#/concerns`);
  await page.getByLabel('範圍').getByText('全部', { exact: true }).click();
  const table = page.getByTestId('dt-concerns');
  await expect(table.locator('tbody tr').first()).toBeVisible();
  await expect(table.getByTestId('dt-total')).toContainText('共');
  // Sort by 負責社工 descending (two clicks): the screen and the file follow the same order.
  await table.getByTestId('dt-sort-worker').click();
  await table.getByTestId('dt-sort-worker').click();
  await expect(table.locator('thead th[aria-sort="descending"]')).toContainText('負責社工');
  const { rows, total } = await screenTable(page, 'concerns');
  const workers = rows.map((r) => r[4] as string);
  expect(workers).toEqual([...workers].sort((a, b) => new Intl.Collator('zh-TW').compare(b, a)));
  // Paging: 10 a page.
  if (total > 10) {
    await table.getByTestId('dt-page-size').click();
    await page.getByRole('option', { name: '每頁 10 筆' }).click();
    await expect(table.locator('tbody tr')).toHaveCount(10);
    await table.getByRole('button', { name: '2', exact: true }).click();
    await expect(table.getByTestId('dt-total')).toContainText('第 11–');
    await shot(page, 'concerns-01-page-2');
    await table.getByRole('button', { name: '1', exact: true }).click();
  }
  const sheet = await exportMatchesScreen(page, 'concerns', '長期關懷戶', ['範圍：全部']);
  expect(sheet.rows.map((r) => r[4])).toEqual([...sheet.rows.map((r) => r[4])].sort((a, b) => new Intl.Collator('zh-TW').compare(b as string, a as string)));
  await expectExportAudited(browser, 'concerns.list', total);
  await printTable(page, 'concerns', 'concerns-02-print');
});

test('社工: 高照顧負荷家庭 exports what it shows', async ({ page, browser }) => {
  await signIn(page, 'sw01');
  await page.goto(`${host.url}#/care/high-burden`);
  const table = page.getByTestId('dt-high-burden');
  await expect(table.getByTestId('dt-total')).not.toHaveText('載入中…');
  await shot(page, 'high-burden-01');
  if ((await table.getByTestId('dt-empty').count()) === 0) {
    const sheet = await exportMatchesScreen(page, 'high-burden', '高照顧負荷家庭');
    await expectExportAudited(browser, 'care.high_burden', sheet.rows.length);
  }
});

test('實物銀行: 庫存 and 捐贈者 export what they show; the largest list is timed', async ({ page, browser }) => {
  await signIn(page, 'clerk');
  await page.goto(`${host.url}#/foodbank/stock`);
  await expect(page.getByTestId('dt-stock-totals').locator('tbody tr').first()).toBeVisible();
  const totals = await exportMatchesScreen(page, 'stock-totals', '庫存');
  await expectExportAudited(browser, 'foodbank.stock', totals.rows.length);
  const lots = page.getByTestId('dt-stock-lots');
  await expect(lots.locator('tbody tr').first()).toBeVisible();
  const t0 = Date.now();
  const lotSheet = await exportMatchesScreen(page, 'stock-lots', '庫存批次明細');
  const ms = Date.now() - t0;
  console.log(`export timing: 庫存批次明細 ${lotSheet.rows.length} rows, ${ms} ms (click to the file read back and compared)`);
  await shot(page, 'stock-01');
  await printTable(page, 'stock-lots', 'stock-02-print');

  await page.goto(`${host.url}#/foodbank/donors`);
  const donors = page.getByTestId('dt-donors');
  await expect(donors.locator('tbody tr').first()).toBeVisible();
  const sheet = await exportMatchesScreen(page, 'donors', '捐贈者');
  expect(sheet.header).toEqual(['名稱', '類別', '聯絡人', '電話']);
  await expectExportAudited(browser, 'foodbank.donors', sheet.rows.length);
  await shot(page, 'donors-01');
});

test('社工: a programme roster exports what it shows', async ({ page, browser }) => {
  await signIn(page, 'sw01');
  const list = (await callFromPage(page, 'programmes.list', {})) as { ok: boolean; value?: { id: number; name: string }[] };
  expect(list.ok).toBe(true);
  let found: { id: number; name: string } | null = null;
  for (const p of list.value ?? []) {
    const d = (await callFromPage(page, 'programmes.get', { id: p.id })) as { ok: boolean; value?: { enrolments: unknown[] } };
    if ((d.value?.enrolments.length ?? 0) > 0) {
      found = p;
      break;
    }
  }
  expect(found).not.toBeNull();
  await page.goto(`${host.url}#/programmes/${found?.id}`);
  const roster = page.getByTestId('dt-programme-roster');
  await expect(roster.locator('tbody tr').first()).toBeVisible();
  const sheet = await exportMatchesScreen(page, 'programme-roster', `${found?.name} 參與名單`);
  expect(sheet.title.startsWith(`${found?.name} 參與名單 - `)).toBe(true);
  await expectExportAudited(browser, 'programmes.roster', sheet.rows.length);
  await shot(page, 'programme-roster-01');
});

test('an export whose audit row cannot be written produces no file', async ({ page }) => {
  await signIn(page, 'sw01');
  await page.goto(`${host.url}#/my-cases`);
  const table = page.getByTestId('dt-my-cases');
  await expect(table.locator('tbody tr').first()).toBeVisible();
  await page.route('**/api/audit.recordExport', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ ok: false, error: { code: 'INTERNAL', message: '稽核紀錄無法寫入' } }) }));
  let downloaded = false;
  page.on('download', () => (downloaded = true));
  await table.getByTestId('dt-export').click();
  await expect(table.getByTestId('dt-error')).toContainText('匯出失敗：稽核紀錄無法寫入');
  await page.waitForTimeout(500);
  expect(downloaded).toBe(false);
  await shot(page, 'my-cases-04-audit-refused');
});
