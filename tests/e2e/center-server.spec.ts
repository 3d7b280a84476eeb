import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { api, apiSignIn, callFromPage, expect, installTestClock, test, TEST_NOW } from './host';
import { pgBinDir, startPgCluster, type PgCluster } from './pg-cluster';

/**
 * Issue 10 end to end: the built center server (dist/server/main.mjs) on a throwaway PostgreSQL cluster,
 * three browser contexts as three PCs. The 社工 (A) requests 開案; the 督導 (B), already on 待審核, sees it
 * appear without reloading (the screen polls, renderer/lib/usePolling.ts) and approves; the 社工's case
 * page shows the new status by itself. The administrator (C) disables the 社工: her open session is
 * refused on its next call and her window falls back to the sign-in screen.
 */
test.describe.configure({ mode: 'serial' });

const ROOT = join(import.meta.dirname, '..', '..');
const PG_BIN = pgBinDir();
const PASSWORD = 'Center12345';
/** The poll interval (POLL_INTERVAL_MS, 20 s) plus a margin for a loaded machine. */
const POLL_WAIT = 35_000;
const SHOT = (name: string) => `/tmp/e2epg-${name}.png`;

let cluster: PgCluster | null = null;
let child: ChildProcess | null = null;
let dataDir = '';
let url = '';
let setupCode = '';
let serverOut = '';

test.skip(PG_BIN === null, 'PostgreSQL is not installed (no pg_config, nothing in /usr/lib/postgresql/*/bin): install the postgresql package to run the center-server end-to-end test');

test.beforeAll(async () => {
  test.setTimeout(120_000);
  cluster = startPgCluster(PG_BIN as string);
  const dbUrl = await cluster.createDatabase('wd_e2e_center');
  dataDir = mkdtempSync(join(tmpdir(), 'wd-e2e-center-'));
  const configFile = join(dataDir, 'server.json');
  writeFileSync(configFile, JSON.stringify({ listen: '127.0.0.1', port: 0, publicNames: ['127.0.0.1'], dataDir: join(dataDir, 'data'), database: { engine: 'postgres', url: dbUrl } }));
  const proc = spawn(process.execPath, [join(ROOT, 'dist', 'server', 'main.mjs'), '--config', configFile, '--test-now', TEST_NOW], { stdio: ['ignore', 'pipe', 'pipe'] });
  child = proc;
  let err = '';
  proc.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${serverOut}\n${err}`)), 60_000);
    proc.stdout?.on('data', (d: Buffer) => {
      serverOut += d.toString();
      if (serverOut.includes('按 Ctrl+C 結束')) {
        clearTimeout(timer);
        resolve();
      }
    });
    proc.on('exit', (code) => reject(new Error(`server exited ${code}:\n${serverOut}\n${err}`)));
  });
  url = /已啟動：(https:\/\/127\.0\.0\.1:\d+\/)/.exec(serverOut)?.[1] ?? '';
  setupCode = /首次設定碼：(\d{4}-\d{4})/.exec(serverOut)?.[1] ?? '';
});

test.afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child?.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
  cluster?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** Another PC: its own context (cookies, session storage), the certificate accepted as after comparing the fingerprint. */
async function pc(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, locale: 'zh-TW', timezoneId: 'Asia/Taipei', viewport: { width: 1280, height: 800 } });
  const page = await installTestClock(await context.newPage());
  return { context, page };
}

async function signIn(page: Page, username: string) {
  await page.goto(url);
  await page.getByLabel('帳號').fill(username);
  await page.getByLabel('密碼').fill(PASSWORD);
  await page.getByRole('button', { name: '登入' }).click();
  await expect(page.getByTestId('current-user')).toBeVisible();
}

test('two PCs on the PostgreSQL center server: 開案 requested, seen and approved without reloading; a disabled user is signed out', async ({ browser }) => {
  test.setTimeout(240_000);
  expect(url).toMatch(/^https:/);
  expect(setupCode).toMatch(/^\d{4}-\d{4}$/);

  // PC C, the administrator: first run with the printed code, then the team and its two people.
  const admin = await pc(browser);
  await admin.page.goto(url);
  await expect(admin.page.getByRole('heading', { name: '首次設定' })).toBeVisible();
  await admin.page.getByLabel('首次設定碼').fill(setupCode);
  await admin.page.getByLabel('中心名稱').fill('南投市社會福利服務中心');
  await admin.page.getByLabel('管理者帳號').fill('admin');
  await admin.page.getByLabel('姓名').fill('林管理');
  await admin.page.getByLabel(/^密碼/).fill('Admin12345');
  await admin.page.getByLabel('再輸入一次密碼').fill('Admin12345');
  await admin.page.getByRole('button', { name: '建立管理者並登入' }).click();
  await expect(admin.page.getByRole('heading', { name: '林管理，您好' })).toBeVisible();
  const sup = await api<{ id: number }>(admin.page, 'users.create', { username: 'sup1', displayName: '陳督導', role: 'supervisor', teamId: null, initialPassword: 'Initial123' });
  const team = await api<{ id: number }>(admin.page, 'teams.create', { name: '第一組', supervisorId: sup.id });
  await api(admin.page, 'users.create', { username: 'sw01', displayName: '王社工', role: 'worker', teamId: team.id, initialPassword: 'Initial123' });

  // Each person sets a password of their own; the 社工 registers the family (through the API, to keep the spec short).
  const scratch = await pc(browser);
  await scratch.page.goto(url);
  for (const u of ['sup1', 'sw01']) {
    await apiSignIn(scratch.page, u, 'Initial123');
    await api(scratch.page, 'auth.changePassword', { currentPassword: 'Initial123', newPassword: PASSWORD });
  }
  await apiSignIn(scratch.page, 'sw01', PASSWORD);
  const mother = await api<{ id: number }>(scratch.page, 'persons.create', { name: '林美玲', birthDate: '1988-04-12', sex: 'F', phone: '0912345678' });
  const family = await api<{ id: number }>(scratch.page, 'households.create', { address: { street: '南投市中山路100號' }, householdType: '單親', head: { personId: mother.id } });
  await scratch.context.close();

  // PC B, the 督導, opens 待審核: nothing yet.
  const b = await pc(browser);
  await signIn(b.page, 'sup1');
  await b.page.getByRole('link', { name: '待審核', exact: true }).click();
  await expect(b.page.getByText('目前沒有待審核的申請')).toBeVisible();

  // PC A, the 社工: intake and 申請開案.
  const a = await pc(browser);
  await signIn(a.page, 'sw01');
  await a.page.goto(`${url}#/cases/new?householdId=${family.id}`);
  await expect(a.page.getByRole('heading', { name: '開案受理' })).toBeVisible();
  await a.page.getByRole('combobox', { name: '案件來源' }).click();
  await a.page.getByRole('option', { name: 'A 自行求助', exact: true }).click();
  await a.page.getByRole('radio', { name: '中' }).check();
  await a.page.getByRole('checkbox', { name: '家庭收入不足以支應基本生活' }).check();
  await a.page.getByLabel('案情摘要').fill('案母獨力撫養一子，近期失業，房租已欠兩個月。');
  await a.page.getByRole('button', { name: '收案' }).click();
  await expect(a.page.getByRole('heading', { name: /^個案 \d{3}-\d{6}$/ })).toBeVisible();
  const caseNo = ((await a.page.getByRole('heading', { name: /^個案 / }).textContent()) ?? '').replace('個案 ', '').trim();
  await a.page.getByRole('button', { name: '申請開案' }).click();
  await a.page.getByRole('dialog').getByLabel('申請理由').fill('經濟陷困，需持續處遇');
  await a.page.getByRole('dialog').getByRole('button', { name: '送出' }).click();
  await expect(a.page.getByTestId('case-status')).toHaveText('開案審查中');
  const requestedAt = Date.now();

  // PC B: the request appears by itself (no reload, no navigation), within one poll interval.
  const card = b.page.getByTestId(`approval-${caseNo}`);
  await expect(card).toContainText('經濟陷困，需持續處遇', { timeout: POLL_WAIT });
  const seenAfter = Date.now() - requestedAt;
  await b.page.screenshot({ path: SHOT('1-supervisor-sees-request'), fullPage: true });
  // While the 督導 writes a comment the inbox holds still: three poll intervals pass on the page's clock
  // without a single call for the list.
  let polls = 0;
  const countPolls = (r: { url(): string }) => {
    if (r.url().endsWith('/api/worklists.approvals')) polls += 1;
  };
  b.page.on('request', countPolls);
  await card.getByLabel('審查意見').fill('同意開案，請於一週內完成家訪');
  await b.page.clock.runFor(65_000);
  await b.page.waitForTimeout(1_000);
  expect(polls).toBe(0);
  b.page.off('request', countPolls);
  await card.getByRole('button', { name: '核准' }).click();
  await expect(b.page.getByTestId('approval-done')).toContainText('處遇中');
  const approvedAt = Date.now();

  // PC A: the case page shows the decision by itself.
  await expect(a.page.getByTestId('case-status')).toHaveText('處遇中', { timeout: POLL_WAIT });
  const statusAfter = Date.now() - approvedAt;
  await expect(a.page.getByTestId('pending-request')).toHaveCount(0);
  await a.page.screenshot({ path: SHOT('2-worker-sees-approval'), fullPage: true });
  test.info().annotations.push({ type: 'poll', description: `request seen by the 督導 after ${seenAfter} ms; approval seen by the 社工 after ${statusAfter} ms` });
  console.log(`center-server e2e: request seen after ${seenAfter} ms, approval seen after ${statusAfter} ms`);

  // PC C: the administrator disables the 社工 while her window is open.
  const token = await a.page.evaluate(() => sessionStorage.getItem('welfare-desk.session'));
  expect(token).toBeTruthy();
  await admin.page.getByRole('link', { name: '使用者與組別' }).click();
  const row = admin.page.getByTestId('user-row-sw01');
  await row.getByRole('button', { name: '停用' }).click();
  await admin.page.getByRole('dialog', { name: '停用帳號' }).getByTestId('confirm-action-ok').click();
  await expect(row).toContainText('已停用');

  // PC A: her next call is refused, and the app goes back to the sign-in screen. The case page's own polling
  // may already have made that call (then the menu is gone); otherwise going to 我的個案 makes it.
  await a.page.evaluate(() => {
    window.location.hash = '#/my-cases';
  });
  await expect(a.page.getByLabel('帳號')).toBeVisible();
  await expect(a.page.getByTestId('current-user')).toHaveCount(0);
  await a.page.screenshot({ path: SHOT('3-disabled-worker-signed-out'), fullPage: true });
  // The old token stays refused over the API too.
  const refused = await a.page.evaluate(async (t) => {
    const res = await fetch('/api/cases.get', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Welfare-Session': t ?? '' }, body: JSON.stringify({ id: 1 }) });
    return ((await res.json()) as { error?: { code: string } }).error?.code;
  }, token);
  expect(refused).toBe('UNAUTHENTICATED');
  // And she cannot sign in again.
  await a.page.getByLabel('帳號').fill('sw01');
  await a.page.getByLabel('密碼').fill(PASSWORD);
  const login = a.page.waitForResponse((r) => r.url().endsWith('/api/auth.login'));
  await a.page.getByRole('button', { name: '登入' }).click();
  expect(((await (await login).json()) as { ok: boolean }).ok).toBe(false);
  await expect(a.page.getByTestId('form-error')).toBeVisible();
  await expect(a.page.getByTestId('current-user')).toHaveCount(0);

  // The 督導 on PC B is unaffected.
  expect((await callFromPage(b.page, 'worklists.approvals', {})).ok).toBe(true);

  for (const p of [a, b, admin]) await p.context.close();
});
