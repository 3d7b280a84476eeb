/**
 * Electron's main process: a thin adapter. It opens the same App as the
 * browser host, serves the renderer from app://welfare-desk, and answers the
 * preload's IPC with the same dispatcher. Nothing here is application logic.
 */
import { app, BrowserWindow, dialog, ipcMain, net, protocol, safeStorage, session, shell, type WebContents } from 'electron';
import { existsSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openAppPool, type AppPool } from '../api/pool';
import { IPC_CHANNEL } from '../contract/bridge';
import { createLogger } from '../lib/logger';
import { APP_FOLDER } from '../lib/paths';
import { desktopKeyProtection } from './key-protector';
import { APP_ORIGIN, APP_SCHEME, ELECTRON_CSP, isAppUrl, isSafeExternalUrl, resolveAppPath, SECURE_WEB_PREFERENCES } from './security';

const log = createLogger('electron');

// Must run before 'ready': app:// behaves like a secure, standard origin.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
}

const distDir = join(__dirname, '..', '..');
const rendererDir = join(distDir, 'renderer');
const preloadPath = join(distDir, 'preload', 'preload.cjs');

/** Electron needs its own build of better-sqlite3; it lives apart from the one tests use. */
function electronNativeBinding(): string | undefined {
  const candidates = [
    join(process.resourcesPath ?? '', 'native', 'better_sqlite3.node'),
    join(distDir, '..', 'build', 'electron-native', 'better_sqlite3.node'),
  ];
  return candidates.find((p) => existsSync(p));
}

let mainWindow: BrowserWindow | null = null;
let welfareApp: AppPool | null = null;
/** The session of each window lives here, never in the renderer. */
const sessionTokens = new Map<number, string>();

function isTrustedSender(sender: WebContents, frameUrl: string | undefined): boolean {
  return mainWindow !== null && sender.id === mainWindow.webContents.id && frameUrl !== undefined && isAppUrl(frameUrl);
}

function createWindow(): void {
  mainWindow = new BrowserWindow({
    width: 1280,
    height: 860,
    title: '社福中心工作台',
    show: false,
    webPreferences: { ...SECURE_WEB_PREFERENCES, preload: preloadPath },
  });
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  const contents = mainWindow.webContents;
  contents.on('will-navigate', (e, url) => {
    if (!isAppUrl(url)) e.preventDefault();
  });
  contents.on('will-redirect', (e, url) => {
    if (!isAppUrl(url)) e.preventDefault();
  });
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  mainWindow.on('closed', () => {
    sessionTokens.delete(contents.id);
    mainWindow = null;
  });
  void mainWindow.loadURL(`${APP_ORIGIN}/index.html`);
}

async function start(): Promise<void> {
  await app.whenReady();
  const dataDir = process.env.WELFARE_DESK_DATA_DIR ?? join(app.getPath('appData'), APP_FOLDER);
  const nativeBinding = electronNativeBinding();
  // The master secret is wrapped by the OS (DPAPI / Keychain / libsecret) for this user.
  // The services and SQLite run on worker threads (main/api/pool.ts): a long report never freezes the window.
  welfareApp = await openAppPool({ dataDir, scheduleBackups: true, ...(nativeBinding ? { nativeBinding } : {}), ...desktopKeyProtection(safeStorage, process.platform) });
  log.info(`data directory ${dataDir}`);

  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  session.defaultSession.webRequest.onHeadersReceived((details, cb) => {
    cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [ELECTRON_CSP] } });
  });

  protocol.handle(APP_SCHEME, (request) => {
    const file = resolveAppPath(request.url, rendererDir, join, normalize);
    if (!file || !existsSync(file)) return new Response('Not found', { status: 404 });
    return net.fetch(pathToFileURL(file).toString());
  });

  ipcMain.handle(IPC_CHANNEL, async (event, method: unknown, payload: unknown) => {
    if (!welfareApp || !isTrustedSender(event.sender, event.senderFrame?.url)) {
      return { ok: false, error: { code: 'FORBIDDEN', message: '拒絕來源不明的請求。' } };
    }
    const token = sessionTokens.get(event.sender.id) ?? null;
    const envelope = await welfareApp.dispatcher.dispatch({ method: String(method), payload, token, transport: 'ipc' });
    // Sign-in, setup and unlock hand back a session: keep its token here, bound to this
    // window, and never give it to the renderer.
    if (envelope.ok && envelope.value && typeof envelope.value === 'object' && 'token' in envelope.value) {
      const view = envelope.value as { token: string | null };
      if (view.token) sessionTokens.set(event.sender.id, view.token);
      return { ok: true, value: { ...view, token: null } };
    }
    if (envelope.ok && method === 'auth.logout') sessionTokens.delete(event.sender.id);
    return envelope;
  });

  createWindow();
}

app.on('second-instance', () => {
  if (mainWindow) {
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  }
});
app.on('window-all-closed', () => {
  void welfareApp?.close().finally(() => app.quit());
});
app.on('web-contents-created', (_e, contents) => {
  contents.on('will-navigate', (ev, url) => {
    if (!isAppUrl(url)) ev.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

start().catch((err: unknown) => {
  log.error('failed to start', err);
  // Key and conversion errors carry a zh-TW message meant for the user.
  if (err instanceof Error && ['KeyRingError', 'DatabaseKeyError', 'ConversionError'].includes(err.name)) dialog.showErrorBox('社福中心工作台無法開啟資料', err.message);
  app.exit(1);
});
