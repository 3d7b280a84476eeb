/**
 * Migration 0023 (archiving report definitions and templates, issue 13 §7): a database at the migration
 * before it, with a template and a definition, migrated to 0023: both keep their fields and are not
 * archived; an archive time and who archived can be stored; down removes the columns and keeps the rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteHandle } from '../../../db/connection';
import { MIGRATIONS } from '../../../db/migrations/index';
import { migrateTo as migrateToHelper } from '../../helpers/migrations';
import { onPostgres } from '../../helpers/pg';

const THIS = '2026-12-06-0023-report-archive';

// Three ADD COLUMNs of nullable columns; on PostgreSQL index.test.ts migrates through it and
// report-manage.test.ts archives and lists on both engines.
describe.skipIf(onPostgres)(`migration ${THIS}`, () => {
  let dir: string;
  let h: SqliteHandle;
  const names = Object.keys(MIGRATIONS).sort();
  const before = names[names.indexOf(THIS) - 1] as string;
  const columns = (table: string) => (h.sqlite.prepare(`pragma table_info(${table})`).all() as { name: string }[]).map((c) => c.name);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wd-mig-0023-'));
    h = openDatabase(join(dir, 'test.db'), { onSlowQuery: () => undefined });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds archived_at/archived_by to definitions and archived_at to templates, keeping rows; down removes them', async () => {
    await migrateToHelper(h.db, before);
    expect(columns('report_definitions')).not.toContain('archived_at');
    const ts = '2026-05-01T00:00:00.000Z';
    h.sqlite.prepare("insert into users (id, username, display_name, role, password_hash, created_at, updated_at) values (1, 'admin', '林管理', 'admin', 'x', ?, ?)").run(ts, ts);
    h.sqlite.prepare("insert into report_templates (file_name, sha256, size, bytes, model, imported_at, imported_by) values ('季報.xlsx', 'abc', 3, x'010203', '{}', ?, 1)").run(ts);
    h.sqlite
      .prepare("insert into report_definitions (template_id, name, form_no, agency, deadline, created_at, created_by, updated_at, updated_by, version) values (1, '季報', '10930', '社會局', '次季', ?, 1, ?, 1, 1)")
      .run(ts, ts);

    expect(await migrateToHelper(h.db, THIS)).toEqual([`Up ${THIS} Success`]);
    expect(columns('report_definitions')).toEqual(expect.arrayContaining(['archived_at', 'archived_by']));
    expect(columns('report_templates')).toContain('archived_at');
    expect(h.sqlite.prepare('select name, archived_at, archived_by from report_definitions').get()).toEqual({ name: '季報', archived_at: null, archived_by: null });
    expect(h.sqlite.prepare('select file_name, archived_at from report_templates').get()).toEqual({ file_name: '季報.xlsx', archived_at: null });
    h.sqlite.prepare('update report_definitions set archived_at = ?, archived_by = 1').run(ts);
    expect(h.sqlite.prepare('select archived_at, archived_by from report_definitions').get()).toEqual({ archived_at: ts, archived_by: 1 });

    expect(await migrateToHelper(h.db, before)).toEqual([`Down ${THIS} Success`]);
    expect(columns('report_definitions')).not.toContain('archived_at');
    expect(columns('report_templates')).not.toContain('archived_at');
    expect((h.sqlite.prepare('select count(*) as n from report_definitions').get() as { n: number }).n).toBe(1);
  });
});
