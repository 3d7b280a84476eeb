/**
 * The PC's choice of how it reaches its data, kept as `connection.json` in the user-data folder:
 * `{ "mode": "local" }` (the single-PC app) or `{ "mode": "server", url, fingerprint, pinnedAt }`.
 * No file means the first run has not chosen yet.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connectionConfigSchema, type ConnectionConfig } from '../contract/connection';
import { createLogger } from '../lib/logger';

const log = createLogger('connection');

export const CONNECTION_FILE = 'connection.json';

export function connectionFile(dataDir: string): string {
  return join(dataDir, CONNECTION_FILE);
}

/**
 * The stored choice, or null when there is none. A file that does not parse or validate is moved aside
 * (`connection.json.invalid-<time>`, for the administrator to look at) and counts as none, so the
 * first-run choice shows again instead of the app failing to start.
 */
export function readConnectionConfig(dataDir: string, now: () => Date = () => new Date()): ConnectionConfig | null {
  const file = connectionFile(dataDir);
  if (!existsSync(file)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    parsed = undefined;
  }
  const result = connectionConfigSchema.safeParse(parsed);
  if (result.success) return result.data;
  const aside = `${file}.invalid-${now().toISOString().replace(/[:.]/g, '-')}`;
  renameSync(file, aside);
  log.warn(`${CONNECTION_FILE} was not valid; moved to ${aside}`);
  return null;
}

/** Writes the choice atomically (a temporary file renamed over the old one). */
export function writeConnectionConfig(dataDir: string, config: ConnectionConfig): ConnectionConfig {
  const valid = connectionConfigSchema.parse(config);
  mkdirSync(dataDir, { recursive: true });
  const file = connectionFile(dataDir);
  const tmp = `${file}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(valid, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
  return valid;
}

export function removeConnectionConfig(dataDir: string): void {
  rmSync(connectionFile(dataDir), { force: true });
}
