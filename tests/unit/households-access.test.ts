/**
 * The access matrix of the households domain: every role against every method (the contract's
 * first gate), then the scope (a worker or supervisor of another team against every record of a
 * household they do not serve). Refused calls change nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, type MethodName } from '../../main/contract/api';
import { householdsMethods } from '../../main/contract/methods/households';
import { ROLES, type Role } from '../../main/contract/roles';
import { writeTransaction } from '../../db/tx';
import { scopeOf } from '../../main/services/access/scope';
import { getCareLoad, saveCareLoad } from '../../main/services/concerns/care';
import { designateConcern, listConcerns } from '../../main/services/concerns/service';
import { householdTimeline } from '../../main/services/households/page';
import { createPerson, revealNationalId } from '../../main/services/households/persons';
import { createHousehold, getHouseholdView } from '../../main/services/households/service';
import { auditRows, createCenter, domainCounts, household, insertCase, type Center } from './households-fixture';

type Method = keyof typeof householdsMethods;
const S: Role[] = ['worker', 'supervisor', 'admin'];
const SF: Role[] = ['worker', 'supervisor', 'admin', 'foodbank'];

/** Who may call what, written out so a change to the contract must change this table too. */
const MATRIX: Record<Method, Role[]> = {
  'divisions.list': SF,
  'persons.checkDuplicates': S,
  'persons.create': S,
  'persons.update': S,
  'persons.get': SF,
  'persons.revealId': S,
  'households.create': S,
  'households.update': S,
  'households.get': SF,
  'households.addMember': S,
  'households.moveMember': S,
  'households.endMembership': S,
  'households.updateRelation': S,
  'households.page': SF,
  'households.timeline': S,
  'concerns.designate': S,
  'concerns.update': S,
  'concerns.end': S,
  'concerns.get': S,
  'concerns.list': S,
  'care.get': S,
  'care.update': S,
  'care.highBurdenList': S,
  'search.query': SF,
};

describe('access matrix: households, persons, concerns, care, search, divisions', () => {
  let c: Center;
  let fx: { hh: number; person: number; head: number; membership: number; concern: number; other: number };
  const tokenOf = (role: Role): string => ({ worker: c.w1.token, supervisor: c.sup1.token, admin: c.admin, foodbank: c.clerk.token, auditor: c.auditor.token })[role];

  /** A valid payload for each method against the fixture household (w1's, with a team-1 case). */
  const payload = (m: Method): unknown => {
    switch (m) {
      case 'divisions.list': return { parentCode: '10008010' };
      case 'persons.checkDuplicates': return { name: '陳志明', birthDate: '1980-05-01' };
      case 'persons.create': return { name: `新個人${Math.random()}` };
      case 'persons.update': return { id: fx.person, version: 999, phone: '0900-000-000' };
      case 'persons.get': return { id: fx.person };
      case 'persons.revealId': return { personId: fx.head };
      case 'households.create': return { address: { villageCode: '10008010001' } };
      case 'households.update': return { id: fx.hh, version: 999, phone: '049-2000000' };
      case 'households.get': return { id: fx.hh };
      case 'households.addMember': return { householdId: fx.hh, personId: fx.person, relation: '子女', joinedOn: '2026-01-01' };
      case 'households.moveMember': return { personId: fx.person, toHouseholdId: fx.other, relation: '子女', movedOn: '2026-01-01', reason: '遷居' };
      case 'households.endMembership': return { membershipId: fx.membership, leftOn: '2026-02-01', reason: '遷出' };
      case 'households.updateRelation': return { membershipId: fx.membership, version: 999, relation: '孫子女' };
      case 'households.page': return { id: fx.hh };
      case 'households.timeline': return { id: fx.hh };
      case 'concerns.designate': return { householdId: fx.hh, reason: '其他', startDate: '2026-03-01', frequency: 'monthly', workerId: c.w1.id };
      case 'concerns.update': return { id: fx.concern, version: 999, reason: '身障' };
      case 'concerns.end': return { id: fx.concern, version: 999, endDate: '2026-03-01', endReason: '不再需要' };
      case 'concerns.get': return { id: fx.concern };
      case 'concerns.list': return { filter: 'all' };
      case 'care.get': return { householdId: fx.hh };
      case 'care.update': return { householdId: fx.hh, version: 999, needs: [], caregiverPersonId: null, highBurden: true, services: [] };
      case 'care.highBurdenList': return {};
      case 'search.query': return { q: '陳志明' };
      default: {
        const never: never = m;
        throw new Error(String(never));
      }
    }
  };

  beforeAll(async () => {
    c = await createCenter();
    const hh = await household(c, c.w1.token, { name: '陳志明', nationalId: 'A123456789', birthDate: '1980-05-01', notes: '備註內容' }, { others: [{ person: { name: '陳小華' }, relation: '子女' }] });
    const other = await household(c, c.w1.token, { name: '林美玲' });
    await insertCase(c, hh.id, c.w1.id, c.team1);
    const kid = hh.members.find((m) => m.name === '陳小華');
    const concern = await c.t.call('concerns.designate', { householdId: hh.id, reason: '獨居長者', startDate: '2026-01-01', frequency: 'monthly', workerId: c.w1.id }, c.w1.token);
    fx = { hh: hh.id, person: kid?.personId as number, head: hh.members[0]?.personId as number, membership: kid?.membershipId as number, concern: concern.id, other: other.id };
  });
  afterAll(async () => c.t.close());

  it('the contract grants exactly the roles of the matrix', () => {
    for (const m of Object.keys(householdsMethods) as Method[]) {
      expect([...(api[m as MethodName].access as readonly Role[])].sort(), m).toEqual([...MATRIX[m]].sort());
    }
  });

  for (const role of ROLES) {
    it(`${role}: refused methods answer FORBIDDEN and change nothing`, async () => {
      for (const m of Object.keys(MATRIX) as Method[]) {
        if (MATRIX[m].includes(role)) continue;
        const before = await domainCounts(c);
        const env = await c.t.raw(m, payload(m), tokenOf(role));
        expect(env.ok, `${role} ${m}`).toBe(false);
        if (!env.ok) expect(env.error.code, `${role} ${m}`).toBe('FORBIDDEN');
        expect(await domainCounts(c), `${role} ${m}`).toEqual(before);
      }
    });
  }

  it('allowed roles get past the gate (reads succeed; writes meet only the business rules)', async () => {
    for (const m of Object.keys(MATRIX) as Method[]) {
      for (const role of MATRIX[m]) {
        const env = await c.t.raw(m, payload(m), tokenOf(role));
        if (!env.ok) expect(['RULE', 'CONFLICT', 'VALIDATION', 'NOT_FOUND'], `${role} ${m}: ${env.error.code} ${env.error.message}`).toContain(env.error.code);
        // Reads that the fixture makes reachable must succeed for every allowed role.
        if (['persons.get', 'households.get', 'households.page', 'divisions.list', 'search.query', 'concerns.list', 'care.highBurdenList'].includes(m)) {
          expect(env.ok, `${role} ${m}`).toBe(true);
        }
      }
    }
  });

  it('實物銀行 reads a person without notes and a household without case content', async () => {
    const p = await c.t.call('persons.get', { id: fx.head }, c.clerk.token);
    expect(p.notes).toBeNull();
    expect(p.maskedNationalId).toBe('A12****789');
    const page = await c.t.call('households.page', { id: fx.hh }, c.clerk.token);
    expect([page.view, page.cases, page.timeline, page.care, page.concerns]).toEqual(['eligibility', null, null, null, null]);
  });

  for (const who of ['w3 (worker, other team)', 'sup2 (supervisor, other team)', 'w2 (worker, same team, not on the case)'] as const) {
    it(`${who}: every record of the household is NOT_FOUND, and nothing is written, not even a view`, async () => {
      const token = who.startsWith('w3') ? c.w3.token : who.startsWith('sup2') ? c.sup2.token : c.w2.token;
      const scoped: Method[] = [
        'persons.update', 'persons.get', 'persons.revealId', 'households.update', 'households.get', 'households.addMember', 'households.endMembership',
        'households.page', 'households.timeline', 'concerns.designate', 'concerns.update', 'concerns.end', 'concerns.get', 'care.get', 'care.update',
      ];
      for (const m of scoped) {
        const counts = await domainCounts(c);
        const audits = (await auditRows(c)).length;
        const env = await c.t.raw(m, payload(m), token);
        expect(env.ok ? 'ok' : env.error.code, `${who} ${m}`).toBe('NOT_FOUND');
        expect(await domainCounts(c), `${who} ${m}`).toEqual(counts);
        expect((await auditRows(c)).length, `${who} ${m}`).toBe(audits);
      }
      expect((await c.t.call('search.query', { q: '陳志明' }, token)).hits).toEqual([]);
      expect((await c.t.call('concerns.list', { filter: 'all' }, token)).total).toBe(0);
    });
  }

  it('the services refuse too, without the contract gate: 實物銀行 and 稽核 write nothing and read no case content', async () => {
    const db = c.t.app.ctx.db;
    const now = c.t.clock.now;
    for (const [role, user] of [['foodbank', c.clerk], ['auditor', c.auditor]] as const) {
      const actor = { userId: user.id, username: role, displayName: role, role, teamId: null };
      const scope = await scopeOf(db, actor);
      const before = await domainCounts(c);
      const attempts: [string, () => Promise<unknown>][] = [
        ['createPerson', () => writeTransaction(db, (trx) => createPerson(trx, scope, actor, { name: '越權' }, now))],
        ['createHousehold', () => writeTransaction(db, (trx) => createHousehold(trx, scope, actor, { address: {} }, now))],
        ['designateConcern', () => writeTransaction(db, (trx) => designateConcern(trx, scope, actor, { householdId: fx.hh, reason: '其他', startDate: '2026-03-01', frequency: 'monthly', workerId: c.w1.id }, now))],
        ['saveCareLoad', () => writeTransaction(db, (trx) => saveCareLoad(trx, scope, actor, { householdId: fx.hh, version: 0, needs: [], caregiverPersonId: null, highBurden: true, services: [] }, now))],
        ['revealNationalId', () => writeTransaction(db, (trx) => revealNationalId(trx, scope, actor, fx.head, now))],
        ['getCareLoad', () => getCareLoad(db, scope, fx.hh)],
        ['listConcerns', () => listConcerns(db, scope, { filter: 'all', offset: 0, limit: 10 }, now)],
        ['householdTimeline', () => householdTimeline(db, scope, fx.hh, 0, 10)],
      ];
      for (const [name, attempt] of attempts) {
        await expect(attempt(), `${role} ${name}`).rejects.toMatchObject({ code: 'FORBIDDEN' });
      }
      expect(await domainCounts(c)).toEqual(before);
      if (role === 'auditor') await expect(getHouseholdView(db, scope, fx.hh)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      else expect((await getHouseholdView(db, scope, fx.hh)).notes).toBeNull();
    }
  });
});
