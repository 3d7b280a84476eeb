/**
 * Migration 0014 (earlier states kept on correction), Signal style: a database at the migration before
 * it with a household member and a service record, migrated to 0014: the member keeps its row and gets
 * version 1; a record's earlier state and a relation change can be stored (one state per record
 * version); down removes the tables and the columns again and the member row survives.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteHandle } from '../../../db/connection';
import { MIGRATIONS } from '../../../db/migrations/index';
import { migrateTo as migrateToHelper, tableNames } from '../../helpers/migrations';
import { onPostgres } from '../../helpers/pg';

const THIS = '2026-12-06-0014-record-versions';

describe.skipIf(onPostgres)(`migration ${THIS}`, () => {
  let dir: string;
  let h: SqliteHandle;
  const names = Object.keys(MIGRATIONS);
  const before = names[names.indexOf(THIS) - 1] as string;
  const migrateTo = (target: string) => migrateToHelper(h.db, target);
  const columns = (t: string) => (h.sqlite.prepare(`pragma table_info(${t})`).all() as { name: string }[]).map((c) => c.name);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wd-mig-0014-'));
    h = openDatabase(join(dir, 'test.db'), { onSlowQuery: () => undefined });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps members and records, adds the history tables and the membership version; down undoes it', async () => {
    await migrateTo(before);
    const ts = '2026-05-01T02:00:00.000Z';
    h.sqlite.prepare("insert into users (id, username, display_name, role, password_hash, created_at, updated_at) values (1, 'w', '社工', 'worker', 'x', ?, ?)").run(ts, ts);
    h.sqlite.prepare('insert into persons (id, name, created_at, updated_at) values (1, ?, ?, ?)').run('王小明', ts, ts);
    h.sqlite.prepare("insert into households (id, neighborhood, created_at, updated_at) values (1, '1鄰', ?, ?)").run(ts, ts);
    h.sqlite.prepare("insert into household_members (id, household_id, person_id, relation, joined_on, created_at) values (1, 1, 1, '戶長', '2026-01-01', ?)").run(ts);
    h.sqlite
      .prepare("insert into service_records (id, household_id, occurred_at, method, minutes, items, narrative, worker_id, created_at, updated_at) values (1, 1, ?, '電訪家庭', 30, '[\"福利諮詢\"]', '原文', 1, ?, ?)")
      .run(ts, ts, ts);
    expect(tableNames(h.sqlite)).not.toContain('service_record_versions');

    expect(await migrateTo(THIS)).toEqual([`Up ${THIS} Success`]);
    expect(h.sqlite.prepare('select relation, version, updated_at from household_members where id = 1').get()).toEqual({ relation: '戶長', version: 1, updated_at: null });
    const ins = h.sqlite.prepare(
      "insert into service_record_versions (record_id, version, occurred_at, method, minutes, items, participants, narrative, state_at, state_by, replaced_at, replaced_by, reason) values (1, ?, ?, '電訪家庭', 30, '[]', '[]', '原文', ?, 1, ?, 1, '誤植分鐘數')",
    );
    ins.run(1, ts, ts, ts);
    expect(() => ins.run(1, ts, ts, ts)).toThrow(/UNIQUE/);
    expect(() => h.sqlite.prepare("insert into service_record_versions (record_id, version, occurred_at, method, minutes, items, participants, state_at, replaced_at, replaced_by) values (1, 2, 'a', 'b', 1, '[]', '[]', 'c', 'd', 1)").run()).toThrow(
      /NOT NULL/,
    );
    h.sqlite.prepare("insert into household_member_relations (membership_id, household_id, from_relation, to_relation, changed_at, changed_by) values (1, 1, '戶長', '配偶', ?, 1)").run(ts);
    const plan = h.sqlite.prepare('explain query plan select * from household_member_relations where household_id = ? order by changed_at').all(1) as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('household_member_relations_household_idx');

    expect(await migrateTo(before)).toEqual([`Down ${THIS} Success`]);
    expect(tableNames(h.sqlite)).not.toContain('service_record_versions');
    expect(tableNames(h.sqlite)).not.toContain('household_member_relations');
    expect(columns('household_members')).not.toContain('version');
    expect(h.sqlite.prepare('select relation from household_members where id = 1').get()).toEqual({ relation: '戶長' });
  });
});
