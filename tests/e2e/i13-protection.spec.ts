import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { CaseloadPage } from '../../main/contract/types-cases';
import type { CrosstabView, IndicatorView } from '../../main/contract/types-reports';
import { api, expect, type RunningHost, seedDemoAt, startHost, test, signInDemo } from './host';

/**
 * Issue 13 §6 (protection reports and the outcome indicators): on the demo center, a worker (sw01)
 * records a protection report (保護通報) on the household of one of their 脆弱家庭 cases served in
 * 115年第1季, from the household page; the list shows it in ROC dates. The administrator then finds the
 * three new indicators in the indicator list and runs 脆弱家庭服務後3個月內被通報保護案件比率 in the
 * cross-tab: its numerator went up with the report, and the screen shows the API's figure.
 * Screenshots: artifacts/issue13/outcomes/.
 */
test.describe.configure({ mode: 'serial', timeout: 300_000 });

const ROOT = join(import.meta.dirname, '..', '..');
const SHOTS = join(ROOT, 'artifacts', 'issue13', 'outcomes');
mkdirSync(SHOTS, { recursive: true });
const WESTERN_YEAR = /(?:19|20)\d\d[-/年]/;
const INDICATOR = 'cases.protectionWithin3m';

let host: RunningHost;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wd-e2e-i13-protection-'));
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

function signIn(page: Page, username: string) {
  return signInDemo(page, host.url, username);
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: '登出' }).click();
  await expect(page.getByLabel('帳號')).toBeVisible();
}

async function pickOption(page: Page, testId: string, label: string | RegExp) {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: label }).click();
}

const q1Figure = async (page: Page) => (await api<CrosstabView>(page, 'reports.crosstab', { indicatorId: INDICATOR, breakdowns: ['team'], period: '115Q1' })).grandTotal;

test('a worker records a protection report on a household; the administrator sees the indicator move in the cross-tab', async ({ page }) => {
  // The figure before the report.
  await signIn(page, 'admin');
  const before = await q1Figure(page);
  expect(before.denominator ?? 0).toBeGreaterThan(0);
  await signOut(page);

  // sw01's 脆弱家庭 case whose last service was between 115/01/11 and 115/03/31 (Taipei): a report on 115/04/10
  // falls within 3 months after that service.
  await signIn(page, 'sw01');
  const mine = await api<CaseloadPage>(page, 'worklists.myCaseload', { status: 'all', limit: 200 });
  const target = mine.rows.find((r) => r.caseType === '脆弱家庭' && r.lastServiceAt !== null && r.lastServiceAt >= '2026-01-10T16:00:00.000Z' && r.lastServiceAt < '2026-03-31T16:00:00.000Z');
  expect(target, 'a 脆弱家庭 case of sw01 served in 115Q1').toBeTruthy();
  const householdId = target!.householdId;

  await page.goto(`${host.url}#/households/${householdId}`);
  const panel = page.getByTestId('protection-panel');
  await expect(panel).toBeVisible();
  await expect(panel.getByText('尚無保護通報紀錄。')).toBeVisible();
  await panel.getByTestId('protection-add').click();
  const dialog = page.getByRole('dialog', { name: '登錄保護通報' });
  await expect(dialog).toBeVisible();
  // Saving empty: each required field says so beside itself.
  await dialog.getByTestId('protection-save').click();
  await expect(dialog.getByText('請輸入通報日期')).toBeVisible();
  await expect(dialog.getByText('請選擇通報來源')).toBeVisible();
  await expect(dialog.getByText('請選擇通報類型')).toBeVisible();
  await shot(page, 'i13-protection-01-required');
  await dialog.getByTestId('protection-date').fill('115/04/10');
  await dialog.getByTestId('protection-date').press('Tab');
  await pickOption(page, 'protection-source', '學校');
  await pickOption(page, 'protection-kind', '兒少保護');
  await dialog.getByTestId('protection-save').click();
  await expect(dialog).toBeHidden();
  const row = panel.getByRole('listitem').first();
  await expect(row).toContainText('115/04/10');
  await expect(row).toContainText('學校');
  await expect(row).toContainText('兒少保護');
  expect(await panel.textContent()).not.toMatch(WESTERN_YEAR);
  await panel.scrollIntoViewIfNeeded();
  await shot(page, 'i13-protection-02-household');

  // A second report typed by mistake is deleted with a reason (the button waits for one).
  await panel.getByTestId('protection-add').click();
  await dialog.getByTestId('protection-date').fill('115/04/11');
  await dialog.getByTestId('protection-date').press('Tab');
  await pickOption(page, 'protection-source', '警政');
  await pickOption(page, 'protection-kind', '家庭暴力');
  await dialog.getByTestId('protection-save').click();
  await expect(dialog).toBeHidden();
  await expect(panel.getByRole('listitem')).toHaveCount(2);
  const mistaken = panel.getByRole('listitem').filter({ hasText: '115/04/11' });
  await mistaken.getByRole('button', { name: '刪除' }).click();
  const confirm = page.getByRole('dialog', { name: '刪除保護通報' });
  await expect(confirm.getByTestId('confirm-action-ok')).toBeDisabled();
  await pickOption(page, 'protection-delete-reason', '重複登錄');
  await shot(page, 'i13-protection-03-delete');
  await confirm.getByTestId('confirm-action-ok').click();
  await expect(confirm).toBeHidden();
  await expect(panel.getByRole('listitem')).toHaveCount(1);
  await expect(panel.getByRole('listitem').first()).toContainText('115/04/10');
  await signOut(page);

  // The administrator: the three new indicators are listed; the cross-tab shows the moved figure.
  await signIn(page, 'admin');
  const indicators = await api<IndicatorView[]>(page, 'reports.indicators', {});
  const ids = indicators.map((i) => i.id);
  expect(ids).toEqual(expect.arrayContaining([INDICATOR, 'households.employmentJoint', 'households.povertyCoverage']));
  const after = await q1Figure(page);
  expect(after.denominator).toBe(before.denominator);
  expect(after.numerator ?? 0).toBeGreaterThan(before.numerator ?? 0);

  await page.goto(`${host.url}#/reports/crosstab`);
  await pickOption(page, 'x-indicator', '脆弱家庭服務後3個月內被通報保護案件比率（%）');
  await page.getByTestId('x-breakdowns').click({ force: true });
  await page.getByRole('option', { name: '組別', exact: true }).click();
  await page.keyboard.press('Escape');
  await page.getByTestId('x-run').click();
  await expect(page.getByTestId('crosstab-table')).toBeVisible();
  await expect(page.getByTestId('grand-total')).toHaveText(after.display);
  expect(await page.getByTestId('crosstab-table').textContent()).not.toMatch(WESTERN_YEAR);
  await shot(page, 'i13-protection-04-crosstab');

  // The other two indicators run on the demo data too.
  for (const name of ['弱勢求職者與就業服務共同服務比率（%）', '低收/中低收入戶服務涵蓋率（%）']) {
    await pickOption(page, 'x-indicator', name);
    await page.getByTestId('x-breakdowns').click({ force: true });
    await page.getByRole('option', { name: /鄉鎮市區/ }).first().click();
    await page.keyboard.press('Escape');
    await page.getByTestId('x-run').click();
    await expect(page.getByTestId('grand-total')).toBeVisible();
  }
  await shot(page, 'i13-protection-05-coverage');
});
