/**
 * Migration 0019 (income status as history, issue 12): a database at the migration before it, with
 * persons with and without a status, migrated to 0019: each person with a status gets one open period
 * from the Taipei day they were registered, with their current household; the others none; the
 * database refuses a second open period; down removes the table and keeps the persons.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteHandle } from '../../../db/connection';
import { onPostgres } from '../../helpers/pg';
import { MIGRATIONS } from '../../../db/migrations/index';
import { migrateTo as migrateToHelper, tableNames } from '../../helpers/migrations';

const THIS = '2026-12-06-0019-income-status';

// On PostgreSQL index.test.ts migrates up and down.
describe.skipIf(onPostgres)(`migration ${THIS}`, () => {
  let dir: string;
  let h: SqliteHandle;
  const names = Object.keys(MIGRATIONS);
  const before = names[names.indexOf(THIS) - 1] as string;
  const migrateTo = (target: string) => migrateToHelper(h.db, target);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wd-mig-0019-'));
    h = openDatabase(join(dir, 'test.db'), { onSlowQuery: () => undefined });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('backfills one open period per person with a status, from the day they were registered; down removes the table', async () => {
    await migrateTo(before);
    expect(tableNames(h.sqlite)).not.toContain('person_income_status');
    h.sqlite.pragma('foreign_keys = off');
    const person = h.sqlite.prepare(
      'insert into persons (id, name, income_status, created_at, created_by, updated_at, updated_by, version) values (?, ?, ?, ?, 7, ?, 7, 1)',
    );
    // 2025-03-09T17:30Z is 2025-03-10 01:30 in Taipei.
    person.run(1, '林志明', 'low', '2025-03-09T17:30:00.000Z', '2025-03-09T17:30:00.000Z');
    person.run(2, '陳美玲', 'mid-low', '2026-01-05T02:00:00.000Z', '2026-01-05T02:00:00.000Z');
    person.run(3, '黃建國', null, '2026-01-05T02:00:00.000Z', '2026-01-05T02:00:00.000Z');
    for (let i = 0; i < 1200; i++) person.run(100 + i, `受助者${i}`, i % 2 === 0 ? 'low' : null, '2026-02-01T02:00:00.000Z', '2026-02-01T02:00:00.000Z');
    h.sqlite
      .prepare("insert into household_members (household_id, person_id, relation, joined_on, left_on, created_at) values (5, 1, '戶長', '2025-01-01', '2025-06-01', 'x'), (9, 1, '戶長', '2025-06-01', null, 'x')")
      .run();

    expect(await migrateTo(THIS)).toEqual([`Up ${THIS} Success`]);
    const rows = h.sqlite.prepare('select person_id, status, valid_from, valid_to, source, household_id, created_by, version from person_income_status where person_id < 100 order by person_id').all();
    expect(rows).toEqual([
      { person_id: 1, status: 'low', valid_from: '2025-03-10', valid_to: null, source: '手動', household_id: 9, created_by: 7, version: 1 },
      { person_id: 2, status: 'mid-low', valid_from: '2026-01-05', valid_to: null, source: '手動', household_id: null, created_by: 7, version: 1 },
    ]);
    expect(h.sqlite.prepare('select count(*) as n from person_income_status').get()).toEqual({ n: 602 });
    expect(() =>
      h.sqlite.prepare("insert into person_income_status (person_id, status, valid_from, source, created_at) values (1, 'low', '2026-01-01', '手動', 'x')").run(),
    ).toThrow(/UNIQUE/);
    const plan = (h.sqlite.prepare("explain query plan select 1 from person_income_status where person_id = 1 and valid_from <= '2026-03-31'").all() as { detail: string }[])
      .map((r) => r.detail)
      .join('\n');
    expect(plan).toContain('person_income_status_from_uq');

    expect(await migrateTo(before)).toEqual([`Down ${THIS} Success`]);
    expect(tableNames(h.sqlite)).not.toContain('person_income_status');
    expect(h.sqlite.prepare('select count(*) as n from persons').get()).toEqual({ n: 1203 });
    h.sqlite.pragma('foreign_keys = on');
  });
});
