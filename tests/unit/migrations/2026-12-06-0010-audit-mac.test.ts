/**
 * Migration 0010 (audit-mac): audit rows written before it keep their SHA-256 chain untouched
 * and get a null seal; rows after it can carry one; down removes the column again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres } from '../../helpers/pg';
import { openDatabase, type SqliteHandle } from '../../../db/connection';
import { MIGRATIONS } from '../../../db/migrations/index';
import { migrateTo as migrateToHelper } from '../../helpers/migrations';

const THIS = '2026-12-06-0010-audit-mac';

// The SQLite form of a frozen migration, step by step; the PostgreSQL forms are migrated in index.test.ts.
describe.skipIf(onPostgres)(`migration ${THIS}`, () => {
  let dir: string;
  let h: SqliteHandle;
  const names = Object.keys(MIGRATIONS);
  const BEFORE = names[names.indexOf(THIS) - 1] as string;
  const migrateTo = (target: string) => migrateToHelper(h.db, target);
  const columns = () => (h.sqlite.prepare('pragma table_info(audit_log)').all() as { name: string }[]).map((c) => c.name);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wd-mig-0010-'));
    h = openDatabase(join(dir, 'test.db'), { onSlowQuery: () => undefined });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds a nullable mac column; older rows stay exactly as written', async () => {
    await migrateTo(BEFORE);
    h.sqlite
      .prepare('insert into audit_log (id, at, actor_id, actor_name, action, entity, entity_id, detail, prev_hash, hash) values (?,?,?,?,?,?,?,?,?,?)')
      .run(1, '2026-03-05T02:00:00.000Z', null, '(系統)', 'setup', 'center', null, null, '0'.repeat(64), 'a'.repeat(64));
    expect(columns()).not.toContain('mac');
    expect(await migrateTo(THIS)).toEqual([`Up ${THIS} Success`]);
    expect(columns()).toContain('mac');
    expect(h.sqlite.prepare('select id, hash, mac from audit_log').all()).toEqual([{ id: 1, hash: 'a'.repeat(64), mac: null }]);
    h.sqlite
      .prepare('insert into audit_log (id, at, actor_id, actor_name, action, entity, entity_id, detail, prev_hash, hash, mac) values (?,?,?,?,?,?,?,?,?,?,?)')
      .run(2, '2026-03-05T02:00:00.000Z', null, '(系統)', 'update', 'audit.chain', null, null, 'a'.repeat(64), 'b'.repeat(64), 'c'.repeat(64));
    // Still append-only.
    expect(() => h.sqlite.prepare("update audit_log set mac = 'x' where id = 2").run()).toThrow(/append-only/);
  });

  it('down removes the column and keeps the rows', async () => {
    expect(await migrateTo(BEFORE)).toEqual([`Down ${THIS} Success`]);
    expect(columns()).not.toContain('mac');
    expect((h.sqlite.prepare('select count(*) as n from audit_log').get() as { n: number }).n).toBe(2);
  });
});
