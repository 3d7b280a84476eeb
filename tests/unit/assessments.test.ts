/**
 * Issue 14 §1: assessments through the real dispatcher with real sessions, on SQLite and (in the
 * PostgreSQL run) PostgreSQL. The app's clock stands at 2026-03-05 (tests/helpers/app.ts).
 * - instrument versions by effective date: which version applies on a day; a new version closes the
 *   previous one the day before; an effective date on or before the last start, and an invalid
 *   definition, are refused beside their fields; only a 管理者 defines instruments;
 * - save → score → confirm: answers validated beside their linkIds; an override needs a reason; the
 *   case's risk level follows the confirmed level in the same call (a refused confirmation leaves the
 *   case untouched); the reassessment date follows the visit-frequency rules; confirmed = read-only;
 * - scope: another team's 社工 and 督導 get the standard not-found for everything about it;
 * - compare, the FHIR exports (shape, subject, author, audit), visit rules.
 */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema';
import type { InstrumentDefinition, ResponseItem } from '../../main/contract/types-assessments';
import { getIndicator } from '../../main/services/reports/indicators';
import { createTestApp, type TestApp } from '../helpers/app';

const TS = '2026-01-01T00:00:00.000Z';
let t: TestApp;
let db: Kysely<Database>;
let adminToken: string;
const users = {} as Record<'w1' | 'w2' | 'sup1' | 'sup2', { id: number; token: string }>;
let household = 0;
let head = 0;
let caseId = 0;
let sixFacets = 0;

const a = (linkId: string, ...answers: NonNullable<ResponseItem['answers']>): ResponseItem => ({ linkId, answers });
/** Answers to the seeded 六大面向 instrument: every risk item `risk`, every protective item `prot`, critical items false. */
async function sixAnswers(risk: string, prot: string): Promise<ResponseItem[]> {
  const v = await t.call('instruments.version', { instrumentId: sixFacets, on: '2026-03-01' }, users.w1.token);
  return v.definition.items.map((g) => ({
    linkId: g.linkId,
    items: (g.items ?? []).map((i) => (i.type === 'boolean' ? a(i.linkId, { boolean: false }) : a(i.linkId, { code: i.factor === 'risk' ? risk : prot }))),
  }));
}

beforeAll(async () => {
  t = await createTestApp();
  db = t.app.database.db;
  adminToken = await t.setupAdmin();
  const team = async (name: string) => (await db.insertInto('teams').values({ name, supervisor_id: null, created_at: TS }).returning('id').executeTakeFirstOrThrow()).id;
  const team1 = await team('第一組');
  const team2 = await team('第二組');
  users.w1 = await t.createUser(adminToken, 'aw1', 'worker', team1);
  users.w2 = await t.createUser(adminToken, 'aw2', 'worker', team2);
  users.sup1 = await t.createUser(adminToken, 'asup1', 'supervisor', team1);
  users.sup2 = await t.createUser(adminToken, 'asup2', 'supervisor', team2);
  await db.updateTable('teams').set({ supervisor_id: users.sup1.id }).where('id', '=', team1).execute();
  await db.updateTable('teams').set({ supervisor_id: users.sup2.id }).where('id', '=', team2).execute();
  const w1 = users.w1.id;
  household = (
    await db
      .insertInto('households')
      .values({ county_code: null, town_code: null, village_code: null, neighborhood: null, street: '中山路1號', household_type: '單親', phone: null, notes: null, created_at: TS, created_by: w1, updated_at: TS, updated_by: w1, version: 1 })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  head = (
    await db
      .insertInto('persons')
      .values({ name: '林戶長', national_id: null, birth_date: '1980-01-01', sex: 'F', phone: null, disability_level: null, income_status: null, notes: null, created_at: TS, created_by: w1, updated_at: TS, updated_by: w1, version: 1 })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  await db.insertInto('household_members').values({ household_id: household, person_id: head, relation: '戶長', joined_on: '2020-01-01', left_on: null, left_reason: null, created_at: TS, created_by: w1 }).execute();
  caseId = (
    await db
      .insertInto('cases')
      .values({
        case_no: '115-000001',
        roc_year: 115,
        seq: 1,
        household_id: household,
        previous_case_id: null,
        source: 'A',
        referring_unit: null,
        received_at: '2026-01-10T02:00:00.000Z',
        dispatched_at: '2026-01-10T03:00:00.000Z',
        first_contact_at: null,
        case_type: '脆弱家庭',
        risk_level: '低',
        code_list_version_id: null,
        status: '處遇中',
        lead_worker_id: w1,
        team_id: team1,
        opened_on: '2026-01-20',
        closed_on: null,
        close_reason: null,
        summary: null,
        created_at: TS,
        created_by: w1,
        updated_at: TS,
        updated_by: w1,
        version: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  sixFacets = (await db.selectFrom('instruments').select('id').where('code', '=', 'six-facets').executeTakeFirstOrThrow()).id;
});
afterAll(async () => t?.close());

const TOOL: InstrumentDefinition = {
  domains: [{ key: 'd', label: '經濟' }],
  items: [{ linkId: 'q', text: '收入不足', type: 'integer', min: 0, max: 3, domain: 'd', factor: 'risk', required: true }],
  rules: [
    { kind: 'sum', name: 's', label: '總分', factor: 'risk' },
    { kind: 'band', score: 's', bands: [{ from: 0, level: '低' }, { from: 2, level: '高' }] },
  ],
};

describe('instrument versions by effective date', () => {
  it('lists the seeded instruments with the version in effect today', async () => {
    const list = await t.call('instruments.list', {}, users.w1.token);
    expect(list.map((i) => [i.code, i.name, i.current?.versionNo, i.current?.effectiveFrom])).toEqual([
      ['six-facets', '六大面向風險與保護因子評估', 1, '2025-01-01'],
      ['family-assessment', '家庭評估', 1, '2025-01-01'],
      ['welfare-economic-status', '福利與經濟現況', 1, '2025-01-01'],
    ]);
  });

  it('a new version closes the previous the day before; the version of a day is the one in effect then; refusals', async () => {
    const created = await t.call('instruments.create', { code: 'test-tool', name: '測試量表', description: null, definition: TOOL, effectiveFrom: '2026-01-01', note: null }, adminToken);
    expect(created.versions).toHaveLength(1);
    const v2def: InstrumentDefinition = { ...TOOL, rules: [TOOL.rules[0]!, { kind: 'band', score: 's', bands: [{ from: 0, level: '低' }, { from: 3, level: '中' }] }] };
    const after = await t.call('instruments.saveVersion', { instrumentId: created.id, definition: v2def, effectiveFrom: '2026-03-01', note: '調整區間' }, adminToken);
    expect(after.versions.map((v) => [v.versionNo, v.effectiveFrom, v.effectiveTo])).toEqual([
      [1, '2026-01-01', '2026-02-28'],
      [2, '2026-03-01', null],
    ]);
    expect(after.current?.versionNo).toBe(2); // today 2026-03-05
    expect((await t.call('instruments.version', { instrumentId: created.id, on: '2026-02-28' }, users.w1.token)).versionNo).toBe(1);
    expect((await t.call('instruments.version', { instrumentId: created.id, on: '2026-03-01' }, users.w1.token)).versionNo).toBe(2);
    expect(await t.raw('instruments.version', { instrumentId: created.id, on: '2025-12-31' }, users.w1.token)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    expect(await t.raw('instruments.saveVersion', { instrumentId: created.id, definition: TOOL, effectiveFrom: '2026-03-01', note: null }, adminToken)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', fields: { effectiveFrom: '生效日須晚於前一版（第 2 版）的生效日 115/03/01' } },
    });
    const broken = { ...TOOL, rules: [{ kind: 'band', score: 'nope', bands: [{ from: 0, level: '低' }] }] };
    expect(await t.raw('instruments.saveVersion', { instrumentId: created.id, definition: broken, effectiveFrom: '2026-04-01', note: null }, adminToken)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', fields: { 'definition.rules.0.score': '分數「nope」不存在，或未在此規則之前計算' } },
    });
    expect(await t.raw('instruments.saveVersion', { instrumentId: created.id, definition: TOOL, effectiveFrom: '2026-04-01', note: null }, users.sup1.token)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect((await t.call('instruments.list', {}, adminToken)).find((i) => i.id === created.id)?.versions).toHaveLength(2);

    // An assessment dated in v1's time is scored by v1 (score 2 → 高), one in v2's by v2 (2 → 低).
    const old = await t.call('assessments.save', { householdId: household, instrumentId: created.id, stage: 'intake', assessedOn: '2026-02-10', answers: [a('q', { integer: 2 })] }, users.w1.token);
    const now = await t.call('assessments.save', { householdId: household, instrumentId: created.id, stage: 'intake', assessedOn: '2026-03-02', answers: [a('q', { integer: 2 })] }, users.w1.token);
    expect([old.versionNo, old.suggestedLevel, now.versionNo, now.suggestedLevel]).toEqual([1, '高', 2, '低']);
    await t.call('assessments.delete', { id: old.id, version: old.version }, users.w1.token);
    await t.call('assessments.delete', { id: now.id, version: now.version }, users.w1.token);
  });

  it('exports a version as a FHIR Questionnaire with our scoring as extensions', async () => {
    const fam = (await t.call('instruments.list', {}, users.w1.token)).find((i) => i.code === 'family-assessment')!;
    const q = await t.call('instruments.exportQuestionnaire', { versionId: fam.current!.id }, users.w1.token);
    expect(q).toMatchObject({ resourceType: 'Questionnaire', url: 'https://sfaa.gov.tw/base/Questionnaire/family-assessment', version: '1', status: 'active', title: '家庭評估' });
    expect(q.item[0]).toMatchObject({ linkId: '2', type: 'group', text: '家庭評估' });
    expect(q.item[0]!.item!.map((i) => [i.linkId, i.text, i.type])).toEqual([
      ['2.1', '家庭環境', 'integer'],
      ['2.2', '外部支持', 'integer'],
    ]);
    const six = await t.call('instruments.exportQuestionnaire', { versionId: (await t.call('instruments.version', { instrumentId: sixFacets, on: '2026-03-01' }, users.w1.token)).id }, users.w1.token);
    const item = six.item[0]!.item![0]!;
    expect(item.answerOption![3]).toEqual({ valueCoding: { code: '3', display: '嚴重' }, extension: [{ url: 'http://hl7.org/fhir/StructureDefinition/ordinalValue', valueDecimal: 3 }] });
    expect(item.extension).toEqual(expect.arrayContaining([expect.objectContaining({ valueCode: 'economic' }), expect.objectContaining({ valueCode: 'risk' })]));
  });
});

describe('save, score, confirm', () => {
  let first = 0;
  it('refuses answers beside their linkIds; scores the rest into a suggested level', async () => {
    const bad = await t.raw('assessments.save', { householdId: household, caseId, instrumentId: sixFacets, stage: 'intake', assessedOn: '2026-03-01', answers: [{ linkId: '1', items: [a('1.1', { code: '9' })] }] }, users.w1.token);
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { 'answers.1.1': '「家庭收入不足以支應基本生活開銷」沒有「9」這個選項', 'answers.1.2': '「負債或失業造成生活困難」為必填' } } });
    expect(await t.raw('assessments.save', { householdId: household, caseId, instrumentId: sixFacets, stage: 'intake', assessedOn: '2026-03-06', answers: await sixAnswers('0', '0') }, users.w1.token)).toMatchObject({
      ok: false,
      error: { fields: { assessedOn: '評估日期不能晚於今天' } },
    });
    const v = await t.call('assessments.save', { householdId: household, caseId, instrumentId: sixFacets, stage: 'intake', assessedOn: '2026-03-01', answers: await sixAnswers('2', '0') }, users.w1.token);
    first = v.id;
    // 12 risk items × 2 = 24 ≥ 16 → 高.
    expect(v).toMatchObject({ suggestedLevel: '高', confirmedLevel: null, caseNo: '115-000001', stage: 'intake', workerName: 'aw1姓名', instrumentName: '六大面向風險與保護因子評估' });
    expect(v.result.scores).toMatchObject({ risk: 24, protective: 0 });
    expect(v.result.domains[0]).toEqual({ key: 'economic', label: '家庭經濟陷困', risk: 4, riskMax: 6, protective: 0, protectiveMax: 2 });
  });

  it('an override needs a reason, and a refused confirmation leaves the case as it was', async () => {
    const v = await t.call('assessments.get', { id: first }, users.w1.token);
    const refused = await t.raw('assessments.confirm', { id: first, version: v.version, level: '中' }, users.w1.token);
    expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { overrideReason: '建議等級為「高」，選擇其他等級時請填寫理由' } } });
    expect(await db.selectFrom('cases').select(['risk_level', 'version']).where('id', '=', caseId).executeTakeFirstOrThrow()).toEqual({ risk_level: '低', version: 1 });
    expect((await t.call('assessments.get', { id: first }, users.w1.token)).confirmedLevel).toBeNull();
  });

  it('confirming sets the case risk level in the same call, with its audit row; the reassessment date follows the rules; then read-only', async () => {
    const v = await t.call('assessments.get', { id: first }, users.w1.token);
    const c = await t.call('assessments.confirm', { id: first, version: v.version, level: '中', overrideReason: '案家已有親友協助，評估高估' }, users.w1.token);
    expect(c).toMatchObject({ confirmedLevel: '中', suggestedLevel: '高', overrideReason: '案家已有親友協助，評估高估', reassessDue: '2026-08-28' }); // 2026-03-01 + 180 days
    expect(await db.selectFrom('cases').select(['risk_level', 'version', 'updated_by']).where('id', '=', caseId).executeTakeFirstOrThrow()).toEqual({ risk_level: '中', version: 2, updated_by: users.w1.id });
    const audits = await db.selectFrom('audit_log').select(['entity', 'entity_id', 'action', 'detail']).where('entity', 'in', ['case', 'assessment']).where('action', '=', 'update').orderBy('id').execute();
    const caseRow = audits.find((r) => r.entity === 'case')!;
    expect(JSON.parse(caseRow.detail!)).toEqual({ caseNo: '115-000001', changed: ['riskLevel'], riskLevel: { before: '低', after: '中' }, assessmentId: first });
    for (const r of audits) expect(r.detail).not.toContain('親友');

    expect(await t.raw('assessments.save', { id: first, version: c.version, answers: await sixAnswers('0', '0') }, users.w1.token)).toMatchObject({ ok: false, error: { code: 'RULE' } });
    expect(await t.raw('assessments.confirm', { id: first, version: c.version, level: '高' }, users.w1.token)).toMatchObject({ ok: false, error: { code: 'RULE' } });
    expect(await t.raw('assessments.delete', { id: first, version: c.version }, users.w1.token)).toMatchObject({ ok: false, error: { code: 'RULE' } });
  });

  it('a second assessment: agreeing with the suggestion needs no reason; list newest first; compare per domain', async () => {
    const draft = await t.call('assessments.save', { householdId: household, caseId, instrumentId: sixFacets, stage: 'review', assessedOn: '2026-03-04', answers: await sixAnswers('1', '0') }, users.w1.token);
    expect(draft.suggestedLevel).toBe('中'); // 12 ≥ 8
    const edited = await t.call('assessments.save', { id: draft.id, version: draft.version, answers: await sixAnswers('0', '1') }, users.w1.token);
    expect([edited.suggestedLevel, edited.version]).toEqual(['低', 2]);
    const done = await t.call('assessments.confirm', { id: draft.id, version: edited.version, level: '低' }, users.w1.token);
    expect([done.overrideReason, done.reassessDue]).toEqual([null, '2027-03-04']); // + 365
    expect((await db.selectFrom('cases').select('risk_level').where('id', '=', caseId).executeTakeFirstOrThrow()).risk_level).toBe('低');

    const list = await t.call('assessments.list', { caseId }, users.w1.token);
    expect(list.map((s) => [s.assessedOn, s.confirmedLevel])).toEqual([
      ['2026-03-04', '低'],
      ['2026-03-01', '中'],
    ]);
    expect((await t.call('assessments.list', { householdId: household }, users.sup1.token)).length).toBe(2);
    const cmp = await t.call('assessments.compare', { earlierId: first, laterId: draft.id }, users.w1.token);
    expect(cmp.domains[0]).toEqual({ key: 'economic', label: '家庭經濟陷困', riskChange: -4, protectiveChange: 1 });
    expect(cmp.domains[5]).toEqual({ key: 'adaptation', label: '個人生活適應困難', riskChange: -4, protectiveChange: 2 });
  });

  it('exports an assessment as a FHIR QuestionnaireResponse, audited as an export', async () => {
    const r = await t.call('assessments.exportFhir', { id: first }, users.w1.token);
    expect(r).toMatchObject({
      resourceType: 'QuestionnaireResponse',
      id: `assessment-${first}`,
      questionnaire: 'https://welfare-desk.local/fhir/Questionnaire/six-facets|1',
      status: 'completed',
      subject: { reference: `Patient/${head}` },
      author: { reference: `Practitioner/${users.w1.id}` },
    });
    expect(r.item[0]!.item![0]).toEqual({ linkId: '1.1', text: '家庭收入不足以支應基本生活開銷', answer: [{ valueCoding: { code: '2', display: '明顯' } }] });
    const audit = await db.selectFrom('audit_log').select(['action', 'detail']).where('entity', '=', 'assessment').where('entity_id', '=', String(first)).where('action', '=', 'export').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail!)).toEqual({ householdId: household, caseId, format: 'fhir-questionnaire-response' });
    expect(await db.selectFrom('audit_log').select('id').where('entity', '=', 'assessment').where('action', '=', 'view').execute()).not.toHaveLength(0);
  });

  it("another team's 社工 and 督導 get the standard not-found", async () => {
    for (const u of [users.w2, users.sup2]) {
      for (const [m, input] of [
        ['assessments.get', { id: first }],
        ['assessments.exportFhir', { id: first }],
        ['assessments.list', { householdId: household }],
        ['assessments.list', { caseId }],
        ['assessments.compare', { earlierId: first, laterId: first }],
        ['assessments.save', { householdId: household, instrumentId: sixFacets, stage: 'intake', assessedOn: '2026-03-01', answers: [] }],
      ] as const) {
        expect(await t.raw(m, input, u.token)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      }
    }
  });
});

describe('visit-frequency rules', () => {
  it('lists the seeded rules; only a 管理者 changes them; a confirmation then uses the new interval', async () => {
    expect(await t.call('visitRules.list', {}, users.w1.token)).toEqual([
      { level: '高', visitEveryDays: 14, reassessEveryDays: 90 },
      { level: '中', visitEveryDays: 30, reassessEveryDays: 180 },
      { level: '低', visitEveryDays: 90, reassessEveryDays: 365 },
    ]);
    const rules = [
      { level: '高' as const, visitEveryDays: 7, reassessEveryDays: 60 },
      { level: '中' as const, visitEveryDays: 30, reassessEveryDays: 120 },
      { level: '低' as const, visitEveryDays: 60, reassessEveryDays: 365 },
    ];
    expect(await t.raw('visitRules.save', { rules }, users.sup1.token)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await t.raw('visitRules.save', { rules: rules.slice(0, 2) }, adminToken)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await t.call('visitRules.save', { rules }, adminToken)).toEqual(rules);
    const d = await t.call('assessments.save', { householdId: household, instrumentId: sixFacets, stage: 'review', assessedOn: '2026-03-05', answers: await sixAnswers('3', '0') }, users.w1.token);
    const c = await t.call('assessments.confirm', { id: d.id, version: d.version, level: '高' }, users.w1.token);
    expect(c.reassessDue).toBe('2026-05-04'); // 2026-03-05 + 60 days
  });
});

describe('indicators', () => {
  // By now the household has three confirmed assessments, all confirmed at the clock (2026-03-05 10:00 Taipei):
  // 2026-03-01 intake 中, 2026-03-04 review 低, 2026-03-05 review 高 (the test tool's two drafts were deleted).
  const Q1 = { from: '2026-01-01', to: '2026-03-31' };
  it('評估完成數: confirmed assessments dated in the period, by stage and level; none before they were confirmed', async () => {
    const done = getIndicator('assessments.confirmed')!;
    expect((await done.compute(db, { period: Q1 })).total.value).toBe(3);
    const byStage = await done.compute(db, { period: Q1, breakdown: ['assessmentStage'] });
    expect(byStage.rows.map((r) => [r.keys.assessmentStage, r.value])).toEqual([
      ['intake', 1],
      ['review', 2],
    ]);
    const byLevel = await done.compute(db, { period: Q1, breakdown: ['riskLevel'] });
    expect(byLevel.rows.map((r) => [r.keys.riskLevel, r.value])).toEqual([
      ['高', 1],
      ['中', 1],
      ['低', 1],
    ]);
    // A period ending 2026-03-04: the assessments of 03-01 and 03-04 were confirmed only on 03-05.
    expect((await done.compute(db, { period: { from: '2026-03-01', to: '2026-03-04' } })).total.value).toBe(0);
    const team2 = (await db.selectFrom('users').select('team_id').where('id', '=', users.w2.id).executeTakeFirstOrThrow()).team_id!;
    expect((await done.compute(db, { period: Q1, teams: [team2] })).total.value).toBe(0);
  });

  it('風險等級分布: each household once, by its latest confirmed level at the period end', async () => {
    const dist = getIndicator('households.riskLevel')!;
    const r = await dist.compute(db, { period: Q1, breakdown: ['riskLevel'] });
    expect(r.total.value).toBe(1);
    expect(r.rows.map((x) => [x.keys.riskLevel, x.value])).toEqual([['高', 1]]);
  });
});
