/**
 * Migration 0020 (division versions): from the migration before it, up adds divisions.valid_from /
 * valid_to / version (existing rows: open validity, version 0) and the division_code_changes crosswalk
 * keyed by (old_code, effective_from) whose new_code must be a division; down removes them again and the
 * rows stay.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteHandle } from '../../../db/connection';
import { MIGRATIONS } from '../../../db/migrations/index';
import { onPostgres } from '../../helpers/pg';
import { migrateTo as migrateToHelper, tableNames } from '../../helpers/migrations';

const THIS = '2026-12-06-0020-division-versions';

describe.skipIf(onPostgres)(`migration ${THIS}`, () => {
  let dir: string;
  let h: SqliteHandle;
  const names = Object.keys(MIGRATIONS);
  const before = names[names.indexOf(THIS) - 1] as string;
  const columns = () => (h.sqlite.prepare('pragma table_info(divisions)').all() as { name: string }[]).map((c) => c.name);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wd-mig-0020-'));
    h = openDatabase(join(dir, 'test.db'), { onSlowQuery: () => undefined });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds validity and the crosswalk, keeps the rows, and down removes them', async () => {
    await migrateToHelper(h.db, before);
    expect(columns()).toEqual(['code', 'level', 'name', 'parent_code']);
    h.sqlite.prepare("insert into divisions (code, level, name, parent_code) values ('10003', 'county', '桃園縣', null), ('10003010', 'town', '桃園市', '10003')").run();
    expect(await migrateToHelper(h.db, THIS)).toEqual([`Up ${THIS} Success`]);
    expect(columns()).toEqual(['code', 'level', 'name', 'parent_code', 'valid_from', 'valid_to', 'version']);
    expect(tableNames(h.sqlite)).toContain('division_code_changes');
    expect(h.sqlite.prepare("select valid_from, valid_to, version from divisions where code = '10003'").get()).toEqual({ valid_from: null, valid_to: null, version: 0 });

    h.sqlite.prepare("insert into divisions (code, level, name, parent_code, valid_from) values ('68000', 'county', '桃園市', null, '2014-12-25')").run();
    h.sqlite.prepare("insert into division_code_changes (old_code, new_code, effective_from, note) values ('10003', '68000', '2014-12-25', '升格')").run();
    // One change per old code and date; the successor must exist.
    expect(() => h.sqlite.prepare("insert into division_code_changes (old_code, new_code, effective_from) values ('10003', '68000', '2014-12-25')").run()).toThrow(/UNIQUE/);
    h.sqlite.pragma('foreign_keys = ON');
    expect(() => h.sqlite.prepare("insert into division_code_changes (old_code, new_code, effective_from) values ('10003010', '99999999', '2014-12-25')").run()).toThrow(/FOREIGN KEY/);
    const plan = h.sqlite.prepare("explain query plan select new_code from division_code_changes where old_code = '10003' and effective_from <= '2026-01-01'").all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('sqlite_autoindex_division_code_changes');

    await migrateToHelper(h.db, before);
    expect(columns()).toEqual(['code', 'level', 'name', 'parent_code']);
    expect(tableNames(h.sqlite)).not.toContain('division_code_changes');
    expect(h.sqlite.prepare('select count(*) as n from divisions').get()).toEqual({ n: 3 });
  });
});
