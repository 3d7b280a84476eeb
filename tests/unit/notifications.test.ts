/**
 * Notifications (issue 11 item 5) on a real database through the real dispatcher: each event leaves
 * exactly one notification for the right person, in the event's own transaction (a write that fails
 * leaves none); nobody lists, counts or marks another's; follow-ups due today are computed and stay
 * read once marked; the returned-requests list behind the home tile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayIso } from '../../main/contract/roc-date';
import { writeTransaction } from '../../db/tx';
import { newCallHooks, withCallHooks } from '../../main/services/call-hooks';
import { decideRequest } from '../../main/services/cases/service';
import { createFixture, refused, type Fixture, type Staff } from './cases-fixture';

describe('notifications', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture();
  });
  afterAll(async () => {
    await f.close();
  });

  const db = () => f.t.app.ctx.db;
  const rowsOf = async (who: Staff) => db().selectFrom('notifications').selectAll().where('user_id', '=', who.id).orderBy('id').execute();
  const count = async (who: Staff) => (await f.call(who, 'notifications.unreadCount', {})).count;
  /** Marks everything of everyone read, so each test counts only what it causes. */
  const clear = async () => {
    for (const who of [f.w1, f.w2, f.w3, f.sup1, f.sup2, f.admin]) await f.call(who, 'notifications.markAllRead', {});
  };

  it('a 退回 tells the author once, with the comment; nobody else is told; opening it marks it read', async () => {
    await clear();
    const c = await f.call(f.w1, 'cases.request', { caseId: (await f.intake(f.w1)).id, kind: 'open', reason: '需長期陪伴' });
    expect(await count(f.w1)).toBe(0);
    const before = { w2: (await rowsOf(f.w2)).length, sup1: (await rowsOf(f.sup1)).length };
    await f.call(f.sup1, 'cases.decide', { requestId: c.pendingRequest?.id as number, approve: false, comment: '請補上家訪評估' });
    expect(await count(f.w1)).toBe(1);
    const page = await f.call(f.w1, 'notifications.list', { unread: true });
    expect(page.rows).toHaveLength(1);
    const n = page.rows[0];
    expect(n).toMatchObject({ kind: 'returned', caseId: c.id, householdId: c.householdId, comment: '請補上家訪評估', readAt: null });
    expect(n?.summary).toBe(`個案 ${c.caseNo} 的開案申請已退回`);
    expect((await rowsOf(f.w2)).length).toBe(before.w2);
    expect((await rowsOf(f.sup1)).length).toBe(before.sup1);

    // Another user can neither mark it nor see it; the answer is the same as for a missing one.
    const other = await refused(f.call(f.w2, 'notifications.markRead', { id: n?.id as number }));
    expect(other.code).toBe('NOT_FOUND');
    const missing = await refused(f.call(f.w2, 'notifications.markRead', { id: 999_999 }));
    expect(missing).toEqual(other);
    expect((await f.call(f.w2, 'notifications.list', {})).rows.map((r) => r.id)).not.toContain(n?.id);
    expect(await count(f.w1)).toBe(1);

    const after = await f.call(f.w1, 'notifications.markRead', { id: n?.id as number });
    expect(after.count).toBe(0);
    expect((await f.call(f.w1, 'notifications.list', { unread: true })).rows).toEqual([]);
    const all = await f.call(f.w1, 'notifications.list', {});
    expect(all.rows[0]).toMatchObject({ id: n?.id, readAt: f.t.clock.now.toISOString() });
  });

  it('an approval tells the author; an approved transfer also tells the new lead', async () => {
    await clear();
    const c = await f.caseIn('處遇中');
    const w1Before = (await rowsOf(f.w1)).length;
    const open = (await rowsOf(f.w1)).at(-1);
    expect(open).toMatchObject({ kind: 'approved', case_id: c.id, comment: '同意' });
    const asked = await f.call(f.w1, 'cases.request', { caseId: c.id, kind: 'transfer', reason: '轄區調整', transferTo: f.w2.id });
    const w2Before = (await rowsOf(f.w2)).length;
    await f.call(f.sup1, 'cases.decide', { requestId: asked.pendingRequest?.id as number, approve: true });
    const w1New = (await rowsOf(f.w1)).slice(w1Before);
    expect(w1New.map((r) => [r.kind, r.summary])).toEqual([['approved', `個案 ${c.caseNo} 的轉案申請已核准`]]);
    const w2New = (await rowsOf(f.w2)).slice(w2Before);
    expect(w2New.map((r) => [r.kind, r.summary])).toEqual([['assigned', `個案 ${c.caseNo} 已改派給您（主責）`]]);
  });

  it('派案 and 改派 tell the new lead and new assistants once; bystanders are not told', async () => {
    await clear();
    const c = await f.intake(f.w1, { leadWorkerId: null });
    const before = { w1: (await rowsOf(f.w1)).length, w2: (await rowsOf(f.w2)).length };
    await f.call(f.sup1, 'cases.assign', { id: c.id, leadWorkerId: f.w2.id, assistantIds: [f.w1.id] });
    expect((await rowsOf(f.w2)).slice(before.w2).map((r) => r.summary)).toEqual([`個案 ${c.caseNo} 已派案給您（主責）`]);
    expect((await rowsOf(f.w1)).slice(before.w1).map((r) => r.summary)).toEqual([`個案 ${c.caseNo} 已將您列為協力社工`]);
    // The same assignment again: nobody new, nothing new.
    await f.call(f.sup1, 'cases.assign', { id: c.id, leadWorkerId: f.w2.id, assistantIds: [f.w1.id] });
    expect((await rowsOf(f.w2)).length).toBe(before.w2 + 1);
    expect((await rowsOf(f.w1)).length).toBe(before.w1 + 1);
    // 改派 to w1 (w2 stays as assistant: not new).
    await f.call(f.sup1, 'cases.assign', { id: c.id, leadWorkerId: f.w1.id, assistantIds: [f.w2.id] });
    expect((await rowsOf(f.w1)).slice(before.w1 + 1).map((r) => r.summary)).toEqual([`個案 ${c.caseNo} 已改派給您（主責）`]);
    expect((await rowsOf(f.w2)).slice(before.w2 + 1).map((r) => r.summary)).toEqual([`個案 ${c.caseNo} 已將您列為協力社工`]);
    const sup = (await rowsOf(f.sup1)).length;
    const c2 = await f.intake(f.w1, { leadWorkerId: null });
    await f.call(f.admin, 'cases.assign', { id: c2.id, leadWorkerId: f.w1.id, assistantIds: [] });
    expect((await rowsOf(f.sup1)).length).toBe(sup);
    expect(await count(f.w1)).toBe(3);
  });

  it('a case reopened by the supervisor for another worker tells that worker', async () => {
    const closed = await f.caseIn('已結案');
    const before = (await rowsOf(f.w2)).length;
    const { case: fresh } = await f.call(f.sup1, 'cases.reopen', { caseId: closed.id, reason: '案家再度失業', receivedAt: f.ago(30), source: 'A', caseType: '脆弱家庭', riskLevel: '高', leadWorkerId: f.w2.id });
    expect((await rowsOf(f.w2)).slice(before).map((r) => [r.kind, r.case_id, r.summary])).toEqual([['assigned', fresh.id, `個案 ${fresh.caseNo} 已派案給您（主責）`]]);
  });

  it('a referral status change tells the case worker, not the one who changed it', async () => {
    await clear();
    const c = await f.intake(f.w1);
    const rec = await f.call(f.w1, 'records.create', {
      householdId: c.householdId,
      caseId: c.id,
      occurredAt: f.ago(30),
      method: '面訪家庭',
      participants: [],
      minutes: 30,
      items: ['資源轉介'],
      narrative: '案父表示想找工作。',
      referral: { unitKind: '勞政', unitName: '南投就業中心', reason: '案父求職' },
    });
    const id = rec.referralIds[0] as number;
    const before = (await rowsOf(f.w1)).length;
    await f.call(f.w1, 'referrals.updateStatus', { id, status: '受案' });
    expect((await rowsOf(f.w1)).length).toBe(before);
    await f.call(f.sup1, 'referrals.updateStatus', { id, status: '轉介完成', note: '就服員已媒合職缺' });
    const got = (await rowsOf(f.w1)).slice(before);
    expect(got.map((r) => [r.kind, r.entity, r.entity_id, r.case_id, r.summary])).toEqual([['referral', 'referral', id, c.id, `個案 ${c.caseNo} 轉介至「南投就業中心」的狀態改為「轉介完成」`]]);
    expect(JSON.stringify(got)).not.toContain('想找工作');
    expect(JSON.stringify(got)).not.toContain('媒合');
  });

  it('a write that fails after the notification leaves none (same transaction)', async () => {
    await clear();
    const c = await f.call(f.w1, 'cases.request', { caseId: (await f.intake(f.w1)).id, kind: 'open', reason: '需長期陪伴' });
    const before = (await rowsOf(f.w1)).length;
    const actor = { userId: f.sup1.id, username: f.sup1.username, displayName: f.sup1.displayName, role: f.sup1.role, teamId: f.sup1.teamId };
    await expect(
      writeTransaction(db(), (trx) =>
        withCallHooks(newCallHooks('write'), async () => {
          await decideRequest(trx, actor, { requestId: c.pendingRequest?.id as number, approve: false, comment: '退回' }, f.t.clock.now);
          expect((await trx.selectFrom('notifications').select('id').where('user_id', '=', f.w1.id).execute()).length).toBe(before + 1);
          throw new Error('the event fails after its notification');
        }),
      ),
    ).rejects.toThrow('the event fails');
    expect((await rowsOf(f.w1)).length).toBe(before);
    expect((await f.call(f.w1, 'cases.get', { id: c.id })).pendingRequest?.id).toBe(c.pendingRequest?.id);
    // A refused call (w3 cannot decide) leaves none either.
    expect((await refused(f.call(f.w3, 'cases.decide', { requestId: c.pendingRequest?.id as number, approve: false, comment: 'x' }))).code).toBe('FORBIDDEN');
    expect((await rowsOf(f.w1)).length).toBe(before);
  });

  it('follow-ups due today are computed for their worker, counted, and stay read for the day once marked', async () => {
    await clear();
    const today = todayIso(f.t.clock.now);
    const c = await f.intake(f.w1);
    const rec = await f.call(f.w1, 'records.create', {
      householdId: c.householdId,
      caseId: c.id,
      occurredAt: f.ago(30),
      method: '電訪家庭',
      participants: [],
      minutes: 10,
      items: ['福利諮詢'],
      nextFollowUp: today,
    });
    expect(await count(f.w1)).toBe(1);
    expect(await count(f.w3)).toBe(0);
    const page = await f.call(f.w1, 'notifications.list', { unread: true });
    expect(page.dueToday).toEqual([
      expect.objectContaining({ id: null, kind: 'follow-up', serviceId: rec.id, caseId: c.id, readAt: null, summary: expect.stringContaining(`個案 ${c.caseNo}`) }),
    ]);
    expect((await refused(f.call(f.w3, 'notifications.markRead', { serviceId: rec.id }))).code).toBe('NOT_FOUND');
    expect((await f.call(f.w1, 'notifications.markRead', { serviceId: rec.id })).count).toBe(0);
    // Idempotent: marking it again stores nothing more.
    await f.call(f.w1, 'notifications.markRead', { serviceId: rec.id });
    await f.call(f.w1, 'notifications.markAllRead', {});
    const stored = (await rowsOf(f.w1)).filter((r) => r.kind === 'follow-up');
    expect(stored.map((r) => [r.entity_id, r.day])).toEqual([[rec.id, today]]);
    expect((await f.call(f.w1, 'notifications.list', {})).dueToday[0]?.readAt).not.toBeNull();
    expect((await f.call(f.w1, 'notifications.list', { unread: true })).dueToday).toEqual([]);
    // The next day it is no longer due today (it is overdue, on the 待追蹤 list).
    f.t.clock.advanceMinutes(24 * 60);
    expect((await f.call(f.w1, 'notifications.list', {})).dueToday).toEqual([]);
  });

  it('lists newest first with paging; mark all read; the returned-requests list', async () => {
    await clear();
    const made: number[] = [];
    for (let i = 0; i < 3; i++) {
      f.t.clock.advanceMinutes(1);
      const c = await f.call(f.w2, 'cases.request', { caseId: (await f.intake(f.w2)).id, kind: 'open', reason: '申請開案' });
      await f.call(f.sup1, 'cases.decide', { requestId: c.pendingRequest?.id as number, approve: false, comment: `意見${i}` });
      made.push(c.id);
    }
    expect(await count(f.w2)).toBe(3);
    const p1 = await f.call(f.w2, 'notifications.list', { unread: true, limit: 2 });
    expect(p1.total).toBe(3);
    expect(p1.rows.map((r) => r.comment)).toEqual(['意見2', '意見1']);
    const p2 = await f.call(f.w2, 'notifications.list', { unread: true, offset: 2, limit: 2 });
    expect(p2.rows.map((r) => r.comment)).toEqual(['意見0']);

    const returned = await f.call(f.w2, 'notifications.returned', {});
    expect(returned.filter((r) => made.includes(r.caseId)).map((r) => [r.kindLabel, r.comment, r.decidedBy])).toEqual([
      ['開案', '意見2', '王督導'],
      ['開案', '意見1', '王督導'],
      ['開案', '意見0', '王督導'],
    ]);
    // Asked again: no longer on the returned list.
    await f.call(f.w2, 'cases.request', { caseId: made[0] as number, kind: 'open', reason: '已補件' });
    expect((await f.call(f.w2, 'notifications.returned', {})).map((r) => r.caseId)).not.toContain(made[0]);
    expect((await f.call(f.w1, 'notifications.returned', {})).map((r) => r.caseId)).not.toContain(made[1]);

    expect((await f.call(f.w2, 'notifications.markAllRead', {})).count).toBe(0);
    expect(await count(f.w2)).toBe(0);
    expect((await f.call(f.w2, 'notifications.list', {})).total).toBeGreaterThanOrEqual(3);
  });

  it('roles without case work cannot call it; one notification id from the input is the only handle', async () => {
    expect((await refused(f.call(f.clerk, 'notifications.unreadCount', {}))).code).toBe('FORBIDDEN');
    expect((await refused(f.call(f.auditor, 'notifications.list', {}))).code).toBe('FORBIDDEN');
    expect((await f.raw(f.w1, 'notifications.list', { userId: f.w2.id })).ok).toBe(false);
  });
});
