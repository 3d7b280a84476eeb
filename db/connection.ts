import { AsyncLocalStorage } from 'node:async_hooks';
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { Kysely, Migrator, SqliteDialect, type KyselyPlugin, type LogEvent, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import { migrationDb } from './migrations/forms';
import { migrationProvider } from './migrations/index';
import type { Database } from './schema';

export const DB_FILE_NAME = 'welfare-desk.db';

/** Queries slower than this are logged with their name and duration, never their parameters. */
export const SLOW_QUERY_MS = 40;

export interface SlowQuery {
  name: string;
  ms: number;
}

export interface OpenOptions {
  /** Path to a better_sqlite3.node built for the running runtime (Electron keeps its own). */
  nativeBinding?: string;
  readonly?: boolean;
  onSlowQuery?: (q: SlowQuery) => void;
  /**
   * The raw 32-byte SQLCipher key. Without it the file is plain SQLite, which only
   * tests of single migrations and the conversion of an old database use.
   */
  key?: Buffer;
  /** Carried by the handle into every transaction (e.g. the audit chain's key, see services/audit/seal.ts). */
  plugins?: KyselyPlugin[];
}

/** An open database: SQLite in the data folder (single PC) or PostgreSQL (the center server, db/postgres.ts). */
export type DatabaseHandle = SqliteHandle | PostgresHandle;

export interface SqliteHandle {
  engine: 'sqlite';
  db: Kysely<Database>;
  /** The raw connection: only what is about the SQLite file itself (backup, encryption) uses it. */
  sqlite: BetterSqlite3.Database;
  close(): Promise<void>;
}

export interface PostgresHandle {
  engine: 'postgres';
  db: Kysely<Database>;
  close(): Promise<void>;
}

/** The database could not be opened with the key given: a wrong key, another install's keys, or a damaged file. */
export class DatabaseKeyError extends Error {
  constructor(readonly file: string) {
    super(`無法開啟資料庫（${file}）：金鑰不符或檔案已損壞。請確認資料目錄中的 keys.json 是這個資料庫的金鑰，或從備份還原。`);
    this.name = 'DatabaseKeyError';
  }
}

/**
 * SQLCipher 4 settings, set before anything reads the file. The key goes in as a raw
 * 32-byte key (x'hex'), so SQLCipher skips its own PBKDF2: the key is already random.
 */
export function applyCipherKey(sqlite: BetterSqlite3.Database, key: Buffer): void {
  if (key.length !== 32) throw new Error('the database key must be 32 bytes');
  sqlite.pragma(`cipher = 'sqlcipher'`);
  sqlite.pragma('legacy = 4');
  sqlite.pragma(`key = "x'${key.toString('hex')}'"`);
}

/**
 * The page cache of a connection, in KiB (SQLite's negative cache_size form): 256 MiB at most, a
 * quarter of a 1 GB database, allocated only as pages are read. Every page read past the cache is a
 * read from the OS and a decryption (AES-256 and an HMAC per 4 KiB page); the build's default is 16 MB.
 * bench/README.md says what was measured (on a loaded machine, not conclusive).
 */
export const PAGE_CACHE_KIB = 256 * 1024;

/**
 * Memory-mapped reads (up to 1 GiB) for a plain file only. SQLite3 Multiple Ciphers never maps an
 * encrypted database: the pragma is accepted and reads back as set, but the file does not appear in
 * the process's mappings (checked in /proc/self/maps) and reads go through the page cache, where each
 * page is decrypted. So for the app's own (encrypted) database the page cache above is what counts.
 */
export const PLAIN_MMAP_BYTES = 1024 * 1024 * 1024;

/** How often a long-lived connection runs `PRAGMA optimize` (SQLite suggests every few hours). */
export const OPTIMIZE_EVERY_MS = 3 * 60 * 60 * 1000;

/** Files SQLite keeps beside the database; they hold pages of it and get the same protection. */
export const SIDE_FILE_SUFFIXES = ['-wal', '-shm', '-journal'] as const;

/** Owner-only permissions on the database and its side files (SQLite gives -wal/-shm the database file's mode). */
export function restrictDatabaseFiles(file: string): void {
  if (process.platform === 'win32') return;
  for (const f of [file, ...SIDE_FILE_SUFFIXES.map((s) => file + s)]) {
    if (existsSync(f)) chmodSync(f, 0o600);
  }
}

/** Where a handle's file is and how to open it again: the bulk demo seeders open a second connection. */
class ConnectionInfo implements KyselyPlugin {
  readonly #key: Buffer | undefined;
  constructor(
    readonly file: string,
    readonly nativeBinding: string | undefined,
    key: Buffer | undefined,
  ) {
    this.#key = key;
  }
  get key(): Buffer | undefined {
    return this.#key;
  }
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

/** The plugin of a given class that a handle (or a transaction or connection made from it) carries. */
export function findPlugin<T extends KyselyPlugin>(db: Kysely<unknown>, cls: abstract new (...args: never[]) => T): T | undefined {
  return db.getExecutor().plugins.find((p): p is T => p instanceof cls);
}

function openSqlite(file: string, opts: Pick<OpenOptions, 'nativeBinding' | 'readonly' | 'key'>): BetterSqlite3.Database {
  if (!opts.readonly && !existsSync(file)) {
    // Created here with 0600 so that SQLite, which copies the database file's mode to
    // -wal and -shm, never makes a world-readable file.
    closeSync(openSync(file, 'a', 0o600));
  }
  const sqlite = new BetterSqlite3(file, {
    readonly: opts.readonly ?? false,
    fileMustExist: opts.readonly ?? false,
    ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
  });
  try {
    if (opts.key) applyCipherKey(sqlite, opts.key);
    // The first read: with a wrong key SQLite says "file is not a database".
    sqlite.prepare('select count(*) from sqlite_master').get();
  } catch (err) {
    sqlite.close();
    if (err instanceof Error && 'code' in err && (err.code === 'SQLITE_NOTADB' || err.code === 'SQLITE_CORRUPT')) throw new DatabaseKeyError(file);
    throw err;
  }
  if (!opts.readonly) sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  if (!opts.key) sqlite.pragma(`mmap_size = ${PLAIN_MMAP_BYTES}`);
  if (!opts.readonly) restrictDatabaseFiles(file);
  return sqlite;
}

/** Rows of each index ANALYZE reads (SQLite suggests 100-1000; PRAGMA optimize's own limit is 2000). */
export const ANALYSIS_LIMIT = 1000;

/**
 * Planner statistics for a long-lived connection (the app's, a CLI command's), as SQLite recommends:
 * `PRAGMA optimize=0x10002` at the start (ANALYZE each table that has rows but no statistics yet, or
 * has grown or shrunk 25-fold since), plain `PRAGMA optimize` every OPTIMIZE_EVERY_MS (the tables this
 * connection used, when their size changed) and at stop. Called after the migrations: an index a
 * migration added to an analyzed table is analyzed on its own first, since a table whose other
 * indexes have statistics and this one none misleads the planner.
 *
 * The queries are written so that their plans hold with statistics and without (the critical ones are
 * checked on an analyzed database in tests/unit/query-plans.test.ts); statistics keep the planner's
 * other choices in line with the data as it grows. ANALYSIS_LIMIT bounds the sampling; the first run on
 * a large unanalyzed database still reads its big tables (city demo, 1 GB: 23 s on a loaded machine),
 * once, and later starts find nothing to do unless a table grew or shrank 25-fold. Nothing runs while the
 * connection is inside a transaction (a tick that lands between the statements of a write waits for
 * the next one), and a failure (busy, read-only) only leaves the previous statistics in place.
 */
export function maintainStatistics(sqlite: BetterSqlite3.Database, everyMs = OPTIMIZE_EVERY_MS): { stop(): void } {
  const attempt = (fn: () => void) => {
    if (!sqlite.open || sqlite.inTransaction) return;
    try {
      fn();
    } catch {
      // Statistics are an optimisation: keep the ones there are.
    }
  };
  attempt(() => {
    sqlite.pragma(`analysis_limit = ${ANALYSIS_LIMIT}`);
    const hasStats = sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = 'sqlite_stat1'").get() !== undefined;
    if (hasStats) {
      const fresh = sqlite
        .prepare(
          `select i.name from sqlite_master i where i.type = 'index' and i.tbl_name in (select tbl from sqlite_stat1 where idx is not null)
             and i.name not in (select idx from sqlite_stat1 where idx is not null)`,
        )
        .all() as { name: string }[];
      for (const { name } of fresh) sqlite.exec(`analyze "${name.replaceAll('"', '""')}"`);
    }
    sqlite.pragma('optimize = 0x10002');
  });
  const timer = setInterval(() => attempt(() => sqlite.pragma('optimize')), everyMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      attempt(() => sqlite.pragma('optimize'));
    },
  };
}

/** A second raw connection on the same file as `db`, with the same key (bulk demo seeding). */
export function openSecondConnection(db: Kysely<Database>): BetterSqlite3.Database {
  const info = findPlugin(db as Kysely<unknown>, ConnectionInfo);
  if (!info) throw new Error('this handle was not opened by openDatabase');
  return openSqlite(info.file, { nativeBinding: info.nativeBinding, key: info.key });
}

/** The name of the operation in flight (an API method, a CLI command), for the slow-query log. */
const queryNameStore = new AsyncLocalStorage<string>();
export function withQueryName<T>(name: string, fn: () => Promise<T>): Promise<T> {
  return queryNameStore.run(name, fn);
}

/** A parameter-free label: the statement kind and its main table, e.g. "select users". */
function describeQuery(event: LogEvent): string {
  const sqlText = event.query.sql;
  const kind = /^\s*(\w+)/.exec(sqlText)?.[1]?.toLowerCase() ?? 'query';
  const table = /\b(?:from|into|update|table)\s+"?([A-Za-z_][\w]*)"?/i.exec(sqlText)?.[1] ?? '';
  return `${kind} ${table}`.trim();
}

/** Kysely's `log` option for either engine: queries slower than SLOW_QUERY_MS, by name, never their parameters. */
export function slowQueryLog(onSlowQuery?: (q: SlowQuery) => void): (event: LogEvent) => void {
  const onSlow =
    onSlowQuery ??
    ((q: SlowQuery) => {
      process.stderr.write(`[db] slow query ${q.name}: ${q.ms.toFixed(1)} ms\n`);
    });
  return (event) => {
    if (event.queryDurationMillis < SLOW_QUERY_MS) return;
    const op = queryNameStore.getStore();
    const name = op ? `${op} (${describeQuery(event)})` : describeQuery(event);
    onSlow({ name, ms: event.queryDurationMillis });
  };
}

export function openDatabase(file: string, opts: OpenOptions = {}): SqliteHandle {
  const sqlite = openSqlite(file, opts);

  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: sqlite }),
    plugins: [new ConnectionInfo(file, opts.nativeBinding, opts.key), ...(opts.plugins ?? [])],
    log: slowQueryLog(opts.onSlowQuery),
  });

  return {
    engine: 'sqlite',
    db,
    sqlite,
    async close() {
      await db.destroy();
    },
  };
}

/** Brings the schema to the newest migration. Throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db: await migrationDb(db), provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** The raw SQLite connection of a handle, for what is about the SQLite file itself; throws on PostgreSQL. */
export function sqliteOf(handle: DatabaseHandle): BetterSqlite3.Database {
  if (handle.engine !== 'sqlite') throw new Error('this needs the SQLite database file, not PostgreSQL');
  return handle.sqlite;
}
