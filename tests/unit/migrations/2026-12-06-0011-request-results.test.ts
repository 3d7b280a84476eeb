/**
 * Migration 0011 (write results by request id), Signal style: a database at the migration before it,
 * migrated to 0011: one row per request id (a second is refused), the purge by time uses its index;
 * down removes the table again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteHandle } from '../../../db/connection';
import { MIGRATIONS } from '../../../db/migrations/index';
import { migrateTo as migrateToHelper, tableNames } from '../../helpers/migrations';
import { onPostgres } from '../../helpers/pg';

const THIS = '2026-12-06-0011-request-results';

// The step itself on SQLite; on PostgreSQL index.test.ts migrates up through it.
describe.skipIf(onPostgres)(`migration ${THIS}`, () => {
  let dir: string;
  let h: SqliteHandle;
  const names = Object.keys(MIGRATIONS);
  const before = names[names.indexOf(THIS) - 1] as string;
  const migrateTo = (target: string) => migrateToHelper(h.db, target);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wd-mig-0011-'));
    h = openDatabase(join(dir, 'test.db'), { onSlowQuery: () => undefined });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('comes after the audit-mac migration', () => {
    expect(names.indexOf(THIS)).toBeGreaterThan(names.indexOf('2026-12-06-0010-audit-mac'));
  });

  it('adds request_results: one row per request id, purged by time through its index; down drops it', async () => {
    await migrateTo(before);
    expect(tableNames(h.sqlite)).not.toContain('request_results');
    expect(await migrateTo(THIS)).toEqual([`Up ${THIS} Success`]);
    const ins = h.sqlite.prepare('insert into request_results (request_id, user_id, method, payload_hash, result, at) values (?, ?, ?, ?, ?, ?)');
    ins.run('11111111-1111-4111-8111-111111111111', 1, 'cases.intake', 'h', '{"id":1}', '2026-03-05T01:00:00.000Z');
    ins.run('22222222-2222-4222-8222-222222222222', null, 'auth.logout', 'h', 'null', '2026-03-06T01:00:00.000Z');
    expect(() => ins.run('11111111-1111-4111-8111-111111111111', 1, 'cases.intake', 'h', '{}', '2026-03-06T02:00:00.000Z')).toThrow(/UNIQUE|PRIMARY/);
    expect(() => h.sqlite.prepare('insert into request_results (request_id, method, payload_hash, at) values (?, ?, ?, ?)').run('x', 'm', 'h', 't')).toThrow(/NOT NULL/);
    const plan = h.sqlite.prepare('explain query plan delete from request_results where at < ?').all('2026-03-06T00:00:00.000Z') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('request_results_at_idx');
    h.sqlite.prepare('delete from request_results where at < ?').run('2026-03-06T00:00:00.000Z');
    expect((h.sqlite.prepare('select request_id from request_results').all() as { request_id: string }[]).map((r) => r.request_id)).toEqual(['22222222-2222-4222-8222-222222222222']);
    expect(await migrateTo(before)).toEqual([`Down ${THIS} Success`]);
    expect(tableNames(h.sqlite)).not.toContain('request_results');
  });
});
