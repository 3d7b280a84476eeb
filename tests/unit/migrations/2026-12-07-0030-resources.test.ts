/**
 * Migration 0030 (resource map, issue 14 §3): a database at the migration before it, with a user and a
 * referral, migrated to 0030: the resource tables exist, take a resource with its services, targets and
 * districts; the old referral has no resource and a new one can name the resource; a service row of a
 * resource that does not exist is refused (foreign key); down removes the tables and the column and
 * keeps the referral. On SQLite and PostgreSQL.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/connection';
import { MIGRATIONS } from '../../../db/migrations/index';
import { openPostgres } from '../../../db/postgres';
import type { Database } from '../../../db/schema';
import { migrateTo } from '../../helpers/migrations';
import { createEmptyDatabase, dropDatabase, onPostgres } from '../../helpers/pg';

const THIS = '2026-12-07-0030-resources';

describe(`migration ${THIS} (${onPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  const names = Object.keys(MIGRATIONS);
  const before = names[names.indexOf(THIS) - 1] as string;
  const tables = async () => {
    const all = await db.introspection.getTables();
    return all.map((t) => t.name).filter((n) => n.startsWith('resource')).sort();
  };
  const referralColumns = async () => ((await db.introspection.getTables()).find((t) => t.name === 'referrals')?.columns ?? []).map((c) => c.name);

  beforeAll(async () => {
    if (onPostgres) {
      const { name, url } = await createEmptyDatabase();
      const h = openPostgres(url);
      db = h.db;
      close = async () => {
        await h.close();
        await dropDatabase(name);
      };
    } else {
      const dir = mkdtempSync(join(tmpdir(), 'wd-mig-0030-'));
      const h = openDatabase(join(dir, 'test.db'), { onSlowQuery: () => undefined });
      db = h.db;
      close = async () => {
        await h.close();
        rmSync(dir, { recursive: true, force: true });
      };
    }
  });
  afterAll(async () => close?.());

  it('creates the resource tables and referrals.resource_id; down drops them and keeps the referrals', async () => {
    await migrateTo(db, before);
    expect(await tables()).toEqual([]);
    const ts = '2026-05-01T00:00:00.000Z';
    const user = await db
      .insertInto('users')
      .values({ username: 'sw1', display_name: '社工一', role: 'worker', team_id: null, password_hash: 'x', must_change_password: 0, failed_logins: 0, locked_until: null, disabled_at: null, created_at: ts, updated_at: ts, version: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const hh = await sql<{ id: number }>`insert into households (street, created_at, updated_at, version) values ('中山路1號', ${ts}, ${ts}, 1) returning id`.execute(db);
    const householdId = Number(hh.rows[0]?.id);
    const refValues = { household_id: householdId, case_id: null, service_id: null, unit_kind: '民間團體', unit_name: '某協會', reason: '物資', status: '轉介等待中', referred_on: '2026-05-01', created_at: ts, created_by: user.id, updated_at: ts, updated_by: user.id, version: 1 };
    await sql`insert into referrals (household_id, unit_kind, unit_name, reason, status, referred_on, created_at, updated_at, version) values (${householdId}, '民間團體', '某協會', '物資', '轉介等待中', '2026-05-01', ${ts}, ${ts}, 1)`.execute(db);

    expect(await migrateTo(db, THIS)).toEqual([`Up ${THIS} Success`]);
    expect(await tables()).toEqual(['resource_districts', 'resource_services', 'resource_targets', 'resources']);
    expect(await referralColumns()).toContain('resource_id');
    const res = await db
      .insertInto('resources')
      .values({ name: '南投家扶中心', unit_kind: '民間團體', contact_person: '王社工', phone: '049-2222222', address: null, email: null, capacity: null, wait_days: 7, notes: null, created_at: ts, created_by: user.id, updated_at: ts, updated_by: user.id })
      .returning(['id', 'active', 'version'])
      .executeTakeFirstOrThrow();
    expect(Number(res.active)).toBe(1);
    expect(res.version).toBe(1);
    await db.insertInto('resource_services').values([{ resource_id: res.id, service_type: '經濟扶助' }, { resource_id: res.id, service_type: '物資' }]).execute();
    await db.insertInto('resource_targets').values({ resource_id: res.id, target_group: '兒少' }).execute();
    await db.insertInto('resource_districts').values({ resource_id: res.id, division_code: '10008010' }).execute();
    await expect(db.insertInto('resource_services').values({ resource_id: res.id, service_type: '物資' }).execute()).rejects.toThrow();
    await expect(db.insertInto('resource_services').values({ resource_id: res.id + 100, service_type: '就業' }).execute()).rejects.toThrow(/FOREIGN KEY|foreign key/);
    await db.insertInto('referrals').values({ ...refValues, resource_id: res.id }).execute();
    const refs = await db.selectFrom('referrals').select(['resource_id']).orderBy('id').execute();
    expect(refs.map((r) => r.resource_id)).toEqual([null, res.id]);

    expect(await migrateTo(db, before)).toEqual([`Down ${THIS} Success`]);
    expect(await tables()).toEqual([]);
    expect(await referralColumns()).not.toContain('resource_id');
    expect(Number((await sql<{ n: number }>`select count(*) as n from referrals`.execute(db)).rows[0]?.n)).toBe(2);
  });
});
