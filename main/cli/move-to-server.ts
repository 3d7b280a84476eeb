/**
 * `npm run cli -- move-to-server --from <single-PC data folder or its welfare-desk.db> --to <postgres URL>
 *  --server-data-dir <dir> [--passphrase-file FILE]` (issue 10): copies a single-PC center into an EMPTY
 * center-server database.
 *
 * How it stays all-or-nothing:
 * - the source is opened read-only, with its keys but without writing anything (no migration, no
 *   checkpoint), and read inside one SQLite read transaction, so the copy is one consistent snapshot
 *   even if the single-PC app is still running;
 * - everything on the target happens in ONE PostgreSQL transaction on one connection: the migrations
 *   (run with the migrator's own transactions disabled, so they are part of it), the emptiness check,
 *   every table's rows, the identity sequences, the foreign-key check, the table-by-table counts and
 *   the audit chain (rows and seals) - any failure or mismatch rolls all of it back, schema included;
 * - the server's data folder (keys.json, the audit checkpoint) is written only after the commit, into
 *   a temporary folder renamed into place, and removed if that fails.
 *
 * Triggers: the copy runs with `session_replication_role = replica` (transaction-local), so the
 * fb_movements → fb_balances trigger does not add every movement a second time to the balances being
 * copied verbatim, and the users ↔ teams foreign-key cycle needs no ordering tricks. Foreign keys are
 * therefore not checked while inserting: every foreign key of the target is checked afterwards, in the
 * same transaction, by one anti-join per constraint (so a source written with foreign keys off cannot
 * bring dangling references to the server). Setting the role needs a superuser (the server's
 * installation account) or `GRANT SET ON PARAMETER session_replication_role`.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CompiledQuery, Migrator, sql, type Kysely } from 'kysely';
import { DB_FILE_NAME, openDatabase, type SqliteHandle } from '../../db/connection';
import { MIGRATIONS, migrationProvider } from '../../db/migrations/index';
import { migrationDb } from '../../db/migrations/forms';
import { openPostgres } from '../../db/postgres';
import type { Database } from '../../db/schema';
import { WRITE_LOCK_KEY } from '../../db/tx';
import { isPlainSqliteFile } from '../../db/encryption';
import { ensurePrivateDir, KEYS_FILE_NAME, keysFileExists, loadOrCreateKeyRing, readKeysProtection, writePrivateFileAtomic, type KeyRing } from '../lib/keystore';
import { keyProtectionFor } from '../lib/passphrase';
import { verifyAuditChain } from '../services/audit/log';
import { AuditSeal } from '../services/audit/seal';
import { defineCommand, parseCommand } from './usage';

export const MOVE_TO_SERVER_COMMAND = defineCommand({
  command: 'npm run cli -- move-to-server',
  summary: '將單機版的資料整批搬到空的中心伺服器 PostgreSQL 資料庫：全部在一個交易內完成並逐表核對筆數與稽核紀錄鏈，任何錯誤都不會變更目標資料庫。單機版可以保持開啟（以一致的快照讀取）。',
  options: {
    from: { type: 'string', arg: '單機資料目錄', required: true, help: '單機版的資料目錄，或其中的 welfare-desk.db' },
    to: { type: 'string', arg: 'postgres://…', required: true, help: '空的中心伺服器資料庫的連線網址' },
    'server-data-dir': { type: 'string', arg: '目錄', required: true, help: '要建立的伺服器資料目錄（金鑰檔與稽核檢查點）' },
    'passphrase-file': { type: 'string', arg: '密語檔', help: '單機資料的通行密語檔（資料以通行密語保護時）' },
  },
  examples: ['npm run cli -- move-to-server --from D:\\工作台資料 --to postgres://welfare@10.0.0.5/welfare --server-data-dir /srv/welfare-desk'],
});

const MIGRATION_TABLES = new Set(['kysely_migration', 'kysely_migration_lock']);
/**
 * Tables the migrations themselves fill (the built-in code lists; issue 14's seeded instruments, visit rules and
 * work guides): rows there do not make a target "used", and they make way for the source's own rows.
 */
const MIGRATION_SEEDED = new Set(['code_list_versions', 'code_list_items', 'instruments', 'instrument_versions', 'visit_frequency_rules', 'work_guide_versions']);
/** Rows per INSERT: PostgreSQL allows 65,535 parameters per statement. */
const MAX_PARAMS = 30_000;

/** A refusal or failure with a zh-TW message for the administrator; nothing was changed. */
export class MoveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MoveError';
  }
}

export interface MoveOptions {
  /** The single-PC data folder, or its welfare-desk.db. */
  from: string;
  /** postgres:// URL of the (empty) server database. */
  to: string;
  /** The server's data folder to create (keys.json, audit checkpoint). */
  serverDataDir: string;
  passphraseFile?: string | undefined;
  /** Test hook: called after each table's rows were inserted (throwing plays a failure half-way). */
  afterTable?: (table: string) => void;
}

export interface TableCount {
  table: string;
  source: number;
  target: number;
}

export interface MoveResult {
  counts: TableCount[];
  rows: number;
  auditRows: number;
  ms: number;
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

function resolveSource(from: string): { dataDir: string; dbFile: string } {
  const p = resolve(from);
  if (existsSync(p) && statSync(p).isFile()) return { dataDir: dirname(p), dbFile: p };
  return { dataDir: p, dbFile: join(p, DB_FILE_NAME) };
}

/** The source's keys, opened as they are protected (never re-wrapped, never created). */
async function sourceKeys(dataDir: string, dbFile: string, passphraseFile: string | undefined): Promise<KeyRing> {
  if (!existsSync(dbFile) || statSync(dbFile).size === 0) throw new MoveError(`找不到單機資料庫：${dbFile}`);
  if (isPlainSqliteFile(dbFile) || !keysFileExists(dataDir)) {
    throw new MoveError('單機資料尚未以本版程式開啟過（資料庫未加密或沒有金鑰檔 keys.json）。請先在該電腦以本版程式開啟一次，再搬移。');
  }
  const prot = await keyProtectionFor(dataDir, { passphraseFile });
  const protector = [prot.keyProtector, ...prot.upgradeFrom].find((p) => p.kind === readKeysProtection(dataDir));
  if (!protector) throw new MoveError('單機資料的金鑰以通行密語保護：請以 --passphrase-file 或環境變數 WELFARE_DESK_PASSPHRASE 提供通行密語。');
  return loadOrCreateKeyRing(dataDir, protector);
}

function checkServerDir(dir: string): void {
  if (!existsSync(dir)) return;
  if (!statSync(dir).isDirectory() || readdirSync(dir).length > 0) {
    throw new MoveError(`伺服器資料目錄 ${dir} 已存在且不是空的：請指定新的或空的目錄（其中將建立金鑰檔與稽核檢查點）。`);
  }
}

/** The app's tables and their columns on SQLite. */
function sqliteTables(sqlite: SqliteHandle['sqlite']): Map<string, string[]> {
  const names = sqlite.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").all() as { name: string }[];
  const out = new Map<string, string[]>();
  for (const { name } of names) {
    if (MIGRATION_TABLES.has(name)) continue;
    out.set(name, (sqlite.prepare(`select name from pragma_table_info(?) order by cid`).all(name) as { name: string }[]).map((c) => c.name));
  }
  return out;
}

async function pgTables(db: Kysely<Database>): Promise<Map<string, string[]>> {
  const r = await sql<{ table_name: string; column_name: string }>`
    select c.table_name, c.column_name from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema = current_schema() order by c.table_name, c.ordinal_position`.execute(db);
  const out = new Map<string, string[]>();
  for (const row of r.rows) {
    if (MIGRATION_TABLES.has(row.table_name)) continue;
    out.set(row.table_name, [...(out.get(row.table_name) ?? []), row.column_name]);
  }
  return out;
}

async function countPg(db: Kysely<Database>, table: string): Promise<number> {
  const r = await sql<{ n: string | number }>`select count(*) as n from ${sql.id(table)}`.execute(db);
  return Number(r.rows[0]!.n);
}

/** Every foreign key of the target, checked by an anti-join; returns zh-TW problems. */
async function danglingReferences(db: Kysely<Database>): Promise<string[]> {
  const fks = await sql<{ name: string; child: string; parent: string; child_cols: string[]; parent_cols: string[] }>`
    select con.conname as name, cl.relname as child, pl.relname as parent,
      array(select a.attname::text from unnest(con.conkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = con.conrelid and a.attnum = k.n order by k.i) as child_cols,
      array(select a.attname::text from unnest(con.confkey) with ordinality k(n, i) join pg_attribute a on a.attrelid = con.confrelid and a.attnum = k.n order by k.i) as parent_cols
    from pg_constraint con
    join pg_class cl on cl.oid = con.conrelid join pg_namespace ns on ns.oid = cl.relnamespace
    join pg_class pl on pl.oid = con.confrelid
    where con.contype = 'f' and ns.nspname = current_schema()`.execute(db);
  const problems: string[] = [];
  for (const fk of fks.rows) {
    const notNull = fk.child_cols.map((c) => `c.${q(c)} is not null`).join(' and ');
    const join = fk.child_cols.map((c, i) => `p.${q(fk.parent_cols[i]!)} = c.${q(c)}`).join(' and ');
    const r = await sql<{ n: string | number }>`${sql.raw(`select count(*) as n from ${q(fk.child)} c where ${notNull} and not exists (select 1 from ${q(fk.parent)} p where ${join})`)}`.execute(db);
    const n = Number(r.rows[0]!.n);
    if (n > 0) problems.push(`資料表 ${fk.child} 有 ${n} 筆參照到 ${fk.parent} 中不存在的資料（${fk.child_cols.join(', ')}）`);
  }
  return problems;
}

/** Moves every identity sequence past the largest id, and past SQLite's AUTOINCREMENT high-water mark. */
async function syncSequences(db: Kysely<Database>, highWater: Map<string, number>): Promise<void> {
  const cols = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns where table_schema = current_schema() and is_identity = 'YES'`.execute(db);
  for (const c of cols.rows) {
    const hw = highWater.get(c.table_name) ?? 0;
    await sql`select setval(pg_get_serial_sequence(${c.table_name}, ${c.column_name}),
      greatest(coalesce((select max(${sql.id(c.column_name)}) from ${sql.id(c.table_name)}), 0), ${hw}) + 1, false)`.execute(db);
  }
}

/** The zh-TW comparison table the command prints. */
export function formatCounts(counts: TableCount[]): string {
  const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u1100-\uffff]/.test(ch) ? 2 : 1), 0);
  const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - width(s)));
  const head = ['資料表', '單機筆數', '伺服器筆數', '結果'];
  const rows = counts.map((c) => [c.table, String(c.source), String(c.target), c.source === c.target ? '相符' : '不符']);
  const total = counts.reduce((a, c) => [a[0]! + c.source, a[1]! + c.target], [0, 0]);
  rows.push(['（合計）', String(total[0]), String(total[1]), total[0] === total[1] ? '相符' : '不符']);
  const widths = head.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]!))));
  const line = (r: string[]) => r.map((cell, i) => pad(cell, widths[i]!)).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n') + '\n';
}

/**
 * The move itself. Throws MoveError (zh-TW) on a refusal or a mismatch; whatever it throws, the target
 * database and the server data folder are as they were.
 */
export async function moveToServer(opts: MoveOptions): Promise<MoveResult> {
  const started = Date.now();
  const { dataDir, dbFile } = resolveSource(opts.from);
  const serverDir = resolve(opts.serverDataDir);
  if (serverDir === dataDir) throw new MoveError('伺服器資料目錄不可與單機資料目錄相同。');
  checkServerDir(serverDir);
  const keyRing = await sourceKeys(dataDir, dbFile, opts.passphraseFile);

  // Read-only and without the seal's checkpoint writer: nothing is ever written to the source folder.
  const source = openDatabase(dbFile, { key: keyRing.dbKey, readonly: true, plugins: [new AuditSeal(keyRing.auditKey, dataDir)], onSlowQuery: () => undefined });
  const target = openPostgres(opts.to, { max: 1, onSlowQuery: () => undefined });
  let result: Omit<MoveResult, 'ms'>;
  try {
    const sqlite = source.sqlite;
    const applied = new Set((sqlite.prepare('select name from kysely_migration').all() as { name: string }[]).map((r) => r.name));
    const missing = Object.keys(MIGRATIONS).filter((m) => !applied.has(m));
    const unknown = [...applied].filter((m) => !(m in MIGRATIONS));
    if (unknown.length > 0) throw new MoveError(`單機資料庫比本程式新（${unknown.join('、')}）：請以相同或較新版本的程式搬移。`);
    if (missing.length > 0) throw new MoveError('單機資料庫尚未更新到本版：請先在該電腦以本版程式開啟一次，再搬移。');

    // The source's own chain must verify (with its checkpoint) before it is carried over.
    const sourceAudit = await verifyAuditChain(source.db);
    if (!sourceAudit.ok) {
      throw new MoveError(`單機資料的稽核紀錄鏈異常，不搬移：\n${sourceAudit.problems.map((p) => `- ${p.message}`).join('\n')}`);
    }

    sqlite.exec('begin'); // one snapshot of the source for the whole copy
    try {
      const srcTables = sqliteTables(sqlite);
      const highWater = new Map<string, number>();
      if (sqlite.prepare("select 1 from sqlite_master where name = 'sqlite_sequence'").get()) {
        for (const r of sqlite.prepare('select name, seq from sqlite_sequence').all() as { name: string; seq: number }[]) highWater.set(r.name, r.seq);
      }
      result = await target.db.connection().execute(async (conn) => {
        await sql`begin`.execute(conn);
        try {
          const r = await copyInTransaction(conn, sqlite, srcTables, highWater, keyRing, opts.afterTable);
          await sql`commit`.execute(conn);
          return r;
        } catch (err) {
          await sql`rollback`.execute(conn);
          throw err;
        }
      });
    } finally {
      sqlite.exec('rollback');
    }
  } finally {
    await source.close();
    await target.close();
  }

  await writeServerFolder(serverDir, dataDir, keyRing, opts.to);
  // Verified again as the server will: from the committed database, with the new folder's checkpoint.
  const server = openPostgres(opts.to, { max: 1, plugins: [new AuditSeal(keyRing.auditKey, serverDir)], onSlowQuery: () => undefined });
  try {
    const audit = await verifyAuditChain(server.db);
    if (!audit.ok) throw new MoveError(`搬移後伺服器上的稽核紀錄鏈驗證失敗：\n${audit.problems.map((p) => `- ${p.message}`).join('\n')}`);
  } finally {
    await server.close();
  }
  return { ...result, ms: Date.now() - started };
}

async function copyInTransaction(
  conn: Kysely<Database>,
  sqlite: SqliteHandle['sqlite'],
  srcTables: Map<string, string[]>,
  highWater: Map<string, number>,
  keyRing: KeyRing,
  afterTable: ((table: string) => void) | undefined,
): Promise<Omit<MoveResult, 'ms'>> {
  // No server process may write while the center moves in (the lock every write transaction takes).
  await sql`select pg_advisory_xact_lock(${sql.lit(WRITE_LOCK_KEY)})`.execute(conn);
  // Refuse a used target before touching it: any row in any table that is already there (but the
  // code lists a migrated, never used database already holds).
  for (const table of (await pgTables(conn)).keys()) {
    if (!MIGRATION_SEEDED.has(table) && (await countPg(conn, table)) > 0) {
      throw new MoveError(`目標資料庫不是空的（資料表 ${table} 已有資料），不搬移，也未做任何變更。請指定一個新建立的空資料庫。`);
    }
  }
  const migrator = new Migrator({ db: await migrationDb(conn), provider: migrationProvider, disableTransactions: true });
  const { error } = await migrator.migrateToLatest();
  if (error) throw new MoveError(`目標資料庫建立資料表失敗：${error instanceof Error ? error.message : String(error)}`);

  const dstTables = await pgTables(conn);
  const diff = [...new Set([...srcTables.keys(), ...dstTables.keys()])].filter(
    (t) => JSON.stringify([...(srcTables.get(t) ?? [])].sort()) !== JSON.stringify([...(dstTables.get(t) ?? [])].sort()),
  );
  if (diff.length > 0) throw new MoveError(`單機與伺服器的資料表結構不一致（${diff.join('、')}），不搬移。`);

  await sql`set local session_replication_role = replica`.execute(conn).catch((err: unknown) => {
    throw new MoveError(`目標資料庫的帳號無權在搬移時暫停觸發程序（session_replication_role）：請以資料庫的超級使用者執行，或授與 SET ON PARAMETER session_replication_role。（${err instanceof Error ? err.message : String(err)}）`);
  });
  // The migrations' code lists make way for the source's own (the same, or as its administrator edited them).
  for (const table of MIGRATION_SEEDED) await sql`delete from ${sql.id(table)}`.execute(conn);
  let rows = 0;
  for (const [table, columns] of srcTables) {
    const per = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
    const colList = columns.map(q).join(', ');
    let batch: unknown[][] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      // Built by hand (numbered parameters), not through the sql template: for 200k rows its
      // compilation took most of the time.
      const width = columns.length;
      const tuples = batch.map((_, i) => `(${columns.map((__, j) => `$${i * width + j + 1}`).join(',')})`).join(',');
      await conn.executeQuery(CompiledQuery.raw(`insert into ${q(table)} (${colList}) values ${tuples}`, batch.flat()));
      rows += batch.length;
      batch = [];
    };
    // Raw arrays in column order, in rowid order (ids as they were allotted).
    const stmt = sqlite.prepare(`select ${colList} from ${q(table)}`).raw(true);
    const all = stmt.all() as unknown[][];
    for (const r of all) {
      batch.push(r);
      if (batch.length >= per) await flush();
    }
    await flush();
    afterTable?.(table);
  }
  await sql`set local session_replication_role = origin`.execute(conn);
  await syncSequences(conn, highWater);

  const dangling = await danglingReferences(conn);
  if (dangling.length > 0) throw new MoveError(`搬移的資料有不一致的參照，已全部復原：\n${dangling.map((d) => `- ${d}`).join('\n')}`);

  const counts: TableCount[] = [];
  for (const table of srcTables.keys()) {
    const n = sqlite.prepare(`select count(*) as n from ${q(table)}`).get() as { n: number };
    counts.push({ table, source: n.n, target: await countPg(conn, table) });
  }
  const bad = counts.filter((c) => c.source !== c.target);
  if (bad.length > 0) throw new MoveError(`筆數不符，已全部復原：\n${formatCounts(bad)}`);

  // The chain and every seal, on the copy, before it is committed (the checkpoint file comes after).
  const audit = await verifyAuditChain(conn.withPlugin(new AuditSeal(keyRing.auditKey, null)));
  if (!audit.ok) throw new MoveError(`伺服器上的稽核紀錄鏈驗證失敗，已全部復原：\n${audit.problems.map((p) => `- ${p.message}`).join('\n')}`);
  return { counts, rows, auditRows: audit.checked };
}

/**
 * The server's data folder: the source's keys.json as it is (same keys, same protection: plain or
 * the same passphrase), so the rows' seals verify, and an audit checkpoint signed for the copied head.
 * Written aside and renamed into place; removed if anything fails.
 */
async function writeServerFolder(serverDir: string, dataDir: string, keyRing: KeyRing, url: string): Promise<void> {
  const tmp = join(dirname(serverDir), `.${basename(serverDir)}.moving-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  try {
    ensurePrivateDir(tmp);
    writePrivateFileAtomic(join(tmp, KEYS_FILE_NAME), readFileSync(join(dataDir, KEYS_FILE_NAME)));
    const seal = new AuditSeal(keyRing.auditKey, tmp);
    const server = openPostgres(url, { max: 1, plugins: [seal], onSlowQuery: () => undefined });
    try {
      seal.attach(server.db);
      await seal.adoptCurrentHead();
      await seal.close();
    } finally {
      await server.close();
    }
    if (existsSync(serverDir)) rmdirSync(serverDir); // checked empty before the move
    renameSync(tmp, serverDir);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** The CLI command; `out` and `err` are where it prints (the process's streams by default). */
export async function runMoveToServer(argv: string[], io: { out?: (s: string) => void; err?: (s: string) => void } = {}): Promise<number> {
  const out = io.out ?? ((s: string) => void process.stdout.write(s));
  const err = io.err ?? ((s: string) => void process.stderr.write(s));
  const parsed = parseCommand(MOVE_TO_SERVER_COMMAND, argv, { out, err });
  if (!parsed.ok) return parsed.code;
  const { values } = parsed;
  if (!values.from || !values.to || !values['server-data-dir']) return 2;
  out('搬移中：單機資料 → 中心伺服器資料庫（全部成功才寫入，任何錯誤皆不變更目標）…\n');
  try {
    const r = await moveToServer({ from: values.from, to: values.to, serverDataDir: values['server-data-dir'], passphraseFile: values['passphrase-file'] });
    out(formatCounts(r.counts));
    out(`搬移完成：共 ${r.rows} 筆資料、${r.counts.length} 個資料表，各表筆數相符；稽核紀錄鏈在伺服器上驗證完整（${r.auditRows} 筆）。用時 ${(r.ms / 1000).toFixed(1)} 秒。\n`);
    out(`伺服器資料目錄（金鑰檔與稽核檢查點，保護方式與單機相同）：${resolve(values['server-data-dir'])}\n`);
    return 0;
  } catch (e) {
    if (e instanceof MoveError) {
      err(`${e.message}\n`);
      return 1;
    }
    if (e instanceof Error && ['KeyRingError', 'DatabaseKeyError'].includes(e.name)) {
      err(`${e.message}\n`);
      return 1;
    }
    err(`搬移失敗，目標資料庫未變更：${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
