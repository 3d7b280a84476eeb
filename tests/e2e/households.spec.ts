import type { Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeNationalId, maskNationalId } from '../../main/contract/national-id';
import { addDays, formatRocDate } from '../../main/contract/roc-date';
import { callFromPage, expect, installTestClock, type RunningHost, seedDemoAt, shot, startHost, test, testToday } from './host';

/**
 * A 社工 registers a family: the household with its 戶長 (a clashing ID is refused and the
 * existing person offered), a member, long-term concern (長期關懷戶) with an overdue visit, the care
 * load; the household page with its genogram (printable on its own); search by a 2-character name
 * fragment, a case number and a phone number; and a 社工 of another team finds nothing and is
 * refused the page even when calling the API directly. A save over a newer version is refused with
 * the name of whoever saved it, and the typed text stays on screen.
 *
 * The demo center (seed:demo --scale small) supplies the accounts (password demo1234: sw01 in 第1組,
 * sw04 in 第2組) and its district's 縣市 / 鄉鎮市區 / 村里.
 */
test.describe.configure({ mode: 'serial' });

const PASSWORD = 'demo1234';
const HEAD_ID = makeNationalId('M', '2', '4681357');
const HEAD_MASKED = maskNationalId(HEAD_ID);
const HEAD_PHONE = '0937-246810';

let host: RunningHost;
let dataDir: string;
let householdUrl = '';
let householdId = 0;

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wd-e2e-households-'));
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

/** Picks the first option of a Select (the demo district's own divisions). */
async function pickFirst(page: Page, label: string): Promise<string> {
  await page.getByRole('combobox', { name: label }).click();
  const option = page.getByRole('option').first();
  const name = (await option.textContent()) ?? '';
  await option.click();
  return name;
}

async function pick(page: Page, label: string, option: string | RegExp, scope: Page | ReturnType<Page['getByRole']> = page) {
  await scope.getByRole('combobox', { name: label }).click();
  await page.getByRole('option', { name: option, exact: typeof option === 'string' }).click();
}

async function typeDate(scope: Page | ReturnType<Page['getByRole']>, label: string, value: string) {
  const input = scope.getByLabel(label);
  await input.fill(value);
  await input.press('Tab');
}

test('a 社工 creates a household with its 戶長', async ({ page }) => {
  await signIn(page, 'sw01');
  await page.getByRole('link', { name: '新增家戶', exact: true }).click();
  await expect(page.getByRole('heading', { name: '新增家戶' })).toBeVisible();

  const county = await pickFirst(page, '縣市');
  const town = await pickFirst(page, '鄉鎮市區');
  const village = await pickFirst(page, '村里');
  await page.getByLabel('鄰').fill('7');
  await page.getByLabel('街路巷弄門牌').fill('民族路88號');
  await pick(page, '家戶類型', '隔代教養');
  await page.getByLabel('家戶電話').fill('049-2201234');

  await page.getByLabel('姓名').fill('鍾離雪華');
  // The ID is checked as it is typed.
  await page.getByLabel('身分證字號或居留證號').fill(`${HEAD_ID.slice(0, 9)}${(Number(HEAD_ID[9]) + 1) % 10}`);
  await expect(page.getByText('檢查碼錯誤，請再核對一次')).toBeVisible();
  await shot(page, 'households-01-id-checked-live');
  await page.getByLabel('身分證字號或居留證號').fill(HEAD_ID);
  await expect(page.getByText('檢查碼錯誤，請再核對一次')).toHaveCount(0);
  await typeDate(page, '出生日期', '40/5/6');
  await expect(page.getByLabel('出生日期')).toHaveValue('40/05/06');
  await pick(page, '性別', '女');
  await page.getByLabel('電話', { exact: true }).fill(HEAD_PHONE);
  await pick(page, '低收入戶／中低收入戶', '中低收入戶');
  await shot(page, 'households-02-new-household');
  await page.getByRole('button', { name: '建立家戶' }).click();

  await expect(page).toHaveURL(/#\/households\/\d+$/);
  householdUrl = page.url();
  householdId = Number(householdUrl.split('/').pop());
  const title = page.getByTestId('household-title');
  await expect(title).toContainText(`${county}${town}${village}7鄰民族路88號`);
  const head = page.getByRole('table', { name: '家戶成員' }).getByRole('row', { name: /鍾離雪華/ });
  await expect(head).toContainText('戶長');
  await expect(head).toContainText(HEAD_MASKED);
  await expect(head).not.toContainText(HEAD_ID);
  // 顯示 fetches the full ID (and the server logs that it was viewed).
  await head.getByRole('button', { name: '顯示鍾離雪華的完整身分證字號' }).click();
  await expect(head).toContainText(HEAD_ID);
  await shot(page, 'households-03-created');
});

test('the same ID twice is refused and the existing person is offered', async ({ page }) => {
  await signIn(page, 'sw01');
  await page.goto(`${host.url}#/households/new`);
  await page.getByLabel('街路巷弄門牌').fill('中山路1號');
  await page.getByLabel('姓名').fill('王小明');
  await page.getByLabel('身分證字號或居留證號').fill(HEAD_ID.toLowerCase());
  const clash = page.getByTestId('id-clash');
  await expect(clash).toContainText('此身分證字號已登錄為「鍾離雪華」');
  await expect(clash.getByRole('link', { name: '前往其家戶' })).toBeVisible();

  // Saving anyway: the server refuses, nothing is made, the screen stays.
  await page.getByRole('button', { name: '建立家戶' }).click();
  await expect(clash).toContainText('鍾離雪華');
  await expect(page).toHaveURL(/#\/households\/new$/);
  const direct = await callFromPage(page, 'persons.create', { name: '王小明', nationalId: HEAD_ID });
  expect(direct.error?.code).toBe('RULE');
  await shot(page, 'households-04-duplicate-id');

  await clash.getByRole('link', { name: '前往其家戶' }).click();
  await expect(page).toHaveURL(householdUrl);
  await expect(page.getByTestId('household-title')).toContainText('民族路88號');
});

test('a member joins the household; same name and birth date asks first', async ({ page }) => {
  await signIn(page, 'sw01');
  await page.goto(householdUrl);
  await page.getByRole('button', { name: '新增成員' }).click();
  const dialog = page.getByRole('dialog', { name: '新增成員' });
  await dialog.getByLabel('姓名').fill('鍾志明');
  await typeDate(dialog, '出生日期', '64/8/9');
  await pick(page, '性別', '男', dialog);
  await pick(page, '身心障礙等級', '中度', dialog);
  await pick(page, '與戶長關係', '子女', dialog);
  await dialog.getByRole('button', { name: '儲存' }).click();
  await expect(dialog).toBeHidden();
  const members = page.getByRole('table', { name: '家戶成員' });
  await expect(members.getByRole('row', { name: /鍾志明/ })).toContainText('子女');

  // The same name and birth date again: a warning with the candidate, then a confirmation.
  await page.getByRole('button', { name: '新增成員' }).click();
  await dialog.getByLabel('姓名').fill('鍾志明');
  await typeDate(dialog, '出生日期', '1975-08-09');
  await expect(dialog.getByTestId('same-name-birth')).toContainText('鍾志明，64/08/09 生');
  await shot(page, 'households-05-same-name-birth');
  await dialog.getByRole('button', { name: '關閉' }).click();
  await expect(dialog).toBeHidden();

  await page.getByRole('button', { name: '新增成員' }).click();
  await dialog.getByLabel('姓名').fill('鍾小安');
  await typeDate(dialog, '出生日期', '101/3/15');
  await pick(page, '性別', '女', dialog);
  await pick(page, '與戶長關係', '孫子女', dialog);
  await dialog.getByRole('button', { name: '儲存' }).click();
  await expect(dialog).toBeHidden();
  await expect(members.getByRole('row', { name: /鍾小安/ })).toContainText('孫子女');
  await shot(page, 'households-06-members');
});

test('a save over a newer version is refused, naming who saved it, and keeps what was typed', async ({ page, browser }) => {
  await signIn(page, 'sw01');
  await page.goto(householdUrl);
  await page.getByRole('button', { name: '編輯家戶資料' }).click();
  const dialog = page.getByRole('dialog', { name: '編輯家戶資料' });
  await dialog.getByLabel('家戶電話').fill('049-2999999');

  // Meanwhile the administrator saves the household from another window.
  const other = await installTestClock(await browser.newPage());
  await signIn(other, 'admin');
  const current = (await callFromPage(other, 'households.get', { id: householdId })) as { value?: { version: number } };
  const saved = await callFromPage(other, 'households.update', { id: householdId, version: current.value?.version, phone: '049-2888888' });
  expect(saved.ok).toBe(true);
  await other.close();

  await dialog.getByRole('button', { name: '儲存' }).click();
  await expect(dialog.getByTestId('conflict-error')).toContainText('已由系統管理者於');
  await expect(dialog.getByLabel('家戶電話')).toHaveValue('049-2999999');
  await shot(page, 'households-06b-stale-version');
  await dialog.getByRole('button', { name: '重新載入最新資料' }).click();
  await expect(dialog.getByLabel('家戶電話')).toHaveValue('049-2888888');
  await dialog.getByRole('button', { name: '關閉' }).click();
});

test('the household becomes a 長期關懷戶 and shows on the list with its overdue visit', async ({ page }) => {
  await signIn(page, 'sw01');
  await page.goto(householdUrl);
  const panel = page.getByTestId('concern-panel');
  await expect(panel).toContainText('這一戶目前不是長期關懷戶');
  await panel.getByRole('button', { name: '列為長期關懷戶' }).click();
  const dialog = page.getByRole('dialog', { name: '列為長期關懷戶' });
  await pick(page, '列管原因', '高照顧負荷', dialog);
  await dialog.getByLabel('原因說明').fill('戶長獨力照顧身障長子');
  await pick(page, '訪視頻率', '每月', dialog);
  // Started 45 days ago, monthly: the first visit is already overdue.
  const start = addDays(testToday(), -45);
  await typeDate(dialog, '開始日期', formatRocDate(start));
  await shot(page, 'households-07-designate');
  await dialog.getByRole('button', { name: '列為長期關懷戶' }).click();
  await expect(dialog).toBeHidden();
  await expect(panel).toContainText('關懷中');
  await expect(panel.getByTestId('concern-next-due')).toHaveText(/^\d{2,3}\/\d{2}\/\d{2}$/);
  await expect(panel).toContainText(/逾期 \d+ 天/);
  await expect(page.getByTestId('household-title').locator('..')).toContainText('長期關懷中');

  await page.getByRole('link', { name: '長期關懷戶', exact: true }).click();
  const list = page.getByRole('table', { name: '長期關懷戶' });
  const row = list.getByTestId(`concern-row-${householdId}`);
  await expect(row).toContainText('鍾離雪華');
  await expect(row).toContainText('每月');
  await expect(row).toContainText(/逾期 \d+ 天/);
  await page.getByLabel('只顯示逾期').check();
  await expect(list.getByTestId(`concern-row-${householdId}`)).toBeVisible();
  await shot(page, 'households-08-concern-list');
});

test('the care load is recorded and the household is listed as 高照顧負荷', async ({ page }) => {
  await signIn(page, 'sw01');
  await page.goto(householdUrl);
  const panel = page.getByTestId('care-panel');
  await expect(panel).toContainText('尚未登錄照顧負荷資料');
  await panel.getByRole('button', { name: '編輯照顧負荷' }).click();
  const dialog = page.getByRole('dialog', { name: '編輯照顧負荷' });
  await dialog.getByRole('button', { name: '新增照顧需求' }).click();
  const need = dialog.getByTestId('care-need-0');
  await pick(page, '成員', /鍾志明/, need);
  await pick(page, '需求類別', '身障', need);
  await pick(page, 'CMS', '第 5 級', need);
  await pick(page, '主要照顧者', /鍾離雪華/, dialog);
  await dialog.getByLabel('照顧負荷沉重（列入高照顧負荷家庭）').check();
  await dialog.getByRole('button', { name: '新增長照服務' }).click();
  const service = dialog.getByTestId('care-service-0');
  await pick(page, '服務項目', '居家服務', service);
  await service.getByLabel('服務單位').fill('南投縣居家服務協會');
  await shot(page, 'households-09-care-edit');
  await dialog.getByRole('button', { name: '儲存' }).click();
  await expect(dialog).toBeHidden();

  await expect(panel).toContainText('高照顧負荷');
  await expect(panel).toContainText('第 5 級');
  await expect(panel).toContainText('主要照顧者：鍾離雪華');
  const inPlace = panel.getByRole('list', { name: '已使用的長照服務' });
  await expect(inPlace.locator('[data-in-use="true"]')).toHaveText(['✓ 居家服務']);
  await expect(inPlace.locator('[data-in-use="false"]')).toHaveCount(4);

  await page.getByRole('link', { name: '高照顧負荷家庭', exact: true }).click();
  const row = page.getByTestId(`high-burden-row-${householdId}`);
  await expect(row).toContainText('鍾離雪華');
  await expect(row).toContainText('居家服務');
  await shot(page, 'households-10-high-burden');
});

test('the household page draws the genogram, which prints on its own', async ({ page }) => {
  await signIn(page, 'sw01');
  await page.goto(householdUrl);
  const genogram = page.getByTestId('genogram');
  await expect(genogram).toBeVisible();
  await expect(genogram.locator('[data-person]')).toHaveCount(3);
  await expect(page.getByRole('figure', { name: '家系圖：依成員與戶長的關係繪製' })).toBeVisible();
  await expect(genogram.getByRole('img', { name: /鍾離雪華，戶長/ })).toHaveAttribute('data-sex', 'F');
  await expect(genogram.getByRole('img', { name: /鍾志明，子女/ })).toHaveAttribute('data-sex', 'M');
  await expect(genogram.getByRole('img', { name: /鍾小安，孫子女/ })).toBeVisible();
  // Head (circle), child (square) and grandchild, with lines between the generations.
  await expect(genogram.locator('circle')).not.toHaveCount(0);
  await expect(genogram.locator('rect')).not.toHaveCount(0);
  await expect(genogram.locator('line')).not.toHaveCount(0);
  await expect(page.getByRole('button', { name: '列印家系圖' })).toBeVisible();
  await shot(page, 'households-11-household-page');

  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('genogram-print-sheet')).toBeVisible();
  await expect(page.getByRole('table', { name: '家戶成員' })).toBeHidden();
  await shot(page, 'households-12-genogram-print');
  await page.emulateMedia({ media: 'screen' });
  await expect(page.getByTestId('genogram-print-sheet')).toBeHidden();
});

test('search finds the household by a name fragment, a case number and a phone number', async ({ page }) => {
  await signIn(page, 'sw01');
  const me = (await callFromPage(page, 'auth.status', {})) as { value?: { session: { user: { id: number } } } };
  const intake = (await callFromPage(page, 'cases.intake', {
    householdId,
    source: 'A',
    receivedAt: `${addDays(testToday(), -1)}T09:00:00+08:00`,
    caseType: '脆弱家庭',
    factors: [],
    riskLevel: '中',
    leadWorkerId: me.value?.session.user.id,
  })) as { ok: boolean; value?: { caseNo: string }; error?: { message: string } };
  expect(intake.error?.message).toBeUndefined();
  const caseNo = intake.value?.caseNo ?? '';

  await page.keyboard.press('Control+k');
  const dialog = page.getByRole('dialog', { name: '搜尋' });
  const box = dialog.getByLabel('搜尋關鍵字');
  await box.fill('離雪');
  const hit = dialog.getByRole('option').filter({ hasText: '民族路88號' });
  await expect(hit).toBeVisible();
  await expect(hit).toContainText('鍾離雪華');
  await expect(hit).toContainText(HEAD_MASKED);
  await expect(hit).toContainText(caseNo);
  await shot(page, 'households-13-search-name');
  // Enter opens the selected (first) household.
  await expect(dialog.getByRole('option')).toHaveCount(1);
  await box.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(householdUrl);

  await page.keyboard.press('Control+k');
  await box.fill(caseNo);
  await expect(dialog.getByRole('option').filter({ hasText: caseNo })).toContainText('民族路88號');
  await shot(page, 'households-14-search-case');
  // The last four digits of a phone number.
  await box.fill(HEAD_PHONE.slice(-4));
  const byPhone = dialog.getByRole('option').filter({ hasText: '民族路88號' });
  await expect(byPhone).toBeVisible();
  await byPhone.click();
  await expect(dialog).toBeHidden();
  await expect(page).toHaveURL(householdUrl);

  // The header's search box opens the same search; the full page lists the same result.
  await page.getByRole('button', { name: '搜尋（Ctrl+K）' }).click();
  await dialog.getByLabel('搜尋關鍵字').fill('0937246810');
  await dialog.getByRole('link', { name: '在完整頁面顯示結果' }).click();
  await expect(page.getByRole('heading', { name: '搜尋家戶' })).toBeVisible();
  await expect(page.getByRole('list', { name: '搜尋結果' })).toContainText('民族路88號');
  await shot(page, 'households-15-search-page');
});

test('a 社工 of another team finds nothing and is refused the household', async ({ page }) => {
  await signIn(page, 'sw04');
  await page.keyboard.press('Control+k');
  const dialog = page.getByRole('dialog', { name: '搜尋' });
  await dialog.getByLabel('搜尋關鍵字').fill('離雪');
  await expect(dialog.getByTestId('search-empty')).toBeVisible();
  await expect(dialog.getByRole('option')).toHaveCount(0);
  await shot(page, 'households-16-other-team-search');
  await page.keyboard.press('Escape');

  // Not hidden buttons but refused calls: the server answers as if the household did not exist.
  const direct = await callFromPage(page, 'households.page', { id: householdId, timelineLimit: 30 });
  expect(direct.ok).toBe(false);
  expect(direct.error?.code).toBe('NOT_FOUND');
  const search = (await callFromPage(page, 'search.query', { q: HEAD_ID, limit: 20 })) as { value?: { hits: unknown[] } };
  expect(search.value?.hits).toEqual([]);
  const care = await callFromPage(page, 'care.get', { householdId });
  expect(care.ok).toBe(false);

  await page.goto(householdUrl);
  await expect(page.getByRole('alert')).toContainText('找不到這筆資料，或您沒有權限檢視');
  await expect(page.getByTestId('household-title')).toHaveCount(0);
  await shot(page, 'households-17-other-team-refused');
});

test('a 社工 of another team typing a registered ID learns only that it exists and whom to ask', async ({ page }) => {
  await signIn(page, 'sw04');
  await page.goto(`${host.url}#/households/new`);
  await page.getByLabel('街路巷弄門牌').fill('中山路1號');
  await page.getByLabel('姓名').fill('王小明');
  await page.getByLabel('身分證字號或居留證號').fill(HEAD_ID);
  const clash = page.getByTestId('id-clash');
  await expect(clash).toContainText('此身分證字號已登錄於本中心，由「第1組」負責');
  await expect(clash).toContainText('請洽第1組督導');
  await expect(clash).not.toContainText('鍾離雪華');
  await expect(clash).not.toContainText(HEAD_MASKED);
  await expect(clash.getByRole('link')).toHaveCount(0);
  await expect(clash.getByRole('button')).toHaveCount(0);
  // Beside the field too, where the worker is looking.
  await expect(page.getByText('已登錄，由「第1組」負責，請洽該組督導')).toBeVisible();
  await shot(page, 'households-18-other-team-duplicate-id');

  // Saving anyway: refused with the same answer, nothing about the person.
  await page.getByRole('button', { name: '建立家戶' }).click();
  await expect(page).toHaveURL(/#\/households\/new$/);
  const direct = (await callFromPage(page, 'persons.checkDuplicates', { name: '王小明', nationalId: HEAD_ID })) as { value?: unknown };
  expect(direct.value).toEqual({ sameId: { visible: false, responsibleTeam: '第1組' }, sameNameBirth: [] });
});
