import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type SqliteHandle } from '../../db/connection';
import { onPostgres } from '../helpers/pg';
import { seedDemo } from '../../main/demo/index';
import { SCALES } from '../../main/demo/scale';
import { setQuiet } from '../../main/lib/logger';

setQuiet(true);

/** The demo food bank obeys the app's rules: balances = movements, never negative, receipts gapless, one stocktake. */
// Skipped on PostgreSQL: the demo seeder writes through a raw SQLite connection (seeding PostgreSQL is the bench's).
describe.skipIf(onPostgres)('demo food bank (small scale)', () => {
  let dir: string;
  let h: SqliteHandle;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wd-demo-fb-'));
    h = openDatabase(join(dir, 'demo.db'), { onSlowQuery: () => undefined });
    await migrateToLatest(h.db);
    await seedDemo(h.db, SCALES.small, new Date('2026-03-05T02:00:00.000Z'));
  });
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const all = (q: string) => h.sqlite.prepare(q).all() as Record<string, number | string>[];

  it('has two years of receipts, transfers, hand-outs, spoilage and one posted stocktake', () => {
    const kinds = Object.fromEntries(all('select kind, count(*) as n from fb_movements group by kind').map((r) => [r.kind, r.n]));
    for (const k of ['donation', 'purchase', 'rescue', 'transfer_out', 'transfer_in', 'distribution', 'spoilage', 'count_diff']) expect(kinds[k], k).toBeGreaterThan(0);
    const span = all('select min(received_on) as a, max(received_on) as b from fb_receipts')[0]!;
    expect(String(span.a) <= '2024-03-15').toBe(true);
    expect(all("select count(*) as n from fb_stocktakes where status = 'posted'")[0]!.n).toBe(1);
  });

  it('keeps the balance cache equal to the sum of movements, never below zero', () => {
    const diff = all(`select count(*) as n from (select lot_id, location_id, round(sum(quantity), 3) as q from fb_movements group by 1, 2) m
      left join fb_balances b using (lot_id, location_id) where b.quantity is null or abs(m.q - b.quantity) > 0.0005`);
    expect(diff[0]!.n).toBe(0);
    expect(Number(all('select min(quantity) as m from fb_balances')[0]!.m)).toBeGreaterThanOrEqual(0);
  });

  it('numbers donation receipts per ROC year without gaps, in date order', () => {
    const rows = all("select roc_year, seq, received_on from fb_receipts where kind = 'donation' order by roc_year, seq");
    const byYear = new Map<number, { seq: number; on: string }[]>();
    for (const r of rows) byYear.set(Number(r.roc_year), [...(byYear.get(Number(r.roc_year)) ?? []), { seq: Number(r.seq), on: String(r.received_on) }]);
    for (const list of byYear.values()) {
      expect(list.map((x) => x.seq)).toEqual(list.map((_, i) => i + 1));
      expect(list.map((x) => x.on)).toEqual([...list.map((x) => x.on)].sort());
    }
  });

  it('hands out only from lots not yet expired on the day', () => {
    const expired = all('select count(*) as n from fb_handout_lines hl join fb_handouts h on h.id = hl.handout_id join fb_lots l on l.id = hl.lot_id where l.expiry < h.handed_on');
    expect(expired[0]!.n).toBe(0);
  });
});
