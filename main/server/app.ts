import { openApp, type App } from '../api/app';
import type { ServerInfo } from '../contract/methods/system';
import { keyProtectionFor } from '../lib/passphrase';
import { ConfigError, type ServerConfig } from './config';

export interface ServerAppOptions {
  /** Test clock (`--test-now`). */
  now?: () => Date;
  serverInfo: () => ServerInfo;
  /** Start the scheduled backups' timer (the running server; not tests). */
  scheduleBackups?: boolean;
}

/**
 * The one place the center server opens its App from the configuration: the data folder (keys.json,
 * audit checkpoint, tls/) and the database engine it names.
 */
export async function openServerApp(config: ServerConfig, opts: ServerAppOptions): Promise<App> {
  const keys = await keyProtectionFor(config.dataDir, { passphraseFile: config.passphraseFile });
  const common = {
    dataDir: config.dataDir,
    scheduleBackups: opts.scheduleBackups === true,
    serverInfo: opts.serverInfo,
    ...(opts.now ? { now: opts.now } : {}),
    ...keys,
  };
  const database = config.database;
  switch (database.engine) {
    case 'sqlite':
      return openApp(common);
    case 'postgres':
      return openApp({ ...common, database: { engine: 'postgres', url: database.url } });
    default: {
      const never: never = database;
      throw new ConfigError(`不支援的資料庫：${JSON.stringify(never)}`, 'database.engine');
    }
  }
}
