/**
 * Migration 0008 (sessions and sign-in throttling), Signal style: a database at the migration before it,
 * with a user in it, migrated to 0008: the tables exist, take rows, and refuse what they must.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres } from '../../helpers/pg';
import { openDatabase, type SqliteHandle } from '../../../db/connection';
import { MIGRATIONS, migrationProvider } from '../../../db/migrations/index';
import { migrateTo as migrateToHelper, tableNames } from '../../helpers/migrations';

const THIS = '2026-12-06-0008-sessions';

// The SQLite form of a frozen migration, step by step; the PostgreSQL forms are migrated in index.test.ts.
describe.skipIf(onPostgres)(`migration ${THIS}`, () => {
  let dir: string;
  let h: SqliteHandle;
  const names = Object.keys(MIGRATIONS);
  const BEFORE = names[names.indexOf(THIS) - 1] as string;
  const migrateTo = (target: string) => migrateToHelper(h.db, target);
  const run = (q: string, ...args: unknown[]) => h.sqlite.prepare(q).run(...args);
  const ts = '2026-03-05T02:00:00.000Z';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wd-mig-0008-'));
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

  it('adds sessions and auth_throttle to a database with a user; the user is untouched', async () => {
    await migrateTo(BEFORE);
    run(
      "insert into users (username, display_name, role, password_hash, must_change_password, failed_logins, created_at, updated_at, version) values ('lin', '林', 'worker', 'scrypt$x', 0, 2, ?, ?, 1)",
      ts,
      ts,
    );
    expect(tableNames(h.sqlite)).not.toContain('sessions');
    expect(await migrateTo(THIS)).toEqual([`Up ${THIS} Success`]);
    expect(tableNames(h.sqlite)).toEqual(expect.arrayContaining(['sessions', 'auth_throttle']));
    expect(h.sqlite.prepare('select username, failed_logins from users').get()).toEqual({ username: 'lin', failed_logins: 2 });

    const session = (hash: string, userId = 1) =>
      run(
        'insert into sessions (token_hash, user_id, transport, source, created_at, last_seen_at, expires_at) values (?, ?, ?, ?, ?, ?, ?)',
        hash, userId, 'http', 'http:127.0.0.1', ts, ts, '2026-03-05T14:00:00.000Z',
      );
    session('a'.repeat(64));
    expect(h.sqlite.prepare('select user_id, locked from sessions').get()).toEqual({ user_id: 1, locked: 0 });
    // One row per token hash; a session belongs to a real user.
    expect(() => session('a'.repeat(64))).toThrow(/UNIQUE/);
    expect(() => session('b'.repeat(64), 99)).toThrow(/FOREIGN KEY/);

    run("insert into auth_throttle (key, account, failures, window_start) values ('src:http:10.0.0.9', null, 3, ?)", ts);
    expect(() => run("insert into auth_throttle (key, account, failures, window_start) values ('src:http:10.0.0.9', null, 1, ?)", ts)).toThrow(/UNIQUE|PRIMARY/);
    expect(h.sqlite.prepare('select failures, locked_until from auth_throttle').get()).toEqual({ failures: 3, locked_until: null });
    expect(h.sqlite.pragma('foreign_key_check')).toEqual([]);
  });

  it('migrates down and up again', async () => {
    const down = await new Migrator({ db: h.db, provider: migrationProvider }).migrateTo(BEFORE);
    expect(down.error).toBeUndefined();
    expect(tableNames(h.sqlite)).not.toEqual(expect.arrayContaining(['sessions']));
    expect(tableNames(h.sqlite)).not.toContain('auth_throttle');
    expect(await migrateTo(THIS)).toEqual([`Up ${THIS} Success`]);
    expect(h.sqlite.prepare('select count(*) n from sessions').get()).toEqual({ n: 0 });
  });
});
