/**
 * Migration 0007 (programmes), Signal style: a database at the migration before it, with a person
 * and a household in it, migrated to 0007: the tables exist, take rows, and refuse what they must.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres } from '../../helpers/pg';
import { openDatabase, type SqliteHandle } from '../../../db/connection';
import { MIGRATIONS, migrationProvider } from '../../../db/migrations/index';
import { migrateTo as migrateToHelper } from '../../helpers/migrations';

const THIS = '2026-11-22-0007-programmes';

// The SQLite form of a frozen migration, step by step; the PostgreSQL forms are migrated in index.test.ts.
describe.skipIf(onPostgres)(`migration ${THIS}`, () => {
  let dir: string;
  let h: SqliteHandle;
  const names = Object.keys(MIGRATIONS);
  const BEFORE = names[names.indexOf(THIS) - 1] as string;
  const migrateTo = (target: string) => migrateToHelper(h.db, target);
  const run = (q: string, ...args: unknown[]) => h.sqlite.prepare(q).run(...args);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wd-mig-0007-'));
    h = openDatabase(join(dir, 'test.db'), { onSlowQuery: () => undefined });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is listed after the migration before it', () => {
    expect(names.indexOf(THIS)).toBeGreaterThan(0);
    expect(BEFORE < THIS).toBe(true);
  });

  it('adds the programme, account, meeting and outreach tables to a database with data', async () => {
    await migrateTo(BEFORE);
    const ts = '2026-03-05T02:00:00.000Z';
    run('insert into persons (name, birth_date, income_status, created_at, updated_at) values (?, ?, ?, ?, ?)', '林小安', '2018-04-01', 'low', ts, ts);
    run('insert into households (street, created_at, updated_at) values (?, ?, ?)', '中山路100號', ts, ts);
    expect(await migrateTo(THIS)).toEqual([`Up ${THIS} Success`]);

    run(
      'insert into programmes (name, programme_type, starts_on, ends_on, status, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)',
      '脫貧自立方案', '脫貧自立', '2026-01-01', '2026-12-31', 'running', ts, ts,
    );
    run('insert into programme_enrolments (programme_id, person_id, household_id, enrolled_on, status, created_at, updated_at) values (1, 1, 1, ?, ?, ?, ?)', '2026-02-01', 'enrolled', ts, ts);
    run('insert into programme_sessions (programme_id, held_on, place, topic, hours, created_at) values (1, ?, ?, ?, ?, ?)', '2026-03-01', '中心', '理財', 2, ts);
    run('insert into programme_attendance (session_id, enrolment_id, status, recorded_at) values (1, 1, ?, ?)', '出席', ts);
    run('insert into child_accounts (person_id, household_id, opened_on, monthly_amount, created_at, updated_at) values (1, 1, ?, 1000, ?, ?)', '2026-01-10', ts, ts);
    run("insert into child_deposits (account_id, month, deposited_on, amount, source, created_at) values (1, '2026-01', '2026-01-15', 1000, 'manual', ?)", ts);
    run('insert into child_account_followups (account_id, household_id, raised_on, months_without, created_at) values (1, 1, ?, 3, ?)', '2026-05-01', ts);
    run("insert into meetings (kind, held_on, title, units, cases_discussed, created_at, updated_at) values ('個案研討', '2026-03-02', '研討', '[]', '[\"115-000001\"]', ?, ?)", ts, ts);
    run("insert into outreach_events (held_on, place, topic, attendees, created_at, updated_at) values ('2026-03-03', '里民活動中心', '兒少保護', 40, ?, ?)", ts, ts);
    run("insert into child_placements (person_id, placed_on, created_at) values (1, '2026-01-01', ?)", ts);

    expect(h.sqlite.prepare('select version, status from programmes').get()).toEqual({ version: 1, status: 'running' });
    // One enrolment per person and programme, one account per child, one mark per session and person.
    expect(() => run('insert into programme_enrolments (programme_id, person_id, enrolled_on, status, created_at, updated_at) values (1, 1, ?, ?, ?, ?)', '2026-02-02', 'enrolled', ts, ts)).toThrow(/UNIQUE/);
    run("insert into child_deposits (account_id, month, deposited_on, amount, source, created_at) values (1, '2026-01', '2026-01-20', 500, 'manual', ?)", ts); // a catch-up deposit
    expect(() => run('insert into child_accounts (person_id, opened_on, monthly_amount, created_at, updated_at) values (1, ?, 500, ?, ?)', '2026-02-01', ts, ts)).toThrow(/UNIQUE/);
    expect(() => run('insert into programme_attendance (session_id, enrolment_id, status, recorded_at) values (1, 1, ?, ?)', '缺席', ts)).toThrow(/UNIQUE|PRIMARY/);
    // Foreign keys hold.
    expect(() => run('insert into programme_sessions (programme_id, held_on, place, topic, hours, created_at) values (99, ?, ?, ?, 1, ?)', '2026-03-01', 'x', 'y', ts)).toThrow(/FOREIGN KEY/);
    expect(h.sqlite.pragma('foreign_key_check')).toEqual([]);
  });

  it('migrates down and up again', async () => {
    const down = await new Migrator({ db: h.db, provider: migrationProvider }).migrateTo(BEFORE);
    expect(down.error).toBeUndefined();
    expect(h.sqlite.prepare("select count(*) n from sqlite_master where type = 'table' and name in ('programmes', 'child_accounts', 'meetings')").get()).toEqual({ n: 0 });
    expect(await migrateTo(THIS)).toEqual([`Up ${THIS} Success`]);
    expect(h.sqlite.prepare('select count(*) n from programmes').get()).toEqual({ n: 0 });
  });
});
