import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodName } from '../../main/contract/api';
import { casesMethods } from '../../main/contract/methods/cases';
import { recordsMethods } from '../../main/contract/methods/records';
import { createFixture, type Fixture, type Staff } from './cases-fixture';

/**
 * The access matrix of the case, record, code-list and worklist methods: each
 * role against each method, on a case led by w1 of team 1. "ok" or the refusal
 * code; a refused call changes no domain table and writes no audit row other
 * than the dispatcher's 'denied' entry.
 */

type Who = 'admin' | 'sup1' | 'sup2' | 'w1' | 'w2' | 'clerk' | 'auditor';
const WHO: Who[] = ['admin', 'sup1', 'sup2', 'w1', 'w2', 'clerk', 'auditor'];
type Outcome = 'ok' | 'FORBIDDEN' | 'NOT_FOUND';

const STAFF_ALL: Record<Who, Outcome> = { admin: 'ok', sup1: 'ok', sup2: 'ok', w1: 'ok', w2: 'ok', clerk: 'FORBIDDEN', auditor: 'FORBIDDEN' };
/** Methods on w1's case: its people and its team's supervisor; others do not learn it exists. */
const ON_CASE: Record<Who, Outcome> = { admin: 'ok', sup1: 'ok', sup2: 'NOT_FOUND', w1: 'ok', w2: 'NOT_FOUND', clerk: 'FORBIDDEN', auditor: 'FORBIDDEN' };
const SUPERVISING: Record<Who, Outcome> = { admin: 'ok', sup1: 'ok', sup2: 'NOT_FOUND', w1: 'FORBIDDEN', w2: 'FORBIDDEN', clerk: 'FORBIDDEN', auditor: 'FORBIDDEN' };
const SUPERVISORS: Record<Who, Outcome> = { admin: 'ok', sup1: 'ok', sup2: 'ok', w1: 'FORBIDDEN', w2: 'FORBIDDEN', clerk: 'FORBIDDEN', auditor: 'FORBIDDEN' };
/** Only whoever made the pending request (the fixture's requests are w1's). */
const REQUESTER_ONLY: Record<Who, Outcome> = { admin: 'FORBIDDEN', sup1: 'FORBIDDEN', sup2: 'NOT_FOUND', w1: 'ok', w2: 'NOT_FOUND', clerk: 'FORBIDDEN', auditor: 'FORBIDDEN' };
/** Correcting a record: its author and the team's 督導; the 管理者 reads but does not rewrite it (issue 11 §1). */
const AUTHOR_OR_SUPERVISOR: Record<Who, Outcome> = { admin: 'FORBIDDEN', sup1: 'ok', sup2: 'NOT_FOUND', w1: 'ok', w2: 'NOT_FOUND', clerk: 'FORBIDDEN', auditor: 'FORBIDDEN' };
const ADMIN_ONLY: Record<Who, Outcome> = { admin: 'ok', sup1: 'FORBIDDEN', sup2: 'FORBIDDEN', w1: 'FORBIDDEN', w2: 'FORBIDDEN', clerk: 'FORBIDDEN', auditor: 'FORBIDDEN' };

const DOMAIN_TABLES = [
  'cases',
  'case_requests',
  'case_status_history',
  'case_factors',
  'case_assistants',
  'service_records',
  'service_participants',
  'referrals',
  'referral_status_history',
  'code_list_versions',
  'code_list_items',
  'long_term_concerns',
] as const;

describe('access matrix: cases, records, referrals, code lists, worklists', () => {
  let f: Fixture;
  let nextEffective = 0;
  beforeAll(async () => {
    f = await createFixture();
  });
  afterAll(async () => {
    await f.close();
  });

  const staff = (w: Who): Staff => f[w];

  /** Fresh state for one call, and the input for it. */
  const MATRIX: Record<string, { expect: Record<Who, Outcome>; input: (who: Staff) => Promise<unknown> }> = {
    'codelists.versions': { expect: STAFF_ALL, input: async () => ({ list: 'vulnerability' }) },
    'codelists.get': { expect: STAFF_ALL, input: async () => ({ list: 'vulnerability', onDate: '2025-01-01' }) },
    'codelists.addVersion': {
      expect: ADMIN_ONLY,
      input: async () => ({ list: 'vulnerability', effectiveFrom: `2030-01-${String(++nextEffective).padStart(2, '0')}`, items: [{ code: '1', group: null, label: '家庭經濟陷困' }] }),
    },
    'cases.intake': {
      expect: STAFF_ALL,
      input: async (who) => ({
        householdId: (await f.household(who)).id,
        source: 'A',
        receivedAt: f.ago(5),
        caseType: '其他',
        factors: [],
        riskLevel: '低',
        leadWorkerId: who.role === 'worker' ? who.id : who.id === f.sup2.id ? f.w3.id : f.w1.id,
      }),
    },
    'cases.get': { expect: ON_CASE, input: async () => ({ id: (await f.caseIn('評估中')).id }) },
    'cases.listByHousehold': { expect: ON_CASE, input: async () => ({ householdId: (await f.caseIn('評估中')).householdId }) },
    'cases.update': {
      expect: ON_CASE,
      input: async () => {
        const c = await f.caseIn('評估中');
        return { id: c.id, version: c.version, source: 'A', referringUnit: null, dispatchedAt: c.dispatchedAt, caseType: c.caseType, factors: ['1-02'], riskLevel: '高', summary: '改' };
      },
    },
    'cases.assign': { expect: SUPERVISING, input: async () => ({ id: (await f.caseIn('待分派')).id, leadWorkerId: f.w1.id, assistantIds: [] }) },
    'cases.request': { expect: ON_CASE, input: async () => ({ caseId: (await f.caseIn('評估中')).id, kind: 'not-open', reason: '不需服務' }) },
    'cases.decide': { expect: SUPERVISING, input: async () => ({ requestId: (await f.caseIn('開案審查中')).pendingRequest?.id, approve: true }) },
    'cases.withdraw': { expect: REQUESTER_ONLY, input: async () => ({ requestId: (await f.caseIn('開案審查中')).pendingRequest?.id }) },
    'cases.reopen': {
      expect: ON_CASE,
      input: async (who) => ({
        caseId: (await f.caseIn('已結案')).id,
        reason: '再次求助',
        receivedAt: f.ago(1),
        source: 'A',
        caseType: '其他',
        riskLevel: '低',
        ...(who.role === 'worker' ? {} : { leadWorkerId: f.w1.id }),
      }),
    },
    'cases.recordFirstContact': { expect: ON_CASE, input: async () => ({ caseId: (await f.caseIn('評估中')).id, at: f.ago(1) }) },
    'records.create': {
      expect: ON_CASE,
      input: async () => {
        const c = await f.caseIn('評估中');
        return { householdId: c.householdId, caseId: c.id, occurredAt: f.ago(1), method: '電訪家庭', participants: [], minutes: 10, items: ['福利諮詢'], narrative: '關心' };
      },
    },
    'records.update': {
      expect: AUTHOR_OR_SUPERVISOR,
      input: async () => {
        const r = await recordOnFreshCase();
        return { id: r.id, version: r.version, occurredAt: r.occurredAt, method: r.method, participants: [], minutes: 35, items: r.items, nextFollowUp: null, reason: '更正分鐘數' };
      },
    },
    'records.get': { expect: ON_CASE, input: async () => ({ id: (await recordOnFreshCase()).id }) },
    'records.history': { expect: ON_CASE, input: async () => ({ id: (await recordOnFreshCase()).id }) },
    'records.list': { expect: ON_CASE, input: async () => ({ caseId: (await recordOnFreshCase()).caseId }) },
    'records.narrative': { expect: ON_CASE, input: async () => ({ id: (await recordOnFreshCase()).id }) },
    'referrals.updateStatus': { expect: ON_CASE, input: async () => ({ id: (await recordOnFreshCase(true)).referralIds[0], status: '受案' }) },
    'referrals.list': { expect: ON_CASE, input: async () => ({ caseId: (await recordOnFreshCase(true)).caseId }) },
    'worklists.myCaseload': { expect: STAFF_ALL, input: async () => ({}) },
    'worklists.teamCaseload': { expect: SUPERVISORS, input: async () => ({}) },
    'worklists.approvals': { expect: SUPERVISORS, input: async () => ({}) },
    'worklists.overdueFollowUps': { expect: STAFF_ALL, input: async () => ({}) },
    'worklists.overdueConcernVisits': { expect: STAFF_ALL, input: async () => ({}) },
    'worklists.uncontacted24h': { expect: STAFF_ALL, input: async () => ({}) },
    'worklists.visitCalendar': { expect: STAFF_ALL, input: async () => ({ weekStart: '2026-03-02' }) },
    'worklists.visitsDue': { expect: STAFF_ALL, input: async () => ({}) },
    'worklists.reassessmentsDue': { expect: STAFF_ALL, input: async () => ({}) },
    'worklists.caseVisitSchedule': { expect: ON_CASE, input: async () => ({ caseId: (await f.caseIn('處遇中')).id }) },
  };

  async function recordOnFreshCase(withReferral = false) {
    const c = await f.caseIn('處遇中');
    return f.call(f.w1, 'records.create', {
      householdId: c.householdId,
      caseId: c.id,
      occurredAt: f.ago(1),
      method: '面訪家庭',
      participants: [],
      minutes: 30,
      items: ['福利諮詢'],
      narrative: '機密的服務紀錄內容',
      ...(withReferral ? { referral: { unitKind: '民間團體' as const, unitName: '家扶中心', reason: '課輔' } } : {}),
    });
  }

  async function snapshot() {
    const counts: Record<string, number> = {};
    for (const table of DOMAIN_TABLES) {
      const r = await f.t.app.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      counts[table] = Number(r.n);
    }
    const last = await f.t.app.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow();
    return { counts, lastAudit: Number(last.id ?? 0) };
  }

  it('covers every method of the cases and records contracts', () => {
    const names = [...Object.keys(casesMethods), ...Object.keys(recordsMethods)].sort();
    expect(Object.keys(MATRIX).sort()).toEqual(names);
  });

  const cells = Object.keys({ ...casesMethods, ...recordsMethods }).flatMap((m) => WHO.map((w) => [m, w] as const));

  it.each(cells)('%s as %s', async (method, who) => {
    const cell = MATRIX[method];
    if (!cell) throw new Error(`no matrix row for ${method}`);
    const expected = cell.expect[who];
    const input = await cell.input(staff(who));
    const before = await snapshot();
    const env = await f.raw(staff(who), method as MethodName, input);
    if (expected === 'ok') {
      expect(env.ok ? 'ok' : `${env.error.code}: ${env.error.message}`).toBe('ok');
      return;
    }
    expect(env.ok ? 'ok' : env.error.code).toBe(expected);
    const after = await snapshot();
    expect(after.counts).toEqual(before.counts);
    const added = await f.t.app.ctx.db.selectFrom('audit_log').select(['action', 'entity']).where('id', '>', before.lastAudit).execute();
    expect(added.filter((a) => a.action !== 'denied')).toEqual([]);
  });
});
