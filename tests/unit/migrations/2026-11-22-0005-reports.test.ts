/**
 * Migration 0005 (reports), Signal style: a database at 0004 holding caseload rows is migrated to 0005;
 * the old rows are untouched, the new tables exist and their constraints hold (one template per file,
 * one lock per definition and quarter, one remark per month and team, period cell all-or-nothing),
 * and the migration goes down again cleanly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres } from '../../helpers/pg';
import { openDatabase, type SqliteHandle } from '../../../db/connection';
import { MIGRATIONS } from '../../../db/migrations/index';
import { migrateTo as migrateToHelper, tableNames } from '../../helpers/migrations';

const THIS = '2026-11-22-0005-reports';
const NAMES = Object.keys(MIGRATIONS);
const BEFORE = NAMES[NAMES.indexOf(THIS) - 1] as string;
const TS = '2026-03-05T02:00:00.000Z';
const NEW_TABLES = ['monthly_remarks', 'report_definitions', 'report_mappings', 'report_submissions', 'report_templates'];

// The SQLite form of a frozen migration, step by step; the PostgreSQL forms are migrated in index.test.ts.
describe.skipIf(onPostgres)(`migration ${THIS}`, () => {
  let dir: string;
  let h: SqliteHandle;
  let before: unknown;
  const tables = () => tableNames(h.sqlite);
  const migrateTo = (target: string) => migrateToHelper(h.db, target);
  const run = (sqlText: string, ...params: unknown[]) => h.sqlite.prepare(sqlText).run(...params);
  const dump = () => ({
    users: h.sqlite.prepare('select * from users order by id').all(),
    households: h.sqlite.prepare('select * from households order by id').all(),
    cases: h.sqlite.prepare('select * from cases order by id').all(),
    records: h.sqlite.prepare('select * from service_records order by id').all(),
  });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wd-mig-0005-'));
    h = openDatabase(join(dir, 'test.db'));
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`starts from a database at ${BEFORE} holding caseload rows`, async () => {
    expect(BEFORE).toBe('2026-11-22-0004-case-workflow');
    await migrateTo(BEFORE);
    run('insert into teams (name, created_at) values (?, ?)', '第一組', TS);
    run('insert into users (username, display_name, role, team_id, password_hash, created_at, updated_at, version, must_change_password, failed_logins) values (?, ?, ?, ?, ?, ?, ?, 1, 0, 0)', 'admin', '管理者', 'admin', null, 'h', TS, TS);
    run('insert into users (username, display_name, role, team_id, password_hash, created_at, updated_at, version, must_change_password, failed_logins) values (?, ?, ?, ?, ?, ?, ?, 1, 0, 0)', 'chen', '陳社工', 'worker', 1, 'h', TS, TS);
    run('insert into households (household_type, created_at, updated_at, created_by) values (?, ?, ?, 1)', '單親', TS, TS);
    run(
      'insert into cases (case_no, roc_year, seq, household_id, source, received_at, case_type, status, lead_worker_id, team_id, opened_on, created_at, updated_at) values (?, 115, 1, 1, ?, ?, ?, ?, 2, 1, ?, ?, ?)',
      '115-000001', 'A', TS, '脆弱家庭', '處遇中', '2026-03-05', TS, TS,
    );
    run(
      'insert into service_records (household_id, case_id, occurred_at, method, minutes, items, worker_id, created_at, updated_at) values (1, 1, ?, ?, 30, ?, 2, ?, ?)',
      TS, '面訪家庭', '["福利諮詢"]', TS, TS,
    );
    before = dump();
    for (const t of NEW_TABLES) expect(tables()).not.toContain(t);
  });

  it('migrates to this migration only, leaving the existing rows exactly as they were', async () => {
    expect(await migrateTo(THIS)).toEqual([`Up ${THIS} Success`]);
    for (const t of NEW_TABLES) expect(tables()).toContain(t);
    expect(dump()).toEqual(before);
    const idx = (h.sqlite.prepare("select name from sqlite_master where type = 'index' and tbl_name in ('cases', 'referrals', 'report_submissions')").all() as { name: string }[]).map((r) => r.name);
    expect(idx).toEqual(expect.arrayContaining(['cases_dispatched_idx', 'cases_opened_idx', 'cases_closed_idx', 'referrals_referred_idx', 'report_submissions_one_lock']));
  });

  it('stores a template once per file, definitions, mappings and their JSON', () => {
    const bytes = Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]);
    run('insert into report_templates (file_name, sha256, size, bytes, model, imported_at, imported_by) values (?, ?, ?, ?, ?, ?, 1)', '季報.xlsx', 'a'.repeat(64), bytes.length, bytes, '{"sheets":[]}', TS);
    expect(() =>
      run('insert into report_templates (file_name, sha256, size, bytes, model, imported_at, imported_by) values (?, ?, ?, ?, ?, ?, 1)', '同檔.xlsx', 'a'.repeat(64), bytes.length, bytes, '{}', TS),
    ).toThrow(/UNIQUE/);
    const row = h.sqlite.prepare('select bytes from report_templates where id = 1').get() as { bytes: Buffer };
    expect(Buffer.compare(row.bytes, bytes)).toBe(0);

    run(
      'insert into report_definitions (template_id, name, form_no, agency, deadline, period_sheet, period_cell, period_fingerprint, created_at, created_by, updated_at, updated_by) values (1, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, 1)',
      '脆弱家庭季報', '10930-01-01-2', '○○市政府社會局', '次季終了後20日內編報', '脆弱家庭服務', 'A6', '{}', TS, TS,
    );
    // The period cell is both sheet and cell, or neither.
    expect(() =>
      run('insert into report_definitions (template_id, name, form_no, agency, deadline, period_sheet, created_at, updated_at) values (1, ?, ?, ?, ?, ?, ?, ?)', '壞的', 'x', 'x', 'x', '脆弱家庭服務', TS, TS),
    ).toThrow(/CHECK/);
    expect(() => run('insert into report_definitions (template_id, name, form_no, agency, deadline, created_at, updated_at) values (1, ?, ?, ?, ?, ?, ?)', '脆弱家庭季報', 'x', 'x', 'x', TS, TS)).toThrow(/UNIQUE/);
    expect(() => run('insert into report_definitions (template_id, name, form_no, agency, deadline, created_at, updated_at) values (99, ?, ?, ?, ?, ?, ?)', '無範本', 'x', 'x', 'x', TS, TS)).toThrow(/FOREIGN KEY/);

    run("insert into report_mappings (definition_id, seq, sheet, cell, indicator_id, fingerprint) values (1, 1, '脆弱家庭服務', 'B10', 'cases.received', '{}')");
    expect((h.sqlite.prepare('select filters, version from report_mappings m join report_definitions d on d.id = m.definition_id').get() as { filters: string; version: number })).toEqual({ filters: '{}', version: 1 });
    expect(() => run("insert into report_mappings (definition_id, seq, sheet, cell, indicator_id, fingerprint) values (1, 2, '脆弱家庭服務', 'B10', 'cases.opened', '{}')")).toThrow(/UNIQUE/);
  });

  it('allows one lock per definition and quarter; unlocked submissions stay as history', () => {
    const submit = () =>
      run(
        "insert into report_submissions (definition_id, period, period_from, period_to, figures, file, sha256, template_sha256, submitted_at, submitted_by) values (1, '2026Q1', '2026-01-01', '2026-03-31', '[]', ?, ?, ?, ?, 1)",
        Buffer.from([1]), 'b'.repeat(64), 'a'.repeat(64), TS,
      );
    submit();
    expect(submit).toThrow(/UNIQUE/);
    expect(() => run("update report_submissions set unlocked_at = ? where id = 1", TS)).toThrow(/CHECK/); // a reason is required
    run("update report_submissions set unlocked_at = ?, unlocked_by = 1, unlock_reason = '數字更正' where id = 1", TS);
    submit();
    const rows = h.sqlite.prepare('select id, unlocked_at is null as locked from report_submissions order by id').all();
    expect(rows).toEqual([{ id: 1, locked: 0 }, { id: 2, locked: 1 }]);
  });

  it('keeps one remark per month and team (0 = whole center)', () => {
    run("insert into monthly_remarks (month, team_key, remark, updated_at, updated_by) values ('2026-03', 0, '整體穩定', ?, 1)", TS);
    run("insert into monthly_remarks (month, team_key, remark, updated_at, updated_by) values ('2026-03', 1, '第一組', ?, 1)", TS);
    expect(() => run("insert into monthly_remarks (month, team_key, remark, updated_at, updated_by) values ('2026-03', 1, '重複', ?, 1)", TS)).toThrow(/UNIQUE/);
    expect(h.sqlite.pragma('foreign_key_check')).toEqual([]);
  });

  it('goes down to the previous migration, dropping only its own tables and indexes', async () => {
    expect(await migrateTo(BEFORE)).toEqual([`Down ${THIS} Success`]);
    for (const t of NEW_TABLES) expect(tables()).not.toContain(t);
    expect(dump()).toEqual(before);
    const idx = (h.sqlite.prepare("select name from sqlite_master where type = 'index' and name in ('cases_dispatched_idx', 'cases_opened_idx')").all() as unknown[]).length;
    expect(idx).toBe(0);
    expect(await migrateTo(THIS)).toEqual([`Up ${THIS} Success`]);
  });
});
