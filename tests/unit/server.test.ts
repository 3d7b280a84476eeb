/**
 * The center server (issue 10): its configuration, its certificate and fingerprint, TLS only on its
 * port, the per-address rate limit, system.serverInfo for the administrator, and `npm run server`
 * itself (printed URL, fingerprint and setup code; a clean stop). Real SQLite data folders, real
 * sockets on 127.0.0.1:0; the server is trusted only by its certificate's fingerprint.
 */
import { row as dbRow } from '../helpers/db';
import { spawn, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect as netConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generate } from 'selfsigned';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, dropDatabase, onPostgres } from '../helpers/pg';
import type { Envelope } from '../../main/contract/envelope';
import { ConfigError, parseServerConfig, readServerConfig } from '../../main/server/config';
import { openServerApp } from '../../main/server/app';
import { startCenterServer, type RunningCenterServer } from '../../main/server/server';
import { loadOrCreateCertificate } from '../../main/server/tls';
import { ADMIN_PASSWORD, createTestApp, openSession } from '../helpers/app';
import { callOver, pinnedAgent, pinnedTls, serverConfig, startFront } from '../helpers/fronts';

const ROOT = resolve(__dirname, '../..');
const CJK = /[\u3400-\u9fff]/;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wd-server-'));
  mkdirSync(join(dir, 'renderer'));
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><title>社福中心工作台</title>');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('the configuration file', () => {
  const base = { listen: '192.168.1.10', publicNames: ['welfare-server', '192.168.1.10'], dataDir: 'data' };

  it('takes a minimal file and fills in the port, SQLite and the rate limit; paths are from the file\'s folder', () => {
    const file = join(dir, 'conf', 'server.json');
    mkdirSync(join(dir, 'conf'), { recursive: true });
    writeFileSync(file, JSON.stringify({ ...base, tls: { certFile: 'tls/cert.pem', keyFile: '/etc/x/key.pem' } }));
    const c = readServerConfig(file);
    expect(c).toMatchObject({ listen: '192.168.1.10', port: 8443, database: { engine: 'sqlite' }, rateLimit: { max: 1200, windowSeconds: 60 } });
    expect(c.dataDir).toBe(join(dir, 'conf', 'data'));
    expect(c.tls).toEqual({ certFile: join(dir, 'conf', 'tls', 'cert.pem'), keyFile: '/etc/x/key.pem' });
  });

  it('accepts a PostgreSQL database with its URL', () => {
    const c = parseServerConfig({ ...base, database: { engine: 'postgres', url: 'postgres://welfare@db.city.gov.tw/welfare' } }, dir);
    expect(c.database).toEqual({ engine: 'postgres', url: 'postgres://welfare@db.city.gov.tw/welfare' });
  });

  it.each([
    ['port', { port: 70000 }, /欄位 port/],
    ['port', { port: '8443' }, /欄位 port/],
    ['listen', { listen: 'welfare-server' }, /欄位 listen：必須是 IP 位址/],
    ['publicNames', { publicNames: [] }, /欄位 publicNames：至少要有一個/],
    ['publicNames.0', { publicNames: ['https://welfare-server:8443'] }, /欄位 publicNames\.0：必須是主機名稱/],
    ['database.url', { database: { engine: 'postgres' } }, /欄位 database\.url/],
    ['database.engine', { database: { engine: 'mysql' } }, /欄位 database\.engine/],
    ['tls.keyFile', { tls: { certFile: 'a.pem' } }, /欄位 tls\.keyFile/],
    ['rateLimit.max', { rateLimit: { max: 1, windowSeconds: 60 } }, /欄位 rateLimit\.max/],
  ])('a bad %s is refused in zh-TW naming the field', (field, over, pattern) => {
    const e = configError(() => parseServerConfig({ ...base, ...over }, dir));
    expect(e.field).toBe(field);
    expect(e.message).toMatch(pattern);
    expect(e.message).toMatch(CJK);
  });

  it('names a missing field, an unknown one, a missing file and a file that is not JSON', () => {
    expect(configError(() => parseServerConfig({ listen: '127.0.0.1', publicNames: ['a'] }, dir)).message).toMatch(/欄位 dataDir/);
    expect(configError(() => parseServerConfig({ ...base, ports: 1 }, dir)).message).toMatch(/不認得的欄位 ports/);
    expect(configError(() => readServerConfig(join(dir, 'nope.json'))).message).toMatch(/找不到設定檔/);
    writeFileSync(join(dir, 'bad.json'), '{ "listen": "127.0.0.1", }');
    expect(configError(() => readServerConfig(join(dir, 'bad.json'))).message).toMatch(/不是有效的 JSON/);
  });

  it('the example file in docs/ is a valid configuration', () => {
    const text = readFileSync(join(ROOT, 'docs', 'server.example.json'), 'utf8');
    const c = readServerConfig(join(ROOT, 'docs', 'server.example.json'));
    expect(text).toContain('"//publicNames"');
    expect(c).toMatchObject({ listen: '192.168.1.10', port: 8443, database: { engine: 'sqlite' }, tls: { certFile: '/etc/welfare-desk/server-cert.pem' } });
  });

  it.runIf(onPostgres)('a PostgreSQL configuration is served from that database, not from a SQLite file in the data folder', async () => {
    const d = await createTestDatabase(inject('pgTemplate'));
    const dataDir = join(dir, 'pg-data');
    const config = serverConfig(dataDir, { database: { engine: 'postgres', url: d.url } });
    const app = await openServerApp(config, { serverInfo: () => ({ deployment: 'center', url: null, fingerprint: null }) });
    try {
      expect(app.database.engine).toBe('postgres');
      expect(await app.needsSetup()).toBe(true);
      expect(existsSync(join(dataDir, 'welfare-desk.db'))).toBe(false);
      expect(existsSync(join(dataDir, 'keys.json'))).toBe(true);
    } finally {
      await app.close();
      await dropDatabase(d.name);
    }
  });
});

describe('the certificate', () => {
  it('a self-signed one is made on first start in <dataDir>/tls, for the public names and the address, and kept', async () => {
    const dataDir = join(dir, 'cert-data');
    const config = { dataDir, listen: '10.1.2.3', publicNames: ['welfare-server', 'welfare-server.city.gov.tw', '192.168.1.10'], tls: undefined };
    const first = await loadOrCreateCertificate(config);
    expect(first.selfSigned).toBe(true);
    expect(first.certFile).toBe(join(dataDir, 'tls', 'server-cert.pem'));
    expect(statSync(first.keyFile).mode & 0o077).toBe(0);
    const x509 = new X509Certificate(readFileSync(first.certFile));
    expect(x509.subjectAltName).toBe('DNS:welfare-server, DNS:welfare-server.city.gov.tw, IP Address:192.168.1.10, IP Address:10.1.2.3');
    expect(first.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(first.fingerprint).toBe(x509.fingerprint256);
    expect(first.uncoveredNames).toEqual([]);
    expect(first.validTo.getTime() - Date.now()).toBeGreaterThan(9 * 365 * 24 * 3600 * 1000);
    // The key is P-256 (or RSA 2048): a small, modern key.
    expect(x509.publicKey.asymmetricKeyDetails).toMatchObject({ namedCurve: 'prime256v1' });
    // openssl prints the same fingerprint, when it is installed.
    const openssl = spawnSync('openssl', ['x509', '-in', first.certFile, '-noout', '-fingerprint', '-sha256'], { encoding: 'utf8' });
    if (openssl.status === 0) expect(openssl.stdout.trim()).toBe(`sha256 Fingerprint=${first.fingerprint}`);
    // A restart keeps it: PCs pinned this fingerprint.
    const again = await loadOrCreateCertificate({ ...config, publicNames: [...config.publicNames, 'other-name'] });
    expect(again.fingerprint).toBe(first.fingerprint);
    expect(again.uncoveredNames).toEqual(['other-name']);
  });

  it('the administrator\'s own certificate is used as is; a key of another pair is refused in zh-TW', async () => {
    const tlsDir = join(dir, 'admin-tls');
    mkdirSync(tlsDir);
    const a = await generate([{ name: 'commonName', value: 'welfare.city.gov.tw' }], { keyType: 'ec', algorithm: 'sha256' });
    const b = await generate([{ name: 'commonName', value: 'other' }], { keyType: 'ec', algorithm: 'sha256' });
    writeFileSync(join(tlsDir, 'cert.pem'), a.cert);
    writeFileSync(join(tlsDir, 'key.pem'), a.private);
    writeFileSync(join(tlsDir, 'other-key.pem'), b.private);
    const config = { dataDir: join(dir, 'admin-data'), listen: '0.0.0.0', publicNames: ['welfare.city.gov.tw'] };
    const cert = await loadOrCreateCertificate({ ...config, tls: { certFile: join(tlsDir, 'cert.pem'), keyFile: join(tlsDir, 'key.pem') } });
    expect(cert).toMatchObject({ selfSigned: false, fingerprint: new X509Certificate(a.cert).fingerprint256, uncoveredNames: [] });
    const wrongKey = loadOrCreateCertificate({ ...config, tls: { certFile: join(tlsDir, 'cert.pem'), keyFile: join(tlsDir, 'other-key.pem') } });
    await expect(wrongKey).rejects.toThrow(/不是同一組/);
    const missing = loadOrCreateCertificate({ ...config, tls: { certFile: join(tlsDir, 'none.pem'), keyFile: join(tlsDir, 'key.pem') } });
    await expect(missing).rejects.toMatchObject({ name: 'ConfigError', field: 'tls.certFile' });
  });
});

describe('the running center server', () => {
  let server: RunningCenterServer;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = join(dir, 'center');
    server = await startCenterServer(serverConfig(dataDir), { staticDir: join(dir, 'renderer'), now: () => new Date('2026-03-05T02:00:00.000Z') });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('speaks TLS with the certificate whose fingerprint it printed', async () => {
    const socket = pinnedTls(server.http.port, server.certificate.fingerprint);
    const seen = await new Promise<string>((res, rej) => {
      socket.once('secureConnect', () => res(socket.getPeerCertificate().fingerprint256));
      socket.once('error', rej);
    });
    socket.destroy();
    expect(seen).toBe(server.certificate.fingerprint);
    expect(server.url).toBe(`https://127.0.0.1:${server.http.port}/`);
    expect(server.http.server.address()).toMatchObject({ address: '127.0.0.1' });
  });

  it('a client pinned to another fingerprint is cut off before it reads an answer', async () => {
    const wrong = server.certificate.fingerprint.replace(/^../, server.certificate.fingerprint.startsWith('00') ? '11' : '00');
    const agent = pinnedAgent(server.http.port, wrong);
    await expect(callOver({ port: server.http.port, scheme: 'https' }, agent, 'auth.status', {}, null)).rejects.toThrow(/fingerprint/);
    agent.destroy();
  });

  it('refuses plain HTTP on its port: no API answer, and nothing runs', async () => {
    const auditBefore = (await dbRow(server.app, 'select count(*) as n from audit_log'));
    const port = server.http.port;
    const plain = await new Promise<{ status: number | null; body: string } | Error>((res) => {
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/api/auth.status', headers: { Host: `127.0.0.1:${port}`, 'Content-Type': 'application/json' }, agent: false }, (r) => {
        let body = '';
        r.on('data', (d: Buffer) => (body += d.toString()));
        r.on('end', () => res({ status: r.statusCode ?? null, body }));
      });
      req.on('error', (e) => res(e));
      req.setTimeout(5000, () => req.destroy(new Error('timeout')));
      req.end('{}');
    });
    if (!(plain instanceof Error)) {
      expect(plain.body).not.toContain('"ok"');
      expect(plain.body).not.toContain('needsSetup');
    }
    // On a raw socket: whatever comes back is not HTTP carrying an envelope.
    const raw = await new Promise<string>((res) => {
      const s = netConnect(port, '127.0.0.1');
      let out = '';
      s.on('data', (d) => (out += d.toString('latin1')));
      s.on('close', () => res(out));
      s.on('error', () => res(out));
      s.write(`POST /api/auth.setup HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`);
      setTimeout(() => s.destroy(), 1000);
    });
    expect(raw).not.toMatch(/^HTTP\/1\.1 200/);
    expect(raw).not.toContain('"ok"');
    expect((await dbRow(server.app, 'select count(*) as n from audit_log'))).toEqual(auditBefore);
  });

  it('system.serverInfo tells the administrator the deployment, URL and fingerprint, and nobody else', async () => {
    const agent = pinnedAgent(server.http.port, server.certificate.fingerprint);
    const front = { port: server.http.port, scheme: 'https' as const };
    expect(await callOver(front, agent, 'system.serverInfo', {}, null)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    const code = server.app.ctx.setupGate.issue();
    const setup = (await callOver(front, agent, 'auth.setup', { setupCode: code, centerName: '中心', username: 'admin', displayName: '主任', password: ADMIN_PASSWORD }, null)) as Envelope<{ token: string }>;
    expect(setup, JSON.stringify(setup)).toMatchObject({ ok: true });
    const adminToken = setup.ok ? setup.value.token : '';
    expect(await callOver(front, agent, 'system.serverInfo', {}, adminToken)).toEqual({
      ok: true,
      value: { deployment: 'center', url: server.url, fingerprint: server.certificate.fingerprint },
    });
    const user = await callOver(front, agent, 'users.create', { username: 'worker1', displayName: '社工', role: 'worker', teamId: null, initialPassword: 'Initial123' }, adminToken);
    expect(user, JSON.stringify(user)).toMatchObject({ ok: true });
    const workerToken = await openSession(server.app, (user as { ok: true; value: { id: number } }).value.id, new Date('2026-03-05T02:00:00.000Z'));
    expect(await callOver(front, agent, 'system.serverInfo', {}, workerToken)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    agent.destroy();
  });
});

describe('the single-PC app', () => {
  it('system.serverInfo says single, with no URL or fingerprint', async () => {
    const t = await createTestApp();
    try {
      const admin = await t.setupAdmin();
      expect(await t.call('system.serverInfo', {}, admin)).toEqual({ deployment: 'single', url: null, fingerprint: null });
    } finally {
      await t.close();
    }
  });
});

describe('the rate limit', () => {
  it('one address over its limit gets a zh-TW 429 and runs nothing; the limit comes from the configuration', async () => {
    const t = await createTestApp();
    const front = await startFront('server', t.app.dispatcher, join(dir, 'renderer'), join(dir, 'rl-data'), { rateLimit: { max: 10, windowSeconds: 60 } });
    const agent = pinnedAgent(front.port, front.fingerprint as string);
    try {
      const answers: Envelope<unknown>[] = [];
      for (let i = 0; i < 12; i++) answers.push(await callOver(front, agent, 'auth.status', {}, null));
      expect(answers.slice(0, 10).every((a) => a.ok)).toBe(true);
      expect(answers[10]).toMatchObject({ ok: false, error: { code: 'RULE', message: expect.stringMatching(/操作過於頻繁/) } });
      // The health check is limited too (a flood of it is still a flood), with the same answer.
      const status = await new Promise<number>((res, rej) => {
        const req = front.request({ method: 'GET', path: '/health', headers: { Host: `127.0.0.1:${front.port}` } }, (r) => {
          r.resume();
          res(r.statusCode ?? 0);
        });
        req.on('error', rej);
        req.end();
      });
      expect(status).toBe(429);
    } finally {
      agent.destroy();
      await front.close();
      await t.close();
    }
  });
});

describe('npm run server', () => {
  it('prints the URL, the fingerprint and the setup code, serves HTTPS, and stops cleanly on SIGTERM', async () => {
    const dataDir = join(dir, 'cli-data');
    const configFile = join(dir, 'cli.json');
    writeFileSync(configFile, JSON.stringify({ listen: '127.0.0.1', port: 0, publicNames: ['127.0.0.1'], dataDir: 'cli-data' }));
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'main/server/main.ts'), '--config', configFile, '--static', join(dir, 'renderer'), '--test-now', '2026-05-20T10:00:00+08:00'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
    await new Promise<void>((res, rej) => {
      const timer = setTimeout(() => rej(new Error(`no start:\n${out}\n${err}`)), 60_000);
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('按 Ctrl+C 結束')) {
          clearTimeout(timer);
          res();
        }
      });
      void exited.then((code) => rej(new Error(`exited ${code}:\n${out}\n${err}`)));
    });
    const url = /已啟動：(https:\/\/127\.0\.0\.1:(\d+)\/)/.exec(out);
    const fp = /憑證指紋 \(SHA-256\)：([0-9A-F:]{95})/.exec(out)?.[1];
    expect(url).not.toBeNull();
    expect(out).toMatch(/首次設定碼：\d{4}-\d{4}/);
    expect(fp).toBe(new X509Certificate(readFileSync(join(dataDir, 'tls', 'server-cert.pem'))).fingerprint256);
    const agent = pinnedAgent(Number(url?.[2]), fp as string);
    expect(await callOver({ port: Number(url?.[2]), scheme: 'https' }, agent, 'auth.status', {}, null)).toMatchObject({ ok: true, value: { needsSetup: true } });
    agent.destroy();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(err).toContain('stopped');
  }, 90_000);

  it('a bad configuration stops it with a zh-TW message naming the field', () => {
    const configFile = join(dir, 'cli-bad.json');
    writeFileSync(configFile, JSON.stringify({ listen: '127.0.0.1', port: 99999, publicNames: ['127.0.0.1'], dataDir: 'x' }));
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'main/server/main.ts'), '--config', configFile], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/欄位 port/);
  }, 90_000);
});
