/**
 * Migration 0026 (福利諮詢 by period): a database at the migration before it, migrated to 0026: the
 * partial index holds only the records whose item list names 福利諮詢, and services.consultations' own
 * condition (the same literal) is answered from it alone, with and without statistics, with the same
 * count as before; down removes it again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteHandle } from '../../../db/connection';
import { onPostgres } from '../../helpers/pg';
import { MIGRATIONS } from '../../../db/migrations/index';
import { migrateTo as migrateToHelper } from '../../helpers/migrations';
import { getIndicator } from '../../../main/services/reports/indicators';

const THIS = '2026-12-06-0026-consultations';
const INDEX = 'service_records_consultation_idx';

// The step's own mechanics are SQLite's (the index list, the planner); on PostgreSQL index.test.ts migrates up.
describe.skipIf(onPostgres)(`migration ${THIS}`, () => {
  let dir: string;
  let h: SqliteHandle;
  const names = Object.keys(MIGRATIONS);
  const before = names[names.indexOf(THIS) - 1] as string;
  const migrateTo = (target: string) => migrateToHelper(h.db, target);
  const hasIndex = () => h.sqlite.prepare("select 1 from sqlite_master where type = 'index' and name = ?").get(INDEX) !== undefined;
  const count = `select count(*) as n from service_records s where s.occurred_at >= '2026-02-28T16:00:00.000Z' and s.occurred_at < '2026-03-31T16:00:00.000Z' and s.items like '%"福利諮詢"%'`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wd-mig-0026-'));
    h = openDatabase(join(dir, 'test.db'), { onSlowQuery: () => undefined });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('comes after the concern-visits index', () => {
    expect(names.indexOf(THIS)).toBeGreaterThan(names.indexOf('2026-12-06-0012-concern-visits'));
  });

  it('indexes only the 福利諮詢 records; the indicator reads the index alone, with statistics too, same count; down drops it', async () => {
    await migrateTo(before);
    expect(hasIndex()).toBe(false);
    const ts = '2026-03-05T02:00:00.000Z';
    // Only service_records matters here: its references are not checked for these rows.
    h.sqlite.pragma('foreign_keys = off');
    const rec = h.sqlite.prepare(
      "insert into service_records (household_id, worker_id, occurred_at, method, minutes, items, created_at, updated_at) values (?, ?, ?, '電訪家庭', 10, ?, ?, ?)",
    );
    const items = ['["福利諮詢"]', '["資源轉介","福利諮詢"]', '["資源轉介"]', '["福利諮詢服務"]', '[]'];
    h.sqlite.transaction(() => {
      for (let i = 0; i < 3000; i++) {
        const day = String(1 + (i % 28)).padStart(2, '0');
        rec.run(1 + (i % 50), 1 + (i % 30), `2026-0${1 + (i % 4)}-${day}T03:00:00.000Z`, items[i % items.length], ts, ts);
      }
    })();
    const expected = (h.sqlite.prepare(count).get() as { n: number }).n;
    expect(expected).toBe(300); // March (750 records), items 0 and 1 of each 5 → 2 in 5

    expect(await migrateTo(THIS)).toEqual([`Up ${THIS} Success`]);
    expect(hasIndex()).toBe(true);
    const entries = (h.sqlite.prepare(`select count(*) as n from service_records indexed by ${INDEX} where items like '%"福利諮詢"%' and occurred_at > ''`).get() as { n: number }).n;
    expect(entries).toBe(1200);
    // The indicator's own statement, as Kysely compiles it.
    const compiled: { sql: string; parameters: readonly unknown[] }[] = [];
    const ind = getIndicator('services.consultations');
    const { Kysely, SqliteDialect } = await import('kysely');
    const logged = new Kysely<never>({ dialect: new SqliteDialect({ database: h.sqlite }), log: (e) => void (e.level === 'query' && compiled.push(e.query)) });
    for (const analyzed of [false, true]) {
      if (analyzed) h.sqlite.exec('analyze');
      for (const q of [count]) {
        const plan = (h.sqlite.prepare(`explain query plan ${q}`).all() as { detail: string }[]).map((r) => r.detail).join('\n');
        expect(plan, `analyzed: ${analyzed}`).toMatch(new RegExp(`USING (COVERING )?INDEX ${INDEX}`));
        expect((h.sqlite.prepare(q).get() as { n: number }).n).toBe(expected);
      }
      compiled.length = 0;
      const res = await ind?.compute(logged as never, { period: { from: '2026-03-01', to: '2026-03-31' } });
      expect(res?.total.value).toBe(expected);
      const stmt = compiled[0] as { sql: string; parameters: readonly unknown[] };
      const plan = (h.sqlite.prepare(`explain query plan ${stmt.sql}`).all(...stmt.parameters) as { detail: string }[]).map((r) => r.detail).join('\n');
      expect(plan, `the indicator's statement, analyzed: ${analyzed}`).toMatch(new RegExp(`USING (COVERING )?INDEX ${INDEX}`));
    }

    expect(await migrateTo(before)).toEqual([`Down ${THIS} Success`]);
    expect(hasIndex()).toBe(false);
    h.sqlite.pragma('foreign_keys = on');
  });
});
