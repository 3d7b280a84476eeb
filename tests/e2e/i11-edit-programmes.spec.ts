import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { api, apiSignIn, expect, installTestClock, type RunningHost, setupAdminOnPage, startHost, test } from './host';

/**
 * Issue 11 §1 in Chromium: correcting what was typed in programmes. A 社工 edits a programme's dates,
 * targets and status (and first meets a zh-TW message beside the end date), corrects an enrolment's
 * outcome (the earlier one shown), a child's placement date, closes a child account through the
 * confirmation dialog; a 實物銀行 clerk edits a catalogue item. Pages run at TEST_NOW 2026-05-20.
 */
test.describe.configure({ mode: 'serial' });

const PASSWORD = 'Programme123';
const SHOTS = join(process.cwd(), 'artifacts', 'issue11', 'edit-programmes');
let host: RunningHost;
const ids = { programme: 0 };

async function shot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

async function signIn(page: Page, username: string) {
  await page.goto(host.url);
  await page.getByLabel('帳號').fill(username);
  await page.getByLabel('密碼').fill(PASSWORD);
  await page.getByRole('button', { name: '登入' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
}

async function typeDate(scope: ReturnType<Page['getByRole']>, label: string, value: string) {
  const input = scope.getByRole('textbox', { name: label, exact: true });
  await input.fill(value);
  await input.press('Tab');
}

test.beforeAll(async ({ browser }) => {
  host = await startHost();
  const page = await installTestClock(await browser.newPage());
  expect(await setupAdminOnPage(page, host, 'Admin12345')).toBe(true);
  const sup = await api<{ id: number }>(page, 'users.create', { username: 'sup1', displayName: '陳督導', role: 'supervisor', teamId: null, initialPassword: 'Initial123' });
  const team = await api<{ id: number }>(page, 'teams.create', { name: '第一組', supervisorId: sup.id });
  await api(page, 'users.create', { username: 'sw01', displayName: '王社工', role: 'worker', teamId: team.id, initialPassword: 'Initial123' });
  await api(page, 'users.create', { username: 'clerk', displayName: '吳倉管', role: 'foodbank', teamId: null, initialPassword: 'Initial123' });
  await api(page, 'foodbank.saveItem', { name: '白米', category: '米糧', unit: '包', value: 250, kgPerUnit: 3, perishable: false, minLevel: 5 });
  for (const u of ['clerk', 'sw01']) {
    await apiSignIn(page, u, 'Initial123');
    await api(page, 'auth.changePassword', { currentPassword: 'Initial123', newPassword: PASSWORD });
  }
  // A 低收 family with a child born 2018 (account), and a family without status whose child is placed.
  const father = await api<{ id: number }>(page, 'persons.create', { name: '林志明', birthDate: '1984-02-01', sex: 'M', incomeStatus: 'low' });
  const family = await api<{ id: number }>(page, 'households.create', { address: { street: '南投市中山路100號' }, householdType: '雙親', head: { personId: father.id } });
  const child = await api<{ id: number }>(page, 'persons.create', { name: '林小安', birthDate: '2018-05-01', sex: 'M' });
  await api(page, 'households.addMember', { householdId: family.id, personId: child.id, relation: '子女', joinedOn: '2018-05-01' });
  const mother = await api<{ id: number }>(page, 'persons.create', { name: '黃淑芬', birthDate: '1990-01-01', sex: 'F' });
  const home2 = await api<{ id: number }>(page, 'households.create', { address: { street: '南投市復興路8號' }, householdType: '單親', head: { personId: mother.id } });
  const placedChild = await api<{ id: number }>(page, 'persons.create', { name: '黃小明', birthDate: '2019-01-01', sex: 'M' });
  await api(page, 'households.addMember', { householdId: home2.id, personId: placedChild.id, relation: '子女', joinedOn: '2019-01-01' });
  await api(page, 'childAccounts.setPlacement', { personId: placedChild.id, placed: true, placedOn: '2026-02-01' });
  const account = await api<{ id: number }>(page, 'childAccounts.open', { personId: child.id, openedOn: '2026-01-10', monthlyAmount: 1000 });
  await api(page, 'childAccounts.recordDeposit', { accountId: account.id, depositedOn: '2026-01-15', amount: 1000 });
  await api(page, 'childAccounts.recordDeposit', { accountId: account.id, depositedOn: '2026-02-15', amount: 1000 });
  const p = await api<{ id: number }>(page, 'programmes.create', { name: '親職教育團體', type: '親職教育', startsOn: '2026-03-01', endsOn: '2026-06-30', status: 'planned', targetPeople: 10 });
  ids.programme = p.id;
  await api(page, 'programmes.enrol', { programmeId: p.id, personIds: [father.id], enrolledOn: '2026-03-02' });
  await page.close();
});

test.afterAll(async () => {
  await host.stop();
});

test('社工: edits a programme (a field error beside its field first), then an enrolment outcome', async ({ page }) => {
  await signIn(page, 'sw01');
  await page.goto(`${host.url}#/programmes/${ids.programme}`);
  await expect(page.getByRole('heading', { name: '親職教育團體' })).toBeVisible();
  await page.getByRole('button', { name: '修改方案' }).click();
  const dialog = page.getByRole('dialog', { name: '修改方案' });
  // The end date before the start: the message stands beside 結束日期, in zh-TW, and nothing is saved.
  await typeDate(dialog, '結束日期', '115/02/01');
  await dialog.getByRole('button', { name: '儲存修改' }).click();
  const endsOn = dialog.getByRole('textbox', { name: '結束日期', exact: true });
  await expect(endsOn).toHaveAttribute('aria-invalid', 'true');
  await expect(dialog.getByText('方案結束日不可早於開始日')).toBeVisible();
  await shot(page, '01-programme-field-error');
  await typeDate(dialog, '結束日期', '115/08/31');
  await dialog.getByLabel('目標人數').fill('12');
  await dialog.getByLabel('目標場次').fill('6');
  await dialog.getByLabel('方案狀態').click();
  await page.getByRole('option', { name: '執行中' }).click();
  await shot(page, '02-programme-edit');
  await dialog.getByRole('button', { name: '儲存修改' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText('期間：115/03/01－115/08/31')).toBeVisible();
  await expect(page.getByText('目標人數：12')).toBeVisible();
  await expect(page.getByText('執行中')).toBeVisible();

  // The enrolment: completed with an outcome, then the outcome corrected; the earlier one is listed.
  await page.getByRole('button', { name: '修改參與紀錄 林志明' }).click();
  let en = page.getByRole('dialog', { name: '修改參與紀錄：林志明' });
  await en.getByLabel('狀態').click();
  await page.getByRole('option', { name: '完成' }).click();
  await en.getByRole('button', { name: '儲存修改' }).click();
  await expect(en.getByText('完成或退出時請填寫結束日期')).toBeVisible();
  await typeDate(en, '結束日期', '115/05/15');
  await en.getByLabel('成果').fill('完成四次團體');
  await en.getByRole('button', { name: '儲存修改' }).click();
  await expect(en).toBeHidden();
  await expect(page.getByText('完成 115/05/15')).toBeVisible();
  await page.getByRole('button', { name: '修改參與紀錄 林志明' }).click();
  en = page.getByRole('dialog', { name: '修改參與紀錄：林志明' });
  await en.getByLabel('成果').fill('完成三次團體，一次請假');
  await en.getByRole('button', { name: '儲存修改' }).click();
  await expect(en).toBeHidden();
  await page.getByRole('button', { name: '修改參與紀錄 林志明' }).click();
  en = page.getByRole('dialog', { name: '修改參與紀錄：林志明' });
  await expect(en.getByText('修改紀錄')).toBeVisible();
  await expect(en.getByText(/王社工 修改前：完成 115\/05\/15；完成四次團體/)).toBeVisible();
  await shot(page, '03-enrolment-history');
});

test('社工: corrects a placement date and closes a child account through the confirmation', async ({ page }) => {
  await signIn(page, 'sw01');
  await page.goto(`${host.url}#/accounts`);
  const placed = page.getByTestId('eligible-黃小明');
  await expect(placed.getByText('安置日 115/02/01')).toBeVisible();
  await placed.getByRole('button', { name: '修改安置 黃小明' }).click();
  const pd = page.getByRole('dialog', { name: '修改安置：黃小明' });
  await typeDate(pd, '安置日期', '115/01/15');
  await pd.getByLabel('原因').fill('依安置公文更正');
  await shot(page, '04-placement-edit');
  await pd.getByRole('button', { name: '儲存修改' }).click();
  await expect(pd).toBeHidden();
  await expect(placed.getByText('安置日 115/01/15')).toBeVisible();

  const row = page.getByTestId('eligible-林小安');
  await row.getByTestId('close-林小安').click();
  const dialog = page.getByTestId('confirm-action');
  await expect(dialog.getByText(/目前自存款累計 2,000 元（2 筆），政府 1:1 相對提撥同額/)).toBeVisible();
  await expect(dialog.getByTestId('confirm-action-ok')).toBeDisabled();
  // Before the last deposit: the server's message beside the date, inside the dialog.
  await typeDate(dialog as never, '結清日期', '115/02/01');
  await dialog.getByTestId('close-reason').click();
  await page.getByRole('option', { name: '家長申請退出' }).click();
  await dialog.getByTestId('confirm-action-ok').click();
  await expect(dialog.getByText('結清日期不可早於最後一筆存款 115/02/15').first()).toBeVisible();
  await typeDate(dialog as never, '結清日期', '115/05/20');
  await shot(page, '05-close-account-confirm');
  await dialog.getByTestId('confirm-action-ok').click();
  await expect(dialog).toBeHidden();
  await expect(row.getByText('已結清 115/05/20')).toBeVisible();
  await expect(row.getByTestId('close-林小安')).toHaveCount(0);
  await shot(page, '06-account-closed');
});

test('實物銀行: edits a catalogue item; a bad value is refused beside its field', async ({ page }) => {
  await signIn(page, 'clerk');
  await page.goto(`${host.url}#/foodbank/catalogue`);
  await page.getByRole('button', { name: '修改品項 白米' }).click();
  const dialog = page.getByRole('dialog', { name: '修改品項：白米' });
  await dialog.getByRole('textbox', { name: '分類', exact: true }).fill('');
  await dialog.getByRole('button', { name: '儲存修改' }).click();
  await expect(dialog.getByText('請輸入類別')).toBeVisible();
  await dialog.getByRole('textbox', { name: '分類', exact: true }).fill('食品');
  await dialog.getByRole('textbox', { name: '價值（元）', exact: true }).fill('260');
  await shot(page, '07-item-edit');
  await dialog.getByRole('button', { name: '儲存修改' }).click();
  await expect(dialog).toBeHidden();
  const row = page.getByRole('row', { name: /白米/ });
  await expect(row.getByRole('cell', { name: '食品' })).toBeVisible();
  await expect(row.getByRole('cell', { name: '260', exact: true })).toBeVisible();
  await shot(page, '08-catalogue-after');
});
