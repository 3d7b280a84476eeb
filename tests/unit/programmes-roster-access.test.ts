/**
 * Issue 9 §3: what a programme's roster and a meeting show to whom (ARCHITECTURE.md, "What a
 * roster shows"). A team-1 household and a team-2 household each have a person in one programme,
 * and each team has a case discussed in one meeting; every role reads the programme, a session,
 * its sign-in sheet and the meetings, and we look for anything of the other team's person or case.
 * Read straight from the dispatcher and through the center server over TLS (issue 10).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeNationalId } from '../../main/contract/national-id';
import { overServer } from '../helpers/fronts';
import { createCenter, household, insertCase, type Center } from './households-fixture';

describe.each(['dispatcher', 'center server'])('issue 9 §3: rosters and meetings show out-of-scope people by name only, and no cases, through the %s', (via) => {
  let c: Center;
  let programmeId: number;
  let sessionId: number;
  const one = { name: '林小安', birthDate: '2018-05-01', nationalId: makeNationalId('B', '1', '1111111'), personId: 0, householdId: 0, caseNo: '115-000901' };
  const two = { name: '吳小華', birthDate: '2019-07-01', nationalId: makeNationalId('B', '2', '2222222'), personId: 0, householdId: 0, caseNo: '115-000902' };

  beforeAll(async () => {
    c = await createCenter();
    if (via === 'center server') await overServer(c.t);
    for (const [who, token, workerId, team] of [[one, c.w1.token, c.w1.id, c.team1], [two, c.w3.token, c.w3.id, c.team2]] as const) {
      const hh = await household(c, token, { name: who.name, birthDate: who.birthDate, nationalId: who.nationalId, incomeStatus: 'low' });
      await insertCase(c, hh.id, workerId, team, '處遇中', who.caseNo);
      who.personId = hh.members[0]?.personId as number;
      who.householdId = hh.id;
    }
    programmeId = (await c.t.call('programmes.create', { name: '兒少培力團體', type: '團體工作', startsOn: '2026-01-01', endsOn: '2026-12-31', status: 'running' }, c.admin)).id;
    await c.t.call('programmes.enrol', { programmeId, personIds: [one.personId], enrolledOn: '2026-02-01' }, c.w1.token);
    await c.t.call('programmes.enrol', { programmeId, personIds: [two.personId], enrolledOn: '2026-02-01' }, c.w3.token);
    const p = await c.t.call('programmes.addSession', { programmeId, heldOn: '2026-03-01', place: '中心教室', topic: '認識情緒', hours: 2 }, c.admin);
    sessionId = p.sessionList[0]?.id as number;
    await c.t.call('meetings.create', { kind: '個案研討', heldOn: '2026-03-02', title: '三月個案研討', units: ['衛生所'], casesDiscussed: [one.caseNo, two.caseNo], decisions: '兩案皆轉介心理諮商' }, c.admin);
  });
  afterAll(async () => {
    await c.t.close();
  });

  /** Everything in `answer` about `who` beyond their name. */
  const beyondName = (answer: unknown, who: typeof one): string[] => {
    const s = JSON.stringify(answer);
    const out: string[] = [];
    if (s.includes(who.birthDate)) out.push('birth date');
    if (s.includes(who.nationalId) || s.includes(who.nationalId.slice(0, 3) + '****')) out.push('ID');
    if (new RegExp(`"personId":${who.personId}\\b`).test(s)) out.push('person id');
    if (new RegExp(`"householdId":${who.householdId}\\b`).test(s)) out.push('household');
    if (s.includes(who.caseNo)) out.push('case number');
    if (s.includes('低收')) out.push('income status (eligibility hint)');
    return out;
  };

  it.each([
    ['社工 of team 1', 'w1', one, two],
    ['社工 of team 2', 'w3', two, one],
    ['督導 of team 2', 'sup2', two, one],
  ] as const)('%s: own person in full, the other team\'s by name only; no case of theirs', async (_who, key, mine, theirs) => {
    const token = (c[key] as { token: string }).token;
    const programme = await c.t.call('programmes.get', { id: programmeId }, token);
    const session = await c.t.call('programmes.session', { id: sessionId }, token);
    const sheet = await c.t.call('programmes.signInSheet', { sessionId }, token);
    const meetings = await c.t.call('meetings.list', {}, token);
    const leaked = [...new Set([programme, session, sheet, meetings].flatMap((a) => beyondName(a, theirs)))];
    console.info(`[roster ${key}] about the other team's person: ${leaked.join(', ') || 'name only'}`);
    expect(leaked).toEqual([]);
    // A facilitator takes attendance by name: both names are on the roster and the sheet.
    expect(programme.enrolments.map((e) => e.personName).sort()).toEqual([one.name, two.name].sort());
    expect(session.roster.map((r) => r.personName).sort()).toEqual([one.name, two.name].sort());
    expect(sheet.html).toContain(theirs.name);
    const own = programme.enrolments.find((e) => e.personName === mine.name);
    expect(own).toMatchObject({ personId: mine.personId, birthDate: mine.birthDate, householdId: mine.householdId, inScope: true });
    expect(programme.enrolments.find((e) => e.personName === theirs.name)).toMatchObject({ personId: null, birthDate: null, householdId: null, outcome: null, hint: null, inScope: false });
    const meeting = meetings[0];
    expect(meeting?.casesDiscussed).toEqual([mine.caseNo]);
    expect(meeting?.casesHidden).toBe(1);
    expect(meeting?.decisions).toBeNull();
    // Attendance is still taken for everyone on the roster.
    const entries = session.roster.map((r) => ({ enrolmentId: r.enrolmentId, status: '出席' as const }));
    const after = await c.t.call('programmes.setAttendance', { sessionId, entries }, token);
    expect(after.present).toBe(2);
  });

  it('管理者 sees every roster line and every case in full', async () => {
    const programme = await c.t.call('programmes.get', { id: programmeId }, c.admin);
    expect(programme.enrolments.every((e) => e.inScope && e.personId !== null)).toBe(true);
    const meetings = await c.t.call('meetings.list', {}, c.admin);
    expect(meetings[0]?.casesDiscussed).toEqual([one.caseNo, two.caseNo]);
    expect(meetings[0]?.casesHidden).toBe(0);
    expect(meetings[0]?.decisions).toBe('兩案皆轉介心理諮商');
  });

  it('實物銀行 and 稽核 read no roster or meeting at all', async () => {
    for (const token of [c.clerk.token, c.auditor.token]) {
      expect((await c.t.raw('programmes.get', { id: programmeId }, token)).ok).toBe(false);
      expect((await c.t.raw('programmes.session', { id: sessionId }, token)).ok).toBe(false);
      expect((await c.t.raw('meetings.list', {}, token)).ok).toBe(false);
    }
  });
});
