import type { Browser, Page } from '@playwright/test';
import { api, apiSignIn, callFromPage, expect, installTestClock, type RunningHost, setupAdminOnPage, shot, startHost, test } from './host';

/**
 * 管理 → 登入中的使用者 (issue 10): the administrator, in one browser context, sees who is signed in and ends
 * a 社工's session; the 社工, in a second context (another "PC"), is sent to the sign-in screen on her next
 * action. A disabled user's open session is refused the same way.
 */
test.describe.configure({ mode: 'serial' });

const ADMIN_PW = 'Admin12345';
const USER_PW = 'Worker12345';

let host: RunningHost;
let admin: Page;
test.beforeAll(async ({ browser }) => {
  host = await startHost();
  admin = await installTestClock(await browser.newPage());
  expect(await setupAdminOnPage(admin, host, ADMIN_PW)).toBe(true);
  for (const [username, displayName] of [['sw01', '王社工'], ['sw02', '李社工'], ['sw03', '張社工']] as const) {
    await api(admin, 'users.create', { username, displayName, role: 'worker', teamId: null, initialPassword: 'Initial123' });
  }
});
test.afterAll(async () => {
  await host.stop();
});

/** A second "PC": its own context, signed in with the password changed, showing the home screen. */
async function userPage(browser: Browser, username: string, displayName: string): Promise<Page> {
  const page = await installTestClock(await browser.newPage());
  await page.goto(host.url);
  await apiSignIn(page, username, 'Initial123');
  await api(page, 'auth.changePassword', { currentPassword: 'Initial123', newPassword: USER_PW });
  await api(page, 'auth.logout', {});
  await apiSignIn(page, username, USER_PW);
  await page.reload();
  await expect(page.getByRole('heading', { name: `${displayName}，您好` })).toBeVisible();
  return page;
}

async function expectSentToSignIn(page: Page): Promise<void> {
  await expect(page.getByRole('form', { name: '登入' })).toBeVisible();
  await expect(page.getByLabel('帳號')).toBeVisible();
  await expect(page.getByRole('button', { name: '登入' })).toBeVisible();
}

test('the administrator ends a 社工’s session; her next action brings the sign-in screen', async ({ browser }) => {
  const worker = await userPage(browser, 'sw01', '王社工');

  await admin.goto(host.url);
  await admin.getByRole('link', { name: '登入中的使用者' }).click();
  await expect(admin.getByRole('heading', { name: '登入中的使用者' })).toBeVisible();
  const row = admin.getByTestId('session-row-sw01');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('王社工');
  await expect(row).toContainText('社工');
  await expect(row).toContainText('瀏覽器');
  await expect(row).toContainText('127.0.0.1');
  // ROC date-times (TEST_NOW is 115/05/20 10:00 in Taipei; expiry 12 hours later).
  await expect(row).toContainText(/115\/05\/20 10:0\d/);
  await expect(row).toContainText(/115\/05\/20 22:0\d/);
  // The administrator's own session is marked and has no end button.
  const own = admin.getByTestId('session-row-admin');
  await expect(own).toContainText('您目前的登入');
  await expect(own.getByRole('button', { name: '結束此登入' })).toHaveCount(0);
  // No token reaches the page.
  const html = await admin.content();
  const token = await worker.evaluate(() => sessionStorage.getItem('welfare-desk.session'));
  expect(token).toBeTruthy();
  expect(html).not.toContain(token as string);
  await admin.screenshot({ path: '/tmp/sessui-list.png', fullPage: true });
  await shot(admin, '10-sessions-list');

  await row.getByRole('button', { name: '結束此登入' }).click();
  const dialog = admin.getByRole('dialog');
  await expect(dialog).toContainText('確定要結束「王社工」（sw01）的這個登入嗎？');
  await expect(dialog.getByRole('button', { name: '結束登入' })).toBeVisible();
  await admin.waitForTimeout(400); // the dialog's opening transition, for the screenshot only
  await admin.screenshot({ path: '/tmp/sessui-confirm.png', fullPage: true });
  // Cancel first: nothing happens.
  await dialog.getByRole('button', { name: '取消' }).click();
  await expect(dialog).toHaveCount(0);
  await worker.getByRole('link', { name: '我的個案' }).click();
  await expect(worker.getByRole('heading', { name: '我的個案' })).toBeVisible();
  await worker.getByRole('link', { name: '首頁' }).click();

  await row.getByRole('button', { name: '結束此登入' }).click();
  await admin.getByRole('dialog').getByRole('button', { name: '結束登入' }).click();
  await expect(admin.getByRole('dialog')).toHaveCount(0);
  await expect(admin.getByRole('status')).toContainText('已結束「王社工」的登入。');
  await expect(admin.getByTestId('session-row-sw01')).toHaveCount(0);

  // The 社工's next action: any call is refused and the app shows the sign-in screen.
  await worker.getByRole('link', { name: '我的個案' }).click();
  await expectSentToSignIn(worker);
  await shot(worker, '11-sessions-ended-worker');
  // She signs in again and goes on.
  await worker.getByLabel('帳號').fill('sw01');
  await worker.getByLabel('密碼').fill(USER_PW);
  await worker.getByRole('button', { name: '登入' }).click();
  await expect(worker.getByTestId('current-user')).toHaveText('王社工');
  await expect(worker.getByRole('heading', { name: '我的個案' })).toBeVisible();
  await worker.close();
});

test('a refusal shows in the dialog: the session ended elsewhere in the meantime', async ({ browser }) => {
  const worker = await userPage(browser, 'sw02', '李社工');
  await admin.getByRole('button', { name: '重新整理' }).click();
  const row = admin.getByTestId('session-row-sw02');
  await expect(row).toHaveCount(1);
  await row.getByRole('button', { name: '結束此登入' }).click();
  // Meanwhile the 社工 signs out herself.
  expect((await callFromPage(worker, 'auth.logout', {})).ok).toBe(true);
  const dialog = admin.getByRole('dialog');
  await dialog.getByRole('button', { name: '結束登入' }).click();
  await expect(dialog.getByTestId('form-error')).toContainText('這個登入已經結束或逾時');
  await admin.waitForTimeout(400);
  await admin.screenshot({ path: '/tmp/sessui-error.png', fullPage: true });
  await dialog.getByRole('button', { name: '取消' }).click();
  // Closing the dialog shows the current list: her session is gone.
  await expect(row).toHaveCount(0);
  await worker.close();
});

test("a disabled user's open session is refused on its next call", async ({ browser }) => {
  const worker = await userPage(browser, 'sw03', '張社工');
  await admin.getByRole('button', { name: '重新整理' }).click();
  await expect(admin.getByTestId('session-row-sw03')).toHaveCount(1);
  await admin.getByRole('link', { name: '使用者與組別' }).click();
  await admin.getByTestId('user-row-sw03').getByRole('button', { name: '停用' }).click();
  await admin.getByRole('dialog', { name: '停用帳號' }).getByTestId('confirm-action-ok').click();
  await expect(admin.getByTestId('user-row-sw03')).toContainText('已停用');
  await admin.getByRole('link', { name: '登入中的使用者' }).click();
  await expect(admin.getByTestId('session-row-admin')).toHaveCount(1);
  await expect(admin.getByTestId('session-row-sw03')).toHaveCount(0);

  await worker.getByRole('link', { name: '我的個案' }).click();
  await expectSentToSignIn(worker);
  await worker.close();
});
