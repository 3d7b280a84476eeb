/**
 * Electron's main process: a thin adapter. It serves the renderer from
 * app://welfare-desk and answers the preload's IPC through the desktop backend
 * (main/client/desktop.ts), which holds every decision: the same App as the
 * browser host on this PC, or the center server as its pinned client, as
 * connection.json says. Nothing here is application logic.
 */
import { app, BrowserWindow, dialog, ipcMain, net, protocol, safeStorage, session, shell, type WebContents } from 'electron';
import { existsSync } from 'node:fs';
import { join, normalize } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openAppPool } from '../api/pool';
import { createDesktopBackend, type DesktopBackend } from '../client/desktop';
import { IPC_CHANNEL } from '../contract/bridge';
import { CONNECTION_IPC_CHANNEL } from '../contract/connection';
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
/** Local App or center server; keeps the session of each window, never the renderer. */
let backend: DesktopBackend | null = null;

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
    backend?.forgetWindow(contents.id);
    mainWindow = null;
  });
  void mainWindow.loadURL(`${APP_ORIGIN}/index.html`);
}

async function start(): Promise<void> {
  await app.whenReady();
  const dataDir = process.env.WELFARE_DESK_DATA_DIR ?? join(app.getPath('appData'), APP_FOLDER);
  const nativeBinding = electronNativeBinding();
  backend = createDesktopBackend({
    dataDir,
    // The master secret is wrapped by the OS (DPAPI / Keychain / libsecret) for this user. The services and
    // SQLite run on worker threads (main/api/pool.ts): a long report never freezes the window.
    openLocal: () => openAppPool({ dataDir, scheduleBackups: true, ...(nativeBinding ? { nativeBinding } : {}), ...desktopKeyProtection(safeStorage, process.platform) }),
  });
  // Opens the local database only when connection.json says `local`.
  const connection = await backend.start();
  log.info(`data directory ${dataDir}, connection ${connection.mode}`);

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

  const forbidden = { ok: false, error: { code: 'FORBIDDEN', message: '拒絕來源不明的請求。' } };
  ipcMain.handle(IPC_CHANNEL, async (event, method: unknown, payload: unknown, requestId: unknown) => {
    if (!backend || !isTrustedSender(event.sender, event.senderFrame?.url)) return forbidden;
    return backend.api(event.sender.id, method, payload, typeof requestId === 'string' ? requestId : null);
  });
  ipcMain.handle(CONNECTION_IPC_CHANNEL, async (event, operation: unknown, input: unknown) => {
    if (!backend || !isTrustedSender(event.sender, event.senderFrame?.url)) return forbidden;
    return backend.connection(operation, input);
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
  void (backend?.close() ?? Promise.resolve()).finally(() => app.quit());
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
