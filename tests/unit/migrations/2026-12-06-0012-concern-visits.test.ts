/**
 * Migration 0012 (concern visits by period), Signal style: a database at the migration before it,
 * migrated to 0012: the partial index holds only the records of a concern, and the monthly report's
 * "concern visits in a month by worker" reads it alone (covering), also on an analyzed database;
 * down removes it again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteHandle } from '../../../db/connection';
import { onPostgres } from '../../helpers/pg';
import { MIGRATIONS } from '../../../db/migrations/index';
import { migrateTo as migrateToHelper } from '../../helpers/migrations';

const THIS = '2026-12-06-0012-concern-visits';
const INDEX = 'service_records_concern_visit_idx';

// The step's own mechanics are SQLite's (the index list, the planner); on PostgreSQL index.test.ts migrates up.
describe.skipIf(onPostgres)(`migration ${THIS}`, () => {
  let dir: string;
  let h: SqliteHandle;
  const names = Object.keys(MIGRATIONS);
  const before = names[names.indexOf(THIS) - 1] as string;
  const migrateTo = (target: string) => migrateToHelper(h.db, target);
  const hasIndex = () => h.sqlite.prepare("select 1 from sqlite_master where type = 'index' and name = ?").get(INDEX) !== undefined;
  const monthly =
    "select s.worker_id as k0, count(distinct s.household_id) as n from service_records s where s.concern_id is not null and s.occurred_at >= '2026-03-01' and s.occurred_at < '2026-04-01' group by k0";

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wd-mig-0012-'));
    h = openDatabase(join(dir, 'test.db'), { onSlowQuery: () => undefined });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('comes after the audit seal migration', () => {
    expect(names.indexOf(THIS)).toBeGreaterThan(names.indexOf('2026-12-06-0010-audit-mac'));
  });

  it('indexes only the records of a concern; a month by worker reads the index alone, with statistics too; down drops it', async () => {
    await migrateTo(before);
    expect(hasIndex()).toBe(false);
    const ts = '2026-03-05T02:00:00.000Z';
    // Only service_records matters here: its references are not checked for these rows.
    h.sqlite.pragma('foreign_keys = off');
    const rec = h.sqlite.prepare(
      "insert into service_records (household_id, worker_id, concern_id, occurred_at, method, minutes, items, created_at, updated_at) values (?, ?, ?, ?, '電訪家庭', 10, '[]', ?, ?)",
    );
    h.sqlite.transaction(() => {
      for (let i = 0; i < 3000; i++) {
        const day = String(1 + (i % 28)).padStart(2, '0');
        rec.run(1 + (i % 50), 1 + (i % 30), i % 10 === 0 ? 1 + (i % 10) : null, `2026-0${1 + (i % 4)}-${day}T03:00:00.000Z`, ts, ts);
      }
    })();
    const expected = h.sqlite.prepare(monthly).all();

    expect(await migrateTo(THIS)).toEqual([`Up ${THIS} Success`]);
    expect(hasIndex()).toBe(true);
    const entries = (h.sqlite.prepare(`select count(*) as n from service_records indexed by ${INDEX} where concern_id is not null and occurred_at > ''`).get() as { n: number }).n;
    expect(entries).toBe(300);
    for (const analyzed of [false, true]) {
      if (analyzed) h.sqlite.exec('analyze');
      const plan = (h.sqlite.prepare(`explain query plan ${monthly}`).all() as { detail: string }[]).map((r) => r.detail).join('\n');
      expect(plan, `analyzed: ${analyzed}`).toContain(`SEARCH s USING COVERING INDEX ${INDEX} (occurred_at>? AND occurred_at<?)`);
      expect(h.sqlite.prepare(monthly).all()).toEqual(expected);
    }

    expect(await migrateTo(before)).toEqual([`Down ${THIS} Success`]);
    expect(hasIndex()).toBe(false);
    h.sqlite.pragma('foreign_keys = on');
  });
});
