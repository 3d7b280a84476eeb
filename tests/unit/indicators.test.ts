/**
 * The indicator library against the hand-counted center of reports-fixture.ts
 * (115年第1季 = 2026-01-01..03-31 Taipei). Each expectation says how it was counted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type DatabaseHandle } from '../../db/connection';
import type { Database } from '../../db/schema';
import { allIndicators, getIndicator, IndicatorInputError, type ComputeInput, type IndicatorResult } from '../../main/services/reports/indicators';
import { CASELOAD_INDICATORS } from '../../main/services/reports/indicators/caseload';
import { DACHENG, KANGSHOU, NANTOU, PULI, Q1, SANMIN, seedReportDataset, type Dataset } from './reports-fixture';

let dir: string;
let h: DatabaseHandle;
let db: Kysely<Database>;
let d: Dataset;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wd-ind-'));
  h = openDatabase(join(dir, 'test.db'));
  db = h.db;
  await migrateToLatest(db);
  d = await seedReportDataset(db);
});
afterAll(async () => {
  await h?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(id: string, input: Partial<ComputeInput> = {}): Promise<IndicatorResult> {
  const ind = getIndicator(id);
  if (!ind) throw new Error(`no indicator ${id}`);
  return ind.compute(db, { period: Q1, ...input });
}

/** `{ key: value }` of a one-dimension breakdown (null keys as 'null'). */
async function by(id: string, dim: NonNullable<ComputeInput['breakdown']>[number], input: Partial<ComputeInput> = {}): Promise<Record<string, number | null>> {
  const res = await run(id, { ...input, breakdown: [dim] });
  return Object.fromEntries(res.rows.map((r) => [String(r.keys[dim] ?? 'null'), r.value]));
}

const total = async (id: string, input: Partial<ComputeInput> = {}) => (await run(id, input)).total.value;

describe('the registry', () => {
  it('declares each indicator once, with a zh-TW name, a unit, counting, flow/stock and breakdowns', () => {
    const all = allIndicators();
    expect(all.length).toBeGreaterThanOrEqual(20);
    expect(new Set(all.map((i) => i.id)).size).toBe(all.length);
    for (const i of all) {
      expect(i.name).toMatch(/[\u4e00-\u9fff]/);
      expect(['人', '戶', '人次', '件', '次', '%', '元', '公斤']).toContain(i.unit);
      expect(['flow', 'stock']).toContain(i.measure);
      expect(i.description.length).toBeGreaterThan(10);
      if (i.measure === 'stock') expect(i.breakdowns).not.toContain('month');
    }
    // The caseload figures can all be split by district (the central forms ask for it).
    for (const i of CASELOAD_INDICATORS) expect(i.breakdowns, i.id).toContain('district');
  });

  it('refuses a breakdown or filter the indicator does not allow, and more than three dimensions', async () => {
    await expect(run('cases.openAtEnd', { breakdown: ['month'] })).rejects.toBeInstanceOf(IndicatorInputError);
    await expect(run('cases.received', { filters: { sex: 'F' } })).rejects.toThrow(/不能依「性別」/);
    await expect(run('services.count', { breakdown: ['worker', 'team', 'month', 'method'] })).rejects.toThrow(/三個/);
  });
});

describe('cases', () => {
  it('cases.received: C1, C2, C3 (01-01 00:30 Taipei), C5 (03-31 23:59:59 Taipei), C7; not C4 (12-31 23:30 Taipei) nor C6', async () => {
    expect(await total('cases.received')).toBe(5);
    // Jan: C1, C3, C7; Feb: C2; Mar: C5
    expect(await by('cases.received', 'month')).toEqual({ '2026-01': 3, '2026-02': 1, '2026-03': 1 });
    // T1: C1, C2, C5, C7; T2: C3
    expect(await by('cases.received', 'team')).toEqual({ [d.team1]: 4, [d.team2]: 1 });
    // 南投市: C1 (H1), C2 (H2), C7 (H7); 埔里鎮: C3 (H3), C5 (H5)
    expect(await by('cases.received', 'district')).toEqual({ [NANTOU]: 3, [PULI]: 2 });
    expect(await by('cases.received', 'village')).toEqual({ [SANMIN]: 2, [KANGSHOU]: 1, [DACHENG]: 2 });
    expect(await total('cases.received', { filters: { district: NANTOU } })).toBe(3);
    // 面向: C1 {1,3} (two factors in 面向 1 count once), C2 {4}, C5 {6}; C3 and C7 have none
    expect(await by('cases.received', 'dimension')).toEqual({ '1': 1, '3': 1, '4': 1, '6': 1, null: 2 });
    expect(await by('cases.received', 'caseType')).toEqual({ 脆弱家庭: 2, 一般福利諮詢: 1, 急難紓困: 1, 其他: 1 });
    expect(await by('cases.received', 'householdType')).toEqual({ 單親: 1, 隔代教養: 1, 獨居: 1, 其他: 1, 雙親: 1 });
    expect(await by('cases.received', 'worker')).toEqual({ [d.w1]: 2, [d.w2]: 2, [d.w3]: 1 });
  });

  it('three breakdowns at once: team × month × district', async () => {
    const res = await run('cases.received', { breakdown: ['team', 'month', 'district'] });
    expect(res.rows.map((r) => [r.keys.team, r.keys.month, r.keys.district, r.value])).toEqual([
      [String(d.team1), '2026-01', NANTOU, 2], // C1, C7
      [String(d.team1), '2026-02', NANTOU, 1], // C2
      [String(d.team1), '2026-03', PULI, 1], // C5
      [String(d.team2), '2026-01', PULI, 1], // C3
    ]);
    expect(res.total.value).toBe(5);
  });

  it('restricts to teams (a supervisor) and yields zero for none', async () => {
    expect(await total('cases.received', { teams: [d.team2] })).toBe(1); // C3
    expect(await total('cases.received', { teams: [] })).toBe(0);
  });

  it('cases.dispatched: C1, C2, C3 (01-01 01:00 Taipei), C4 (01-02), C7', async () => {
    expect(await total('cases.dispatched')).toBe(5);
  });

  it('cases.opened: C1 (01-20), C2 (02-15), C4 (01-03); not C6 (2025-11-10)', async () => {
    expect(await total('cases.opened')).toBe(3);
    expect(await by('cases.opened', 'dimension')).toEqual({ '1': 1, '2': 1, '3': 1, '4': 1, '5': 1 }); // C1 {1,3}, C2 {4}, C4 {2,5}
    expect(await total('cases.opened', { filters: { dimension: '2' } })).toBe(1);
    expect(await total('cases.opened', { filters: { dimension: ['1', '2'] } })).toBe(2); // C1, C4
    expect(await by('cases.opened', 'month')).toEqual({ '2026-01': 2, '2026-02': 1 });
  });

  it('cases.notOpened: C3 (不開案 on 01-10)', async () => {
    expect(await total('cases.notOpened')).toBe(1);
    expect(await by('cases.notOpened', 'team')).toEqual({ [d.team2]: 1 });
  });

  it('cases.shortTerm: C7 (approved 02-01); C6 was approved in 2025', async () => {
    expect(await total('cases.shortTerm')).toBe(1);
    expect(await total('cases.shortTerm', { period: { from: '2025-10-01', to: '2025-12-31' } })).toBe(1); // C6
  });

  it('cases.closed: C2 (03-20); C6 closes 04-05, C3 is 不開案', async () => {
    expect(await total('cases.closed')).toBe(1);
    expect(await total('cases.closed', { period: { from: '2026-04-01', to: '2026-06-30' } })).toBe(1); // C6
  });

  it('cases.openAtEnd: C1, C4, C6 (closes after the quarter); not C2 (closed 03-20)', async () => {
    expect(await total('cases.openAtEnd')).toBe(3);
    expect(await by('cases.openAtEnd', 'team')).toEqual({ [d.team1]: 2, [d.team2]: 1 });
    // At the end of 2025: only C6 was open (C1, C4 opened in January).
    expect(await total('cases.openAtEnd', { period: { from: '2025-10-01', to: '2025-12-31' } })).toBe(1);
  });

  it('cases.caseloadAtEnd by status at the end: C1, C4 處遇中; C5 待分派; C6 結案審查中 (from its history); C7 短期服務', async () => {
    expect(await total('cases.caseloadAtEnd')).toBe(5);
    expect(await by('cases.caseloadAtEnd', 'caseStatus')).toEqual({ 處遇中: 2, 待分派: 1, 結案審查中: 1, 短期服務: 1 });
    const res = await run('cases.caseloadAtEnd', { breakdown: ['worker', 'caseStatus'] });
    expect(res.rows.map((r) => [Number(r.keys.worker), r.keys.caseStatus, r.value])).toEqual(
      expect.arrayContaining([
        [d.w1, '處遇中', 1], // C1
        [d.w1, '待分派', 1], // C5
        [d.w2, '結案審查中', 1], // C6
        [d.w2, '短期服務', 1], // C7
        [d.w3, '處遇中', 1], // C4
      ]),
    );
    expect(res.rows).toHaveLength(5);
  });

  it('cases.contact24h: 3 of 5 dispatched within 24 h (C1 7 h, C4 19 h, C7 exactly 24 h; C2 48 h, C3 none) = 60.0%', async () => {
    const res = await run('cases.contact24h');
    expect(res.total).toEqual({ value: 60, numerator: 3, denominator: 5 });
    const byTeam = await run('cases.contact24h', { breakdown: ['team'] });
    expect(byTeam.rows.map((r) => [Number(r.keys.team), r.value, r.numerator, r.denominator])).toEqual([
      [d.team1, 66.7, 2, 3], // C1 ✓ C2 ✗ C7 ✓
      [d.team2, 50, 1, 2], // C3 ✗ C4 ✓
    ]);
    // No dispatches: no rate rather than 0%.
    expect((await run('cases.contact24h', { period: { from: '2024-01-01', to: '2024-03-31' } })).total).toEqual({ value: null, numerator: 0, denominator: 0 });
  });

  it('cases.followUpOverdue: C1 (S2 asks for 03-15) and C6 (S6 asks for 03-20); C4 (04-10), C5, C7 (none) are not', async () => {
    expect(await total('cases.followUpOverdue')).toBe(2);
  });
});

describe('services', () => {
  it('services.count: S1 S2 S3 S4 S6 S7 S8 S10 (S5 is 04-01 and S9 12-31 Taipei)', async () => {
    expect(await total('services.count')).toBe(8);
    expect(await by('services.count', 'method')).toEqual({ 電訪家庭: 4, 面訪家庭: 4 }); // 電訪 S1 S4 S6 S8; 面訪 S2 S3 S7 S10
    expect(await total('services.count', { filters: { method: '電訪家庭' } })).toBe(4);
    // 面向 of the service's case: S1, S2 → C1 {1,3}; S6 → C6 {1,2}; S4 → C4 {2,5}; S3 → C2 {4}; S7 S8 S10 none
    expect(await by('services.count', 'dimension')).toEqual({ '1': 3, '2': 2, '3': 2, '4': 1, '5': 1, null: 3 });
    expect(await by('services.count', 'worker')).toEqual({ [d.w1]: 2, [d.w2]: 3, [d.w3]: 3 });
    expect(await by('services.count', 'team')).toEqual({ [d.team1]: 5, [d.team2]: 3 }); // the worker's team
    expect(await by('services.count', 'month')).toEqual({ '2026-01': 3, '2026-02': 3, '2026-03': 2 }); // S4 is 01-03 Taipei
    expect(await by('services.count', 'caseType')).toEqual({ 脆弱家庭: 5, 其他: 1, null: 2 }); // S7 S8 have no case
  });

  it('services.count by method × 面向', async () => {
    const res = await run('services.count', { breakdown: ['method', 'dimension'] });
    const m = Object.fromEntries(res.rows.map((r) => [`${r.keys.method}/${r.keys.dimension ?? '-'}`, r.value]));
    expect(m).toEqual({
      '電訪家庭/1': 2, // S1, S6
      '電訪家庭/2': 2, // S4, S6
      '電訪家庭/3': 1, // S1
      '電訪家庭/5': 1, // S4
      '電訪家庭/-': 1, // S8
      '面訪家庭/1': 1, // S2
      '面訪家庭/3': 1, // S2
      '面訪家庭/4': 1, // S3
      '面訪家庭/-': 2, // S7, S10
    });
  });

  it('services.participants: 10 person-visits (S1 1, S2 2, S3 1, S4 1, S6 2, S7 1, S8 1, S10 1)', async () => {
    expect(await total('services.participants')).toBe(10);
    expect(await by('services.participants', 'sex')).toEqual({ F: 5, M: 4, null: 1 }); // F: P1×2 P3 P5 P7; M: P2 P8 P4×2; P9 unknown
    // 面向 with a composite key: S1 P1, S2 P1, S2 P2, S6 P7, S6 P8 in 面向 1 (C1's two 面向-1 factors count once)
    expect(await by('services.participants', 'dimension')).toEqual({ '1': 5, '2': 3, '3': 3, '4': 1, '5': 1, null: 3 });
    expect(await by('services.participants', 'ageBand')).toEqual({
      '0-5': 1, // P5 (turns 6 on 04-01)
      '6-11': 1, // P2 (turns 11 on 03-31)
      '12-17': 1, // P8
      '18-29': 1, // P7 (turns 18 on 03-31)
      '30-44': 2, // P1 twice
      '45-64': 2, // P4 twice (turns 65 on 04-01)
      '65+': 1, // P3
      unknown: 1, // P9
    });
  });

  it('services.persons: 8 people once each (P1 P2 P3 P4 P5 P7 P8 P9)', async () => {
    expect(await total('services.persons')).toBe(8);
    expect(await by('services.persons', 'sex')).toEqual({ F: 4, M: 3, null: 1 });
    expect(await by('services.persons', 'ageBand')).toEqual({ '0-5': 1, '6-11': 1, '12-17': 1, '18-29': 1, '30-44': 1, '45-64': 1, '65+': 1, unknown: 1 });
  });

  it('services.households: H1 H2 H3 H4 H6 H7 once each', async () => {
    expect(await total('services.households')).toBe(6);
    expect(await by('services.households', 'district')).toEqual({ [NANTOU]: 5, [PULI]: 1 }); // 南投市 H1 H2 H4 H6 H7; 埔里鎮 H3
  });

  it('services.consultations: records with 福利諮詢: S1 S2 S4 S7 S10 (S9 is outside)', async () => {
    expect(await total('services.consultations')).toBe(5);
  });
});

describe('referrals, concerns, households', () => {
  it('referrals.count: R1 (01-10), R2 (03-31), R5 (02-02); R3 04-01, R4 2025-12-31 are outside', async () => {
    expect(await total('referrals.count')).toBe(3);
    expect(await by('referrals.count', 'referralStatus')).toEqual({ 受案: 1, 轉介等待中: 1, 不受案: 1 });
    expect(await by('referrals.count', 'team')).toEqual({ [d.team1]: 2, [d.team2]: 1 });
    expect(await total('referrals.count', { filters: { dimension: '3' } })).toBe(2); // R1, R2 via C1
  });

  it('concerns.active: L1 L2 L5 L6 (L3 ended 02-01, L4 starts 04-10)', async () => {
    expect(await total('concerns.active')).toBe(4);
    expect(await by('concerns.active', 'team')).toEqual({ [d.team1]: 2, [d.team2]: 2 });
    expect(await by('concerns.active', 'concernReason')).toEqual({ 獨居長者: 1, 身障: 1, 其他: 2 });
  });

  it('concerns.visitedHouseholds and concerns.visits: H3 visited twice (S7, S8)', async () => {
    expect(await total('concerns.visitedHouseholds')).toBe(1);
    expect(await total('concerns.visits')).toBe(2);
  });

  it('concerns.overdue: L2 (due 01-01, never visited) and L5 (reconstructed: start 12-01 + 1 month); not L1 (04-15) nor L6 (12-01 + 6 months)', async () => {
    expect(await total('concerns.overdue')).toBe(2);
    expect(await by('concerns.overdue', 'worker')).toEqual({ [d.w1]: 1, [d.w3]: 1 });
  });

  it('households.highBurden: H1 (C1 on the books) and H3 (L1 active); H2 has nothing active at the end', async () => {
    expect(await total('households.highBurden')).toBe(2);
    expect(await total('households.highBurden', { teams: [d.team2] })).toBe(1); // H3 through L1 (T2)
  });

  it('persons.inCaseHouseholds: H1 P1 P2 (P10 left), H4 P5 (P11 joins later), H5 P6, H6 P7 P8, H7 P9', async () => {
    expect(await total('persons.inCaseHouseholds')).toBe(7);
    expect(await by('persons.inCaseHouseholds', 'sex')).toEqual({ F: 3, M: 3, null: 1 }); // F: P1 P5 P7; M: P2 P6 P8
  });
});

describe('consistency', () => {
  it('a breakdown row equals the same figure asked for with a filter, for every indicator and allowed dimension', async () => {
    for (const ind of CASELOAD_INDICATORS) {
      for (const dim of ind.breakdowns) {
        const res = await ind.compute(db, { period: Q1, breakdown: [dim] });
        for (const row of res.rows) {
          const key = row.keys[dim];
          if (key === null || key === undefined) continue;
          const filtered = await ind.compute(db, { period: Q1, filters: { [dim]: key } });
          expect({ id: ind.id, dim, key, value: filtered.total.value }).toEqual({ id: ind.id, dim, key, value: row.value });
        }
      }
    }
  });
});

describe('concerns.overdue with a custom interval (added and removed here)', () => {
  it('finds the threshold date from nextDueAfter: overdue ⇔ last visit before it', async () => {
    const { overdueThreshold } = await import('../../main/services/reports/indicators/caseload');
    expect(overdueThreshold('2026-03-31', 'monthly', null)).toBe('2026-03-01'); // 02-28 + 1 month = 03-28 < 03-31; 03-01 → 04-01
    expect(overdueThreshold('2026-03-31', 'half-yearly', null)).toBe('2025-10-01'); // 09-30 → 03-30; 10-01 → 04-01
    expect(overdueThreshold('2026-03-31', 'custom', 10)).toBe('2026-03-21'); // 03-20 + 10 = 03-30 < 03-31
  });

  it('a 10-day concern on H1 last visited 03-20 (a later visit exists) is overdue at 03-31; visited 03-21 it is not', async () => {
    const c = await db
      .insertInto('long_term_concerns')
      .values({ household_id: d.households.H1, reason: '其他', reason_note: null, start_date: '2026-01-01', frequency: 'custom', interval_days: 10, worker_id: d.w1, team_id: d.team1, next_due: '2026-04-20', last_visit_on: '2026-04-10', from_case_id: null, end_date: null, end_reason: null, to_case_id: null, created_at: 'x', created_by: d.w1, updated_at: 'x', updated_by: d.w1, version: 1 })
      .returning('id')
      .executeTakeFirstOrThrow();
    const visit = async (at: string) =>
      (
        await db
          .insertInto('service_records')
          .values({ household_id: d.households.H1, case_id: null, concern_id: c.id, occurred_at: at, method: '電訪家庭', minutes: 10, items: '["其他"]', narrative: null, next_follow_up: null, worker_id: d.w1, created_at: 'x', created_by: d.w1, updated_at: 'x', updated_by: d.w1, version: 1 })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const v1 = await visit('2026-03-20T02:00:00.000Z');
    const v2 = await visit('2026-04-10T02:00:00.000Z');
    try {
      expect(await total('concerns.overdue')).toBe(3); // L2, L5 and this one
      await db.updateTable('service_records').set({ occurred_at: '2026-03-21T02:00:00.000Z' }).where('id', '=', v1).execute();
      expect(await total('concerns.overdue')).toBe(2);
    } finally {
      await db.deleteFrom('service_records').where('id', 'in', [v1, v2]).execute();
      await db.deleteFrom('long_term_concerns').where('id', '=', c.id).execute();
    }
  });
});

describe('cases.contact24h at the edges of 24 hours (cases added and removed here)', () => {
  it('counts contact within 24 h across UTC days, months, a leap day and the year end; not 1 ms later', async () => {
    const v = await db.selectFrom('code_list_versions').select('id').where('effective_from', '=', '2021-01-01').executeTakeFirstOrThrow();
    const ids: number[] = [];
    const add = async (dispatched: string, contact: string | null) => {
      const n = 900 + ids.length;
      const row = await db
        .insertInto('cases')
        .values({ case_no: `113-000${n}`, roc_year: 113, seq: n, household_id: d.households.H2, previous_case_id: null, source: 'A', referring_unit: null, received_at: dispatched, dispatched_at: dispatched, first_contact_at: contact, case_type: '其他', risk_level: null, code_list_version_id: v.id, status: '已結案', lead_worker_id: d.w1, team_id: d.team1, opened_on: null, closed_on: '2024-12-31', close_reason: null, summary: null, created_at: 'x', created_by: d.w1, updated_at: 'x', updated_by: d.w1, version: 1 })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.push(row.id);
    };
    await add('2024-01-31T23:30:00.000Z', '2024-02-01T23:29:59.999Z'); // next UTC day, earlier time of day: within
    await add('2024-02-28T10:00:00.000Z', '2024-02-29T10:00:00.001Z'); // 24 h and 1 ms: not within
    await add('2024-06-01T08:00:00.000Z', '2024-06-01T07:00:00.000Z'); // before dispatch: within
    await add('2024-12-31T15:00:00.000Z', '2025-01-01T14:00:00.000Z'); // 23 h across the year end (still 2024 in Taipei)
    try {
      const res = await run('cases.contact24h', { period: { from: '2024-01-01', to: '2024-12-31' } });
      expect(res.total).toEqual({ value: 75, numerator: 3, denominator: 4 });
      const byMonth = await run('cases.contact24h', { period: { from: '2024-01-01', to: '2024-12-31' }, breakdown: ['month'] });
      expect(byMonth.rows.map((r) => [r.keys.month, r.numerator, r.denominator])).toEqual([
        ['2024-02', 1, 2], // 01-31 23:30Z is 02-01 07:30 in Taipei (within); 02-28 10:00Z (1 ms late)
        ['2024-06', 1, 1],
        ['2024-12', 1, 1], // 12-31 15:00Z is 23:00 in Taipei
      ]);
    } finally {
      await db.deleteFrom('cases').where('id', 'in', ids).execute();
    }
  });
});
