/**
 * Migration 0024 (staffing, issue 13 §6): a database at the migration before it, with a user,
 * migrated to 0024: staff_positions and staff_fills exist and take a position with two fills (one by
 * a user, one by a typed name, the second still open); a fill of a position that does not exist is
 * refused (foreign key); down removes both tables and keeps the user. On SQLite and PostgreSQL.
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

const THIS = '2026-12-06-0024-staffing';

describe(`migration ${THIS} (${onPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  const names = Object.keys(MIGRATIONS);
  const before = names[names.indexOf(THIS) - 1] as string;
  const tables = async () => {
    const all = await db.introspection.getTables();
    return all.map((t) => t.name).filter((n) => n.startsWith('staff_')).sort();
  };

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
      const dir = mkdtempSync(join(tmpdir(), 'wd-mig-0024-'));
      const h = openDatabase(join(dir, 'test.db'), { onSlowQuery: () => undefined });
      db = h.db;
      close = async () => {
        await h.close();
        rmSync(dir, { recursive: true, force: true });
      };
    }
  });
  afterAll(async () => close?.());

  it('creates staff_positions and staff_fills; fills need their position; down drops both and keeps the rest', async () => {
    await migrateTo(db, before);
    expect(await tables()).toEqual([]);
    const ts = '2026-05-01T00:00:00.000Z';
    const user = await db
      .insertInto('users')
      .values({ username: 'sw1', display_name: '社工一', role: 'worker', team_id: null, password_hash: 'x', must_change_password: 0, failed_logins: 0, locked_until: null, disabled_at: null, created_at: ts, updated_at: ts, version: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();

    expect(await migrateTo(db, THIS)).toEqual([`Up ${THIS} Success`]);
    expect(await tables()).toEqual(['staff_fills', 'staff_positions']);
    const stamp = { created_at: ts, created_by: user.id, updated_at: ts, updated_by: user.id };
    const pos = await db
      .insertInto('staff_positions')
      .values({ funding_line: 'ssn', title: '社工員', label: null, approved_from: '2026-01-01', approved_to: null, notes: null, ...stamp })
      .returning(['id', 'version'])
      .executeTakeFirstOrThrow();
    expect(pos.version).toBe(0);
    await db
      .insertInto('staff_fills')
      .values([
        { position_id: pos.id, user_id: user.id, staff_name: null, started_on: '2026-01-01', ended_on: '2026-02-14', ...stamp },
        { position_id: pos.id, user_id: null, staff_name: '陳社工', started_on: '2026-03-16', ended_on: null, ...stamp },
      ])
      .execute();
    const fills = await db.selectFrom('staff_fills').select(['user_id', 'staff_name', 'ended_on', 'version']).orderBy('started_on').execute();
    expect(fills).toEqual([
      { user_id: user.id, staff_name: null, ended_on: '2026-02-14', version: 0 },
      { user_id: null, staff_name: '陳社工', ended_on: null, version: 0 },
    ]);
    await expect(
      db.insertInto('staff_fills').values({ position_id: pos.id + 100, user_id: null, staff_name: '無', started_on: '2026-01-01', ended_on: null, ...stamp }).execute(),
    ).rejects.toThrow(/FOREIGN KEY|foreign key/);

    expect(await migrateTo(db, before)).toEqual([`Down ${THIS} Success`]);
    expect(await tables()).toEqual([]);
    expect(Number((await sql<{ n: number }>`select count(*) as n from users`.execute(db)).rows[0]?.n)).toBe(1);
  });
});
