/**
 * Electron hardening, kept as plain data and pure functions so the rules are
 * unit-tested without an Electron binary (tests/unit/electron-security.test.ts).
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'welfare-desk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** The window's webPreferences: every item of Electron's security checklist that applies. */
export const SECURE_WEB_PREFERENCES = {
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
} as const;

export const ELECTRON_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Only the app's own pages may be shown in the window. */
export function isAppUrl(raw: string): boolean {
  try {
    const u = new URL(raw);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST;
  } catch {
    return false;
  }
}

/** Links the user may open in the system browser: https only, parsed, no credentials. */
export function isSafeExternalUrl(raw: string): boolean {
  try {
    const u = new URL(raw);
    return u.protocol === 'https:' && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/** Maps app://welfare-desk/<path> to a file under the renderer folder, refusing anything that escapes it. */
export function resolveAppPath(raw: string, rendererDir: string, join: (...p: string[]) => string, normalize: (p: string) => string): string | null {
  if (!isAppUrl(raw)) return null;
  let decoded: string;
  try {
    decoded = decodeURIComponent(new URL(raw).pathname);
  } catch {
    return null; // a malformed %-escape
  }
  // The renderer's files never need these, and each is a way out on some platform: an encoded '..'
  // segment, a backslash (a separator on Windows), ':' (a drive letter or an NTFS stream), NUL.
  if (/[\\:\0]/.test(decoded) || decoded.split('/').includes('..')) return null;
  const rel = normalize(decoded).replace(/^([/\\])+/, '');
  if (rel.split(/[/\\]/).includes('..')) return null;
  return join(rendererDir, rel === '' ? 'index.html' : rel);
}
