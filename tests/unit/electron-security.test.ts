/**
 * Electron hardening. The Electron binary cannot be downloaded or run on this machine (ARCHITECTURE.md,
 * "Electron and native modules"), so these tests check the RULES (the pure functions and data in
 * main/electron/security.ts) and the WIRING (that main/electron/main.ts, read as source text, installs
 * each hardening hook), not a live BrowserWindow. A live check belongs in an Electron e2e run.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../main/host/server';
import { APP_ORIGIN, ELECTRON_CSP, isAppUrl, isSafeExternalUrl, resolveAppPath, SECURE_WEB_PREFERENCES } from '../../main/electron/security';

describe('webPreferences', () => {
  it('isolate and sandbox the renderer, with Node and every risky feature off', () => {
    expect(SECURE_WEB_PREFERENCES).toEqual({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    });
  });
});

describe('Content-Security-Policy', () => {
  const directives = (csp: string) => Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v.join(' ')]));

  it('allows scripts from the app only: no inline script, no eval, no remote origin', () => {
    const d = directives(ELECTRON_CSP);
    expect(d['default-src']).toBe("'self'");
    expect(d['script-src']).toBe("'self'");
    expect(ELECTRON_CSP).not.toMatch(/unsafe-eval|https?:|\*/);
    expect(d['object-src']).toBe("'none'");
    expect(d['base-uri']).toBe("'none'");
    expect(d['form-action']).toBe("'none'");
    expect(d['frame-ancestors']).toBe("'none'");
    expect(d['connect-src']).toBe("'self'");
  });

  it('is the same policy the browser host sends', () => {
    expect(ELECTRON_CSP).toBe(CONTENT_SECURITY_POLICY);
  });
});

describe('isAppUrl: only the app’s own pages may be shown', () => {
  it.each([`${APP_ORIGIN}/index.html`, `${APP_ORIGIN}/`, `${APP_ORIGIN}/assets/app.js?x=1#/cases`, 'app://welfare-desk'])('accepts %s', (url) => {
    expect(isAppUrl(url)).toBe(true);
  });
  it.each([
    'https://welfare-desk/index.html',
    'http://127.0.0.1:5173/',
    'app://welfare-desk.evil.example/',
    'app://evil/welfare-desk',
    'app://welfare-desk:8080/',
    'file:///C:/app/index.html',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'about:blank',
    'app:welfare-desk',
    '//welfare-desk/index.html',
    '',
    'not a url',
  ])('refuses %s', (url) => {
    expect(isAppUrl(url)).toBe(false);
  });
});

describe('isSafeExternalUrl: links opened in the system browser', () => {
  it.each(['https://www.mohw.gov.tw/', 'https://example.org/path?q=1#x', 'HTTPS://EXAMPLE.ORG/'])('opens %s', (url) => {
    expect(isSafeExternalUrl(url)).toBe(true);
  });
  it.each([
    ['javascript:', 'javascript:alert(document.cookie)'],
    ['javascript: with spaces and case', '  JavaScript:alert(1)'],
    ['file:', 'file:///etc/passwd'],
    ['file: UNC', 'file://server/share/x.exe'],
    ['plain http', 'http://example.org/'],
    ['user and password', 'https://user:pass@example.org/'],
    ['a user name only', 'https://user@example.org/'],
    ['the app itself', 'app://welfare-desk/index.html'],
    ['data:', 'data:text/html;base64,PHNjcmlwdD4='],
    ['smb:', 'smb://server/share'],
    ['ms-settings:', 'ms-settings:privacy'],
    ['malformed', 'https://'],
    ['malformed host', 'https://exa mple.org/'],
    ['not a url', 'example.org'],
    ['empty', ''],
  ])('refuses %s', (_label, url) => {
    expect(isSafeExternalUrl(url)).toBe(false);
  });
});

describe('resolveAppPath: app:// paths map into the renderer folder and never out of it', () => {
  const cases: [string, typeof path.posix, string][] = [
    ['posix', path.posix, '/opt/welfare-desk/resources/app/dist/renderer'],
    ['win32', path.win32, 'C:\\Program Files\\welfare-desk\\resources\\app\\dist\\renderer'],
  ];
  for (const [label, p, root] of cases) {
    const resolveIn = (url: string) => resolveAppPath(url, root, p.join, p.normalize);
    const inside = (file: string | null) => {
      if (file === null) return true; // refused
      const rel = p.relative(root, file);
      return rel !== '' && !rel.startsWith('..') && !p.isAbsolute(rel) && !rel.includes(':');
    };

    describe(label, () => {
      it('maps ordinary paths, and the bare origin to index.html', () => {
        expect(resolveIn(`${APP_ORIGIN}/index.html`)).toBe(p.join(root, 'index.html'));
        expect(resolveIn(`${APP_ORIGIN}/assets/app-1a2b.js`)).toBe(p.join(root, 'assets', 'app-1a2b.js'));
        expect(resolveIn(`${APP_ORIGIN}/`)).toBe(p.join(root, 'index.html'));
        expect(resolveIn(`${APP_ORIGIN}/fonts/%E6%A8%99%E6%A5%B7.woff2`)).toBe(p.join(root, 'fonts', '標楷.woff2'));
      });

      it('refuses other origins and schemes', () => {
        expect(resolveIn('app://other/index.html')).toBeNull();
        expect(resolveIn('file:///etc/passwd')).toBeNull();
        expect(resolveIn('https://welfare-desk/index.html')).toBeNull();
      });

      it.each([
        '/../../../etc/passwd',
        '/..%2f..%2f..%2fetc%2fpasswd',
        '/%2e%2e/%2e%2e/etc/passwd',
        '/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
        '/assets/..%2f..%2f..%2f..%2fetc%2fpasswd',
        '/..%5c..%5c..%5cWindows%5Cwin.ini',
        '/assets%5c..%5c..%5c..%5csecret.txt',
        '/C:%5CWindows%5Cwin.ini',
        '/C:/Windows/win.ini',
        '/%5C%5Cserver%5Cshare%5Cx.exe',
        '/index.html::$DATA',
        '/..%00/index.html',
        '/%E0%A4%A',
        '/%',
      ])('never leaves the folder for %s', (pathname) => {
        const file = resolveIn(`${APP_ORIGIN}${pathname}`);
        expect(inside(file), String(file)).toBe(true);
      });

      it('refuses encoded traversal, backslashes, drive letters, NUL and malformed escapes outright', () => {
        for (const pathname of ['/..%2f..%2fsecret.txt', '/..%5c..%5csecret.txt', '/assets/..%5c..%5csecret', '/C:%5CWindows%5Cwin.ini', '/x%00.html', '/%E0%A4%A', '/%']) {
          expect(resolveIn(`${APP_ORIGIN}${pathname}`), pathname).toBeNull();
        }
      });
    });
  }
});

describe('main/electron/main.ts wires the hardening in (static check of the source)', () => {
  const source = readFileSync(path.join(__dirname, '../../main/electron/main.ts'), 'utf8');

  it('creates the window with SECURE_WEB_PREFERENCES and loads it from app://, never file://', () => {
    expect(source).toMatch(/webPreferences:\s*\{\s*\.\.\.SECURE_WEB_PREFERENCES,\s*preload:/);
    expect(source).toMatch(/loadURL\(`\$\{APP_ORIGIN\}\//);
    expect(source).not.toMatch(/loadFile\(|file:\/\//);
  });

  it('denies new windows and opens only safe links externally', () => {
    expect(source).toMatch(/setWindowOpenHandler\(\(\{ url \}\) => \{\s*if \(isSafeExternalUrl\(url\)\) void shell\.openExternal\(url\);\s*return \{ action: 'deny' \};/);
    expect(source).toMatch(/contents\.setWindowOpenHandler\(\(\) => \(\{ action: 'deny' \}\)\)/); // every web contents
    expect(source.match(/shell\.openExternal\(/g)).toHaveLength(1);
  });

  it('refuses navigation and redirects away from the app, and webviews', () => {
    expect(source.match(/on\('will-navigate', \((e|ev), url\) => \{\s*if \(!isAppUrl\(url\)\) \1\.preventDefault\(\);/g)).toHaveLength(2);
    expect(source).toMatch(/on\('will-redirect', \(e, url\) => \{\s*if \(!isAppUrl\(url\)\) e\.preventDefault\(\);/);
    expect(source).toMatch(/on\('will-attach-webview', \(e\) => e\.preventDefault\(\)\)/);
  });

  it('denies every permission request and check', () => {
    expect(source).toMatch(/setPermissionRequestHandler\(\(_wc, _perm, cb\) => cb\(false\)\)/);
    expect(source).toMatch(/setPermissionCheckHandler\(\(\) => false\)/);
  });

  it('holds the single-instance lock and quits when another instance has it', () => {
    expect(source).toMatch(/if \(!app\.requestSingleInstanceLock\(\)\) \{\s*app\.quit\(\);/);
    expect(source).toMatch(/app\.on\('second-instance'/);
  });

  it('serves the UI through protocol.handle with resolveAppPath, registered as a secure standard scheme', () => {
    expect(source).toMatch(/registerSchemesAsPrivileged\(\[\{ scheme: APP_SCHEME, privileges: \{ standard: true, secure: true/);
    expect(source).toMatch(/protocol\.handle\(APP_SCHEME, \(request\) => \{\s*const file = resolveAppPath\(request\.url, rendererDir, join, normalize\);\s*if \(!file \|\| !existsSync\(file\)\) return new Response\('Not found', \{ status: 404 \}\);/);
  });

  it('sets the CSP on every response and checks the IPC sender before dispatching', () => {
    expect(source).toMatch(/'Content-Security-Policy': \[ELECTRON_CSP\]/);
    // Both channels (the contract and the connection setup) check the sender first, then hand over to the
    // desktop backend (main/client/desktop.ts, tested on Node in client-desktop.test.ts).
    expect(source).toMatch(/const forbidden = \{ ok: false, error: \{ code: 'FORBIDDEN'/);
    const handlers = source.match(/ipcMain\.handle\([A-Z_]+, async \(event, \w+: unknown, \w+: unknown(?:, \w+: unknown)?\) => \{\s*if \(!backend \|\| !isTrustedSender\(event\.sender, event\.senderFrame\?\.url\)\) return forbidden;/g);
    expect(handlers).toHaveLength(2);
    expect(source.match(/ipcMain\.(handle|on)\(/g)).toHaveLength(2);
    expect(source).toMatch(/sender\.id === mainWindow\.webContents\.id && frameUrl !== undefined && isAppUrl\(frameUrl\)/);
    expect(source).toMatch(/return backend\.api\(event\.sender\.id, method, payload, typeof requestId === 'string' \? requestId : null\);/);
  });

  it('never hands the session token to the renderer over IPC (the backend keeps it per window)', () => {
    const backendSource = readFileSync(path.join(__dirname, '../../main/client/desktop.ts'), 'utf8');
    expect(backendSource).toMatch(/return \{ ok: true, value: \{ \.\.\.view, token: null \} \};/);
    expect(source).not.toMatch(/token/);
  });

  it('keeps the data directory overridable with WELFARE_DESK_DATA_DIR', () => {
    expect(source).toMatch(/process\.env\.WELFARE_DESK_DATA_DIR \?\? join\(app\.getPath\('appData'\), APP_FOLDER\)/);
  });
});
