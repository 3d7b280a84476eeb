import type { Page } from '@playwright/test';
import { api, apiSignIn, expect, installTestClock, type RunningHost, setupAdminOnPage, startHost, test } from './host';

/**
 * Issue 11 §2, §3, §7 as a user meets them: a form with bad input shows the zh-TW message beside the field
 * (never the browser's "Please fill out this field"); leaving with unsaved input asks (side menu, back); a
 * narrative draft survives a reload encrypted and is offered back, gone after save; confirmations show the
 * error of their call inside the dialog.
 */
test.describe.configure({ mode: 'serial' });

const PASSWORD = 'Forms12345';
const ADMIN_PASSWORD = 'Admin12345';
const SHOTS = 'artifacts/issue11/forms';
let host: RunningHost;
const ids = { family: 0 };
const NARRATIVE = '案主表示近日失業，三名子女需要課後照顧，請協助申請急難救助。';

async function signIn(page: Page, username: string, password = PASSWORD) {
  await page.goto(host.url);
  await page.getByLabel('帳號').fill(username);
  await page.getByLabel('密碼').fill(password);
  await page.getByRole('button', { name: '登入' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
}

const shot = (page: Page, name: string) => page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });

test.beforeAll(async ({ browser }) => {
  host = await startHost();
  const page = await installTestClock(await browser.newPage());
  expect(await setupAdminOnPage(page, host, ADMIN_PASSWORD)).toBe(true);
  const sup = await api<{ id: number }>(page, 'users.create', { username: 'sup1', displayName: '陳督導', role: 'supervisor', teamId: null, initialPassword: 'Initial123' });
  const team = await api<{ id: number }>(page, 'teams.create', { name: '第一組', supervisorId: sup.id });
  await api(page, 'users.create', { username: 'sw01', displayName: '王社工', role: 'worker', teamId: team.id, initialPassword: 'Initial123' });
  await apiSignIn(page, 'sw01', 'Initial123');
  await api(page, 'auth.changePassword', { currentPassword: 'Initial123', newPassword: PASSWORD });
  await apiSignIn(page, 'sw01', PASSWORD);
  const mother = await api<{ id: number }>(page, 'persons.create', { name: '林美玲', birthDate: '1988-04-12', sex: 'F' });
  const family = await api<{ id: number }>(page, 'households.create', { address: { street: '南投市中山路100號' }, householdType: '單親', head: { personId: mother.id } });
  ids.family = family.id;
  await page.close();
});

test.afterAll(async () => {
  await host.stop();
});

test('bad input: the zh-TW message beside the field, never the browser bubble', async ({ page }) => {
  // Sign-in with nothing typed: zh-TW messages beside the fields, no native required check.
  await page.goto(host.url);
  expect(await page.locator('form [required]').count()).toBe(0);
  await page.getByRole('button', { name: '登入' }).click();
  await expect(page.getByText('請輸入帳號。')).toBeVisible();
  await expect(page.getByText('請輸入密碼。')).toBeVisible();
  await signIn(page, 'sw01');
  await page.goto(`${host.url}#/cases/new?householdId=${ids.family}`);
  await expect(page.getByRole('heading', { name: '開案受理' })).toBeVisible();
  // No native required check anywhere on the form.
  expect(await page.locator('form [required]').count()).toBe(0);
  await page.getByRole('button', { name: '收案', exact: true }).click();
  const source = page.getByRole('textbox', { name: '案件來源' }).or(page.getByRole('combobox', { name: '案件來源' })).first();
  const describedBy = await source.getAttribute('aria-describedby');
  expect(describedBy).toBeTruthy();
  const sourceError = page.locator(`[id="${describedBy!.split(' ').find((x) => x.includes('error'))}"]`);
  await expect(sourceError).toBeVisible();
  await expect(sourceError).toHaveText(/[\u4e00-\u9fff]/);
  await expect(page.getByTestId('form-error')).toContainText('有欄位需要修正');
  const text = await page.locator('main, body').first().innerText();
  expect(text).not.toContain('Please fill out');
  expect(text).not.toMatch(/欄位\s*[A-Za-z]/);
  expect(text).not.toMatch(/expected|received|Invalid/);
  await shot(page, 'forms-01-field-messages');
});

test('leaving with unsaved input asks first: side menu, back, search and sign-out; a clean form never asks', async ({ page }) => {
  await signIn(page, 'sw01');
  await page.goto(`${host.url}#/`);
  await page.goto(`${host.url}#/cases/new?householdId=${ids.family}`);
  await expect(page.getByRole('heading', { name: '開案受理' })).toBeVisible();
  await page.getByTestId('intake-summary').fill('尚未儲存的摘要');
  // Side menu.
  await page.getByRole('navigation').getByRole('link', { name: '首頁' }).click();
  const guard = page.getByRole('dialog', { name: '尚未儲存' });
  await expect(guard).toBeVisible();
  await expect(guard).toContainText('尚未儲存的內容將會遺失，確定離開？');
  await shot(page, 'forms-02-leave-guard-menu');
  await guard.getByRole('button', { name: '留在此頁' }).click();
  await expect(guard).toBeHidden();
  await expect(page.getByTestId('intake-summary')).toHaveValue('尚未儲存的摘要');
  // Browser back.
  await page.goBack();
  await expect(guard).toBeVisible();
  await guard.getByRole('button', { name: '留在此頁' }).click();
  await expect(page.getByTestId('intake-summary')).toHaveValue('尚未儲存的摘要');
  await page.goBack();
  await guard.getByRole('button', { name: '確定離開' }).click();
  await expect(page.getByRole('heading', { name: '開案受理' })).toBeHidden();
  // Sign-out asks too.
  await page.goto(`${host.url}#/cases/new?householdId=${ids.family}`);
  await page.getByTestId('intake-summary').fill('又一段');
  await page.getByRole('button', { name: '登出' }).click();
  await expect(guard).toBeVisible();
  await guard.getByRole('button', { name: '留在此頁' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
  await expect(page.getByTestId('intake-summary')).toHaveValue('又一段');
  // A search hit (Ctrl+K) asks too.
  await page.keyboard.press('Control+k');
  await page.getByRole('textbox', { name: '搜尋關鍵字' }).fill('林美玲');
  await expect(page.getByRole('option').first()).toBeVisible();
  await page.getByRole('textbox', { name: '搜尋關鍵字' }).press('Enter');
  await expect(guard).toBeVisible();
  await shot(page, 'forms-02b-leave-guard-search');
  await guard.getByRole('button', { name: '留在此頁' }).click();
  await expect(page.getByRole('heading', { name: '開案受理' })).toBeVisible();
  await expect(page.getByTestId('intake-summary')).toHaveValue('又一段');
  // Leaving by the menu after agreeing.
  await page.getByRole('navigation').getByRole('link', { name: '首頁' }).click();
  await guard.getByRole('button', { name: '確定離開' }).click();
  await expect(page.getByRole('heading', { name: '開案受理' })).toBeHidden();
  await expect(page).toHaveURL(/#\/$/);
  // Clean up the local draft so the next steps (and the next test) start empty.
  await page.evaluate(() => {
    for (const k of Object.keys(localStorage)) if (k.startsWith('welfare-desk.draft.')) localStorage.removeItem(k);
  });
  // A clean form never asks: menu and back go straight on.
  await page.goto(`${host.url}#/cases/new?householdId=${ids.family}`);
  await expect(page.getByRole('heading', { name: '開案受理' })).toBeVisible();
  await page.getByRole('navigation').getByRole('link', { name: '首頁' }).click();
  await expect(page.getByRole('heading', { name: '開案受理' })).toBeHidden();
  await page.goBack();
  await expect(page.getByRole('heading', { name: '開案受理' })).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('heading', { name: '開案受理' })).toBeHidden();
  await expect(guard).toBeHidden();
  // Sign-out after agreeing signs out.
  await page.goto(`${host.url}#/cases/new?householdId=${ids.family}`);
  await page.getByTestId('intake-summary').fill('第三段');
  await page.getByRole('button', { name: '登出' }).click();
  await guard.getByRole('button', { name: '確定離開' }).click();
  await expect(page.getByLabel('帳號')).toBeVisible();
  await page.evaluate(() => {
    for (const k of Object.keys(localStorage)) if (k.startsWith('welfare-desk.draft.')) localStorage.removeItem(k);
  });
});

test('a narrative draft survives a reload encrypted, is offered back, and is gone after save', async ({ page }) => {
  page.on('dialog', (d) => void d.accept());
  await signIn(page, 'sw01');
  await page.goto(`${host.url}#/cases/new?householdId=${ids.family}`);
  await page.getByTestId('intake-summary').fill(NARRATIVE);
  await expect.poll(() => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('welfare-desk.draft.')).length)).toBe(1);
  const stored = await page.evaluate(() => JSON.stringify(localStorage));
  expect(stored).not.toContain('失業');
  expect(stored).not.toContain('課後照顧');
  await page.reload();
  const offer = page.getByTestId('draft-offer');
  await expect(offer).toBeVisible();
  await expect(offer).toContainText('115/05/20');
  await shot(page, 'forms-03-draft-offered');
  await offer.getByRole('button', { name: '恢復草稿' }).click();
  await expect(page.getByTestId('intake-summary')).toHaveValue(NARRATIVE);

  await page.getByRole('textbox', { name: '案件來源' }).or(page.getByRole('combobox', { name: '案件來源' })).first().click();
  await page.getByRole('option', { name: 'A 自行求助', exact: true }).click();
  await page.getByRole('radio', { name: '中' }).check();
  await page.getByRole('button', { name: '收案', exact: true }).click();
  await expect(page.getByRole('heading', { name: '開案受理' })).toBeHidden();
  await expect(page).toHaveURL(/#\/cases\/\d+/);
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('welfare-desk.draft.')).length)).toBe(0);
  await shot(page, 'forms-04-saved-no-draft');
});

test('disabling a user asks first; the refusal shows inside the dialog', async ({ page }) => {
  await signIn(page, 'admin', ADMIN_PASSWORD);
  await page.goto(`${host.url}#/users`);
  await page.getByTestId('disable-admin').click();
  const dialog = page.getByRole('dialog', { name: '停用帳號' });
  await expect(dialog).toContainText('將立即被登出');
  await dialog.getByTestId('confirm-action-ok').click();
  await expect(dialog.getByTestId('confirm-error')).toHaveText('不能停用自己的帳號。');
  await shot(page, 'forms-05-disable-self-refused');
  await dialog.getByRole('button', { name: '取消' }).click();
  await page.getByTestId('disable-sw01').click();
  await page.getByRole('dialog', { name: '停用帳號' }).getByTestId('confirm-action-ok').click();
  await expect(page.getByTestId('user-row-sw01')).toContainText('停用');
  await shot(page, 'forms-06-disabled');
});
