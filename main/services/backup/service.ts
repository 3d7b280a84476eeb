import { createHash, randomBytes } from 'node:crypto';
import { accessSync, closeSync, constants, existsSync, mkdirSync, openSync, readdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { basename, isAbsolute, join, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { sql, type Kysely } from 'kysely';
import { applyCipherKey, migrateToLatest, openDatabase } from '../../../db/connection';
import { MIGRATIONS } from '../../../db/migrations/index';
import type { Database } from '../../../db/schema';
import { writeTransaction } from '../../../db/tx';
import type { BackupFileView, BackupStatus, RestoreCheck } from '../../contract/methods/backup';
import { ApiError } from '../../contract/envelope';
import type { KeyRing } from '../../lib/keystore';
import { createLogger } from '../../lib/logger';
import { appendAudit, sealLegacyChain, verifyAuditChain, type AuditInput } from '../audit/log';
import { auditSealOf, AuditSeal } from '../audit/seal';
import { BACKUP_KEYS, readBackupSettings, writeBackupSetting, type StoredBackupResult } from '../settings/backup';
import { BackupFileError, looksLikeContainer, readContainer, writeContainer, type RecoveryPublic, type Unlock } from './container';

const log = createLogger('backup');

/** The steps of a restore, named so tests can make each one fail. */
export type RestoreStep = 'decrypt' | 'integrity' | 'migrations' | 'audit' | 'rollback-copy' | 'migrate' | 'swap' | 'swap-midway';

/** What the backup service needs besides the database: where things live and the keys. */
export interface BackupRuntime {
  dataDir: string;
  /** The app's own connection, the source of SQLite's online backup; null on PostgreSQL (the center server). */
  sqlite: BetterSqlite3.Database | null;
  dbFile: string;
  keys: KeyRing;
  /** Test hook: called before each restore step; throwing there simulates a failure at that step. */
  faults?: (step: RestoreStep) => void;
  staged: Map<string, StagedRestore>;
  /** One backup or restore at a time in this process. */
  busy: boolean;
}

export interface StagedRestore {
  id: string;
  tmpFile: string;
  file: string;
  bytes: number;
  check: RestoreCheck;
  expiresAt: number;
  /** The key of the decrypted copy (null: a plain copy, from before the database was encrypted). */
  innerKey: Buffer | null;
  /** True when another install's audit key sealed the chain (a restore onto a new PC). */
  foreignSeal: boolean;
}

export function createBackupRuntime(dataDir: string, dbFile: string, sqlite: BetterSqlite3.Database | null, keys: KeyRing): BackupRuntime {
  return { dataDir, dbFile, sqlite, keys, staged: new Map(), busy: false };
}

/** The .wdbak backups copy the SQLite file; the center server's PostgreSQL is backed up with the server's own tools. */
function liveSqlite(rt: BackupRuntime): BetterSqlite3.Database {
  if (!rt.sqlite) throw new ApiError('CONFLICT', '中心伺服器的資料庫請用伺服器的備份指令（pg_dump）備份與還原，這裡的備份檔功能只適用於單機版。');
  return rt.sqlite;
}

/** Metadata sealed inside every backup (never in its readable header). */
export interface BackupMeta {
  app: 'welfare-desk';
  madeAt: string;
  madeBy: string | null;
  reason: BackupReason;
  migrations: string[];
  /** The key of the SQLCipher copy inside (a random one per backup, never the live database's). */
  innerKey?: string;
  /** Which install's audit key sealed the chain inside (a fingerprint, never the key). */
  auditKeyId?: string;
  /** The install's signed audit checkpoint when the backup was made (issue 9: exported with every backup). */
  auditCheckpoint?: unknown;
}
export type BackupReason = 'manual' | 'scheduled' | 'cli' | 'pre-restore';

export const BACKUP_EXT = '.wdbak';

/** A fingerprint of an audit key: tells whether a backup's chain was sealed by this install. */
export function auditKeyId(key: Buffer): string {
  return createHash('sha256').update('welfare-desk audit key id\n').update(key).digest('hex').slice(0, 32);
}

/** Runs raw work on the app's connection while holding it, so no Kysely query or transaction interleaves. */
function withLiveConnection<T>(db: Kysely<Database>, fn: () => T): Promise<T> {
  return db.connection().execute(() => Promise.resolve().then(fn));
}

/** Drops the audit log's append-only triggers for `fn` on a private copy, then puts them back. */
function withoutAuditTriggers(sqlite: BetterSqlite3.Database, fn: () => void): void {
  const triggers = sqlite.prepare("select name, sql from sqlite_master where type = 'trigger' and tbl_name = 'audit_log'").all() as { name: string; sql: string }[];
  for (const t of triggers) sqlite.exec(`drop trigger "${t.name}"`);
  fn();
  for (const t of triggers) sqlite.exec(t.sql);
}
const NAME_PATTERN = /^welfare-desk-(\d{8})T(\d{6})Z(?:-[a-z0-9-]+)?\.wdbak$/;
const STAGE_TTL_MS = 30 * 60_000;

export function defaultBackupFolder(dataDir: string): string {
  return join(dataDir, 'backups');
}

export async function backupFolder(db: Kysely<Database>, rt: BackupRuntime): Promise<string> {
  return (await readBackupSettings(db)).folder ?? defaultBackupFolder(rt.dataDir);
}

function backupFileName(now: Date, reason: BackupReason): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `welfare-desk-${stamp}${reason === 'pre-restore' ? '-before-restore' : ''}${BACKUP_EXT}`;
}

function madeAtFromName(name: string): string | null {
  const m = NAME_PATTERN.exec(name);
  if (!m) return null;
  const [d, t] = [m[1] as string, m[2] as string];
  return `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${t.slice(0, 2)}:${t.slice(2, 4)}:${t.slice(4, 6)}.000Z`;
}

function removeQuietly(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    try {
      unlinkSync(f);
    } catch {
      // already gone
    }
  }
}

/** A temporary file in the data folder, created empty with owner-only permissions. */
function tempFile(rt: BackupRuntime, kind: string): string {
  const file = join(rt.dataDir, `.${kind}-${randomBytes(8).toString('hex')}.tmp`);
  closeSync(openSync(file, 'wx', 0o600));
  return file;
}

/**
 * Checks a folder the administrator typed: absolute, creatable, writable. Returns a
 * zh-TW reason, or null when it will do.
 */
export function checkFolder(folder: string): string | null {
  if (!isAbsolute(folder)) return '請輸入完整路徑（例如 D:\\備份 或 /srv/備份）。';
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
  } catch {
    return '無法建立此資料夾，請確認路徑與權限。';
  }
  try {
    if (!statSync(folder).isDirectory()) return '此路徑不是資料夾。';
    accessSync(folder, constants.W_OK);
    const probe = join(folder, `.welfare-desk-probe-${randomBytes(4).toString('hex')}`);
    closeSync(openSync(probe, 'wx', 0o600));
    unlinkSync(probe);
  } catch {
    return '無法寫入此資料夾，請確認權限或換一個資料夾。';
  }
  return null;
}

// --- making a backup ------------------------------------------------------------------

export interface MakeBackupOptions {
  reason: BackupReason;
  actor: AuditInput['actor'];
  actorLabel?: string;
  now: Date;
  /** An exact output path (CLI); otherwise a new name in the backup folder. */
  outFile?: string;
}

/**
 * Makes an encrypted backup: SQLite's online backup into a 0600 temporary file in
 * the data folder, sealed into the container, the plain copy deleted at once.
 * The container is written under a `.partial` name and renamed, so a crash never
 * leaves a half-written backup under a real name. Records the result and an audit
 * row; a failure is recorded too and rethrown as a zh-TW ApiError.
 */
export async function makeBackup(db: Kysely<Database>, rt: BackupRuntime, opts: MakeBackupOptions): Promise<BackupFileView> {
  const live = liveSqlite(rt);
  const settings = await readBackupSettings(db);
  const folder = opts.outFile ? resolve(opts.outFile, '..') : (settings.folder ?? defaultBackupFolder(rt.dataDir));
  const name = opts.outFile ? basename(opts.outFile) : backupFileName(opts.now, opts.reason);
  const target = join(folder, name);
  let plain: string | null = null;
  const partial = `${target}.partial`;
  try {
    if (!opts.outFile) {
      const problem = checkFolder(folder);
      if (problem) throw new ApiError('VALIDATION', `備份資料夾無法使用：${problem}`, { fields: { folder: problem } });
    }
    if (existsSync(target)) throw new ApiError('CONFLICT', '同名的備份檔已存在，請稍後再試或換一個檔名。');
    plain = tempFile(rt, 'backup');
    unlinkSync(plain); // VACUUM INTO writes a new file
    // A consistent snapshot, encrypted like the live file (SQLite's backup API refuses encrypted
    // databases); then re-keyed with a key of its own, which travels only inside the sealed container.
    const copy = plain;
    await withLiveConnection(db, () => live.prepare('vacuum into ?').run(copy));
    const innerKey = randomBytes(32);
    const c = new BetterSqlite3(copy);
    try {
      applyCipherKey(c, rt.keys.dbKey);
      c.pragma(`rekey = "x'${innerKey.toString('hex')}'"`);
    } finally {
      c.close();
    }
    const seal = auditSealOf(db);
    const meta: BackupMeta = {
      app: 'welfare-desk',
      madeAt: opts.now.toISOString(),
      madeBy: opts.actor?.displayName ?? opts.actorLabel ?? null,
      reason: opts.reason,
      migrations: await appliedMigrations(db),
      innerKey: innerKey.toString('hex'),
      auditKeyId: auditKeyId(rt.keys.auditKey),
      auditCheckpoint: seal ? seal.readCheckpoint() : null,
    };
    const recovery: RecoveryPublic | null = settings.recovery;
    const { bytes } = writeContainer(plain, partial, { backupKey: rt.keys.backupKey, recovery, meta });
    renameSync(partial, target);
    const result: StoredBackupResult = { at: opts.now.toISOString(), file: name, bytes, ok: true, error: null, reason: opts.reason };
    await writeTransaction(db, async (trx) => {
      await writeBackupSetting(trx, BACKUP_KEYS.last, result);
      await writeBackupSetting(trx, BACKUP_KEYS.lastSuccess, result);
      await appendAudit(trx, { actor: opts.actor, actorLabel: opts.actorLabel, action: 'export', entity: 'backup', entityId: name, detail: { bytes, reason: opts.reason, recoverySlot: recovery !== null } }, opts.now);
    });
    if (!opts.outFile) pruneOldBackups(folder, settings.schedule.keepDays, opts.now, name);
    return { name, bytes, madeAt: opts.now.toISOString() };
  } catch (err) {
    removeQuietly(partial);
    const message = err instanceof ApiError ? err.message : '備份失敗：無法寫入備份檔，請確認備份資料夾的空間與權限。';
    if (!(err instanceof ApiError)) log.error('backup failed', err instanceof Error ? { name: err.name, code: (err as NodeJS.ErrnoException).code } : undefined);
    const result: StoredBackupResult = { at: opts.now.toISOString(), file: name, bytes: null, ok: false, error: message, reason: opts.reason };
    try {
      await writeTransaction(db, async (trx) => {
        await writeBackupSetting(trx, BACKUP_KEYS.last, result);
        await appendAudit(trx, { actor: opts.actor, actorLabel: opts.actorLabel, action: 'export', entity: 'backup', entityId: name, detail: { ok: false, reason: opts.reason } }, opts.now);
      });
    } catch {
      // The database itself may be the problem; the error below still reaches the caller.
    }
    throw err instanceof ApiError ? err : new ApiError('INTERNAL', message);
  } finally {
    if (plain) removeQuietly(plain);
  }
}

async function appliedMigrations(db: Kysely<Database>): Promise<string[]> {
  const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return rows.rows.map((r) => r.name);
}

/** Deletes our own backup files older than `keepDays`, never the one just made and never other files. */
export function pruneOldBackups(folder: string, keepDays: number, now: Date, keep: string): string[] {
  const cutoff = now.getTime() - keepDays * 24 * 3600_000;
  const removed: string[] = [];
  for (const f of listBackupFiles(folder)) {
    if (f.name === keep) continue;
    if (Date.parse(f.madeAt) < cutoff) {
      try {
        unlinkSync(join(folder, f.name));
        removed.push(f.name);
      } catch {
        // left for next time
      }
    }
  }
  return removed;
}

export function listBackupFiles(folder: string): BackupFileView[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  const out: BackupFileView[] = [];
  for (const name of names) {
    const madeAt = madeAtFromName(name);
    if (!madeAt) continue;
    try {
      out.push({ name, bytes: statSync(join(folder, name)).size, madeAt });
    } catch {
      // vanished meanwhile
    }
  }
  return out.sort((a, b) => b.madeAt.localeCompare(a.madeAt) || b.name.localeCompare(a.name));
}

// --- status ----------------------------------------------------------------------------

/** Overdue when no successful backup within the interval plus this grace. */
const GRACE_HOURS = 12;

export async function backupStatus(db: Kysely<Database>, rt: BackupRuntime, now: Date): Promise<BackupStatus> {
  const s = await readBackupSettings(db);
  let warning: string | null = null;
  const lastSuccessAt = s.lastSuccess?.at ?? null;
  const dueMs = (s.schedule.intervalHours + GRACE_HOURS) * 3600_000;
  if (s.last && !s.last.ok) warning = `最近一次備份失敗：${s.last.error ?? '原因不明'}`;
  else if (!lastSuccessAt) warning = '尚未有任何備份。請到「備份與還原」立即備份。';
  else if (now.getTime() - Date.parse(lastSuccessAt) > dueMs) warning = '已超過排定時間仍未備份，請檢查備份資料夾或立即備份。';
  return {
    folder: s.folder ?? defaultBackupFolder(rt.dataDir),
    folderIsDefault: s.folder === null,
    recoverySet: s.recovery !== null,
    recoverySetAt: s.recovery?.setAt ?? null,
    intervalHours: s.schedule.intervalHours,
    keepDays: s.schedule.keepDays,
    last: s.last ? { at: s.last.at, file: s.last.file, bytes: s.last.bytes, ok: s.last.ok, error: s.last.error } : null,
    lastSuccessAt,
    warning,
  };
}

// --- restore ----------------------------------------------------------------------------

function failStep(rt: BackupRuntime, step: RestoreStep): void {
  rt.faults?.(step);
}

function readCount(sqlite: BetterSqlite3.Database, table: string): number {
  try {
    return (sqlite.prepare(`select count(*) as n from "${table}"`).get() as { n: number }).n;
  } catch {
    return 0; // a table this older backup did not have yet
  }
}

/**
 * Decrypts a backup into a temporary file and checks it without touching the
 * live database: SQLite's integrity check, the migrations (a newer backup is
 * refused; an older one will be migrated), the audit chain, and counts to show.
 * The checked copy is kept (staged) until the administrator confirms or discards.
 */
export async function inspectBackup(rt: BackupRuntime, file: string, unlock: Unlock, now: Date): Promise<RestoreCheck> {
  liveSqlite(rt);
  sweepStaged(rt, now);
  const bytes = statSync(file).size;
  const tmp = tempFile(rt, 'restore');
  unlinkSync(tmp); // readContainer creates it exclusively
  let keep = false;
  try {
    failStep(rt, 'decrypt');
    let meta: BackupMeta;
    try {
      meta = readContainer(file, tmp, unlock).meta as BackupMeta;
    } catch (err) {
      if (err instanceof BackupFileError) {
        const field = err.code === 'WRONG_PASSPHRASE' || err.code === 'NO_KEY' ? { fields: { passphrase: err.message } } : undefined;
        throw new ApiError('VALIDATION', err.message, field);
      }
      throw err;
    }
    const problems: string[] = [];
    const innerKey = typeof meta.innerKey === 'string' ? Buffer.from(meta.innerKey, 'hex') : null;
    // A chain sealed by this install is checked with its key, seals included; another install's
    // seals cannot be checked here (its key never leaves it), so only the hash chain is.
    const foreignSeal = meta.auditKeyId !== undefined && meta.auditKeyId !== auditKeyId(rt.keys.auditKey);
    const handle = openDatabase(tmp, {
      ...(innerKey ? { key: innerKey } : {}),
      ...(foreignSeal || meta.auditKeyId === undefined ? {} : { plugins: [new AuditSeal(rt.keys.auditKey, null)] }),
    });
    let check: RestoreCheck;
    try {
      failStep(rt, 'integrity');
      const integrity = handle.sqlite.pragma('integrity_check') as { integrity_check: string }[];
      const integrityOk = integrity.length === 1 && integrity[0]?.integrity_check === 'ok';
      if (!integrityOk) problems.push('資料庫完整性檢查未通過（檔案內容損毀）。');

      failStep(rt, 'migrations');
      let applied: string[] = [];
      try {
        applied = (handle.sqlite.prepare('select name from kysely_migration').all() as { name: string }[]).map((r) => r.name);
      } catch {
        problems.push('備份中找不到資料庫版本紀錄，無法確認可以還原。');
      }
      const known = new Set(Object.keys(MIGRATIONS));
      const unknown = applied.filter((n) => !known.has(n));
      if (unknown.length > 0) problems.push('此備份由較新版本的程式製作，請先更新程式再還原。');
      const pending = [...known].filter((n) => !applied.includes(n)).length;

      failStep(rt, 'audit');
      const audit = integrityOk ? await verifyAuditChain(handle.db) : { ok: false, checked: 0, problems: [{ id: null, message: '未檢查（完整性檢查未通過）' }] };
      if (!audit.ok) problems.push('稽核紀錄鏈驗證未通過，備份內容可能遭修改。');

      check = {
        stageId: randomBytes(16).toString('base64url'),
        file: basename(file),
        bytes,
        madeAt: typeof meta.madeAt === 'string' ? meta.madeAt : null,
        madeBy: typeof meta.madeBy === 'string' ? meta.madeBy : null,
        integrityOk,
        audit: { ok: audit.ok, checked: audit.checked, problems: audit.problems.slice(0, 20).map((p) => p.message) },
        counts: {
          households: readCount(handle.sqlite, 'households'),
          cases: readCount(handle.sqlite, 'cases'),
          auditRows: readCount(handle.sqlite, 'audit_log'),
          users: readCount(handle.sqlite, 'users'),
        },
        pendingMigrations: pending,
        restorable: problems.length === 0,
        problems,
      };
    } finally {
      await handle.close();
    }
    if (check.restorable) {
      rt.staged.set(check.stageId, { id: check.stageId, tmpFile: tmp, file: basename(file), bytes, check, expiresAt: now.getTime() + STAGE_TTL_MS, innerKey, foreignSeal });
      keep = true;
    }
    return check;
  } finally {
    if (!keep) removeQuietly(tmp);
  }
}

export function discardStaged(rt: BackupRuntime, stageId: string): void {
  const s = rt.staged.get(stageId);
  if (!s) return;
  rt.staged.delete(stageId);
  removeQuietly(s.tmpFile);
}

function sweepStaged(rt: BackupRuntime, now: Date): void {
  for (const s of [...rt.staged.values()]) if (s.expiresAt < now.getTime()) discardStaged(rt, s.id);
}

export interface RestoreOptions {
  actor: AuditInput['actor'];
  actorLabel?: string;
  now: Date;
}

/**
 * Replaces the live database with a staged, verified copy. Before anything is
 * replaced: an encrypted backup of the current database is made (the rollback
 * copy, kept in the backup folder) and the copy is migrated to this version.
 * The swap itself is SQLite's backup API writing the copy into the live file as
 * one transaction: other connections (the desktop window, the browser host, the
 * CLI) keep working and see the restored data on their next read, and a failure
 * or a crash half-way rolls back, leaving the live database as it was.
 */
export async function restoreStaged(db: Kysely<Database>, rt: BackupRuntime, stageId: string, opts: RestoreOptions): Promise<{ rollbackFile: string }> {
  liveSqlite(rt);
  sweepStaged(rt, opts.now);
  const staged = rt.staged.get(stageId);
  if (!staged) throw new ApiError('NOT_FOUND', '找不到已驗證的備份，請重新選擇備份檔並驗證。');
  rt.staged.delete(stageId);
  try {
    failStep(rt, 'rollback-copy');
    const rollback = await makeBackup(db, rt, { reason: 'pre-restore', actor: opts.actor, actorLabel: opts.actorLabel, now: opts.now });

    failStep(rt, 'migrate');
    const handle = openDatabase(staged.tmpFile, staged.innerKey ? { key: staged.innerKey } : {});
    try {
      await migrateToLatest(handle.db);
      if (staged.foreignSeal) {
        // Checked at inspection as a hash chain; its seals belong to the other install's key. They are
        // set aside here, and after the swap one row sealed with this install's key covers the chain
        // (the same step as sealing an old install's unsealed log, services/audit/log.ts).
        withoutAuditTriggers(handle.sqlite, () => handle.sqlite.exec('update audit_log set mac = null'));
      }
      // Sessions are rows in the database: the copy's own would come back to life with it. Emptied
      // here, so the swap itself ends every session in every process at the same instant.
      await handle.db.deleteFrom('sessions').execute();
      handle.sqlite.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      await handle.close();
    }

    failStep(rt, 'swap');
    await withLiveConnection(db, () => replaceContents(rt, staged.tmpFile, staged.innerKey));
    const seal = auditSealOf(db);
    if (staged.foreignSeal) await sealLegacyChain(db, opts.now);

    // The restored database remembers its own past; the rollback copy just made is the newest backup now.
    const result: StoredBackupResult = { at: rollback.madeAt, file: rollback.name, bytes: rollback.bytes, ok: true, error: null, reason: 'pre-restore' };
    await writeTransaction(db, async (trx) => {
      await writeBackupSetting(trx, BACKUP_KEYS.last, result);
      await writeBackupSetting(trx, BACKUP_KEYS.lastSuccess, result);
      await appendAudit(
        trx,
        { actor: opts.actor, actorLabel: opts.actorLabel, action: 'import', entity: 'backup', entityId: staged.file, detail: { bytes: staged.bytes, madeAt: staged.check.madeAt, rollback: rollback.name } },
        opts.now,
      );
    });
    // The checkpoint signed the newer chain that was just replaced on purpose: sign the restored head.
    await seal?.adoptCurrentHead();
    return { rollbackFile: rollback.name };
  } catch (err) {
    if (err instanceof ApiError) throw err;
    log.error('restore failed', err instanceof Error ? { name: err.name } : undefined);
    throw new ApiError('INTERNAL', '還原失敗，目前的資料庫未被更動。請再試一次；若持續發生，請洽系統維護人員。');
  } finally {
    removeQuietly(staged.tmpFile);
  }
}

/**
 * Writes the checked copy's rows into the live database in one transaction on the app's own
 * connection. SQLite's backup API would be the natural tool, but it refuses to copy between
 * encrypted databases with different keys, and a file rename under open connections (the desktop
 * window, the browser host, the CLI) forks or corrupts the database. Both files are at the same
 * migration, so the tables match column for column; foreign keys are checked once before the commit; the
 * audit log's append-only triggers are set aside inside the transaction and restored with it.
 * Any failure rolls everything back.
 */
function replaceContents(rt: BackupRuntime, file: string, key: Buffer | null): void {
  const live = liveSqlite(rt);
  live.prepare('attach ? as restored key ?').run(file, key ? `x'${key.toString('hex')}'` : '');
  try {
    const tablesOf = (schema: string) =>
      (live.prepare(`select name from ${schema}.sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`).all() as { name: string }[]).map((r) => r.name);
    const tables = tablesOf('main');
    if (JSON.stringify(tables) !== JSON.stringify(tablesOf('restored'))) throw new Error('restored copy has other tables than the live database');
    const triggers = live.prepare("select name, sql from main.sqlite_master where type = 'trigger'").all() as { name: string; sql: string }[];
    const hasSequence = (schema: string) => live.prepare(`select 1 from ${schema}.sqlite_master where name = 'sqlite_sequence'`).get() !== undefined;
    // Foreign keys are not enforced row by row (deleting a parent would scan its children each time);
    // the whole result is checked once before the commit instead. The pragma only takes effect
    // outside a transaction, so it is switched here and back in `finally`.
    live.pragma('foreign_keys = off');
    live.exec('begin immediate');
    try {
      for (const t of triggers) live.exec(`drop trigger main."${t.name}"`);
      let n = 0;
      for (const t of tables) {
        const cols = (live.prepare(`select name from pragma_table_info(?, 'main')`).all(t) as { name: string }[]).map((c) => `"${c.name}"`).join(', ');
        live.exec(`delete from main."${t}"`);
        live.exec(`insert into main."${t}" (${cols}) select ${cols} from restored."${t}"`);
        if (++n === 2) failStep(rt, 'swap-midway');
      }
      if (hasSequence('main')) {
        live.exec('delete from main.sqlite_sequence');
        if (hasSequence('restored')) live.exec('insert into main.sqlite_sequence (name, seq) select name, seq from restored.sqlite_sequence');
      }
      for (const t of triggers) live.exec(t.sql);
      if (live.prepare('select 1 from pragma_foreign_key_check limit 1').get() !== undefined) throw new Error('restored rows break a foreign key');
      live.exec('commit');
    } catch (err) {
      live.exec('rollback');
      throw err;
    } finally {
      live.pragma('foreign_keys = on');
    }
  } finally {
    live.exec('detach restored');
  }
}

/** Resolves a file name chosen in the UI to a backup in the folder; never a path elsewhere. */
export function backupFileInFolder(folder: string, name: string): string {
  if (name !== basename(name) || !NAME_PATTERN.test(name)) throw new ApiError('VALIDATION', '請從清單中選擇備份檔。', { fields: { name: '請從清單中選擇備份檔。' } });
  const file = join(folder, name);
  if (!existsSync(file) || !looksLikeContainer(file)) throw new ApiError('NOT_FOUND', '找不到此備份檔，可能已被移走或刪除。');
  return file;
}
