/**
 * Migration 0017 (audit filters): from the migration before it, up adds the (actor_id, at), (action, at)
 * and (entity, entity_id, at) indexes of audit_log and household_members (person_id), replacing
 * (entity, entity_id); the rows are untouched; down restores the foundation's indexes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteHandle } from '../../../db/connection';
import { MIGRATIONS } from '../../../db/migrations/index';
import { onPostgres } from '../../helpers/pg';
import { migrateTo as migrateToHelper } from '../../helpers/migrations';

const THIS = '2026-12-06-0017-audit-filters';

describe.skipIf(onPostgres)(`migration ${THIS}`, () => {
  let dir: string;
  let h: SqliteHandle;
  const names = Object.keys(MIGRATIONS);
  const before = names[names.indexOf(THIS) - 1] as string;
  const indexes = () =>
    (h.sqlite.prepare("select name from sqlite_master where type = 'index' and (tbl_name = 'audit_log' or name = 'household_members_person_idx') and sql is not null order by name").all() as { name: string }[]).map((r) => r.name);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wd-mig-0017-'));
    h = openDatabase(join(dir, 'test.db'), { onSlowQuery: () => undefined });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds the filter indexes, keeps the rows, and down restores the foundation indexes', async () => {
    await migrateToHelper(h.db, before);
    expect(indexes()).toEqual(['audit_log_at_idx', 'audit_log_entity_idx']);
    h.sqlite.prepare("insert into audit_log (id, at, actor_id, actor_name, action, entity, entity_id, detail, prev_hash, hash) values (1, '2026-03-05T02:00:00.000Z', null, 'x', 'view', 'household', '3', null, 'p', 'h')").run();
    expect(await migrateToHelper(h.db, THIS)).toEqual([`Up ${THIS} Success`]);
    expect(indexes()).toEqual(['audit_log_action_at_idx', 'audit_log_actor_at_idx', 'audit_log_at_idx', 'audit_log_entity_at_idx', 'household_members_person_idx']);
    const plan = h.sqlite.prepare("explain query plan select count(*) from audit_log where actor_id = 1 and at >= '2026-03-01'").all() as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toContain('audit_log_actor_at_idx');
    expect(h.sqlite.prepare('select count(*) as n from audit_log').get()).toEqual({ n: 1 });
    await migrateToHelper(h.db, before);
    expect(indexes()).toEqual(['audit_log_at_idx', 'audit_log_entity_idx']);
  });
});
