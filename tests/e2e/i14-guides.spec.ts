import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { api, apiSignIn, DEMO_PASSWORD, expect, installTestClock, type RunningHost, seedDemoAt, signInDemo, startHost, test } from './host';

/**
 * Issue 14 §2 in Chromium: work guides in context (作業指引) on the demo center at TEST_NOW 2026-05-20
 * (115/05/20). The 管理者 opens 作業指引, picks 24 小時內聯繫 (the first version came with the app,
 * from 115/01/01), writes a new version effective today (an empty text and a date in the past are
 * refused beside their fields first) with its preview; the history keeps the older version, which can
 * still be read. A 社工 then sees the intake guide on the intake screen, the 開案評估 guide in the 開案 request, the new version (115/05/20 版)
 * beside the first-contact form, folds and unfolds it, records the contact, and on the service record form sees the guide
 * of each service item as it is ticked (none for an item without a guide). A 社工 has no 作業指引 menu.
 */
test.describe.configure({ mode: 'serial' });

const SHOTS = join(process.cwd(), 'artifacts', 'issue14', 'guides');
const NEW_FIRST_LINE = '接案後 24 小時內務必聯繫到案家，先確認安全。';
const NEW_BODY = `${NEW_FIRST_LINE}\n- 電話未接通：當日換時段再撥兩次，並記錄每次時間。\n- 有立即危險：先通報，再告知督導。\n- 聯繫完成後立即在此登錄。`;
let host: RunningHost;
let dataDir: string;
const ids = { household: 0, caseId: 0 };

async function shot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(240_000);
  dataDir = mkdtempSync(join(tmpdir(), 'wd-e2e-guides-'));
  seedDemoAt(dataDir);
  host = await startHost({ dataDir });
  // A new case of sw01's, received this morning and not yet contacted.
  const page = await installTestClock(await browser.newPage());
  await page.goto(host.url);
  await apiSignIn(page, 'sw01', DEMO_PASSWORD);
  const me = await api<{ session: { user: { id: number } } }>(page, 'auth.status', {});
  const head = await api<{ id: number }>(page, 'persons.create', { name: '柯美華', birthDate: '1985-02-03', sex: 'F' });
  const family = await api<{ id: number }>(page, 'households.create', { address: { street: '南投市民族路20號' }, householdType: '單親', head: { personId: head.id, joinedOn: '2020-01-01' } });
  const c = await api<{ id: number }>(page, 'cases.intake', {
    householdId: family.id, source: 'A', receivedAt: '2026-05-20T09:00:00+08:00', caseType: '脆弱家庭', factors: [], riskLevel: '中', leadWorkerId: me.session.user.id,
  });
  Object.assign(ids, { household: family.id, caseId: c.id });
  await page.close();
});
test.afterAll(async () => {
  await host?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('管理者 writes a new version of the 24-hour contact guide effective today; the older one stays in the history', async ({ page }) => {
  await signInDemo(page, host.url, 'admin');
  await page.getByRole('link', { name: '作業指引' }).click();
  await expect(page.getByRole('heading', { name: '作業指引', level: 2 })).toBeVisible();
  const nav = page.getByRole('navigation', { name: '作業指引' });
  await expect(nav.getByTestId('guide-key-contact24h')).toContainText('115/01/01 起適用');
  await expect(nav.getByTestId('guide-key-item:其他')).toContainText('尚未撰寫');
  await nav.getByTestId('guide-key-contact24h').click();
  await expect(page.getByRole('heading', { name: '24 小時內聯繫', level: 3 })).toBeVisible();
  await expect(page.getByTestId('guide-shown')).toContainText('接案後 24 小時內以電話或面訪聯繫案家，確認安全與立即需求。');
  await shot(page, '01-admin-guides');

  await page.getByRole('button', { name: '撰寫新版本' }).click();
  const form = page.getByRole('form', { name: '撰寫新版本：24 小時內聯繫' });
  const body = form.getByRole('textbox', { name: '指引內容' });
  await expect(body).toHaveValue(/^接案後 24 小時內以電話或面訪聯繫案家/);
  await expect(form.getByRole('textbox', { name: '生效日' })).toHaveValue('115/05/20');
  // Empty: the message beside the field, nothing sent.
  await body.fill('');
  await form.getByRole('button', { name: '儲存新版本' }).click();
  await expect(form.getByText('請填寫指引內容')).toBeVisible();
  // A day in the past: refused by the server, beside the date.
  await body.fill(NEW_BODY);
  const date = form.getByRole('textbox', { name: '生效日' });
  await date.fill('115/5/19');
  await date.press('Tab');
  await form.getByRole('button', { name: '儲存新版本' }).click();
  await expect(form.getByText('不可早於 115/05/20')).toBeVisible();
  await expect(form.getByTestId('form-error')).toContainText('生效日不可早於今天（115/05/20）');
  await date.fill('115/5/20');
  await date.press('Tab');
  await form.getByRole('textbox', { name: '修訂說明' }).fill('補充聯繫不上時的做法');
  const preview = form.getByTestId('guide-preview');
  await expect(preview).toContainText('115/05/20 版');
  await expect(preview.getByRole('listitem')).toHaveCount(3);
  await expect(preview.getByRole('listitem').first()).toHaveText('電話未接通：當日換時段再撥兩次，並記錄每次時間。');
  await shot(page, '02-admin-editor-preview');
  await form.getByRole('button', { name: '儲存新版本' }).click();
  await expect(page.getByText('已儲存「24 小時內聯繫」115/05/20 起生效的新版本。')).toBeVisible();

  await expect(page.getByTestId('guide-shown')).toContainText(NEW_FIRST_LINE);
  const history = page.getByTestId('guide-history');
  await expect(history.getByRole('row')).toHaveCount(3);
  const newest = history.getByRole('row').nth(1);
  await expect(newest).toContainText('115/05/20 起');
  await expect(newest).toContainText('現行');
  await expect(newest).toContainText('補充聯繫不上時的做法');
  await expect(newest).toContainText('系統管理者 115/05/20');
  const older = history.getByRole('row').nth(2);
  await expect(older).toContainText('115/01/01 – 115/05/19');
  await expect(older).toContainText('系統預設');
  await shot(page, '03-admin-history');
  await older.getByRole('button', { name: '檢視 115/01/01' }).click();
  await expect(page.getByTestId('guide-shown')).toContainText('檢視版本：115/01/01 – 115/05/19');
  await expect(page.getByTestId('guide-shown')).toContainText('接案後 24 小時內以電話或面訪聯繫案家');
  await shot(page, '04-admin-older-version');
});

test('社工 sees the guides beside the intake, first-contact and service record forms', async ({ page }) => {
  await signInDemo(page, host.url, 'sw01');
  await expect(page.getByRole('link', { name: '作業指引' })).toHaveCount(0);

  await page.goto(`${host.url}#/cases/new?householdId=${ids.household}`);
  const intake = page.getByTestId('work-guide-intake');
  await expect(intake).toContainText('作業指引：受案／開案前評估');
  await expect(intake.getByTestId('work-guide-version')).toHaveText('115/01/01 版');
  await expect(intake.getByTestId('work-guide-body')).toContainText('收案後請於 24 小時內完成首次聯繫。');
  await shot(page, '05-worker-intake');

  await page.goto(`${host.url}#/cases/${ids.caseId}`);
  await page.getByRole('button', { name: '登錄首次聯繫' }).click();
  const dialog = page.getByRole('dialog', { name: '登錄首次聯繫' });
  const guide = dialog.getByTestId('work-guide-contact24h');
  await expect(guide.getByTestId('work-guide-version')).toHaveText('115/05/20 版');
  await expect(guide.getByTestId('work-guide-body')).toContainText(NEW_FIRST_LINE);
  await expect(guide.getByRole('listitem')).toHaveCount(3);
  await expect(dialog.getByRole('textbox', { name: '首次聯繫' }).first()).toBeVisible();
  await shot(page, '06-worker-first-contact');
  // Folded away and back, without leaving the form.
  const toggle = guide.getByRole('button', { name: /作業指引：24 小時內聯繫/ });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(guide.getByTestId('work-guide-body')).toBeHidden();
  await toggle.click();
  await expect(guide.getByTestId('work-guide-body')).toBeVisible();
  // The contact is recorded (now, the form's default); the case can then take service records.
  await dialog.getByRole('button', { name: '儲存' }).click();
  await expect(dialog).toBeHidden();

  // The 開案 request carries the 開案評估 guide.
  await page.getByTestId('case-actions').getByRole('button', { name: '申請開案' }).click();
  const request = page.getByRole('dialog', { name: '申請開案' });
  await expect(request.getByTestId('work-guide-openAssessment')).toContainText('開案評估以家訪為原則');
  await shot(page, '07-worker-open-request');
  await page.keyboard.press('Escape');
  await expect(request).toBeHidden();

  await page.getByTestId('case-actions').getByRole('button', { name: '新增服務紀錄' }).click();
  await expect(page.getByRole('heading', { name: '新增服務紀錄' })).toBeVisible();
  await expect(page.getByTestId(/^work-guide-item:/)).toHaveCount(0);
  await page.getByRole('checkbox', { name: '資源轉介' }).check();
  const item = page.getByTestId('work-guide-item:資源轉介');
  await expect(item).toContainText('作業指引：服務項目：資源轉介');
  await expect(item.getByTestId('work-guide-body')).toContainText('轉介前取得案家同意');
  await page.getByRole('checkbox', { name: '福利諮詢' }).check();
  await page.getByRole('checkbox', { name: '其他', exact: true }).check(); // no guide written for 其他
  await expect(page.getByTestId(/^work-guide-item:/)).toHaveCount(2);
  await expect(page.getByTestId(/^work-guide-item:/).first()).toHaveAttribute('data-testid', 'work-guide-item:福利諮詢'); // in the items' order
  await expect(page.getByTestId('work-guide-item:福利諮詢').getByTestId('work-guide-version')).toHaveText('115/01/01 版');
  await shot(page, '08-worker-record-items');
  await page.getByRole('checkbox', { name: '資源轉介' }).uncheck();
  await expect(item).toHaveCount(0);
});
