import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { makeNationalId } from '../../main/contract/national-id';
import type { CaseloadPage } from '../../main/contract/types-cases';
import type { HouseholdPage } from '../../main/contract/types-households';
import { api, expect, type RunningHost, seedDemoAt, signInDemo, startHost, test } from './host';

/**
 * Issue 14 §5 (linked families) on the demo center: a worker of team 2 (sw04) registers a household
 * of their own; sw01 (team 1) links a member of one of their households to the head of another of
 * theirs (picked by search), and to sw04's head by 身分證字號. The genogram draws both linked
 * households around the household: the one in scope by name (a click opens it, where the link shows
 * the other way round), the other only as 另一戶（非本人轄區）, its name nowhere on the page. The
 * ecomap shows a referral with its status, and prints alone. Screenshots: artifacts/issue14/links/.
 */
test.describe.configure({ mode: 'serial', timeout: 300_000 });

const ROOT = join(import.meta.dirname, '..', '..');
const SHOTS = join(ROOT, 'artifacts', 'issue14', 'links');
mkdirSync(SHOTS, { recursive: true });
const WESTERN_YEAR = /(?:19|20)\d\d[-/年]/;
const HIDDEN_NAME = '魏遠山';
const HIDDEN_ID = makeNationalId('N', '1', '5502183');
const UNIT = '南投縣心理健康促進中心';

let host: RunningHost;
let dataDir: string;
let householdA = 0;
let householdB = 0;
let headB = '';
let streetB = '';

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wd-e2e-i14-links-'));
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

async function pick(page: Page, testId: string, label: string | RegExp) {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: label }).first().click();
}

test('a 社工 links members to persons of other households; the genogram draws them, another team’s only as 另一戶（非本人轄區）', async ({ page }) => {
  // Team 2's worker registers a household sw01 does not see.
  await signInDemo(page, host.url, 'sw04');
  await api(page, 'households.create', { address: { street: '隱密路7號' }, head: { newPerson: { name: HIDDEN_NAME, nationalId: HIDDEN_ID, sex: 'M', birthDate: '1948-03-02' } } });
  await signOut(page);

  await signInDemo(page, host.url, 'sw01');
  const mine = await api<CaseloadPage>(page, 'worklists.myCaseload', { status: 'all', limit: 200 });
  const households = [...new Set(mine.rows.map((r) => r.householdId))];
  // Two of sw01's households without links yet, B with a named head to search for.
  const pages: HouseholdPage[] = [];
  for (const id of households) {
    const links = await api<{ members: { links: unknown[] }[] }>(page, 'links.list', { householdId: id });
    if (links.members.some((m) => m.links.length > 0)) continue;
    const p = await api<HouseholdPage>(page, 'households.page', { id, timelineLimit: 1 });
    if (p.members.some((m) => m.leftOn === null && m.relation === '戶長')) pages.push(p);
    if (pages.length === 2) break;
  }
  expect(pages.length).toBe(2);
  householdA = pages[0]!.household.id;
  householdB = pages[1]!.household.id;
  headB = pages[1]!.members.find((m) => m.relation === '戶長' && m.leftOn === null)!.name;
  streetB = pages[1]!.household.address.street ?? '';
  const memberA = pages[0]!.members.find((m) => m.leftOn === null)!.name;

  await page.goto(`${host.url}#/households/${householdA}`);
  const panel = page.getByTestId('links-panel');
  await expect(panel).toBeVisible();
  await expect(panel.getByText('尚未登錄跨戶關係。')).toBeVisible();

  // 1. By search among sw01's households.
  await panel.getByTestId('link-add').click();
  let dialog = page.getByRole('dialog', { name: '新增跨戶關係' });
  await expect(dialog).toBeVisible();
  // Saving empty: each required field says so beside itself.
  await dialog.getByRole('button', { name: '儲存' }).click();
  await expect(dialog.getByText('選擇對方').first()).toBeVisible();
  await expect(dialog.getByText('選擇關係').first()).toBeVisible();
  await pick(page, 'link-member', memberA);
  await dialog.getByLabel('搜尋對方的家戶（姓名、地址、電話）').fill(headB);
  await dialog.getByRole('option').filter({ hasText: headB }).filter({ hasText: streetB }).first().click();
  await expect(dialog.getByTestId('link-picked-household')).toBeVisible();
  await pick(page, 'link-target-person', new RegExp(`^${headB}（戶長）`));
  await pick(page, 'link-relation', '父母');
  await dialog.getByLabel('說明（選填）').fill('住在鄰里，每週探視');
  await shot(page, 'links-01-add-by-household');
  await dialog.getByRole('button', { name: '儲存' }).click();
  await expect(dialog).toBeHidden();
  const rows = panel.getByTestId('link-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(headB);
  await expect(rows.first()).toContainText('父母');

  // 2. By 身分證字號: a person of another team's household.
  await panel.getByTestId('link-add').click();
  dialog = page.getByRole('dialog', { name: '新增跨戶關係' });
  await pick(page, 'link-member', memberA);
  await dialog.getByText('以身分證字號指定').click();
  await dialog.getByLabel('對方的身分證字號').fill(HIDDEN_ID);
  await pick(page, 'link-relation', '祖父母');
  await dialog.getByRole('button', { name: '儲存' }).click();
  await expect(dialog).toBeHidden();
  await expect(rows).toHaveCount(2);
  await expect(rows.filter({ hasText: '另一戶（非本人轄區）' })).toHaveCount(1);

  const genogram = page.getByTestId('genogram');
  const inScope = genogram.locator('[data-testid="genogram-linked"][data-linked="in-scope"]');
  const outOfScope = genogram.locator('[data-testid="genogram-linked"][data-linked="out-of-scope"]');
  await expect(inScope).toHaveCount(1);
  await expect(outOfScope).toHaveCount(1);
  await expect(inScope).toContainText(headB);
  await expect(outOfScope).toContainText('另一戶（非本人轄區）');
  await expect(genogram.getByTestId('genogram-link-line')).toHaveCount(2);
  await expect(genogram.getByTestId('genogram-link-line').filter({ hasText: '祖父母' })).toHaveCount(1);
  // Nothing of the other team's household anywhere on the page or in the drawing.
  await expect(page.locator('body')).not.toContainText(HIDDEN_NAME);
  await expect(page.locator('body')).not.toContainText('隱密路');
  expect(await genogram.innerHTML()).not.toContain(HIDDEN_NAME);
  await expect(page.locator('body')).not.toContainText(WESTERN_YEAR);
  await genogram.scrollIntoViewIfNeeded();
  await shot(page, 'links-02-genogram-linked');
  await genogram.screenshot({ path: join(SHOTS, 'links-02b-genogram-only.png') });

  // A click on the household in scope opens it; there the link reads the other way round.
  await genogram.getByRole('link', { name: /開啟相關家戶/ }).click();
  await expect(page).toHaveURL(new RegExp(`#/households/${householdB}$`));
  const back = page.getByTestId('links-panel').getByTestId('link-row');
  await expect(back).toHaveCount(1);
  await expect(back.first()).toContainText('子女');
  await expect(back.first()).toContainText(memberA);
  await expect(page.getByTestId('genogram').locator('[data-testid="genogram-linked"][data-linked="in-scope"]')).toHaveCount(1);
  await shot(page, 'links-03-linked-household');
});

test('the ecomap shows a referral, the linked households and a legend, and prints alone', async ({ page }) => {
  await signInDemo(page, host.url, 'sw01');
  const mine = await api<CaseloadPage>(page, 'worklists.myCaseload', { status: 'all', limit: 200 });
  const kase = mine.rows.find((r) => r.householdId === householdA);
  expect(kase).toBeTruthy();
  const record = await api<{ id: number }>(page, 'records.create', {
    householdId: householdA,
    caseId: kase!.id,
    occurredAt: '2026-05-19T02:00:00.000Z',
    method: '面訪家庭',
    participants: [],
    minutes: 40,
    items: ['資源轉介'],
    narrative: '',
    referral: { unitKind: '衛政', unitName: UNIT, reason: '情緒支持與諮商' },
  });
  expect(record.id).toBeGreaterThan(0);

  await page.goto(`${host.url}#/households/${householdA}`);
  const panel = page.getByTestId('links-panel');
  await panel.getByRole('tab', { name: '生態圖' }).click();
  const map = page.getByTestId('ecomap');
  await expect(map).toBeVisible();
  await expect(page.getByRole('figure', { name: /生態圖/ })).toBeVisible();
  const referral = map.locator('[data-testid="ecomap-node"][data-kind="referral"]').filter({ hasText: '南投縣心理健康' });
  await expect(referral).toHaveCount(1);
  // A new referral waits: a dashed line, its status and ROC date on it.
  const edge = map.getByRole('img', { name: new RegExp(`^${UNIT}：轉介等待中（115/05/19`) });
  await expect(edge).toHaveAttribute('data-style', 'dashed');
  await expect(map.locator('[data-testid="ecomap-node"][data-kind="linked"]')).toHaveCount(2);
  await expect(map.locator('[data-testid="ecomap-node"][data-kind="linked"]').filter({ hasText: '另一戶（非本人轄區）' })).toHaveCount(1);
  await expect(map.getByTestId('ecomap-legend')).toContainText('紅色斷線');
  expect(await map.innerHTML()).not.toContain(HIDDEN_NAME);
  await expect(page.locator('body')).not.toContainText(WESTERN_YEAR);
  await map.scrollIntoViewIfNeeded();
  await shot(page, 'links-04-ecomap');
  await map.screenshot({ path: join(SHOTS, 'links-04b-ecomap-only.png') });

  // Printing the ecomap (its button sets the flag around window.print) shows its sheet alone.
  await page.evaluate(() => (document.body.dataset.printing = 'ecomap'));
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('ecomap-print-sheet')).toBeVisible();
  await expect(page.getByTestId('genogram-print-sheet')).toBeHidden();
  await expect(page.getByTestId('links-panel')).toBeHidden();
  await shot(page, 'links-05-ecomap-print');
  await page.evaluate(() => delete document.body.dataset.printing);
  await expect(page.getByTestId('genogram-print-sheet')).toBeVisible();
  await expect(page.getByTestId('ecomap-print-sheet')).toBeHidden();
  await page.emulateMedia({ media: 'screen' });
});
