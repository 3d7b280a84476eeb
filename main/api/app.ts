import type { DatabaseHandle } from '../../db/connection';
import type { ConversionStep } from '../../db/encryption';
import type { ServerInfo } from '../contract/methods/system';
import type { KeyProtector, KeyRing } from '../lib/keystore';
import { startBackupScheduler, type BackupScheduler } from '../services/backup/scheduler';
import { createBackupRuntime } from '../services/backup/service';
import { SessionStore } from '../services/auth/sessions';
import { SetupGate } from '../services/auth/setup-gate';
import type { AppContext } from '../services/context';
import { countUsers } from '../services/users/service';
import { createDispatcher, type Dispatcher } from './dispatch';
import { openDataFolder, type DatabaseLocation } from './data-folder';
import { buildHandlers } from './handlers';

export interface OpenAppOptions {
  dataDir: string;
  nativeBinding?: string;
  now?: () => Date;
  /** How the data folder's keys.json is protected (desktop: the OS via safeStorage; otherwise plain or a passphrase). */
  keyProtector?: KeyProtector;
  /** Protections an existing keys.json is moved from to `keyProtector` (e.g. plain → safeStorage). */
  upgradeFrom?: KeyProtector[];
  /** Test hook for the conversion of a plain database (plays a crash). */
  afterConversionStep?: (step: ConversionStep) => void;
  /** Start the scheduled backups' timer (the host and Electron; not tests or the CLI). */
  scheduleBackups?: boolean;
  /** What `system.serverInfo` answers: the center server passes its URL and certificate fingerprint; default single PC. */
  serverInfo?: () => ServerInfo;
  /** False: no PRAGMA optimize on this connection (the benchmarks' measurement without statistics). */
  maintainStatistics?: boolean;
  /** The center server's PostgreSQL database (issue 10); default: the SQLite file in `dataDir`. */
  database?: DatabaseLocation;
}

export interface App {
  ctx: AppContext;
  dispatcher: Dispatcher;
  database: DatabaseHandle;
  dbFile: string;
  /** The data folder's keys (the backup key wraps backups). */
  keyRing: KeyRing;
  /** The scheduled backups (always present; its timer runs only with `scheduleBackups`). */
  backupScheduler: BackupScheduler;
  /** True while no user exists: the first-run screen will show. */
  needsSetup(): Promise<boolean>;
  close(): Promise<void>;
}

/** Opens (creating if needed) the data directory and database, migrates, and wires the handler table. */
export async function openApp(opts: OpenAppOptions): Promise<App> {
  const { handle: database, dbFile, keyRing } = await openDataFolder({
    dataDir: opts.dataDir,
    ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
    ...(opts.keyProtector ? { keyProtector: opts.keyProtector } : {}),
    ...(opts.upgradeFrom ? { upgradeFrom: opts.upgradeFrom } : {}),
    ...(opts.afterConversionStep ? { afterConversionStep: opts.afterConversionStep } : {}),
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.maintainStatistics === false ? { maintainStatistics: false } : {}),
    ...(opts.database ? { database: opts.database } : {}),
  });
  if (!keyRing) throw new Error('unreachable: a writable data folder always has keys');

  const ctx: AppContext = {
    db: database.db,
    sessions: new SessionStore(database.db),
    setupGate: new SetupGate(),
    now: opts.now ?? (() => new Date()),
    backup: createBackupRuntime(opts.dataDir, dbFile, database.engine === 'sqlite' ? database.sqlite : null, keyRing),
  };
  const dispatcher = createDispatcher(ctx, buildHandlers(opts.serverInfo ? { serverInfo: opts.serverInfo } : {}));
  const backupScheduler = startBackupScheduler(ctx, { timers: opts.scheduleBackups === true });

  return {
    ctx,
    dispatcher,
    database,
    dbFile,
    keyRing,
    backupScheduler,
    needsSetup: async () => (await countUsers(database.db)) === 0,
    close: () => {
      backupScheduler.stop();
      return database.close();
    },
  };
}
