import type { Page } from '@playwright/test';
import { callFromPage, expect, type RunningHost, shot, startHost, test } from './host';

/**
 * The first day with the app: the administrator sets it up with the code the
 * console printed, creates a team, a 督導 and a 社工; the 社工 signs in, must
 * change the initial password, and cannot reach user management even by calling
 * the API directly; wrong passwords lock an account; an idle screen locks and
 * unlocks without losing what was typed; the 稽核 verifies the audit chain.
 */
test.describe.configure({ mode: 'serial' });

let host: RunningHost;
test.beforeAll(async () => {
  host = await startHost();
});
test.afterAll(async () => {
  await host.stop();
});

async function signIn(page: Page, username: string, password: string) {
  await page.goto(host.url);
  await page.getByLabel('帳號').fill(username);
  await page.getByLabel('密碼').fill(password);
  await page.getByRole('button', { name: '登入' }).click();
}

test('first-run setup asks for the printed code and creates the administrator', async ({ page }) => {
  expect(host.setupCode).toMatch(/^\d{4}-\d{4}$/);
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: '首次設定' })).toBeVisible();
  await shot(page, '01-setup');

  await page.getByLabel('首次設定碼').fill('0000-0000');
  await page.getByLabel('中心名稱').fill('南投市社會福利服務中心');
  await page.getByLabel('管理者帳號').fill('admin');
  await page.getByLabel('姓名').fill('林管理');
  await page.getByLabel(/^密碼/).fill('Admin12345');
  await page.getByLabel('再輸入一次密碼').fill('Admin12345');
  await page.getByRole('button', { name: '建立管理者並登入' }).click();
  await expect(page.getByTestId('form-error')).toContainText('首次設定碼不正確');

  await page.getByLabel('首次設定碼').fill(host.setupCode ?? '');
  await page.getByRole('button', { name: '建立管理者並登入' }).click();
  await expect(page.getByRole('heading', { name: '林管理，您好' })).toBeVisible();
  await expect(page.getByTestId('current-user')).toHaveText('林管理');
  await shot(page, '02-home-admin');
});

test('the administrator creates a team, a 督導 and a 社工', async ({ page }) => {
  await signIn(page, 'admin', 'Admin12345');
  await page.getByRole('link', { name: '使用者與組別' }).click();
  await expect(page.getByRole('heading', { name: '使用者與組別' })).toBeVisible();

  await page.getByRole('button', { name: '新增使用者' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('帳號').fill('sup1');
  await dialog.getByLabel('姓名').fill('陳督導');
  await dialog.getByRole('combobox', { name: '角色' }).click();
  await page.getByRole('option', { name: '督導' }).click();
  await dialog.getByLabel('初始密碼').fill('Initial123');
  await dialog.getByRole('button', { name: '儲存' }).click();
  await expect(page.getByTestId('user-row-sup1')).toContainText('陳督導');

  await page.getByRole('button', { name: '新增組別' }).click();
  await page.getByRole('dialog').getByLabel('組別名稱').fill('第一組');
  await page.getByRole('dialog').getByRole('combobox', { name: '督導' }).click();
  await page.getByRole('option', { name: '陳督導' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '儲存' }).click();
  await expect(page.getByRole('table', { name: '組別清單' })).toContainText('第一組');

  await page.getByRole('button', { name: '新增使用者' }).click();
  await dialog.getByLabel('帳號').fill('sw01');
  await dialog.getByLabel('姓名').fill('王社工');
  await dialog.getByRole('combobox', { name: '組別' }).click();
  await page.getByRole('option', { name: '第一組' }).click();
  await dialog.getByLabel('初始密碼').fill('Initial123');
  await dialog.getByRole('button', { name: '儲存' }).click();
  await expect(page.getByTestId('user-row-sw01')).toContainText('社工');
  await expect(page.getByTestId('user-row-sw01')).toContainText('第一組');
  await shot(page, '03-users');
});

test('a 社工 must change the initial password and cannot reach user management', async ({ page }) => {
  await signIn(page, 'sw01', 'Initial123');
  await expect(page.getByText('請先變更密碼再開始使用')).toBeVisible();
  await shot(page, '04-forced-password-change');
  await page.getByLabel('目前的密碼').fill('Initial123');
  await page.getByLabel(/^新密碼/).fill('Worker12345');
  await page.getByLabel('再輸入一次新密碼').fill('Worker12345');
  await page.getByRole('button', { name: '變更密碼' }).click();
  // Once changed, the app opens as usual.
  await expect(page.getByRole('heading', { name: '王社工，您好' })).toBeVisible();
  await expect(page.getByRole('link', { name: '使用者與組別' })).toHaveCount(0);
  await shot(page, '05-home-worker');

  // The menu is hidden, but the point is the call itself: the main process refuses it.
  const list = await callFromPage(page, 'users.list', {});
  expect(list.ok).toBe(false);
  expect(list.error?.code).toBe('FORBIDDEN');
  expect(list.error?.message).toContain('社工');
  const create = await callFromPage(page, 'users.create', { username: 'mine', displayName: '偷建', role: 'admin', teamId: null, initialPassword: 'Sneaky1234' });
  expect(create.error?.code).toBe('FORBIDDEN');

  // Typing the address by hand shows the home screen, not the user list.
  await page.goto(`${host.url}#/users`);
  await expect(page.getByRole('heading', { name: '使用者與組別' })).toHaveCount(0);
});

test('five wrong passwords lock the account with a clear message', async ({ page }) => {
  await page.goto(host.url);
  for (let i = 1; i <= 4; i++) {
    await page.getByLabel('帳號').fill('sup1');
    await page.getByLabel('密碼').fill(`wrong-${i}`);
    await page.getByRole('button', { name: '登入' }).click();
    // The form clears the password when the answer arrives.
    await expect(page.getByLabel(/^密碼/)).toHaveValue('');
    await expect(page.getByTestId('form-error')).toContainText('帳號或密碼錯誤');
  }
  await page.getByLabel('密碼').fill('wrong-5');
  await page.getByRole('button', { name: '登入' }).click();
  await expect(page.getByTestId('form-error')).toContainText('帳號已鎖定');
  await expect(page.getByTestId('form-error')).toContainText('15 分鐘');
  await shot(page, '06-account-locked');

  // Even the right password is refused while locked.
  await page.getByLabel('密碼').fill('Initial123');
  await page.getByRole('button', { name: '登入' }).click();
  await expect(page.getByTestId('form-error')).toContainText('帳號已鎖定');
});

test('an idle screen locks, keeps what was typed, and unlocks with the password', async ({ page }) => {
  await page.clock.install();
  await signIn(page, 'admin', 'Admin12345');
  await page.getByRole('link', { name: '系統設定' }).click();
  const centerName = page.getByLabel('中心名稱');
  await expect(centerName).toHaveValue('南投市社會福利服務中心');
  // The browser host is the single-PC deployment: no center server, no fingerprint.
  await expect(page.getByTestId('server-info')).toContainText('本機單機使用');
  await centerName.fill('尚未儲存的中心名稱');

  await page.clock.fastForward('11:00'); // default idle limit is 10 minutes
  const lock = page.getByRole('dialog', { name: '畫面已鎖定' });
  await expect(lock).toBeVisible();
  await shot(page, '07-idle-locked');

  // While locked, the server refuses work too.
  const refused = await callFromPage(page, 'users.list', {});
  expect(refused.error?.code).toBe('SESSION_LOCKED');

  await lock.getByLabel('密碼').fill('not-my-password1');
  await lock.getByRole('button', { name: '解鎖' }).click();
  await expect(lock.getByTestId('form-error')).toContainText('密碼錯誤');
  await lock.getByLabel('密碼').fill('Admin12345');
  await lock.getByRole('button', { name: '解鎖' }).click();
  await expect(lock).toBeHidden();
  await expect(centerName).toHaveValue('尚未儲存的中心名稱');
});

test('the 稽核 reads the audit log and the chain verifies', async ({ page }) => {
  await signIn(page, 'admin', 'Admin12345');
  await page.getByRole('link', { name: '使用者與組別' }).click();
  await page.getByRole('button', { name: '新增使用者' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('帳號').fill('audit1');
  await dialog.getByLabel('姓名').fill('張稽核');
  await dialog.getByRole('combobox', { name: '角色' }).click();
  await page.getByRole('option', { name: '稽核' }).click();
  await dialog.getByLabel('初始密碼').fill('Initial123');
  await dialog.getByRole('button', { name: '儲存' }).click();
  await expect(page.getByTestId('user-row-audit1')).toBeVisible();
  await page.getByRole('button', { name: '登出' }).click();

  await signIn(page, 'audit1', 'Initial123');
  await page.getByLabel('目前的密碼').fill('Initial123');
  await page.getByLabel(/^新密碼/).fill('Auditor12345');
  await page.getByLabel('再輸入一次新密碼').fill('Auditor12345');
  await page.getByRole('button', { name: '變更密碼' }).click();
  await expect(page.getByRole('heading', { name: '張稽核，您好' })).toBeVisible();
  await page.getByRole('link', { name: '稽核紀錄' }).click();
  const table = page.getByRole('table', { name: '稽核紀錄' });
  await expect(table).toContainText('登入失敗');
  await expect(table).toContainText('鎖定畫面');
  await page.getByRole('button', { name: '驗證紀錄鏈' }).click();
  await expect(page.getByTestId('audit-verify-result')).toContainText('紀錄鏈完整');
  await shot(page, '08-audit');
});
