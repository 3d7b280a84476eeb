import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiInput } from '../../main/contract/api';
import type { RiskLevel } from '../../main/contract/types-cases';
import { createFixture, refused, type Fixture } from './cases-fixture';

/**
 * 訪視到期 and 再評估到期 (issue 14 §1): the next visit follows the confirmed level's 訪視頻率, counted from the
 * last 家訪／面訪 (else the confirmation, else the opening); the reassessment from the latest confirmed
 * assessment. Assessments and rules are written straight into the tables of migration 0028 so these lists
 * are tested on their own; the clock is moved, never read.
 */
describe('worklists driven by the confirmed level', () => {
  let f: Fixture;
  let versionId: number;
  beforeAll(async () => {
    f = await createFixture();
    const db = f.t.app.ctx.db;
    const ts = f.t.clock.now.toISOString();
    const inst = await db
      .insertInto('instruments')
      .values({ code: 'wl-test', name: '測試工具', description: null, created_at: ts, created_by: null, updated_at: ts, updated_by: null })
      .returning('id')
      .executeTakeFirstOrThrow();
    const def = { domains: [], items: [{ linkId: '1', text: '測試', type: 'boolean' }], rules: [] };
    versionId = (
      await db
        .insertInto('instrument_versions')
        .values({ instrument_id: inst.id, version_no: 1, definition: JSON.stringify(def), effective_from: '2026-01-01', effective_to: null, note: null, created_at: ts, created_by: null })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    await setRules({ 高: 14, 中: 30, 低: 90 });
  });
  afterAll(async () => {
    await f.close();
  });

  const at = (iso: string) => {
    f.t.clock.now = new Date(`${iso}T02:00:00.000Z`); // 10:00 in Taipei
  };

  async function setRules(days: Record<RiskLevel, number>) {
    const db = f.t.app.ctx.db;
    await db.deleteFrom('visit_frequency_rules').execute();
    const ts = f.t.clock.now.toISOString();
    await db
      .insertInto('visit_frequency_rules')
      .values((['高', '中', '低'] as const).map((level) => ({ level, visit_every_days: days[level], reassess_every_days: days[level] * 4, updated_at: ts, updated_by: null })))
      .execute();
  }

  /** A confirmed assessment of a case, confirmed at 10:00 Taipei on `on`. */
  async function confirmed(c: { id: number; householdId: number }, level: RiskLevel, on: string, reassessDue: string | null) {
    const ts = `${on}T02:00:00.000Z`;
    return (
      await f.t.app.ctx.db
        .insertInto('assessments')
        .values({
          household_id: c.householdId,
          case_id: c.id,
          concern_id: null,
          instrument_version_id: versionId,
          stage: 'review',
          assessed_on: on,
          worker_id: f.w1.id,
          team_id: f.team1,
          answers: '[]',
          result: '{}',
          suggested_level: level,
          confirmed_level: level,
          override_reason: null,
          confirmed_at: ts,
          confirmed_by: f.w1.id,
          reassess_due: reassessDue,
          created_at: ts,
          created_by: f.w1.id,
          updated_at: ts,
          updated_by: f.w1.id,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  }

  const visit = (c: { id: number; householdId: number }, occurredAt: string, method: ApiInput<'records.create'>['method']): ApiInput<'records.create'> => ({
    householdId: c.householdId,
    caseId: c.id,
    occurredAt,
    method,
    participants: [],
    minutes: 30,
    items: ['福利諮詢'],
    narrative: '',
  });

  const dueRow = async (who: Fixture['w1'], caseId: number) => (await f.call(who, 'worklists.visitsDue', { limit: 200 })).rows.find((r) => r.caseId === caseId);

  it('the next visit counts from the opening, then the confirmation, then the last home visit; level and rules move it', async () => {
    at('2026-03-05');
    const c = await f.caseIn('處遇中'); // 中 at intake, opened today
    expect(c.status).toBe('處遇中');
    expect(await dueRow(f.w1, c.id)).toBeUndefined();
    expect((await f.call(f.w1, 'worklists.caseVisitSchedule', { caseId: c.id })).nextVisitOn).toBe('2026-04-04');

    at('2026-04-04'); // 30 days (中) after the opening: due today
    expect(await dueRow(f.w1, c.id)).toMatchObject({ level: '中', levelSource: 'case', visitEveryDays: 30, lastVisitOn: null, nextVisitOn: '2026-04-04', daysOverdue: 0, lead: { id: f.w1.id } });

    // A confirmed 高 assessment on 04/01: 14 days from the confirmation.
    await confirmed(c, '高', '2026-04-01', null);
    expect(await dueRow(f.w1, c.id)).toBeUndefined();
    at('2026-04-17');
    expect(await dueRow(f.w1, c.id)).toMatchObject({ level: '高', levelSource: 'assessment', baseOn: '2026-04-01', nextVisitOn: '2026-04-15', daysOverdue: 2 });

    // The administrator shortens 高 to 7 days: due moves to 04/08.
    await setRules({ 高: 7, 中: 30, 低: 90 });
    expect(await dueRow(f.w1, c.id)).toMatchObject({ nextVisitOn: '2026-04-08', daysOverdue: 9, visitEveryDays: 7 });
    // A later confirmed assessment at 低 (90 days) takes it off the list.
    await confirmed(c, '低', '2026-04-10', null);
    expect(await dueRow(f.w1, c.id)).toBeUndefined();
    expect(await f.call(f.w1, 'worklists.caseVisitSchedule', { caseId: c.id })).toMatchObject({ level: '低', nextVisitOn: '2026-07-09', visitEveryDays: 90 });
    await confirmed(c, '高', '2026-04-11', null);
    expect(await dueRow(f.w1, c.id)).toBeUndefined();
    at('2026-04-20');
    expect(await dueRow(f.w1, c.id)).toMatchObject({ level: '高', nextVisitOn: '2026-04-18', daysOverdue: 2 });

    // A phone call does not count as a visit; a home visit does, and clears it.
    await f.call(f.w1, 'records.create', visit(c, '2026-04-19T02:00:00.000Z', '電訪家庭'));
    expect(await dueRow(f.w1, c.id)).toMatchObject({ lastVisitOn: null, nextVisitOn: '2026-04-18' });
    await f.call(f.w1, 'records.create', visit(c, '2026-04-19T03:00:00.000Z', '面訪家庭'));
    expect(await dueRow(f.w1, c.id)).toBeUndefined();
    expect(await f.call(f.w1, 'worklists.caseVisitSchedule', { caseId: c.id })).toMatchObject({ lastVisitOn: '2026-04-19', nextVisitOn: '2026-04-26' });
    at('2026-04-27');
    expect(await dueRow(f.w1, c.id)).toMatchObject({ lastVisitOn: '2026-04-19', baseOn: '2026-04-19', nextVisitOn: '2026-04-26', daysOverdue: 1 });
  });

  it('scope: the lead and assistants, the supervisor of the team; not another worker or team', async () => {
    at('2026-03-05');
    const c = await f.caseIn('處遇中');
    await f.call(f.sup1, 'cases.assign', { id: c.id, leadWorkerId: f.w1.id, assistantIds: [f.w2.id] });
    const other = await f.intake(f.w3, { riskLevel: '高' });
    at('2026-06-01');
    expect(await dueRow(f.w1, c.id)).toBeDefined();
    expect(await dueRow(f.w2, c.id)).toBeDefined(); // 協力
    expect(await dueRow(f.sup1, c.id)).toBeDefined();
    expect(await dueRow(f.admin, c.id)).toBeDefined();
    expect(await dueRow(f.sup2, c.id)).toBeUndefined();
    expect(await dueRow(f.w3, c.id)).toBeUndefined();
    expect((await f.call(f.sup1, 'worklists.visitsDue', { workerId: f.w1.id, limit: 200 })).rows.map((r) => r.caseId)).toContain(c.id);
    expect((await refused(f.call(f.w3, 'worklists.visitsDue', { workerId: f.w1.id }))).code).toBe('FORBIDDEN');
    expect((await refused(f.call(f.w3, 'worklists.caseVisitSchedule', { caseId: c.id }))).code).toBe('NOT_FOUND');
    // A case not yet opened (評估中) is not on the visit list.
    expect(await dueRow(f.w3, other.id)).toBeUndefined();
    const total = (await f.call(f.w1, 'worklists.visitsDue', { limit: 1 })).total;
    expect(total).toBeGreaterThanOrEqual(1);
  });

  it('再評估到期: the latest confirmed assessment whose date has come; a later one replaces it', async () => {
    at('2026-03-05');
    const c = await f.caseIn('處遇中');
    const first = await confirmed(c, '中', '2026-03-05', '2026-06-03');
    at('2026-06-02');
    const list = async (who: Fixture['w1']) => (await f.call(who, 'worklists.reassessmentsDue', { limit: 200 })).rows.filter((r) => r.caseId === c.id);
    expect(await list(f.w1)).toEqual([]);
    at('2026-06-05');
    expect(await list(f.w1)).toEqual([expect.objectContaining({ assessmentId: first, reassessDue: '2026-06-03', daysOverdue: 2, confirmedLevel: '中', worker: { id: f.w1.id, name: expect.any(String) } })]);
    expect(await list(f.sup1)).toHaveLength(1);
    expect(await list(f.sup2)).toEqual([]);
    expect(await list(f.w3)).toEqual([]);
    expect(await f.call(f.w1, 'worklists.caseVisitSchedule', { caseId: c.id })).toMatchObject({ reassessDue: '2026-06-03' });
    await confirmed(c, '中', '2026-06-04', '2026-09-02');
    expect(await list(f.w1)).toEqual([]);
  });
});
