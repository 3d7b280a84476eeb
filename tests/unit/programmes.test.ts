/**
 * Programmes and child development accounts (issue 6): each indicator against a hand-counted
 * dataset (two quarters of 2026, including 存款率), the refused inputs (nothing written), access
 * per role, and the no-deposit list with a moved clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getIndicator } from '../../main/services/reports/indicators';
import { createProgrammeCenter, programmeCounts, refusal, setToday, type ProgrammeCenter } from './programmes-fixture';

const Q1 = { from: '2026-01-01', to: '2026-03-31' };
const Q2 = { from: '2026-04-01', to: '2026-06-30' };

describe('programme and account indicators against a hand-counted dataset', () => {
  let c: ProgrammeCenter;
  let tok: string;
  const value = async (id: string, period: { from: string; to: string }) => {
    const ind = getIndicator(id);
    if (!ind) throw new Error(`indicator ${id} is not registered`);
    return (await ind.compute(c.t.app.ctx.db, { period })).total;
  };

  beforeAll(async () => {
    c = await createProgrammeCenter();
    tok = c.w1.token;
    const call = c.t.call;
    await setToday(c, '2026-01-05');
    // Programme A (脫貧, all year): A1, A2, A3. S1 2026-02-10: A1 出席, A2 出席, A3 缺席. S2 2026-04-10: A1 出席, A2 請假, A3 出席.
    const a = await call('programmes.create', { name: '脫貧自立培力方案', type: '脫貧自立', startsOn: '2026-01-01', endsOn: '2026-12-31', status: 'running', workerId: c.w1.id, funder: '衛福部', partner: '南投家扶' }, tok);
    let pa = await call('programmes.enrol', { programmeId: a.id, personIds: [c.p.a1, c.p.a2, c.p.a3], enrolledOn: '2026-01-05' }, tok);
    const en = (d: typeof pa, personId: number) => d.enrolments.find((e) => e.personId === personId)?.id as number;
    pa = await call('programmes.addSession', { programmeId: a.id, heldOn: '2026-02-10', place: '中心教室', topic: '家庭理財', hours: 2, facilitator: '王講師' }, tok);
    pa = await call('programmes.addSession', { programmeId: a.id, heldOn: '2026-04-10', place: '中心教室', topic: '就業準備', hours: 2 }, tok);
    const [s1, s2] = pa.sessionList;
    await call('programmes.setAttendance', { sessionId: s1!.id, entries: [{ enrolmentId: en(pa, c.p.a1), status: '出席' }, { enrolmentId: en(pa, c.p.a2), status: '出席' }, { enrolmentId: en(pa, c.p.a3), status: '缺席' }] }, tok);
    await call('programmes.setAttendance', { sessionId: s2!.id, entries: [{ enrolmentId: en(pa, c.p.a1), status: '出席' }, { enrolmentId: en(pa, c.p.a2), status: '請假' }, { enrolmentId: en(pa, c.p.a3), status: '出席' }] }, tok);
    await call('programmes.updateEnrolment', { id: en(pa, c.p.a1), version: 0, status: 'completed', endedOn: '2026-06-30', outcome: '完成理財課程' }, tok);
    await call('programmes.updateEnrolment', { id: en(pa, c.p.a2), version: 0, status: 'withdrew', endedOn: '2026-05-20' }, tok);
    // Programme B (親職, Mar-Jun): A1, A4. S3 2026-05-01: both 出席. A4 completes 2026-06-30.
    const b = await call('programmes.create', { name: '親職教育團體', type: '親職教育', startsOn: '2026-03-01', endsOn: '2026-06-30', status: 'running', workerId: c.w2.id }, tok);
    let pb = await call('programmes.enrol', { programmeId: b.id, personIds: [c.p.a1, c.p.a4], enrolledOn: '2026-03-01' }, tok);
    pb = await call('programmes.addSession', { programmeId: b.id, heldOn: '2026-05-01', place: '里民活動中心', topic: '正向教養', hours: 3 }, tok);
    await call('programmes.setAttendance', { sessionId: pb.sessionList[0]!.id, entries: [{ enrolmentId: en(pb, c.p.a1), status: '出席' }, { enrolmentId: en(pb, c.p.a4), status: '出席' }] }, tok);
    await call('programmes.updateEnrolment', { id: en(pb, c.p.a4), version: 0, status: 'completed', endedOn: '2026-06-30' }, tok);

    // Accounts: K1 (2026-01-10, 1000), K3 (2026-02-01, 500), K4 placed 2026-04-01, opened 2026-05-01 (1250). K6 eligible, no account.
    await setToday(c, '2026-07-10');
    await call('childAccounts.setPlacement', { personId: c.p.k4, placed: true, placedOn: '2026-04-01' }, tok);
    const k1 = await call('childAccounts.open', { personId: c.p.k1, openedOn: '2026-01-10', monthlyAmount: 1000 }, tok);
    const k3 = await call('childAccounts.open', { personId: c.p.k3, openedOn: '2026-02-01', monthlyAmount: 500 }, tok);
    const k4 = await call('childAccounts.open', { personId: c.p.k4, openedOn: '2026-05-01', monthlyAmount: 1250 }, tok);
    for (const d of ['2026-01-15', '2026-02-15', '2026-04-15']) await call('childAccounts.recordDeposit', { accountId: k1.id, depositedOn: d, amount: 1000 }, tok);
    await call('childAccounts.recordDeposit', { accountId: k3.id, depositedOn: '2026-02-05', amount: 500 }, tok);
    for (const d of ['2026-05-05', '2026-06-05']) await call('childAccounts.recordDeposit', { accountId: k4.id, depositedOn: d, amount: 1250 }, tok);

    // Meetings: Q1 聯繫會議 ×1; Q2 聯繫會議 ×2, 個案研討 ×1. Outreach: Q2 two events, 40 + 25 attendees; Q1 one event, 30.
    await call('meetings.create', { kind: '聯繫會議', heldOn: '2026-02-01', title: '第一季網絡聯繫會議', units: ['南投家扶', '衛生所'], casesDiscussed: [] }, tok);
    await call('meetings.create', { kind: '聯繫會議', heldOn: '2026-04-01', title: '第二季網絡聯繫會議', units: ['警察局'], casesDiscussed: [] }, tok);
    await call('meetings.create', { kind: '聯繫會議', heldOn: '2026-05-01', title: '學校聯繫會議', units: ['國小'], casesDiscussed: [] }, tok);
    await call('meetings.create', { kind: '個案研討', heldOn: '2026-06-01', title: '個案研討', units: ['督導'], casesDiscussed: ['115-000001'], decisions: '增加訪視' }, tok);
    await call('outreach.create', { heldOn: '2026-03-03', place: '中興里活動中心', topic: '兒少保護宣導', attendees: 30 }, tok);
    await call('outreach.create', { heldOn: '2026-04-20', place: '平和里活動中心', topic: '脫貧方案說明', attendees: 40 }, tok);
    await call('outreach.create', { heldOn: '2026-06-20', place: '國小禮堂', topic: '親職宣導', attendees: 25, partner: '國小' }, tok);
  }, 60_000);
  afterAll(async () => c?.t.close());

  it('programmes run, sessions, participants (人數) and attendances (人次)', async () => {
    expect((await value('programmes.run', Q1)).value).toBe(1);
    expect((await value('programmes.run', Q2)).value).toBe(2);
    expect((await value('programmes.sessions', Q1)).value).toBe(1);
    expect((await value('programmes.sessions', Q2)).value).toBe(2);
    // Q1: S1 A1, A2. Q2: S2 A1, A3; S3 A1, A4 → 3 people, 4 attendances.
    expect((await value('programmes.participants', Q1)).value).toBe(2);
    expect((await value('programmes.participants', Q2)).value).toBe(3);
    expect((await value('programmes.attendances', Q1)).value).toBe(2);
    expect((await value('programmes.attendances', Q2)).value).toBe(4);
  });

  it('completion rate: completed ÷ (completed + withdrew) among enrolments ended in the period', async () => {
    expect(await value('programmes.completionRate', Q2)).toEqual({ value: 66.7, numerator: 2, denominator: 3 });
    expect((await value('programmes.completionRate', Q1)).value).toBeNull();
  });

  it('accounts eligible, opened and 開戶率 at period end', async () => {
    // Q1 end: K1, K3, K6 eligible (K4 not yet placed); K1, K3 open.
    expect((await value('childAccounts.eligible', Q1)).value).toBe(3);
    expect((await value('childAccounts.opened', Q1)).value).toBe(2);
    expect(await value('childAccounts.openingRate', Q1)).toEqual({ value: 66.7, numerator: 2, denominator: 3 });
    // Q2 end: K1, K3, K4, K6 eligible; K1, K3, K4 open.
    expect((await value('childAccounts.eligible', Q2)).value).toBe(4);
    expect((await value('childAccounts.opened', Q2)).value).toBe(3);
    expect(await value('childAccounts.openingRate', Q2)).toEqual({ value: 75, numerator: 3, denominator: 4 });
  });

  it('存款率 over a quarter and deposits in NT$', async () => {
    // Q1: K1 (Jan, Feb) and K3 (Feb) of 2 open accounts. Q2: K1 (Apr) and K4 (May, Jun) of 3; K3 none.
    expect(await value('childAccounts.depositRate', Q1)).toEqual({ value: 100, numerator: 2, denominator: 2 });
    expect(await value('childAccounts.depositRate', Q2)).toEqual({ value: 66.7, numerator: 2, denominator: 3 });
    expect((await value('childAccounts.depositAmount', Q1)).value).toBe(2500);
    expect((await value('childAccounts.depositAmount', Q2)).value).toBe(3500);
  });

  it('meetings by kind, outreach events and attendees', async () => {
    expect((await value('meetings.network', Q1)).value).toBe(1);
    expect((await value('meetings.network', Q2)).value).toBe(2);
    expect((await value('meetings.caseConference', Q2)).value).toBe(1);
    expect((await value('outreach.events', Q2)).value).toBe(2);
    expect((await value('outreach.attendees', Q2)).value).toBe(65);
    expect((await value('outreach.attendees', Q1)).value).toBe(30);
  });

  it('programmes.figures gives the same figures to the screen', async () => {
    const f = await c.t.call('programmes.figures', Q2, tok);
    expect(f.figures.find((x) => x.id === 'childAccounts.depositRate')).toMatchObject({ value: 66.7, numerator: 2, denominator: 3 });
    expect(f.figures.find((x) => x.id === 'programmes.attendances')?.value).toBe(4);
  });

  it('eligibility hints and the household page list', async () => {
    const list = await c.t.call('programmes.list', {}, tok);
    const a = list.find((p) => p.type === '脫貧自立');
    const d = await c.t.call('programmes.get', { id: a!.id }, tok);
    expect(d.enrolments.find((e) => e.personId === c.p.a3)?.hint).toMatch(/非低收/); // H3 has no income status
    expect(d.enrolments.find((e) => e.personId === c.p.a1)?.hint).toBeNull();
    const hp = await c.t.call('programmes.forHousehold', { householdId: c.h.h1 }, tok);
    expect(hp.enrolments.map((e) => e.programmeName).sort()).toEqual(['脫貧自立培力方案', '親職教育團體']);
    expect(hp.accounts).toEqual([expect.objectContaining({ personName: '林小安', monthlyAmount: 1000, lastDepositMonth: '2026-04' })]);
  });

  it('the eligible list marks who has an account', async () => {
    const kids = await c.t.call('childAccounts.eligible', {}, tok);
    expect(kids.map((k) => [k.name, k.basis, k.accountId !== null])).toEqual([
      ['林小安', '低收入戶', true],
      ['黃小明', '長期安置', true],
      ['陳小華', '中低收入戶', true],
      ['陳小玉', '中低收入戶', false],
    ]);
  });
});

describe('bad input is refused with a message and nothing is written', () => {
  let c: ProgrammeCenter;
  let tok: string;
  let programmeId: number;
  let otherEnrolment: number;
  let sessionId: number;
  let accountId: number;
  beforeAll(async () => {
    c = await createProgrammeCenter();
    tok = c.w1.token;
    await setToday(c, '2026-03-05');
    const p = await c.t.call('programmes.create', { name: '脫貧方案', type: '脫貧自立', startsOn: '2026-01-01', endsOn: '2026-06-30', status: 'running' }, tok);
    programmeId = p.id;
    await c.t.call('programmes.enrol', { programmeId, personIds: [c.p.a1], enrolledOn: '2026-01-05' }, tok);
    const d = await c.t.call('programmes.addSession', { programmeId, heldOn: '2026-02-01', place: '中心', topic: '理財', hours: 2 }, tok);
    sessionId = d.sessionList[0]!.id;
    const q = await c.t.call('programmes.create', { name: '育兒指導', type: '育兒指導', startsOn: '2026-01-01', endsOn: '2026-06-30', status: 'running' }, tok);
    const qd = await c.t.call('programmes.enrol', { programmeId: q.id, personIds: [c.p.a4], enrolledOn: '2026-01-05' }, tok);
    otherEnrolment = qd.enrolments[0]!.id;
    accountId = (await c.t.call('childAccounts.open', { personId: c.p.k1, openedOn: '2026-01-10', monthlyAmount: 1250 }, tok)).id;
  }, 60_000);
  afterAll(async () => c?.t.close());

  const refused = async (method: string, payload: unknown, message: RegExp) => {
    const before = await programmeCounts(c);
    const err = refusal(await c.t.raw(method, payload, tok));
    expect(err.message).toMatch(message);
    expect(await programmeCounts(c)).toEqual(before);
    return err;
  };

  it('attendance for someone not enrolled (even with valid entries beside it)', async () => {
    const own = (await c.t.call('programmes.get', { id: programmeId }, tok)).enrolments[0]!.id;
    await refused('programmes.setAttendance', { sessionId, entries: [{ enrolmentId: own, status: '出席' }, { enrolmentId: otherEnrolment, status: '出席' }] }, /未報名/);
    await refused('programmes.setAttendance', { sessionId, entries: [{ enrolmentId: own, status: '遲到' }] }, /出席狀態/);
  });

  it('a session outside the programme period', async () => {
    const e = await refused('programmes.addSession', { programmeId, heldOn: '2026-07-01', place: '中心', topic: '理財', hours: 2 }, /不在方案期間/);
    expect(e.fields).toEqual({ heldOn: '場次日期不在方案期間內' });
    await refused('programmes.addSession', { programmeId, heldOn: '2025-12-31', place: '中心', topic: '理財', hours: 2 }, /不在方案期間/);
  });

  it('a deposit outside the allowed amounts, before the account opened, or over the yearly cap', async () => {
    await refused('childAccounts.recordDeposit', { accountId, depositedOn: '2026-02-05', amount: 800 }, /500、1,000 或 1,250/);
    await refused('childAccounts.recordDeposit', { accountId, depositedOn: '2026-01-09', amount: 1250 }, /早於開戶日期/);
    await refused('childAccounts.recordDeposit', { accountId, depositedOn: '2026-03-06', amount: 1250 }, /晚於今天/);
    // Catch-up deposits up to the cap: 12 × 1,250 = 15,000, then one more is refused.
    for (let i = 0; i < 12; i++) await c.t.call('childAccounts.recordDeposit', { accountId, depositedOn: i < 6 ? '2026-02-05' : '2026-03-01', amount: 1250 }, tok);
    await refused('childAccounts.recordDeposit', { accountId, depositedOn: '2026-03-02', amount: 500 }, /15,000/);
  });

  it('an account for an ineligible child, a monthly amount not offered, a programme ending before it starts', async () => {
    await refused('childAccounts.open', { personId: c.p.k5, openedOn: '2026-02-01', monthlyAmount: 500 }, /不符開戶資格/);
    await refused('childAccounts.open', { personId: c.p.k3, openedOn: '2026-02-01', monthlyAmount: 700 }, /500、1,000 或 1,250/);
    await refused('programmes.create', { name: 'x', type: '脫貧自立', startsOn: '2026-05-01', endsOn: '2026-04-01', status: 'planned' }, /結束日/);
  });
});

describe('access per role', () => {
  let c: ProgrammeCenter;
  let accountId: number;
  beforeAll(async () => {
    c = await createProgrammeCenter();
    await setToday(c, '2026-03-05');
    accountId = (await c.t.call('childAccounts.open', { personId: c.p.k1, openedOn: '2026-01-10', monthlyAmount: 500 }, c.w1.token)).id;
  }, 60_000);
  afterAll(async () => c?.t.close());

  it('實物銀行 and 稽核 reach none of the methods', async () => {
    for (const who of [c.clerk, c.auditor]) {
      for (const [m, p] of [
        ['programmes.list', {}],
        ['childAccounts.eligible', {}],
        ['childAccounts.noDeposit', {}],
        ['meetings.create', { kind: '聯繫會議', heldOn: '2026-03-01', title: 'x', units: [], casesDiscussed: [] }],
        ['outreach.list', {}],
      ] as const) {
        expect(refusal(await c.t.raw(m, p, who.token)).code).toBe('FORBIDDEN');
      }
    }
  });

  it('社工, 督導 and 管理者 share programmes, meetings and outreach', async () => {
    const p = await c.t.call('programmes.create', { name: '家庭支持團體', type: '家庭支持', startsOn: '2026-01-01', endsOn: '2026-12-31', status: 'running' }, c.w3.token);
    for (const tok of [c.w1.token, c.sup2.token, c.admin]) expect((await c.t.call('programmes.list', {}, tok)).map((x) => x.id)).toContain(p.id);
    await c.t.call('meetings.create', { kind: '聯繫會議', heldOn: '2026-03-01', title: '聯繫會議', units: ['衛生所'], casesDiscussed: [] }, c.sup1.token);
    expect(await c.t.call('meetings.list', {}, c.w3.token)).toHaveLength(1);
  });

  it('a 社工 reaches only the children and people of households they reach', async () => {
    expect((await c.t.call('childAccounts.eligible', {}, c.w3.token)).length).toBe(0);
    expect((await c.t.call('childAccounts.eligible', {}, c.admin)).length).toBe(3);
    expect(refusal(await c.t.raw('childAccounts.get', { id: accountId }, c.w3.token)).code).toBe('NOT_FOUND');
    expect(refusal(await c.t.raw('childAccounts.recordDeposit', { accountId, depositedOn: '2026-02-01', amount: 500 }, c.w3.token)).code).toBe('NOT_FOUND');
    expect(refusal(await c.t.raw('programmes.forHousehold', { householdId: c.h.h1 }, c.w3.token)).code).toBe('NOT_FOUND');
    const p = await c.t.call('programmes.create', { name: '脫貧', type: '脫貧自立', startsOn: '2026-01-01', endsOn: '2026-12-31', status: 'running' }, c.w3.token);
    expect(refusal(await c.t.raw('programmes.enrol', { programmeId: p.id, personIds: [c.p.a1], enrolledOn: '2026-02-01' }, c.w3.token)).code).toBe('NOT_FOUND');
    expect((await c.t.call('programmes.enrol', { programmeId: p.id, householdId: c.h.h1, enrolledOn: '2026-02-01' }, c.admin)).enrolments).toHaveLength(3);
  });
});

describe('the no-deposit list, with a moved clock', () => {
  let c: ProgrammeCenter;
  let tok: string;
  let k1: number;
  let k3: number;
  beforeAll(async () => {
    c = await createProgrammeCenter();
    tok = c.w1.token;
    await setToday(c, '2026-03-05');
    k1 = (await c.t.call('childAccounts.open', { personId: c.p.k1, openedOn: '2026-01-10', monthlyAmount: 1000 }, tok)).id;
    k3 = (await c.t.call('childAccounts.open', { personId: c.p.k3, openedOn: '2026-02-01', monthlyAmount: 500 }, tok)).id;
    await c.t.call('childAccounts.recordDeposit', { accountId: k1, depositedOn: '2026-01-15', amount: 1000 }, tok);
    await c.t.call('childAccounts.recordDeposit', { accountId: k1, depositedOn: '2026-03-02', amount: 1000 }, tok);
    await c.t.call('childAccounts.recordDeposit', { accountId: k3, depositedOn: '2026-02-05', amount: 500 }, tok);
  }, 60_000);
  afterAll(async () => c?.t.close());

  it('lists an account once three whole months pass without a deposit', async () => {
    expect(await c.t.call('childAccounts.noDeposit', {}, tok)).toEqual([]);
    await setToday(c, '2026-05-20'); // K3: March, April without → 2
    expect(await c.t.call('childAccounts.noDeposit', {}, tok)).toEqual([]);
    await setToday(c, '2026-06-01'); // K3: March, April, May → 3; K1: April, May → 2
    expect(await c.t.call('childAccounts.noDeposit', {}, tok)).toEqual([
      { accountId: k3, personName: '陳小華', householdId: c.h.h2, openedOn: '2026-02-01', lastDepositMonth: '2026-02', monthsWithout: 3, followUpId: null },
    ]);
    await setToday(c, '2026-07-01');
    expect((await c.t.call('childAccounts.noDeposit', {}, tok)).map((r) => [r.accountId, r.monthsWithout])).toEqual([
      [k3, 4],
      [k1, 3],
    ]);
  });

  it('becomes a follow-up on the household, closed by the next deposit', async () => {
    await setToday(c, '2026-06-01');
    const f = await c.t.call('childAccounts.createFollowUp', { accountId: k3 }, tok);
    expect(f).toMatchObject({ accountId: k3, householdId: c.h.h2, raisedOn: '2026-06-01', monthsWithout: 3, resolvedOn: null, personName: '陳小華' });
    expect((await c.t.call('childAccounts.createFollowUp', { accountId: k3 }, tok)).id).toBe(f.id); // once per open alert
    expect((await c.t.call('childAccounts.noDeposit', {}, tok))[0]?.followUpId).toBe(f.id);
    expect((await c.t.call('programmes.forHousehold', { householdId: c.h.h2 }, tok)).followUps).toEqual([expect.objectContaining({ id: f.id, resolvedOn: null })]);
    expect(refusal(await c.t.raw('childAccounts.createFollowUp', { accountId: k1 }, tok)).message).toMatch(/不需要建立追蹤/);
    await c.t.call('childAccounts.recordDeposit', { accountId: k3, depositedOn: '2026-06-01', amount: 500 }, tok);
    expect(await c.t.call('childAccounts.noDeposit', {}, tok)).toEqual([]);
    expect((await c.t.call('programmes.forHousehold', { householdId: c.h.h2 }, tok)).followUps[0]?.resolvedOn).toBe('2026-06-01');
  });
});
