import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiInput } from '../../main/contract/api';
import { createFixture, refused, type Fixture } from './cases-fixture';

describe('worklists, as time passes', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture();
  });
  afterAll(async () => {
    await f.close();
  });

  const visit = (householdId: number, extra: Partial<ApiInput<'records.create'>>): ApiInput<'records.create'> => ({
    householdId,
    occurredAt: f.ago(10),
    method: '電訪家庭',
    participants: [],
    minutes: 15,
    items: ['福利諮詢'],
    narrative: '',
    ...extra,
  });

  it('my caseload: cases I lead or assist, filtered, searched and sorted', async () => {
    const a = await f.intake(f.w1, { riskLevel: '低' });
    const hh = await f.household(f.w2, { head: '歐陽春嬌' });
    const b = await f.call(f.w2, 'cases.intake', { householdId: hh.id, source: 'C', receivedAt: f.ago(5), caseType: '急難紓困', factors: [], riskLevel: '高', leadWorkerId: f.w2.id, assistantIds: [f.w1.id] });
    const closed = await f.caseIn('已結案');
    const notMine = await f.intake(f.w2);

    const mine = await f.call(f.w1, 'worklists.myCaseload', {});
    const ids = mine.rows.map((r) => r.id);
    expect(ids).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(ids).not.toContain(closed.id);
    expect(ids).not.toContain(notMine.id);
    expect(mine.rows.find((r) => r.id === b.id)).toMatchObject({ myRole: 'assistant', headName: '歐陽春嬌', lead: { id: f.w2.id }, status: '評估中' });
    expect(mine.rows.find((r) => r.id === a.id)?.myRole).toBe('lead');

    const all = await f.call(f.w1, 'worklists.myCaseload', { status: 'all' });
    expect(all.rows.map((r) => r.id)).toContain(closed.id);
    const onlyClosed = await f.call(f.w1, 'worklists.myCaseload', { status: '已結案' });
    expect(onlyClosed.rows.every((r) => r.status === '已結案')).toBe(true);
    expect((await f.call(f.w1, 'worklists.myCaseload', { search: '歐陽' })).rows.map((r) => r.id)).toEqual([b.id]);
    expect((await f.call(f.w1, 'worklists.myCaseload', { search: '陽春嬌' })).rows.map((r) => r.id)).toEqual([b.id]);
    expect((await f.call(f.w1, 'worklists.myCaseload', { search: '歐' })).rows.map((r) => r.id)).toEqual([b.id]);
    expect((await f.call(f.w1, 'worklists.myCaseload', { search: '歐春' })).rows).toEqual([]);
    expect((await f.call(f.w1, 'worklists.myCaseload', { search: a.caseNo })).rows.map((r) => r.id)).toEqual([a.id]);
    expect((await f.call(f.w1, 'worklists.myCaseload', { sort: 'risk' })).rows[0]?.id).toBe(b.id);
    const page = await f.call(f.w1, 'worklists.myCaseload', { limit: 1, offset: 1 });
    expect(page.rows).toHaveLength(1);
    expect(page.total).toBe(mine.total);
  });

  it('team caseload: a supervisor sees their team with counts per worker, not the other team', async () => {
    const other = await f.call(f.w3, 'cases.intake', { householdId: (await f.household(f.w3)).id, source: 'A', receivedAt: f.ago(5), caseType: '其他', factors: [], riskLevel: '低', leadWorkerId: f.w3.id });
    const team = await f.call(f.sup1, 'worklists.teamCaseload', { status: 'all', limit: 200 });
    expect(team.rows.every((r) => r.teamId === f.team1)).toBe(true);
    expect(team.rows.map((r) => r.id)).not.toContain(other.id);
    const w1Row = team.perWorker.find((p) => p.worker.id === f.w1.id);
    const w1Cases = team.rows.filter((r) => r.lead?.id === f.w1.id);
    expect(Object.values(w1Row?.byStatus ?? {}).reduce((s, n) => s + (n ?? 0), 0)).toBe(w1Cases.length);
    expect(w1Row?.active).toBe(w1Cases.filter((r) => !['已結案', '不開案'].includes(r.status)).length);
    expect(team.perWorker.map((p) => p.worker.id)).toEqual(expect.arrayContaining([f.w2.id, f.sup1.id]));

    const byWorker = await f.call(f.sup1, 'worklists.teamCaseload', { workerId: f.w2.id, status: 'all' });
    expect(byWorker.rows.every((r) => r.lead?.id === f.w2.id)).toBe(true);
    expect((await refused(f.call(f.sup1, 'worklists.teamCaseload', { teamId: f.team2 }))).code).toBe('FORBIDDEN');
    const admin = await f.call(f.admin, 'worklists.teamCaseload', { teamId: f.team2, status: 'all' });
    expect(admin.rows.map((r) => r.id)).toEqual([other.id]);
  });

  it('approvals inbox: pending requests of my teams, oldest first', async () => {
    const first = await f.caseIn('開案審查中');
    f.t.clock.advanceMinutes(1);
    const second = await f.caseIn('結案審查中');
    const inbox = await f.call(f.sup1, 'worklists.approvals', {});
    const mine = inbox.filter((r) => [first.id, second.id].includes(r.request.caseId));
    expect(mine.map((r) => [r.request.caseId, r.request.kind])).toEqual([
      [first.id, 'open'],
      [second.id, 'close'],
    ]);
    expect(mine[0]).toMatchObject({ caseNo: first.caseNo, canDecide: true, request: { requestedBy: { id: f.w1.id, name: '張社工' } } });
    expect((await f.call(f.sup2, 'worklists.approvals', {})).some((r) => r.request.caseId === first.id)).toBe(false);
    expect((await f.call(f.admin, 'worklists.approvals', {})).some((r) => r.request.caseId === first.id)).toBe(true);
  });

  it('overdue follow-ups appear once the date has passed and leave when the family is served again', async () => {
    const c = await f.intake(f.w1);
    const rec = await f.call(f.w1, 'records.create', visit(c.householdId, { caseId: c.id, nextFollowUp: '2026-03-10' }));
    const before = await f.call(f.w1, 'worklists.overdueFollowUps', {});
    expect(before.rows.map((r) => r.serviceId)).not.toContain(rec.id);

    f.t.clock.now = new Date('2026-03-11T01:00:00.000Z');
    const due = await f.call(f.w1, 'worklists.overdueFollowUps', {});
    expect(due.rows.find((r) => r.serviceId === rec.id)).toMatchObject({ caseId: c.id, nextFollowUp: '2026-03-10', daysOverdue: 1, worker: { id: f.w1.id } });
    expect((await f.call(f.sup1, 'worklists.overdueFollowUps', {})).rows.map((r) => r.serviceId)).toContain(rec.id);
    expect((await f.call(f.sup1, 'worklists.overdueFollowUps', { workerId: f.w2.id })).rows.map((r) => r.serviceId)).not.toContain(rec.id);
    expect((await f.call(f.sup2, 'worklists.overdueFollowUps', {})).rows.map((r) => r.serviceId)).not.toContain(rec.id);
    expect((await f.call(f.w2, 'worklists.overdueFollowUps', {})).rows.map((r) => r.serviceId)).not.toContain(rec.id);
    expect((await refused(f.call(f.w2, 'worklists.overdueFollowUps', { workerId: f.w1.id }))).code).toBe('FORBIDDEN');

    await f.call(f.w1, 'records.create', visit(c.householdId, { caseId: c.id, occurredAt: f.ago(5) }));
    expect((await f.call(f.w1, 'worklists.overdueFollowUps', {})).rows.map((r) => r.caseId)).not.toContain(c.id);
  });

  it('overdue concern visits follow the clock', async () => {
    f.t.clock.now = new Date('2026-04-01T01:00:00.000Z');
    const hh = await f.household(f.w1);
    const ts = f.t.clock.now.toISOString();
    const concern = await f.t.app.ctx.db
      .insertInto('long_term_concerns')
      .values({ household_id: hh.id, reason: '獨居長者', reason_note: null, start_date: '2026-03-01', frequency: 'monthly', interval_days: null, worker_id: f.w1.id, team_id: f.team1, next_due: '2026-04-10', last_visit_on: null, from_case_id: null, end_date: null, end_reason: null, to_case_id: null, created_at: ts, created_by: f.w1.id, updated_at: ts, updated_by: f.w1.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect((await f.call(f.w1, 'worklists.overdueConcernVisits', {})).rows.map((r) => r.concernId)).not.toContain(concern.id);
    f.t.clock.now = new Date('2026-04-12T01:00:00.000Z');
    const late = await f.call(f.w1, 'worklists.overdueConcernVisits', {});
    expect(late.rows.find((r) => r.concernId === concern.id)).toMatchObject({ nextDue: '2026-04-10', daysOverdue: 2, reason: '獨居長者', headName: expect.any(String) });
    expect((await f.call(f.sup1, 'worklists.overdueConcernVisits', {})).total).toBeGreaterThanOrEqual(1);
    expect((await f.call(f.sup2, 'worklists.overdueConcernVisits', {})).rows.map((r) => r.concernId)).not.toContain(concern.id);
    await f.call(f.w1, 'records.create', visit(hh.id, { concernId: concern.id, method: '面訪家庭' }));
    expect((await f.call(f.w1, 'worklists.overdueConcernVisits', {})).rows.map((r) => r.concernId)).not.toContain(concern.id);
  });

  it('dispatched cases not contacted within 24 hours', async () => {
    f.t.clock.now = new Date('2026-05-04T01:00:00.000Z');
    const c = await f.intake(f.w1, { receivedAt: f.ago(10) });
    f.t.clock.advanceMinutes(23 * 60);
    expect((await f.call(f.w1, 'worklists.uncontacted24h', {})).map((r) => r.caseId)).not.toContain(c.id);
    f.t.clock.advanceMinutes(2 * 60);
    const late = await f.call(f.w1, 'worklists.uncontacted24h', {});
    expect(late.find((r) => r.caseId === c.id)).toMatchObject({ caseNo: c.caseNo, hoursSinceDispatch: 25, lead: { id: f.w1.id } });
    expect((await f.call(f.sup1, 'worklists.uncontacted24h', {})).map((r) => r.caseId)).toContain(c.id);
    await f.call(f.w1, 'records.create', visit(c.householdId, { caseId: c.id, occurredAt: f.ago(1) }));
    expect((await f.call(f.w1, 'worklists.uncontacted24h', {})).map((r) => r.caseId)).not.toContain(c.id);
  });

  it('the visit calendar shows a week of follow-ups, concern visits and services, by Taipei day', async () => {
    f.t.clock.now = new Date('2026-06-10T04:00:00.000Z'); // Wednesday, noon in Taipei
    const c = await f.intake(f.w1, { receivedAt: '2026-06-08T01:00:00.000Z' });
    // 2026-06-08 17:30 UTC is 06-09 01:30 in Taipei.
    const late = await f.call(f.w1, 'records.create', visit(c.householdId, { caseId: c.id, occurredAt: '2026-06-08T17:30:00.000Z', nextFollowUp: '2026-06-12' }));
    const early = await f.call(f.w1, 'records.create', visit(c.householdId, { caseId: c.id, occurredAt: '2026-06-08T02:00:00.000Z', nextFollowUp: '2026-06-09' }));
    const hh = await f.household(f.w1);
    const ts = f.t.clock.now.toISOString();
    const concern = await f.t.app.ctx.db
      .insertInto('long_term_concerns')
      .values({ household_id: hh.id, reason: '身障', reason_note: null, start_date: '2026-01-01', frequency: 'quarterly', interval_days: null, worker_id: f.w1.id, team_id: f.team1, next_due: '2026-06-11', last_visit_on: null, from_case_id: null, end_date: null, end_reason: null, to_case_id: null, created_at: ts, created_by: f.w1.id, updated_at: ts, updated_by: f.w1.id })
      .returning('id')
      .executeTakeFirstOrThrow();

    const week = await f.call(f.w1, 'worklists.visitCalendar', { weekStart: '2026-06-08' });
    expect(week.days.map((d) => d.date)).toEqual(['2026-06-08', '2026-06-09', '2026-06-10', '2026-06-11', '2026-06-12', '2026-06-13', '2026-06-14']);
    const day = (d: string) => week.days.find((x) => x.date === d);
    expect(day('2026-06-08')?.records.map((r) => r.serviceId)).toEqual([early.id]);
    expect(day('2026-06-09')?.records.map((r) => r.serviceId)).toEqual([late.id]);
    // The 06-09 follow-up was met by the later service; the 06-12 one is still open.
    expect(day('2026-06-09')?.followUps).toEqual([expect.objectContaining({ serviceId: early.id, done: true })]);
    expect(day('2026-06-12')?.followUps).toEqual([expect.objectContaining({ serviceId: late.id, done: false, caseNo: c.caseNo })]);
    expect(day('2026-06-11')?.concernVisits).toEqual([expect.objectContaining({ concernId: concern.id, reason: '身障' })]);

    const forSupervisor = await f.call(f.sup1, 'worklists.visitCalendar', { weekStart: '2026-06-08', workerId: f.w1.id });
    expect(forSupervisor.worker?.id).toBe(f.w1.id);
    expect((await refused(f.call(f.sup2, 'worklists.visitCalendar', { weekStart: '2026-06-08', workerId: f.w1.id }))).code).toBe('FORBIDDEN');
    expect((await refused(f.call(f.w2, 'worklists.visitCalendar', { weekStart: '2026-06-08', workerId: f.w1.id }))).code).toBe('FORBIDDEN');
    const otherWorker = await f.call(f.w2, 'worklists.visitCalendar', { weekStart: '2026-06-08' });
    expect(otherWorker.days.every((d) => d.records.length === 0 && d.followUps.length === 0)).toBe(true);
  });
});
