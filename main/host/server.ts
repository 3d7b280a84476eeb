import type { Server } from 'node:http';
import type { Dispatcher } from '../api/dispatch';
import { buildHttpApp, listenHttp, type RateLimitOptions } from '../server/http';

/**
 * The browser host: the same handler table as Electron's IPC, over plain HTTP on 127.0.0.1 only, built
 * on the same fastify front as the center server (main/server/http.ts has every protection). The session
 * token travels in a header (never a cookie), so a page on another origin cannot ride on it; requests
 * whose Host or Origin is not this server's own are refused, which also defeats DNS rebinding.
 */
export { CONTENT_SECURITY_POLICY, LARGE_BODY_BYTES, MAX_LARGE_BODIES, REQUEST_HEADER, SESSION_HEADER } from '../server/http';

/** One person at one PC: generous, it only stops a runaway loop in a page. */
export const HOST_RATE_LIMIT: RateLimitOptions = { max: 3000, windowMs: 60_000 };

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

export async function startHost(opts: HostOptions): Promise<RunningHost> {
  const app = await buildHttpApp({
    dispatcher: opts.dispatcher,
    staticDir: opts.staticDir,
    tls: null,
    hostsFor: (port) => [`127.0.0.1:${port}`, `localhost:${port}`],
    rateLimit: HOST_RATE_LIMIT,
  });
  // Loopback only, never 0.0.0.0: the data must not be reachable from the network.
  const running = await listenHttp(app, '127.0.0.1', opts.port);
  return { url: `http://127.0.0.1:${running.port}/`, port: running.port, server: running.server as Server, close: running.close };
}
