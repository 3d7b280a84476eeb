import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DB_FILE_NAME, migrateToLatest, openDatabase, type DatabaseHandle } from '../../db/connection';
import { loadOrCreateKeyRing } from '../lib/keystore';
import { createLogger } from '../lib/logger';
import { startBackupScheduler, type BackupScheduler } from '../services/backup/scheduler';
import { createBackupRuntime } from '../services/backup/service';
import { SessionStore } from '../services/auth/sessions';
import { SetupGate } from '../services/auth/setup-gate';
import type { AppContext } from '../services/context';
import { countUsers } from '../services/users/service';
import { createDispatcher, type Dispatcher } from './dispatch';
import { buildHandlers } from './handlers';

const log = createLogger('app');

export interface OpenAppOptions {
  dataDir: string;
  nativeBinding?: string;
  now?: () => Date;
  /** Start the scheduled backups' timer (the host and Electron; not tests or the CLI). */
  scheduleBackups?: boolean;
}

export interface App {
  ctx: AppContext;
  dispatcher: Dispatcher;
  database: DatabaseHandle;
  dbFile: string;
  /** The scheduled backups (always present; its timer runs only with `scheduleBackups`). */
  backupScheduler: BackupScheduler;
  /** True while no user exists: the first-run screen will show. */
  needsSetup(): Promise<boolean>;
  close(): Promise<void>;
}

/** Opens (creating if needed) the data directory and database, migrates, and wires the handler table. */
export async function openApp(opts: OpenAppOptions): Promise<App> {
  mkdirSync(opts.dataDir, { recursive: true });
  const dbFile = join(opts.dataDir, DB_FILE_NAME);
  const database = openDatabase(dbFile, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
  const applied = await migrateToLatest(database.db);
  if (applied.length > 0) log.info(`applied migrations: ${applied.join(', ')}`);

  const ctx: AppContext = {
    db: database.db,
    sessions: new SessionStore(database.db),
    setupGate: new SetupGate(),
    now: opts.now ?? (() => new Date()),
    backup: createBackupRuntime(opts.dataDir, dbFile, database.sqlite, loadOrCreateKeyRing(opts.dataDir)),
  };
  const dispatcher = createDispatcher(ctx, buildHandlers());
  const backupScheduler = startBackupScheduler(ctx, { timers: opts.scheduleBackups === true });

  return {
    ctx,
    dispatcher,
    database,
    dbFile,
    backupScheduler,
    needsSetup: async () => (await countUsers(database.db)) === 0,
    close: () => {
      backupScheduler.stop();
      return database.close();
    },
  };
}
