/**
 * What a restore makes of the backup's contents: an older version is migrated, a newer one refused, and
 * a backup whose audit chain was rewritten before it was sealed is refused, all before anything is replaced.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { Migrator } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyCipherKey, openDatabase, sqliteOf } from '../../db/connection';
import { MIGRATIONS, migrationProvider } from '../../db/migrations/index';
import { writeContainer } from '../../main/services/backup/container';
import { createTestApp, onPostgres, type TestApp } from '../helpers/app';

let t: TestApp;
let admin: string;
let folder: string;
let scratch: string;

beforeEach(async () => {
  t = await createTestApp();
  admin = await t.setupAdmin();
  folder = mkdtempSync(join(tmpdir(), 'wd-versions-'));
  scratch = mkdtempSync(join(tmpdir(), 'wd-versions-src-'));
  await t.call('backup.setFolder', { folder }, admin);
});
afterEach(async () => {
  await t.close();
  rmSync(folder, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

/** Seals a database file the way the app does, under a name the folder listing accepts. */
function seal(dbFile: string, name: string): void {
  writeContainer(dbFile, join(folder, name), { backupKey: t.app.ctx.backup.keys.backupKey, recovery: null, meta: { madeAt: '2026-03-01T01:00:00.000Z', madeBy: '舊版' } });
}

/** A copy of the live database, changed by `edit` through a raw connection. */
async function editedCopy(edit: (db: BetterSqlite3.Database) => void): Promise<string> {
  const copy = join(scratch, 'copy.db');
  // SQLite's backup API refuses an encrypted source; VACUUM INTO copies it with the same key,
  // which is then removed so the edited copy is a plain file like a pre-encryption backup's.
  sqliteOf(t.app.database).prepare('vacuum into ?').run(copy);
  const db = new BetterSqlite3(copy);
  applyCipherKey(db, t.app.keyRing.dbKey);
  db.pragma(`rekey = ''`);
  edit(db);
  db.close();
  return copy;
}

const users = () => (sqliteOf(t.app.database).prepare('select count(*) as n from users').get() as { n: number }).n;

// Skipped on PostgreSQL: .wdbak backups copy the SQLite file; on PostgreSQL the server's own backups apply.
describe.skipIf(onPostgres)('the contents of a backup', () => {
  it('an older version is restored and then migrated to this one', async () => {
    const older = join(scratch, 'older.db');
    const h = openDatabase(older);
    const names = Object.keys(MIGRATIONS);
    await new Migrator({ db: h.db, provider: migrationProvider }).migrateTo(names[0] as string);
    await h.close();
    seal(older, 'welfare-desk-20260301T010000Z.wdbak');

    const check = await t.call('backup.inspect', { name: 'welfare-desk-20260301T010000Z.wdbak' }, admin);
    expect(check.restorable).toBe(true);
    expect(check.pendingMigrations).toBe(names.length - 1);
    await t.call('backup.restore', { stageId: check.stageId }, admin);
    const applied = (sqliteOf(t.app.database).prepare('select name from kysely_migration order by name').all() as { name: string }[]).map((r) => r.name);
    expect(applied).toEqual(names);
    expect(users()).toBe(0); // the old database had nobody yet: the next start shows first-run setup
  });

  it('a newer version is refused and nothing changes', async () => {
    seal(await editedCopy((db) => db.prepare("insert into kysely_migration (name, timestamp) values ('2099-01-01-0001-future', 'x')").run()), 'welfare-desk-20260302T010000Z.wdbak');
    await t.call('users.create', { username: 'after', displayName: '之後', role: 'worker', teamId: null, initialPassword: 'Initial123' }, admin);
    const check = await t.call('backup.inspect', { name: 'welfare-desk-20260302T010000Z.wdbak' }, admin);
    expect(check.restorable).toBe(false);
    expect(check.problems).toContain('此備份由較新版本的程式製作，請先更新程式再還原。');
    const env = await t.raw('backup.restore', { stageId: check.stageId }, admin);
    expect(env.ok).toBe(false);
    expect(users()).toBe(2);
  });

  it('a backup whose audit log was edited is refused', async () => {
    const copy = await editedCopy((db) => {
      for (const r of db.prepare("select name from sqlite_master where type = 'trigger' and tbl_name = 'audit_log'").all() as { name: string }[]) db.exec(`drop trigger "${r.name}"`);
      db.prepare("update audit_log set actor_name = '別人' where id = 1").run();
    });
    seal(copy, 'welfare-desk-20260303T010000Z.wdbak');
    const check = await t.call('backup.inspect', { name: 'welfare-desk-20260303T010000Z.wdbak' }, admin);
    expect(check).toMatchObject({ restorable: false, integrityOk: true, audit: { ok: false } });
    expect(check.problems).toContain('稽核紀錄鏈驗證未通過，備份內容可能遭修改。');
  });
});
