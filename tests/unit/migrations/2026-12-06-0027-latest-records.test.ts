/**
 * Migration 0027 (speed of the worklists and the monthly report): a database at the migration before it, with two
 * cases and their service records, migrated to 0027: the newest record of each case and household is backfilled
 * (the later time wins, then the larger id), the triggers keep it after an insert, and persons_birth_date_idx
 * exists; down removes the tables, triggers and index and the records are still there.
 * On PostgreSQL the triggers' twins run in tests/unit/latest-records.test.ts and index.test.ts migrates through it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteHandle } from '../../../db/connection';
import { MIGRATIONS } from '../../../db/migrations/index';
import { migrateTo as migrateToHelper } from '../../helpers/migrations';
import { onPostgres } from '../../helpers/pg';

const THIS = '2026-12-06-0027-latest-records';

describe.skipIf(onPostgres)(`migration ${THIS}`, () => {
  let dir: string;
  let h: SqliteHandle;
  const names = Object.keys(MIGRATIONS);
  const before = names[names.indexOf(THIS) - 1] as string;
  const objects = () =>
    (h.sqlite.prepare("select type, name from sqlite_master where name like '%latest%' or name = 'persons_birth_date_idx' order by type, name").all() as { type: string; name: string }[]).map(
      (o) => `${o.type} ${o.name}`,
    );

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wd-mig-0027-'));
    h = openDatabase(join(dir, 'test.db'), { onSlowQuery: () => undefined });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('backfills the newest record per case and household, keeps it by trigger, adds the index; down removes them', async () => {
    await migrateToHelper(h.db, before);
    expect(objects()).toEqual([]);
    const ts = '2026-05-01T00:00:00.000Z';
    h.sqlite.prepare("insert into users (username, display_name, role, password_hash, must_change_password, failed_logins, created_at, updated_at, version) values ('w', 'W', 'worker', 'x', 0, 0, ?, ?, 1)").run(ts, ts);
    for (const street of ['中正路1號', '中山路2號']) h.sqlite.prepare('insert into households (street, created_at, updated_at, version) values (?, ?, ?, 1)').run(street, ts, ts);
    const insertCase = (seq: number, household: number) =>
      h.sqlite
        .prepare("insert into cases (case_no, roc_year, seq, household_id, source, received_at, case_type, status, created_at, updated_at, version) values (?, 115, ?, ?, 'B', ?, '脆弱家庭', '處遇中', ?, ?, 1)")
        .run(`115-00000${seq}`, seq, household, ts, ts, ts);
    insertCase(1, 1);
    insertCase(2, 2);
    const record = (household: number, kase: number | null, at: string, next: string | null) =>
      Number(
        h.sqlite
          .prepare(
            "insert into service_records (household_id, case_id, occurred_at, method, minutes, items, next_follow_up, worker_id, created_at, created_by, updated_at, updated_by, version) values (?, ?, ?, '電訪家庭', 10, '[]', ?, 1, ?, 1, ?, 1, 1)",
          )
          .run(household, kase, at, next, ts, ts).lastInsertRowid,
      );
    record(1, 1, '2026-04-01T01:00:00.000Z', '2026-04-10');
    const newest1 = record(1, 1, '2026-04-03T01:00:00.000Z', '2026-04-20');
    record(1, 1, '2026-04-02T01:00:00.000Z', null);
    record(2, 2, '2026-04-05T01:00:00.000Z', '2026-05-01');
    const tie = record(2, 2, '2026-04-05T01:00:00.000Z', '2026-05-02'); // same time: the larger id is the newer

    expect(await migrateToHelper(h.db, THIS)).toEqual([`Up ${THIS} Success`]);
    expect(objects()).toEqual([
      'index case_latest_records_follow_up_idx',
      'index persons_birth_date_idx',
      'table case_latest_records',
      'table household_latest_records',
      'trigger service_records_latest_delete',
      'trigger service_records_latest_insert',
      'trigger service_records_latest_update',
    ]);
    expect(h.sqlite.prepare('select case_id, service_id, next_follow_up from case_latest_records order by case_id').all()).toEqual([
      { case_id: 1, service_id: newest1, next_follow_up: '2026-04-20' },
      { case_id: 2, service_id: tie, next_follow_up: '2026-05-02' },
    ]);
    expect(h.sqlite.prepare('select household_id, service_id, case_id from household_latest_records order by household_id').all()).toEqual([
      { household_id: 1, service_id: newest1, case_id: 1 },
      { household_id: 2, service_id: tie, case_id: 2 },
    ]);
    const later = record(1, 1, '2026-04-09T01:00:00.000Z', '2026-04-30');
    expect(h.sqlite.prepare('select service_id from case_latest_records where case_id = 1').get()).toEqual({ service_id: later });

    expect(await migrateToHelper(h.db, before)).toEqual([`Down ${THIS} Success`]);
    expect(objects()).toEqual([]);
    expect((h.sqlite.prepare('select count(*) as n from service_records').get() as { n: number }).n).toBe(6);
  });
});
