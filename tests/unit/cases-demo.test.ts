import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type SqliteHandle } from '../../db/connection';
import { onPostgres } from '../helpers/pg';
import { CASE_ACTIONS, CASE_STATUSES, type CaseAction, type CaseStatus } from '../../main/contract/types-cases';
import { seedDemo } from '../../main/demo/index';
import { SCALES } from '../../main/demo/scale';
import { setQuiet } from '../../main/lib/logger';
import { transition } from '../../main/services/cases/state';

setQuiet(true);

/** The demo's cases obey the same rules as the services: the status table, numbering, one active case per household. */
// Skipped on PostgreSQL: the demo seeder writes through a raw SQLite connection (seeding PostgreSQL is the bench's).
describe.skipIf(onPostgres)('demo cases (small scale)', () => {
  let dir: string;
  let h: SqliteHandle;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wd-demo-'));
    h = openDatabase(join(dir, 'demo.db'), { onSlowQuery: () => undefined });
    await migrateToLatest(h.db);
    await seedDemo(h.db, SCALES.small, new Date('2026-03-05T02:00:00.000Z'));
  });
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has every status, pending requests, service records and referrals', async () => {
    const statuses = (await h.db.selectFrom('cases').select('status').distinct().execute()).map((r) => r.status);
    expect([...statuses].sort()).toEqual([...CASE_STATUSES].sort());
    const pending = await h.db.selectFrom('case_requests').select('case_id').where('state', '=', 'pending').execute();
    expect(pending.length).toBeGreaterThan(0);
    expect(Number((await h.db.selectFrom('service_records').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBeGreaterThan(100);
    expect(Number((await h.db.selectFrom('referrals').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBeGreaterThan(0);
  });

  it('numbers cases per ROC year without gaps', async () => {
    const rows = await h.db.selectFrom('cases').select(['roc_year', 'seq', 'case_no', 'received_at']).orderBy('roc_year').orderBy('seq').execute();
    const byYear = new Map<number, number[]>();
    for (const r of rows) {
      byYear.set(r.roc_year, [...(byYear.get(r.roc_year) ?? []), r.seq]);
      expect(r.case_no).toBe(`${r.roc_year}-${String(r.seq).padStart(6, '0')}`);
    }
    for (const seqs of byYear.values()) expect(seqs).toEqual(seqs.map((_, i) => i + 1));
  });

  it('writes histories the status table allows, and never two active cases in one household', async () => {
    const history = await h.db.selectFrom('case_status_history').selectAll().orderBy('case_id').orderBy('at').orderBy('id').execute();
    for (const row of history) {
      if (row.from_status === null) {
        expect(['intake', 'reopen']).toContain(row.action);
        continue;
      }
      expect(CASE_ACTIONS).toContain(row.action);
      const t = transition(row.from_status as CaseStatus, row.action as CaseAction);
      expect(t, `${row.from_status} × ${row.action}`).not.toBeNull();
      if (t?.kind === 'move') expect(row.to_status).toBe(t.to);
      if (t?.kind === 'stay') expect(row.to_status).toBe(row.from_status);
      if (t?.kind === 'back') expect(t.to).toContain(row.to_status);
    }
    const cases = await h.db.selectFrom('cases').select(['id', 'status', 'household_id']).execute();
    const last = new Map<number, string>();
    for (const row of history) last.set(row.case_id, row.to_status);
    for (const c of cases) expect(last.get(c.id)).toBe(c.status);
    const active = cases.filter((c) => !['已結案', '不開案'].includes(c.status)).map((c) => c.household_id);
    expect(new Set(active).size).toBe(active.length);
  });
});
