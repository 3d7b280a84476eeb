/**
 * Migration 0018 (imports): a database at the migration before it, migrated to 0018: the four tables, one
 * batch number per ROC year and sequence, rows keyed by batch and line and removed with their batch, one
 * saved mapping per kind and source; down removes it all again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteHandle } from '../../../db/connection';
import { MIGRATIONS } from '../../../db/migrations/index';
import { migrateTo as migrateToHelper, tableNames } from '../../helpers/migrations';
import { onPostgres } from '../../helpers/pg';

const THIS = '2026-12-06-0018-imports';
const TABLES = ['import_batches', 'import_effects', 'import_mappings', 'import_rows'];

// The step itself on SQLite; on PostgreSQL index.test.ts migrates up through it.
describe.skipIf(onPostgres)(`migration ${THIS}`, () => {
  let dir: string;
  let h: SqliteHandle;
  const names = Object.keys(MIGRATIONS);
  const before = names[names.indexOf(THIS) - 1] as string;
  const migrateTo = (target: string) => migrateToHelper(h.db, target);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wd-mig-0018-'));
    h = openDatabase(join(dir, 'test.db'), { onSlowQuery: () => undefined });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('comes after the audit-filters migration', () => {
    expect(names.indexOf(THIS)).toBe(names.indexOf('2026-12-06-0017-audit-filters') + 1);
  });

  it('adds the import tables with their keys and uniqueness; down drops them', async () => {
    await migrateTo(before);
    for (const t of TABLES) expect(tableNames(h.sqlite)).not.toContain(t);
    expect(await migrateTo(THIS)).toEqual([`Up ${THIS} Success`]);
    for (const t of TABLES) expect(tableNames(h.sqlite)).toContain(t);

    const ts = '2026-05-20T02:00:00.000Z';
    h.sqlite
      .prepare("insert into users (username, display_name, role, password_hash, must_change_password, failed_logins, created_at, updated_at, version) values ('a1', '王管理', 'admin', 'x', 0, 0, ?, ?, 1)")
      .run(ts, ts);
    const uid = (h.sqlite.prepare("select id from users where username = 'a1'").get() as { id: number }).id;
    const batch = h.sqlite.prepare(
      "insert into import_batches (batch_no, roc_year, seq, kind, source, file_name, file_sha256, sheet, header_row, mapping, options, state, counts, created_by, created_at) values (?, ?, ?, 'caseload', '舊系統', 'a.xlsx', 'ab', '工作表1', 1, '{}', '{}', 'dryrun', '{}', ?, ?)",
    );
    const b1 = Number(batch.run('匯入-115-0001', 115, 1, uid, ts).lastInsertRowid);
    expect(() => batch.run('匯入-115-0001', 115, 2, uid, ts)).toThrow(/UNIQUE/);
    expect(() => batch.run('匯入-115-0002', 115, 1, uid, ts)).toThrow(/UNIQUE/);
    batch.run('匯入-116-0001', 116, 1, uid, ts);
    expect(() => batch.run('匯入-115-0009', 115, 9, uid + 100, ts)).toThrow(/FOREIGN KEY/);

    const row = h.sqlite.prepare("insert into import_rows (batch_id, line, status, summary) values (?, ?, 'new', '王小明')");
    row.run(b1, 2);
    row.run(b1, 3);
    expect(() => row.run(b1, 2)).toThrow(/UNIQUE|PRIMARY/);
    expect((h.sqlite.prepare('select excluded from import_rows where line = 2').get() as { excluded: number }).excluded).toBe(0);
    h.sqlite.prepare("insert into import_effects (batch_id, seq, table_name, key, action) values (?, 1, 'households', '{\"id\":1}', 'insert')").run(b1);
    h.sqlite.prepare('delete from import_batches where id = ?').run(b1);
    expect((h.sqlite.prepare('select count(*) as n from import_rows').get() as { n: number }).n).toBe(0);
    expect((h.sqlite.prepare('select count(*) as n from import_effects').get() as { n: number }).n).toBe(0);

    const mapping = h.sqlite.prepare("insert into import_mappings (kind, source, header_signature, mapping, updated_by, updated_at) values (?, ?, 'sig', '{}', ?, ?)");
    mapping.run('caseload', '舊系統', uid, ts);
    mapping.run('income-status', '舊系統', uid, ts);
    expect(() => mapping.run('caseload', '舊系統', uid, ts)).toThrow(/UNIQUE/);

    const plan = (h.sqlite.prepare("explain query plan select line from import_rows where batch_id = ? and status = 'error' order by line").all(1) as { detail: string }[])
      .map((r) => r.detail)
      .join('\n');
    expect(plan).toContain('import_rows_status_idx');

    expect(await migrateTo(before)).toEqual([`Down ${THIS} Success`]);
    for (const t of TABLES) expect(tableNames(h.sqlite)).not.toContain(t);
  });
});
