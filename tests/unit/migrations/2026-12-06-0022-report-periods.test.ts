/**
 * Migration 0022 (report periods): a database at the migration before it, with a definition and
 * two mappings, migrated to 0022: the definition is quarterly and has no 編製日期 cell, each mapping
 * counts the whole report period; new values can be stored; down removes the columns and keeps the rows.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteHandle } from '../../../db/connection';
import { MIGRATIONS } from '../../../db/migrations/index';
import { migrateTo as migrateToHelper } from '../../helpers/migrations';
import { onPostgres } from '../../helpers/pg';

const THIS = '2026-12-06-0022-report-periods';

// ADD COLUMN with constant defaults only; on PostgreSQL index.test.ts migrates through it and
// tests/unit/report-relative-periods.test.ts stores and reads every column.
describe.skipIf(onPostgres)(`migration ${THIS}`, () => {
  let dir: string;
  let h: SqliteHandle;
  const names = Object.keys(MIGRATIONS);
  const before = names[names.indexOf(THIS) - 1] as string;
  const columns = (table: string) => (h.sqlite.prepare(`pragma table_info(${table})`).all() as { name: string }[]).map((c) => c.name);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wd-mig-0022-'));
    h = openDatabase(join(dir, 'test.db'), { onSlowQuery: () => undefined });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds frequency, the 編製日期 cell and each mapping period with defaults for existing rows; down removes them', async () => {
    await migrateToHelper(h.db, before);
    expect(columns('report_definitions')).not.toContain('frequency');
    expect(columns('report_mappings')).not.toContain('period');
    const ts = '2026-05-01T00:00:00.000Z';
    h.sqlite.prepare("insert into report_templates (file_name, sha256, size, bytes, model, imported_at) values ('t.xlsx', ?, 1, x'00', '{}', ?)").run('a'.repeat(64), ts);
    h.sqlite
      .prepare("insert into report_definitions (template_id, name, form_no, agency, deadline, created_at, updated_at, version) values (1, '季報', 'x', 'x', 'x', ?, ?, 1)")
      .run(ts, ts);
    const insertMapping = (seq: number) =>
      h.sqlite.prepare("insert into report_mappings (definition_id, seq, sheet, cell, indicator_id, filters, fingerprint) values (1, ?, 'S', ?, 'cases.opened', '{}', '{}')").run(seq, `B${seq}`);
    insertMapping(1);
    insertMapping(2);

    expect(await migrateToHelper(h.db, THIS)).toEqual([`Up ${THIS} Success`]);
    expect(columns('report_definitions')).toEqual(expect.arrayContaining(['frequency', 'compiled_sheet', 'compiled_cell', 'compiled_fingerprint']));
    expect(h.sqlite.prepare('select frequency, compiled_sheet, compiled_cell, compiled_fingerprint from report_definitions').get()).toEqual({
      frequency: 'quarter',
      compiled_sheet: null,
      compiled_cell: null,
      compiled_fingerprint: null,
    });
    expect(h.sqlite.prepare('select period from report_mappings order by seq').all()).toEqual([{ period: 'report' }, { period: 'report' }]);
    insertMapping(3);
    h.sqlite.prepare("update report_mappings set period = 'month2' where seq = 3").run();
    h.sqlite.prepare("update report_definitions set frequency = 'halfYear', compiled_sheet = 'S', compiled_cell = 'H3', compiled_fingerprint = '{}'").run();
    expect(h.sqlite.prepare('select period from report_mappings order by seq').all()).toEqual([{ period: 'report' }, { period: 'report' }, { period: 'month2' }]);
    expect(() => h.sqlite.prepare('update report_mappings set period = null where seq = 1').run()).toThrow(/NOT NULL/);

    expect(await migrateToHelper(h.db, before)).toEqual([`Down ${THIS} Success`]);
    expect(columns('report_definitions')).not.toContain('frequency');
    expect(columns('report_definitions')).not.toContain('compiled_cell');
    expect(columns('report_mappings')).not.toContain('period');
    expect((h.sqlite.prepare('select count(*) as n from report_mappings').get() as { n: number }).n).toBe(3);
  });
});
