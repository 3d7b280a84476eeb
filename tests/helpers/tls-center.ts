/**
 * A real TLS server that answers the contract's HTTP transport (`POST /api/<method>`, token in
 * `x-welfare-session`, request id in `x-welfare-request`) with a real Dispatcher, for the client tests.
 * It stands in for the center server until that is merged; it records what reached it so a test can
 * prove that nothing did.
 */
import { X509Certificate } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { generate } from 'selfsigned';
import type { Dispatcher } from '../../main/api/dispatch';
import type { Envelope } from '../../main/contract/envelope';

export interface TestCertificate {
  key: string;
  cert: string;
  /** SHA-256, uppercase colon hex, as the center server prints it. */
  fingerprint: string;
}

export async function makeCertificate(commonName = '社福中心伺服器'): Promise<TestCertificate> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + 365 * 24 * 3600_000);
  const pems = await generate([{ name: 'commonName', value: commonName }, { name: 'organizationName', value: 'Test Center' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }, { type: 2, value: 'localhost' }] }],
  });
  return { key: pems.private, cert: pems.cert, fingerprint: new X509Certificate(pems.cert).fingerprint256 };
}

export interface SeenRequest {
  method: string;
  requestId: string | null;
  hadToken: boolean;
}

export interface TlsCenter {
  url: string;
  server: Server;
  /** Every HTTP request that reached the server, in order. */
  seen: SeenRequest[];
  /** TCP connections accepted (a refused client still connects and sees the certificate). */
  connections: number;
  /** Methods whose next answer is dropped after the dispatcher ran (the connection is cut instead). */
  dropNextAnswer: Set<string>;
  /** Methods the server never answers. */
  hang: Set<string>;
  /** Presents another certificate from now on and closes every open connection. */
  swapCertificate(cert: TestCertificate): void;
  close(): Promise<void>;
}

export async function startTlsCenter(dispatcher: Dispatcher, cert: TestCertificate): Promise<TlsCenter> {
  /** Answers by request id, as the contract promises: a repeated write gets the first result. */
  const answered = new Map<string, Envelope<unknown>>();
  const center: Omit<TlsCenter, 'url' | 'server'> = {
    seen: [],
    connections: 0,
    dropNextAnswer: new Set(),
    hang: new Set(),
    swapCertificate() {},
    close: async () => {},
  };
  const server = createServer({ key: cert.key, cert: cert.cert }, (req, res) => {
    const method = (req.url ?? '').replace(/^\/api\//, '');
    const idHeader = req.headers['x-welfare-request'];
    const requestId = typeof idHeader === 'string' ? idHeader : null;
    const tokenHeader = req.headers['x-welfare-session'];
    const token = typeof tokenHeader === 'string' ? tokenHeader : null;
    center.seen.push({ method, requestId, hadToken: token !== null });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        if (center.hang.has(method)) return;
        let envelope = requestId ? answered.get(requestId) : undefined;
        if (!envelope) {
          const payload: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
          envelope = await dispatcher.dispatch({ method, payload, token, transport: 'http', source: req.socket.remoteAddress ?? 'unknown' });
          if (requestId) answered.set(requestId, envelope);
        }
        if (center.dropNextAnswer.delete(method)) {
          req.socket.destroy(); // committed, but the answer never arrives
          return;
        }
        const json = JSON.stringify(envelope);
        res.writeHead(envelope.ok ? 200 : 400, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
        res.end(json);
      })();
    });
  });
  server.on('connection', () => center.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(center, {
    url: `https://127.0.0.1:${port}`,
    server,
    swapCertificate(next: TestCertificate) {
      server.setSecureContext({ key: next.key, cert: next.cert });
      server.closeAllConnections();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
