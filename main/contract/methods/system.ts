import { z } from 'zod';
import { method } from '../define';

/** How this app is deployed (部署方式): one PC with its own database, or a center server every PC connects to. */
export type Deployment = 'single' | 'center';

export interface ServerInfo {
  deployment: Deployment;
  /** The address PCs and browsers open (center only). */
  url: string | null;
  /** SHA-256 of the server's TLS certificate, `AB:CD:…` as openssl prints it (center only): what a PC confirms once. */
  fingerprint: string | null;
}

/** Facts about the running server, for the administrator's settings screen. Read-only. */
export const systemMethods = {
  'system.serverInfo': method<ServerInfo>()({ input: z.strictObject({}), access: ['admin'] }),
} as const;
