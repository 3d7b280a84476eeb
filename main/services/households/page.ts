/**
 * 家戶頁: one call returns what the center knows of a household that the caller
 * may see. Cases are read straight from the cases table (the cases service writes
 * them); the timeline merges service records (never their narrative), referrals,
 * case status changes and concern start/end, newest first, paged.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import type { Page } from '../../contract/types';
import type { HouseholdCaseRow, HouseholdPage, TimelineEntry } from '../../contract/types-households';
import { caseVisible, type Scope } from '../access/scope';
import type { appendAudit } from '../audit/log';
import type { Actor } from '../context';
import { loadCareLoad } from '../concerns/care';
import { concernsOfHousehold } from '../concerns/service';
import { assertMayReadCaseContent, userNames } from './common';
import { eligibilityOf, getHouseholdView, membersOf } from './service';

async function visibleCaseIds(db: Kysely<Database>, scope: Scope, householdId: number): Promise<number[]> {
  const rows = await db.selectFrom('cases').select('id').where('household_id', '=', householdId).where(caseVisible(scope)).execute();
  return rows.map((r) => r.id);
}

export async function householdCases(db: Kysely<Database>, scope: Scope, householdId: number): Promise<{ rows: HouseholdCaseRow[]; others: number }> {
  const all = await db
    .selectFrom('cases')
    .leftJoin('users', 'users.id', 'cases.lead_worker_id')
    .select([
      'cases.id', 'cases.case_no', 'cases.status', 'cases.case_type', 'cases.lead_worker_id', 'users.display_name as lead_name',
      'cases.received_at', 'cases.opened_on', 'cases.closed_on', 'cases.previous_case_id',
    ])
    .where('cases.household_id', '=', householdId)
    .orderBy('cases.received_at', 'desc')
    .orderBy('cases.id', 'desc')
    .execute();
  const visible = new Set(await visibleCaseIds(db, scope, householdId));
  const rows = all
    .filter((c) => visible.has(c.id))
    .map((c) => ({
      id: c.id,
      caseNo: c.case_no,
      status: c.status,
      caseType: c.case_type,
      leadWorkerId: c.lead_worker_id,
      leadWorkerName: c.lead_name ?? null,
      receivedAt: c.received_at,
      openedOn: c.opened_on,
      closedOn: c.closed_on,
      previousCaseId: c.previous_case_id,
    }));
  return { rows, others: all.length - rows.length };
}

/**
 * The timeline, newest first. Only events of cases the caller may open, plus those tied to no case
 * (concern visits, referrals of the household): another team's protected case stays out of sight.
 */
export async function householdTimeline(
  db: Kysely<Database>,
  scope: Scope,
  householdId: number,
  offset: number,
  limit: number,
): Promise<Page<TimelineEntry>> {
  assertMayReadCaseContent(scope);
  const caseIds = await visibleCaseIds(db, scope, householdId);
  const nul = sql<string | null>`null`;
  const c = <T>(ref: string) => sql<T>`${sql.ref(ref)}`;
  const services = db
    .selectFrom('service_records as s')
    .select([
      sql<string>`'service'`.as('kind'), c<number>('s.id').as('id'), c<string>('s.occurred_at').as('at'), c<number | null>('s.case_id').as('case_id'), c<number | null>('s.concern_id').as('concern_id'),
      c<string | null>('s.method').as('t1'), c<string | null>('s.items').as('t2'), c<string | null>('s.next_follow_up').as('t3'), nul.as('t4'), c<number | null>('s.minutes').as('n1'), c<number | null>('s.worker_id').as('user_id'),
    ])
    .where('s.household_id', '=', householdId)
    .where((eb) => (caseIds.length > 0 ? eb.or([eb('s.case_id', 'is', null), eb('s.case_id', 'in', caseIds)]) : eb('s.case_id', 'is', null)));
  const referrals = db
    .selectFrom('referrals as r')
    .select([
      sql<string>`'referral'`.as('kind'), c<number>('r.id').as('id'), c<string>('r.referred_on').as('at'), c<number | null>('r.case_id').as('case_id'), sql<number | null>`null`.as('concern_id'),
      c<string | null>('r.unit_kind').as('t1'), c<string | null>('r.unit_name').as('t2'), c<string | null>('r.reason').as('t3'), c<string | null>('r.status').as('t4'), sql<number | null>`null`.as('n1'), c<number | null>('r.created_by').as('user_id'),
    ])
    .where('r.household_id', '=', householdId)
    .where((eb) => (caseIds.length > 0 ? eb.or([eb('r.case_id', 'is', null), eb('r.case_id', 'in', caseIds)]) : eb('r.case_id', 'is', null)));
  const statusChanges = db
    .selectFrom('case_status_history as h')
    .select([
      sql<string>`'case-status'`.as('kind'), c<number>('h.id').as('id'), c<string>('h.at').as('at'), c<number | null>('h.case_id').as('case_id'), sql<number | null>`null`.as('concern_id'),
      c<string | null>('h.from_status').as('t1'), c<string | null>('h.to_status').as('t2'), c<string | null>('h.action').as('t3'), c<string | null>('h.reason').as('t4'), sql<number | null>`null`.as('n1'), c<number | null>('h.by_user').as('user_id'),
    ])
    .where('h.case_id', 'in', caseIds.length > 0 ? caseIds : [-1]);
  const concernStarts = db
    .selectFrom('long_term_concerns as c')
    .select([
      sql<string>`'concern-start'`.as('kind'), c<number>('c.id').as('id'), c<string>('c.start_date').as('at'), sql<number | null>`null`.as('case_id'), c<number | null>('c.id').as('concern_id'),
      c<string | null>('c.reason').as('t1'), nul.as('t2'), nul.as('t3'), nul.as('t4'), sql<number | null>`null`.as('n1'), c<number | null>('c.worker_id').as('user_id'),
    ])
    .where('c.household_id', '=', householdId);
  const concernEnds = db
    .selectFrom('long_term_concerns as c')
    .select([
      sql<string>`'concern-end'`.as('kind'), c<number>('c.id').as('id'), sql<string>`c.end_date`.as('at'), sql<number | null>`null`.as('case_id'), c<number | null>('c.id').as('concern_id'),
      c<string | null>('c.end_reason').as('t1'), nul.as('t2'), nul.as('t3'), nul.as('t4'), sql<number | null>`null`.as('n1'), c<number | null>('c.updated_by').as('user_id'),
    ])
    .where('c.household_id', '=', householdId)
    .where('c.end_date', 'is not', null);
  const handouts = db
    .selectFrom('fb_handouts as f')
    .innerJoin('fb_locations as l', 'l.id', 'f.location_id')
    .select([
      sql<string>`'handout'`.as('kind'), c<number>('f.id').as('id'), c<string>('f.handed_on').as('at'), sql<number | null>`null`.as('case_id'), sql<number | null>`null`.as('concern_id'),
      c<string | null>('l.name').as('t1'), nul.as('t2'), nul.as('t3'), nul.as('t4'),
      sql<number | null>`(select count(*) from fb_handout_lines hl where hl.handout_id = f.id)`.as('n1'), c<number | null>('f.created_by').as('user_id'),
    ])
    .where('f.household_id', '=', householdId);
  const relations = db
    .selectFrom('household_member_relations as r')
    .innerJoin('household_members as m', 'm.id', 'r.membership_id')
    .innerJoin('persons as p', 'p.id', 'm.person_id')
    .select([
      sql<string>`'relation'`.as('kind'), c<number>('r.id').as('id'), c<string>('r.changed_at').as('at'), sql<number | null>`null`.as('case_id'), sql<number | null>`null`.as('concern_id'),
      c<string | null>('r.from_relation').as('t1'), c<string | null>('r.to_relation').as('t2'), c<string | null>('r.reason').as('t3'), c<string | null>('p.name').as('t4'), sql<number | null>`null`.as('n1'), c<number | null>('r.changed_by').as('user_id'),
    ])
    .where('r.household_id', '=', householdId);
  const union = services.unionAll(referrals).unionAll(statusChanges).unionAll(concernStarts).unionAll(concernEnds).unionAll(handouts).unionAll(relations);
  const [count, rows] = await Promise.all([
    db.selectFrom(union.as('t')).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow(),
    db.selectFrom(union.as('t')).selectAll().orderBy('at', 'desc').orderBy('kind').orderBy('id', 'desc').offset(offset).limit(limit).execute(),
  ]);
  const caseNoIds = rows.map((r) => r.case_id).filter((x): x is number => x !== null);
  const caseNos = new Map(
    caseNoIds.length === 0 ? [] : (await db.selectFrom('cases').select(['id', 'case_no']).where('id', 'in', caseNoIds).execute()).map((c) => [c.id, c.case_no]),
  );
  const names = await userNames(db, rows.map((r) => r.user_id));
  const caseNo = (id: number | null) => (id === null ? null : (caseNos.get(id) ?? null));
  const entries = rows.map((r): TimelineEntry => {
    const who = r.user_id === null ? null : (names.get(r.user_id) ?? null);
    switch (r.kind) {
      case 'service': {
        let items: string[] = [];
        try {
          const parsed: unknown = JSON.parse(r.t2 ?? '[]');
          if (Array.isArray(parsed)) items = parsed.map(String);
        } catch {
          items = [];
        }
        return { kind: 'service', id: r.id, at: r.at, caseId: r.case_id, caseNo: caseNo(r.case_id), concernId: r.concern_id, method: r.t1 ?? '', minutes: Number(r.n1 ?? 0), items, workerName: who, nextFollowUp: r.t3 };
      }
      case 'referral':
        return { kind: 'referral', id: r.id, at: r.at, caseId: r.case_id, caseNo: caseNo(r.case_id), unitKind: r.t1 ?? '', unitName: r.t2 ?? '', reason: r.t3 ?? '', status: r.t4 ?? '' };
      case 'case-status':
        return { kind: 'case-status', id: r.id, at: r.at, caseId: r.case_id as number, caseNo: caseNo(r.case_id) ?? '', fromStatus: r.t1, toStatus: r.t2 ?? '', action: r.t3 ?? '', reason: r.t4, byName: who };
      case 'concern-start':
        return { kind: 'concern-start', id: r.id, at: r.at, concernId: r.concern_id as number, reason: r.t1 ?? '', workerName: who };
      case 'relation':
        return { kind: 'relation', id: r.id, at: r.at, personName: r.t4 ?? '', fromRelation: r.t1 ?? '', toRelation: r.t2 ?? '', reason: r.t3, byName: who };
      case 'handout':
        return { kind: 'handout', id: r.id, at: r.at, locationName: r.t1 ?? '', lines: Number(r.n1 ?? 0), byName: who };
      default:
        return { kind: 'concern-end', id: r.id, at: r.at, concernId: r.concern_id as number, endReason: r.t1 ?? '' };
    }
  });
  return { rows: entries, total: Number(count.n) };
}

/** Builds the page and writes the 'view' audit entry (viewing a household is itself an event). */
export async function householdPage(
  db: Kysely<Database>,
  scope: Scope,
  actor: Actor,
  id: number,
  timelineLimit: number,
  now: Date,
  audit: (entry: Parameters<typeof appendAudit>[1]) => Promise<unknown>,
): Promise<HouseholdPage> {
  const members = await membersOf(db, id, true);
  const household = await getHouseholdView(db, scope, id, members); // access check: throws NOT_FOUND
  const eligibility = (await eligibilityOf(db, [id])).get(id) ?? { incomeStatus: null, activeCase: false, activeConcern: false };
  const full = scope.caseContent;
  await audit({ actor, action: 'view', entity: 'household', entityId: id, detail: { page: full ? 'full' : 'eligibility' } });
  if (!full) {
    return { view: 'eligibility', household, members, eligibility, cases: null, otherCasesCount: null, concerns: null, care: null, timeline: null };
  }
  const [cases, concerns, care, timeline] = await Promise.all([
    householdCases(db, scope, id),
    concernsOfHousehold(db, id, now),
    loadCareLoad(db, id),
    householdTimeline(db, scope, id, 0, timelineLimit),
  ]);
  return { view: 'full', household, members, eligibility, cases: cases.rows, otherCasesCount: cases.others, concerns, care, timeline };
}
