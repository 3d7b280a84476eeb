/**
 * The desktop app as a client of the center server: contract calls go to `POST /api/<method>` over TLS,
 * pinned to the certificate fingerprint the user confirmed once. Plain Node (no electron import), so the
 * tests drive it against a real TLS server.
 *
 * Pinning happens before anything is written: the socket is opened and its TLS handshake checked here,
 * and only a socket whose certificate has the pinned SHA-256 fingerprint is handed to the HTTP request.
 * A changed certificate therefore never sees a token, a payload or even a request line.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions } from 'node:https';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, type PeerCertificate, type TLSSocket } from 'node:tls';
import { api } from '../contract/api';
import { CONNECTION_MESSAGES, normalizeFingerprint, parseServerUrl, type ConnectionProblem, type ServerProbe } from '../contract/connection';
import { API_ERROR_CODES, type ApiErrorBody, type Envelope } from '../contract/envelope';

/** The header names of the center server's contract transport. */
export const SESSION_HEADER = 'x-welfare-session';
export const REQUEST_ID_HEADER = 'x-welfare-request';

/** Why the center server could not be used; `toBody()` is the envelope error the renderer shows. */
export class ConnectionError extends Error {
  readonly problem: ConnectionProblem;
  constructor(problem: ConnectionProblem, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConnectionError';
    this.problem = problem;
  }
  toBody(): ApiErrorBody {
    return { code: 'INTERNAL', message: this.message, details: { connection: this.problem } };
  }
}

/** A URL that is not https:// (or not an address at all): refused before any connection is made. */
export class ServerUrlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServerUrlError';
  }
}

interface Target {
  origin: string;
  host: string;
  port: number;
  /** SNI name; never an IP address. */
  servername: string | undefined;
}

function targetOf(url: string): Target {
  const check = parseServerUrl(url);
  // parseServerUrl reads a bare host as https; a caller passing a URL must say https:// itself.
  if (!check.ok) throw new ServerUrlError(check.message);
  if (!/^https:\/\//i.test(url.trim())) throw new ServerUrlError(CONNECTION_MESSAGES.urlNotHttps);
  const parsed = new URL(check.url);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  return { origin: check.url, host, port: parsed.port === '' ? 443 : Number(parsed.port), servername: isIP(host) === 0 ? host : undefined };
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);

function errorCode(err: unknown): string | undefined {
  return err && typeof err === 'object' && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

/** Opens a TLS connection and waits for the handshake; sends nothing of its own. */
function handshake(target: Target, timeoutMs: number): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = tlsConnect({
      host: target.host,
      port: target.port,
      servername: target.servername,
      // The CA check is replaced by the fingerprint pin (a center's certificate is usually self-signed);
      // `authorized` still tells whether a trusted CA vouches for it.
      rejectUnauthorized: false,
      ALPNProtocols: ['http/1.1'],
      minVersion: 'TLSv1.2',
    });
    const timer = setTimeout(() => socket.destroy(new ConnectionError('timeout', CONNECTION_MESSAGES.timeout)), timeoutMs);
    const fail = (err: Error) => {
      clearTimeout(timer);
      reject(err);
    };
    const closed = () => fail(new ConnectionError('unreachable', CONNECTION_MESSAGES.unreachable));
    socket.once('error', fail);
    socket.once('close', closed);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      socket.off('error', fail);
      socket.off('close', closed);
      resolve(socket);
    });
  });
}

function peerFingerprint(socket: TLSSocket): { cert: PeerCertificate | null; fingerprint: string | null } {
  const cert = socket.getPeerCertificate();
  if (!cert || typeof cert.fingerprint256 !== 'string') return { cert: null, fingerprint: null };
  return { cert, fingerprint: normalizeFingerprint(cert.fingerprint256) };
}

function first(value: string | string[] | undefined): string | null {
  if (Array.isArray(value)) return value[0] ?? null;
  return value ?? null;
}

function asConnectionError(err: unknown): ConnectionError {
  if (err instanceof ConnectionError) return err;
  return new ConnectionError('unreachable', CONNECTION_MESSAGES.unreachable, { cause: err });
}

/**
 * Connects, reads the certificate the server presents and closes: no request, no data. What the first-run
 * screen shows for the user to compare with the administrator's screen before pinning it.
 */
export async function probeServer(url: string, opts: { timeoutMs?: number } = {}): Promise<ServerProbe> {
  const target = targetOf(url);
  let socket: TLSSocket;
  try {
    socket = await handshake(target, opts.timeoutMs ?? 10_000);
  } catch (err) {
    throw asConnectionError(err);
  }
  try {
    const { cert, fingerprint } = peerFingerprint(socket);
    if (!cert || !fingerprint) throw new ConnectionError('bad-answer', CONNECTION_MESSAGES.badAnswer);
    return {
      url: target.origin,
      fingerprint,
      subject: { commonName: first(cert.subject?.CN), organization: first(cert.subject?.O) },
      validFrom: new Date(cert.valid_from).toISOString(),
      validTo: new Date(cert.valid_to).toISOString(),
      trusted: socket.authorized,
    };
  } finally {
    socket.destroy();
  }
}

/** A keep-alive agent whose every new socket has passed the fingerprint check before the request is written. */
class PinnedAgent extends HttpsAgent {
  constructor(
    private readonly target: Target,
    private readonly fingerprint: string,
    private readonly connectTimeoutMs: number,
  ) {
    super({ keepAlive: true, maxSockets: 8, maxCachedSessions: 0 });
  }
  override createConnection(_options: RequestOptions, callback?: (err: Error | null, stream: Duplex) => void): Duplex | null | undefined {
    const done = callback ?? (() => undefined);
    handshake(this.target, this.connectTimeoutMs).then(
      (socket) => {
        const { fingerprint } = peerFingerprint(socket);
        if (fingerprint !== this.fingerprint) {
          socket.destroy();
          done(new ConnectionError('certificate-changed', CONNECTION_MESSAGES.certificateChanged), undefined as never);
          return;
        }
        done(null, socket);
      },
      (err: unknown) => done(asConnectionError(err), undefined as never),
    );
    return undefined;
  }
}

export interface RemoteCall {
  method: string;
  payload: unknown;
  token: string | null;
  /** Sent with write calls; the same id on every retry, so the server applies the write once. Made here when absent. */
  requestId?: string;
}

export interface RemoteDispatcher {
  readonly url: string;
  readonly fingerprint: string;
  dispatch(call: RemoteCall): Promise<Envelope<unknown>>;
  /** Closes the pooled connections. */
  close(): void;
}

export interface RemoteOptions {
  url: string;
  /** The pinned SHA-256 fingerprint (any case, with or without colons). */
  fingerprint: string;
  /** Which methods write (carry a request id and are retried on a dropped connection). Default: the contract's `write` flag. */
  isWrite?: (method: string) => boolean;
  connectTimeoutMs?: number;
  /** Longest wait for an answer; a city-wide report may take a while. */
  requestTimeoutMs?: number;
  /** Further attempts of a write after a dropped connection. */
  retries?: number;
  retryDelayMs?: number;
  maxResponseBytes?: number;
}

/** The contract's own flag, once method specs say `write: true`; until then nothing counts as a write. */
export function contractIsWrite(method: string): boolean {
  if (!Object.hasOwn(api, method)) return false;
  const spec = (api as Record<string, { write?: unknown }>)[method];
  return spec?.write === true;
}

function isEnvelope(body: unknown): body is Envelope<unknown> {
  if (!body || typeof body !== 'object') return false;
  const b = body as Record<string, unknown>;
  if (b.ok === true) return 'value' in b;
  if (b.ok !== false || !b.error || typeof b.error !== 'object') return false;
  const e = b.error as Record<string, unknown>;
  return typeof e.message === 'string' && (API_ERROR_CODES as readonly unknown[]).includes(e.code);
}

class DroppedError extends Error {
  constructor(readonly reused: boolean, cause: unknown) {
    super('connection dropped', { cause });
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function createRemoteDispatcher(opts: RemoteOptions): RemoteDispatcher {
  const target = targetOf(opts.url);
  const fingerprint = normalizeFingerprint(opts.fingerprint);
  if (!fingerprint) throw new ServerUrlError('憑證指紋格式不正確（應為 64 個十六進位字元）。');
  const isWrite = opts.isWrite ?? contractIsWrite;
  const requestTimeoutMs = opts.requestTimeoutMs ?? 180_000;
  const retries = opts.retries ?? 2;
  const retryDelayMs = opts.retryDelayMs ?? 300;
  const maxResponseBytes = opts.maxResponseBytes ?? 128 * 1024 * 1024;
  const agent = new PinnedAgent(target, fingerprint, opts.connectTimeoutMs ?? 10_000);

  /** One attempt. Resolves with the answer, or rejects with ConnectionError (final) or DroppedError (may retry). */
  function attempt(method: string, body: string, headers: Record<string, string>): Promise<Envelope<unknown>> {
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (fn: () => void) => {
        if (!settled) {
          settled = true;
          fn();
        }
      };
      // Every socket of the pinned agent passed the fingerprint check before this request is written to it.
      const req = httpsRequest(
        {
          agent,
          host: target.host,
          port: target.port,
          method: 'POST',
          path: `/api/${encodeURIComponent(method)}`,
          headers: { ...headers, host: new URL(target.origin).host, 'content-length': String(Buffer.byteLength(body)) },
        },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > maxResponseBytes) {
              res.destroy();
              settle(() => reject(new ConnectionError('bad-answer', CONNECTION_MESSAGES.badAnswer)));
              return;
            }
            chunks.push(chunk);
          });
          res.on('error', (err) => settle(() => reject(new DroppedError(false, err))));
          res.on('aborted', () => settle(() => reject(new DroppedError(false, new Error('aborted')))));
          res.on('end', () => {
            let parsed: unknown;
            try {
              parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            } catch {
              parsed = undefined;
            }
            if (isEnvelope(parsed)) settle(() => resolve(parsed));
            else settle(() => reject(new ConnectionError('bad-answer', `${CONNECTION_MESSAGES.badAnswer}（HTTP ${res.statusCode ?? '?'}）`)));
          });
        },
      );
      req.setTimeout(requestTimeoutMs, () => req.destroy(new ConnectionError('timeout', CONNECTION_MESSAGES.timeout)));
      req.on('error', (err) => {
        if (err instanceof ConnectionError) return settle(() => reject(err));
        const code = errorCode(err);
        if (code && NETWORK_CODES.has(code)) return settle(() => reject(new DroppedError(req.reusedSocket, err)));
        settle(() => reject(new ConnectionError('unreachable', CONNECTION_MESSAGES.unreachable, { cause: err })));
      });
      req.end(body);
    });
  }

  return {
    url: target.origin,
    fingerprint,
    async dispatch(call) {
      const write = isWrite(call.method);
      const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
      if (call.token) headers[SESSION_HEADER] = call.token;
      if (write) headers[REQUEST_ID_HEADER] = call.requestId ?? randomUUID();
      let body: string;
      try {
        body = JSON.stringify(call.payload ?? {});
      } catch {
        return { ok: false, error: { code: 'VALIDATION', message: '送出的資料格式不正確。' } };
      }
      for (let n = 0; ; n++) {
        try {
          return await attempt(call.method, body, headers);
        } catch (err) {
          if (err instanceof DroppedError) {
            // A write is retried with the same request id (the server answers a repeat with the first
            // result). A read is retried only when a pooled connection turned out to be closed already.
            const retry = n < retries && (write || (err.reused && n === 0));
            if (retry) {
              await sleep(retryDelayMs * (n + 1));
              continue;
            }
            return { ok: false, error: new ConnectionError('unreachable', CONNECTION_MESSAGES.unreachable).toBody() };
          }
          return { ok: false, error: asConnectionError(err).toBody() };
        }
      }
    },
    close() {
      agent.destroy();
    },
  };
}
