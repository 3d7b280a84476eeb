/**
 * The decisions behind Electron's IPC (main/client/desktop.ts), on Node: the first-run choice, the
 * server mode that never opens the local database, session tokens kept per window, and a changed
 * certificate that stops every call until the connection is set up again. Against a real TLS server
 * with a real Dispatcher, and a real local App. (Electron itself is not run here.)
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../../main/api/app';
import { connectionFile, readConnectionConfig } from '../../main/client/connection-config';
import { createDesktopBackend, type DesktopBackend, type LocalApp } from '../../main/client/desktop';
import { CONNECTION_MESSAGES, type ConnectionState, type ServerProbe } from '../../main/contract/connection';
import type { SessionView } from '../../main/contract/types';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '../helpers/app';
import { makeCertificate, startTlsCenter, type TestCertificate, type TlsCenter } from '../helpers/tls-center';

let t: TestApp;
let certA: TestCertificate;
let certB: TestCertificate;
let center: TlsCenter;
const dirs: string[] = [];
const backends: DesktopBackend[] = [];

beforeAll(async () => {
  t = await createTestApp();
  await t.setupAdmin();
  [certA, certB] = await Promise.all([makeCertificate(), makeCertificate('別的伺服器')]);
  center = await startTlsCenter(t.app.dispatcher, certA);
}, 60_000);
afterAll(async () => {
  await center.close();
  await t.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
afterEach(async () => {
  for (const b of backends.splice(0)) await b.close();
});

const clock = () => new Date('2026-03-05T02:00:00.000Z');

function pc(): { dataDir: string; backend: DesktopBackend; opened: () => number } {
  const dataDir = mkdtempSync(join(tmpdir(), 'wd-pc-'));
  dirs.push(dataDir);
  let opened = 0;
  const backend = createDesktopBackend({
    dataDir,
    now: clock,
    remote: { retryDelayMs: 10 },
    openLocal: async (): Promise<LocalApp> => {
      opened++;
      return openApp({ dataDir, now: clock });
    },
  });
  backends.push(backend);
  return { dataDir, backend, opened: () => opened };
}

async function ok<T>(p: Promise<{ ok: boolean; value?: unknown; error?: unknown }>): Promise<T> {
  const env = await p;
  if (!env.ok) throw new Error(`expected ok, got ${JSON.stringify(env.error)}`);
  return env.value as T;
}

describe('desktop backend: first run and server mode', () => {
  it('without connection.json nothing answers until a choice is made', async () => {
    const { backend, opened } = pc();
    expect(await backend.start()).toEqual({ mode: 'unconfigured' });
    expect(await backend.api(1, 'auth.status', {})).toMatchObject({ ok: false, error: { message: CONNECTION_MESSAGES.notConfigured } });
    expect(opened()).toBe(0);
  });

  it('check, confirm and call: the token stays in the main process, per window; the local database is never opened', async () => {
    const { dataDir, backend, opened } = pc();
    await backend.start();
    const probe = await ok<ServerProbe>(backend.connection('probe', { url: center.url.replace('https://', '') }));
    expect(probe.fingerprint).toBe(certA.fingerprint);

    // A fingerprint other than the one the server presents is not pinned.
    const wrong = await backend.connection('confirm', { mode: 'server', url: center.url, fingerprint: certB.fingerprint });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'RULE' } });
    expect(existsSync(connectionFile(dataDir))).toBe(false);

    const state = await ok<ConnectionState>(backend.connection('confirm', { mode: 'server', url: center.url, fingerprint: probe.fingerprint.toLowerCase() }));
    expect(state).toEqual({ mode: 'server', url: center.url, fingerprint: certA.fingerprint, pinnedAt: '2026-03-05T02:00:00.000Z', problem: null });
    expect(JSON.parse(readFileSync(connectionFile(dataDir), 'utf8'))).toEqual({ mode: 'server', url: center.url, fingerprint: certA.fingerprint, pinnedAt: '2026-03-05T02:00:00.000Z' });

    const session = await ok<SessionView>(backend.api(7, 'auth.login', { username: 'admin', password: ADMIN_PASSWORD }));
    expect(session.token).toBeNull(); // never to the renderer
    expect(session.user.username).toBe('admin');
    expect((await backend.api(7, 'users.list', {})).ok).toBe(true);
    expect(center.seen.at(-1)).toMatchObject({ method: 'users.list', hadToken: true });
    // Another window has no session.
    expect(await backend.api(8, 'users.list', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    // The choice is made: the page cannot move this PC elsewhere, nor forget the server.
    expect(await backend.connection('confirm', { mode: 'local' })).toMatchObject({ ok: false, error: { code: 'RULE' } });
    expect(await backend.connection('reset')).toMatchObject({ ok: false, error: { code: 'RULE' } });
    expect(await backend.connection('probe', { url: center.url })).toMatchObject({ ok: false, error: { code: 'RULE' } });

    expect(opened()).toBe(0);
    expect(existsSync(join(dataDir, 'welfare-desk.db'))).toBe(false);
  });

  it('a restart reads connection.json and goes to the pinned server', async () => {
    const { dataDir, backend, opened } = pc();
    writeFileSync(connectionFile(dataDir), JSON.stringify({ mode: 'server', url: center.url, fingerprint: certA.fingerprint, pinnedAt: '2026-03-01T00:00:00.000Z' }));
    expect(await backend.start()).toMatchObject({ mode: 'server', url: center.url, problem: null });
    expect((await ok<{ needsSetup: boolean }>(backend.api(1, 'auth.status', {}))).needsSetup).toBe(false);
    expect(opened()).toBe(0);
  });

  it('a connection.json that does not validate is moved aside and the first-run choice shows', async () => {
    const { dataDir, backend } = pc();
    writeFileSync(connectionFile(dataDir), JSON.stringify({ mode: 'server', url: center.url.replace('https', 'http'), fingerprint: certA.fingerprint, pinnedAt: 'x' }));
    expect(await backend.start()).toEqual({ mode: 'unconfigured' });
    expect(readConnectionConfig(dataDir)).toBeNull();
    expect(existsSync(connectionFile(dataDir))).toBe(false);
  });

  it('rejects unknown operations and bad input from the page', async () => {
    const { backend } = pc();
    await backend.start();
    expect(await backend.connection('delete', {})).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    expect(await backend.connection('probe', { url: 'http://127.0.0.1:1' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: CONNECTION_MESSAGES.urlNotHttps } });
    expect(await backend.connection('confirm', { mode: 'server', url: center.url })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });
});

describe('desktop backend: local mode', () => {
  it('a PC that already has a local database (the app before the center server) stays local without asking', async () => {
    const first = pc();
    await first.backend.start();
    await ok(first.backend.connection('confirm', { mode: 'local' }));
    await first.backend.close();
    rmSync(connectionFile(first.dataDir));

    let opened = 0;
    const again = createDesktopBackend({
      dataDir: first.dataDir,
      now: clock,
      openLocal: async () => {
        opened++;
        return openApp({ dataDir: first.dataDir, now: clock });
      },
    });
    backends.push(again);
    expect(await again.start()).toEqual({ mode: 'local' });
    expect(opened).toBe(1);
    expect(readConnectionConfig(first.dataDir)).toEqual({ mode: 'local' });
    expect(await again.connection('confirm', { mode: 'server', url: center.url, fingerprint: certA.fingerprint })).toMatchObject({ ok: false, error: { code: 'RULE' } });
  });

  it('choosing 本機單機使用 opens the local App and answers over IPC as before', async () => {
    const { dataDir, backend, opened } = pc();
    await backend.start();
    expect(await ok<ConnectionState>(backend.connection('confirm', { mode: 'local' }))).toEqual({ mode: 'local' });
    expect(opened()).toBe(1);
    expect(JSON.parse(readFileSync(connectionFile(dataDir), 'utf8'))).toEqual({ mode: 'local' });
    const status = await ok<{ needsSetup: boolean; setupCodeRequired: boolean }>(backend.api(1, 'auth.status', {}));
    // Over IPC the local first run needs no setup code: the transport is still 'ipc'.
    expect(status).toMatchObject({ needsSetup: true, setupCodeRequired: false });
    expect(await backend.connection('reset')).toMatchObject({ ok: false, error: { code: 'RULE' } });
  });
});

describe('desktop backend: the server changed its certificate', () => {
  it('refuses, stays refused without reaching the server, and can be set up again', async () => {
    const own = await startTlsCenter(t.app.dispatcher, certA);
    try {
      const { dataDir, backend } = pc();
      await backend.start();
      await ok(backend.connection('confirm', { mode: 'server', url: own.url, fingerprint: certA.fingerprint }));
      await ok(backend.api(1, 'auth.login', { username: 'admin', password: ADMIN_PASSWORD }));
      const seen = own.seen.length;

      own.swapCertificate(certB);
      const refused = await backend.api(1, 'users.list', {});
      expect(refused).toEqual({
        ok: false,
        error: { code: 'INTERNAL', message: CONNECTION_MESSAGES.certificateChanged, details: { connection: 'certificate-changed' } },
      });
      expect(backend.state()).toMatchObject({ mode: 'server', problem: 'certificate-changed' });
      const connections = own.connections;
      expect(await backend.api(1, 'auth.login', { username: 'admin', password: ADMIN_PASSWORD })).toMatchObject({ ok: false, error: { details: { connection: 'certificate-changed' } } });
      expect(own.connections).toBe(connections); // not even a handshake any more
      expect(own.seen.length).toBe(seen);

      expect(await ok<ConnectionState>(backend.connection('reset'))).toEqual({ mode: 'unconfigured' });
      expect(existsSync(connectionFile(dataDir))).toBe(false);
      // Set up again with the new fingerprint (after checking it with the administrator).
      const probe = await ok<ServerProbe>(backend.connection('probe', { url: own.url }));
      expect(probe.fingerprint).toBe(certB.fingerprint);
      await ok(backend.connection('confirm', { mode: 'server', url: own.url, fingerprint: probe.fingerprint }));
      // The old window session was dropped with the old connection.
      expect(await backend.api(1, 'users.list', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
      expect(own.seen.length).toBe(seen + 1);
    } finally {
      await own.close();
    }
  });
});
