/**
 * Migration 0031 (external aid): a database at the migration before it, with a household and a person,
 * migrated to 0031: external_aid exists with its checks (amount ≥ 0, an amount or items) and the household
 * reference; the household window is answered from the (household_id, received_on) index; down removes it
 * and the household is still there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteHandle } from '../../../db/connection';
import { MIGRATIONS } from '../../../db/migrations/index';
import { migrateTo as migrateToHelper, tableNames } from '../../helpers/migrations';
import { onPostgres } from '../../helpers/pg';

const THIS = '2026-12-07-0031-external-aid';

// Only the schema builder; on PostgreSQL index.test.ts migrates through it and aid.test.ts writes and reads it.
describe.skipIf(onPostgres)(`migration ${THIS}`, () => {
  let dir: string;
  let h: SqliteHandle;
  const names = Object.keys(MIGRATIONS);
  const before = names[names.indexOf(THIS) - 1] as string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wd-mig-0031-'));
    h = openDatabase(join(dir, 'test.db'), { onSlowQuery: () => undefined });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds external_aid with its checks and indexes; down removes it', async () => {
    await migrateToHelper(h.db, before);
    expect(tableNames(h.sqlite)).not.toContain('external_aid');
    const ts = '2026-05-01T00:00:00.000Z';
    h.sqlite.prepare('insert into households (street, created_at, updated_at, version) values (?, ?, ?, 1)').run('中正路1號', ts, ts);
    h.sqlite.prepare("insert into persons (name, created_at, updated_at, version) values ('王小明', ?, ?, 1)").run(ts, ts);

    expect(await migrateToHelper(h.db, THIS)).toEqual([`Up ${THIS} Success`]);
    expect(tableNames(h.sqlite)).toContain('external_aid');
    const insert = (household: number, amount: number | null, items: string | null, on = '2026-04-30') =>
      h.sqlite
        .prepare(
          "insert into external_aid (household_id, person_id, source_kind, source_name, kind, amount, items, received_on, created_at, updated_at) values (?, 1, '慈善團體', '慈心會', '現金', ?, ?, ?, ?, ?)",
        )
        .run(household, amount, items, on, ts, ts);
    insert(1, 3000, null);
    insert(1, null, '白米 2 包', '2026-03-01');
    expect(h.sqlite.prepare('select household_id, amount, items, origin, version, deleted_at from external_aid order by id').all()).toEqual([
      { household_id: 1, amount: 3000, items: null, origin: '手動', version: 1, deleted_at: null },
      { household_id: 1, amount: null, items: '白米 2 包', origin: '手動', version: 1, deleted_at: null },
    ]);
    expect(() => insert(1, -1, null)).toThrow(/CHECK/);
    expect(() => insert(1, null, null)).toThrow(/CHECK/);
    expect(() => insert(99, 100, null)).toThrow(/FOREIGN KEY/);
    const plan = (h.sqlite.prepare("explain query plan select * from external_aid where household_id = 1 and received_on >= '2026-02-01' and received_on <= '2026-05-20'").all() as { detail: string }[])
      .map((r) => r.detail)
      .join('\n');
    expect(plan).toMatch(/USING INDEX external_aid_household_idx/);

    expect(await migrateToHelper(h.db, before)).toEqual([`Down ${THIS} Success`]);
    expect(tableNames(h.sqlite)).not.toContain('external_aid');
    expect((h.sqlite.prepare('select count(*) as n from households').get() as { n: number }).n).toBe(1);
  });
});
