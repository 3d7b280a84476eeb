/**
 * Data at rest: a stolen disk, a copied database file or a backup stick gives nothing without the key.
 * A new install, a demo database and a converted old one all start with random bytes instead of
 * "SQLite format 3"; an old plain database is converted once, and a crash at any step of that loses
 * nothing; files are readable by their owner only; a wrong key or passphrase is a clear zh-TW error.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyCipherKey, DatabaseKeyError, DB_FILE_NAME, migrateToLatest, openDatabase, sqliteOf } from '../../db/connection';
import { onPostgres } from '../helpers/pg';
import { conversionTempFile, type ConversionStep } from '../../db/encryption';
import { openApp, type App } from '../../main/api/app';
import { seedDemo } from '../../main/demo/index';
import { SCALES } from '../../main/demo/scale';
import { desktopKeyProtection, type SafeStorageLike } from '../../main/electron/key-protector';
import { KEYS_FILE_NAME, KeyRingError, loadOrCreateKeyRing, passphraseProtector, plainProtector, readKeysProtection } from '../../main/lib/keystore';
import { setQuiet } from '../../main/lib/logger';
import { keyProtectionFor } from '../../main/lib/passphrase';
import { projectRoot } from '../../main/lib/root';
import { verifyAuditChain } from '../../main/services/audit/log';

setQuiet(true);

const PLAIN_HEADER = 'SQLite format 3\0';
const NOW = new Date('2026-03-05T02:00:00.000Z');

function first16(file: string): string {
  return readFileSync(file).subarray(0, 16).toString('latin1');
}

function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

function tableCounts(sqlite: BetterSqlite3.Database): Record<string, number> {
  const names = (sqlite.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' order by name").all() as { name: string }[]).map((r) => r.name);
  return Object.fromEntries(names.map((n) => [n, (sqlite.prepare(`select count(*) as n from "${n}"`).get() as { n: number }).n]));
}

const dirs: string[] = [];
function tempDir(tag: string): string {
  const d = mkdtempSync(join(tmpdir(), `wd-atrest-${tag}-`));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A data folder as the app before this change left it: a plain database with the small demo center in it. */
let oldInstall: string;
let oldCounts: Record<string, number>;
beforeAll(async () => {
  oldInstall = tempDir('old');
  const h = openDatabase(join(oldInstall, DB_FILE_NAME), { onSlowQuery: () => undefined });
  await migrateToLatest(h.db);
  await seedDemo(h.db, SCALES.small, NOW);
  oldCounts = tableCounts(h.sqlite);
  await h.close();
  expect(first16(join(oldInstall, DB_FILE_NAME))).toBe(PLAIN_HEADER);
}, 120_000);

function copyOldInstall(tag: string): string {
  const d = tempDir(tag);
  copyFileSync(join(oldInstall, DB_FILE_NAME), join(d, DB_FILE_NAME));
  return d;
}

async function open(dataDir: string, extra: Partial<Parameters<typeof openApp>[0]> = {}): Promise<App> {
  return openApp({ dataDir, now: () => NOW, ...extra });
}

// Skipped on PostgreSQL: SQLCipher at rest and the conversion of a plain file are about the SQLite file.
describe.skipIf(onPostgres)('a new install', () => {
  it('writes an encrypted database: the first 16 bytes are not "SQLite format 3", and SQLite without the key cannot read it', async () => {
    const dir = tempDir('new');
    const app = await open(dir);
    await app.dispatcher.dispatch({ method: 'auth.setup', payload: { setupCode: app.ctx.setupGate.issue(), centerName: '測試中心', username: 'admin', displayName: '管理者', password: 'Admin12345' }, token: null, transport: 'test' });
    await app.close();
    const file = join(dir, DB_FILE_NAME);
    expect(first16(file)).not.toBe(PLAIN_HEADER);
    expect(readFileSync(file).includes(Buffer.from('測試中心'))).toBe(false);
    const raw = new BetterSqlite3(file);
    expect(() => raw.prepare('select * from users').all()).toThrow(/not a database/);
    raw.close();
    // With the key from keys.json it is an ordinary SQLCipher 4 database.
    const keyed = new BetterSqlite3(file);
    applyCipherKey(keyed, loadOrCreateKeyRing(dir).dbKey);
    expect(keyed.prepare('select username from users').all()).toEqual([{ username: 'admin' }]);
    keyed.close();
  });

  it('the folder is 0700 and the database, its WAL and SHM, keys.json and the audit checkpoint are 0600, even in a folder that was 0755', async () => {
    const parent = tempDir('modes');
    const dir = join(parent, 'data');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    const app = await open(dir);
    await app.dispatcher.dispatch({ method: 'auth.setup', payload: { setupCode: app.ctx.setupGate.issue(), centerName: '測試中心', username: 'admin', displayName: '管理者', password: 'Admin12345' }, token: null, transport: 'test' });
    await verifyAuditChain(app.ctx.db); // flushes the checkpoint
    const file = join(dir, DB_FILE_NAME);
    expect(existsSync(`${file}-wal`)).toBe(true);
    expect(mode(dir)).toBe(0o700);
    for (const f of [file, `${file}-wal`, `${file}-shm`, join(dir, KEYS_FILE_NAME), join(dir, 'audit-checkpoint.json')]) expect([f, mode(f)]).toEqual([f, 0o600]);
    await app.close();
  });

  it('a demo database made with `npm run seed:demo -- --scale small --data-dir D` is encrypted too', () => {
    const dir = tempDir('demo');
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(projectRoot(), 'main', 'cli', 'seed-demo.ts'), '--scale', 'small', '--data-dir', dir], { encoding: 'utf8', cwd: projectRoot() });
    expect(r.stderr).not.toMatch(/ERROR|失敗/);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('已建立示範資料');
    expect(first16(join(dir, DB_FILE_NAME))).not.toBe(PLAIN_HEADER);
    expect(mode(join(dir, DB_FILE_NAME))).toBe(0o600);
    // The command closed the database properly (SQLite removes the WAL on a clean close) and signed the audit head.
    expect(existsSync(join(dir, `${DB_FILE_NAME}-wal`))).toBe(false);
    expect((JSON.parse(readFileSync(join(dir, 'audit-checkpoint.json'), 'utf8')) as { id: number }).id).toBeGreaterThan(0);
  }, 120_000);
});

describe.skipIf(onPostgres)('a command-line process', () => {
  it('that writes an audit row and closes really closes: the pending audit checkpoint does not let it exit half-way', () => {
    const dir = tempDir('cli-close');
    const script = `
      const { openApp } = await import('./main/api/app.ts');
      const { recordAudit } = await import('./main/services/audit/log.ts');
      const app = await openApp({ dataDir: process.argv[1] });
      await recordAudit(app.ctx.db, { actor: null, action: 'view', entity: 'test' }, new Date());
      await app.close();
      process.stdout.write('closed');`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script, dir], { encoding: 'utf8', cwd: projectRoot() });
    expect([r.status, r.stdout]).toEqual([0, 'closed']);
    expect(existsSync(join(dir, `${DB_FILE_NAME}-wal`))).toBe(false);
    expect((JSON.parse(readFileSync(join(dir, 'audit-checkpoint.json'), 'utf8')) as { id: number }).id).toBe(1);
  }, 60_000);
});

describe.skipIf(onPostgres)('an old plain database is converted on first start, once, safely', () => {
  it('is encrypted afterwards with every row and the audit chain intact, and nothing plain is left beside it', async () => {
    const dir = copyOldInstall('convert');
    const app = await open(dir);
    const file = join(dir, DB_FILE_NAME);
    expect(first16(file)).not.toBe(PLAIN_HEADER);
    const counts = tableCounts(sqliteOf(app.database));
    // The one extra audit row is the seal that covers the old, unkeyed rows.
    expect(counts).toEqual({ ...oldCounts, audit_log: (oldCounts.audit_log ?? 0) + 1 });
    const verified = await verifyAuditChain(app.ctx.db);
    expect(verified).toMatchObject({ ok: true, problems: [] });
    await app.close();
    expect(readdirSync(dir).sort()).toEqual(['audit-checkpoint.json', DB_FILE_NAME, KEYS_FILE_NAME].sort());
    // A second start does not convert again.
    const again = await open(dir);
    expect(tableCounts(sqliteOf(again.database))).toEqual(counts);
    await again.close();
  });

  it('writes still sitting in the plain WAL (the old app was killed) are carried over, not lost', async () => {
    const dir = copyOldInstall('wal');
    const file = join(dir, DB_FILE_NAME);
    const writer = new BetterSqlite3(file);
    writer.pragma('journal_mode = WAL');
    writer.pragma('wal_autocheckpoint = 0');
    writer.prepare("insert into settings (key, value) values ('wal.only', 'in the wal')").run();
    // Snapshot the files as a killed process leaves them: the row only in -wal.
    const crashed = tempDir('wal-crashed');
    copyFileSync(file, join(crashed, DB_FILE_NAME));
    copyFileSync(`${file}-wal`, join(crashed, `${DB_FILE_NAME}-wal`));
    writer.close();
    const app = await open(crashed);
    expect(sqliteOf(app.database).prepare("select value from settings where key = 'wal.only'").get()).toEqual({ value: 'in the wal' });
    await app.close();
    expect(first16(join(crashed, DB_FILE_NAME))).not.toBe(PLAIN_HEADER);
  });

  const STEPS: ConversionStep[] = ['checkpointed', 'copied', 'encrypted', 'verified', 'swapped'];
  it.each(STEPS)('a crash right after "%s" loses nothing: the next start finishes the job', async (step) => {
    const dir = copyOldInstall(`crash-${step}`);
    const file = join(dir, DB_FILE_NAME);
    await expect(
      open(dir, {
        afterConversionStep: (s) => {
          if (s === step) throw new Error(`crash after ${s}`);
        },
      }),
    ).rejects.toThrow(`crash after ${step}`);
    // Before the swap the plain original is untouched; after it the file is the encrypted copy.
    expect(first16(file) === PLAIN_HEADER).toBe(step !== 'swapped');
    const app = await open(dir);
    expect(first16(file)).not.toBe(PLAIN_HEADER);
    expect(tableCounts(sqliteOf(app.database))).toEqual({ ...oldCounts, audit_log: (oldCounts.audit_log ?? 0) + 1 });
    expect((await verifyAuditChain(app.ctx.db)).ok).toBe(true);
    await app.close();
    expect(existsSync(conversionTempFile(file))).toBe(false);
  });

  it('a database another process holds open is not converted under its feet: a zh-TW message, the file untouched', async () => {
    const dir = copyOldInstall('busy');
    const file = join(dir, DB_FILE_NAME);
    const other = new BetterSqlite3(file);
    other.pragma('journal_mode = WAL');
    other.prepare('begin').run();
    other.prepare('select count(*) from users').get(); // holds a read lock, as a running old app would
    try {
      await expect(open(dir)).rejects.toThrow(/正被其他程式使用/);
      expect(first16(file)).toBe(PLAIN_HEADER);
    } finally {
      other.prepare('commit').run();
      other.close();
    }
  }, 30_000);
});

describe.skipIf(onPostgres)('keys', () => {
  it('a database with the wrong keys.json is refused with a zh-TW message, not a crash', async () => {
    const a = tempDir('key-a');
    const b = tempDir('key-b');
    (await open(a)).close();
    await (await open(b)).close();
    copyFileSync(join(a, DB_FILE_NAME), join(b, DB_FILE_NAME));
    rmSync(join(b, 'audit-checkpoint.json'), { force: true });
    const err = await open(b).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseKeyError);
    expect((err as Error).message).toContain('金鑰不符');
  });

  it('an encrypted database without its keys.json is refused, and no new key is made that would hide the problem', async () => {
    const dir = tempDir('nokeys');
    await (await open(dir)).close();
    rmSync(join(dir, KEYS_FILE_NAME));
    const err = await open(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeyRingError);
    expect((err as Error).message).toContain('找不到它的金鑰檔');
    expect(existsSync(join(dir, KEYS_FILE_NAME))).toBe(false);
  });

  it('a start-up passphrase wraps the keys; the wrong one, or none, is refused in zh-TW; a plain keys.json moves to it once', async () => {
    const dir = tempDir('pass');
    await (await open(dir)).close();
    expect(readKeysProtection(dir)).toBe('plain');
    const before = loadOrCreateKeyRing(dir);
    // The administrator starts the host with a passphrase: the existing keys are re-wrapped with it.
    await (await open(dir, { keyProtector: passphraseProtector('社福中心 正確密語'), upgradeFrom: [plainProtector] })).close();
    expect(readKeysProtection(dir)).toBe('passphrase');
    const stored = JSON.parse(readFileSync(join(dir, KEYS_FILE_NAME), 'utf8')) as { master: string };
    expect(Buffer.from(stored.master, 'base64').length).not.toBe(32);
    expect(loadOrCreateKeyRing(dir, passphraseProtector('社福中心 正確密語')).dbKey.equals(before.dbKey)).toBe(true);
    await expect(open(dir, { keyProtector: passphraseProtector('錯誤的密語') })).rejects.toThrow('通行密語不正確');
    await expect(open(dir)).rejects.toThrow(/通行密語.*--passphrase-file/);
    const app = await open(dir, { keyProtector: passphraseProtector('社福中心 正確密語') });
    expect(first16(app.dbFile)).not.toBe(PLAIN_HEADER);
    await app.close();
  }, 60_000);

  it('the host and the CLI take the passphrase from --passphrase-file or WELFARE_DESK_PASSPHRASE, and use the owner-only file without one', async () => {
    const dir = tempDir('passsrc');
    const file = join(dir, 'pass.txt');
    writeFileSync(file, '檔案裡的密語\n');
    const fromFile = await keyProtectionFor(dir, { passphraseFile: file, env: {}, interactive: false });
    expect(fromFile.keyProtector.kind).toBe('passphrase');
    expect(fromFile.upgradeFrom.map((p) => p.kind)).toEqual(['plain']);
    await (await open(dir, fromFile)).close();
    // The trailing newline of the file is not part of the passphrase.
    await (await open(dir, await keyProtectionFor(dir, { env: { WELFARE_DESK_PASSPHRASE: '檔案裡的密語' }, interactive: false }))).close();
    const none = await keyProtectionFor(dir, { env: {}, interactive: false });
    expect(none.keyProtector.kind).toBe('plain');
    await expect(open(dir, none)).rejects.toThrow('WELFARE_DESK_PASSPHRASE');
  }, 60_000);

  it("the desktop app wraps the keys with the OS (safeStorage) and moves a plain keys.json to it; on Linux without a keyring it stays plain", async () => {
    const osSecret = 0x5a;
    const fakeOs: SafeStorageLike = {
      isEncryptionAvailable: () => true,
      encryptString: (s) => Buffer.from(Buffer.from(s, 'utf8').map((b) => b ^ osSecret)),
      decryptString: (b) => Buffer.from(b.map((x) => x ^ osSecret)).toString('utf8'),
      getSelectedStorageBackend: () => 'gnome_libsecret',
    };
    const dir = tempDir('safe');
    await (await open(dir)).close();
    await (await open(dir, desktopKeyProtection(fakeOs, 'win32'))).close();
    expect(readKeysProtection(dir)).toBe('safeStorage');
    // The browser host cannot open what only the OS account can unwrap, and says so.
    await expect(open(dir)).rejects.toThrow('請改用桌面版開啟');
    const app = await open(dir, desktopKeyProtection(fakeOs, 'win32'));
    await app.close();
    const weak = desktopKeyProtection({ ...fakeOs, getSelectedStorageBackend: () => 'basic_text' }, 'linux');
    expect(weak.keyProtector.kind).toBe('plain');
  });
});

describe.skipIf(onPostgres)('copying an encrypted database (for backups)', () => {
  it("SQLite's backup API refuses an encrypted source; VACUUM INTO gives an encrypted copy with the same key, which rekey can move to another key", async () => {
    const dir = tempDir('copy');
    const app = await open(dir);
    await app.dispatcher.dispatch({ method: 'auth.setup', payload: { setupCode: app.ctx.setupGate.issue(), centerName: '測試中心', username: 'admin', displayName: '管理者', password: 'Admin12345' }, token: null, transport: 'test' });
    await expect(sqliteOf(app.database).backup(join(dir, 'backup-api.db'))).rejects.toThrow(/not supported with incompatible source and target/);
    const copy = join(dir, 'copy.db');
    sqliteOf(app.database).prepare('vacuum into ?').run(copy);
    await app.close();
    expect(first16(copy)).not.toBe(PLAIN_HEADER);
    const c = new BetterSqlite3(copy);
    applyCipherKey(c, app.keyRing.dbKey);
    expect(c.prepare('select count(*) as n from users').get()).toEqual({ n: 1 });
    const otherKey = Buffer.alloc(32, 7);
    c.pragma(`rekey = "x'${otherKey.toString('hex')}'"`);
    c.close();
    const d = new BetterSqlite3(copy);
    applyCipherKey(d, otherKey);
    expect(d.prepare('select count(*) as n from users').get()).toEqual({ n: 1 });
    d.close();
  });
});
