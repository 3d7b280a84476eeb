/**
 * The two HTTP fronts of the app, started for real on 127.0.0.1:0 in front of a real App's dispatcher:
 * the single-PC browser host (plain HTTP) and the center server (TLS, a self-signed certificate made in a
 * temporary data folder). Tests speak to the server with node's https/tls, trusting the certificate only
 * by its SHA-256 fingerprint, as a PC that pinned it does.
 */
import { request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions, type Server as HttpServer } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type Server as HttpsServer } from 'node:https';
import { connect as netConnect, type Socket } from 'node:net';
import { join } from 'node:path';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import type { Dispatcher } from '../../main/api/dispatch';
import type { Envelope } from '../../main/contract/envelope';
import { startHost } from '../../main/host/server';
import type { ServerConfig } from '../../main/server/config';
import { startServerHttp } from '../../main/server/server';
import { loadOrCreateCertificate } from '../../main/server/tls';
import type { TestApp } from './app';

export type FrontKind = 'host' | 'server';
export const FRONTS: FrontKind[] = ['host', 'server'];

export interface Front {
  kind: FrontKind;
  scheme: 'http' | 'https';
  port: number;
  url: string;
  /** The listening node server ('connection' gives the raw TCP socket of every client). */
  server: HttpServer | HttpsServer;
  /** The certificate's fingerprint (server only). */
  fingerprint: string | null;
  /** A raw connection; for TLS, resolved only after the peer's certificate matched the fingerprint. */
  connect(host?: string): Socket;
  /** Event a raw connection is ready to write after ('connect', or 'secureConnect' once pinned). */
  readyEvent: 'connect' | 'secureConnect';
  /** node's http or https request on a fresh connection (pinned for TLS); `host` picks the address to dial. */
  request(opts: RequestOptions & { host?: string }, onResponse: (res: IncomingMessage) => void): ClientRequest;
  close(): Promise<void>;
}

/** A TLS connection that is torn down unless the server shows the certificate with `fingerprint`. */
export function pinnedTls(port: number, fingerprint: string, host = '127.0.0.1'): TLSSocket {
  const socket = tlsConnect({ host, port, servername: 'localhost', rejectUnauthorized: false });
  socket.once('secureConnect', () => {
    const seen = socket.getPeerCertificate().fingerprint256;
    if (seen !== fingerprint) socket.destroy(new Error(`certificate fingerprint ${seen} is not the pinned ${fingerprint}`));
  });
  return socket;
}

/** A keep-alive https agent whose every connection is pinned (for tests making thousands of calls). */
export function pinnedAgent(port: number, fingerprint: string): HttpsAgent {
  const agent = new HttpsAgent({ keepAlive: true, maxSockets: 4 });
  (agent as unknown as { createConnection: () => TLSSocket }).createConnection = () => pinnedTls(port, fingerprint);
  return agent;
}

export const TEST_PUBLIC_NAMES = ['127.0.0.1', 'localhost'];

export function serverConfig(dataDir: string, over: Partial<ServerConfig> = {}): ServerConfig {
  return {
    listen: '127.0.0.1',
    port: 0,
    publicNames: TEST_PUBLIC_NAMES,
    dataDir,
    database: { engine: 'sqlite' },
    // Tests make thousands of calls from one address; the limit itself has its own test.
    rateLimit: { max: 1_000_000, windowSeconds: 60 },
    ...over,
  };
}

export async function startFront(kind: FrontKind, dispatcher: Dispatcher, staticDir: string, dataDir: string, over: Partial<ServerConfig> = {}): Promise<Front> {
  if (kind === 'host') {
    const host = await startHost({ dispatcher, staticDir, port: 0 });
    return {
      kind,
      scheme: 'http',
      port: host.port,
      url: host.url,
      server: host.server,
      fingerprint: null,
      readyEvent: 'connect',
      connect: (h = '127.0.0.1') => netConnect(host.port, h),
      request: (opts, cb) => httpRequest({ ...opts, host: opts.host ?? '127.0.0.1', port: host.port, agent: false }, cb),
      close: host.close,
    };
  }
  const config = serverConfig(dataDir, over);
  const certificate = await loadOrCreateCertificate(config);
  const server = await startServerHttp({ dispatcher, staticDir, config, certificate });
  const fp = certificate.fingerprint;
  return {
    kind,
    scheme: 'https',
    port: server.port,
    url: server.url,
    server: server.server,
    fingerprint: fp,
    readyEvent: 'secureConnect',
    connect: (h) => pinnedTls(server.port, fp, h),
    // No agent: a fresh pinned connection per request (an agent would ignore createConnection).
    request: (opts, cb) => httpsRequest({ ...opts, port: server.port, createConnection: () => pinnedTls(server.port, fp, opts.host ?? '127.0.0.1') }, cb),
    close: server.close,
  };
}

/** POSTs a contract call to a front with a keep-alive agent; the envelope it answers. */
export function callOver(
  front: { port: number; scheme: 'http' | 'https' },
  agent: HttpsAgent,
  method: string,
  payload: unknown,
  token: string | null,
): Promise<Envelope<unknown>> {
  const body = JSON.stringify(payload ?? {});
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        agent,
        host: '127.0.0.1',
        port: front.port,
        method: 'POST',
        path: `/api/${method}`,
        headers: {
          Host: `127.0.0.1:${front.port}`,
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(body),
          ...(token ? { 'X-Welfare-Session': token } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Envelope<unknown>);
          } catch (e) {
            reject(new Error(`${method}: HTTP ${res.statusCode}, not an envelope: ${String(e)}`));
          }
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Sends a TestApp's calls through a real center server (TLS, pinned) instead of straight to its
 * dispatcher: `t.raw` and `t.call` go over HTTPS from then on, and `t.close` also stops the server.
 */
export async function overServer(t: TestApp): Promise<Front> {
  const front = await startFront('server', t.app.dispatcher, join(t.dataDir, 'no-renderer'), join(t.dataDir, 'server-front'));
  const agent = pinnedAgent(front.port, front.fingerprint as string);
  t.raw = (method, payload, token = null) => callOver(front, agent, method, payload, token);
  t.call = (async (method: string, input: unknown, token: string | null = null) => {
    const env = await t.raw(method, input, token);
    if (!env.ok) throw Object.assign(new Error(`${method}: ${env.error.code} ${env.error.message}`), { body: env.error });
    return env.value;
  }) as TestApp['call'];
  const close = t.close.bind(t);
  t.close = async () => {
    agent.destroy();
    await front.close();
    await close();
  };
  return front;
}
