import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { AidReport } from '../../main/contract/types-aid';
import type { CaseloadPage } from '../../main/contract/types-cases';
import type { HouseholdView } from '../../main/contract/types-households';
import { api, expect, type RunningHost, seedDemoAt, startHost, test, signInDemo } from './host';

/**
 * Issue 14 §4 (aid from other units) on the demo center at TEST_NOW 115/05/20: a 社工 (sw01) records
 * aid from a charity on the household of one of their open cases, from the household page (外單位資源);
 * the food-bank clerk starts a hand-out to the same household and, as soon as it is chosen, sees the
 * yellow warning naming that charity with the ROC date and the amount (the hand-out is not blocked);
 * the coordination report (#/aid/report) lists the household. Screenshots: artifacts/issue14/aid/.
 */
test.describe.configure({ mode: 'serial', timeout: 300_000 });

const ROOT = join(import.meta.dirname, '..', '..');
const SHOTS = join(ROOT, 'artifacts', 'issue14', 'aid');
mkdirSync(SHOTS, { recursive: true });
const WESTERN_YEAR = /(?:19|20)\d\d[-/年]/;
const CHARITY = '晨光慈愛協會';

let host: RunningHost;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wd-e2e-i14-aid-'));
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

async function signOut(page: Page) {
  await page.getByRole('button', { name: '登出' }).click();
  await expect(page.getByLabel('帳號')).toBeVisible();
}

async function pickOption(page: Page, testId: string, label: string | RegExp) {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: label, exact: true }).click();
}

test('a worker records aid from a charity; the food-bank hand-out warns with it; the coordination report lists the household', async ({ page }) => {
  await signInDemo(page, host.url, 'sw01');
  const mine = await api<CaseloadPage>(page, 'worklists.myCaseload', { status: 'active', limit: 200 });
  expect(mine.rows.length, 'sw01 has open cases').toBeGreaterThan(0);
  const householdId = mine.rows[0]!.householdId;
  const hh = await api<HouseholdView>(page, 'households.get', { id: householdId });
  const head = hh.members.find((m) => m.relation === '戶長' && m.leftOn === null) ?? hh.members[0]!;

  await page.goto(`${host.url}#/households/${householdId}`);
  const panel = page.getByTestId('aid-panel');
  await expect(panel).toBeVisible();
  await panel.getByTestId('aid-add').click();
  const dialog = page.getByRole('dialog', { name: '新增外單位救助' });
  await expect(dialog).toBeVisible();
  // Saving empty: each required field says so beside itself.
  await dialog.getByTestId('aid-save').click();
  await expect(dialog.getByText('請輸入受助日期')).toBeVisible();
  await expect(dialog.getByText('請選擇來源類別')).toBeVisible();
  await shot(page, 'i14-aid-01-required');
  await pickOption(page, 'aid-source-kind', '慈善團體');
  await dialog.getByTestId('aid-source-name').fill(CHARITY);
  await pickOption(page, 'aid-kind', '現金');
  await dialog.getByTestId('aid-date').fill('115/05/12');
  await dialog.getByTestId('aid-date').press('Tab');
  await dialog.getByTestId('aid-amount').fill('3000');
  await dialog.getByTestId('aid-note').fill('房租補貼');
  await shot(page, 'i14-aid-02-form');
  await dialog.getByTestId('aid-save').click();
  await expect(dialog).toBeHidden();
  const row = panel.getByRole('listitem').filter({ hasText: CHARITY });
  await expect(row).toContainText('115/05/12');
  await expect(row).toContainText('3,000 元');
  await expect(row).toContainText('慈善團體');
  expect(await panel.textContent()).not.toMatch(WESTERN_YEAR);
  await panel.scrollIntoViewIfNeeded();
  await shot(page, 'i14-aid-03-household');
  await signOut(page);

  // The food-bank clerk starts a hand-out to the same household.
  await signInDemo(page, host.url, 'clerk');
  await page.goto(`${host.url}#/foodbank/handout`);
  await page.getByTestId('handout-search').fill(head.name);
  await page.getByTestId('handout-search-button').click();
  const hits = page.getByTestId('handout-hit');
  await expect(hits.first()).toBeVisible();
  // Same name elsewhere: the row naming this household's members.
  const others = hh.members.filter((m) => m.leftOn === null).map((m) => m.name);
  const target = others.length > 1 ? hits.filter({ hasText: others.find((n) => n !== head.name)! }).first() : hits.first();
  await target.click();
  const elig = page.getByTestId('eligibility');
  await expect(elig).toBeVisible();
  const warning = elig.getByTestId('aid-recent');
  await expect(warning).toBeVisible();
  await expect(warning).toContainText('本戶最近 90 天內已受助紀錄');
  const charityRow = warning.getByTestId('aid-recent-row').filter({ hasText: CHARITY });
  await expect(charityRow).toContainText('115/05/12');
  await expect(charityRow).toContainText('現金');
  await expect(charityRow).toContainText('3,000 元');
  expect(await warning.textContent()).not.toMatch(WESTERN_YEAR);
  // Not blocking: the items and the preview stay usable.
  await expect(page.getByTestId('handout-add-line')).toBeEnabled();
  await shot(page, 'i14-aid-04-handout-warning');
  // The clerk reaches the summary only: not the household's aid list nor the report.
  const list = (await page.evaluate(async (id) => {
    const token = sessionStorage.getItem('welfare-desk.session');
    const res = await fetch('/api/aid.list', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Welfare-Session': token ?? '' }, body: JSON.stringify({ householdId: id }) });
    return res.json();
  }, householdId)) as { ok: boolean; error?: { code: string } };
  expect(list).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  await signOut(page);

  // The coordination report, as the worker: by household, the household with the charity.
  await signInDemo(page, host.url, 'sw01');
  await page.goto(`${host.url}#/aid/report`);
  await expect(page.getByRole('heading', { name: '外單位救助彙整（聯繫會報）' })).toBeVisible();
  await page.getByTestId('aid-report-from').fill('115/05/01');
  await page.getByTestId('aid-report-from').press('Tab');
  await page.getByTestId('aid-report-to').fill('115/05/20');
  await page.getByTestId('aid-report-to').press('Tab');
  await page.getByTestId('aid-report-run').click();
  const hrow = page.getByTestId('aid-report-row').filter({ hasText: CHARITY });
  await expect(hrow).toHaveCount(1);
  await expect(hrow.getByRole('cell').first()).toHaveText(`#${householdId}`);
  await expect(hrow).toContainText(head.name);
  await expect(page.getByTestId('aid-report-totals')).toBeVisible();
  const viaApi = await api<AidReport>(page, 'aid.report', { from: '2026-05-01', to: '2026-05-20', groupBy: 'household' });
  expect(viaApi.byHousehold.find((h) => h.householdId === householdId)?.sources).toContain(CHARITY);
  expect(await page.locator('main').textContent()).not.toMatch(WESTERN_YEAR);
  await shot(page, 'i14-aid-05-report-household');
  await page.getByText('依來源', { exact: true }).click();
  const srow = page.getByTestId('aid-report-row').filter({ hasText: CHARITY });
  await expect(srow).toContainText('慈善團體');
  await expect(srow.getByRole('cell').last()).toHaveText('3000');
  await shot(page, 'i14-aid-06-report-source');
});
