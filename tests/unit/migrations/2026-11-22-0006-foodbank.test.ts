/**
 * Migration 0006 (food bank), Signal style: a database at 0005 holding a household is migrated to 0006;
 * the old rows are untouched, the new tables exist, the movements ledger is append-only, its insert
 * trigger keeps fb_balances equal to the sum of movements, receipts are unique per (year, seq),
 * and the migration goes down again cleanly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onPostgres } from '../../helpers/pg';
import { openDatabase, type SqliteHandle } from '../../../db/connection';
import { MIGRATIONS } from '../../../db/migrations/index';
import { migrateTo as migrateToHelper, tableNames } from '../../helpers/migrations';

const THIS = '2026-11-22-0006-foodbank';
const NAMES = Object.keys(MIGRATIONS);
const BEFORE = NAMES[NAMES.indexOf(THIS) - 1] as string;
const TS = '2026-03-05T02:00:00.000Z';
const NEW_TABLES = [
  'fb_balances', 'fb_donors', 'fb_handout_lines', 'fb_handouts', 'fb_items', 'fb_locations', 'fb_lots', 'fb_movements',
  'fb_receipts', 'fb_stocktake_lines', 'fb_stocktakes', 'fb_transfer_lines', 'fb_transfers',
];

// The SQLite form of a frozen migration, step by step; the PostgreSQL forms are migrated in index.test.ts.
describe.skipIf(onPostgres)(`migration ${THIS}`, () => {
  let dir: string;
  let h: SqliteHandle;
  let before: unknown;
  const tables = () => tableNames(h.sqlite);
  const migrateTo = (target: string) => migrateToHelper(h.db, target);
  const run = (sqlText: string, ...params: unknown[]) => h.sqlite.prepare(sqlText).run(...params);
  const dump = () => ({
    users: h.sqlite.prepare('select * from users order by id').all(),
    households: h.sqlite.prepare('select * from households order by id').all(),
  });

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'wd-mig-0006-'));
    h = openDatabase(join(dir, 'test.db'));
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`starts from a database at ${BEFORE} holding a household`, async () => {
    expect(BEFORE).toBe('2026-11-22-0005-reports');
    await migrateTo(BEFORE);
    run('insert into users (username, display_name, role, team_id, password_hash, created_at, updated_at, version, must_change_password, failed_logins) values (?, ?, ?, ?, ?, ?, ?, 1, 0, 0)', 'clerk', '實物銀行', 'foodbank', null, 'h', TS, TS);
    run('insert into households (household_type, created_at, updated_at, created_by) values (?, ?, ?, 1)', '單親', TS, TS);
    before = dump();
    for (const t of NEW_TABLES) expect(tables()).not.toContain(t);
  });

  it('migrates to this migration only, leaving the existing rows exactly as they were', async () => {
    expect(await migrateTo(THIS)).toEqual([`Up ${THIS} Success`]);
    for (const t of NEW_TABLES) expect(tables()).toContain(t);
    expect(dump()).toEqual(before);
  });

  it('keeps one hub, unique receipt numbers, and balances equal to the sum of append-only movements', () => {
    run("insert into fb_items (name, category, unit, value, kg_per_unit, perishable, created_at, updated_at) values ('白米', '米糧', '包', 250, 3, 0, ?, ?)", TS, TS);
    run("insert into fb_locations (name, kind, created_at) values ('總行', 'hub', ?)", TS);
    expect(() => run("insert into fb_locations (name, kind, created_at) values ('第二總行', 'hub', ?)", TS)).toThrow(/UNIQUE/);
    run("insert into fb_locations (name, kind, created_at) values ('中興發放站', 'point', ?)", TS);
    run("insert into fb_donors (kind, name, created_at) values ('company', '好心公司', ?)", TS);
    run("insert into fb_receipts (kind, receipt_no, roc_year, seq, donor_id, location_id, received_on, created_at, created_by) values ('donation', '115-000001', 115, 1, 1, 1, '2026-03-05', ?, 1)", TS);
    expect(() => run("insert into fb_receipts (kind, receipt_no, roc_year, seq, donor_id, location_id, received_on, created_at) values ('donation', '115-000001b', 115, 1, 1, 1, '2026-03-05', ?)", TS)).toThrow(/UNIQUE/);
    expect(() => run("insert into fb_receipts (kind, location_id, received_on, created_at) values ('donation', 1, '2026-03-05', ?)", TS)).toThrow(/CHECK/);
    run("insert into fb_lots (item_id, receipt_id, quantity, received_on) values (1, 1, 10, '2026-03-05')");
    run("insert into fb_movements (lot_id, location_id, kind, quantity, on_date, ref_id, at, by) values (1, 1, 'donation', 10, '2026-03-05', 1, ?, 1)", TS);
    run("insert into fb_movements (lot_id, location_id, kind, quantity, on_date, at) values (1, 1, 'transfer_out', -4, '2026-03-05', ?)", TS);
    run("insert into fb_movements (lot_id, location_id, kind, quantity, on_date, at) values (1, 2, 'transfer_in', 4, '2026-03-06', ?)", TS);
    expect(() => run("insert into fb_movements (lot_id, location_id, kind, quantity, on_date, at) values (1, 2, 'gift', 4, '2026-03-06', ?)", TS)).toThrow(/CHECK/);
    expect(() => run('update fb_movements set quantity = 100 where id = 1')).toThrow(/append-only/);
    expect(() => run('delete from fb_movements where id = 1')).toThrow(/append-only/);
    const bal = h.sqlite.prepare('select lot_id, location_id, item_id, quantity from fb_balances order by location_id').all();
    expect(bal).toEqual([
      { lot_id: 1, location_id: 1, item_id: 1, quantity: 6 },
      { lot_id: 1, location_id: 2, item_id: 1, quantity: 4 },
    ]);
    const sums = h.sqlite.prepare('select lot_id, location_id, sum(quantity) as q from fb_movements group by lot_id, location_id order by location_id').all();
    expect(sums).toEqual([{ lot_id: 1, location_id: 1, q: 6 }, { lot_id: 1, location_id: 2, q: 4 }]);
    run("insert into fb_handouts (household_id, location_id, handed_on, household_size, allowance_used, created_at) values (1, 2, '2026-03-06', 3, 2, ?)", TS);
    expect(() => run("insert into fb_handouts (household_id, location_id, handed_on, household_size, allowance_used, created_at) values (99, 2, '2026-03-06', 3, 2, ?)", TS)).toThrow(/FOREIGN KEY/);
    expect(h.sqlite.pragma('foreign_key_check')).toEqual([]);
  });

  it('goes down to the previous migration, dropping only its own tables', async () => {
    expect(await migrateTo(BEFORE)).toEqual([`Down ${THIS} Success`]);
    for (const t of NEW_TABLES) expect(tables()).not.toContain(t);
    expect(dump()).toEqual(before);
    expect(await migrateTo(THIS)).toEqual([`Up ${THIS} Success`]);
  });
});
