import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { onPostgres } from '../../helpers/pg';
import { openDatabase, type SqliteHandle } from '../../../db/connection';
import { MIGRATIONS, migrationProvider } from '../../../db/migrations/index';

const THIS = '2026-11-22-0004-case-workflow';
const NAMES = Object.keys(MIGRATIONS);
const BEFORE = NAMES[NAMES.indexOf(THIS) - 1] as string;

/** Migration 2026-11-22-0004-case-workflow on its own: rows made before it survive, and it adds what it promises. */
// The SQLite form of a frozen migration, step by step; the PostgreSQL forms are migrated in index.test.ts.
describe.skipIf(onPostgres)(`migration ${THIS}`, () => {
  let dir: string;
  let handle: SqliteHandle;
  afterEach(async () => {
    await handle.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps existing requests (from_status empty), seeds both factor lists once, and adds the worklist indexes', async () => {
    dir = mkdtempSync(join(tmpdir(), 'wd-mig-'));
    handle = openDatabase(join(dir, 'test.db'));
    const db = handle.db;
    const migrator = new Migrator({ db, provider: migrationProvider });
    const to3 = await migrator.migrateTo(BEFORE);
    expect(to3.error).toBeUndefined();

    const ts = '2026-01-01T00:00:00.000Z';
    const user = await db.insertInto('users').values({ username: 'w', display_name: 'w', role: 'worker', team_id: null, password_hash: 'x', must_change_password: 0, failed_logins: 0, locked_until: null, disabled_at: null, created_at: ts, updated_at: ts, version: 1 }).returning('id').executeTakeFirstOrThrow();
    const hh = await db.insertInto('households').values({ county_code: null, town_code: null, village_code: null, neighborhood: null, street: null, household_type: null, phone: null, notes: null, created_at: ts, created_by: user.id, updated_at: ts, updated_by: user.id }).returning('id').executeTakeFirstOrThrow();
    const c = await db
      .insertInto('cases')
      .values({ case_no: '115-000001', roc_year: 115, seq: 1, household_id: hh.id, previous_case_id: null, source: 'A', referring_unit: null, received_at: ts, dispatched_at: ts, first_contact_at: null, case_type: '其他', risk_level: '低', code_list_version_id: null, status: '開案審查中', lead_worker_id: user.id, team_id: null, opened_on: null, closed_on: null, close_reason: null, summary: null, created_at: ts, created_by: user.id, updated_at: ts, updated_by: user.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    await sql`insert into case_requests (case_id, kind, reason, requested_by, requested_at, state) values (${c.id}, 'open', 'r', ${user.id}, ${ts}, 'pending')`.execute(db);

    const to4 = await migrator.migrateTo(THIS);
    expect(to4.error).toBeUndefined();

    const req = await db.selectFrom('case_requests').selectAll().executeTakeFirstOrThrow();
    expect(req).toMatchObject({ case_id: c.id, state: 'pending', from_status: null });
    const versions = await db.selectFrom('code_list_versions').select(['list', 'effective_from']).orderBy('effective_from').execute();
    expect(versions).toEqual([
      { list: 'vulnerability', effective_from: '2021-01-01' },
      { list: 'vulnerability', effective_from: '2025-07-01' },
    ]);
    const groups = await db.selectFrom('code_list_items').select((eb) => eb.fn.countAll<number>().as('n')).where('group_code', 'is', null).executeTakeFirstOrThrow();
    expect(Number(groups.n)).toBe(12);
    const indexes = (await sql<{ name: string }>`select name from sqlite_master where type = 'index'`.execute(db)).rows.map((r) => r.name);
    expect(indexes).toEqual(expect.arrayContaining(['cases_uncontacted_idx', 'service_records_follow_up_idx', 'case_requests_one_pending', 'cases_previous_unique']));
    // One pending request per case, enforced by the database too.
    await expect(sql`insert into case_requests (case_id, kind, reason, requested_by, requested_at, state) values (${c.id}, 'close', 'r', ${user.id}, ${ts}, 'pending')`.execute(db)).rejects.toThrow(/UNIQUE/);

    const down = await migrator.migrateTo(BEFORE);
    expect(down.error).toBeUndefined();
    expect(await db.selectFrom('code_list_versions').selectAll().execute()).toEqual([]);
  });
});
