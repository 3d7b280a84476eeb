/**
 * Migration 0029 (work guides, issue 14 §2): a database at the migration before it, with a user,
 * migrated to 0029: work_guide_versions exists with the first version of each step's guide and of
 * five service items' guides (from 2026-01-01, written by nobody); it takes a version by the user and
 * refuses one by a user who does not exist (foreign key); down removes the table and keeps the user.
 * On SQLite and PostgreSQL.
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

const THIS = '2026-12-07-0029-work-guides';

describe(`migration ${THIS} (${onPostgres ? 'PostgreSQL' : 'SQLite'})`, () => {
  let db: Kysely<Database>;
  let close: () => Promise<void>;
  const names = Object.keys(MIGRATIONS);
  const before = names[names.indexOf(THIS) - 1] as string;
  const hasTable = async () => (await db.introspection.getTables()).some((t) => t.name === 'work_guide_versions');

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
      const dir = mkdtempSync(join(tmpdir(), 'wd-mig-0029-'));
      const h = openDatabase(join(dir, 'test.db'), { onSlowQuery: () => undefined });
      db = h.db;
      close = async () => {
        await h.close();
        rmSync(dir, { recursive: true, force: true });
      };
    }
  });
  afterAll(async () => close?.());

  it('creates work_guide_versions with the seeded first versions; versions need a real author; down drops it and keeps the rest', async () => {
    expect(names.indexOf(THIS)).toBeGreaterThan(names.indexOf('2026-12-06-0027-latest-records'));
    await migrateTo(db, before);
    expect(await hasTable()).toBe(false);
    const ts = '2026-05-01T00:00:00.000Z';
    const user = await db
      .insertInto('users')
      .values({ username: 'admin', display_name: '林管理', role: 'admin', team_id: null, password_hash: 'x', must_change_password: 0, failed_logins: 0, locked_until: null, disabled_at: null, created_at: ts, updated_at: ts, version: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();

    expect(await migrateTo(db, THIS)).toEqual([`Up ${THIS} Success`]);
    expect(await hasTable()).toBe(true);
    const seeded = await db.selectFrom('work_guide_versions').selectAll().orderBy('id').execute();
    expect(seeded.map((r) => r.guide_key)).toEqual(['intake', 'contact24h', 'openAssessment', 'closing', 'item:福利諮詢', 'item:資源轉介', 'item:經濟補助', 'item:實物給付', 'item:情緒支持']);
    for (const r of seeded) {
      expect(r).toMatchObject({ effective_from: '2026-01-01', created_by: null, note: '系統預設版本' });
      expect(r.body.split('\n').length).toBeGreaterThanOrEqual(3);
      expect(r.body).not.toMatch(/[<>]/);
    }
    expect(seeded[1]?.body.startsWith('接案後 24 小時內以電話或面訪聯繫案家，確認安全與立即需求。')).toBe(true);

    const added = await db
      .insertInto('work_guide_versions')
      .values({ guide_key: 'contact24h', body: '新版', effective_from: '2026-05-20', note: null, created_at: ts, created_by: user.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(added.id).toBeGreaterThan(seeded[seeded.length - 1]?.id ?? 0);
    if (!onPostgres) await sql`pragma foreign_keys = on`.execute(db);
    await expect(
      db.insertInto('work_guide_versions').values({ guide_key: 'closing', body: 'x', effective_from: '2026-05-20', note: null, created_at: ts, created_by: 9999 }).execute(),
    ).rejects.toThrow(/foreign key/i);

    expect(await migrateTo(db, before)).toEqual([`Down ${THIS} Success`]);
    expect(await hasTable()).toBe(false);
    expect((await db.selectFrom('users').select('username').execute()).map((u) => u.username)).toEqual(['admin']);
  });
});
