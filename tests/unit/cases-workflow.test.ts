import { todayIso } from '../../main/contract/roc-date';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, refused, type Fixture } from './cases-fixture';

describe('a case from intake to closing', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture();
  });
  afterAll(async () => {
    await f.close();
  });

  it('a worker takes in a family as lead: numbered by ROC year, 評估中, dispatched, history and audit written', async () => {
    const hh = await f.household(f.w1, { head: '陳大明' });
    const c = await f.call(f.w1, 'cases.intake', {
      householdId: hh.id,
      source: 'B',
      referringUnit: '南投縣政府社會及勞動處',
      receivedAt: f.ago(120),
      caseType: '脆弱家庭',
      factors: ['1-01', '3-01'],
      riskLevel: '中',
      leadWorkerId: f.w1.id,
      assistantIds: [f.w2.id],
      summary: '父親失業，家中經濟困難。',
    });
    expect(c.caseNo).toMatch(/^115-\d{6}$/);
    expect(c.status).toBe('評估中');
    expect(c.headName).toBe('陳大明');
    expect(c.dispatchedAt).toBe(f.t.clock.now.toISOString());
    expect(c.team?.id).toBe(f.team1);
    expect(c.assistants.map((a) => a.id)).toEqual([f.w2.id]);
    expect(c.factors.map((x) => x.code)).toEqual(['1-01', '3-01']);
    expect(c.factors[0]?.groupLabel).toBe('家庭經濟陷困');
    expect(c.codeListVersion?.effectiveFrom).toBe('2025-07-01');
    expect(c.history).toEqual([expect.objectContaining({ fromStatus: null, toStatus: '評估中', action: 'intake', by: { id: f.w1.id, name: '張社工' } })]);
    expect(c.allowed).toContain('request-open');
    expect(c.allowed).not.toContain('assign');
    const audit = await f.t.app.ctx.db.selectFrom('audit_log').selectAll().where('entity', '=', 'case').where('entity_id', '=', String(c.id)).execute();
    expect(audit.map((a) => a.action)).toEqual(['create']);
    expect(audit[0]?.detail ?? '').not.toContain('經濟困難');
  });

  it('without a lead the case waits for dispatch; the supervisor assigns it and it moves to 評估中', async () => {
    const c = await f.intake(f.w1, { leadWorkerId: null });
    expect(c.status).toBe('待分派');
    expect(c.dispatchedAt).toBeNull();
    expect(c.team?.id).toBe(f.team1);
    const inbox = await f.call(f.sup1, 'worklists.teamCaseload', { status: '待分派' });
    expect(inbox.rows.map((r) => r.id)).toContain(c.id);
    f.t.clock.advanceMinutes(30);
    const assigned = await f.call(f.sup1, 'cases.assign', { id: c.id, leadWorkerId: f.w2.id, assistantIds: [f.w1.id] });
    expect(assigned.status).toBe('評估中');
    expect(assigned.lead?.id).toBe(f.w2.id);
    expect(assigned.dispatchedAt).toBe(f.t.clock.now.toISOString());
    expect(assigned.history.at(-1)).toMatchObject({ fromStatus: '待分派', toStatus: '評估中', action: 'assign', reason: '派案給 李社工' });
  });

  it('a supervisor may not hand a case to another team’s worker directly', async () => {
    const c = await f.intake(f.w1, { leadWorkerId: null });
    const err = await refused(f.call(f.sup1, 'cases.assign', { id: c.id, leadWorkerId: f.w3.id, assistantIds: [] }));
    expect(err.code).toBe('RULE');
    expect(err.message).toContain('轉案');
  });

  it('the 社工 who asked can withdraw a pending request; nobody else can, and a withdrawn request cannot be decided', async () => {
    const c = await f.intake(f.w1, { factors: [], caseType: '一般福利諮詢' });
    const asked = await f.call(f.w1, 'cases.request', { caseId: c.id, kind: 'open', reason: '需長期陪伴' });
    expect(asked.allowed).toContain('withdraw');
    const requestId = asked.pendingRequest?.id as number;
    expect((await refused(f.call(f.sup1, 'cases.withdraw', { requestId }))).code).toBe('FORBIDDEN');
    const back = await f.call(f.w1, 'cases.withdraw', { requestId, reason: '評估尚未完成' });
    expect(back.status).toBe('評估中');
    expect(back.pendingRequest).toBeNull();
    expect(back.requests.find((r) => r.id === requestId)).toMatchObject({ state: 'withdrawn', comment: '評估尚未完成' });
    expect(back.history.at(-1)).toMatchObject({ action: 'withdraw', fromStatus: '開案審查中', toStatus: '評估中' });
    const late = await refused(f.call(f.sup1, 'cases.decide', { requestId, approve: true }));
    expect(late.code).toBe('RULE');
    const inbox = await f.call(f.sup1, 'worklists.approvals', {});
    expect(inbox.some((r) => r.request.id === requestId)).toBe(false);
  });

  it('open request returned with a comment, fixed, re-requested and approved', async () => {
    const c = await f.intake(f.w1, { factors: [] , caseType: '一般福利諮詢' });
    const asked = await f.call(f.w1, 'cases.request', { caseId: c.id, kind: 'open', reason: '需長期陪伴' });
    expect(asked.status).toBe('開案審查中');
    expect(asked.pendingRequest).toMatchObject({ kind: 'open', state: 'pending', fromStatus: '評估中' });
    expect(asked.allowed).toEqual(expect.not.arrayContaining(['approve-open']));

    const inbox = await f.call(f.sup1, 'worklists.approvals', {});
    const row = inbox.find((r) => r.request.caseId === c.id);
    expect(row).toMatchObject({ canDecide: true, caseStatus: '開案審查中' });

    const returned = await f.call(f.sup1, 'cases.decide', { requestId: asked.pendingRequest!.id, approve: false, comment: '請補充家庭支持系統評估' });
    expect(returned.status).toBe('評估中');
    expect(returned.requests[0]).toMatchObject({ state: 'returned', comment: '請補充家庭支持系統評估', decidedBy: { id: f.sup1.id } });
    expect(returned.history.at(-1)).toMatchObject({ fromStatus: '開案審查中', toStatus: '評估中', action: 'return-review', reason: '退回：請補充家庭支持系統評估' });
    expect((await f.call(f.sup1, 'worklists.approvals', {})).some((r) => r.request.caseId === c.id)).toBe(false);

    const fixed = await f.call(f.w1, 'cases.update', {
      id: c.id,
      version: returned.version,
      source: 'A',
      referringUnit: null,
      dispatchedAt: returned.dispatchedAt,
      caseType: '脆弱家庭',
      factors: ['3-04'],
      riskLevel: '中',
      summary: '已補充支持系統評估',
    });
    const again = await f.call(f.w1, 'cases.request', { caseId: c.id, kind: 'open', reason: '已補充評估，申請開案' });
    const approved = await f.call(f.sup1, 'cases.decide', { requestId: again.pendingRequest!.id, approve: true, comment: '同意開案' });
    expect(approved.status).toBe('處遇中');
    expect(approved.openedOn).toBe('2026-03-05');
    expect(approved.version).toBeGreaterThan(fixed.version);
    expect(approved.requests.map((r) => r.state)).toEqual(['approved', 'returned']);
    expect(approved.history.map((h) => h.toStatus)).toEqual(['評估中', '開案審查中', '評估中', '開案審查中', '處遇中']);
  });

  it('returning a request without a comment is refused at the boundary', async () => {
    const c = await f.caseIn('開案審查中');
    const env = await f.raw(f.sup1, 'cases.decide', { requestId: c.pendingRequest!.id, approve: false });
    expect(env.ok).toBe(false);
    if (!env.ok) {
      expect(env.error.code).toBe('VALIDATION');
      expect(env.error.fields?.comment).toContain('退回原因');
    }
  });

  it('a 脆弱家庭 case needs at least one factor before asking to open', async () => {
    const c = await f.intake(f.w1, { factors: [] });
    const err = await refused(f.call(f.w1, 'cases.request', { caseId: c.id, kind: 'open', reason: '開案' }));
    expect(err.code).toBe('RULE');
    expect(err.message).toContain('脆弱性因子');
  });

  it('only one pending request at a time', async () => {
    const c = await f.caseIn('處遇中');
    await f.call(f.w1, 'cases.request', { caseId: c.id, kind: 'transfer', reason: '搬家', transferTo: f.w2.id });
    const err = await refused(f.call(f.w1, 'cases.request', { caseId: c.id, kind: 'close', reason: '目標達成' }));
    expect(err.code).toBe('RULE');
    expect(err.message).toContain('轉案');
  });

  it('the supervisor of another team cannot decide, a worker can never decide, nobody decides their own request', async () => {
    const c = await f.caseIn('開案審查中');
    const requestId = c.pendingRequest!.id;
    const other = await refused(f.call(f.sup2, 'cases.decide', { requestId, approve: true }));
    expect(other.code).toBe('NOT_FOUND');
    const worker = await refused(f.call(f.w2, 'cases.decide', { requestId, approve: true } as never));
    expect(worker.code).toBe('FORBIDDEN');
    const lead = await refused(f.call(f.w1, 'cases.decide', { requestId, approve: true } as never));
    expect(lead.code).toBe('FORBIDDEN');

    const mine = await f.caseIn('評估中');
    const asked = await f.call(f.sup1, 'cases.request', { caseId: mine.id, kind: 'not-open', reason: '資源已足夠' });
    const own = await refused(f.call(f.sup1, 'cases.decide', { requestId: asked.pendingRequest!.id, approve: true }));
    expect(own.code).toBe('FORBIDDEN');
    expect(own.message).toContain('自己');
    const inbox = await f.call(f.sup1, 'worklists.approvals', {});
    expect(inbox.find((r) => r.request.id === asked.pendingRequest!.id)?.canDecide).toBe(false);
    const byAdmin = await f.call(f.admin, 'cases.decide', { requestId: asked.pendingRequest!.id, approve: true });
    expect(byAdmin.status).toBe('不開案');
    expect(byAdmin.closedOn).toBe('2026-03-05');
    expect(byAdmin.closeReason).toBe('資源已足夠');

    const twice = await refused(f.call(f.sup1, 'cases.decide', { requestId, approve: true }).then(() => f.call(f.sup1, 'cases.decide', { requestId, approve: true })));
    expect(twice.code).toBe('RULE');
    expect(twice.message).toContain('已核准');
  });

  it('short-term service: a close request returned goes back to 短期服務, not 處遇中', async () => {
    const c = await f.caseIn('短期服務');
    const asked = await f.call(f.w1, 'cases.request', { caseId: c.id, kind: 'close', reason: '短期服務完成' });
    expect(asked.status).toBe('結案審查中');
    const back = await f.call(f.sup1, 'cases.decide', { requestId: asked.pendingRequest!.id, approve: false, comment: '再追蹤一個月' });
    expect(back.status).toBe('短期服務');
  });

  it('transfer: approved, the new worker leads the case and the old one no longer sees it', async () => {
    const c = await f.caseIn('處遇中');
    const asked = await f.call(f.w1, 'cases.request', { caseId: c.id, kind: 'transfer', reason: '案家搬到第二組轄區', transferTo: f.w3.id });
    expect(asked.status).toBe('處遇中');
    const done = await f.call(f.sup1, 'cases.decide', { requestId: asked.pendingRequest!.id, approve: true, comment: '同意轉案' });
    expect(done.lead?.id).toBe(f.w3.id);
    expect(done.team?.id).toBe(f.team2);
    expect(done.history.at(-1)).toMatchObject({ action: 'approve-transfer', fromStatus: '處遇中', toStatus: '處遇中' });
    expect((await refused(f.call(f.w1, 'cases.get', { id: c.id }))).code).toBe('NOT_FOUND');
    expect((await f.call(f.w3, 'cases.get', { id: c.id })).lead?.id).toBe(f.w3.id);
    expect((await f.call(f.sup2, 'cases.get', { id: c.id })).team?.id).toBe(f.team2);
  });

  it('reopen: a new linked case with a new number, 評估中; a second reopen is refused', async () => {
    const closed = await f.caseIn('已結案');
    expect(closed.closedOn).toBe('2026-03-05');
    f.t.clock.advanceMinutes(60 * 24 * 10);
    const { case: fresh, droppedFactors } = await f.call(f.w1, 'cases.reopen', {
      caseId: closed.id,
      reason: '案家再度失業',
      receivedAt: f.ago(30),
      source: 'A',
      caseType: '脆弱家庭',
      riskLevel: '高',
    });
    expect(fresh.id).not.toBe(closed.id);
    expect(fresh.caseNo).not.toBe(closed.caseNo);
    expect(fresh.householdId).toBe(closed.householdId);
    expect(fresh.status).toBe('評估中');
    expect(fresh.lead?.id).toBe(f.w1.id);
    expect(fresh.previousCase).toEqual({ id: closed.id, caseNo: closed.caseNo });
    expect(fresh.factors.map((x) => x.code)).toEqual(['1-01']);
    expect(droppedFactors).toEqual([]);
    expect(fresh.history[0]).toMatchObject({ action: 'reopen', toStatus: '評估中' });
    const old = await f.call(f.w1, 'cases.get', { id: closed.id });
    expect(old.status).toBe('已結案');
    expect(old.nextCase).toEqual({ id: fresh.id, caseNo: fresh.caseNo });
    expect(old.allowed).not.toContain('reopen');
    const again = await refused(f.call(f.w1, 'cases.reopen', { caseId: closed.id, reason: 'x', receivedAt: f.ago(1), source: 'A', caseType: '其他', riskLevel: '低' }));
    expect(again.code).toBe('RULE');
    expect(again.message).toContain(fresh.caseNo);
  });

  it('a household has one active case at a time', async () => {
    const c = await f.caseIn('評估中');
    const err = await refused(f.intake(f.w1, { householdId: c.householdId }));
    expect(err.code).toBe('RULE');
    expect(err.message).toContain(c.caseNo);
  });

  it('a worker intaking may only name themselves as lead, and only for households they can see', async () => {
    const hh = await f.household(f.w1);
    const other = await refused(f.call(f.w1, 'cases.intake', { householdId: hh.id, source: 'A', receivedAt: f.ago(5), caseType: '其他', factors: [], riskLevel: '低', leadWorkerId: f.w2.id }));
    expect(other.code).toBe('FORBIDDEN');
    const unseen = await refused(f.call(f.w2, 'cases.intake', { householdId: hh.id, source: 'A', receivedAt: f.ago(5), caseType: '其他', factors: [], riskLevel: '低', leadWorkerId: f.w2.id }));
    expect(unseen.code).toBe('NOT_FOUND');
    const future = await refused(f.call(f.w1, 'cases.intake', { householdId: hh.id, source: 'A', receivedAt: new Date(f.t.clock.now.getTime() + 86400_000).toISOString(), caseType: '其他', factors: [], riskLevel: '低', leadWorkerId: f.w1.id }));
    expect(future.code).toBe('RULE');
  });

  it('a long-term concern household becomes a case without re-typing: the concern is linked to the new case', async () => {
    const hh = await f.household(f.w1);
    const ts = f.t.clock.now.toISOString();
    const concern = await f.t.app.ctx.db
      .insertInto('long_term_concerns')
      .values({ household_id: hh.id, reason: '長期經濟弱勢', reason_note: null, start_date: '2025-01-01', frequency: 'quarterly', interval_days: null, worker_id: f.w1.id, team_id: f.team1, next_due: '2026-04-01', last_visit_on: null, from_case_id: null, end_date: '2026-03-05', end_reason: '轉為個案', to_case_id: null, created_at: ts, created_by: f.w1.id, updated_at: ts, updated_by: f.w1.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    const c = await f.intake(f.w1, { householdId: hh.id, fromConcernId: concern.id });
    const linked = await f.t.app.ctx.db.selectFrom('long_term_concerns').select('to_case_id').where('id', '=', concern.id).executeTakeFirstOrThrow();
    expect(linked.to_case_id).toBe(c.id);
    const elsewhere = await f.household(f.w1);
    const wrong = await refused(f.intake(f.w1, { householdId: elsewhere.id, fromConcernId: concern.id }));
    expect(wrong.code).toBe('RULE');
  });

  it('intake from an ACTIVE long-term concern ends it with 轉為個案 on the received date, so the household is never both', async () => {
    const hh = await f.household(f.w1);
    const ts = f.t.clock.now.toISOString();
    const concern = await f.t.app.ctx.db
      .insertInto('long_term_concerns')
      .values({ household_id: hh.id, reason: '獨居長者', reason_note: null, start_date: '2025-01-01', frequency: 'monthly', interval_days: null, worker_id: f.w1.id, team_id: f.team1, next_due: '2026-04-01', last_visit_on: null, from_case_id: null, end_date: null, end_reason: null, to_case_id: null, created_at: ts, created_by: f.w1.id, updated_at: ts, updated_by: f.w1.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    const c = await f.intake(f.w1, { householdId: hh.id, fromConcernId: concern.id });
    const after = await f.t.app.ctx.db.selectFrom('long_term_concerns').selectAll().where('id', '=', concern.id).executeTakeFirstOrThrow();
    expect(after.to_case_id).toBe(c.id);
    expect(after.end_reason).toBe('轉為個案');
    const received = await f.t.app.ctx.db.selectFrom('cases').select('received_at').where('id', '=', c.id).executeTakeFirstOrThrow();
    expect(after.end_date).toBe(todayIso(new Date(received.received_at)));
    expect(after.version).toBe(2);
  });

  it('the household page lists its current and past cases the caller may see', async () => {
    const closed = await f.caseIn('已結案');
    const { case: fresh } = await f.call(f.w1, 'cases.reopen', { caseId: closed.id, reason: '再次求助', receivedAt: f.ago(1), source: 'A', caseType: '其他', riskLevel: '低' });
    const list = await f.call(f.w1, 'cases.listByHousehold', { householdId: closed.householdId });
    expect(list.map((r) => [r.caseNo, r.status, r.myRole])).toEqual([
      [fresh.caseNo, '評估中', 'lead'],
      [closed.caseNo, '已結案', 'lead'],
    ]);
    expect((await refused(f.call(f.w3, 'cases.listByHousehold', { householdId: closed.householdId }))).code).toBe('NOT_FOUND');
  });

  it('source B needs the referring unit', async () => {
    const hh = await f.household(f.w1);
    const env = await f.raw(f.w1, 'cases.intake', { householdId: hh.id, source: 'B', receivedAt: f.ago(5), caseType: '其他', factors: [], riskLevel: '低', leadWorkerId: f.w1.id });
    expect(env.ok).toBe(false);
    if (!env.ok) expect(env.error.fields?.referringUnit).toContain('轉介單位');
  });

  it('first contact is recorded once, and an assistant may record it', async () => {
    const c = await f.intake(f.w1, { assistantIds: [f.w2.id] });
    const done = await f.call(f.w2, 'cases.recordFirstContact', { caseId: c.id, at: f.ago(5) });
    expect(done.firstContactAt).toBe(f.ago(5));
    expect(done.allowed).not.toContain('first-contact');
    const again = await refused(f.call(f.w1, 'cases.recordFirstContact', { caseId: c.id, at: f.ago(1) }));
    expect(again.code).toBe('RULE');
    // An assistant works on the case but does not edit its details or make requests.
    const edit = await refused(f.call(f.w2, 'cases.request', { caseId: c.id, kind: 'not-open', reason: 'x' }));
    expect(edit.code).toBe('FORBIDDEN');
  });
});

describe('case numbers', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture();
  });
  afterAll(async () => {
    await f.close();
  });

  it('run per ROC year of the received date in Taipei time, without gaps, also when many intakes race', async () => {
    // 2025-12-31 23:59 in Taipei is still ROC 114; one minute later it is 115.
    const late114 = await f.intake(f.w1, { receivedAt: '2025-12-31T15:59:00.000Z' });
    const first115 = await f.intake(f.w1, { receivedAt: '2025-12-31T16:00:00.000Z' });
    const alsoTaipei = await f.intake(f.w1, { receivedAt: '2026-01-01T07:30:00+08:00' });
    expect(late114.caseNo).toBe('114-000001');
    expect(first115.caseNo).toBe('115-000001');
    expect(alsoTaipei.caseNo).toBe('115-000002');
    expect(alsoTaipei.receivedAt).toBe('2025-12-31T23:30:00.000Z');

    const households = await Promise.all(Array.from({ length: 12 }, () => f.household(f.w1)));
    const raced = await Promise.all(households.map((h) => f.intake(f.w1, { householdId: h.id })));
    const seqs = raced.map((c) => Number(c.caseNo.slice(4))).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 12 }, (_, i) => i + 3));
    const late = await f.intake(f.w1, { receivedAt: '2025-06-01T02:00:00.000Z', factors: ['2-04'] });
    expect(late.caseNo).toBe('114-000002');
  });
});

describe('no lost updates', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture();
  });
  afterAll(async () => {
    await f.close();
  });

  it('saving over a newer version is refused, naming who changed it and when', async () => {
    const c = await f.intake(f.w1);
    const edit = (version: number, summary: string) => ({
      id: c.id,
      version,
      source: 'A' as const,
      referringUnit: null,
      dispatchedAt: c.dispatchedAt,
      caseType: '脆弱家庭' as const,
      factors: ['1-01'],
      riskLevel: '高' as const,
      summary,
    });
    f.t.clock.advanceMinutes(7);
    const bySupervisor = await f.call(f.sup1, 'cases.update', edit(c.version, '督導先改了'));
    expect(bySupervisor.version).toBe(c.version + 1);
    const err = await refused(f.call(f.w1, 'cases.update', edit(c.version, '社工的舊畫面')));
    expect(err.code).toBe('CONFLICT');
    // 02:07 UTC is 10:07 in Taipei.
    expect(err.message).toContain('王督導');
    expect(err.message).toContain('115/03/05 10:07');
    expect(err.details).toMatchObject({ updatedBy: '王督導', updatedById: f.sup1.id, updatedAt: '2026-03-05T02:07:00.000Z' });
    const now = await f.call(f.w1, 'cases.get', { id: c.id });
    expect(now.summary).toBe('督導先改了');

    // A status change is a change too: an edit form opened before a request is stale after it.
    await f.call(f.w1, 'cases.request', { caseId: c.id, kind: 'open', reason: '開案' });
    const back = await f.call(f.sup1, 'cases.decide', { requestId: (await f.call(f.w1, 'cases.get', { id: c.id })).pendingRequest!.id, approve: false, comment: '補件' });
    const stale = await refused(f.call(f.w1, 'cases.update', edit(now.version, '過期')));
    expect(stale.code).toBe('CONFLICT');
    expect((await f.call(f.w1, 'cases.update', edit(back.version, '最新'))).summary).toBe('最新');
  });
});
