/**
 * Migration 0021 (the central case number): a database at the migration before it, with a case,
 * migrated to 0021: the case keeps its fields and has no central number; a number can be stored once
 * (the unique index refuses the same number on a second case) while any number of cases have none;
 * down removes the column and its index and the case is still there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteHandle } from '../../../db/connection';
import { MIGRATIONS } from '../../../db/migrations/index';
import { migrateTo as migrateToHelper } from '../../helpers/migrations';
import { onPostgres } from '../../helpers/pg';

const THIS = '2026-12-06-0021-case-central-no';

// One ADD COLUMN and a plain unique index; on PostgreSQL index.test.ts migrates through it and the
// dispatch import tests use the index (tests/unit/imports/dispatch.test.ts).
describe.skipIf(onPostgres)(`migration ${THIS}`, () => {
  let dir: string;
  let h: SqliteHandle;
  const names = Object.keys(MIGRATIONS);
  const before = names[names.indexOf(THIS) - 1] as string;
  const columns = () => (h.sqlite.prepare('pragma table_info(cases)').all() as { name: string }[]).map((c) => c.name);
  const indexes = () =>
    (h.sqlite.prepare("select name from sqlite_master where type = 'index' and tbl_name = 'cases' and name = 'cases_central_no'").all() as { name: string }[]).map((r) => r.name);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wd-mig-0021-'));
    h = openDatabase(join(dir, 'test.db'), { onSlowQuery: () => undefined });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds cases.central_no, unique where given, keeping existing cases; down removes it', async () => {
    await migrateToHelper(h.db, before);
    expect(columns()).not.toContain('central_no');
    const ts = '2026-05-01T00:00:00.000Z';
    h.sqlite.prepare('insert into households (street, created_at, updated_at, version) values (?, ?, ?, 1)').run('中正路1號', ts, ts);
    const insertCase = (seq: number) =>
      h.sqlite
        .prepare(
          "insert into cases (case_no, roc_year, seq, household_id, source, received_at, case_type, status, created_at, updated_at, version) values (?, 115, ?, 1, 'B', ?, '脆弱家庭', '待分派', ?, ?, 1)",
        )
        .run(`115-00000${seq}`, seq, ts, ts, ts);
    insertCase(1);

    expect(await migrateToHelper(h.db, THIS)).toEqual([`Up ${THIS} Success`]);
    expect(columns()).toContain('central_no');
    expect(indexes()).toEqual(['cases_central_no']);
    expect(h.sqlite.prepare('select case_no, central_no from cases').get()).toEqual({ case_no: '115-000001', central_no: null });
    insertCase(2);
    insertCase(3);
    h.sqlite.prepare("update cases set central_no = 'C1150001' where seq = 1").run();
    expect(() => h.sqlite.prepare("update cases set central_no = 'C1150001' where seq = 2").run()).toThrow(/UNIQUE/);
    expect((h.sqlite.prepare('select count(*) as n from cases where central_no is null').get() as { n: number }).n).toBe(2);

    expect(await migrateToHelper(h.db, before)).toEqual([`Down ${THIS} Success`]);
    expect(columns()).not.toContain('central_no');
    expect(indexes()).toEqual([]);
    expect((h.sqlite.prepare('select count(*) as n from cases').get() as { n: number }).n).toBe(3);
  });
});
