import type { Page } from '@playwright/test';
import { addDays, formatRocDate, formatRocLong } from '../../main/contract/roc-date';
import { api, apiSignIn, expect, installTestClock, type RunningHost, setupAdminOnPage, shot, startHost, test, testToday } from './host';

/**
 * The food bank journey of issue 5, as a 實物銀行 clerk: receive a donation with two lots, print the
 * receipt, transfer part of it to a distribution point and receive it there, hand a family its
 * allowance there (the FEFO lots are shown), try to exceed it and see the refusal, run a stocktake with
 * a difference and have a second clerk confirm and post it; the stock screen matches the movements.
 * The catalogue, places, a donor and the family are made through the API in beforeAll.
 */
test.describe.configure({ mode: 'serial' });

const PASSWORD = 'Foodbank123';
const ADMIN_PASSWORD = 'Admin12345';
let host: RunningHost;
const today = testToday();
const SOON = addDays(today, 20);
const LATER = addDays(today, 200);

async function signIn(page: Page, username: string) {
  await page.goto(host.url);
  await page.getByLabel('帳號').fill(username);
  await page.getByLabel('密碼').fill(PASSWORD);
  await page.getByRole('button', { name: '登入' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
}
async function go(page: Page, hash: string) {
  await page.goto(`${host.url}#${hash}`);
}
async function choose(page: Page, testId: string, option: string | RegExp) {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: option }).first().click();
}

test.beforeAll(async ({ browser }) => {
  host = await startHost();
  const page = await installTestClock(await browser.newPage());
  const ok = await setupAdminOnPage(page, host, ADMIN_PASSWORD);
  expect(ok).toBe(true);
  await api(page, 'users.create', { username: 'clerk', displayName: '吳倉管', role: 'foodbank', teamId: null, initialPassword: 'Initial123' });
  await api(page, 'users.create', { username: 'clerk2', displayName: '許覆核', role: 'foodbank', teamId: null, initialPassword: 'Initial123' });
  await api(page, 'foodbank.setAllowance', { mode: 'items', bySize: [3, 5] });
  const head = await api<{ id: number }>(page, 'persons.create', { name: '林美玲', birthDate: '1988-04-12', sex: 'F', incomeStatus: 'low' });
  await api(page, 'households.create', { address: { street: '南投市中山路100號' }, householdType: '單親', head: { personId: head.id } });
  for (const u of ['clerk', 'clerk2']) {
    await apiSignIn(page, u, 'Initial123');
    await api(page, 'auth.changePassword', { currentPassword: 'Initial123', newPassword: PASSWORD });
  }
  await apiSignIn(page, 'clerk', PASSWORD);
  await api(page, 'foodbank.saveItem', { name: '白米', category: '米糧', unit: '包', value: 250, kgPerUnit: 3, perishable: false, minLevel: 5 });
  await api(page, 'foodbank.saveItem', { name: '麵條', category: '米糧', unit: '包', value: 45, kgPerUnit: 0.6, perishable: false });
  await api(page, 'foodbank.saveLocation', { name: '總行', kind: 'hub', address: '南投市中興路1號', staff: '吳倉管' });
  await api(page, 'foodbank.saveLocation', { name: '中興發放站', kind: 'point', staff: '志工' });
  await api(page, 'foodbank.saveDonor', { kind: 'company', name: '好鄰居超市', contact: '林經理', phone: '049-2222222' });
  await page.close();
});

test.afterAll(async () => {
  await host.stop();
});

test('實物銀行: receive a donation with two lots and print the receipt', async ({ page }) => {
  await signIn(page, 'clerk');
  await go(page, '/foodbank/receive');
  await choose(page, 'receive-donor', '好鄰居超市');
  await choose(page, 'line-item-0', '白米（包）');
  await page.getByTestId('line-qty-0').fill('4');
  await page.getByTestId('line-expiry-0').fill(formatRocDate(LATER));
  await page.getByTestId('line-expiry-0').press('Enter');
  await page.getByTestId('add-line').click();
  await choose(page, 'line-item-1', '白米（包）');
  await page.getByTestId('line-qty-1').fill('4');
  await page.getByTestId('line-expiry-1').fill(formatRocDate(SOON));
  await page.getByTestId('line-expiry-1').press('Enter');
  await shot(page, 'foodbank-01-receive');
  await page.getByTestId('receive-submit').click();
  const frame = page.frameLocator('[data-testid="receipt-frame"]');
  await expect(frame.getByText(/收據編號：115-000001|收據編號：\d+-000001/)).toBeVisible();
  await expect(frame.getByText('好鄰居超市')).toBeVisible();
  await page.getByTestId('print-button').click();
  await shot(page, 'foodbank-02-receipt');
  const receipts = await api<{ receiptNo: string; totalValue: number }[]>(page, 'foodbank.receipts', {});
  expect(receipts.map((r) => r.totalValue)).toEqual([2000]);
});

test('實物銀行: transfer part of it to a distribution point and receive it there', async ({ page }) => {
  await signIn(page, 'clerk');
  await go(page, '/foodbank/transfers');
  await choose(page, 'transfer-to', /中興發放站/);
  for (const [lotLabel, qty] of [[formatRocDate(SOON), '2'], [formatRocDate(LATER), '2']] as const) {
    await choose(page, 'transfer-lot', new RegExp(lotLabel.replace(/\//g, '\\/')));
    await page.getByTestId('transfer-qty').fill(qty);
    await page.getByTestId('transfer-send').click();
    await expect(page.getByTestId('transfers').getByText('在途').first()).toBeVisible();
  }
  // In transit: on neither shelf.
  const inTransit = await api<{ totals: { locationName: string; quantity: number }[]; inTransit: unknown[] }>(page, 'foodbank.stock', {});
  expect(inTransit.totals.map((t) => [t.locationName, t.quantity])).toEqual([['總行', 4]]);
  expect(inTransit.inTransit).toHaveLength(2);
  await shot(page, 'foodbank-03-transfers-sent');
  const receiveButtons = page.getByRole('button', { name: '點收' });
  await expect(receiveButtons).toHaveCount(2);
  await receiveButtons.first().click();
  await expect(receiveButtons).toHaveCount(1);
  await receiveButtons.first().click();
  await expect(receiveButtons).toHaveCount(0);
  await shot(page, 'foodbank-04-transfers-received');
});

test('實物銀行: hand out a family its allowance at the point (FEFO), then be refused beyond it', async ({ page }) => {
  await signIn(page, 'clerk');
  await go(page, '/foodbank/handout');
  await page.getByTestId('handout-search').fill('林美玲');
  await page.getByTestId('handout-search-button').click();
  await page.getByTestId('handout-hit').first().click();
  await expect(page.getByTestId('allowance-line')).toHaveText('本月額度 3 件，已用 0，尚餘 3');
  await choose(page, 'handout-item-0', '白米（包）');
  await page.getByTestId('handout-qty-0').fill('3');
  await page.getByTestId('handout-preview').click();
  const rows = page.getByTestId('fefo-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText(formatRocDate(SOON));
  await expect(rows.nth(0)).toContainText('2 包');
  await expect(rows.nth(1)).toContainText(formatRocDate(LATER));
  await expect(rows.nth(1)).toContainText('1 包');
  await shot(page, 'foodbank-05-handout-fefo');
  await page.getByTestId('handout-confirm').click();
  const frame = page.frameLocator('[data-testid="handout-frame"]');
  await expect(frame.getByText('實物銀行發放簽收單')).toBeVisible();
  await expect(frame.getByText('領取人簽名：')).toBeVisible();
  await shot(page, 'foodbank-06-handout-receipt');

  await go(page, '/foodbank/handout');
  await page.getByTestId('handout-search').fill('林美玲');
  await page.getByTestId('handout-search-button').click();
  await page.getByTestId('handout-hit').first().click();
  await expect(page.getByTestId('allowance-line')).toHaveText('本月額度 3 件，已用 3，尚餘 0');
  await choose(page, 'handout-item-0', '白米（包）');
  await page.getByTestId('handout-qty-0').fill('1');
  await page.getByTestId('handout-preview').click();
  await expect(page.getByTestId('form-error')).toContainText('超過本月額度：此戶 1 人，每月 3 件，本月已用 3 件，尚餘 0 件；這次選了 1 件。');
  await shot(page, 'foodbank-07-handout-refused');
});

test('實物銀行: stocktake with a difference, confirmed by a second clerk; the stock screen matches the movements', async ({ page }) => {
  await signIn(page, 'clerk');
  await go(page, '/foodbank/stocktake');
  await choose(page, 'stocktake-location', /總行/);
  await page.getByTestId('stocktake-start').click();
  await expect(page.getByTestId('count-sheet')).toBeVisible();
  // The hub holds 2 + 2 of the two lots; one bag of the later lot is missing.
  await page.getByTestId('count-0').fill('2');
  await page.getByTestId('count-1').fill('1');
  await page.getByTestId('counts-save').click();
  await expect(page.getByTestId('count-sheet')).toContainText('-1');
  await page.getByTestId('stocktake-post').click();
  // Posting asks first, with a 盤差 reason per line with a difference; the refusal shows inside that dialog.
  await page.getByTestId('diff-reason-0').fill('搬運破損');
  await page.getByTestId('confirm-action-ok').click();
  await expect(page.getByTestId('confirm-error')).toContainText('盤點須由另一位同仁確認');
  await shot(page, 'foodbank-08-stocktake-counted');
  const url = page.url();

  await page.evaluate(() => sessionStorage.clear());
  await signIn(page, 'clerk2');
  await page.goto(url);
  await page.getByTestId('stocktake-post').click();
  await page.getByTestId('diff-reason-0').fill('搬運破損');
  await page.getByTestId('confirm-action-ok').click();
  await expect(page.getByTestId('stocktake-status')).toHaveText('已過帳');
  await shot(page, 'foodbank-09-stocktake-posted');

  await go(page, '/foodbank/stock');
  await expect(page.getByTestId('total-總行-白米').getByTestId('qty')).toHaveText('3');
  await expect(page.getByTestId('total-中興發放站-白米').getByTestId('qty')).toHaveText('1');
  await shot(page, 'foodbank-10-stock');
  // The screen's figures are the movements' sums: 8 received, 4 sent, 4 received at the point, 3 handed out, -1 counted.
  const stock = await api<{ totals: { locationName: string; quantity: number }[] }>(page, 'foodbank.stock', { totalsOnly: true });
  expect(stock.totals.map((t) => [t.locationName, t.quantity])).toEqual([['總行', 3], ['中興發放站', 1]]);
});

test('實物銀行: send a lot held at two places from the hub to the point and see it arrive there', async ({ page }) => {
  // After the hand-out and the stocktake the later lot lies both at 總行 and at 中興發放站.
  const before = await stockOf(page);
  const laterLot = before.lots.filter((l) => l.expiry === LATER);
  expect(laterLot.map((l) => l.locationName).sort()).toEqual(['中興發放站', '總行']);
  expect(new Set(laterLot.map((l) => l.lotId)).size).toBe(1);

  await go(page, '/foodbank/transfers');
  await expect(page.getByTestId('transfer-from')).toHaveValue(/總行/);
  await choose(page, 'transfer-to', /中興發放站/);
  await page.getByTestId('transfer-lot').click();
  // One option per lot, saying where it is: only the hub's lots are offered.
  const options = page.getByRole('option');
  await expect(options).toHaveCount(before.lots.filter((l) => l.locationName === '總行').length);
  await expect(options.filter({ hasText: '中興發放站' })).toHaveCount(0);
  await options.filter({ hasText: formatRocDate(LATER) }).click();
  await page.getByTestId('transfer-qty').fill('1');
  await page.getByTestId('transfer-send').click();
  await expect(page.getByRole('button', { name: '點收' })).toHaveCount(1);
  await shot(page, 'foodbank-11-transfer-shared-lot');
  await page.getByRole('button', { name: '點收' }).click();
  await expect(page.getByRole('button', { name: '點收' })).toHaveCount(0);

  await go(page, '/foodbank/stock');
  await expect(page.getByTestId('total-總行-白米').getByTestId('qty')).toHaveText(String(totalAt(before, '總行') - 1));
  await expect(page.getByTestId('total-中興發放站-白米').getByTestId('qty')).toHaveText(String(totalAt(before, '中興發放站') + 1));
});

test('a screen that fails shows 此畫面發生錯誤 with a way back, and the rest of the app keeps working', async ({ page }) => {
  // A real render failure without test hooks in the app: the transfer list arrives in a shape the screen
  // cannot draw (as after a server and a renderer of different versions), so 調撥 throws while rendering.
  const logged: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') logged.push(m.text());
  });
  await signIn(page, 'clerk');
  await page.route('**/api/foodbank.transfers', (route) => route.fulfill({ json: { ok: true, value: { unexpected: true } } }));
  await go(page, '/foodbank/transfers');
  const failure = page.getByTestId('screen-error');
  await expect(failure).toContainText('此畫面發生錯誤');
  // The shell is still there and another screen opens from the menu.
  await expect(page.getByTestId('current-user')).toHaveText('吳倉管');
  await shot(page, 'foodbank-12-screen-error');
  await page.getByRole('link', { name: '庫存', exact: true }).click();
  await expect(page.getByTestId('total-總行-白米')).toBeVisible();
  await expect(failure).toHaveCount(0);

  // The log names the screen and the error class, and nothing about the people on it.
  const lines = logged.filter((l) => l.startsWith('[screen-error] '));
  expect(lines).toHaveLength(1);
  const report = JSON.parse((lines[0] ?? '').slice('[screen-error] '.length)) as { screen: string; kind: string; message: string };
  expect(report.screen).toBe('/foodbank/transfers');
  expect(report.kind).toBe('TypeError');
  expect(lines[0]).not.toMatch(/[\u4e00-\u9fff]/);

  // 重新載入此畫面 draws it again once the data is right; 回首頁 leads home.
  await go(page, '/foodbank/transfers');
  await expect(failure).toBeVisible();
  await page.unroute('**/api/foodbank.transfers');
  await page.getByRole('button', { name: '重新載入此畫面' }).click();
  await expect(page.getByTestId('transfers')).toBeVisible();
  await expect(failure).toHaveCount(0);
  await page.route('**/api/foodbank.transfers', (route) => route.fulfill({ json: { ok: true, value: { unexpected: true } } }));
  await page.reload();
  await page.getByRole('button', { name: '回首頁' }).click();
  await expect(page).toHaveURL(/#\/$/);
  // The page's clock is the test clock (TEST_NOW), not the machine's.
  await expect(page.getByText(`今天是 ${formatRocLong(testToday())}`)).toBeVisible();
});

type StockLots = { lots: { lotId: number; locationName: string; quantity: number; expiry: string | null }[] };
async function stockOf(page: Page): Promise<StockLots> {
  await signIn(page, 'clerk');
  return api<StockLots>(page, 'foodbank.stock', {});
}
function totalAt(s: StockLots, place: string): number {
  return s.lots.filter((l) => l.locationName === place).reduce((n, l) => n + l.quantity, 0);
}
