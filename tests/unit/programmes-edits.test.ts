/**
 * Issue 11 §1, correcting what was typed: a programme's status, dates and targets, an enrolment's
 * outcome, a child's placement, closing (and reopening) a child account, a food-bank item. Each edit:
 * permission-checked (a caller who may not edit is refused and learns nothing), stale save refused
 * with the app's zh-TW message, earlier values kept (programme_edits), audited with from / to and no
 * case text, and the account figures after a closing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getIndicator } from '../../main/services/reports/indicators/registry';
import type { Indicator } from '../../main/services/reports/indicators/types';
import { createProgrammeCenter, programmeCounts, refusal, setToday, type ProgrammeCenter } from './programmes-fixture';

describe('issue 11: programme, enrolment, placement and account edits', () => {
  let c: ProgrammeCenter;
  let tok: string;
  let programmeId: number;
  const call: ProgrammeCenter['t']['call'] = (...a) => c.t.call(...a);

  const lastAudit = async (entity: string) => {
    const r = await c.t.app.ctx.db.selectFrom('audit_log').selectAll().where('entity', '=', entity).orderBy('id', 'desc').executeTakeFirstOrThrow();
    return { ...r, detail: JSON.parse(r.detail ?? '{}') as Record<string, unknown> };
  };
  const edits = (entity: string, id: number) =>
    c.t.app.ctx.db.selectFrom('programme_edits').selectAll().where('entity', '=', entity).where('entity_id', '=', id).orderBy('id').execute();
  const figures = async (from: string, to: string) => {
    const f = await call('programmes.figures', { from, to }, tok);
    return Object.fromEntries(f.figures.map((x) => [x.id, x.numerator !== undefined ? `${x.numerator}/${x.denominator}` : x.value]));
  };

  beforeAll(async () => {
    c = await createProgrammeCenter();
    tok = c.w1.token;
    await setToday(c, '2026-03-05');
    programmeId = (await call('programmes.create', { name: '親職教育團體', type: '親職教育', startsOn: '2026-03-01', endsOn: '2026-06-30', status: 'running', targetPeople: 10, targetSessions: 4 }, tok)).id;
    await call('programmes.enrol', { programmeId, personIds: [c.p.a1, c.p.a2], enrolledOn: '2026-03-02' }, tok);
  });
  afterAll(async () => {
    await c?.t.close();
  });

  it('edits a programme\'s dates, targets and status: audited from/to, earlier values kept, stale save refused', async () => {
    const p = await call('programmes.get', { id: programmeId }, tok);
    const base = { id: p.id, name: p.name, type: p.type, funder: p.funder, partner: p.partner, workerId: null, notes: '內部備註' };
    const saved = await call('programmes.update', { ...base, version: p.version, startsOn: '2026-03-01', endsOn: '2026-08-31', targetPeople: 12, targetSessions: 6, status: 'running' }, tok);
    expect(saved).toMatchObject({ endsOn: '2026-08-31', targetPeople: 12, targetSessions: 6, version: p.version + 1 });
    const a = await lastAudit('programme');
    expect(a.action).toBe('update');
    expect(a.detail).toMatchObject({ changes: { ends_on: { from: '2026-06-30', to: '2026-08-31' }, target_people: { from: 10, to: 12 }, notes: { changed: true } } });
    expect(a.detail.changes).not.toHaveProperty('name');
    expect(JSON.stringify(a.detail)).not.toContain('內部備註');
    const [h] = await edits('programme', programmeId);
    expect(JSON.parse(h?.before ?? '{}')).toMatchObject({ ends_on: '2026-06-30', target_people: 10, target_sessions: 4 });

    // A second screen still holding the old version: refused, nothing written, zh-TW message naming who.
    const before = await programmeCounts(c);
    const stale = refusal(await c.t.raw('programmes.update', { ...base, version: p.version, startsOn: '2026-03-01', endsOn: '2026-07-31', status: 'running' }, c.w2.token));
    expect(stale.code).toBe('CONFLICT');
    expect(stale.message).toMatch(/^這筆方案已由sw1姓名於 115\/03\/05 .*修改過，您畫面上的是舊版本。/);
    expect(await programmeCounts(c)).toEqual(before);
  });

  it('keeps the status rules: no going back to 規劃中 after a session; an ended programme is reopened by 督導 or 管理者 only', async () => {
    let p = await call('programmes.addSession', { programmeId, heldOn: '2026-03-04', place: '中心教室', topic: '正向教養', hours: 2 }, tok);
    const fields = { id: p.id, name: p.name, type: p.type, startsOn: p.startsOn, endsOn: p.endsOn, targetPeople: p.targetPeople, targetSessions: p.targetSessions };
    const planned = refusal(await c.t.raw('programmes.update', { ...fields, version: p.version, status: 'planned' }, tok));
    expect(planned).toMatchObject({ code: 'RULE', message: '已辦理場次的方案不能改回規劃中。' });
    p = await call('programmes.update', { ...fields, version: p.version, status: 'ended' }, tok);
    expect(p.status).toBe('ended');
    const reopen = refusal(await c.t.raw('programmes.update', { ...fields, version: p.version, status: 'running' }, tok));
    expect(reopen).toMatchObject({ code: 'RULE', message: '已結束的方案只有督導或管理者可以重新開啟。' });
    expect(reopen.fields).toEqual({ status: '已結束的方案只有督導或管理者可以重新開啟' });
    p = await call('programmes.update', { ...fields, version: p.version, status: 'running' }, c.sup1.token);
    expect(p.status).toBe('running');
    expect((await lastAudit('programme')).detail).toEqual({ changes: { status: { from: 'ended', to: 'running' } } });
  });

  it('refuses roles without programmes (實物銀行, 稽核) before reading anything', async () => {
    const p = await call('programmes.get', { id: programmeId }, tok);
    for (const who of [c.clerk, c.auditor]) {
      const before = await programmeCounts(c);
      const e = refusal(await c.t.raw('programmes.update', { id: p.id, version: p.version, name: 'x', type: p.type, startsOn: p.startsOn, endsOn: p.endsOn, status: 'ended' }, who.token));
      expect(e.code).toBe('FORBIDDEN');
      expect(await programmeCounts(c)).toEqual({ ...before, audit_log: (before.audit_log ?? 0) + 1 }); // the 'denied' row
    }
  });

  it('corrects an enrolment outcome: earlier values kept and shown, audit names the field not the text; another team learns nothing', async () => {
    const p = await call('programmes.get', { id: programmeId }, tok);
    const e = p.enrolments.find((x) => x.personId === c.p.a1);
    if (!e) throw new Error('no enrolment');
    let d = await call('programmes.updateEnrolment', { id: e.id, version: e.version, status: 'completed', endedOn: '2026-03-05', outcome: '完成四次團體' }, tok);
    let now = d.enrolments.find((x) => x.id === e.id);
    expect(now).toMatchObject({ status: 'completed', endedOn: '2026-03-05', outcome: '完成四次團體', version: e.version + 1 });
    d = await call('programmes.updateEnrolment', { id: e.id, version: e.version + 1, status: 'completed', endedOn: '2026-03-05', outcome: '完成三次團體，一次請假' }, tok);
    now = d.enrolments.find((x) => x.id === e.id);
    expect(now?.history.map((h) => h.outcome)).toEqual(['完成四次團體', null]);
    expect(now?.history[0]).toMatchObject({ status: 'completed', by: 'sw1姓名' });
    const a = await lastAudit('programme_enrolment');
    expect(a.detail).toEqual({ programmeId, personId: c.p.a1, changes: { outcome: { changed: true } } });
    expect(JSON.stringify(a.detail)).not.toContain('團體');

    // Stale: the first version again.
    const stale = refusal(await c.t.raw('programmes.updateEnrolment', { id: e.id, version: e.version, status: 'withdrew', endedOn: '2026-03-05' }, tok));
    expect(stale.code).toBe('CONFLICT');
    expect(stale.message).toContain('這筆報名資料已由sw1姓名於 115/03/05');

    // A 社工 of team 2 does not reach the person: the same answer as for an enrolment that does not exist.
    const before = await programmeCounts(c);
    const theirs = refusal(await c.t.raw('programmes.updateEnrolment', { id: e.id, version: e.version + 2, status: 'withdrew', endedOn: '2026-03-05' }, c.w3.token));
    const none = refusal(await c.t.raw('programmes.updateEnrolment', { id: 999_999, version: 0, status: 'withdrew', endedOn: '2026-03-05' }, c.w3.token));
    expect(theirs).toEqual(none);
    expect(theirs.code).toBe('NOT_FOUND');
    expect(await programmeCounts(c)).toEqual(before);
    // Nor does the roster show team 2 the outcome or its history.
    const seen = (await call('programmes.get', { id: programmeId }, c.w3.token)).enrolments.find((x) => x.id === e.id);
    expect(seen).toMatchObject({ outcome: null, history: [], personId: null });
  });

  it('corrects a child\'s placement date and removes a placement with a reason; the earlier date is kept', async () => {
    let kids = await call('childAccounts.setPlacement', { personId: c.p.k4, placed: true, placedOn: '2026-02-01' }, tok);
    let k4 = kids.find((k) => k.personId === c.p.k4);
    expect(k4).toMatchObject({ basis: '長期安置', placedOn: '2026-02-01', placementVersion: 0 });
    kids = await call('childAccounts.updatePlacement', { personId: c.p.k4, version: 0, placed: true, placedOn: '2026-01-15', reason: '依安置公文更正' }, tok);
    k4 = kids.find((k) => k.personId === c.p.k4);
    expect(k4).toMatchObject({ placedOn: '2026-01-15', placementVersion: 1 });
    expect((await lastAudit('child_placement')).detail).toEqual({ changes: { placedOn: { from: '2026-02-01', to: '2026-01-15' } } });

    const stale = refusal(await c.t.raw('childAccounts.updatePlacement', { personId: c.p.k4, version: 0, placed: true, placedOn: '2026-01-20' }, tok));
    expect(stale).toMatchObject({ code: 'CONFLICT' });
    expect(stale.message).toContain('這筆安置紀錄已由sw1姓名');
    const noReason = refusal(await c.t.raw('childAccounts.updatePlacement', { personId: c.p.k4, version: 1, placed: false }, tok));
    expect(noReason.fields).toEqual({ reason: '請填寫取消安置的原因' });
    const other = refusal(await c.t.raw('childAccounts.updatePlacement', { personId: c.p.k4, version: 1, placed: false, reason: 'x' }, c.w3.token));
    expect(other.code).toBe('NOT_FOUND');

    kids = await call('childAccounts.updatePlacement', { personId: c.p.k4, version: 1, placed: false, reason: '登錄錯誤' }, tok);
    expect(kids.find((k) => k.personId === c.p.k4)).toBeUndefined(); // no longer eligible, no account
    const history = await edits('placement', c.p.k4);
    expect(history.map((h) => [h.action, JSON.parse(h.before ?? 'null'), h.reason])).toEqual([
      ['update', { placedOn: '2026-02-01' }, '依安置公文更正'],
      ['unplace', { placedOn: '2026-01-15' }, '登錄錯誤'],
    ]);
  });

  it('closes a child account: no deposit after it, the figures stop counting it at the closing date, reopening is 督導\'s or 管理者\'s and kept in the history', async () => {
    await setToday(c, '2026-03-20');
    const k1 = await call('childAccounts.open', { personId: c.p.k1, openedOn: '2026-03-01', monthlyAmount: 1000 }, tok);
    const k3 = await call('childAccounts.open', { personId: c.p.k3, openedOn: '2026-03-01', monthlyAmount: 500 }, tok);
    await call('childAccounts.recordDeposit', { accountId: k1.id, depositedOn: '2026-03-10', amount: 1000 }, tok);
    await call('childAccounts.recordDeposit', { accountId: k3.id, depositedOn: '2026-03-10', amount: 500 }, tok);
    await setToday(c, '2026-04-20');
    await call('childAccounts.recordDeposit', { accountId: k1.id, depositedOn: '2026-04-10', amount: 1000 }, tok);
    const march = await figures('2026-03-01', '2026-03-31');
    const april = await figures('2026-04-01', '2026-04-30');
    expect(march).toMatchObject({ 'childAccounts.opened': 2, 'childAccounts.depositRate': '2/2', 'childAccounts.depositAmount': 1500 });
    expect(april).toMatchObject({ 'childAccounts.opened': 2, 'childAccounts.depositRate': '1/2', 'childAccounts.depositAmount': 1000 });

    // Refusals first: before the last deposit, in the future, another team, stale.
    const v = k1.version;
    expect(refusal(await c.t.raw('childAccounts.close', { id: k1.id, version: v, closedOn: '2026-04-05', reason: '家長申請退出' }, tok)).fields).toEqual({
      closedOn: '結清日期不可早於最後一筆存款 115/04/10',
    });
    expect(refusal(await c.t.raw('childAccounts.close', { id: k1.id, version: v, closedOn: '2026-04-21', reason: '家長申請退出' }, tok)).fields).toEqual({ closedOn: '結清日期不可晚於今天' });
    const bad = refusal(await c.t.raw('childAccounts.close', { id: k1.id, version: v, closedOn: '2026-04-15', reason: '不想存了' }, tok));
    expect(bad.code).toBe('VALIDATION');
    expect(JSON.stringify(bad)).toContain('請選擇結清原因');
    const before = await programmeCounts(c);
    const theirs = refusal(await c.t.raw('childAccounts.close', { id: k1.id, version: v, closedOn: '2026-04-15', reason: '家長申請退出' }, c.w3.token));
    const none = refusal(await c.t.raw('childAccounts.close', { id: 999_999, version: 0, closedOn: '2026-04-15', reason: '家長申請退出' }, c.w3.token));
    expect(theirs).toEqual(none);
    expect(await programmeCounts(c)).toEqual(before);

    const closed = await call('childAccounts.close', { id: k1.id, version: v, closedOn: '2026-04-15', reason: '家長申請退出' }, tok);
    expect(closed).toMatchObject({ closedOn: '2026-04-15', closeReason: '家長申請退出', version: v + 1 });
    expect(closed.history).toMatchObject([{ action: 'close', closedOn: '2026-04-15', reason: '家長申請退出', by: 'sw1姓名' }]);
    expect((await lastAudit('child_account')).detail).toEqual({ close: { closedOn: '2026-04-15', reason: '家長申請退出' } });
    expect(refusal(await c.t.raw('childAccounts.close', { id: k1.id, version: v, closedOn: '2026-04-15', reason: '其他' }, tok)).code).toBe('CONFLICT');
    expect(refusal(await c.t.raw('childAccounts.recordDeposit', { accountId: k1.id, depositedOn: '2026-04-18', amount: 1000 }, tok)).message).toBe('帳戶已結清，不能再登錄存款。');

    // Figures: March unchanged; April (closed before its end) no longer counts k1 as opened; deposits stay.
    expect(await figures('2026-03-01', '2026-03-31')).toEqual(march);
    expect(await figures('2026-04-01', '2026-04-30')).toMatchObject({ 'childAccounts.opened': 1, 'childAccounts.depositRate': '0/1', 'childAccounts.depositAmount': 1000 });
    expect((await call('childAccounts.noDeposit', {}, tok)).map((r) => r.accountId)).not.toContain(k1.id);
    // The monthly report reads the same indicators.
    const monthly = await call('reports.monthly', { month: '2026-04' }, c.sup1.token);
    const section = monthly.tables.find((t) => t.id === 'programmes');
    expect(section?.rows.find((r) => r.label === '兒少帳戶已開戶數')?.values).toEqual([1]);
    // 符合資格人數 is taken from the opening rate's denominator (issue 13): equal to the eligibility indicator itself.
    const eligible = await (getIndicator('childAccounts.eligible') as Indicator).compute(c.t.app.ctx.db, { period: { from: '2026-04-01', to: '2026-04-30' }, teams: null });
    expect(eligible.total.value).toBeGreaterThan(0);
    const whole = await call('reports.monthly', { month: '2026-04' }, c.admin);
    expect(whole.tables.find((t) => t.id === 'programmes')?.rows.find((r) => r.label === '兒少帳戶符合資格人數')?.values).toEqual([eligible.total.value]);

    // Reopening: not a 社工's (the contract), a 管理者's (or 督導's) with a reason; the closing stays in the history.
    expect(refusal(await c.t.raw('childAccounts.reopen', { id: k1.id, version: v + 1, reason: '誤按結清' }, tok)).code).toBe('FORBIDDEN');
    const reopened = await call('childAccounts.reopen', { id: k1.id, version: v + 1, reason: '誤按結清' }, c.admin);
    expect(reopened).toMatchObject({ closedOn: null, closeReason: null });
    expect(reopened.history.map((h) => [h.action, h.closedOn, h.reason])).toEqual([
      ['reopen', '2026-04-15', '誤按結清'],
      ['close', '2026-04-15', '家長申請退出'],
    ]);
    expect(await figures('2026-04-01', '2026-04-30')).toEqual(april);
  });
});

describe('issue 11: food-bank catalogue item edits', () => {
  let c: ProgrammeCenter;
  beforeAll(async () => {
    c = await createProgrammeCenter();
  });
  afterAll(async () => {
    await c?.t.close();
  });

  it('edits an item: version required, stale save refused with who and when, audit from/to, 社工 refused', async () => {
    const clerk = c.clerk.token;
    const rice = await c.t.call('foodbank.saveItem', { name: '白米', category: '食品', unit: '包', value: 250, kgPerUnit: 3, perishable: false }, clerk);
    const noVersion = refusal(await c.t.raw('foodbank.saveItem', { id: rice.id, name: '白米', category: '食品', unit: '包', value: 260, kgPerUnit: 3, perishable: false }, clerk));
    expect(noVersion.code).toBe('VALIDATION');
    const saved = await c.t.call('foodbank.saveItem', { id: rice.id, version: rice.version, name: '白米', category: '米糧', unit: '包', value: 260, kgPerUnit: 3, perishable: false }, clerk);
    expect(saved).toMatchObject({ category: '米糧', value: 260, version: rice.version + 1 });
    const a = await c.t.app.ctx.db.selectFrom('audit_log').selectAll().where('entity', '=', 'fb_item').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(JSON.parse(a.detail ?? '{}')).toEqual({ changes: { category: { from: '食品', to: '米糧' }, value: { from: 250, to: 260 } } });
    const stale = refusal(await c.t.raw('foodbank.saveItem', { id: rice.id, version: rice.version, name: '白米', category: '食品', unit: '包', value: 270, kgPerUnit: 3, perishable: false }, clerk));
    expect(stale.code).toBe('CONFLICT');
    expect(stale.message).toMatch(/^這筆品項已由clerk姓名於 115\/03\/05 /);
    const worker = refusal(await c.t.raw('foodbank.saveItem', { id: rice.id, version: saved.version, name: '白米', category: '食品', unit: '包', value: 1, kgPerUnit: 3, perishable: false }, c.w1.token));
    expect(worker.code).toBe('FORBIDDEN');
    expect((await c.t.call('foodbank.items', {}, clerk)).find((i) => i.id === rice.id)?.value).toBe(260);
  });
});
