import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { api, apiSignIn, expect, installTestClock, type RunningHost, setupAdminOnPage, startHost, test } from './host';

/**
 * Receipts fit for tax use (issue 11 §9), as a 實物銀行 clerk: edit a donor (type, 統一編號 with a
 * checksum error shown beside the field, then a valid one), receive a donation, print its receipt and
 * the donor's yearly statement (print media): both show the 統一編號, the center's name and address
 * and the ROC year, never a Western year. A person donor's receipt shows the ID masked.
 */
test.describe.configure({ mode: 'serial' });

const SHOTS = join(import.meta.dirname, '..', '..', 'artifacts', 'issue11', 'receipts');
const PASSWORD = 'Foodbank123';
let host: RunningHost;

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}
async function signIn(page: Page) {
  await page.goto(host.url);
  await page.getByLabel('帳號').fill('clerk');
  await page.getByLabel('密碼').fill(PASSWORD);
  await page.getByRole('button', { name: '登入' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
}
/** Visible text with no Western year (4 digits starting 19 or 20 that are not part of a longer number). */
const WESTERN_YEAR = /(?<![\d.])(19|20)\d\d(?![\d])/;

test.beforeAll(async ({ browser }) => {
  host = await startHost();
  const page = await installTestClock(await browser.newPage());
  expect(await setupAdminOnPage(page, host, 'Admin12345')).toBe(true);
  await api(page, 'settings.update', { centerName: '南投縣社會福利服務中心', centerAddress: '南投市中興路100號', idleLockMinutes: 10 });
  await api(page, 'users.create', { username: 'clerk', displayName: '吳倉管', role: 'foodbank', teamId: null, initialPassword: 'Initial123' });
  await apiSignIn(page, 'clerk', 'Initial123');
  await api(page, 'auth.changePassword', { currentPassword: 'Initial123', newPassword: PASSWORD });
  await apiSignIn(page, 'clerk', PASSWORD);
  await api(page, 'foodbank.saveItem', { name: '白米', category: '米糧', unit: '包', value: 250, kgPerUnit: 3, perishable: false });
  await api(page, 'foodbank.saveItem', { name: '麵條', category: '米糧', unit: '包', value: 45, kgPerUnit: 0.6, perishable: false });
  const hub = await api<{ id: number }>(page, 'foodbank.saveLocation', { name: '總行', kind: 'hub' });
  const items = await api<{ id: number; name: string }[]>(page, 'foodbank.items', {});
  const rice = items.find((i) => i.name === '白米')!.id;
  const noodles = items.find((i) => i.name === '麵條')!.id;
  const org = await api<{ id: number }>(page, 'foodbank.saveDonor', { kind: 'person', name: '好鄰居超市', contact: '林經理', phone: '049-2222222' });
  await api(page, 'foodbank.receive', { kind: 'donation', donorId: org.id, locationId: hub.id, receivedOn: '2026-03-02', lots: [{ itemId: rice, quantity: 4 }] });
  await api(page, 'foodbank.receive', { kind: 'donation', donorId: org.id, locationId: hub.id, receivedOn: '2026-05-18', lots: [{ itemId: noodles, quantity: 10 }] });
  const person = await api<{ id: number }>(page, 'foodbank.saveDonor', { kind: 'person', name: '王愛心', taxId: 'A123456789', address: '南投市民族路2號' });
  await api(page, 'foodbank.receive', { kind: 'donation', donorId: person.id, locationId: hub.id, receivedOn: '2026-05-19', lots: [{ itemId: rice, quantity: 1 }] });
  await page.close();
});

test.afterAll(async () => {
  await host.stop();
});

test('捐贈者: edit type and 統一編號 (checksum error beside the field), then print the receipt and the 115 yearly statement', async ({ page }) => {
  await installTestClock(page);
  await signIn(page);
  await page.goto(`${host.url}#/foodbank/donors`);
  const row = page.getByRole('row', { name: /好鄰居超市/ });
  await row.getByTestId('donor-edit').click();
  const form = page.getByTestId('donor-edit-form');
  await expect(form).toBeVisible();
  await page.getByTestId('donor-edit-kind').click();
  await page.getByRole('option', { name: '公司' }).click();
  await page.getByTestId('donor-edit-tax-id').fill('22099132');
  await page.getByTestId('donor-edit-address').fill('南投市復興路5號');
  await page.getByTestId('donor-edit-save').click();
  // The checksum error beside the field, in zh-TW; nothing saved.
  await expect(form.getByText('統一編號檢查碼錯誤，請再核對一次')).toBeVisible();
  await shot(page, 'receipts-01-donor-checksum-error');
  await page.getByTestId('donor-edit-tax-id').fill('22099131');
  await page.getByTestId('donor-edit-save').click();
  await expect(form).toBeHidden();
  const saved = await api<{ name: string; kind: string; taxId: string; version: number }[]>(page, 'foodbank.donors', {});
  expect(saved.find((d) => d.name === '好鄰居超市')).toMatchObject({ kind: 'company', taxId: '22099131', version: 1 });

  // The year is typed in 民國.
  await expect(page.getByTestId('donor-year')).toHaveValue('115');
  await shot(page, 'receipts-02-donors');
  await row.getByRole('button', { name: '年度捐贈明細' }).click();
  await expect(page).toHaveURL(/#\/foodbank\/donors\/\d+\/115$/);
  const st = page.frameLocator('[data-testid="statement-frame"]');
  await expect(st.getByText('115 年度捐贈明細')).toBeVisible();
  const stText = await st.locator('body').innerText();
  for (const want of ['22099131', '南投縣社會福利服務中心', '南投市中興路100號', '統一編號', '115-000001', '115-000002', '新臺幣壹仟肆佰伍拾元整', '印信']) expect(stText).toContain(want);
  expect(stText).not.toMatch(WESTERN_YEAR);
  await page.emulateMedia({ media: 'print' });
  await shot(page, 'receipts-03-statement-print');
  const statementFrame = page.frame({ url: /about:srcdoc/ });
  if (statementFrame) await statementFrame.page().screenshot({ path: join(SHOTS, 'receipts-03b-statement-page.png') });
  await page.emulateMedia({ media: 'screen' });
});

test('收據: the donation receipt shows the 統一編號, a person\'s ID masked, the center and the seal area', async ({ page }) => {
  await installTestClock(page);
  await signIn(page);
  const receipts = await api<{ id: number; receiptNo: string; donorName: string }[]>(page, 'foodbank.receipts', {});
  const orgReceipt = receipts.find((r) => r.receiptNo === '115-000002')!;
  await page.goto(`${host.url}#/foodbank/receipts/${orgReceipt.id}`);
  const frame = page.frameLocator('[data-testid="receipt-frame"]');
  await expect(frame.getByText('實物捐贈收據')).toBeVisible();
  const text = await frame.locator('body').innerText();
  for (const want of ['收據編號：115-000002', '22099131', '南投縣社會福利服務中心', '南投市中興路100號', '中華民國115年5月18日', '新臺幣肆佰伍拾元整', '印信']) expect(text).toContain(want);
  expect(text).not.toMatch(WESTERN_YEAR);
  // Headings in the Kai face.
  const h1Font = await frame.locator('h1').evaluate((el) => getComputedStyle(el).fontFamily);
  expect(h1Font).toContain('TW-Kai');
  await page.emulateMedia({ media: 'print' });
  await shot(page, 'receipts-04-receipt-print');
  await page.emulateMedia({ media: 'screen' });

  const personReceipt = receipts.find((r) => r.receiptNo === '115-000003')!;
  await page.goto(`${host.url}#/foodbank/receipts/${personReceipt.id}`);
  const pf = page.frameLocator('[data-testid="receipt-frame"]');
  await expect(pf.getByTestId('donor-tax-id')).toHaveText('A12****789');
  const ptext = await pf.locator('body').innerText();
  expect(ptext).toContain('身分證字號');
  expect(ptext).not.toContain('A123456789');
  await shot(page, 'receipts-05-person-receipt');
});
