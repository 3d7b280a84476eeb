/**
 * Migration 0003 (search index), Signal style: a database at 0002 with persons and households in
 * it, migrated to 0003: the index exists and holds exactly the terms the services would write.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres } from '../../helpers/pg';
import { openDatabase, type SqliteHandle } from '../../../db/connection';
import { MIGRATIONS, migrationProvider } from '../../../db/migrations/index';
import { householdTerms, personTerms } from '../../../main/services/search/terms';
import { migrateTo as migrateToHelper } from '../../helpers/migrations';

const THIS = '2026-11-22-0003-search-terms';
const BEFORE = '2026-11-22-0002-caseload';

// The SQLite form of a frozen migration, step by step; the PostgreSQL forms are migrated in index.test.ts.
describe.skipIf(onPostgres)(`migration ${THIS}`, () => {
  let dir: string;
  let h: SqliteHandle;
  const migrateTo = (target: string) => migrateToHelper(h.db, target);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wd-mig-0003-'));
    h = openDatabase(join(dir, 'test.db'), { onSlowQuery: () => undefined });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('follows the caseload migration', () => {
    const names = Object.keys(MIGRATIONS);
    expect(names.indexOf(THIS)).toBe(names.indexOf(BEFORE) + 1);
  });

  it('fills the index for persons and households that existed before it', async () => {
    await migrateTo(BEFORE);
    const ts = '2026-03-05T02:00:00.000Z';
    const ins = (sql: string, ...args: unknown[]) => h.sqlite.prepare(sql).run(...args);
    ins('insert into persons (name, phone, created_at, updated_at) values (?, ?, ?, ?)', '陳志明', '0912-345-678', ts, ts);
    ins('insert into persons (name, phone, created_at, updated_at) values (?, ?, ?, ?)', 'Nguyen Thi Lan', null, ts, ts);
    ins('insert into persons (name, phone, created_at, updated_at) values (?, ?, ?, ?)', '王', '12', ts, ts);
    ins('insert into households (street, phone, created_at, updated_at) values (?, ?, ?, ?)', '中山路１００號', '049-2223333', ts, ts);
    ins('insert into households (street, phone, created_at, updated_at) values (?, ?, ?, ?)', null, null, ts, ts);

    expect(await migrateTo(THIS)).toEqual([`Up ${THIS} Success`]);

    const rows = h.sqlite.prepare('select term, ref from search_terms order by term, ref').all() as { term: string; ref: number }[];
    const expected: { term: string; ref: number }[] = [];
    const persons = h.sqlite.prepare('select id, name, phone from persons').all() as { id: number; name: string; phone: string | null }[];
    for (const p of persons) for (const term of personTerms(p)) expected.push({ term, ref: p.id });
    const households = h.sqlite.prepare('select id, street, phone from households').all() as { id: number; street: string | null; phone: string | null }[];
    for (const x of households) for (const term of householdTerms(x)) expected.push({ term, ref: x.id });
    expected.sort((a, b) => (a.term < b.term ? -1 : a.term > b.term ? 1 : a.ref - b.ref));
    expect(rows).toEqual(expected);
    // Spot checks of the rules: bigrams, NFKC, lower case, phone digits both ways.
    const terms = rows.map((r) => r.term);
    expect(terms).toEqual(expect.arrayContaining(['pn:陳志', 'pn:志明', 'pt:0912345678', 'pr:8765432190', 'pn:ng', 'pn:la', 'pn:王', 'hs:10', 'hs:中山', 'ht:0492223333']));
    expect(terms.some((t) => t.startsWith('pt:12'))).toBe(false); // too short to be a phone
  });

  it('adds the access-check indexes and a unique (term, ref)', () => {
    const idx = (h.sqlite.prepare("select name from sqlite_master where type = 'index' and name not like 'sqlite_%'").all() as { name: string }[]).map((r) => r.name);
    expect(idx).toEqual(expect.arrayContaining(['search_terms_ref_idx', 'long_term_concerns_household_idx', 'persons_created_by_idx', 'households_created_by_idx']));
    expect(() => h.sqlite.prepare('insert into search_terms (term, ref) values (?, ?)').run('pn:陳志', 1)).toThrow(/UNIQUE|PRIMARY/);
  });

  it('migrates down and up again', async () => {
    const down = await new Migrator({ db: h.db, provider: migrationProvider }).migrateTo(BEFORE);
    expect(down.error).toBeUndefined();
    expect(h.sqlite.prepare("select count(*) n from sqlite_master where name = 'search_terms'").get()).toEqual({ n: 0 });
    expect(await migrateTo(THIS)).toEqual([`Up ${THIS} Success`]);
    expect((h.sqlite.prepare('select count(*) n from search_terms').get() as { n: number }).n).toBeGreaterThan(5);
  });
});
