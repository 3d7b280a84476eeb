import type { Server } from 'node:https';
import type { App } from '../api/app';
import type { Dispatcher } from '../api/dispatch';
import type { ServerInfo } from '../contract/methods/system';
import { openServerApp } from './app';
import { hostsFor, serverUrl, type ServerConfig } from './config';
import { buildHttpApp, listenHttp } from './http';
import { loadOrCreateCertificate, type ServerCertificate } from './tls';

/** The center server's HTTPS front on the configured address: the same fastify app as the 127.0.0.1 host. */
export interface RunningServerHttp {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

export async function startServerHttp(opts: {
  dispatcher: Dispatcher;
  staticDir: string;
  config: Pick<ServerConfig, 'listen' | 'port' | 'publicNames' | 'rateLimit'>;
  certificate: Pick<ServerCertificate, 'key' | 'cert'>;
}): Promise<RunningServerHttp> {
  const { config } = opts;
  const app = await buildHttpApp({
    dispatcher: opts.dispatcher,
    staticDir: opts.staticDir,
    // TLS only: a plain HTTP request on this port fails the handshake and gets no answer.
    tls: { key: opts.certificate.key, cert: opts.certificate.cert },
    hostsFor: (port) => hostsFor(config, port),
    rateLimit: { max: config.rateLimit.max, windowMs: config.rateLimit.windowSeconds * 1000 },
  });
  const running = await listenHttp(app, config.listen, config.port);
  return { url: serverUrl(config, running.port), port: running.port, server: running.server as Server, close: running.close };
}

export interface RunningCenterServer {
  app: App;
  http: RunningServerHttp;
  certificate: ServerCertificate;
  url: string;
  /** Stops taking requests, lets the ones in flight finish, then closes the database. */
  close(): Promise<void>;
}

/** Certificate, App and HTTPS front from a configuration: what `npm run server` runs. */
export async function startCenterServer(
  config: ServerConfig,
  opts: { staticDir: string; now?: () => Date; scheduleBackups?: boolean },
): Promise<RunningCenterServer> {
  const certificate = await loadOrCreateCertificate(config);
  let url: string | null = null;
  const serverInfo = (): ServerInfo => ({ deployment: 'center', url, fingerprint: certificate.fingerprint });
  const app = await openServerApp(config, { serverInfo, ...(opts.now ? { now: opts.now } : {}), scheduleBackups: opts.scheduleBackups === true });
  let http: RunningServerHttp;
  try {
    http = await startServerHttp({ dispatcher: app.dispatcher, staticDir: opts.staticDir, config, certificate });
  } catch (err) {
    await app.close();
    throw err;
  }
  url = http.url;
  return {
    app,
    http,
    certificate,
    url: http.url,
    async close() {
      await http.close();
      await app.close();
    },
  };
}
