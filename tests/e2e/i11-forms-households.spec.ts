import type { Locator, Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeNationalId } from '../../main/contract/national-id';
import { expect, type RunningHost, seedDemoAt, startHost, test } from './host';

/**
 * Issue 11 §3 on the household forms: the new household form is checked against the contract's schema, each
 * message stands beside its own field in zh-TW, and the browser's own English "Please fill out this field"
 * never appears (no native `required`).
 */
test.describe.configure({ mode: 'serial' });

const PASSWORD = 'demo1234';
const HEAD_ID = makeNationalId('N', '2', '8642097');
const BAD_ID = `${HEAD_ID.slice(0, 9)}${(Number(HEAD_ID[9]) + 1) % 10}`;
const SHOTS = join(process.cwd(), 'artifacts', 'issue11', 'formconv');

let host: RunningHost;
let dataDir: string;

test.beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'wd-e2e-i11-forms-households-'));
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

/** The Mantine wrapper of one input: its label, the input and the message beside it. */
function wrapperOf(page: Page, input: Locator): Locator {
  return page.locator('.mantine-InputWrapper-root').filter({ has: input });
}

test('new household: a bad ID checksum and an empty name are shown beside their fields, then it saves', async ({ page }) => {
  await signIn(page, 'sw01');
  await page.getByRole('link', { name: '新增家戶', exact: true }).click();
  await expect(page.getByRole('heading', { name: '新增家戶' })).toBeVisible();

  await page.getByLabel('街路巷弄門牌').fill('光華路12號');
  const name = page.getByLabel('姓名');
  const id = page.getByLabel('身分證字號或居留證號');
  await id.fill(BAD_ID);
  await page.getByRole('button', { name: '建立家戶' }).click();

  // Still on the form: both messages beside their own fields, the inputs marked invalid.
  await expect(page).toHaveURL(/#\/households\/new/);
  await expect(wrapperOf(page, name)).toContainText('請輸入姓名');
  await expect(name).toHaveAttribute('aria-invalid', 'true');
  await expect(wrapperOf(page, id)).toContainText('檢查碼錯誤，請再核對一次');
  await expect(id).toHaveAttribute('aria-invalid', 'true');
  // No native check: the browser has nothing to say, and no English or internal path is shown.
  expect(await name.evaluate((el) => (el as HTMLInputElement).validationMessage)).toBe('');
  expect(await name.evaluate((el) => (el as HTMLInputElement).required)).toBe(false);
  await expect(page.getByText(/Please fill out/i)).toHaveCount(0);
  await expect(page.getByText(/欄位 head|newPerson/)).toHaveCount(0);
  await page.screenshot({ path: join(SHOTS, 'new-household-errors.png'), fullPage: true });

  // Fixing them clears the messages and saves.
  await name.fill('藍若晴');
  await expect(wrapperOf(page, name)).not.toContainText('請輸入姓名');
  await id.fill(HEAD_ID);
  await expect(wrapperOf(page, id)).not.toContainText('檢查碼錯誤');
  await page.getByRole('button', { name: '建立家戶' }).click();
  await expect(page).toHaveURL(/#\/households\/\d+$/);
  await expect(page.getByRole('table', { name: '家戶成員' }).getByRole('row', { name: /藍若晴/ })).toContainText('戶長');
  await page.screenshot({ path: join(SHOTS, 'new-household-saved.png'), fullPage: true });
});
