/**
 * Migration 0002 (caseload), Signal style: a database at 0001 holding foundation rows is migrated to 0002;
 * the old rows are untouched and the new tables' constraints hold (one current household per person,
 * the case status list, CMS level 1-8, one active long-term concern per household, ...).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres } from '../../helpers/pg';
import { openDatabase, type SqliteHandle } from '../../../db/connection';
import { MIGRATIONS } from '../../../db/migrations/index';
import { migrateTo as migrateToHelper, tableNames } from '../../helpers/migrations';

const THIS = '2026-11-22-0002-caseload';
const NAMES = Object.keys(MIGRATIONS);
const BEFORE = NAMES[NAMES.indexOf(THIS) - 1] as string;
const TS = '2026-03-05T02:00:00.000Z';
const NEW_TABLES = [
  'care_arrangements', 'care_needs', 'case_assistants', 'case_factors', 'case_requests', 'case_status_history', 'cases',
  'code_list_items', 'code_list_versions', 'divisions', 'household_members', 'households', 'long_term_concerns',
  'ltc_services', 'persons', 'referral_status_history', 'referrals', 'service_participants', 'service_records',
];
const CASE_STATUSES = ['待分派', '評估中', '開案審查中', '處遇中', '不開案', '短期服務', '結案審查中', '已結案'];

// The SQLite form of a frozen migration, step by step; the PostgreSQL forms are migrated in index.test.ts.
describe.skipIf(onPostgres)(`migration ${THIS}`, () => {
  let dir: string;
  let h: SqliteHandle;
  let foundationRows: unknown;
  const tables = () => tableNames(h.sqlite);
  const migrateTo = (target: string) => migrateToHelper(h.db, target);
  const dumpFoundation = () => ({
    users: h.sqlite.prepare('select * from users order by id').all(),
    teams: h.sqlite.prepare('select * from teams order by id').all(),
    settings: h.sqlite.prepare('select * from settings order by key').all(),
    audit: h.sqlite.prepare('select * from audit_log order by id').all(),
  });
  const run = (sqlText: string, ...params: unknown[]) => h.sqlite.prepare(sqlText).run(...params);
  const addPerson = (name: string, nationalId: string | null) =>
    Number(run('insert into persons (name, national_id, created_at, updated_at, created_by) values (?, ?, ?, ?, 1)', name, nationalId, TS, TS).lastInsertRowid);
  const addHousehold = () => Number(run('insert into households (village_code, created_at, updated_at, created_by) values (?, ?, ?, 1)', '6500100-001', TS, TS).lastInsertRowid);
  const addMember = (householdId: number, personId: number, leftOn: string | null = null) =>
    run('insert into household_members (household_id, person_id, relation, joined_on, left_on, created_at) values (?, ?, ?, ?, ?, ?)', householdId, personId, '戶長', '2026-01-01', leftOn, TS);
  let caseSeq = 0;
  const addCase = (householdId: number, status: string, seq = ++caseSeq) =>
    run(
      'insert into cases (case_no, roc_year, seq, household_id, source, received_at, case_type, status, lead_worker_id, team_id, created_at, updated_at) values (?, 115, ?, ?, ?, ?, ?, ?, 2, 1, ?, ?)',
      `115-${String(seq).padStart(6, '0')}`, seq, householdId, 'A', TS, '脆弱家庭', status, TS, TS,
    );

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wd-mig-0002-'));
    h = openDatabase(join(dir, 'test.db'));
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`starts from a database at ${BEFORE} holding foundation rows`, async () => {
    expect(BEFORE).toBe('2026-11-22-0001-foundation');
    expect(await migrateTo(BEFORE)).toEqual([`Up ${BEFORE} Success`]);
    run('insert into teams (name, created_at) values (?, ?)', '第一組', TS);
    run('insert into users (username, display_name, role, team_id, password_hash, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)', 'admin', '管理者', 'admin', null, 'h1', TS, TS);
    run('insert into users (username, display_name, role, team_id, password_hash, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)', 'chen', '陳社工', 'worker', 1, 'h2', TS, TS);
    run("insert into settings (key, value) values ('center.name', '\"測試中心\"')");
    run("insert into audit_log (id, at, actor_name, action, entity, prev_hash, hash) values (1, ?, '管理者', 'setup', 'center', ?, ?)", TS, '0'.repeat(64), 'a'.repeat(64));
    foundationRows = dumpFoundation();
    expect(tables()).toEqual(['audit_log', 'settings', 'teams', 'users']);
  });

  it('migrates to this migration only, leaving the foundation rows exactly as they were', async () => {
    expect(await migrateTo(THIS)).toEqual([`Up ${THIS} Success`]);
    expect(tables()).toEqual([...NEW_TABLES, 'audit_log', 'settings', 'teams', 'users'].sort());
    expect(dumpFoundation()).toEqual(foundationRows);
  });

  it('divisions form a county > town > village tree; other levels are refused', () => {
    run("insert into divisions (code, level, name, parent_code) values ('65000', 'county', '新北市', null)");
    run("insert into divisions (code, level, name, parent_code) values ('6500100', 'town', '板橋區', '65000')");
    run("insert into divisions (code, level, name, parent_code) values ('6500100-001', 'village', '留侯里', '6500100')");
    expect(() => run("insert into divisions (code, level, name) values ('x', 'city', '某市')")).toThrow(/CHECK constraint failed: divisions_level_check/);
    expect(() => run("insert into divisions (code, level, name, parent_code) values ('y', 'town', '某區', 'nope')")).toThrow(/FOREIGN KEY constraint failed/);
  });

  it('a national ID belongs to one person; persons without one may be many', () => {
    addPerson('王小明', 'A123456789');
    expect(() => addPerson('王小明', 'A123456789')).toThrow(/UNIQUE constraint failed: persons.national_id/);
    addPerson('無名一', null);
    addPerson('無名二', null);
    expect(h.sqlite.prepare('select count(*) as n from persons').get()).toEqual({ n: 3 });
    expect(h.sqlite.prepare('select indigenous, new_immigrant, version from persons where id = 1').get()).toEqual({ indigenous: 0, new_immigrant: 0, version: 1 });
  });

  it('a person is a current member of one household at a time (partial unique index), with history kept', () => {
    const a = addHousehold();
    const b = addHousehold();
    addMember(a, 1);
    expect(() => addMember(b, 1)).toThrow(/UNIQUE constraint failed: household_members.person_id/);
    run("update household_members set left_on = '2026-03-01', left_reason = '遷出' where household_id = ? and person_id = 1", a);
    addMember(b, 1);
    addMember(a, 1, '2025-12-31'); // an older, closed membership of the same pair is history, not a clash
    expect(h.sqlite.prepare('select household_id, left_on from household_members where person_id = 1 order by id').all()).toEqual([
      { household_id: a, left_on: '2026-03-01' },
      { household_id: b, left_on: null },
      { household_id: a, left_on: '2025-12-31' },
    ]);
    expect(() => addMember(999, 2)).toThrow(/FOREIGN KEY constraint failed/);
  });

  it('a case takes one of the eight statuses only (cases_status_check)', () => {
    for (const status of CASE_STATUSES) addCase(1, status);
    for (const bad of ['bogus', '', '結案', 'closed']) expect(() => addCase(1, bad), bad).toThrow(/CHECK constraint failed: cases_status_check/);
    expect(h.sqlite.prepare('select status from cases order by id').all().map((r) => (r as { status: string }).status)).toEqual(CASE_STATUSES);
  });

  it('case numbers and (year, sequence) are unique, and the household must exist', () => {
    expect(() =>
      run("insert into cases (case_no, roc_year, seq, household_id, source, received_at, case_type, status, created_at, updated_at) values ('115-000001', 115, 100, 1, 'A', ?, '脆弱家庭', '待分派', ?, ?)", TS, TS, TS),
    ).toThrow(/UNIQUE constraint failed: cases.case_no/);
    expect(() =>
      run("insert into cases (case_no, roc_year, seq, household_id, source, received_at, case_type, status, created_at, updated_at) values ('other', 115, 1, 1, 'A', ?, '脆弱家庭', '待分派', ?, ?)", TS, TS, TS),
    ).toThrow(/UNIQUE constraint failed: cases.roc_year, cases.seq/);
    expect(() => addCase(999, '待分派')).toThrow(/FOREIGN KEY constraint failed/);
  });

  it('a CMS level is 1 to 8, or not assessed (care_needs_cms_check)', () => {
    const add = (level: number | null) => run('insert into care_needs (household_id, person_id, kind, cms_level, updated_at) values (1, 1, ?, ?, ?)', '失能', level, TS);
    for (const level of [1, 8, null]) add(level);
    for (const level of [0, 9, -1]) expect(() => add(level), String(level)).toThrow(/CHECK constraint failed: care_needs_cms_check/);
    expect(h.sqlite.prepare('select cms_level from care_needs order by id').all()).toEqual([{ cms_level: 1 }, { cms_level: 8 }, { cms_level: null }]);
  });

  it('a household has at most one active long-term concern', () => {
    const add = (endDate: string | null) =>
      run(
        'insert into long_term_concerns (household_id, reason, start_date, frequency, worker_id, next_due, end_date, created_at, updated_at) values (2, ?, ?, ?, 2, ?, ?, ?, ?)',
        '獨居長者', '2026-01-01', 'monthly', '2026-02-01', endDate, TS, TS,
      );
    add(null);
    expect(() => add(null)).toThrow(/UNIQUE constraint failed: long_term_concerns.household_id/);
    run("update long_term_concerns set end_date = '2026-03-01', end_reason = '遷出' where household_id = 2");
    add(null);
    expect(h.sqlite.prepare('select count(*) as n from long_term_concerns where household_id = 2').get()).toEqual({ n: 2 });
  });

  it('composite keys refuse duplicates: case assistants, factors, code-list items', () => {
    run('insert into case_assistants (case_id, user_id) values (1, 2)');
    expect(() => run('insert into case_assistants (case_id, user_id) values (1, 2)')).toThrow(/UNIQUE constraint failed/);
    run('insert into case_factors (case_id, code) values (1, ?)', '1-1');
    expect(() => run('insert into case_factors (case_id, code) values (1, ?)', '1-1')).toThrow(/UNIQUE constraint failed/);
    run("insert into code_list_versions (list, effective_from, created_at) values ('vulnerability', '2026-01-01', ?)", TS);
    expect(() => run("insert into code_list_versions (list, effective_from, created_at) values ('vulnerability', '2026-01-01', ?)", TS)).toThrow(/UNIQUE constraint failed/);
    run("insert into code_list_items (version_id, code, label) values (1, '1-1', '經濟')");
    expect(() => run("insert into code_list_items (version_id, code, label) values (1, '1-1', '重複')")).toThrow(/UNIQUE constraint failed/);
  });

  it('every foreign key in the new tables points at a row that exists', () => {
    expect(h.sqlite.pragma('foreign_key_check')).toEqual([]);
  });

  it(`migrates down to ${BEFORE} (foundation rows intact) and up again`, async () => {
    expect(await migrateTo(BEFORE)).toEqual([`Down ${THIS} Success`]);
    expect(tables()).toEqual(['audit_log', 'settings', 'teams', 'users']);
    expect(dumpFoundation()).toEqual(foundationRows);
    expect(await migrateTo(THIS)).toEqual([`Up ${THIS} Success`]);
    expect(h.sqlite.prepare('select count(*) as n from cases').get()).toEqual({ n: 0 });
  });
});
