/**
 * The desktop client of the center server (main/client/remote.ts) against a real TLS server answering
 * with a real Dispatcher: calls work, the certificate pin holds (nothing reaches a server whose
 * certificate changed), the probe reads the fingerprint the server computed, and a write whose answer
 * was lost is retried with the same request id.
 */
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONNECTION_MESSAGES, fingerprintLines, normalizeFingerprint, parseServerUrl } from '../../main/contract/connection';
import type { SessionView, UserView } from '../../main/contract/types';
import { createRemoteDispatcher, probeServer, ServerUrlError, type RemoteDispatcher } from '../../main/client/remote';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '../helpers/app';
import { makeCertificate, startTlsCenter, type TestCertificate, type TlsCenter } from '../helpers/tls-center';

let t: TestApp;
let certA: TestCertificate;
let certB: TestCertificate;

beforeAll(async () => {
  t = await createTestApp();
  await t.setupAdmin();
  [certA, certB] = await Promise.all([makeCertificate(), makeCertificate('別的伺服器')]);
}, 60_000);
afterAll(async () => {
  await t.close();
});

async function signIn(remote: RemoteDispatcher): Promise<string> {
  const env = await remote.dispatch({ method: 'auth.login', payload: { username: 'admin', password: ADMIN_PASSWORD }, token: null });
  expect(env.ok).toBe(true);
  const token = (env as { value: SessionView }).value.token;
  expect(token).toBeTruthy();
  return token as string;
}

describe('remote dispatcher over TLS, pinned', () => {
  let center: TlsCenter;
  beforeAll(async () => {
    center = await startTlsCenter(t.app.dispatcher, certA);
  });
  afterAll(async () => {
    await center.close();
  });

  it('signs in through the center server and then reads with the session', async () => {
    const remote = createRemoteDispatcher({ url: center.url, fingerprint: certA.fingerprint });
    try {
      const token = await signIn(remote);
      const list = await remote.dispatch({ method: 'users.list', payload: {}, token });
      expect(list.ok).toBe(true);
      expect((list as { value: UserView[] }).value.map((u) => u.username)).toContain('admin');
      // Without the token the same read is refused by the real dispatcher.
      const anon = await remote.dispatch({ method: 'users.list', payload: {}, token: null });
      expect(anon).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
      expect(center.seen.slice(-3).map((s) => [s.method, s.hadToken])).toEqual([
        ['auth.login', false],
        ['users.list', true],
        ['users.list', false],
      ]);
    } finally {
      remote.close();
    }
  });

  it('accepts the pin in any case and without colons', async () => {
    const bare = certA.fingerprint.replace(/:/g, '').toLowerCase();
    const remote = createRemoteDispatcher({ url: center.url, fingerprint: bare });
    try {
      expect((await remote.dispatch({ method: 'auth.status', payload: {}, token: null })).ok).toBe(true);
    } finally {
      remote.close();
    }
  });

  it('probe returns the fingerprint the server computed and sends no request', async () => {
    const before = center.seen.length;
    const connections = center.connections;
    const probe = await probeServer(center.url);
    expect(probe.fingerprint).toBe(certA.fingerprint);
    expect(probe.url).toBe(center.url);
    expect(probe.subject.commonName).toBe('社福中心伺服器');
    expect(probe.trusted).toBe(false); // self-signed
    expect(center.seen.length).toBe(before);
    expect(center.connections).toBe(connections + 1);
    expect(fingerprintLines(probe.fingerprint)).toHaveLength(4);
  });

  it('refuses plain http:// addresses before connecting', async () => {
    const plain = center.url.replace('https://', 'http://');
    expect(() => createRemoteDispatcher({ url: plain, fingerprint: certA.fingerprint })).toThrow(ServerUrlError);
    await expect(probeServer(plain)).rejects.toThrow(CONNECTION_MESSAGES.urlNotHttps);
    expect(parseServerUrl(plain)).toEqual({ ok: false, message: CONNECTION_MESSAGES.urlNotHttps });
    expect(parseServerUrl('192.168.1.10:8443')).toEqual({ ok: true, url: 'https://192.168.1.10:8443' });
    expect(parseServerUrl('https://center.example/api')).toEqual({ ok: false, message: CONNECTION_MESSAGES.urlHasPath });
  });

  it('retries a write whose answer was lost with the same request id', async () => {
    const remote = createRemoteDispatcher({ url: center.url, fingerprint: certA.fingerprint, isWrite: (m) => m === 'users.create', retryDelayMs: 20 });
    try {
      const token = await signIn(remote);
      const before = center.seen.length;
      center.dropNextAnswer.add('users.create');
      const env = await remote.dispatch({
        method: 'users.create',
        payload: { username: 'retried', displayName: '重送測試', role: 'worker', teamId: null, initialPassword: 'Initial123' },
        token,
      });
      expect(env).toMatchObject({ ok: true, value: { username: 'retried' } });
      const attempts = center.seen.slice(before);
      expect(attempts.map((s) => s.method)).toEqual(['users.create', 'users.create']);
      expect(attempts[0]!.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(attempts[1]!.requestId).toBe(attempts[0]!.requestId);
      // Applied once.
      const users = await t.call('users.list', {}, token);
      expect(users.filter((u) => u.username === 'retried')).toHaveLength(1);
      // Reads carry no request id.
      expect(center.seen.find((s) => s.method === 'auth.login')?.requestId).toBeNull();
    } finally {
      remote.close();
    }
  });

  it('does not retry a read whose answer was lost: a clear network error instead', async () => {
    const remote = createRemoteDispatcher({ url: center.url, fingerprint: certA.fingerprint, isWrite: () => false, retryDelayMs: 20 });
    try {
      const before = center.seen.length;
      center.dropNextAnswer.add('auth.status');
      const env = await remote.dispatch({ method: 'auth.status', payload: {}, token: null });
      expect(env).toEqual({ ok: false, error: { code: 'INTERNAL', message: CONNECTION_MESSAGES.unreachable, details: { connection: 'unreachable' } } });
      expect(center.seen.length).toBe(before + 1);
    } finally {
      remote.close();
    }
  });

  it('gives up on a server that does not answer in time', async () => {
    const remote = createRemoteDispatcher({ url: center.url, fingerprint: certA.fingerprint, requestTimeoutMs: 300 });
    try {
      center.hang.add('auth.status');
      const env = await remote.dispatch({ method: 'auth.status', payload: {}, token: null });
      expect(env).toMatchObject({ ok: false, error: { message: CONNECTION_MESSAGES.timeout, details: { connection: 'timeout' } } });
    } finally {
      center.hang.delete('auth.status');
      remote.close();
    }
  });
});

describe('a changed certificate is refused before anything is sent', () => {
  it('refuses the server after it swapped its certificate: no token, no payload, no request reaches it', async () => {
    const center = await startTlsCenter(t.app.dispatcher, certA);
    const remote = createRemoteDispatcher({ url: center.url, fingerprint: certA.fingerprint });
    try {
      const token = await signIn(remote);
      expect(center.seen).toHaveLength(1);

      center.swapCertificate(certB);
      const connections = center.connections;
      const env = await remote.dispatch({ method: 'users.list', payload: {}, token });
      expect(env).toEqual({
        ok: false,
        error: { code: 'INTERNAL', message: CONNECTION_MESSAGES.certificateChanged, details: { connection: 'certificate-changed' } },
      });
      expect(CONNECTION_MESSAGES.certificateChanged).toBe(
        '中心伺服器的憑證與先前確認的不同，可能是伺服器換了憑證或連線被攔截。請向系統管理者確認新的憑證指紋後，重新設定連線。',
      );
      // A sign-in (password in the payload) is refused the same way, and is not retried.
      const login = await remote.dispatch({ method: 'auth.login', payload: { username: 'admin', password: ADMIN_PASSWORD }, token: null });
      expect(login).toMatchObject({ ok: false, error: { details: { connection: 'certificate-changed' } } });
      // The connections were made (and the certificate seen), the requests never sent.
      expect(center.connections).toBeGreaterThan(connections);
      expect(center.seen).toHaveLength(1);
      // The probe now shows the new fingerprint, for the user to check with the administrator.
      expect((await probeServer(center.url)).fingerprint).toBe(certB.fingerprint);
      expect(normalizeFingerprint(certB.fingerprint)).not.toBe(certA.fingerprint);
    } finally {
      remote.close();
      await center.close();
    }
  });

  it('refuses another server at the pinned address from the first call', async () => {
    const other = await startTlsCenter(t.app.dispatcher, certB);
    const remote = createRemoteDispatcher({ url: other.url, fingerprint: certA.fingerprint });
    try {
      const env = await remote.dispatch({ method: 'auth.login', payload: { username: 'admin', password: ADMIN_PASSWORD }, token: null });
      expect(env).toMatchObject({ ok: false, error: { message: CONNECTION_MESSAGES.certificateChanged } });
      expect(other.connections).toBe(1);
      expect(other.seen).toEqual([]);
    } finally {
      remote.close();
      await other.close();
    }
  });
});

describe('network failures', () => {
  it('a closed port becomes a zh-TW network error envelope', async () => {
    const tcp = createTcpServer();
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    const { port } = tcp.address() as AddressInfo;
    await new Promise<void>((r) => tcp.close(() => r()));
    const remote = createRemoteDispatcher({ url: `https://127.0.0.1:${port}`, fingerprint: certA.fingerprint, retryDelayMs: 10 });
    try {
      const env = await remote.dispatch({ method: 'auth.status', payload: {}, token: null });
      expect(env).toEqual({ ok: false, error: { code: 'INTERNAL', message: CONNECTION_MESSAGES.unreachable, details: { connection: 'unreachable' } } });
      await expect(probeServer(`https://127.0.0.1:${port}`)).rejects.toMatchObject({ problem: 'unreachable' });
    } finally {
      remote.close();
    }
  });

  it('a server that is not TLS at all is a network error, not a hang', async () => {
    const tcp = createTcpServer((s) => s.end('HTTP/1.1 400 Bad Request\r\n\r\n'));
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    const { port } = tcp.address() as AddressInfo;
    const remote = createRemoteDispatcher({ url: `https://127.0.0.1:${port}`, fingerprint: certA.fingerprint, retryDelayMs: 10 });
    try {
      const env = await remote.dispatch({ method: 'auth.status', payload: {}, token: null });
      expect(env).toMatchObject({ ok: false, error: { code: 'INTERNAL', details: { connection: 'unreachable' } } });
    } finally {
      remote.close();
      tcp.close();
    }
  });
});
