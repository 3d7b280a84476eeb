import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test, TEST_NOW } from './host';

/**
 * A browser on another "PC" opens the center server's https:// address (the built dist/server/main.mjs,
 * its self-signed certificate accepted as a person would after comparing the fingerprint), sets the
 * center up with the printed code, and finds the same fingerprint on the settings screen.
 */
test.describe.configure({ mode: 'serial' });

const ROOT = join(import.meta.dirname, '..', '..');
let child: ChildProcess;
let dataDir: string;
let url = '';
let fingerprint = '';
let setupCode = '';

test.beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'wd-e2e-server-'));
  child = spawn(
    process.execPath,
    [join(ROOT, 'dist', 'server', 'main.mjs'), '--listen', '127.0.0.1', '--port', '0', '--public-name', '127.0.0.1', '--data-dir', dataDir, '--test-now', TEST_NOW],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}\n${err}`)), 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('按 Ctrl+C 結束')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}:\n${out}\n${err}`)));
  });
  url = /已啟動：(https:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1] ?? '';
  fingerprint = /憑證指紋 \(SHA-256\)：([0-9A-F:]+)/.exec(out)?.[1] ?? '';
  setupCode = /首次設定碼：(\d{4}-\d{4})/.exec(out)?.[1] ?? '';
});
test.afterAll(async () => {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dataDir, { recursive: true, force: true });
});

test.use({ ignoreHTTPSErrors: true });

test('the administrator sets the center up over https and sees the certificate fingerprint', async ({ page }) => {
  expect(url).toMatch(/^https:/);
  expect(fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  await page.goto(url);
  await expect(page.getByRole('heading', { name: '首次設定' })).toBeVisible();
  await page.getByLabel('首次設定碼').fill(setupCode);
  await page.getByLabel('中心名稱').fill('南投市社會福利服務中心');
  await page.getByLabel('管理者帳號').fill('admin');
  await page.getByLabel('姓名').fill('林管理');
  await page.getByLabel(/^密碼/).fill('Admin12345');
  await page.getByLabel('再輸入一次密碼').fill('Admin12345');
  await page.getByRole('button', { name: '建立管理者並登入' }).click();
  await expect(page.getByRole('heading', { name: '林管理，您好' })).toBeVisible();

  await page.getByRole('link', { name: '系統設定' }).click();
  const card = page.getByTestId('server-info');
  await expect(card).toContainText('中心伺服器憑證指紋 (SHA-256)');
  await expect(page.getByTestId('server-fingerprint')).toHaveText(fingerprint);
  await expect(card).toContainText(url);
});
