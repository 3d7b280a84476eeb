import { homedir } from 'node:os';
import { join } from 'node:path';

export const APP_FOLDER = 'welfare-desk';

/** The per-user application-data folder the OS expects (what Electron calls appData). */
export function platformAppDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return env.APPDATA ?? join(homedir(), 'AppData', 'Roaming');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support');
  return env.XDG_CONFIG_HOME ?? join(homedir(), '.config');
}

/**
 * Where welfare-desk.db and backups live. WELFARE_DESK_DATA_DIR wins, then an
 * explicit --data-dir, then the OS default, so Electron and the browser host
 * on one PC share one database.
 */
export function resolveDataDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.WELFARE_DESK_DATA_DIR) return env.WELFARE_DESK_DATA_DIR;
  if (explicit) return explicit;
  return join(platformAppDataDir(env), APP_FOLDER);
}
