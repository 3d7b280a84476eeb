import type { Page, Route } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type RunningHost, seedDemoAt, startHost, test } from './host';

/**
 * Issue 11, the renderer platform:
 * - item 12: reads go through one cache; a write refreshes the lists on screen by itself (the users screen
 *   no longer reloads after 停用: only the cache's refresh after a write can show it), and an answer that
 *   left the server before the write, arriving after the refreshed one, never overwrites it;
 * - item 8: the lock screen tells the 鎖定畫面 button from the idle timer, with the time in ROC/24-hour form;
 *   a page the role may not open says 無權限 with a way home.
 */
test.describe.configure({ mode: 'serial' });

const ROOT = join(import.meta.dirname, '..', '..');
const SHOTS = join(ROOT, 'artifacts', 'issue11', 'platform');
mkdirSync(SHOTS, { recursive: true });
const PASSWORD = 'demo1234';

let host: RunningHost;
let dataDir: string;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  dataDir = mkdtempSync(join(tmpdir(), 'wd-e2e-i11-platform-'));
  seedDemoAt(dataDir);
  host = await startHost({ dataDir });
});
test.afterAll(async () => {
  await host?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function signIn(page: Page, username: string) {
  await page.goto(host.url);
  await page.getByLabel('帳號').fill(username);
  await page.getByLabel('密碼').fill(PASSWORD);
  await page.getByRole('button', { name: '登入' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
}

test('a write refreshes the list on screen, and a late answer from before it never overwrites the newer one', async ({ page }) => {
  await signIn(page, 'admin');
  await page.evaluate(() => (window.location.hash = '/users'));
  const row = page.getByTestId('user-row-sw06');
  await expect(row.getByText('啟用中')).toBeVisible();

  // The next users.list is answered by the server at once (sw06 still enabled) but held back on its way.
  let releaseLate: () => void = () => undefined;
  let heldOne = false;
  const heldAnswered = new Promise<void>((answered) => {
    void page.route('**/api/users.list', async (route: Route) => {
      if (heldOne) return route.continue();
      heldOne = true;
      const response = await route.fetch();
      answered();
      await new Promise<void>((r) => (releaseLate = r));
      await route.fulfill({ response }).catch(() => undefined); // the page may have dropped it: fine
    });
  });
  // Leaving and coming back loads the list again: that load is the one held.
  await page.evaluate(() => (window.location.hash = '/'));
  await page.evaluate(() => (window.location.hash = '/users'));
  await heldAnswered;

  // 停用 sw06: the screen itself does not reload; the cache refreshes every read after the write.
  await row.getByRole('button', { name: '停用' }).click();
  // Disabling a user cannot be undone from here without the administrator: the screen asks first.
  await page.getByRole('dialog', { name: '停用帳號' }).getByTestId('confirm-action-ok').click();
  await expect(row.getByText('已停用')).toBeVisible();

  // Now the answer from before the write arrives: the screen keeps the newer one.
  releaseLate();
  await page.waitForTimeout(1_500);
  await expect(row.getByText('已停用')).toBeVisible();
  await expect(row.getByText('啟用中')).toHaveCount(0);
  await page.screenshot({ path: join(SHOTS, 'users-after-late-answer.png'), fullPage: true });
  await page.unroute('**/api/users.list');

  // And back: 重新啟用 shows without a reload too.
  await row.getByRole('button', { name: '重新啟用' }).click();
  await expect(row.getByText('啟用中')).toBeVisible();
});

test('the lock screen says whether 鎖定畫面 or the idle timer locked it, and when (民國, 24-hour)', async ({ page }) => {
  await signIn(page, 'sw01');
  await page.getByRole('button', { name: '鎖定畫面' }).click();
  const reason = page.getByTestId('lock-reason');
  await expect(reason).toHaveAttribute('data-reason', 'manual');
  await expect(reason).toContainText('按下「鎖定畫面」');
  await expect(reason).toContainText(/於 115\/05\/20 \d\d:\d\d /);
  await page.screenshot({ path: join(SHOTS, 'lock-manual.png') });
  await page.getByLabel('密碼').fill(PASSWORD);
  await page.getByRole('button', { name: '解鎖' }).click();
  await expect(reason).toHaveCount(0);

  // Eleven minutes without keyboard or mouse (the demo locks after 10).
  await page.clock.fastForward('11:00');
  await expect(reason).toHaveAttribute('data-reason', 'idle');
  await expect(reason).toContainText('閒置 10 分鐘後自動鎖定');
  await expect(reason).toContainText(/於 115\/05\/20 \d\d:\d\d /);
  await expect(page.getByRole('dialog')).toBeVisible();
  await page.waitForTimeout(500);
  await page.screenshot({ path: join(SHOTS, 'lock-idle.png') });
});

test('a page the role may not open says 無權限 with a way home; an unknown one 找不到此頁面', async ({ page }) => {
  await signIn(page, 'clerk');
  await page.evaluate(() => (window.location.hash = '/households/new'));
  await expect(page.getByRole('heading', { name: '無權限' })).toBeVisible();
  await page.screenshot({ path: join(SHOTS, 'forbidden.png') });
  await page.getByRole('button', { name: '回首頁' }).click();
  await expect(page.getByRole('heading', { name: '無權限' })).toHaveCount(0);
  await page.evaluate(() => (window.location.hash = '/nowhere'));
  await expect(page.getByRole('heading', { name: '找不到此頁面' })).toBeVisible();
});
