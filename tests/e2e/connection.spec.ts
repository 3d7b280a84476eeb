import type { Page } from '@playwright/test';
import { expect, type RunningHost, startHost, test } from './host';

/**
 * The desktop app's first-run connection screens, in Chromium.
 *
 * NOT a test of Electron: Electron cannot run here. The page is given a stand-in for the preload's
 * `window.welfareDesk` (page.addInitScript): its `connection` is a small in-page state machine with a
 * canned probe result, its `api` forwards to the real browser host over fetch. What this checks is the
 * renderer: which screen shows for which connection state, the address check beside the field, the
 * fingerprint shown for reading aloud, the changed-certificate screen and its reset. The main-process
 * side (pinning, connection.json, token per window) is tested on Node in client-remote and client-desktop.
 */
test.describe.configure({ mode: 'serial' });

const FINGERPRINT = '3F:A9:07:C2:5B:E1:44:90:D8:16:7A:0C:E5:39:B2:6F:81:4D:C0:2E:97:5A:13:F8:6B:0E:D4:72:A1:C9:58:3B';

let host: RunningHost;
test.beforeAll(async () => {
  host = await startHost();
});
test.afterAll(async () => {
  await host.stop();
});

/** Installs the preload stand-in; `initial` is the connection state the main process would report. */
async function fakeDesktop(page: Page, initial: unknown, opts: { changeOnNextCall?: boolean } = {}) {
  await page.addInitScript(
    ({ initial, fingerprint, changeOnNextCall }) => {
      let state = initial as Record<string, unknown>;
      let changeNext = changeOnNextCall;
      const calls: unknown[] = [];
      (window as unknown as { __connectionCalls: unknown[] }).__connectionCalls = calls;
      const ok = (value: unknown) => Promise.resolve({ ok: true, value });
      const certificateChanged = {
        code: 'INTERNAL',
        message: '中心伺服器的憑證與先前確認的不同，可能是伺服器換了憑證或連線被攔截。請向系統管理者確認新的憑證指紋後，重新設定連線。',
        details: { connection: 'certificate-changed' },
      };
      const api = new Proxy(
        {},
        {
          get: (_t, method: string) => async (input: unknown) => {
            if (changeNext && state.mode === 'server') {
              changeNext = false;
              state = { ...state, problem: 'certificate-changed' };
              return { ok: false, error: certificateChanged };
            }
            const res = await fetch(`/api/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(input ?? {}) });
            return res.json();
          },
        },
      );
      const connection = {
        state: () => ok(state),
        probe: (input: { url: string }) => {
          calls.push(['probe', input]);
          return ok({ url: input.url, fingerprint, subject: { commonName: 'welfare-center.local', organization: '南投市社會福利服務中心' }, validFrom: '2026-05-01T00:00:00.000Z', validTo: '2027-05-01T00:00:00.000Z', trusted: false });
        },
        confirm: (input: Record<string, unknown>) => {
          calls.push(['confirm', input]);
          state = input.mode === 'local' ? { mode: 'local' } : { mode: 'server', url: input.url, fingerprint: input.fingerprint, pinnedAt: '2026-05-20T02:00:00.000Z', problem: null };
          return ok(state);
        },
        reset: () => {
          calls.push(['reset']);
          state = { mode: 'unconfigured' };
          return ok(state);
        },
      };
      (window as unknown as { welfareDesk: unknown }).welfareDesk = { kind: 'electron', api, connection };
    },
    { initial, fingerprint: FINGERPRINT, changeOnNextCall: opts.changeOnNextCall ?? false },
  );
}

test('first run: choose the center server, check the address, compare the fingerprint, confirm', async ({ page }) => {
  await fakeDesktop(page, { mode: 'unconfigured' });
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: '這台電腦要怎麼使用？' })).toBeVisible();
  await expect(page.getByRole('button', { name: '本機單機使用' })).toBeVisible();
  await page.screenshot({ path: '/tmp/client-first-run.png' });

  await page.getByRole('button', { name: '連線到中心伺服器' }).click();
  const address = page.getByLabel('伺服器位址');
  await address.fill('http://192.168.1.10:8443');
  await page.getByRole('button', { name: '檢查' }).click();
  await expect(page.getByText('只能使用加密連線：位址必須以 https:// 開頭。')).toBeVisible();
  await expect(address).toHaveAttribute('aria-invalid', 'true');
  await page.screenshot({ path: '/tmp/client-address-error.png' });
  expect(await page.evaluate(() => (window as unknown as { __connectionCalls: unknown[] }).__connectionCalls)).toEqual([]);

  await address.fill('192.168.1.10:8443');
  await page.getByRole('button', { name: '檢查' }).click();
  await expect(page.getByRole('heading', { name: '請核對伺服器的憑證指紋' })).toBeVisible();
  const lines = page.getByTestId('fingerprint').getByRole('row');
  await expect(lines).toHaveCount(4);
  await expect(lines.nth(0)).toContainText('3F:A9:07:C2:5B:E1:44:90');
  await expect(lines.nth(3)).toContainText('6B:0E:D4:72:A1:C9:58:3B');
  await page.screenshot({ path: '/tmp/client-fingerprint.png', fullPage: true });

  await page.getByRole('button', { name: '確認並連線' }).click();
  // Connected: the app itself starts (the host's first-run setup, through the forwarded api).
  await expect(page.getByRole('heading', { name: '首次設定' })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __connectionCalls: unknown[] }).__connectionCalls)).toEqual([
    ['probe', { url: 'https://192.168.1.10:8443' }],
    ['confirm', { mode: 'server', url: 'https://192.168.1.10:8443', fingerprint: FINGERPRINT }],
  ]);
});

test('first run: 本機單機使用 asks once more, then the app starts', async ({ page }) => {
  await fakeDesktop(page, { mode: 'unconfigured' });
  await page.goto(host.url);
  await page.getByRole('button', { name: '本機單機使用' }).click();
  await expect(page.getByRole('heading', { name: '確定只在這台電腦上使用？' })).toBeVisible();
  await page.getByRole('button', { name: '確定，本機單機使用' }).click();
  await expect(page.getByRole('heading', { name: '首次設定' })).toBeVisible();
});

test('a call refused for a changed certificate replaces the app with the explanation and 重新設定連線', async ({ page }) => {
  await fakeDesktop(page, { mode: 'server', url: 'https://192.168.1.10:8443', fingerprint: FINGERPRINT, pinnedAt: '2026-05-01T02:00:00.000Z', problem: null }, { changeOnNextCall: true });
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: '無法連線：中心伺服器的憑證已變更' })).toBeVisible();
  await expect(page.getByTestId('certificate-changed')).toHaveText(
    '中心伺服器的憑證與先前確認的不同，可能是伺服器換了憑證或連線被攔截。請向系統管理者確認新的憑證指紋後，重新設定連線。',
  );
  await page.screenshot({ path: '/tmp/client-certificate-changed.png' });
  await page.getByRole('button', { name: '重新設定連線' }).click();
  await expect(page.getByRole('heading', { name: '這台電腦要怎麼使用？' })).toBeVisible();
});

test('in a browser (no window.welfareDesk) nothing changes', async ({ page }) => {
  await page.goto(host.url);
  await expect(page.getByRole('heading', { name: '首次設定' })).toBeVisible();
  await expect(page.getByText('這台電腦要怎麼使用？')).toHaveCount(0);
});
