/**
 * Worklists (工作清單): my caseload, my team's caseload, the approvals inbox,
 * overdue follow-ups, overdue long-term concern visits, dispatched cases not
 * contacted within 24 hours, and the week's visit calendar. Read-only queries;
 * "today" is the Taipei date of the app clock so tests can move time.
 *
 * Whose list: a 社工 sees their own work (cases they lead or assist, concerns
 * they are responsible for); a 督導 the teams they supervise, optionally one
 * worker of them; a 管理者 everything, optionally one team or worker.
 */
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../../db/schema';
import { likeContains, likeStartsWith } from '../../../db/like';
import { ApiError } from '../../contract/envelope';
import { addDays, diffDays } from '../../contract/roc-date';
import type { Page } from '../../contract/types';
import {
  ACTIVE_CASE_STATUSES,
  CASE_STATUSES,
  CLOSED_CASE_STATUSES,
  type ApprovalRow,
  type CalendarDay,
  type CaseloadPage,
  type CaseRequestKind,
  type CaseRequestState,
  type CaseStatus,
  type CaseType,
  type ConcernVisitRow,
  type FollowUpRow,
  type RiskLevel,
  type ServiceMethod,
  type TeamCaseloadPage,
  type UncontactedRow,
  type VisitCalendar,
} from '../../contract/types-cases';
import type { Scope } from '../access/scope';
import { headNameOf, refOf, staffByIds, taipeiDate, userRefs } from '../cases/common';
import { caseListQuery, toCaseListRow } from '../cases/service';
import { bigrams, normalizeText } from '../search/terms';

type StatusFilter = CaseStatus | 'active' | 'closed' | 'all';
type Sort = 'received-desc' | 'received-asc' | 'case-no' | 'last-service' | 'status' | 'risk';

const TRUE = sql<SqlBool>`1 = 1`;
const FALSE = sql<SqlBool>`1 = 0`;

function statusWhere(status: StatusFilter) {
  return (eb: ExpressionBuilder<Database, 'cases'>): Expression<SqlBool> => {
    switch (status) {
      case 'all':
        return TRUE;
      case 'active':
        return eb('cases.status', 'in', [...ACTIVE_CASE_STATUSES]);
      case 'closed':
        return eb('cases.status', 'in', [...CLOSED_CASE_STATUSES]);
      default:
        return eb('cases.status', '=', status);
    }
  };
}

/**
 * A case number (or its start), or part of a current member's name. Names go
 * through the search index's bigrams (search_terms `pn:`), then an exact LIKE on
 * the few candidates; a single character falls back to the 戶長's name.
 */
function searchWhere(search: string | undefined) {
  return (eb: ExpressionBuilder<Database, 'cases'>): Expression<SqlBool> => {
    const q = (search ?? '').trim();
    if (q === '') return TRUE;
    if (/^\d{1,3}(-\d{0,6})?$/.test(q)) return likeStartsWith('cases.case_no', q);
    const grams = bigrams(q);
    if (Array.from(normalizeText(q)).length < 2 || grams.length === 0) {
      return likeContains(headNameOf('cases.household_id'), q);
    }
    const [first, ...rest] = grams;
    let candidates = eb.selectFrom('search_terms').select('search_terms.ref').where('search_terms.term', '=', `pn:${first}`);
    for (const g of rest) candidates = candidates.intersect(eb.selectFrom('search_terms').select('search_terms.ref').where('search_terms.term', '=', `pn:${g}`));
    return eb(
      'cases.household_id',
      'in',
      eb
        .selectFrom('household_members as sm')
        .innerJoin('persons as sp', 'sp.id', 'sm.person_id')
        .select('sm.household_id')
        .where('sm.left_on', 'is', null)
        .where('sp.id', 'in', candidates)
        .where(likeContains('sp.name', q)),
    );
  };
}

/**
 * Cases where `userId` is 主責 or 協力, as an id set the planner can drive from
 * the two indexes (an OR over both would scan every case).
 */
function leadOrAssistant(userId: number) {
  return (eb: ExpressionBuilder<Database, 'cases'>): Expression<SqlBool> =>
    eb(
      'cases.id',
      'in',
      eb
        .selectFrom('cases as mine')
        .select('mine.id')
        .where('mine.lead_worker_id', '=', userId)
        .union(eb.selectFrom('case_assistants').select('case_assistants.case_id as id').where('case_assistants.user_id', '=', userId)),
    );
}

const STATUS_ORDER = sql<number>`case cases.status ${sql.join(
  CASE_STATUSES.map((s, i) => sql`when ${s} then ${i}`),
  sql` `,
)} else 99 end`;
const RISK_ORDER = sql<number>`case cases.risk_level when ${'高'} then 0 when ${'中'} then 1 when ${'低'} then 2 else 3 end`;
const LAST_SERVICE = sql<string | null>`(select max(sr_last.occurred_at) from service_records sr_last where sr_last.case_id = cases.id)`;

/** Phase one of a page: the ordered ids only, so the list columns are computed for one page, not every match. */
function orderedIds(db: Kysely<Database>, filter: (eb: ExpressionBuilder<Database, 'cases'>) => Expression<SqlBool>, sort: Sort) {
  const q = db.selectFrom('cases').select('cases.id').where(filter);
  switch (sort) {
    case 'received-desc':
      return q.orderBy('cases.received_at', 'desc').orderBy('cases.id', 'desc');
    case 'received-asc':
      return q.orderBy('cases.received_at', 'asc').orderBy('cases.id', 'asc');
    case 'case-no':
      return q.orderBy('cases.roc_year', 'desc').orderBy('cases.seq', 'desc');
    case 'last-service':
      // Cases never served come first: they need attention most. Then the longest without a service.
      return q.orderBy(sql`${LAST_SERVICE} is not null`).orderBy(LAST_SERVICE, 'asc').orderBy('cases.id');
    case 'status':
      return q.orderBy(STATUS_ORDER).orderBy('cases.received_at', 'desc').orderBy('cases.id', 'desc');
    case 'risk':
      return q.orderBy(RISK_ORDER).orderBy('cases.received_at', 'desc').orderBy('cases.id', 'desc');
    default: {
      const never: never = sort;
      throw new Error(`unknown sort ${String(never)}`);
    }
  }
}

interface CaseloadQuery {
  status: StatusFilter;
  search?: string | undefined;
  sort: Sort;
  offset: number;
  limit: number;
}

async function casePage(
  db: Kysely<Database>,
  me: number,
  where: (eb: ExpressionBuilder<Database, 'cases'>) => Expression<SqlBool>,
  input: CaseloadQuery,
): Promise<CaseloadPage> {
  const filter = (eb: ExpressionBuilder<Database, 'cases'>) => eb.and([where(eb), statusWhere(input.status)(eb), searchWhere(input.search)(eb)]);
  const total = await db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).where(filter).executeTakeFirstOrThrow();
  const ids = (await orderedIds(db, filter, input.sort).offset(input.offset).limit(input.limit).execute()).map((r) => r.id);
  if (ids.length === 0) return { rows: [], total: Number(total.n) };
  const rows = await caseListQuery(db, me).where('cases.id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return { rows: ids.flatMap((id) => { const r = byId.get(id); return r ? [toCaseListRow(r)] : []; }), total: Number(total.n) };
}

/** Cases where I am 主責 or 協力. */
export function myCaseload(db: Kysely<Database>, scope: Scope, input: CaseloadQuery): Promise<CaseloadPage> {
  const me = scope.actor.userId;
  return casePage(db, me, leadOrAssistant(me), input);
}

/** The team ids a supervisor or administrator asks about; null = every team (administrator only). */
function teamsFor(scope: Scope, teamId: number | undefined): number[] | null {
  if (scope.all) return teamId !== undefined ? [teamId] : null;
  if (teamId !== undefined) {
    if (!scope.teamIds.includes(teamId)) throw new ApiError('FORBIDDEN', '您只能查看自己督導的組別。');
    return [teamId];
  }
  return scope.teamIds;
}

function teamWhere(teams: number[] | null) {
  return (eb: ExpressionBuilder<Database, 'cases'>): Expression<SqlBool> => {
    if (teams === null) return TRUE;
    if (teams.length === 0) return FALSE;
    return eb('cases.team_id', 'in', teams);
  };
}

export async function teamCaseload(
  db: Kysely<Database>,
  scope: Scope,
  input: CaseloadQuery & { teamId?: number | undefined; workerId?: number | undefined },
): Promise<TeamCaseloadPage> {
  const teams = teamsFor(scope, input.teamId);
  const inTeams = teamWhere(teams);
  const where = (eb: ExpressionBuilder<Database, 'cases'>) =>
    input.workerId !== undefined ? eb.and([inTeams(eb), eb('cases.lead_worker_id', '=', input.workerId)]) : inTeams(eb);
  const page = await casePage(db, scope.actor.userId, where, input);

  const counts = await db
    .selectFrom('cases')
    .select(['cases.lead_worker_id', 'cases.status', (eb) => eb.fn.countAll<number>().as('n')])
    .where(inTeams)
    .where('cases.lead_worker_id', 'is not', null)
    .groupBy(['cases.lead_worker_id', 'cases.status'])
    .execute();
  let staffQ = db.selectFrom('users').select(['id', 'display_name', 'team_id']).where('role', 'in', ['worker', 'supervisor']).where('disabled_at', 'is', null);
  if (teams !== null) staffQ = teams.length ? staffQ.where('team_id', 'in', teams) : staffQ.where(FALSE);
  const staff = await staffQ.orderBy('team_id').orderBy('display_name').execute();
  const extra = counts.map((c) => c.lead_worker_id as number).filter((id) => !staff.some((s) => s.id === id));
  const others = await staffByIds(db, extra);
  const people = [...staff, ...[...others.values()].map((o) => ({ id: o.id, display_name: o.display_name, team_id: o.team_id }))];
  const perWorker = people.map((p) => {
    const byStatus: Partial<Record<CaseStatus, number>> = {};
    let active = 0;
    for (const c of counts) {
      if (c.lead_worker_id !== p.id) continue;
      const n = Number(c.n);
      byStatus[c.status as CaseStatus] = n;
      if ((ACTIVE_CASE_STATUSES as readonly string[]).includes(c.status)) active += n;
    }
    return { worker: { id: p.id, name: p.display_name }, teamId: p.team_id, active, byStatus };
  });
  if (input.workerId !== undefined && !perWorker.some((w) => w.worker.id === input.workerId) && teams !== null) {
    throw new ApiError('FORBIDDEN', '這位社工不在您督導的組別。');
  }
  return { ...page, perWorker };
}

/** Pending requests of the teams, oldest first (the supervisor's inbox). */
export async function approvals(db: Kysely<Database>, scope: Scope, teamId: number | undefined): Promise<ApprovalRow[]> {
  const teams = teamsFor(scope, teamId);
  const rows = await db
    .selectFrom('case_requests')
    .innerJoin('cases', 'cases.id', 'case_requests.case_id')
    .selectAll('case_requests')
    .select([
      'cases.case_no',
      'cases.household_id',
      'cases.status as case_status',
      'cases.case_type',
      'cases.risk_level',
      'cases.lead_worker_id',
      'cases.team_id',
      headNameOf('cases.household_id').as('head_name'),
    ])
    .where('case_requests.state', '=', 'pending')
    .where(teamWhere(teams))
    .orderBy('case_requests.requested_at')
    .orderBy('case_requests.id')
    .execute();
  const refs = await userRefs(db, rows.flatMap((r) => [r.requested_by, r.transfer_to, r.lead_worker_id]));
  const me = scope.actor.userId;
  return rows.map((r) => ({
    request: {
      id: r.id,
      caseId: r.case_id,
      kind: r.kind as CaseRequestKind,
      reason: r.reason,
      transferTo: refOf(refs, r.transfer_to),
      requestedBy: refOf(refs, r.requested_by) ?? { id: r.requested_by, name: '' },
      requestedAt: r.requested_at,
      state: r.state as CaseRequestState,
      decidedBy: null,
      decidedAt: null,
      comment: null,
      fromStatus: (r.from_status as CaseStatus | null) ?? null,
    },
    caseNo: r.case_no,
    householdId: r.household_id,
    headName: r.head_name ?? null,
    caseStatus: r.case_status as CaseStatus,
    caseType: r.case_type as CaseType,
    riskLevel: r.risk_level as RiskLevel | null,
    lead: refOf(refs, r.lead_worker_id),
    teamId: r.team_id,
    canDecide: r.requested_by !== me,
  }));
}

/**
 * Whose work a list covers. A worker: their own (asking for someone else is
 * refused). A supervisor: their teams, or one member. An administrator: all, or one worker.
 */
export async function workScope(db: Kysely<Database>, scope: Scope, workerId: number | undefined): Promise<{ worker: number | null; teams: number[] | null }> {
  const me = scope.actor.userId;
  if (scope.actor.role === 'worker') {
    if (workerId !== undefined && workerId !== me) throw new ApiError('FORBIDDEN', '社工只能查看自己的工作清單。');
    return { worker: me, teams: null };
  }
  if (workerId !== undefined) {
    if (!scope.all && workerId !== me) {
      const w = (await staffByIds(db, [workerId])).get(workerId);
      if (!w || w.team_id === null || !scope.teamIds.includes(w.team_id)) throw new ApiError('FORBIDDEN', '這位社工不在您督導的組別。');
    }
    return { worker: workerId, teams: null };
  }
  return { worker: null, teams: scope.all ? null : scope.teamIds };
}

export function casesOfWork(w: { worker: number | null; teams: number[] | null }) {
  return (eb: ExpressionBuilder<Database, 'cases'>): Expression<SqlBool> => (w.worker !== null ? leadOrAssistant(w.worker)(eb) : teamWhere(w.teams)(eb));
}

function concernsOfWork(w: { worker: number | null; teams: number[] | null }) {
  return (eb: ExpressionBuilder<Database, 'long_term_concerns'>): Expression<SqlBool> => {
    if (w.worker !== null) return eb('long_term_concerns.worker_id', '=', w.worker);
    if (w.teams === null) return TRUE;
    if (w.teams.length === 0) return FALSE;
    return eb('long_term_concerns.team_id', 'in', w.teams);
  };
}

const recordCols = [
  'sr.id as service_id',
  'sr.household_id',
  'sr.case_id',
  'sr.concern_id',
  'sr.occurred_at',
  'sr.method',
  'sr.next_follow_up',
  'sr.worker_id',
] as const;

/**
 * Follow-ups whose date has passed with nothing recorded since: the newest
 * record of each active case (or, for concern households, of the household)
 * still points at a date before today. The newest records are kept per case
 * and per household by triggers (case_latest_records, household_latest_records,
 * migration 0027), so the city-wide list reads them instead of probing every
 * active case's records.
 */
export async function overdueFollowUps(
  db: Kysely<Database>,
  scope: Scope,
  input: { workerId?: number | undefined; offset: number; limit: number },
  today: string,
): Promise<Page<FollowUpRow>> {
  const w = await workScope(db, scope, input.workerId);
  // From the cases (a covering index of team and status) to their newest record: `cross join` keeps that order in
  // SQLite, which otherwise starts from every overdue date and looks each case up in the table (3-4x slower city-wide).
  const onCases = await db
    .selectFrom('cases')
    .crossJoin('case_latest_records as lr')
    .whereRef('lr.case_id', '=', 'cases.id')
    .select(['lr.service_id', 'lr.next_follow_up'])
    .where('cases.status', 'in', [...ACTIVE_CASE_STATUSES])
    .where(casesOfWork(w))
    .where('lr.next_follow_up', '<', today)
    .execute();
  const onConcerns = await db
    .selectFrom('long_term_concerns')
    .innerJoin('household_latest_records as lr', 'lr.household_id', 'long_term_concerns.household_id')
    .select(['lr.service_id', 'lr.next_follow_up'])
    .where('long_term_concerns.end_date', 'is', null)
    .where(concernsOfWork(w))
    .where('lr.case_id', 'is', null)
    .where('lr.next_follow_up', '<', today)
    .execute();
  // Only the page gets its names and numbers.
  const all = [...onCases, ...onConcerns].sort((a, b) => (a.next_follow_up ?? '').localeCompare(b.next_follow_up ?? '') || a.service_id - b.service_id);
  const pageIds = all.slice(input.offset, input.offset + input.limit).map((r) => r.service_id);
  const details =
    pageIds.length === 0
      ? []
      : await db
          .selectFrom('service_records as sr')
          .leftJoin('cases', 'cases.id', 'sr.case_id')
          .select([...recordCols, 'cases.case_no', headNameOf('sr.household_id').as('head_name')])
          .where('sr.id', 'in', pageIds)
          .execute();
  const byId = new Map(details.map((d) => [d.service_id, d]));
  const page = pageIds.flatMap((id) => {
    const d = byId.get(id);
    return d ? [d] : [];
  });
  const refs = await userRefs(db, page.map((r) => r.worker_id));
  return {
    total: all.length,
    rows: page.map((r) => ({
      serviceId: r.service_id,
      householdId: r.household_id,
      headName: r.head_name ?? null,
      caseId: r.case_id,
      caseNo: r.case_no,
      concernId: r.concern_id,
      occurredAt: r.occurred_at,
      method: r.method as ServiceMethod,
      nextFollowUp: r.next_follow_up as string,
      daysOverdue: diffDays(r.next_follow_up as string, today),
      worker: refOf(refs, r.worker_id) ?? { id: r.worker_id, name: '' },
    })),
  };
}

/** Long-term concern households whose next visit was due before today (read-only over long_term_concerns). */
export async function overdueConcernVisits(
  db: Kysely<Database>,
  scope: Scope,
  input: { workerId?: number | undefined; offset: number; limit: number },
  today: string,
): Promise<Page<ConcernVisitRow>> {
  const w = await workScope(db, scope, input.workerId);
  const base = db
    .selectFrom('long_term_concerns')
    .where('long_term_concerns.end_date', 'is', null)
    .where('long_term_concerns.next_due', '<', today)
    .where(concernsOfWork(w));
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .leftJoin('users', 'users.id', 'long_term_concerns.worker_id')
    .select([
      'long_term_concerns.id',
      'long_term_concerns.household_id',
      'long_term_concerns.reason',
      'long_term_concerns.next_due',
      'long_term_concerns.last_visit_on',
      'long_term_concerns.worker_id',
      'users.display_name',
      headNameOf('long_term_concerns.household_id').as('head_name'),
    ])
    .orderBy('long_term_concerns.next_due')
    .orderBy('long_term_concerns.id')
    .offset(input.offset)
    .limit(input.limit)
    .execute();
  return {
    total: Number(total.n),
    rows: rows.map((r) => ({
      concernId: r.id,
      householdId: r.household_id,
      headName: r.head_name ?? null,
      reason: r.reason,
      nextDue: r.next_due,
      lastVisitOn: r.last_visit_on,
      daysOverdue: diffDays(r.next_due, today),
      worker: { id: r.worker_id, name: r.display_name ?? '' },
    })),
  };
}

/** Dispatched (派案) cases with no first contact, 24 hours or more after dispatch. */
export async function uncontacted24h(db: Kysely<Database>, scope: Scope, workerId: number | undefined, now: Date): Promise<UncontactedRow[]> {
  const w = await workScope(db, scope, workerId);
  const cutoff = new Date(now.getTime() - 24 * 3600_000).toISOString();
  const rows = await db
    .selectFrom('cases')
    .leftJoin('users', 'users.id', 'cases.lead_worker_id')
    .select([
      'cases.id',
      'cases.case_no',
      'cases.household_id',
      'cases.status',
      'cases.dispatched_at',
      'cases.lead_worker_id',
      'cases.risk_level',
      'users.display_name',
      headNameOf('cases.household_id').as('head_name'),
    ])
    .where('cases.first_contact_at', 'is', null)
    .where('cases.dispatched_at', 'is not', null)
    .where('cases.dispatched_at', '<=', cutoff)
    .where('cases.status', 'in', [...ACTIVE_CASE_STATUSES])
    .where(casesOfWork(w))
    .orderBy('cases.dispatched_at')
    .execute();
  return rows.map((r) => ({
    caseId: r.id,
    caseNo: r.case_no,
    householdId: r.household_id,
    headName: r.head_name ?? null,
    status: r.status as CaseStatus,
    dispatchedAt: r.dispatched_at as string,
    hoursSinceDispatch: Math.floor((now.getTime() - Date.parse(r.dispatched_at as string)) / 3600_000),
    lead: r.lead_worker_id !== null ? { id: r.lead_worker_id, name: r.display_name ?? '' } : null,
    riskLevel: r.risk_level as RiskLevel | null,
  }));
}

/** UTC instant of 00:00 Taipei time on a date. */
function taipeiMidnight(date: string): string {
  return new Date(`${date}T00:00:00+08:00`).toISOString();
}

/** One worker's week: follow-ups and concern visits falling due, and the services recorded, per Taipei day. */
export async function visitCalendar(db: Kysely<Database>, scope: Scope, weekStart: string, workerId: number | undefined): Promise<VisitCalendar> {
  const target = workerId ?? scope.actor.userId;
  const w = await workScope(db, scope, target);
  const who = w.worker ?? target;
  const weekEnd = addDays(weekStart, 6);
  const days: CalendarDay[] = Array.from({ length: 7 }, (_, i) => ({ date: addDays(weekStart, i), followUps: [], concernVisits: [], records: [] }));
  const dayOf = (date: string) => days.find((d) => d.date === date);

  // Follow-ups on the worker's cases, then on the concerns they are responsible for: two index-driven queries.
  const followUpQuery = () =>
    db
      .selectFrom('service_records as sr')
      .leftJoin('cases', 'cases.id', 'sr.case_id')
      .select([
        ...recordCols,
        'cases.case_no',
        headNameOf('sr.household_id').as('head_name'),
        (eb) =>
          eb
            .case()
            .when('sr.case_id', 'is not', null)
            .then(
              eb.exists(
                eb.selectFrom('service_records as y').select('y.id').whereRef('y.case_id', '=', 'sr.case_id').whereRef('y.occurred_at', '>', 'sr.occurred_at'),
              ),
            )
            .else(
              eb.exists(
                eb.selectFrom('service_records as y').select('y.id').whereRef('y.household_id', '=', 'sr.household_id').whereRef('y.occurred_at', '>', 'sr.occurred_at'),
              ),
            )
            .end()
            .as('done'),
      ])
      .where('sr.next_follow_up', '>=', weekStart)
      .where('sr.next_follow_up', '<=', weekEnd);
  const onCases = await followUpQuery()
    .where('sr.case_id', 'in', (eb) =>
      eb
        .selectFrom('cases as mine')
        .select('mine.id')
        .where('mine.lead_worker_id', '=', who)
        .union(eb.selectFrom('case_assistants').select('case_assistants.case_id as id').where('case_assistants.user_id', '=', who)),
    )
    .execute();
  // case_id is checked here, not in SQL: in SQL it would steer the planner to the case index (every concern record has none).
  const onConcerns = (
    await followUpQuery()
      .where('sr.concern_id', 'in', (eb) => eb.selectFrom('long_term_concerns as lc').select('lc.id').where('lc.worker_id', '=', who))
      .execute()
  ).filter((r) => r.case_id === null);
  const followUps = [...onCases, ...onConcerns].sort((a, b) => (a.next_follow_up ?? '').localeCompare(b.next_follow_up ?? '') || a.service_id - b.service_id);

  const concerns = await db
    .selectFrom('long_term_concerns')
    .select(['id', 'household_id', 'reason', 'next_due', 'last_visit_on', 'worker_id', headNameOf('long_term_concerns.household_id').as('head_name')])
    .where('worker_id', '=', who)
    .where('end_date', 'is', null)
    .where('next_due', '>=', weekStart)
    .where('next_due', '<=', weekEnd)
    .orderBy('next_due')
    .execute();

  const records = await db
    .selectFrom('service_records as sr')
    .leftJoin('cases', 'cases.id', 'sr.case_id')
    .select([...recordCols, 'cases.case_no', headNameOf('sr.household_id').as('head_name')])
    .where('sr.worker_id', '=', who)
    .where('sr.occurred_at', '>=', taipeiMidnight(weekStart))
    .where('sr.occurred_at', '<', taipeiMidnight(addDays(weekEnd, 1)))
    .orderBy('sr.occurred_at')
    .execute();

  const refs = await userRefs(db, [who, ...followUps.map((f) => f.worker_id), ...records.map((r) => r.worker_id)]);
  for (const f of followUps) {
    dayOf(f.next_follow_up as string)?.followUps.push({
      serviceId: f.service_id,
      householdId: f.household_id,
      headName: f.head_name ?? null,
      caseId: f.case_id,
      caseNo: f.case_no,
      concernId: f.concern_id,
      occurredAt: f.occurred_at,
      method: f.method as ServiceMethod,
      nextFollowUp: f.next_follow_up as string,
      worker: refOf(refs, f.worker_id) ?? { id: f.worker_id, name: '' },
      done: Number(f.done) === 1,
    });
  }
  for (const c of concerns) {
    dayOf(c.next_due)?.concernVisits.push({
      concernId: c.id,
      householdId: c.household_id,
      headName: c.head_name ?? null,
      reason: c.reason,
      nextDue: c.next_due,
      lastVisitOn: c.last_visit_on,
      worker: refOf(refs, c.worker_id) ?? { id: c.worker_id, name: '' },
    });
  }
  for (const r of records) {
    dayOf(taipeiDate(r.occurred_at))?.records.push({
      serviceId: r.service_id,
      householdId: r.household_id,
      headName: r.head_name ?? null,
      caseNo: r.case_no,
      concernId: r.concern_id,
      occurredAt: r.occurred_at,
      method: r.method as ServiceMethod,
      worker: refOf(refs, r.worker_id) ?? { id: r.worker_id, name: '' },
    });
  }
  return { weekStart, worker: refOf(refs, who), days };
}
