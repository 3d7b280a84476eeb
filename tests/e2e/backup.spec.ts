import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { api, setupAdminOnPage, shot, startHost, type RunningHost } from './host';

/**
 * 備份與還原 in Chromium against the real host: the administrator chooses a backup folder and a
 * recovery passphrase, backs up, then adds a user; restoring the backup shows it verified, asks for
 * confirmation, signs everyone out, and the user added after the backup is gone.
 */
test.describe.configure({ mode: 'serial' });

const PASSWORD = 'Admin12345';
const PASSPHRASE = '南投市社福中心備份還原密語';
const ROC_TIME = /1\d\d\/\d\d\/\d\d \d\d:\d\d/;

let host: RunningHost;
let folder: string;
test.beforeAll(async () => {
  host = await startHost();
  folder = mkdtempSync(join(tmpdir(), 'wd-e2e-backups-'));
});
test.afterAll(async () => {
  await host.stop();
  rmSync(folder, { recursive: true, force: true });
});

async function signIn(page: Page) {
  await page.goto(host.url);
  await page.getByLabel('帳號').fill('admin');
  await page.getByLabel('密碼').fill(PASSWORD);
  await page.getByRole('button', { name: '登入' }).click();
  await expect(page.getByRole('heading', { name: '林管理，您好' })).toBeVisible();
}

test('the administrator chooses a folder and a recovery passphrase, and backs up now', async ({ page }) => {
  expect(await setupAdminOnPage(page, host, PASSWORD)).toBe(true);
  await page.reload(); // the page picks up the session the setup call stored
  // A new install has no backup yet: the home screen says so in red.
  await expect(page.getByTestId('backup-warning')).toHaveText('尚未有任何備份。請到「備份與還原」立即備份。');
  await shot(page, 'backup-00-home-warning');
  await page.getByRole('link', { name: '備份與還原' }).first().click();
  await expect(page.getByRole('heading', { name: '備份與還原', level: 2 })).toBeVisible();
  await expect(page.getByText('尚未設定備份還原密語')).toBeVisible();

  const folderField = page.getByLabel('備份資料夾的完整路徑');
  await folderField.fill('備份');
  await page.getByRole('button', { name: '儲存資料夾' }).click();
  await expect(page.getByText('請輸入完整路徑（例如 D:\\備份 或 /srv/備份）。')).toBeVisible();
  await folderField.fill(folder);
  await page.getByRole('button', { name: '儲存資料夾' }).click();
  await expect(page.getByText('備份資料夾已儲存')).toBeVisible();

  await page.getByLabel('備份還原密語（至少 12 個字）').fill(PASSPHRASE);
  await page.getByLabel('再輸入一次備份還原密語').fill(`${PASSPHRASE}錯`);
  await page.getByRole('button', { name: '設定密語' }).click();
  await expect(page.getByText('兩次輸入的密語不一致')).toBeVisible();
  await page.getByLabel('再輸入一次備份還原密語').fill(PASSPHRASE);
  await page.getByRole('button', { name: '設定密語' }).click();
  await expect(page.getByText('備份還原密語已設定')).toBeVisible();
  await expect(page.getByText(/^已於 .* 設定。/)).toBeVisible();

  await page.getByRole('button', { name: '立即備份' }).click();
  await expect(page.getByText(/^已完成備份：welfare-desk-/)).toBeVisible();
  const rows = page.getByRole('table', { name: '備份檔' }).locator('tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(ROC_TIME);
  await expect(rows.first()).toContainText(/\d+(\.\d)? (KB|MB)/);
  await shot(page, 'backup-01-made');

  const files = readdirSync(folder).filter((f) => f.endsWith('.wdbak'));
  expect(files).toHaveLength(1);
  const bytes = readFileSync(join(folder, files[0] as string));
  expect(bytes.includes(Buffer.from('SQLite format 3'))).toBe(false);
  expect(bytes.includes(Buffer.from('林管理'))).toBe(false);

  await page.getByRole('link', { name: '首頁' }).click();
  await expect(page.getByTestId('backup-status')).toContainText(/最近一次備份：1\d\d\/\d\d\/\d\d \d\d:\d\d，welfare-desk-/);
  await expect(page.getByTestId('backup-warning')).toHaveCount(0);
  await shot(page, 'backup-02-home');
});

test('a wrong recovery passphrase is refused beside the field', async ({ page }) => {
  await signIn(page);
  await page.goto(`${host.url}#/backup`);
  await page.getByRole('button', { name: /^還原 welfare-desk-/ }).first().click();
  await page.getByLabel('備份還原密語（在原電腦還原時免填）').fill('這不是正確的備份還原密語');
  await page.getByRole('button', { name: '驗證備份' }).click();
  await expect(page.getByText('備份還原密語不正確。')).toBeVisible();
  await expect(page.getByTestId('restore-check')).toHaveCount(0);
  await shot(page, 'backup-03-wrong-passphrase');
});

test('restoring the backup removes what was added after it, and everyone signs in again', async ({ page }) => {
  await signIn(page);
  await api(page, 'users.create', { username: 'after', displayName: '備份後新增的人', role: 'worker', teamId: null, initialPassword: 'Initial123' });
  await page.goto(`${host.url}#/users`);
  await expect(page.getByTestId('user-row-after')).toBeVisible();

  await page.goto(`${host.url}#/backup`);
  const rows = page.getByRole('table', { name: '備份檔' }).locator('tbody tr');
  await expect(rows).toHaveCount(1);
  await rows.first().getByRole('button', { name: /^還原/ }).click();
  await page.getByLabel('備份還原密語（在原電腦還原時免填）').fill(PASSPHRASE);
  await page.getByRole('button', { name: '驗證備份' }).click();
  const check = page.getByTestId('restore-check');
  await expect(check).toContainText('資料庫完整性正常');
  await expect(check).toContainText(/稽核紀錄鏈完整（\d+ 筆）/);
  await expect(check).toContainText('家戶 0 戶、個案 0 案、使用者 1 人');
  await expect(check).toContainText('林管理');
  await expect(check).toContainText(ROC_TIME);
  await shot(page, 'backup-04-verified');

  await page.getByRole('button', { name: '確認還原' }).click();
  await expect(page.getByText('已還原備份，請重新登入。')).toBeVisible();
  await expect(page.getByLabel('帳號')).toBeVisible({ timeout: 15_000 });
  await shot(page, 'backup-05-signed-out');

  await signIn(page);
  await page.goto(`${host.url}#/users`);
  await expect(page.getByTestId('user-row-admin')).toBeVisible();
  await expect(page.getByTestId('user-row-after')).toHaveCount(0);

  // The data as it was before the restore is kept as an encrypted backup of its own.
  await page.goto(`${host.url}#/backup`);
  await expect(page.getByRole('table', { name: '備份檔' }).locator('tbody tr')).toHaveCount(2);
  await shot(page, 'backup-06-after-restore');
});
