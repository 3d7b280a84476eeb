import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiInput } from '../../main/contract/api';
import { createFixture, refused, type Fixture } from './cases-fixture';

describe('service records and referrals', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture();
  });
  afterAll(async () => {
    await f.close();
  });

  const visit = (householdId: number, extra: Partial<ApiInput<'records.create'>> = {}): ApiInput<'records.create'> => ({
    householdId,
    occurredAt: f.ago(30),
    method: '面訪家庭',
    participants: [],
    minutes: 60,
    items: ['福利諮詢', '情緒支持'],
    narrative: '案母表示近來睡不好，討論就業與托育安排。',
    nextFollowUp: '2026-03-19',
    ...extra,
  });

  it('a home visit on a case: listed without its narrative, first contact set, audited without the text', async () => {
    const c = await f.intake(f.w1);
    const members = await f.t.app.ctx.db.selectFrom('household_members').select('person_id').where('household_id', '=', c.householdId).execute();
    const rec = await f.call(f.w1, 'records.create', visit(c.householdId, { caseId: c.id, participants: members.slice(0, 2).map((m) => m.person_id) }));
    expect(rec).toMatchObject({ caseId: c.id, caseNo: c.caseNo, method: '面訪家庭', minutes: 60, hasNarrative: true, nextFollowUp: '2026-03-19', worker: { id: f.w1.id } });
    expect(rec.participants).toHaveLength(2);
    expect(rec).not.toHaveProperty('narrative');
    const after = await f.call(f.w1, 'cases.get', { id: c.id });
    expect(after.firstContactAt).toBe(f.ago(30));

    const list = await f.call(f.w1, 'records.list', { caseId: c.id });
    expect(list.total).toBe(1);
    expect(JSON.stringify(list)).not.toContain('睡不好');
    const byHousehold = await f.call(f.w1, 'records.list', { householdId: c.householdId });
    expect(byHousehold.rows.map((r) => r.id)).toEqual([rec.id]);

    const n = await f.call(f.w2, 'records.narrative', { id: rec.id }).catch((e: { body: { code: string } }) => e.body);
    expect(n).toMatchObject({ code: 'NOT_FOUND' });
    const text = await f.call(f.w1, 'records.narrative', { id: rec.id });
    expect(text.narrative).toBe('案母表示近來睡不好，討論就業與托育安排。');
    const views = await f.t.app.ctx.db.selectFrom('audit_log').selectAll().where('entity', '=', 'service_record.narrative').execute();
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({ action: 'view', actor_id: f.w1.id, entity_id: String(rec.id) });
    const everything = await f.t.app.ctx.db.selectFrom('audit_log').selectAll().execute();
    expect(JSON.stringify(everything)).not.toContain('睡不好');
  });

  it('participants must be members of the household on that day', async () => {
    const c = await f.intake(f.w1);
    const stranger = await f.household(f.w1);
    const err = await refused(f.call(f.w1, 'records.create', visit(c.householdId, { caseId: c.id, participants: [stranger.persons[0] as number] })));
    expect(err.code).toBe('RULE');
    expect(err.message).toContain('不是這個家戶的成員');
  });

  it('a record must hang on a case or a concern, not in the future, with a follow-up after it', async () => {
    const c = await f.intake(f.w1);
    const env = await f.raw(f.w1, 'records.create', visit(c.householdId));
    expect(env.ok).toBe(false);
    const future = await refused(f.call(f.w1, 'records.create', visit(c.householdId, { caseId: c.id, occurredAt: new Date(f.t.clock.now.getTime() + 3600_000).toISOString() })));
    expect(future.code).toBe('RULE');
    const before = await refused(f.call(f.w1, 'records.create', visit(c.householdId, { caseId: c.id, nextFollowUp: '2026-03-01' })));
    expect(before.code).toBe('RULE');
    const other = await f.intake(f.w1);
    const wrongHousehold = await refused(f.call(f.w1, 'records.create', visit(other.householdId, { caseId: c.id })));
    expect(wrongHousehold.code).toBe('RULE');
  });

  it('no records on a closed case', async () => {
    const c = await f.caseIn('已結案');
    const err = await refused(f.call(f.w1, 'records.create', visit(c.householdId, { caseId: c.id })));
    expect(err.code).toBe('RULE');
    expect(err.message).toContain('「已結案」');
  });

  it('editing a record is versioned, keeps the narrative unless given, and is audited by field name only', async () => {
    const c = await f.intake(f.w1);
    const rec = await f.call(f.w1, 'records.create', visit(c.householdId, { caseId: c.id }));
    const base = { id: rec.id, occurredAt: rec.occurredAt, method: rec.method, participants: [], minutes: 45, items: rec.items, nextFollowUp: null, reason: '更正服務時間' };
    f.t.clock.advanceMinutes(3);
    const bySup = await f.call(f.sup1, 'records.update', { ...base, version: rec.version });
    expect(bySup).toMatchObject({ minutes: 45, hasNarrative: true, version: rec.version + 1 });
    const stale = await refused(f.call(f.w1, 'records.update', { ...base, version: rec.version, narrative: '新的內容' }));
    expect(stale.code).toBe('CONFLICT');
    expect(stale.message).toContain('王督導');
    expect(stale.details?.updatedBy).toBe('王督導');
    await f.call(f.w1, 'records.update', { ...base, minutes: 50, version: bySup.version, narrative: '補充：案父已找到工作。' });
    expect((await f.call(f.w1, 'records.narrative', { id: rec.id })).narrative).toBe('補充：案父已找到工作。');
    const audit = await f.t.app.ctx.db.selectFrom('audit_log').selectAll().where('entity', '=', 'service_record').where('entity_id', '=', String(rec.id)).execute();
    expect(audit.map((a) => a.action)).toEqual(['create', 'update', 'update']);
    expect(audit[2]?.detail).toContain('narrative');
    expect(JSON.stringify(audit)).not.toContain('找到工作');
    const other = await refused(f.call(f.w2, 'records.update', { ...base, version: 3 }));
    expect(other.code).toBe('NOT_FOUND');
  });

  it('a visit to a long-term concern household moves its next due date', async () => {
    const hh = await f.household(f.w1);
    const ts = f.t.clock.now.toISOString();
    const concern = await f.t.app.ctx.db
      .insertInto('long_term_concerns')
      .values({ household_id: hh.id, reason: '獨居長者', reason_note: null, start_date: '2026-01-01', frequency: 'monthly', interval_days: null, worker_id: f.w1.id, team_id: f.team1, next_due: '2026-02-01', last_visit_on: null, from_case_id: null, end_date: null, end_reason: null, to_case_id: null, created_at: ts, created_by: f.w1.id, updated_at: ts, updated_by: f.w1.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    const rec = await f.call(f.w1, 'records.create', visit(hh.id, { concernId: concern.id, method: '面訪家庭' }));
    expect(rec.concernId).toBe(concern.id);
    const after = await f.t.app.ctx.db.selectFrom('long_term_concerns').select(['last_visit_on', 'next_due']).where('id', '=', concern.id).executeTakeFirstOrThrow();
    expect(after).toEqual({ last_visit_on: '2026-03-05', next_due: '2026-04-05' });
    const list = await f.call(f.w1, 'records.list', { householdId: hh.id });
    expect(list.rows.map((r) => r.id)).toEqual([rec.id]);
  });

  it('a referral made with a record follows its own status flow with history', async () => {
    const c = await f.caseIn('處遇中');
    const rec = await f.call(f.w1, 'records.create', visit(c.householdId, { caseId: c.id, items: ['資源轉介'], referral: { unitKind: '勞政', unitName: '南投就業中心', reason: '案父求職' } }));
    expect(rec.referralIds).toHaveLength(1);
    const id = rec.referralIds[0] as number;
    const [ref] = await f.call(f.w1, 'referrals.list', { caseId: c.id });
    expect(ref).toMatchObject({ id, status: '轉介等待中', unitKind: '勞政', referredOn: '2026-03-05', caseNo: c.caseNo });
    expect(ref?.history.map((h) => h.status)).toEqual(['轉介等待中']);
    await f.call(f.w1, 'referrals.updateStatus', { id, status: '受案', note: '就服員已聯繫' });
    const done = await f.call(f.w1, 'referrals.updateStatus', { id, status: '轉介完成' });
    expect(done.history.map((h) => h.status)).toEqual(['轉介等待中', '受案', '轉介完成']);
    const bad = await refused(f.call(f.w1, 'referrals.updateStatus', { id, status: '受案' }));
    expect(bad.code).toBe('RULE');
    expect(bad.message).toContain('「轉介完成」');
    const stale = await refused(f.call(f.w1, 'referrals.updateStatus', { id, version: 1, status: '轉介失敗' }));
    expect(stale.code).toBe('CONFLICT');
    expect((await f.call(f.w1, 'referrals.list', { householdId: c.householdId })).map((r) => r.id)).toEqual([id]);
    expect((await refused(f.call(f.w3, 'referrals.list', { caseId: c.id }))).code).toBe('NOT_FOUND');
  });

  it('a sent-back referral can be sent again', async () => {
    const c = await f.caseIn('處遇中');
    const rec = await f.call(f.w1, 'records.create', visit(c.householdId, { caseId: c.id, referral: { unitKind: '衛政', unitName: '社區心理衛生中心', reason: '情緒困擾' } }));
    const id = rec.referralIds[0] as number;
    await f.call(f.w1, 'referrals.updateStatus', { id, status: '退回', note: '資料不全' });
    const again = await f.call(f.w1, 'referrals.updateStatus', { id, status: '轉介等待中', note: '補件後再送' });
    expect(again.status).toBe('轉介等待中');
  });
});
