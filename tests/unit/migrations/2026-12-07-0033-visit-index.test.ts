/**
 * Migration 0033 (訪視到期): the partial index holds only the visits (家訪／面訪) by case and time; the
 * worklist's own subquery (the same literal predicate) is answered from it, with the same last visit as
 * before; the predicate names exactly VISIT_METHODS; down removes it again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type SqliteHandle } from '../../../db/connection';
import { onPostgres } from '../../helpers/pg';
import { MIGRATIONS } from '../../../db/migrations/index';
import { VISIT_PREDICATE } from '../../../db/migrations/2026-12-07-0033-visit-index';
import { migrateTo as migrateToHelper } from '../../helpers/migrations';
import { VISIT_METHODS } from '../../../main/contract/types-visits';

const THIS = '2026-12-07-0033-visit-index';
const INDEX = 'service_records_case_visit_idx';

describe.skipIf(onPostgres)(`migration ${THIS}`, () => {
  let dir: string;
  let h: SqliteHandle;
  const names = Object.keys(MIGRATIONS);
  const before = names[names.indexOf(THIS) - 1] as string;
  const migrateTo = (target: string) => migrateToHelper(h.db, target);
  const hasIndex = () => h.sqlite.prepare("select 1 from sqlite_master where type = 'index' and name = ?").get(INDEX) !== undefined;
  // The worklist's subquery as the service writes it (main/services/worklists/visits.ts).
  const lastVisit = `select max(sv.occurred_at) as m from service_records sv where sv.case_id = ? and sv.method in ('面訪家庭', '面談')`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wd-mig-0033-'));
    h = openDatabase(join(dir, 'test.db'), { onSlowQuery: () => undefined });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('names exactly the visit methods of the worklist', () => {
    const listed = [...VISIT_PREDICATE.matchAll(/'([^']+)'/g)].map((m) => m[1]);
    expect(listed).toEqual([...VISIT_METHODS]);
  });

  it('indexes only the visits; the last visit of a case is read from the index, same answer; down drops it', async () => {
    await migrateTo(before);
    expect(hasIndex()).toBe(false);
    const ts = '2026-03-05T02:00:00.000Z';
    h.sqlite.pragma('foreign_keys = off');
    const rec = h.sqlite.prepare(
      "insert into service_records (household_id, case_id, worker_id, occurred_at, method, minutes, items, created_at, updated_at) values (?, ?, 1, ?, ?, 10, '[]', ?, ?)",
    );
    const methods = ['電訪家庭', '面訪家庭', '面談', '電訪家庭', '其他'];
    h.sqlite.transaction(() => {
      for (let i = 0; i < 3000; i++) {
        const day = String(1 + (i % 28)).padStart(2, '0');
        rec.run(1 + (i % 47), 1 + (i % 47), `2026-0${1 + (i % 4)}-${day}T03:00:00.000Z`, methods[i % methods.length], ts, ts);
      }
    })();
    const answers = () => [1, 2, 7, 47].map((c) => (h.sqlite.prepare(lastVisit).get(c) as { m: string | null }).m);
    const expected = answers();
    expect(expected.every((m) => m !== null)).toBe(true);
    const planBefore = JSON.stringify(h.sqlite.prepare(`explain query plan ${lastVisit}`).all(1));
    expect(planBefore).not.toContain(INDEX);

    await migrateTo(THIS);
    expect(hasIndex()).toBe(true);
    const entries = (h.sqlite.prepare(`select count(*) as n from service_records indexed by ${INDEX} where ${VISIT_PREDICATE} and case_id > 0`).get() as { n: number }).n;
    expect(entries).toBe(1200); // 2 in 5 records are visits
    const plan = JSON.stringify(h.sqlite.prepare(`explain query plan ${lastVisit}`).all(1));
    expect(plan).toContain(INDEX);
    expect(answers()).toEqual(expected);
    h.sqlite.exec('analyze');
    expect(JSON.stringify(h.sqlite.prepare(`explain query plan ${lastVisit}`).all(1))).toContain(INDEX);

    await migrateTo(before);
    expect(hasIndex()).toBe(false);
    expect(answers()).toEqual(expected);
  });
});
