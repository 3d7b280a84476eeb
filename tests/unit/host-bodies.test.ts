/**
 * Issue 9, item 8: the browser host must not read a request's body before it knows the caller may send
 * one; the center server's TLS front neither (issue 10). Spoken to over real sockets; the bytes the server read are taken from its own side of each
 * connection (socket.bytesRead), the client's from what the kernel accepted.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_HEADER } from '../../main/host/server';
import { createTestApp, openSession, type TestApp } from '../helpers/app';
import { FRONTS, startFront, type Front } from '../helpers/fronts';

const MiB = 1024 * 1024;
const CJK = /[\u3400-\u9fff]/;

function figure(kind: string, label: string, value: unknown): void {
  console.info(`[issue 9 figure, ${kind}] ${label}: ${JSON.stringify(value)}`);
}

interface Upload {
  /** Resolves when the server has answered (or closed the connection). */
  answered: Promise<{ response: string; ms: number; clientWritten: number; serverRead: number }>;
  socket: Socket;
}

describe.each(FRONTS)('bodies and sign-in on the HTTP front: %s (issue 9, item 8)', (kind) => {
  let t: TestApp;
  let host: Front;
  let dir: string;
  let adminToken: string;
  const serverSockets = new Map<number, Socket>();

  beforeAll(async () => {
    t = await createTestApp();
    await t.setupAdmin();
    adminToken = await openSession(t.app, 1, t.clock.now);
    dir = mkdtempSync(join(tmpdir(), 'wd-host-bodies-'));
    mkdirSync(join(dir, 'renderer'));
    writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html>');
    host = await startFront(kind, t.app.dispatcher, join(dir, 'renderer'), join(dir, 'server-data'));
    host.server.on('connection', (s: Socket) => serverSockets.set(s.remotePort ?? 0, s));
  });
  afterAll(async () => {
    await host?.close();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * POSTs a body of `declared` bytes, writing it as fast as the connection takes it, until the server
   * answers or closes; `sendAtMost` stops writing early (the rest never comes) to keep an upload in flight.
   */
  function upload(method: string, declared: number, headers: Record<string, string> = {}, sendAtMost = declared): Upload {
    const socket = host.connect();
    const started = performance.now();
    let response = '';
    let clientWritten = 0;
    let finished = false;
    const answered = new Promise<{ response: string; ms: number; clientWritten: number; serverRead: number }>((resolve) => {
      const done = () => {
        if (finished) return;
        finished = true;
        const server = serverSockets.get(socket.localPort ?? -1);
        resolve({ response, ms: Math.round(performance.now() - started), clientWritten, serverRead: server?.bytesRead ?? -1 });
      };
      socket.on('data', (d) => {
        response += d.toString('utf8');
        if (/\r\n\r\n/.test(response)) {
          const len = /content-length: (\d+)/i.exec(response);
          const bodyStart = response.indexOf('\r\n\r\n') + 4;
          if (len && Buffer.byteLength(response.slice(bodyStart)) >= Number(len[1])) done();
        }
      });
      socket.on('close', done);
      socket.on('error', () => undefined);
    });
    socket.once(host.readyEvent, () => {
      const head = [
        `POST /api/${method} HTTP/1.1`,
        `Host: 127.0.0.1:${host.port}`,
        'Content-Type: application/json',
        `Content-Length: ${declared}`,
        ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
        '',
        '',
      ].join('\r\n');
      socket.write(head);
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      const pump = () => {
        while (!finished && clientWritten < sendAtMost) {
          const n = Math.min(chunk.length, sendAtMost - clientWritten);
          clientWritten += n;
          if (!socket.write(chunk.subarray(0, n))) {
            socket.once('drain', pump);
            return;
          }
        }
      };
      pump();
    });
    return { answered, socket };
  }

  const envelopeOf = (response: string) => JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)) as { ok: boolean; error?: { code: string; message: string } };

  it('an unauthenticated 30 MiB POST is refused before its body is read', async () => {
    const r = await upload('users.list', 30 * MiB).answered;
    figure(kind, 'unauthenticated 30 MiB POST: bytes the server read, client bytes accepted, ms to answer', { serverRead: r.serverRead, clientWritten: r.clientWritten, ms: r.ms });
    expect(r.response).toMatch(/^HTTP\/1\.1 401/);
    expect(envelopeOf(r.response)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', message: expect.stringMatching(CJK) } });
    expect(r.serverRead).toBeGreaterThan(0);
    expect(r.serverRead).toBeLessThan(MiB);
  });

  it('a forged session header is refused the same way', async () => {
    const r = await upload('reports.importTemplate', 30 * MiB, { [SESSION_HEADER]: 'x'.repeat(43) }).answered;
    expect(envelopeOf(r.response)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(r.serverRead).toBeLessThan(MiB);
  });

  it('a public method (sign-in) takes at most 8 KiB, and says so before reading more', async () => {
    const r = await upload('auth.login', 20 * MiB).answered;
    figure(kind, '20 MiB POST to auth.login: bytes the server read', r.serverRead);
    expect(r.response).toMatch(/^HTTP\/1\.1 413/);
    expect(envelopeOf(r.response)).toMatchObject({ ok: false, error: { code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(CJK) } });
    expect(r.serverRead).toBeLessThan(MiB);
    // Just over the limit is refused too; a real sign-in body is far below it.
    const over = await upload('auth.login', 8 * 1024 + 1).answered;
    expect(over.response).toMatch(/^HTTP\/1\.1 413/);
  });

  it('at most two large bodies are taken in at once; a third gets a zh-TW 503 until one is done', async () => {
    const headers = { [SESSION_HEADER]: adminToken };
    // Two uploads of 5 MiB that send only 2 MiB and wait: both in flight.
    const first = upload('reports.importTemplate', 5 * MiB, headers, 2 * MiB);
    const second = upload('reports.importTemplate', 5 * MiB, headers, 2 * MiB);
    await new Promise((r) => setTimeout(r, 300));
    const third = await upload('reports.importTemplate', 5 * MiB, headers).answered;
    figure(kind, 'third concurrent 5 MiB upload', third.response.split('\r\n')[0]);
    expect(third.response).toMatch(/^HTTP\/1\.1 503/);
    expect(envelopeOf(third.response).error?.message).toMatch(CJK);
    expect(third.serverRead).toBeLessThan(MiB);
    first.socket.destroy();
    second.socket.destroy();
    await Promise.all([first.answered, second.answered]);
    await new Promise((r) => setTimeout(r, 100));
    // Slots free again: a whole 2 MiB upload is read and reaches the method (which finds no template in it).
    const body = JSON.stringify({ fileName: 'x.xlsx', bytesBase64: 'A'.repeat(2 * MiB) });
    const again = await uploadBody('reports.importTemplate', body, headers);
    expect(again).not.toMatch(/^HTTP\/1\.1 503/);
    expect(again).toMatch(/^HTTP\/1\.1 200/);
  });

  /** A complete request with a real JSON body. */
  function uploadBody(method: string, body: string, headers: Record<string, string>): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = host.connect();
      let out = '';
      socket.on('data', (d) => {
        out += d.toString('utf8');
        const len = /content-length: (\d+)/i.exec(out);
        if (len && out.includes('\r\n\r\n') && Buffer.byteLength(out.slice(out.indexOf('\r\n\r\n') + 4)) >= Number(len[1])) {
          socket.destroy();
          resolve(out);
        }
      });
      socket.on('error', reject);
      socket.once(host.readyEvent, () => {
        socket.write(
          [`POST /api/${method} HTTP/1.1`, `Host: 127.0.0.1:${host.port}`, 'Content-Type: application/json', `Content-Length: ${Buffer.byteLength(body)}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n'),
        );
        socket.write(body);
      });
    });
  }
});
