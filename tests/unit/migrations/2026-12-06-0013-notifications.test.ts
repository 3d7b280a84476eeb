/**
 * Migration 0013 (notifications): a database at the migration before it, migrated to 0013: the table
 * with its recipient's foreign key, a follow-up stored once per user, record and day (the partial
 * unique index) while other kinds repeat freely, the unread count read through its partial index;
 * down removes it all again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteHandle } from '../../../db/connection';
import { MIGRATIONS } from '../../../db/migrations/index';
import { migrateTo as migrateToHelper, tableNames } from '../../helpers/migrations';
import { onPostgres } from '../../helpers/pg';

const THIS = '2026-12-06-0013-notifications';

// The step itself on SQLite; on PostgreSQL index.test.ts migrates up through it (and counts its partial indexes).
describe.skipIf(onPostgres)(`migration ${THIS}`, () => {
  let dir: string;
  let h: SqliteHandle;
  const names = Object.keys(MIGRATIONS);
  const before = names[names.indexOf(THIS) - 1] as string;
  const migrateTo = (target: string) => migrateToHelper(h.db, target);
  const indexes = () =>
    (h.sqlite.prepare("select name from sqlite_master where type = 'index' and tbl_name = 'notifications' and name not like 'sqlite_%' order by name").all() as { name: string }[]).map((r) => r.name);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wd-mig-0013-'));
    h = openDatabase(join(dir, 'test.db'), { onSlowQuery: () => undefined });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('comes after the concern-visits migration', () => {
    expect(names.indexOf(THIS)).toBe(names.indexOf('2026-12-06-0012-concern-visits') + 1);
  });

  it('adds notifications: recipient checked, one follow-up per user, record and day, unread by index; down drops it', async () => {
    await migrateTo(before);
    expect(tableNames(h.sqlite)).not.toContain('notifications');
    expect(await migrateTo(THIS)).toEqual([`Up ${THIS} Success`]);
    expect(tableNames(h.sqlite)).toContain('notifications');
    expect(indexes()).toEqual(['notifications_daily_uq', 'notifications_user_idx', 'notifications_user_unread_idx']);

    const ts = '2026-05-20T02:00:00.000Z';
    h.sqlite
      .prepare("insert into users (username, display_name, role, password_hash, must_change_password, failed_logins, created_at, updated_at, version) values ('w1', '張社工', 'worker', 'x', 0, 0, ?, ?, 1)")
      .run(ts, ts);
    const uid = (h.sqlite.prepare("select id from users where username = 'w1'").get() as { id: number }).id;
    const ins = h.sqlite.prepare(
      'insert into notifications (user_id, kind, entity, entity_id, case_id, household_id, summary, comment, day, created_at, read_at) values (?, ?, ?, ?, null, 1, ?, null, ?, ?, null)',
    );
    // Another kind about the same record twice: both kept (no day).
    ins.run(uid, 'returned', 'case', 7, '個案 115-000007 的開案申請已退回', null, ts);
    ins.run(uid, 'returned', 'case', 7, '個案 115-000007 的開案申請已退回', null, ts);
    // A follow-up once per day.
    ins.run(uid, 'follow-up', 'service', 9, '今日應追蹤', '2026-05-20', ts);
    expect(() => ins.run(uid, 'follow-up', 'service', 9, '今日應追蹤', '2026-05-20', ts)).toThrow(/UNIQUE/);
    ins.run(uid, 'follow-up', 'service', 9, '今日應追蹤', '2026-05-21', ts);
    // The recipient must exist.
    expect(() => ins.run(uid + 100, 'approved', 'case', 7, 'x', null, ts)).toThrow(/FOREIGN KEY/);
    expect((h.sqlite.prepare('select count(*) as n from notifications').get() as { n: number }).n).toBe(4);

    const plan = (h.sqlite.prepare('explain query plan select count(*) from notifications where user_id = ? and read_at is null').all(uid) as { detail: string }[]).map((r) => r.detail).join('\n');
    expect(plan).toContain('notifications_user_unread_idx');

    expect(await migrateTo(before)).toEqual([`Down ${THIS} Success`]);
    expect(tableNames(h.sqlite)).not.toContain('notifications');
  });
});
