import type { Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CaseloadPage, ReferralView } from '../../main/contract/types-cases';
import type { ResourcePage } from '../../main/contract/types-resources';
import { sheetJs } from '../../main/lib/sheet-libraries';
import { api, expect, type RunningHost, seedDemoAt, startHost, test, signInDemo } from './host';

/**
 * The local resource map (issue 14 §3) in Chromium on the demo center at TEST_NOW (115/05/20): a 社工
 * records a service on one of her cases with a referral whose receiving unit she picks from the map by
 * need (心理諮商) and the household's district (南投市, preselected); the referral carries the resource;
 * she opens the 轉介單 from the referrals panel (ROC date, the resource's name, the national ID masked,
 * no narrative), prints it (audited) and exports it as .xlsx (audited); the map then shows one more 轉介
 * for that resource. A 督導 sees the edit dialog with a zh-TW message beside a bad field.
 */
test.describe.configure({ mode: 'serial' });

const ROOT = join(import.meta.dirname, '..', '..');
const SHOTS = join(ROOT, 'artifacts', 'issue14', 'resources');
const RESOURCE = '南投縣社區心理衛生中心';
const TOWN = '10008010';

let host: RunningHost;
let dataDir: string;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wd-e2e-i14-res-'));
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
async function go(page: Page, hash: string) {
  await page.goto(`${host.url}#${hash}`);
}
async function pick(page: Page, combobox: string, option: string, scope: Page | ReturnType<Page['getByRole']> = page) {
  await scope.getByRole('combobox', { name: combobox }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

test('社工: a referral picked from the map by need and district, its 轉介單 printed and exported, one more 轉介 on the map', async ({ page }) => {
  await signInDemo(page, host.url, 'sw01');
  const mine = await api<CaseloadPage>(page, 'worklists.myCaseload', { status: 'active', limit: 100 });
  const theCase = mine.rows.find((c) => c.status === '處遇中') ?? mine.rows[0];
  if (!theCase) throw new Error('sw01 has no active case');
  const before = await api<ResourcePage>(page, 'resources.search', { service: '心理諮商', district: TOWN });
  const resource = before.rows.find((r) => r.name === RESOURCE);
  if (!resource) throw new Error(`${RESOURCE} not on the map`);
  const sentBefore = resource.figures.sent;

  await go(page, '/resources');
  await pick(page, '需求／服務類型', '心理諮商');
  await expect(page.getByTestId(`resource-row-${resource.id}`)).toBeVisible();
  await expect(page.getByTestId(`figures-${resource.id}`)).toHaveText(new RegExp(`^${sentBefore}／`));
  await shot(page, 'resources-01-map-before');

  await go(page, `/records/new?householdId=${theCase.householdId}&caseId=${theCase.id}`);
  await expect(page.getByRole('heading', { name: '新增服務紀錄' })).toBeVisible();
  await pick(page, '服務方式', '面訪家庭');
  await page.getByRole('checkbox', { name: /（戶長）$/ }).check();
  await page.getByRole('checkbox', { name: '資源轉介', exact: true }).check();
  await page.getByLabel('服務內容').fill('案主近日情緒低落，失眠，同意轉介心理諮商。');
  await page.getByRole('checkbox', { name: '同時轉介其他單位' }).check();
  await page.getByTestId('open-resource-picker').click();
  const dialog = page.getByRole('dialog', { name: '從資源地圖選擇受轉介單位' });
  await expect(dialog.getByRole('combobox', { name: '服務行政區' })).toHaveValue('南投市');
  await pick(page, '需求／服務類型', '心理諮商', dialog);
  await expect(dialog.getByTestId(`pick-row-${resource.id}`)).toBeVisible();
  await shot(page, 'resources-02-picker');
  await dialog.getByRole('button', { name: `選擇 ${RESOURCE}` }).click();
  await expect(page.getByTestId('picked-resource')).toHaveText(`已從資源地圖選擇：${RESOURCE}`);
  await expect(page.getByLabel('轉介單位名稱')).toHaveValue(RESOURCE);
  await expect(page.getByRole('combobox', { name: '轉介單位類別' })).toHaveValue('衛政');
  await page.getByLabel('轉介原因').fill('情緒困擾、失眠，需心理諮商');
  await shot(page, 'resources-03-record-form');
  await page.getByRole('button', { name: '儲存服務紀錄' }).click();
  await expect(page.getByRole('heading', { name: `個案 ${theCase.caseNo}` })).toBeVisible();

  const referrals = await api<ReferralView[]>(page, 'referrals.list', { caseId: theCase.id });
  const referral = referrals.reduce((a, b) => (b.id > a.id ? b : a));
  expect(referral).toMatchObject({ unitName: RESOURCE, unitKind: '衛政', resourceId: resource.id, referredOn: '2026-05-20' });
  await page.getByTestId(`referral-form-${referral.id}`).click();

  const frame = page.frameLocator('[data-testid="referral-form-frame"]');
  await expect(frame.getByTestId('form-unit')).toHaveText(RESOURCE);
  await expect(frame.getByTestId('form-date')).toHaveText('中華民國115年5月20日');
  const body = (await frame.locator('body').textContent()) ?? '';
  const ids = await frame.getByTestId('form-national-id').allTextContents();
  expect(ids.length).toBeGreaterThan(0);
  for (const id of ids) expect(id).toMatch(/^[A-Z][0-9A-D]\d\*{4}\d{3}$/);
  expect(body).not.toMatch(/[A-Z][12ABCD89]\d{8}/);
  expect(body).not.toContain('失眠，同意');
  expect(body).toContain('情緒困擾、失眠，需心理諮商');
  expect(body).toContain('049-2209876');
  expect(body).not.toMatch(/20\d\d[/-]/);
  await page.evaluate(() => {
    const f = document.querySelector<HTMLIFrameElement>('[data-testid="referral-form-frame"]');
    if (f?.contentWindow) f.contentWindow.print = () => undefined;
  });
  await page.getByTestId('print-button').click();
  await shot(page, 'resources-04-referral-form');

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-form').click()]);
  expect(download.suggestedFilename()).toBe(`轉介單_${RESOURCE}_1150520.xlsx`);
  const path = await download.path();
  const XLSX = sheetJs();
  const csv = XLSX.utils.sheet_to_csv(XLSX.read(readFileSync(path)).Sheets['轉介單'] as never);
  expect(csv).toContain(RESOURCE);
  expect(csv).toContain('轉介日期,115/05/20');
  expect(csv).toMatch(/身分證字號,[A-Z][0-9A-D]\d\*{4}\d{3}/);
  expect(csv).not.toMatch(/[A-Z][12ABCD89]\d{8}/);
  await expect(page.getByTestId('export-done')).toContainText('已匯出');

  await go(page, '/resources');
  await pick(page, '需求／服務類型', '心理諮商');
  await expect(page.getByTestId(`figures-${resource.id}`)).toHaveText(new RegExp(`^${sentBefore + 1}／`));
  await shot(page, 'resources-05-map-after');
});

test('督導: edits a resource; a bad field gets its zh-TW message beside it', async ({ page }) => {
  await signInDemo(page, host.url, 'sup1');
  await go(page, '/resources');
  await page.getByLabel('關鍵字').fill('法律扶助');
  const row = page.getByRole('row', { name: /法律扶助基金會南投分會/ });
  await row.getByRole('button', { name: '編輯' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('電子郵件').fill('not-an-email');
  await dialog.getByRole('button', { name: '儲存' }).click();
  await expect(dialog.getByText('電子郵件格式不正確')).toBeVisible();
  await shot(page, 'resources-06-edit-error');
  await dialog.getByLabel('電子郵件').fill('legal@example.org');
  await dialog.getByLabel('等候天數').fill('12');
  await dialog.getByRole('button', { name: '儲存' }).click();
  await expect(dialog).toBeHidden();
  await expect(row).toContainText('12 天');
});
