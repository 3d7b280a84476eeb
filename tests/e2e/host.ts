/**
 * Starts the real browser host (the built dist/host/main.mjs) on a free port with
 * a fresh data folder, and reads its URL and one-time setup code from stdout,
 * exactly as a person would from the console.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect as baseExpect, test as base, type Page } from '@playwright/test';
import { todayIso } from '../../main/contract/roc-date';

export interface RunningHost {
  url: string;
  setupCode: string | null;
  dataDir: string;
  stop(): Promise<void>;
}

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * The instant every end-to-end test starts at, whatever the day it runs: the host and the demo seeder get
 * it as `--test-now`, every page's clock is installed at it (the `test` below) and the specs compute their
 * dates from it. Both clocks then advance with real time. A mid-quarter weekday morning, so that a run of
 * a few minutes crosses no day, month or quarter; the specs' fixed periods (115年第1季, 115年3月) are
 * in its past.
 */
export const TEST_NOW = '2026-05-20T10:00:00+08:00';
/** TEST_NOW's day in Taipei, `YYYY-MM-DD`. */
export const testToday = (): string => todayIso(new Date(TEST_NOW));

/** Playwright's `test` with every page's clock starting at TEST_NOW (Chromium ignores the host's clock tools). */
export const test = base.extend({
  page: async ({ page }, use) => {
    await installTestClock(page);
    await use(page);
  },
});

/** Starts a page's clock at TEST_NOW; for pages made with `browser.newPage()`. */
export async function installTestClock(page: Page): Promise<Page> {
  await page.clock.install({ time: new Date(TEST_NOW) });
  return page;
}
export { expect } from '@playwright/test';

export async function startHost(opts: { dataDir?: string } = {}): Promise<RunningHost> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'wd-e2e-'));
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'dist', 'host', 'main.mjs'), '--port', '0', '--data-dir', dataDir, '--test-now', TEST_NOW], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, WELFARE_DESK_DATA_DIR: '' },
  });
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const { url, setupCode } = await new Promise<{ url: string; setupCode: string | null }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host did not start:\n${out}\n${err}`)), 20_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const u = /已啟動：(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (u && out.includes('按 Ctrl+C 結束')) {
        clearTimeout(timer);
        resolve({ url: u[1] as string, setupCode: /首次設定碼：(\d{4}-\d{4})/.exec(out)?.[1] ?? null });
      }
    });
    child.on('exit', (code) => reject(new Error(`host exited ${code}:\n${out}\n${err}`)));
  });
  return {
    url,
    setupCode,
    dataDir,
    async stop() {
      // A host that already exited has fired 'exit' already: waiting for it again would hang.
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => {
          process.stderr.write(`host did not stop within 20 s of SIGTERM; killing it\n${err.slice(-2000)}\n`);
          child.kill('SIGKILL');
        }, 20_000);
        await exited;
        clearTimeout(timer);
      }
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const SHOTS = join(ROOT, 'artifacts', 'screenshots');
mkdirSync(SHOTS, { recursive: true });

/** Saves a full-page screenshot into artifacts/screenshots for people to look at. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

/** Calls the API from inside the page with its own session, as a hostile script in the page could. */
export async function callFromPage(page: Page, method: string, payload: unknown): Promise<{ ok: boolean; error?: { code: string; message: string } }> {
  return page.evaluate(
    async ([m, p]) => {
      const token = sessionStorage.getItem('welfare-desk.session');
      const res = await fetch(`/api/${m}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(token ? { 'X-Welfare-Session': token } : {}) },
        body: JSON.stringify(p),
      });
      return res.json();
    },
    [method, payload] as const,
  );
}

export type Result<T> = { ok: boolean; value?: T; error?: { code: string; message: string } };

/** Calls a method with the page's session and returns its value, failing the test on an error. */
export async function api<T = Record<string, unknown>>(page: Page, method: string, payload: unknown): Promise<T> {
  const r = (await callFromPage(page, method, payload)) as Result<T>;
  if (!r.ok) throw new Error(`${method}: ${r.error?.code} ${r.error?.message}`);
  return r.value as T;
}

/** Signs in over the API and keeps the token where the page's client looks for it. */
export async function apiSignIn(page: Page, username: string, password: string): Promise<void> {
  await page.evaluate(
    async ([u, p]) => {
      const res = await fetch('/api/auth.login', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: u, password: p }) });
      const env = (await res.json()) as { ok: boolean; value?: { token: string } };
      if (!env.ok || !env.value) throw new Error(`login ${u} failed`);
      sessionStorage.setItem('welfare-desk.session', env.value.token);
    },
    [username, password] as const,
  );
}

/**
 * First run through the same call the setup screen makes, with the code the host printed:
 * the administrator `admin` (林管理) of 南投市社會福利服務中心, signed in on the page.
 */
export async function setupAdminOnPage(page: Page, host: RunningHost, password: string): Promise<boolean> {
  await page.goto(host.url);
  return page.evaluate(
    async ([code, pw]) => {
      const res = await fetch('/api/auth.setup', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ setupCode: code, centerName: '南投市社會福利服務中心', username: 'admin', displayName: '林管理', password: pw }),
      });
      const env = (await res.json()) as { ok: boolean; value?: { token: string } };
      if (env.value) sessionStorage.setItem('welfare-desk.session', env.value.token);
      return env.ok;
    },
    [host.setupCode ?? '', password] as const,
  );
}

/** Seeds the demo center (small) into `dataDir` with its dates relative to TEST_NOW. */
export function seedDemoAt(dataDir: string): void {
  execFileSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['main/cli/seed-demo.ts', '--scale', 'small', '--data-dir', dataDir, '--test-now', TEST_NOW], { cwd: ROOT, stdio: 'pipe' });
}

/** Every account of the seeded demo center has this password. */
export const DEMO_PASSWORD = 'demo1234';

/** Signs `username` of the seeded demo center in through the sign-in screen and waits for the shell. */
export async function signInDemo(page: Page, url: string, username: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('帳號').fill(username);
  await page.getByLabel('密碼').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登入' }).click();
  await baseExpect(page.getByTestId('current-user')).toBeVisible();
}
