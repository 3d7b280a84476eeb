import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Envelope } from '../contract/envelope';
import type { Dispatcher } from '../api/dispatch';

/**
 * The browser host: the same handler table as Electron's IPC, over HTTP on
 * 127.0.0.1 only. The session token travels in a header (never a cookie), so a
 * page on another origin cannot ride on it; requests whose Host or Origin is
 * not this server's own are refused, which also defeats DNS rebinding.
 */
export const SESSION_HEADER = 'x-welfare-session';
/** A write's request id (a UUID): a retry with the same id is answered, not applied again. */
export const REQUEST_HEADER = 'x-welfare-request';
const MAX_BODY_BYTES = 32 * 1024 * 1024;

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

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

export interface HostOptions {
  dispatcher: Dispatcher;
  /** The built renderer (dist/renderer). */
  staticDir: string;
  /** 0 picks a free port. */
  port: number;
}

export interface RunningHost {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

function baseHeaders(res: ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'Content-Length': Buffer.byteLength(json) });
  res.end(json);
}

function refuse(res: ServerResponse, status: number, message: string): void {
  const body: Envelope<never> = { ok: false, error: { code: 'FORBIDDEN', message } };
  sendJson(res, status, body);
}

/** A body over this size counts as large: only MAX_LARGE_BODIES of them are read at once. */
export const LARGE_BODY_BYTES = 1024 * 1024;
export const MAX_LARGE_BODIES = 2;

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolvePromise, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        // Stop reading: answer at once and let the connection close.
        done = true;
        chunks.length = 0;
        req.pause();
        resolvePromise('too-large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!done) {
        done = true;
        resolvePromise(Buffer.concat(chunks));
      }
    });
    req.on('error', reject);
  });
}

/** True when the request carries a body that has not been read (declared, or chunked). */
function hasBody(req: IncomingMessage): boolean {
  return Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
}

/**
 * Answers without reading the body. The connection is closed after the answer (Node then stops reading
 * the socket), so a refused upload costs the bytes already in flight, not the whole body.
 */
function answerUnread(req: IncomingMessage, res: ServerResponse, status: number, body: unknown): void {
  if (hasBody(req)) res.setHeader('Connection', 'close');
  sendJson(res, status, body);
}

function tooLarge(req: IncomingMessage, res: ServerResponse): void {
  answerUnread(req, res, 413, { ok: false, error: { code: 'PAYLOAD_TOO_LARGE', message: '送出的資料過大，請縮小內容後再試。' } });
}

export function startHost(opts: HostOptions): Promise<RunningHost> {
  const staticRoot = resolve(opts.staticDir);
  let port = opts.port;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);
  let largeInFlight = 0;

  async function handleApi(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    if (req.method !== 'POST') {
      res.writeHead(405, { Allow: 'POST' }).end();
      return;
    }
    const type = req.headers['content-type'] ?? '';
    if (!type.startsWith('application/json')) {
      // Also forces browsers to preflight, which this host never approves.
      refuse(res, 415, '請以 JSON 送出資料。');
      return;
    }
    // Who is calling is checked before a byte of the body is read: without a live session only the
    // public methods (status, sign-in, first-run setup) may send one, and a small one.
    const header = req.headers[SESSION_HEADER];
    const token = typeof header === 'string' ? header : null;
    const admission = await opts.dispatcher.admit(method, token);
    if (!admission.ok) {
      const status = admission.error.code === 'UNAUTHENTICATED' ? 401 : 404;
      answerUnread(req, res, status, { ok: false, error: admission.error.toBody() });
      return;
    }
    const limit = Math.min(MAX_BODY_BYTES, admission.maxBodyBytes);
    const declared = req.headers['content-length'] === undefined ? null : Number(req.headers['content-length']);
    if (declared !== null && !(declared <= limit)) {
      tooLarge(req, res);
      return;
    }
    // A large (or unannounced) body holds memory until it is parsed: only a few at once.
    const large = declared === null || declared > LARGE_BODY_BYTES;
    if (large && largeInFlight >= MAX_LARGE_BODIES) {
      answerUnread(req, res, 503, { ok: false, error: { code: 'INTERNAL', message: '系統正在接收其他大型檔案，請稍候一分鐘再送出。' } });
      return;
    }
    if (large) {
      // Held until the answer is sent: the body stays in memory while the method works on it.
      largeInFlight++;
      res.once('close', () => largeInFlight--);
    }
    const body = await readBody(req, limit);
    if (body === 'too-large') {
      tooLarge(req, res);
      return;
    }
    let payload: unknown;
    try {
      payload = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      sendJson(res, 400, { ok: false, error: { code: 'VALIDATION', message: '資料不是有效的 JSON。' } });
      return;
    }
    const envelope = await opts.dispatcher.dispatch({
      method,
      payload,
      token,
      transport: 'http',
      source: req.socket.remoteAddress ?? 'unknown',
      requestId: typeof req.headers[REQUEST_HEADER] === 'string' ? req.headers[REQUEST_HEADER] : null,
    });
    sendJson(res, 200, envelope);
  }

  function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    let rel: string;
    try {
      rel = decodeURIComponent(pathname);
    } catch {
      res.writeHead(400).end(); // a malformed %-escape: thrown here it would take the host down
      return;
    }
    if (rel.includes('\0')) {
      res.writeHead(400).end();
      return;
    }
    rel = normalize(rel).replace(/^([/\\])+/, '');
    let file = join(staticRoot, rel);
    if (file !== staticRoot && !file.startsWith(staticRoot + sep)) {
      res.writeHead(404).end();
      return;
    }
    // Client-side routes fall back to the app shell.
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(staticRoot, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' }).end('畫面檔案尚未建置，請先執行 npm run build。');
      return;
    }
    const isHtml = file.endsWith('.html');
    res.writeHead(200, {
      'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': isHtml ? 'no-store' : 'public, max-age=31536000, immutable',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file).pipe(res);
  }

  const server = createServer((req, res) => {
    baseHeaders(res);
    // DNS rebinding: a hostile name resolving to 127.0.0.1 still sends its own Host.
    if (!allowedHosts().has(req.headers.host ?? '')) {
      refuse(res, 403, '拒絕連線：來源主機不符。');
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedOrigins().has(origin)) {
      refuse(res, 403, '拒絕連線：來源網站不符。');
      return;
    }
    const site = req.headers['sec-fetch-site'];
    if (site !== undefined && site !== 'same-origin' && site !== 'none') {
      refuse(res, 403, '拒絕連線：來源網站不符。');
      return;
    }
    let url: URL;
    try {
      url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    } catch {
      res.writeHead(400).end(); // e.g. an absolute request target that does not parse
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      handleApi(req, res, url.pathname.slice('/api/'.length)).catch(() => {
        if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'INTERNAL', message: '系統發生錯誤，請稍後再試。' } });
      });
      return;
    }
    serveStatic(req, res, url.pathname);
  });

  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    // Loopback only, never 0.0.0.0: the data must not be reachable from the network.
    server.listen(opts.port, '127.0.0.1', () => {
      port = (server.address() as AddressInfo).port;
      resolvePromise({
        url: `http://127.0.0.1:${port}/`,
        port,
        server,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}
