/**
 * Migration 0015 (programme edits, issue 11 §1): a database at the migration before it, with an
 * enrolment, a placement, an account and an item, migrated to 0015: the existing rows get version 0,
 * no close reason and no updated_by; programme_edits exists and takes a row; down removes it all and
 * keeps the rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteHandle } from '../../../db/connection';
import { onPostgres } from '../../helpers/pg';
import { MIGRATIONS } from '../../../db/migrations/index';
import { migrateTo as migrateToHelper, tableNames } from '../../helpers/migrations';

const THIS = '2026-12-06-0015-programme-edits';

// On PostgreSQL index.test.ts migrates up and down.
describe.skipIf(onPostgres)(`migration ${THIS}`, () => {
  let dir: string;
  let h: SqliteHandle;
  const names = Object.keys(MIGRATIONS);
  const before = names[names.indexOf(THIS) - 1] as string;
  const migrateTo = (target: string) => migrateToHelper(h.db, target);
  const columns = (table: string) => (h.sqlite.prepare(`pragma table_info(${table})`).all() as { name: string }[]).map((c) => c.name);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wd-mig-0015-'));
    h = openDatabase(join(dir, 'test.db'), { onSlowQuery: () => undefined });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds versions, the close reason, fb_items.updated_by and programme_edits; existing rows kept; down undoes it', async () => {
    await migrateTo(before);
    expect(columns('programme_enrolments')).not.toContain('version');
    const ts = '2026-03-05T02:00:00.000Z';
    h.sqlite.pragma('foreign_keys = off');
    h.sqlite.prepare("insert into programme_enrolments (programme_id, person_id, enrolled_on, status, created_at, updated_at) values (1, 1, '2026-03-01', 'enrolled', ?, ?)").run(ts, ts);
    h.sqlite.prepare("insert into child_placements (person_id, placed_on, created_at) values (2, '2026-01-01', ?)").run(ts);
    h.sqlite.prepare("insert into child_accounts (person_id, opened_on, monthly_amount, created_at, updated_at) values (2, '2026-02-01', 500, ?, ?)").run(ts, ts);
    h.sqlite
      .prepare("insert into fb_items (name, category, unit, by_weight, value, kg_per_unit, perishable, min_level, points, active, created_at, updated_at) values ('白米', '食品', '包', 0, 250, 3, 0, 0, 1, 1, ?, ?)")
      .run(ts, ts);

    expect(await migrateTo(THIS)).toEqual([`Up ${THIS} Success`]);
    expect(h.sqlite.prepare('select version from programme_enrolments').get()).toEqual({ version: 0 });
    expect(h.sqlite.prepare('select version, updated_at, updated_by from child_placements').get()).toEqual({ version: 0, updated_at: null, updated_by: null });
    expect(h.sqlite.prepare('select close_reason from child_accounts').get()).toEqual({ close_reason: null });
    expect(h.sqlite.prepare('select updated_by from fb_items').get()).toEqual({ updated_by: null });
    expect(tableNames(h.sqlite)).toContain('programme_edits');
    h.sqlite.prepare("insert into programme_edits (entity, entity_id, action, before, after, reason, changed_at) values ('account', 1, 'close', '{}', '{}', '其他', ?)").run(ts);

    expect(await migrateTo(before)).toEqual([`Down ${THIS} Success`]);
    expect(tableNames(h.sqlite)).not.toContain('programme_edits');
    expect(columns('programme_enrolments')).not.toContain('version');
    expect(columns('child_placements')).toEqual(['person_id', 'placed_on', 'created_at', 'created_by']);
    expect(columns('child_accounts')).not.toContain('close_reason');
    expect(columns('fb_items')).not.toContain('updated_by');
    expect(h.sqlite.prepare('select count(*) as n from child_accounts').get()).toEqual({ n: 1 });
    h.sqlite.pragma('foreign_keys = on');
  });
});
