/**
 * Opening a data folder: the key ring, the one-time conversion of an old plain
 * database, the encrypted database with the audit seal, migrations. The app,
 * the CLI commands and the demo seeder all open a folder through here, so the
 * key is applied before anything reads the file, everywhere.
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { openPostgres } from '../../db/postgres';
import { DB_FILE_NAME, maintainStatistics, migrateToLatest, openDatabase, restrictDatabaseFiles, SIDE_FILE_SUFFIXES, type DatabaseHandle, type SlowQuery } from '../../db/connection';
import { ConversionError, convertToEncrypted, isPlainSqliteFile, type ConversionStep } from '../../db/encryption';
import { ensurePrivateDir, keysFileExists, KeyRingError, loadOrCreateKeyRing, openKeyRing, plainProtector, readKeysProtection, type KeyProtector, type KeyRing } from '../lib/keystore';
import { createLogger } from '../lib/logger';
import { sealLegacyChain, verifyAuditChain } from '../services/audit/log';
import { AUDIT_CHECKPOINT_FILE_NAME, AuditSeal } from '../services/audit/seal';

const log = createLogger('data-folder');

export interface DataFolderOptions {
  dataDir: string;
  nativeBinding?: string;
  /** Verification only: nothing is created, converted or migrated. */
  readonly?: boolean;
  /** How keys.json is (to be) protected. Default: plain (owner-only file). */
  keyProtector?: KeyProtector;
  /** Protections a keys.json may be found in and is moved from to `keyProtector`, once (e.g. plain → passphrase). */
  upgradeFrom?: KeyProtector[];
  /** Test hook: throwing from it plays a crash during the conversion of a plain database. */
  afterConversionStep?: (step: ConversionStep) => void;
  onSlowQuery?: (q: SlowQuery) => void;
  now?: () => Date;
  /** Default true: keep the planner's statistics current (db/connection.ts maintainStatistics). */
  maintainStatistics?: boolean;
  /**
   * The center server's PostgreSQL database instead of the SQLite file in the folder (issue 10). The
   * folder still holds keys.json (the audit key) and the audit checkpoint; SQLCipher does not apply.
   */
  database?: DatabaseLocation;
}

/** Where the data lives: the default is the SQLite file in the data folder. */
export type DatabaseLocation = { engine: 'postgres'; url: string };

export interface OpenedDataFolder {
  handle: DatabaseHandle;
  keyRing: KeyRing | null;
  dbFile: string;
  /** True when this start converted a plain database. */
  converted: boolean;
}

export { ConversionError, KeyRingError };

/** Removes the database and what belongs to it (not the keys), e.g. before re-seeding the demo. */
export function removeDatabaseFiles(dataDir: string): void {
  const file = join(dataDir, DB_FILE_NAME);
  for (const f of [file, ...SIDE_FILE_SUFFIXES.map((s) => file + s), join(dataDir, AUDIT_CHECKPOINT_FILE_NAME)]) rmSync(f, { force: true });
}

export async function openDataFolder(opts: DataFolderOptions): Promise<OpenedDataFolder> {
  if (opts.database?.engine === 'postgres') return openPostgresFolder(opts, opts.database.url);
  const dbFile = join(opts.dataDir, DB_FILE_NAME);
  const slow = opts.onSlowQuery ? { onSlowQuery: opts.onSlowQuery } : {};
  const binding = opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {};
  const exists = existsSync(dbFile) && statSync(dbFile).size > 0;
  const plain = exists && isPlainSqliteFile(dbFile);

  if (opts.readonly) {
    if (!exists) throw new KeyRingError('MISSING', `找不到資料庫：${dbFile}`);
    // An old plain database not yet converted (the app converts it on its next start).
    if (plain) return { handle: openDatabase(dbFile, { readonly: true, ...binding, ...slow }), keyRing: null, dbFile, converted: false };
  } else {
    ensurePrivateDir(opts.dataDir);
  }
  if (exists && !plain && !keysFileExists(opts.dataDir)) {
    throw new KeyRingError('MISSING', `資料庫已加密，但資料目錄中找不到它的金鑰檔（keys.json），無法開啟。請放回原本的 keys.json，或從備份還原。`);
  }
  const preferred = opts.keyProtector ?? plainProtector;
  // A read-only look (verify-audit) opens keys.json as it finds it and never re-wraps it.
  const current = opts.readonly ? [preferred, ...(opts.upgradeFrom ?? [])].find((p) => p.kind === readKeysProtection(opts.dataDir)) : undefined;
  const keyRing = current ? loadOrCreateKeyRing(opts.dataDir, current) : openKeyRing(opts.dataDir, preferred, opts.upgradeFrom ?? []);

  let converted = false;
  if (plain) {
    log.info('converting the plain database to an encrypted one');
    await convertToEncrypted(dbFile, keyRing.dbKey, {
      ...binding,
      ...(opts.afterConversionStep ? { afterStep: opts.afterConversionStep } : {}),
      async verify(before, after) {
        // The copy must tell the same story as the original, breaks included.
        const [a, b] = await Promise.all([verifyAuditChain(before), verifyAuditChain(after)]);
        if (JSON.stringify(a) !== JSON.stringify(b)) throw new ConversionError('加密後的稽核紀錄鏈與原資料不符，已停止轉換，原資料未變動。');
      },
    });
    converted = true;
    log.info('the database is now encrypted');
  }

  const seal = new AuditSeal(keyRing.auditKey, opts.dataDir);
  const handle = openDatabase(dbFile, { key: keyRing.dbKey, plugins: [seal], readonly: opts.readonly ?? false, ...binding, ...slow });
  seal.attach(handle.db);
  if (!opts.readonly) {
    await prepareDatabase(handle, seal, opts);
    restrictDatabaseFiles(dbFile);
  }
  // After the migrations, so that an index one of them added is analyzed too.
  const statistics = opts.readonly || opts.maintainStatistics === false ? null : maintainStatistics(handle.sqlite);
  return { handle: withSealClose(handle, seal, () => statistics?.stop()), keyRing, dbFile, converted };
}

/** Migrations, the audit checkpoint and the seal of an old chain: every writable open does them. */
async function prepareDatabase(handle: DatabaseHandle, seal: AuditSeal, opts: DataFolderOptions): Promise<void> {
  try {
    const applied = await migrateToLatest(handle.db);
    if (applied.length > 0) log.info(`applied migrations: ${applied.join(', ')}`);
    await seal.initCheckpoint();
    if (await sealLegacyChain(handle.db, (opts.now ?? (() => new Date()))())) log.info('the audit chain is now sealed with the audit key');
    await seal.flush();
  } catch (err) {
    await handle.close();
    throw err;
  }
}

function withSealClose<H extends DatabaseHandle>(handle: H, seal: AuditSeal, beforeClose?: () => void): H {
  const close = handle.close.bind(handle);
  return {
    ...handle,
    async close() {
      beforeClose?.();
      await seal.close();
      await close();
    },
  };
}

/**
 * The center server: the database is PostgreSQL at `url`; the folder keeps keys.json (the audit key,
 * and the backup key) and the audit checkpoint. Data at rest on the server is protected by the disk's
 * or OS's encryption and PostgreSQL's access control; the audit seal protects against the database's
 * operator.
 */
async function openPostgresFolder(opts: DataFolderOptions, url: string): Promise<OpenedDataFolder> {
  if (!opts.readonly) ensurePrivateDir(opts.dataDir);
  const preferred = opts.keyProtector ?? plainProtector;
  const current = opts.readonly ? [preferred, ...(opts.upgradeFrom ?? [])].find((p) => p.kind === readKeysProtection(opts.dataDir)) : undefined;
  const keyRing = current ? loadOrCreateKeyRing(opts.dataDir, current) : openKeyRing(opts.dataDir, preferred, opts.upgradeFrom ?? []);
  const seal = new AuditSeal(keyRing.auditKey, opts.dataDir);
  const handle = openPostgres(url, { plugins: [seal], ...(opts.onSlowQuery ? { onSlowQuery: opts.onSlowQuery } : {}) });
  seal.attach(handle.db);
  if (!opts.readonly) await prepareDatabase(handle, seal, opts);
  return { handle: withSealClose(handle, seal), keyRing, dbFile: '', converted: false };
}

