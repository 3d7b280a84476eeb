import { existsSync } from 'node:fs';
import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Server as HttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { ApiErrorBody, Envelope } from '../contract/envelope';
import type { Dispatcher } from '../api/dispatch';

/**
 * The one HTTP front of the app, on fastify: the single-PC browser host (plain HTTP on 127.0.0.1,
 * main/host/server.ts) and the center server (TLS on the administrator's address, main/server/main.ts)
 * are both built here, so every protection below holds for both:
 * - Host and Origin (and Sec-Fetch-Site) must be the server's own: other sites and DNS rebinding get 403;
 * - the session token travels in a header, never a cookie;
 * - before a byte of a body is read, the dispatcher's admit() says whether the caller may send one and
 *   how large; at most MAX_LARGE_BODIES large bodies are held at once;
 * - helmet's security headers with the app's CSP, a per-address rate limit, static files that never
 *   leave the renderer folder, and the app shell for client-side routes.
 */
export const SESSION_HEADER = 'x-welfare-session';
/** The largest body any method may send, whatever admit() says. */
export const MAX_BODY_BYTES = 32 * 1024 * 1024;
/** A body over this size counts as large: only MAX_LARGE_BODIES of them are read at once. */
export const LARGE_BODY_BYTES = 1024 * 1024;
export const MAX_LARGE_BODIES = 2;

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Mantine sets CSS variables and style attributes at run time.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The CSP above as helmet's directives (one source of truth: Electron's test compares the string). */
function cspDirectives(): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const part of CONTENT_SECURITY_POLICY.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) out[name] = values;
  }
  return out;
}

export interface RateLimitOptions {
  /** Requests one address may make per window (static files included). */
  max: number;
  windowMs: number;
}

export interface HttpAppOptions {
  dispatcher: Dispatcher;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** Key and certificate (PEM) for HTTPS; null serves plain HTTP (the 127.0.0.1 host only). */
  tls: { key: string; cert: string } | null;
  /**
   * The `Host` values this server answers to, lower case, given the port it listens on (0 is resolved
   * before the first request). An Origin must be one of them with the server's scheme.
   */
  hostsFor(port: number): string[];
  rateLimit: RateLimitOptions;
}

export interface RunningHttp {
  /** The port listened on (the one picked when 0 was asked). */
  port: number;
  server: HttpServer | HttpsServer;
  close(): Promise<void>;
}

type Reply = FastifyReply;

function envelopeError(code: ApiErrorBody['code'], message: string): Envelope<never> {
  return { ok: false, error: { code, message } };
}

/** True when the request carries a body that has not been read (declared, or chunked). */
function hasBody(req: IncomingMessage): boolean {
  return Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
}

/**
 * Answers without reading the body. The connection is closed after the answer (Node then stops reading
 * the socket), so a refused upload costs the bytes already in flight, not the whole body.
 */
function answerUnread(request: FastifyRequest, reply: Reply, status: number, body: unknown): Reply {
  if (hasBody(request.raw)) reply.header('Connection', 'close');
  return reply.code(status).header('Cache-Control', 'no-store').type('application/json; charset=utf-8').send(body);
}

const TOO_LARGE = envelopeError('PAYLOAD_TOO_LARGE', '送出的資料過大，請縮小內容後再試。');

class BodyError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: Envelope<never>,
  ) {
    super(body.ok ? '' : body.error.code);
  }
}

/** Reads a body up to `limit` bytes; past it, stops reading and fails with 413. */
function readLimited(stream: Readable, limit: number): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    stream.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        chunks.length = 0;
        stream.pause();
        reject(new BodyError(413, TOO_LARGE));
        return;
      }
      chunks.push(chunk);
    });
    stream.on('end', () => {
      if (!done) {
        done = true;
        resolvePromise(Buffer.concat(chunks));
      }
    });
    stream.on('error', (err) => {
      if (!done) {
        done = true;
        reject(err);
      }
    });
  });
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Bytes of JSON admit() allows this call to send; unset until admitted. */
    welfareBodyLimit?: number;
  }
}

/** Builds the fastify app (not yet listening). */
export async function buildHttpApp(opts: HttpAppOptions): Promise<FastifyInstance> {
  const staticRoot = resolve(opts.staticDir);
  const scheme = opts.tls ? 'https' : 'http';
  // Filled in by listenHttp once the port is known; until then nothing is allowed.
  let hosts = new Set<string>();
  let origins = new Set<string>();
  let largeInFlight = 0;

  const app = Fastify({
    logger: false,
    ...(opts.tls ? { https: { key: opts.tls.key, cert: opts.tls.cert, minVersion: 'TLSv1.2' as const } } : {}),
    // The per-method limit is enforced by the JSON parser below; this is the framework's outer bound.
    bodyLimit: MAX_BODY_BYTES,
    // A malformed %-escape in a path: a 400, and the server keeps serving.
    frameworkErrors: (_error, _request, reply) => {
      void (reply as FastifyReply).code(400).header('Cache-Control', 'no-store').send(envelopeError('VALIDATION', '網址格式不正確。'));
    },
  }) as unknown as FastifyInstance;

  app.decorate('allowOrigins', (port: number) => {
    hosts = new Set(opts.hostsFor(port).map((h) => h.toLowerCase()));
    origins = new Set([...hosts].map((h) => `${scheme}://${h}`));
  });

  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: cspDirectives() },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
    // Over plain HTTP on 127.0.0.1 a browser ignores HSTS; over TLS it keeps browsers on https.
    strictTransportSecurity: opts.tls ? { maxAge: 180 * 24 * 3600, includeSubDomains: false } : false,
  });

  // Who may talk to this server at all: runs before routing, for every path (API, static, health).
  app.addHook('onRequest', async (request, reply) => {
    const headers = request.raw.headers;
    // DNS rebinding: a hostile name resolving to this address still sends its own Host.
    if (!hosts.has((headers.host ?? '').toLowerCase())) return answerUnread(request, reply, 403, envelopeError('FORBIDDEN', '拒絕連線：來源主機不符。'));
    const origin = headers.origin;
    if (origin !== undefined && !origins.has(origin.toLowerCase())) return answerUnread(request, reply, 403, envelopeError('FORBIDDEN', '拒絕連線：來源網站不符。'));
    const site = headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') return answerUnread(request, reply, 403, envelopeError('FORBIDDEN', '拒絕連線：來源網站不符。'));
    const path = request.raw.url ?? '/';
    if (!path.startsWith('/api/') && request.method !== 'GET' && request.method !== 'HEAD') {
      if (hasBody(request.raw)) reply.header('Connection', 'close');
      return reply.code(405).header('Allow', 'GET, HEAD').send();
    }
    return undefined;
  });

  await app.register(rateLimit, {
    global: true,
    max: opts.rateLimit.max,
    timeWindow: opts.rateLimit.windowMs,
    // Per address as the socket saw it (no proxy is trusted).
    keyGenerator: (request) => request.raw.socket.remoteAddress ?? 'unknown',
    errorResponseBuilder: (_request, context) =>
      Object.assign(new BodyError(429, envelopeError('RULE', `操作過於頻繁，請約 ${Math.ceil(context.ttl / 1000)} 秒後再試。`)), { statusCode: 429 }),
  });

  app.removeAllContentTypeParsers();
  // The only body this server takes: JSON for /api/, read up to what admit() allowed for this call.
  app.addContentTypeParser('application/json', async (request: FastifyRequest, payload: Readable) => {
    const limit = request.welfareBodyLimit;
    if (limit === undefined) throw new BodyError(413, TOO_LARGE);
    const body = await readLimited(payload, limit);
    if (body.length === 0) return {};
    try {
      return JSON.parse(body.toString('utf8')) as unknown;
    } catch {
      throw new BodyError(400, envelopeError('VALIDATION', '資料不是有效的 JSON。'));
    }
  });

  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    if (error instanceof BodyError) return answerUnread(request, reply, error.statusCode, error.body);
    const status = error.statusCode ?? 500;
    // A directory or a refused file under the renderer folder: the app shell, as for any unknown path.
    if ((status === 403 || status === 404) && (request.method === 'GET' || request.method === 'HEAD') && !(request.raw.url ?? '').startsWith('/api/')) {
      return reply.callNotFound();
    }
    if (status === 413) return answerUnread(request, reply, 413, TOO_LARGE);
    if (status === 415) return answerUnread(request, reply, 415, envelopeError('FORBIDDEN', '請以 JSON 送出資料。'));
    if (status >= 400 && status < 500) return answerUnread(request, reply, status, envelopeError('VALIDATION', '要求的格式不正確。'));
    return answerUnread(request, reply, 500, envelopeError('INTERNAL', '系統發生錯誤，請稍後再試。'));
  });

  // Monitoring: says the process answers, nothing else (no data, no session, no database).
  app.get('/health', async (_request, reply) => reply.header('Cache-Control', 'no-store').send({ status: 'ok' }));

  app.route({
    method: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'],
    url: '/api/*',
    // Who is calling is checked before a byte of the body is read: without a live session only the
    // public methods (status, sign-in, first-run setup) may send one, and a small one.
    preParsing: async (request, reply, payload) => {
      if (request.method !== 'POST') {
        if (hasBody(request.raw)) reply.header('Connection', 'close');
        return reply.code(405).header('Allow', 'POST').send();
      }
      const type = request.headers['content-type'] ?? '';
      // Also forces browsers to preflight, which this server never approves.
      if (!type.startsWith('application/json')) return answerUnread(request, reply, 415, envelopeError('FORBIDDEN', '請以 JSON 送出資料。'));
      const method = methodOf(request);
      const admission = await opts.dispatcher.admit(method, tokenOf(request));
      if (!admission.ok) {
        const status = admission.error.code === 'UNAUTHENTICATED' ? 401 : 404;
        return answerUnread(request, reply, status, { ok: false, error: admission.error.toBody() });
      }
      const limit = Math.min(MAX_BODY_BYTES, admission.maxBodyBytes);
      const declared = request.headers['content-length'] === undefined ? null : Number(request.headers['content-length']);
      if (declared !== null && !(declared <= limit)) return answerUnread(request, reply, 413, TOO_LARGE);
      // A large (or unannounced) body holds memory until it is parsed: only a few at once.
      const large = declared === null || declared > LARGE_BODY_BYTES;
      if (large && largeInFlight >= MAX_LARGE_BODIES) {
        return answerUnread(request, reply, 503, envelopeError('INTERNAL', '系統正在接收其他大型檔案，請稍候一分鐘再送出。'));
      }
      if (large) {
        // Held until the answer is sent: the body stays in memory while the method works on it.
        largeInFlight++;
        reply.raw.once('close', () => largeInFlight--);
      }
      request.welfareBodyLimit = limit;
      return payload;
    },
    handler: async (request, reply) => {
      const envelope = await opts.dispatcher.dispatch({
        method: methodOf(request),
        payload: request.body === undefined ? {} : request.body,
        token: tokenOf(request),
        requestId: requestIdOf(request),
        transport: 'http',
        source: request.raw.socket.remoteAddress ?? 'unknown',
      });
      return reply.code(200).header('Cache-Control', 'no-store').type('application/json; charset=utf-8').send(envelope);
    },
  });

  // Static files: paths are checked here before @fastify/static sees them, so a traversal is a plain 404.
  app.addHook('onRequest', async (request, reply) => {
    const url = request.raw.url ?? '/';
    if (url.startsWith('/api/') || url === '/health') return undefined;
    const pathname = url.split('?')[0] ?? '/';
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      return reply.code(400).send(); // a malformed %-escape
    }
    if (rel.includes('\0')) return reply.code(400).send();
    // Browsers resolve dot segments before sending; a request still holding one is not from the app.
    if (/(^|[\\/])\.\.([\\/]|$)/.test(rel)) return reply.code(404).send();
    return undefined;
  });

  await app.register(fastifyStatic, {
    root: staticRoot,
    wildcard: true,
    index: 'index.html',
    redirect: false,
    dotfiles: 'deny',
    cacheControl: false,
    etag: true,
    suppressWarning: true,
    setHeaders: (reply: FastifyReply, path: string) => {
      void reply.header('Cache-Control', path.endsWith('.html') ? 'no-store' : 'public, max-age=31536000, immutable');
    },
  });

  // Client-side routes (and directories) fall back to the app shell.
  app.setNotFoundHandler(async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return reply.code(405).header('Allow', 'GET, HEAD').send();
    if (!existsSync(join(staticRoot, 'index.html'))) {
      return reply.code(503).type('text/plain; charset=utf-8').send('畫面檔案尚未建置，請先執行 npm run build。');
    }
    return reply.header('Cache-Control', 'no-store').sendFile('index.html');
  });

  return app;
}

function methodOf(request: FastifyRequest): string {
  return (request.params as Record<string, string>)['*'] ?? '';
}

/** A write's request id (a UUID): a retry with the same id is answered, not applied again (the dispatcher checks its form). */
export const REQUEST_HEADER = 'x-welfare-request';

function requestIdOf(request: FastifyRequest): string | null {
  const header = request.headers[REQUEST_HEADER];
  return typeof header === 'string' ? header : null;
}

function tokenOf(request: FastifyRequest): string | null {
  const header = request.headers[SESSION_HEADER];
  return typeof header === 'string' ? header : null;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Sets the Host and Origin values answered to, once the port is known. */
    allowOrigins(port: number): void;
  }
}

/** Listens on `address:port` (0: a free port) and allows the Host values for the port actually bound. */
export async function listenHttp(app: FastifyInstance, address: string, port: number): Promise<RunningHttp> {
  await app.listen({ host: address, port });
  const bound = (app.server.address() as AddressInfo).port;
  app.allowOrigins(bound);
  return {
    port: bound,
    server: app.server as HttpServer | HttpsServer,
    close: () => app.close(),
  };
}
