/**
 * Migration 0025 (protection reports): a database at the migration before it, with a household and a
 * person, migrated to 0025: the two tables exist; a report with a person concerned is stored; the
 * source and kind lists and the household reference are enforced; deleting a report takes its persons
 * with it; down removes both tables and the household is still there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteHandle } from '../../../db/connection';
import { MIGRATIONS } from '../../../db/migrations/index';
import { migrateTo as migrateToHelper, tableNames } from '../../helpers/migrations';
import { onPostgres } from '../../helpers/pg';

const THIS = '2026-12-06-0025-protection-reports';

// Only the schema builder; on PostgreSQL index.test.ts migrates through it and outcome-indicators.test.ts
// writes and reads both tables.
describe.skipIf(onPostgres)(`migration ${THIS}`, () => {
  let dir: string;
  let h: SqliteHandle;
  const names = Object.keys(MIGRATIONS);
  const before = names[names.indexOf(THIS) - 1] as string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wd-mig-0025-'));
    h = openDatabase(join(dir, 'test.db'), { onSlowQuery: () => undefined });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds protection_reports and protection_report_persons with their checks; down removes them', async () => {
    await migrateToHelper(h.db, before);
    expect(tableNames(h.sqlite)).not.toContain('protection_reports');
    const ts = '2026-05-01T00:00:00.000Z';
    h.sqlite.prepare('insert into households (street, created_at, updated_at, version) values (?, ?, ?, 1)').run('中正路1號', ts, ts);
    h.sqlite.prepare("insert into persons (name, created_at, updated_at, version) values ('王小明', ?, ?, 1)").run(ts, ts);

    expect(await migrateToHelper(h.db, THIS)).toEqual([`Up ${THIS} Success`]);
    expect(tableNames(h.sqlite)).toEqual(expect.arrayContaining(['protection_reports', 'protection_report_persons']));
    const insert = (household: number, source: string, kind: string) =>
      h.sqlite
        .prepare('insert into protection_reports (household_id, reported_on, source, kind, created_at, updated_at) values (?, ?, ?, ?, ?, ?)')
        .run(household, '2026-04-30', source, kind, ts, ts);
    const id = Number(insert(1, '113保護專線', '兒少保護').lastInsertRowid);
    h.sqlite.prepare('insert into protection_report_persons (report_id, person_id) values (?, 1)').run(id);
    expect(h.sqlite.prepare('select household_id, reported_on, source, kind, version from protection_reports').get()).toEqual({
      household_id: 1,
      reported_on: '2026-04-30',
      source: '113保護專線',
      kind: '兒少保護',
      version: 1,
    });
    expect(() => insert(1, '鄰居', '兒少保護')).toThrow(/CHECK/);
    expect(() => insert(1, '學校', '詐騙')).toThrow(/CHECK/);
    expect(() => insert(99, '學校', '其他')).toThrow(/FOREIGN KEY/);
    expect(() => h.sqlite.prepare('insert into protection_report_persons (report_id, person_id) values (?, 1)').run(id)).toThrow(/UNIQUE|PRIMARY/);
    h.sqlite.prepare('delete from protection_reports where id = ?').run(id);
    expect((h.sqlite.prepare('select count(*) as n from protection_report_persons').get() as { n: number }).n).toBe(0);

    expect(await migrateToHelper(h.db, before)).toEqual([`Down ${THIS} Success`]);
    expect(tableNames(h.sqlite)).not.toContain('protection_reports');
    expect(tableNames(h.sqlite)).not.toContain('protection_report_persons');
    expect((h.sqlite.prepare('select count(*) as n from households').get() as { n: number }).n).toBe(1);
  });
});
