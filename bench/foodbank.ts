/**
 * Benchmark: the food bank at the `city` demo scale (~1M movements).
 *
 *   npx tsx bench/foodbank.ts [--dir DIR] [--fresh] [--runs 40]
 *
 * Seeds (or reuses) a city-scale database in DIR (default: <tmp>/welfare-desk-bench-city), opens it as the
 * app does, and calls through the real dispatcher (zod, access, audit) as the demo clerk:
 * - foodbank.stock { totalsOnly }: stock on hand for every item at every location;
 * - foodbank.stock for one location with its lots (the 庫存 screen);
 * - foodbank.handout: a real hand-out (FEFO over the point's lots, allowance, one write transaction), a
 *   different eligible household each run;
 * and, for comparison, the same totals summed from the raw movements ledger. Not part of the test suite.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DB_FILE_NAME, migrateToLatest, openDatabase, sqliteOf } from '../db/connection';
import { openApp } from '../main/api/app';
import { seedDemo } from '../main/demo/index';
import { SCALES } from '../main/demo/scale';
import { setQuiet } from '../main/lib/logger';

setQuiet(true);

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { dir: { type: 'string' }, fresh: { type: 'boolean', default: false }, runs: { type: 'string', default: '40' } },
});
const dataDir = values.dir ?? join(tmpdir(), 'welfare-desk-bench-city');
const RUNS = Number(values.runs);
const file = join(dataDir, DB_FILE_NAME);

function stats(ms: number[]): { median: number; p95: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * (s.length - 1)))] ?? 0;
  return { median: at(0.5), p95: at(0.95) };
}

async function main(): Promise<void> {
  if (values.fresh) rmSync(dataDir, { recursive: true, force: true });
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    process.stdout.write(`seeding the city scale into ${file} ...\n`);
    const h = openDatabase(file, { onSlowQuery: () => undefined });
    await migrateToLatest(h.db);
    await seedDemo(h.db, SCALES.city);
    await h.close();
  }
  const app = await openApp({ dataDir });
  const sq = sqliteOf(app.database);
  const count = (t: string) => (sq.prepare(`select count(*) as n from ${t}`).get() as { n: number }).n;
  process.stdout.write(`movements ${count('fb_movements')}, lots ${count('fb_lots')}, balances ${count('fb_balances')}, hand-outs ${count('fb_handouts')}\n`);
  const clerk = sq.prepare("select id, username, display_name from users where role = 'foodbank' order by id limit 1").get() as { id: number; username: string; display_name: string };
  const session = await app.ctx.sessions.create(
    app.ctx.db,
    { ...clerk, role: 'foodbank', team_id: null, must_change_password: 0 },
    { transport: 'test', source: 'test:bench' },
    new Date(),
  );
  const call = async (method: string, payload: unknown) => {
    const env = await app.dispatcher.dispatch({ method, payload, token: session.token, transport: 'test' });
    if (!env.ok) throw new Error(`${method}: ${env.error.message}`);
    return env.value;
  };
  const time = async (label: string, fn: (i: number) => Promise<unknown>) => {
    const ms: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await fn(i);
      ms.push(performance.now() - t0);
    }
    const s = stats(ms);
    process.stdout.write(`${label.padEnd(58)} median ${s.median.toFixed(1).padStart(7)} ms   p95 ${s.p95.toFixed(1).padStart(7)} ms\n`);
  };

  const point = (sq.prepare("select id from fb_locations where kind = 'point' order by id limit 1").get() as { id: number }).id;
  await time('stock on hand, every item × every location (totalsOnly)', () => call('foodbank.stock', { totalsOnly: true }));
  await time('stock of one point with its lots (庫存 screen)', () => call('foodbank.stock', { locationId: point }));
  await time('(comparison) the same totals summed from fb_movements', async () =>
    sq.prepare('select location_id, l.item_id, sum(m.quantity) from fb_movements m join fb_lots l on l.id = m.lot_id group by 1, 2').all(),
  );

  // Hand-outs: households served before and not yet this month, one each, one unit of the item the hub holds most of.
  const hub = (sq.prepare("select id from fb_locations where kind = 'hub'").get() as { id: number }).id;
  const onShelf = sq
    .prepare("select b.item_id, sum(b.quantity) as q from fb_balances b join fb_lots l on l.id = b.lot_id join fb_items i on i.id = b.item_id where b.location_id = ? and b.quantity > 0 and l.expiry >= date('now') and i.by_weight = 0 group by b.item_id order by q desc limit 1")
    .get(hub) as { item_id: number; q: number };
  const households = (
    sq.prepare(`select distinct household_id from fb_handouts where location_id = ? and household_id not in (select household_id from fb_handouts where handed_on >= date('now', 'start of month')) limit ?`).all(point, RUNS) as { household_id: number }[]
  ).map((r) => r.household_id);
  if (households.length < RUNS) throw new Error(`only ${households.length} households to hand out to`);
  process.stdout.write(`hand-outs at the hub of item ${onShelf.item_id} (${onShelf.q} on the shelf)\n`);
  await time('foodbank.handout (1 line, FEFO, allowance, write + audit)', (i) =>
    call('foodbank.handout', { householdId: households[i], locationId: hub, lines: [{ itemId: onShelf.item_id, quantity: 1 }] }),
  );
  await time('foodbank.previewHandout (read only)', (i) =>
    call('foodbank.previewHandout', { householdId: households[i], locationId: hub, lines: [{ itemId: onShelf.item_id, quantity: 1 }] }).catch(() => undefined),
  );
  await app.close();
}

main().catch((err) => {
  process.stderr.write(`${String(err instanceof Error ? err.stack : err)}\n`);
  process.exit(1);
});
