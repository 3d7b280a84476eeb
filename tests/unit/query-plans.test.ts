import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, SqliteDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maintainStatistics, migrateToLatest, openDatabase, sqliteOf, type DatabaseHandle } from '../../db/connection';
import type { Database } from '../../db/schema';
import { seedDemo } from '../../main/demo/index';
import { SCALES } from '../../main/demo/scale';
import { setQuiet } from '../../main/lib/logger';
import { getIndicator, type Dim, type Indicator } from '../../main/services/reports/indicators';
import { onPostgres } from '../helpers/pg';

setQuiet(true);

interface Logged {
  sql: string;
  parameters: readonly unknown[];
}

/**
 * The report queries keep their plan once the app has gathered planner statistics (PRAGMA optimize,
 * db/connection.ts): a 面向 breakdown reads each case's factors by key, never a nested loop over two
 * sets. On the city demo the nested-loop shape took a quarter's report from 0.6 s to more than 240 s;
 * here the shape is checked with EXPLAIN QUERY PLAN, so the regression shows without timing anything.
 */
// SQLite's planner and its statistics; PostgreSQL gathers its own (autovacuum's ANALYZE).
describe.skipIf(onPostgres)('report query plans on an analyzed database', () => {
  let dir: string;
  let h: DatabaseHandle;
  let db: Kysely<Database>;
  const logged: Logged[] = [];
  const period = { from: '2026-01-01', to: '2026-03-31' };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wd-plans-'));
    h = openDatabase(join(dir, 'demo.db'), { onSlowQuery: () => undefined });
    await migrateToLatest(h.db);
    await seedDemo(h.db, SCALES.center, new Date('2026-04-02T02:00:00.000Z'));
    // What the app does on open.
    maintainStatistics(sqliteOf(h), 3_600_000).stop();
    db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: sqliteOf(h) }),
      log: (e) => {
        if (e.level === 'query') logged.push({ sql: e.query.sql, parameters: e.query.parameters });
      },
    });
  }, 120_000);
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const plan = (q: Logged) =>
    (sqliteOf(h).prepare(`explain query plan ${q.sql}`).all(...q.parameters) as { id: number; parent: number; detail: string }[]).map((r) => ({ parent: r.parent, detail: r.detail }));

  /** The statements an indicator ran for a breakdown, and their plans. */
  async function plansOf(id: string, breakdown: Dim[]) {
    logged.length = 0;
    const ind = getIndicator(id) as Indicator;
    const result = await ind.compute(db, { period, breakdown });
    return { result, plans: logged.map((q) => ({ sql: q.sql, plan: plan(q) })) };
  }

  it('has statistics to plan with', () => {
    const n = (sqliteOf(h).prepare("select count(*) as n from sqlite_stat1 where tbl in ('service_records', 'cases', 'case_factors')").get() as { n: number }).n;
    expect(n).toBeGreaterThan(5);
  });

  for (const [id, breakdown] of [
    ['services.count', ['method', 'dimension']],
    ['cases.received', ['dimension']],
    ['cases.openAtEnd', ['dimension']],
    ['cases.contact24h', ['dimension']],
  ] as [string, Dim[]][]) {
    it(`${id} by ${breakdown.join(' × ')}: the 面向 are read by key per case, never scanned inside a loop`, async () => {
      const { result, plans } = await plansOf(id, breakdown);
      expect(result.rows.length).toBeGreaterThan(1);
      const breakdownQuery = plans.find((p) => p.sql.includes('case_factors'));
      expect(breakdownQuery, 'the breakdown query reads case_factors').toBeDefined();
      const steps = (breakdownQuery?.plan ?? []).map((r) => r.detail);
      const shown = steps.join('\n');
      // Each group of the first phase looks its case's factors up by key ...
      expect(steps.some((d) => /^SEARCH fd_f USING .*\(case_id=\?\) LEFT-JOIN$/.test(d)), shown).toBe(true);
      // ... and nothing is scanned once per outer row (the old shape: `SCAN d LEFT-JOIN`, a nested loop).
      expect(steps.filter((d) => /^SCAN .*LEFT-JOIN$/.test(d)), shown).toEqual([]);
      expect(steps.filter((d) => /^SCAN (case_factors|fd_f|xf)\b/.test(d)), shown).toEqual([]);
    });
  }

  it('gives the same figures with statistics as without', async () => {
    const withStats = await plansOf('services.count', ['method', 'dimension']);
    for (const t of ['sqlite_stat1', 'sqlite_stat4']) sqliteOf(h).exec(`drop table if exists ${t}`);
    const without = await plansOf('services.count', ['method', 'dimension']);
    expect(withStats.result.rows).toEqual(without.result.rows);
    expect(withStats.result.total).toEqual(without.result.total);
    maintainStatistics(sqliteOf(h), 3_600_000).stop();
  });
});
