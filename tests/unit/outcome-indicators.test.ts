/**
 * Issue 13 §6: protection reports (保護通報) and the three outcome indicators, against a hand-counted
 * center (115年第1季 = 2026-01-01..03-31 Taipei), on SQLite and, in the PostgreSQL run, on PostgreSQL.
 * Each expectation says how it was counted. The protection methods are called through the real
 * dispatcher with real sessions: who may record, list, correct and delete a report, and what the audit
 * log keeps.
 */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema';
import { getIndicator, type ComputeInput, type IndicatorResult } from '../../main/services/reports/indicators';
import { createTestApp, type TestApp } from '../helpers/app';

const Q1 = { from: '2026-01-01', to: '2026-03-31' };
const TS = '2026-01-01T00:00:00.000Z';
const V1 = '10008010001';
const V2 = '10008010002';

let t: TestApp;
let db: Kysely<Database>;
let adminToken: string;
const users = {} as Record<'w1' | 'w2' | 'w3' | 'sup1' | 'sup2' | 'clerk', { id: number; token: string }>;
const hh: Record<string, number> = {};
const cs: Record<string, number> = {};
const ps: Record<string, number> = {};
let team1 = 0;
let team2 = 0;

beforeAll(async () => {
  t = await createTestApp();
  db = t.app.database.db;
  adminToken = await t.setupAdmin();
  const team = async (name: string) => (await db.insertInto('teams').values({ name, supervisor_id: null, created_at: TS }).returning('id').executeTakeFirstOrThrow()).id;
  team1 = await team('第一組');
  team2 = await team('第二組');
  users.w1 = await t.createUser(adminToken, 'ow1', 'worker', team1);
  users.w2 = await t.createUser(adminToken, 'ow2', 'worker', team2);
  users.w3 = await t.createUser(adminToken, 'ow3', 'worker', team2);
  users.sup1 = await t.createUser(adminToken, 'osup1', 'supervisor', team1);
  users.sup2 = await t.createUser(adminToken, 'osup2', 'supervisor', team2);
  users.clerk = await t.createUser(adminToken, 'oclerk', 'foodbank', null);
  await db.updateTable('teams').set({ supervisor_id: users.sup1.id }).where('id', '=', team1).execute();
  await db.updateTable('teams').set({ supervisor_id: users.sup2.id }).where('id', '=', team2).execute();
  const admin = (await db.selectFrom('users').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow()).id;

  await db
    .insertInto('divisions')
    .values([
      { code: '10008000', level: 'county', name: '南投縣', parent_code: null },
      { code: '10008010', level: 'town', name: '南投市', parent_code: '10008000' },
      { code: V1, level: 'village', name: '三民里', parent_code: '10008010' },
      { code: V2, level: 'village', name: '康壽里', parent_code: '10008010' },
    ])
    .onConflict((oc) => oc.column('code').doNothing())
    .execute();
  const household = async (key: string, village: string | null) => {
    hh[key] = (
      await db
        .insertInto('households')
        .values({ county_code: '10008000', town_code: village ? '10008010' : null, village_code: village, neighborhood: null, street: `${key}路1號`, household_type: '雙親', phone: null, notes: null, created_at: TS, created_by: admin, updated_at: TS, updated_by: admin, version: 1 })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  };
  for (const k of ['HA', 'HB', 'HC', 'HD', 'HE', 'HF', 'HG', 'HH', 'HI']) await household(k, ['HA', 'HB'].includes(k) ? V1 : null);
  for (const k of ['HJ', 'HK', 'HL']) await household(k, V2);

  const person = async (key: string, householdKey: string, left: string | null = null) => {
    ps[key] = (
      await db
        .insertInto('persons')
        .values({ name: `成員${key}`, national_id: null, birth_date: '1980-01-01', sex: 'F', phone: null, disability_level: null, income_status: null, notes: null, created_at: TS, created_by: admin, updated_at: TS, updated_by: admin, version: 1 })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    await db
      .insertInto('household_members')
      .values({ household_id: hh[householdKey] as number, person_id: ps[key], relation: '戶長', joined_on: '2020-01-01', left_on: left, left_reason: left ? '遷出' : null, created_at: TS, created_by: admin })
      .execute();
  };
  for (const k of ['HA', 'HB', 'HC', 'HD', 'HE', 'HF', 'HG', 'HH', 'HI', 'HJ', 'HL']) await person(`p${k}`, k);
  await person('pHL2', 'HL');
  await person('pHK', 'HK', '2026-03-15');

  const version = await db.selectFrom('code_list_versions').select('id').where('list', '=', 'vulnerability').orderBy('effective_from', 'desc').executeTakeFirst();
  let seq = 0;
  const kase = async (key: string, householdKey: string, type: string, lead: number, teamId: number) => {
    seq++;
    cs[key] = (
      await db
        .insertInto('cases')
        .values({
          case_no: `115-${String(seq).padStart(6, '0')}`,
          roc_year: 115,
          seq,
          household_id: hh[householdKey] as number,
          previous_case_id: null,
          source: 'A',
          referring_unit: null,
          received_at: '2025-12-01T02:00:00.000Z',
          dispatched_at: '2025-12-01T03:00:00.000Z',
          first_contact_at: null,
          case_type: type,
          risk_level: '中',
          code_list_version_id: version?.id ?? null,
          status: '處遇中',
          lead_worker_id: lead,
          team_id: teamId,
          opened_on: '2025-12-05',
          closed_on: null,
          close_reason: null,
          summary: null,
          created_at: TS,
          created_by: lead,
          updated_at: TS,
          updated_by: lead,
          version: 1,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  };
  const w1 = users.w1.id;
  const w2 = users.w2.id;
  await kase('CA', 'HA', '脆弱家庭', w1, team1);
  await kase('CB', 'HB', '脆弱家庭', w1, team1);
  await kase('CC', 'HC', '脆弱家庭', w2, team2);
  await kase('CD', 'HD', '脆弱家庭', w1, team1);
  await kase('CE', 'HE', '脆弱家庭', w1, team1);
  await kase('CF', 'HF', '一般福利諮詢', w1, team1);
  await kase('CG', 'HG', '脆弱家庭', w1, team1);
  await kase('CH1', 'HH', '脆弱家庭', w1, team1);
  await kase('CH2', 'HH', '脆弱家庭', w1, team1);
  await kase('CI', 'HI', '脆弱家庭', w2, team2);

  const service = async (caseKey: string | null, householdKey: string, at: string, items: string[] = ['福利諮詢']) =>
    db
      .insertInto('service_records')
      .values({ household_id: hh[householdKey] as number, case_id: caseKey ? (cs[caseKey] as number) : null, concern_id: null, occurred_at: at, method: '面訪家庭', minutes: 30, items: JSON.stringify(items), narrative: null, next_follow_up: null, worker_id: w1, created_at: TS, created_by: w1, updated_at: TS, updated_by: w1, version: 1 })
      .execute();
  // Taipei = UTC + 8: 02:00Z is 10:00 the same day; 17:00Z is 01:00 the next day.
  await service('CA', 'HA', '2026-01-31T02:00:00.000Z', ['就業協助']);
  await service('CA', 'HA', '2026-02-01T02:00:00.000Z');
  await service('CB', 'HB', '2026-02-10T02:00:00.000Z');
  await service('CC', 'HC', '2026-03-05T02:00:00.000Z', ['就業協助', '福利諮詢']);
  await service('CD', 'HD', '2026-01-20T02:00:00.000Z', ['就業協助']);
  await service('CE', 'HE', '2026-02-01T02:00:00.000Z');
  await service('CF', 'HF', '2026-02-01T02:00:00.000Z');
  await service('CG', 'HG', '2025-12-20T02:00:00.000Z');
  await service('CH1', 'HH', '2026-02-20T02:00:00.000Z');
  await service('CH2', 'HH', '2026-03-02T02:00:00.000Z');
  await service('CI', 'HI', '2026-02-10T17:00:00.000Z'); // Taipei 02-11
  await service(null, 'HL', '2026-03-31T16:30:00.000Z'); // Taipei 04-01: after the quarter

  const report = (householdKey: string, on: string) =>
    db
      .insertInto('protection_reports')
      .values({ household_id: hh[householdKey] as number, reported_on: on, source: '學校', kind: '兒少保護', created_at: TS, created_by: admin, updated_at: TS, updated_by: admin, version: 1 })
      .execute();
  await report('HA', '2026-02-15'); // in the window of both services of CA
  await report('HA', '2026-04-30'); // 01-31 + 3 months = 04-30 (clamped): in; HA reported twice, CA counts once
  await report('HB', '2026-02-10'); // the service day itself: out
  await report('HB', '2026-05-11'); // 02-10 + 3 months = 05-10; 05-11 is one day after: out
  await report('HC', '2026-06-05'); // exactly 3 months after 03-05: in
  await report('HD', '2026-01-10'); // before any service: out
  await report('HF', '2026-02-02'); // not a 脆弱家庭 case: not in the denominator
  await report('HG', '2026-01-05'); // CG not served in the quarter: not in the denominator
  await report('HH', '2026-03-01'); // after CH1's 02-20 service (in), before CH2's 03-02 service (out)
  await report('HI', '2026-02-11'); // the Taipei service day of CI (17:00Z on 02-10): out
  await report('HI', '2026-05-11'); // 02-11 + 3 months: in

  const referral = async (householdKey: string, kind: string, on: string, status: string, history: [string, string][] = []) => {
    const id = (
      await db
        .insertInto('referrals')
        .values({ household_id: hh[householdKey] as number, case_id: null, service_id: null, unit_kind: kind, unit_name: '就業服務站', reason: '就業', status, referred_on: on, created_at: TS, created_by: w1, updated_at: TS, updated_by: w1, version: 1 })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    for (const [s, at] of history) await db.insertInto('referral_status_history').values({ referral_id: id, status: s, note: null, at, by_user: w1 }).execute();
  };
  await referral('HA', '勞政', '2026-01-15', '受案', [
    ['轉介等待中', '2026-01-15T02:00:00.000Z'],
    ['受案', '2026-01-20T02:00:00.000Z'],
  ]);
  await referral('HB', '勞政', '2026-02-20', '受案', [
    ['轉介等待中', '2026-02-20T02:00:00.000Z'],
    ['受案', '2026-04-02T02:00:00.000Z'], // accepted after the quarter: 轉介等待中 at its end
  ]);
  await referral('HC', '勞政', '2025-06-01', '轉介完成'); // within the 12 months before 03-31
  await referral('HD', '勞政', '2025-03-01', '受案'); // older than 12 months
  await referral('HE', '勞政', '2026-03-10', '不受案');
  await referral('HF', '衛政', '2026-02-10', '受案'); // not 勞政
  await referral('HG', '勞政', '2026-04-05', '受案'); // after the quarter

  const income = (personKey: string, status: string, from: string, to: string | null) =>
    db
      .insertInto('person_income_status')
      .values({ person_id: ps[personKey] as number, status, valid_from: from, valid_to: to, source: '手動', household_id: null, created_at: TS, created_by: admin, updated_at: null, updated_by: null, version: 1 })
      .execute();
  await income('pHA', 'low', '2025-01-01', null); // HA: in, served
  await income('pHB', 'mid-low', '2025-01-01', '2026-03-31'); // HB: ends on the last day, in; served
  await income('pHC', 'low', '2025-01-01', '2026-03-30'); // HC: ended the day before: out
  await income('pHJ', 'low', '2026-03-31', null); // HJ: starts on the last day, in; a food-bank hand-out
  await income('pHK', 'low', '2025-01-01', null); // HK: the person left on 03-15: out
  await income('pHL', 'mid-low', '2025-01-01', null); // HL: two members, counted once; served only after the quarter
  await income('pHL2', 'low', '2025-01-01', null);
  const loc = (await db.insertInto('fb_locations').values({ name: '總倉', kind: 'hub', address: null, staff: null, active: 1, created_at: TS }).returning('id').executeTakeFirstOrThrow()).id;
  await db.insertInto('fb_handouts').values({ household_id: hh.HJ as number, location_id: loc, handed_on: '2026-02-10', household_size: 1, allowance_used: 1, note: null, created_at: TS, created_by: admin }).execute();
  await db.insertInto('fb_handouts').values({ household_id: hh.HL as number, location_id: loc, handed_on: '2025-12-31', household_size: 2, allowance_used: 1, note: null, created_at: TS, created_by: admin }).execute();
}, 120_000);

afterAll(async () => {
  await t?.close();
});

async function run(id: string, input: Partial<ComputeInput> = {}): Promise<IndicatorResult> {
  const ind = getIndicator(id);
  if (!ind) throw new Error(`no indicator ${id}`);
  return ind.compute(db, { period: Q1, ...input });
}

const byKey = (r: IndicatorResult) => Object.fromEntries(r.rows.map((row) => [String(Object.values(row.keys)[0]), [row.numerator, row.denominator, row.value]]));

describe('cases.protectionWithin3m', () => {
  it('counts 脆弱家庭 cases served in the quarter whose household was reported after a service and within 3 months of it', async () => {
    // Denominator: CA, CB, CC, CD, CE, CH1, CH2, CI = 8 (CF is not 脆弱家庭; CG was not served in the quarter).
    // Numerator: CA (02-15 and 04-30, counted once), CC (06-05 = 03-05 + 3 months), CH1 (03-01 after 02-20),
    // CI (05-11 = Taipei 02-11 + 3 months) = 4. Not CB (the service day; 05-11 is one day past 05-10),
    // CD (report before the service), CE (no report), CH2 (the report was before its service).
    const r = await run('cases.protectionWithin3m');
    expect(r.total).toEqual({ value: 50, numerator: 4, denominator: 8 });
  });

  it('breaks down by team and follows a supervisor scope', async () => {
    // Team 1: CA, CB, CD, CE, CH1, CH2 → CA, CH1 = 2/6; team 2: CC, CI → 2/2.
    const r = await run('cases.protectionWithin3m', { breakdown: ['team'] });
    expect(byKey(r)).toEqual({ [String(team1)]: [2, 6, 33.3], [String(team2)]: [2, 2, 100] });
    expect((await run('cases.protectionWithin3m', { teams: [team1] })).total).toEqual({ value: 33.3, numerator: 2, denominator: 6 });
    expect((await run('cases.protectionWithin3m', { teams: [] })).total).toEqual({ value: null, numerator: 0, denominator: 0 });
  });

  it('moves with the period: February alone', async () => {
    // Served in Feb: CA (02-01), CB, CE, CH1, CI (Taipei 02-11) = 5. CA: 02-15 after 02-01 → in; CH1 in; CI in.
    const r = await run('cases.protectionWithin3m', { period: { from: '2026-02-01', to: '2026-02-28' } });
    expect(r.total).toEqual({ value: 60, numerator: 3, denominator: 5 });
  });
});

describe('households.employmentJoint', () => {
  it('counts households with 就業協助 or a 勞政 referral in the quarter, jointly served when a 勞政 referral was accepted by its end', async () => {
    // Denominator: HA (就業協助 + referral), HB (referral 02-20), HC (就業協助), HD (就業協助), HE (referral 03-10) = 5.
    // Not HF (衛政), HG (referral after the quarter). Numerator: HA (受案 on 01-20), HC (轉介完成, 2025-06-01 is
    // within 12 months) = 2. Not HB (accepted only on 04-02), HD (referral older than 12 months), HE (不受案).
    const r = await run('households.employmentJoint');
    expect(r.total).toEqual({ value: 40, numerator: 2, denominator: 5 });
  });

  it('reads the referral status at the end of the period', async () => {
    // Through 04-30: HB's referral was accepted on 04-02 and counts; HG (04-05, 受案) joins both sides.
    // Denominator: HA, HB, HC, HD, HE, HG = 6 (referrals or 就業協助 from 01-01 to 04-30); numerator HA, HB, HC, HG = 4.
    const r = await run('households.employmentJoint', { period: { from: '2026-01-01', to: '2026-04-30' } });
    expect(r.total).toEqual({ value: 66.7, numerator: 4, denominator: 6 });
  });
});

describe('households.povertyCoverage', () => {
  it('counts households with a 低收/中低收 member on the last day, covered when served or given food in the quarter', async () => {
    // Denominator: HA, HB (status ends on 03-31), HJ (starts on 03-31), HL (two members, once) = 4.
    // Not HC (status ended 03-30), HK (the member left on 03-15). Numerator: HA, HB (services), HJ (hand-out) = 3.
    const r = await run('households.povertyCoverage');
    expect(r.total).toEqual({ value: 75, numerator: 3, denominator: 4 });
    const v = await run('households.povertyCoverage', { breakdown: ['village'] });
    expect(byKey(v)).toEqual({ [V1]: [2, 2, 100], [V2]: [1, 2, 50] });
  });
});

describe('protection reports through the API', () => {
  let reportId = 0;
  let version = 0;

  it('the lead worker records a report on the household of their case; the audit row holds ids only', async () => {
    const r = await t.call('protection.record', { householdId: hh.HA as number, reportedOn: '2026-03-01', source: '113保護專線', kind: '家庭暴力', personIds: [ps.pHA as number] }, users.w1.token);
    expect(r).toMatchObject({ householdId: hh.HA, reportedOn: '2026-03-01', source: '113保護專線', kind: '家庭暴力', persons: [{ personId: ps.pHA, name: '成員pHA' }], version: 1 });
    reportId = r.id;
    version = r.version;
    const audit = await db.selectFrom('audit_log').select(['action', 'entity', 'entity_id', 'detail']).where('entity', '=', 'protection_report').execute();
    expect(audit).toEqual([{ action: 'create', entity: 'protection_report', entity_id: String(reportId), detail: JSON.stringify({ householdId: hh.HA }) }]);
    const list = await t.call('protection.list', { householdId: hh.HA as number }, users.w1.token);
    expect(list.map((x) => x.reportedOn)).toEqual(['2026-04-30', '2026-03-01', '2026-02-15']);
  });

  it('refuses a worker of another household, the other team’s supervisor and the food bank; the own supervisor and the admin see it', async () => {
    const denied = await t.raw('protection.record', { householdId: hh.HA, reportedOn: '2026-03-01', source: '學校', kind: '兒少保護' }, users.w3.token);
    expect(denied).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await t.raw('protection.list', { householdId: hh.HA }, users.w3.token)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await t.raw('protection.list', { householdId: hh.HA }, users.sup2.token)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await t.raw('protection.delete', { id: reportId, version, reason: '誤植' }, users.sup2.token)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await t.raw('protection.list', { householdId: hh.HA }, users.clerk.token)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect((await t.call('protection.list', { householdId: hh.HA as number }, users.sup1.token)).length).toBe(3);
    expect((await t.call('protection.list', { householdId: hh.HC as number }, adminToken)).length).toBe(1);
    // w2 leads CC (HC), not HA.
    expect((await t.call('protection.list', { householdId: hh.HC as number }, users.w2.token)).length).toBe(1);
  });

  it('refuses a future date and a person of another household beside the field', async () => {
    const future = await t.raw('protection.record', { householdId: hh.HA, reportedOn: '2026-03-06', source: '學校', kind: '兒少保護' }, users.w1.token);
    expect(future).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { reportedOn: '通報日期不能晚於今天' } } });
    const stranger = await t.raw('protection.record', { householdId: hh.HA, reportedOn: '2026-03-01', source: '學校', kind: '兒少保護', personIds: [ps.pHB] }, users.w1.token);
    expect(stranger).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { personIds: '被通報的人須為本戶的成員' } } });
    const badKind = await t.raw('protection.record', { householdId: hh.HA, reportedOn: '2026-03-01', source: '學校', kind: '詐騙' }, users.w1.token);
    expect(badKind).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { kind: '請選擇通報類型' } } });
  });

  it('the supervisor corrects it (a stale version is refused), the admin deletes it with a reason code', async () => {
    const fixed = await t.call('protection.correct', { id: reportId, version, reportedOn: '2026-02-28', source: '警政', kind: '家庭暴力', personIds: [] }, users.sup1.token);
    expect(fixed).toMatchObject({ reportedOn: '2026-02-28', source: '警政', persons: [], version: 2 });
    const stale = await t.raw('protection.correct', { id: reportId, version, reportedOn: '2026-02-27', source: '警政', kind: '家庭暴力' }, users.w1.token);
    expect(stale).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await t.raw('protection.delete', { id: reportId, version: 2, reason: '亂刪' }, adminToken)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await t.call('protection.delete', { id: reportId, version: 2, reason: '重複登錄' }, adminToken)).toEqual({ deleted: true });
    expect((await t.call('protection.list', { householdId: hh.HA as number }, adminToken)).length).toBe(2);
    const audit = await db.selectFrom('audit_log').select(['action', 'detail']).where('entity', '=', 'protection_report').where('entity_id', '=', String(reportId)).orderBy('id').execute();
    expect(audit).toEqual([
      { action: 'create', detail: JSON.stringify({ householdId: hh.HA }) },
      { action: 'update', detail: JSON.stringify({ householdId: hh.HA, fields: ['reportedOn', 'source', 'personIds'] }) },
      { action: 'delete', detail: JSON.stringify({ householdId: hh.HA, reason: '重複登錄' }) },
    ]);
    expect(await db.selectFrom('protection_report_persons').selectAll().where('report_id', '=', reportId).execute()).toEqual([]);
  });
});
