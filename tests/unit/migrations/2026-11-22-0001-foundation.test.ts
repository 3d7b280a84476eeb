/**
 * Migration 0001 (foundation), Signal style: a fresh database migrated to just before it (nothing), then
 * to it; rows go in and come back; the constraints and the audit triggers hold.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator, NO_MIGRATIONS } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres } from '../../helpers/pg';
import { openDatabase, type SqliteHandle } from '../../../db/connection';
import { MIGRATIONS, migrationProvider } from '../../../db/migrations/index';
import { ROLES } from '../../../main/contract/roles';
import { tableNames } from '../../helpers/migrations';

const THIS = '2026-11-22-0001-foundation';

// The SQLite form of a frozen migration, step by step; the PostgreSQL forms are migrated in index.test.ts.
describe.skipIf(onPostgres)(`migration ${THIS}`, () => {
  let dir: string;
  let h: SqliteHandle;
  const tables = () => tableNames(h.sqlite);
  const migrateTo = async (target: string | typeof NO_MIGRATIONS) => {
    const { error, results } = await new Migrator({ db: h.db, provider: migrationProvider }).migrateTo(target);
    if (error) throw error;
    return (results ?? []).map((r) => `${r.direction} ${r.migrationName} ${r.status}`);
  };
  const insertUser = (username: string, role: string, teamId: number | null = null) =>
    h.sqlite
      .prepare('insert into users (username, display_name, role, team_id, password_hash, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)')
      .run(username, `${username} 名`, role, teamId, 'scrypt$x', '2026-03-05T02:00:00.000Z', '2026-03-05T02:00:00.000Z');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wd-mig-0001-'));
    h = openDatabase(join(dir, 'test.db'));
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is the first migration listed', () => {
    expect(Object.keys(MIGRATIONS)[0]).toBe(THIS);
  });

  it('migrates a fresh database up to exactly this migration', async () => {
    expect(await migrateTo(NO_MIGRATIONS)).toEqual([]);
    expect(tables()).toEqual([]);
    expect(await migrateTo(THIS)).toEqual([`Up ${THIS} Success`]);
    expect(tables()).toEqual(['audit_log', 'settings', 'teams', 'users']);
  });

  it('stores and returns users, teams and settings, with the defaults filled in', () => {
    h.sqlite.prepare("insert into teams (name, supervisor_id, created_at) values ('第一組', null, '2026-03-05T02:00:00.000Z')").run();
    insertUser('chen', 'worker', 1);
    h.sqlite.prepare("insert into settings (key, value) values ('center.name', '\"測試中心\"')").run();
    expect(h.sqlite.prepare('select username, role, team_id, must_change_password, failed_logins, locked_until, disabled_at, version from users').all()).toEqual([
      { username: 'chen', role: 'worker', team_id: 1, must_change_password: 0, failed_logins: 0, locked_until: null, disabled_at: null, version: 1 },
    ]);
    expect(h.sqlite.prepare('select value from settings where key = ?').get('center.name')).toEqual({ value: '"測試中心"' });
  });

  it('accepts the five roles and nothing else (users_role_check)', () => {
    for (const role of ROLES) if (role !== 'worker') insertUser(`u-${role}`, role);
    expect(() => insertUser('root', 'root')).toThrow(/CHECK constraint failed: users_role_check/);
    expect(() => insertUser('empty', '')).toThrow(/CHECK constraint failed/);
    expect(() => insertUser('upper', 'Admin')).toThrow(/CHECK constraint failed/);
  });

  it('keeps usernames and team names unique, and a user team must exist (foreign keys are on)', () => {
    expect(() => insertUser('chen', 'worker')).toThrow(/UNIQUE constraint failed: users.username/);
    expect(() => h.sqlite.prepare("insert into teams (name, created_at) values ('第一組', 'x')").run()).toThrow(/UNIQUE constraint failed: teams.name/);
    expect(() => insertUser('ghost', 'worker', 999)).toThrow(/FOREIGN KEY constraint failed/);
    expect(() => h.sqlite.prepare("insert into users (username, display_name, role, created_at, updated_at) values ('nohash', 'x', 'worker', 'x', 'x')").run()).toThrow(
      /NOT NULL constraint failed: users.password_hash/,
    );
  });

  it('makes audit_log append-only: the triggers exist and refuse UPDATE and DELETE', () => {
    const triggers = h.sqlite.prepare("select name, tbl_name from sqlite_master where type = 'trigger' order by name").all();
    expect(triggers).toEqual([
      { name: 'audit_log_no_delete', tbl_name: 'audit_log' },
      { name: 'audit_log_no_update', tbl_name: 'audit_log' },
    ]);
    const insert = h.sqlite.prepare(
      "insert into audit_log (id, at, actor_id, actor_name, action, entity, entity_id, detail, prev_hash, hash) values (?, '2026-03-05T02:00:00.000Z', 1, 'chen 名', 'login', 'user', '1', null, ?, ?)",
    );
    insert.run(1, '0'.repeat(64), 'a'.repeat(64));
    insert.run(2, 'a'.repeat(64), 'b'.repeat(64));
    expect(() => h.sqlite.prepare("update audit_log set actor_name = 'x' where id = 1").run()).toThrow(/audit_log is append-only/);
    expect(() => h.sqlite.prepare('delete from audit_log where id = 2').run()).toThrow(/audit_log is append-only/);
    // Ids are the application's (allotted without gaps), so a taken id is refused rather than renumbered.
    expect(() => insert.run(2, 'x', 'y')).toThrow(/UNIQUE constraint failed: audit_log.id/);
    expect(h.sqlite.prepare('select id, actor_name, hash from audit_log order by id').all()).toEqual([
      { id: 1, actor_name: 'chen 名', hash: 'a'.repeat(64) },
      { id: 2, actor_name: 'chen 名', hash: 'b'.repeat(64) },
    ]);
  });

  it('has the indexes the queries rely on', () => {
    const indexes = (h.sqlite.prepare("select name from sqlite_master where type = 'index' and sql is not null order by name").all() as { name: string }[]).map((r) => r.name);
    expect(indexes).toEqual(['audit_log_at_idx', 'audit_log_entity_idx', 'users_team_idx']);
  });

  it('migrates down to nothing', async () => {
    expect(await migrateTo(NO_MIGRATIONS)).toEqual([`Down ${THIS} Success`]);
    expect(tables()).toEqual([]);
  });
});
