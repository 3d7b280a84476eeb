/**
 * The browser host (main/host/server.ts) and the center server's TLS front (main/server/server.ts), each
 * with a real App behind it, spoken to over real sockets (the server through TLS pinned to its
 * certificate's fingerprint): loopback only, Host / Origin / Sec-Fetch-Site checks (DNS rebinding and
 * other sites get nothing), the session token in a header and never a cookie, security headers, static
 * files without traversal, the body limits, and the health check.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../main/contract/envelope';
import { SESSION_HEADER } from '../../main/host/server';
import { createTestApp, type TestApp } from '../helpers/app';
import { FRONTS, startFront, type Front } from '../helpers/fronts';
import { row as dbRow } from '../helpers/db';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

const CJK = /[\u3400-\u9fff]/;
const SECRET = 'TOP-SECRET-OUTSIDE-THE-STATIC-FOLDER';
const INDEX = '<!doctype html><title>社福中心工作台</title>';

describe.each(FRONTS)('HTTP front: %s', (kind) => {
  let t: TestApp;
  let host: Front;
  let dir: string;
  let setupCode: string;
  const allSetCookies: string[] = [];

  /** A raw request: every header exactly as given (Host included), no agent, no keep-alive. */
  function send(opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer; host?: string }): Promise<Reply> {
    return new Promise((resolve, reject) => {
      const req = host.request(
        {
          ...(opts.host === undefined ? {} : { host: opts.host }),
          method: opts.method ?? 'GET',
          path: opts.path,
          setHost: false,
          headers: { Host: `127.0.0.1:${host.port}`, ...opts.headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const setCookie = res.headers['set-cookie'];
            if (setCookie) allSetCookies.push(...setCookie);
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
          });
        },
      );
      req.on('error', reject);
      req.setTimeout(5000, () => req.destroy(new Error(`no reply to ${opts.path}`)));
      if (opts.body !== undefined) req.write(opts.body);
      req.end();
    });
  }

  const api = (method: string, payload: unknown, headers: Record<string, string> = {}) =>
    send({ method: 'POST', path: `/api/${method}`, headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(payload) });
  const envelope = (r: Reply) => JSON.parse(r.body) as Envelope<Record<string, unknown>>;

  /** Writes a raw request line and headers on a socket; resolves with whatever comes back. */
  function rawSocket(text: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = host.connect();
      let out = '';
      socket.on('data', (d) => (out += d.toString('utf8')));
      socket.on('end', () => resolve(out));
      socket.on('close', () => resolve(out));
      socket.on('error', reject);
      socket.once(host.readyEvent, () => {
        socket.write(text);
        setTimeout(() => socket.end(), 300);
      });
    });
  }

  beforeAll(async () => {
    t = await createTestApp();
    dir = mkdtempSync(join(tmpdir(), 'wd-host-'));
    const staticDir = join(dir, 'renderer');
    mkdirSync(join(staticDir, 'assets'), { recursive: true });
    writeFileSync(join(staticDir, 'index.html'), INDEX);
    writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log("app");');
    writeFileSync(join(dir, 'secret.txt'), SECRET);
    writeFileSync(join(dir, 'renderer-secret.txt'), SECRET); // a sibling whose name starts like the folder's
    host = await startFront(kind, t.app.dispatcher, staticDir, join(dir, 'server-data'));
    setupCode = t.app.ctx.setupGate.issue();
  });
  afterAll(async () => {
    await host?.close();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
    // Checked here too, over every reply of the file.
    expect(allSetCookies).toEqual([]);
  });

  it('listens on 127.0.0.1 only, on the port it was given (0: a free one)', async () => {
    const address = host.server.address();
    expect(address).toMatchObject({ address: '127.0.0.1', family: 'IPv4', port: host.port });
    expect(host.port).toBeGreaterThan(0);
    expect(host.url).toBe(`${host.scheme}://127.0.0.1:${host.port}/`);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal);
    if (external) {
      // Reaching the same port through the machine's network address must fail.
      await expect(send({ path: '/', host: external.address })).rejects.toThrow(/ECONNREFUSED|EHOSTUNREACH|ETIMEDOUT/);
    }
  });

  it('serves the app shell with the security headers, and no cookie', async () => {
    const r = await send({ path: '/' });
    expect(r.status).toBe(200);
    expect(r.body).toBe(INDEX);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['content-security-policy']).toContain("default-src 'self'");
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    expect(r.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect(r.headers['set-cookie']).toBeUndefined();
    expect((await send({ path: '/assets/app.js' })).body).toBe('console.log("app");');
    expect((await send({ path: '/cases/12' })).body).toBe(INDEX); // client-side routes fall back to the shell
  });

  it.each([
    ['a hostile name (DNS rebinding)', { Host: 'evil.example:PORT' }],
    ['a hostile name without the port', { Host: 'evil.example' }],
    ['another port on loopback', { Host: '127.0.0.1:1' }],
    ['0.0.0.0', { Host: '0.0.0.0:PORT' }],
    ['an Origin of another site', { Origin: 'https://evil.example' }],
    ['an Origin of another local port', { Origin: 'http://127.0.0.1:1' }],
    ['the opaque Origin "null" (sandboxed frames, file://)', { Origin: 'null' }],
    ['its own address with the other scheme', { Origin: 'OTHER://127.0.0.1:PORT' }],
    ['a name the server does not answer to, on its port', { Host: 'welfare.example:PORT' }],
    ['Sec-Fetch-Site: cross-site', { 'Sec-Fetch-Site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site (another port of localhost)', { 'Sec-Fetch-Site': 'same-site' }],
  ])('refuses %s with 403 on the API and on static files, and runs nothing', async (_label, headers) => {
    const other = host.scheme === 'https' ? 'http' : 'https';
    const h = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v.replace('PORT', String(host.port)).replace('OTHER', other)]));
    const auditBefore = (await dbRow(t.app, 'select count(*) as n from audit_log'));
    for (const r of [
      await api('auth.setup', { setupCode, centerName: '惡意', username: 'evil', displayName: '惡意', password: 'Evil12345' }, h),
      await api('auth.status', {}, h),
      await send({ path: '/', headers: h }),
      await send({ path: '/health', headers: h }),
    ]) {
      expect(r.status).toBe(403);
      expect(envelope(r)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: expect.stringMatching(CJK) } });
      expect(r.body).not.toContain(INDEX);
      expect(r.headers['content-security-policy']).toBeDefined();
    }
    expect(await t.app.needsSetup()).toBe(true);
    expect((await dbRow(t.app, 'select count(*) as n from audit_log'))).toEqual(auditBefore);
  });

  it('refuses a request with no Host header at all (HTTP/1.0)', async () => {
    const reply = await rawSocket('GET / HTTP/1.0\r\n\r\n');
    expect(reply).toMatch(/^HTTP\/1\.[01] 403/);
  });

  it('accepts its own origin, by address or by localhost, and same-origin fetches', async () => {
    const variants: Record<string, string>[] = [
      { Origin: `${host.scheme}://127.0.0.1:${host.port}`, 'Sec-Fetch-Site': 'same-origin' },
      { Host: `localhost:${host.port}`, Origin: `${host.scheme}://localhost:${host.port}` },
      { Host: `LOCALHOST:${host.port}` },
      { 'Sec-Fetch-Site': 'none' },
    ];
    for (const headers of variants) {
      const r = await api('auth.status', {}, headers);
      expect(r.status).toBe(200);
      expect(envelope(r)).toMatchObject({ ok: true, value: { needsSetup: true, setupCodeRequired: true } });
    }
  });

  it('GET /health answers {"status":"ok"} and nothing else, without touching sessions or the audit log', async () => {
    const before = (await dbRow(t.app, 'select (select count(*) from audit_log) as audit, (select count(*) from sessions) as sessions'));
    const r = await send({ path: '/health', headers: { 'X-Welfare-Session': 'x'.repeat(43) } });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ status: 'ok' });
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers['content-security-policy']).toBeDefined();
    expect((await send({ method: 'POST', path: '/health', headers: { 'Content-Type': 'application/json' }, body: '{}' })).status).toBe(405);
    expect((await dbRow(t.app, 'select (select count(*) from audit_log) as audit, (select count(*) from sessions) as sessions'))).toEqual(before);
  });

  it('first-run setup over HTTP needs the printed code', async () => {
    const wrong = await api('auth.setup', { setupCode: '0000-0000', centerName: '中心', username: 'boss', displayName: '主任', password: 'Boss12345' });
    expect(envelope(wrong)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const ok = await api('auth.setup', { setupCode, centerName: '中心', username: 'boss', displayName: '主任', password: 'Boss12345' });
    expect(envelope(ok)).toMatchObject({ ok: true, value: { user: { username: 'boss', role: 'admin' } } });
    expect(ok.headers['set-cookie']).toBeUndefined();
  });

  it('the session token travels in X-Welfare-Session only: never a cookie, and a cookie is not read', async () => {
    const login = await api('auth.login', { username: 'boss', password: 'Boss12345' });
    expect(login.headers['set-cookie']).toBeUndefined();
    expect(login.headers['cache-control']).toBe('no-store');
    const token = (envelope(login) as { ok: true; value: { token: string } }).value.token;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(SESSION_HEADER).toBe('x-welfare-session');

    const withHeader = envelope(await api('auth.status', {}, { 'X-Welfare-Session': token }));
    expect(withHeader).toMatchObject({ ok: true, value: { session: { user: { username: 'boss' }, token: null } } });
    expect(envelope(await api('users.list', {}, { 'X-Welfare-Session': token })).ok).toBe(true);

    for (const cookie of [`x-welfare-session=${token}`, `session=${token}`, `token=${token}`]) {
      const viaCookie = envelope(await api('users.list', {}, { Cookie: cookie }));
      expect(viaCookie).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    }
    const viaQuery = envelope(await send({ method: 'POST', path: `/api/users.list?token=${token}`, headers: { 'Content-Type': 'application/json' }, body: '{}' }));
    expect(viaQuery).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('answers only POST with JSON on /api/', async () => {
    expect((await send({ path: '/api/auth.status' })).status).toBe(405);
    const form = await send({ method: 'POST', path: '/api/auth.status', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=1' });
    expect(form.status).toBe(415);
    const plain = await send({ method: 'POST', path: '/api/auth.status', headers: { 'Content-Type': 'text/plain' }, body: '{}' });
    expect(plain.status).toBe(415);
    expect(envelope(plain).ok).toBe(false);
  });

  it('invalid JSON is VALIDATION (400); JSON that is not an object is VALIDATION too', async () => {
    for (const body of ['{', '{"username": }', 'undefined', "{'a':1}", '\u0000']) {
      const r = await send({ method: 'POST', path: '/api/auth.login', headers: { 'Content-Type': 'application/json' }, body });
      expect(r.status, body).toBe(400);
      expect(envelope(r)).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: expect.stringMatching(CJK) } });
    }
    for (const body of ['null', '"x"', '[]', '42', 'true']) {
      const r = await send({ method: 'POST', path: '/api/auth.status', headers: { 'Content-Type': 'application/json' }, body });
      expect(envelope(r), body).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
    const proto = await send({ method: 'POST', path: '/api/auth.status', headers: { 'Content-Type': 'application/json' }, body: '{"__proto__": {"role": "admin"}}' });
    expect(envelope(proto)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('unknown and prototype method names are UNKNOWN_METHOD', async () => {
    for (const m of ['__proto__', 'constructor', 'toString', 'users.delete', '', 'auth.status/..', '..%2fauth.status']) {
      expect(envelope(await api(m, {})), m).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    }
  });

  it('a body over the method limit is PAYLOAD_TOO_LARGE; one over the host limit is refused with 413', async () => {
    const over = await api('auth.login', { username: 'boss', password: 'x'.repeat(70 * 1024) });
    expect(envelope(over)).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(CJK) } });
    const huge = Buffer.alloc(33 * 1024 * 1024, 0x20);
    const r = await send({ method: 'POST', path: '/api/auth.login', headers: { 'Content-Type': 'application/json' }, body: huge });
    expect(r.status).toBe(413);
    expect(envelope(r)).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it.each([
    '/../secret.txt',
    '/../../../../../../etc/passwd',
    '/..%2fsecret.txt',
    '/%2e%2e/secret.txt',
    '/%2e%2e%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/..%5csecret.txt',
    '/%5c..%5csecret.txt',
    '/..%2f..%2frenderer-secret.txt',
    '/../renderer-secret.txt',
    '//../secret.txt',
  ])('never serves a file outside the static folder: %s', async (path) => {
    const r = await send({ path });
    expect(r.body).not.toContain(SECRET);
    expect([200, 400, 404]).toContain(r.status);
    if (r.status === 200) expect(r.body).toBe(INDEX);
  });

  it('a malformed %-escape or a NUL in the path is a 400, and the host keeps serving', async () => {
    for (const path of ['/%E0%A4%A', '/%', '/assets/%zz.js', '/index.html%00.js']) {
      const r = await send({ path });
      expect(r.status, path).toBe(400);
    }
    expect((await send({ path: '/' })).status).toBe(200);
  });

  it('an unparsable absolute request target does not bring the host down', async () => {
    const reply = await rawSocket(`GET http://[::1 HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nConnection: close\r\n\r\n`);
    expect(reply).toMatch(/^HTTP\/1\.1 (400|403|404)/);
    expect((await send({ path: '/' })).status).toBe(200);
  });
});
