/**
 * Migration 0032 (person links): a database at the migration before it, with two persons, migrated to
 * 0032: person_links exists; a link is stored; no self-link, a relation outside the stored half of the
 * list, a symmetric relation in the wrong order, an end without its reason code or a second active
 * link of the same pair and relation are refused; once ended, the same relation may be linked again;
 * down removes the table and the persons are still there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteHandle } from '../../../db/connection';
import { MIGRATIONS } from '../../../db/migrations/index';
import { migrateTo as migrateToHelper, tableNames } from '../../helpers/migrations';
import { onPostgres } from '../../helpers/pg';

const THIS = '2026-12-07-0032-person-links';

// Only the schema builder and a partial index; on PostgreSQL index.test.ts migrates through it and links.test.ts writes and reads it.
describe.skipIf(onPostgres)(`migration ${THIS}`, () => {
  let dir: string;
  let h: SqliteHandle;
  const names = Object.keys(MIGRATIONS);
  const before = names[names.indexOf(THIS) - 1] as string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wd-mig-0032-'));
    h = openDatabase(join(dir, 'test.db'), { onSlowQuery: () => undefined });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds person_links with its checks and the one-active-link index; down removes it', async () => {
    await migrateToHelper(h.db, before);
    expect(tableNames(h.sqlite)).not.toContain('person_links');
    const ts = '2026-05-01T00:00:00.000Z';
    for (const n of ['王大同', '王小明', '李美華']) h.sqlite.prepare('insert into persons (name, created_at, updated_at, version) values (?, ?, ?, 1)').run(n, ts, ts);

    expect(await migrateToHelper(h.db, THIS)).toEqual([`Up ${THIS} Success`]);
    expect(tableNames(h.sqlite)).toContain('person_links');
    const insert = (a: number, b: number, relation: string) =>
      h.sqlite.prepare('insert into person_links (person_a, person_b, relation, created_at, updated_at) values (?, ?, ?, ?, ?)').run(a, b, relation, ts, ts);
    const id = Number(insert(2, 1, '父母').lastInsertRowid);
    expect(h.sqlite.prepare('select person_a, person_b, relation, ended_on, version from person_links').get()).toEqual({ person_a: 2, person_b: 1, relation: '父母', ended_on: null, version: 1 });
    expect(() => insert(1, 1, '手足')).toThrow(/CHECK/);
    expect(() => insert(1, 2, '子女')).toThrow(/CHECK/);
    expect(() => insert(3, 1, '手足')).toThrow(/CHECK/);
    insert(1, 3, '手足');
    expect(() => insert(2, 1, '父母')).toThrow(/UNIQUE/);
    expect(() => insert(2, 9, '父母')).toThrow(/FOREIGN KEY/);
    expect(() => h.sqlite.prepare("update person_links set ended_on = '2026-05-01' where id = ?").run(id)).toThrow(/CHECK/);
    h.sqlite.prepare("update person_links set ended_on = '2026-05-01', end_reason = '資料誤植' where id = ?").run(id);
    insert(2, 1, '父母');

    expect(await migrateToHelper(h.db, before)).toEqual([`Down ${THIS} Success`]);
    expect(tableNames(h.sqlite)).not.toContain('person_links');
    expect((h.sqlite.prepare('select count(*) as n from persons').get() as { n: number }).n).toBe(3);
  });
});
