/**
 * Migration 0009 (lookups by national ID), Signal style: a database at the migration before it,
 * migrated to 0009: the table takes a lookup row per user and counts distinct hashes by time; down
 * removes it again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres } from '../../helpers/pg';
import { openDatabase, type SqliteHandle } from '../../../db/connection';
import { MIGRATIONS } from '../../../db/migrations/index';
import { migrateTo as migrateToHelper, tableNames } from '../../helpers/migrations';

const THIS = '2026-12-06-0009-id-lookups';

// The SQLite form of a frozen migration, step by step; the PostgreSQL forms are migrated in index.test.ts.
describe.skipIf(onPostgres)(`migration ${THIS}`, () => {
  let dir: string;
  let h: SqliteHandle;
  const names = Object.keys(MIGRATIONS);
  const before = names[names.indexOf(THIS) - 1] as string;
  const migrateTo = (target: string) => migrateToHelper(h.db, target);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wd-mig-0009-'));
    h = openDatabase(join(dir, 'test.db'), { onSlowQuery: () => undefined });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('comes after the programmes migration', () => {
    expect(names.indexOf(THIS)).toBeGreaterThan(names.indexOf('2026-11-22-0007-programmes'));
  });

  it('adds id_lookups: rows per user, counted by distinct hash since a time; down drops it', async () => {
    await migrateTo(before);
    expect(tableNames(h.sqlite)).not.toContain('id_lookups');
    const ts = '2026-03-05T02:00:00.000Z';
    h.sqlite
      .prepare("insert into users (username, display_name, role, password_hash, must_change_password, failed_logins, created_at, updated_at, version) values ('sw1', 'sw1', 'worker', 'x', 0, 0, ?, ?, 1)")
      .run(ts, ts);
    expect(await migrateTo(THIS)).toEqual([`Up ${THIS} Success`]);
    const ins = h.sqlite.prepare('insert into id_lookups (user_id, at, id_hash, via) values (?, ?, ?, ?)');
    ins.run(1, '2026-03-05T01:00:00.000Z', 'aaa', 'checkDuplicates');
    ins.run(1, '2026-03-05T01:30:00.000Z', 'aaa', 'checkDuplicates');
    ins.run(1, '2026-03-05T01:40:00.000Z', 'bbb', 'search.id');
    ins.run(1, '2026-03-04T01:40:00.000Z', 'ccc', 'search.id');
    const n = h.sqlite.prepare('select count(distinct id_hash) as n from id_lookups where user_id = ? and at > ?').get(1, '2026-03-05T00:00:00.000Z') as { n: number };
    expect(n.n).toBe(2);
    const plan = h.sqlite.prepare('explain query plan select count(distinct id_hash) from id_lookups where user_id = ? and at > ?').all(1, ts) as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('id_lookups_user_at_idx');
    // A lookup belongs to a real user.
    expect(() => ins.run(99, ts, 'x', 'search.id')).toThrow(/FOREIGN KEY/);
    expect(await migrateTo(before)).toEqual([`Down ${THIS} Success`]);
    expect(tableNames(h.sqlite)).not.toContain('id_lookups');
  });
});
