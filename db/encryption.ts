/**
 * At-rest encryption of the SQLite file: detecting an old plain database and
 * converting it, once, into a SQLCipher 4 file with the install's key. SQLite
 * specific; PostgreSQL (the center server) relies on the server's own disk and
 * access control instead.
 */
import { closeSync, copyFileSync, existsSync, fsyncSync, openSync, readSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import type { Kysely } from 'kysely';
import { openDatabase, restrictDatabaseFiles, SIDE_FILE_SUFFIXES } from './connection';
import type { Database } from './schema';

const PLAIN_HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/** True when the file starts with SQLite's plain header, i.e. anyone can read it. */
export function isPlainSqliteFile(file: string): boolean {
  if (!existsSync(file)) return false;
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(16);
    const n = readSync(fd, head, 0, 16, 0);
    return n === 16 && head.equals(PLAIN_HEADER);
  } finally {
    closeSync(fd);
  }
}

/** The steps of a conversion, in order; a test hook may throw after any of them to play a crash. */
export type ConversionStep = 'checkpointed' | 'copied' | 'encrypted' | 'verified' | 'swapped';

export interface ConversionOptions {
  nativeBinding?: string;
  /** Called after each step; throwing from it plays a crash at that point. */
  afterStep?: (step: ConversionStep) => void;
  /** Extra checks on the copy before it replaces the original (e.g. the audit chain reads the same). */
  verify?: (plain: Kysely<Database>, encrypted: Kysely<Database>) => Promise<void>;
}

export class ConversionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConversionError';
  }
}

function rmDatabaseFiles(file: string): void {
  for (const f of [file, ...SIDE_FILE_SUFFIXES.map((s) => file + s)]) rmSync(f, { force: true });
}

function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } catch {
    // Directories cannot be fsynced on every platform (Windows); the rename is still atomic there.
  } finally {
    closeSync(fd);
  }
}

function tableCounts(sqlite: BetterSqlite3.Database): Map<string, number> {
  const tables = sqlite.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").all() as { name: string }[];
  return new Map(tables.map((t) => [t.name, (sqlite.prepare(`select count(*) as n from "${t.name.replace(/"/g, '""')}"`).get() as { n: number }).n]));
}

/** The name of the half-made encrypted copy; a leftover one is unfinished work and is thrown away. */
export function conversionTempFile(file: string): string {
  return `${file}.encrypting`;
}

/**
 * Converts a plain database into an encrypted one in place, safely:
 * 1. the plain file's WAL is checkpointed and it leaves WAL mode, so every page is in the
 *    main file (this needs exclusive access: another process holding it open stops us);
 * 2. it is copied beside itself and the copy is encrypted with SQLCipher's rekey;
 * 3. the copy is checked: integrity, the row count of every table, and `verify`;
 * 4. the copy replaces the original by an atomic rename, which also unlinks the plain file.
 * Until step 4 the original is untouched, so a crash at any point loses nothing: the next
 * start finds the plain file again, throws the leftover copy away and starts over.
 * No plain copy is kept afterwards; it would defeat the point.
 */
export async function convertToEncrypted(file: string, key: Buffer, opts: ConversionOptions = {}): Promise<void> {
  const tmp = conversionTempFile(file);
  const binding = opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {};
  const step = (s: ConversionStep) => opts.afterStep?.(s);
  rmDatabaseFiles(tmp);

  const plain = new BetterSqlite3(file, { fileMustExist: true, ...binding });
  try {
    plain.pragma('busy_timeout = 5000');
    const mode = plain.pragma('journal_mode = DELETE', { simple: true });
    if (mode !== 'delete') throw new ConversionError('資料庫正被其他程式使用，無法加密。請關閉其他開啟此資料的視窗後再試一次。');
  } catch (err) {
    plain.close();
    if (err instanceof ConversionError) throw err;
    throw new ConversionError('資料庫正被其他程式使用，無法加密。請關閉其他開啟此資料的視窗後再試一次。');
  }
  plain.close();
  for (const s of ['-wal', '-shm']) {
    if (existsSync(file + s)) throw new ConversionError('資料庫的暫存檔仍在使用中，無法加密。請關閉其他開啟此資料的視窗後再試一次。');
  }
  step('checkpointed');

  copyFileSync(file, tmp);
  restrictDatabaseFiles(tmp);
  step('copied');

  const enc = new BetterSqlite3(tmp, { fileMustExist: true, ...binding });
  try {
    enc.pragma(`cipher = 'sqlcipher'`);
    enc.pragma('legacy = 4');
    enc.pragma(`rekey = "x'${key.toString('hex')}'"`);
  } finally {
    enc.close();
  }
  step('encrypted');

  if (isPlainSqliteFile(tmp)) throw new ConversionError('加密後的資料庫仍是未加密格式，已停止轉換，原資料未變動。');
  const before = openDatabase(file, { readonly: true, ...binding, onSlowQuery: () => undefined });
  const after = openDatabase(tmp, { readonly: true, key, ...binding, onSlowQuery: () => undefined });
  try {
    const integrity = after.sqlite.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new ConversionError('加密後的資料庫未通過完整性檢查，已停止轉換，原資料未變動。');
    const a = tableCounts(before.sqlite);
    const b = tableCounts(after.sqlite);
    const same = a.size === b.size && [...a].every(([t, n]) => b.get(t) === n);
    if (!same) throw new ConversionError('加密後的資料筆數與原資料不符，已停止轉換，原資料未變動。');
    await opts.verify?.(before.db, after.db);
  } finally {
    await after.close();
    await before.close();
  }
  step('verified');

  fsyncPath(tmp);
  renameSync(tmp, file);
  fsyncPath(dirname(file));
  step('swapped');
}
