/**
 * Cases (個案): intake, the status flow of DOMAIN.md with supervisor approval,
 * assignment, edits with optimistic versions, 再開案. Every status change
 * writes case_status_history and an audit row in the same write transaction:
 * the dispatcher's (these are `write: true` methods), passed in as `db`.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../../db/schema';
import type { CasesTable } from '../../../db/tables/caseload';
import { inDeclaredWrite } from '../call-hooks';
import { notify, notifyAssigned } from '../notifications/service';
import { ApiError } from '../../contract/envelope';
import { formatRocDate, formatRocDateTime, todayIso } from '../../contract/roc-date';
import {
  ACTIVE_CASE_STATUSES,
  CASE_REQUEST_KIND_LABELS,
  CASE_REQUEST_STATE_LABELS,
  type CaseAction,
  type CaseDetail,
  type CaseListRow,
  type CaseRequestKind,
  type CaseRequestState,
  type CaseRequestView,
  type CaseSource,
  type CaseStatus,
  type CaseType,
  type CodedFactor,
  type RiskLevel,
} from '../../contract/types-cases';
import { assertCaseVisible, assertHouseholdVisible, caseVisible, scopeOf, type Scope } from '../access/scope';
import { appendAudit } from '../audit/log';
import { assertFactorsValid, labelFactors, versionInForce } from '../codelists/service';
import { linkConcernToCase } from '../concerns/service';
import type { Actor } from '../context';
import {
  assertCanCarryCases,
  assertWithinTeams,
  conflictError,
  formatCaseNo,
  headNameOf,
  refOf,
  rocYearOf,
  staffByIds,
  taipeiDate,
  userRefs,
} from './common';
import { actionLabel, allowedActions, decisionAction, isCaseStatus, refusalMessage, requestAction, transition, type Transition } from './state';

export type CaseRow = Selectable<CasesTable>;

const CASE_NOT_FOUND = '找不到這筆個案，或您沒有權限檢視（個案只有主責、協力社工與其督導可以查看）。';

// --- reading -----------------------------------------------------------------

async function loadCase(db: Kysely<Database>, id: number): Promise<CaseRow> {
  const row = await db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('NOT_FOUND', CASE_NOT_FOUND);
  return row;
}

function statusOf(row: { status: string }): CaseStatus {
  if (!isCaseStatus(row.status)) throw new Error(`case has unknown status ${row.status}`);
  return row.status;
}

/** Loads a case the scope may see (NOT_FOUND otherwise: existence is itself sensitive). */
export async function visibleCase(db: Kysely<Database>, scope: Scope, id: number): Promise<CaseRow> {
  const row = await db.selectFrom('cases').selectAll().where('id', '=', id).where(caseVisible(scope)).executeTakeFirst();
  if (!row) throw new ApiError('NOT_FOUND', CASE_NOT_FOUND);
  return row;
}

async function assistantsOf(db: Kysely<Database>, caseId: number): Promise<number[]> {
  const rows = await db.selectFrom('case_assistants').select('user_id').where('case_id', '=', caseId).orderBy('user_id').execute();
  return rows.map((r) => r.user_id);
}

async function factorCodesOf(db: Kysely<Database>, caseId: number): Promise<string[]> {
  const rows = await db.selectFrom('case_factors').select('code').where('case_id', '=', caseId).orderBy('code').execute();
  return rows.map((r) => r.code);
}

/** The caller's standing on one case. */
interface Standing {
  admin: boolean;
  /** Supervises (or belongs to, as a supervisor) the case's team. */
  supervisor: boolean;
  lead: boolean;
  assistant: boolean;
}

function standingOn(scope: Scope, c: CaseRow, assistants: readonly number[]): Standing {
  const me = scope.actor.userId;
  return {
    admin: scope.all,
    supervisor: scope.actor.role === 'supervisor' && c.team_id !== null && scope.teamIds.includes(c.team_id),
    lead: c.lead_worker_id === me,
    assistant: assistants.includes(me),
  };
}

/**
 * Who may take an action the status allows. Approving and returning also need a
 * pending request of the matching kind not made by the caller.
 */
function permits(action: CaseAction, s: Standing, pending: { kind: CaseRequestKind; requestedBy: number } | null, me: number): boolean {
  const manager = s.admin || s.supervisor;
  switch (action) {
    case 'assign':
      return manager;
    case 'edit':
      return manager || s.lead;
    case 'first-contact':
    case 'record-service':
      return manager || s.lead || s.assistant;
    case 'request-open':
    case 'request-not-open':
    case 'request-short-term':
    case 'request-close':
    case 'request-transfer':
      return (manager || s.lead) && pending === null;
    case 'approve-open':
    case 'approve-not-open':
    case 'approve-short-term':
    case 'approve-close':
    case 'approve-transfer':
    case 'return-review':
    case 'return-transfer':
      return manager && pending !== null && pending.requestedBy !== me && decisionMatches(action, pending.kind);
    case 'withdraw':
      return pending !== null && pending.requestedBy === me;
    case 'reopen':
      return manager || s.lead || s.assistant;
    default: {
      const never: never = action;
      throw new Error(`unknown action ${String(never)}`);
    }
  }
}

function decisionMatches(action: CaseAction, kind: CaseRequestKind): boolean {
  return decisionAction(kind, true) === action || decisionAction(kind, false) === action;
}

function requestView(
  r: Selectable<Database['case_requests']>,
  refs: Map<number, { id: number; name: string }>,
): CaseRequestView {
  return {
    id: r.id,
    caseId: r.case_id,
    kind: r.kind as CaseRequestKind,
    reason: r.reason,
    transferTo: refOf(refs, r.transfer_to),
    requestedBy: refOf(refs, r.requested_by) ?? { id: r.requested_by, name: '' },
    requestedAt: r.requested_at,
    state: r.state as CaseRequestState,
    decidedBy: refOf(refs, r.decided_by),
    decidedAt: r.decided_at,
    comment: r.decision_comment,
    fromStatus: r.from_status !== null && isCaseStatus(r.from_status) ? r.from_status : null,
  };
}

/**
 * The case page. `justChanged`: the caller has just written this case (an intake
 * waiting for dispatch, a transfer out of the team) and gets the outcome even if
 * the case is now outside their sight; `allowed` still reflects their real standing.
 */
export async function caseDetail(db: Kysely<Database>, scope: Scope, id: number, opts: { justChanged?: boolean } = {}): Promise<CaseDetail> {
  const c = opts.justChanged ? await loadCase(db, id) : await visibleCase(db, scope, id);
  const [assistants, codes, history, requests, team, prev, next] = await Promise.all([
    assistantsOf(db, id),
    factorCodesOf(db, id),
    db.selectFrom('case_status_history').selectAll().where('case_id', '=', id).orderBy('at').orderBy('id').execute(),
    db.selectFrom('case_requests').selectAll().where('case_id', '=', id).orderBy('requested_at', 'desc').orderBy('id', 'desc').execute(),
    c.team_id !== null ? db.selectFrom('teams').select(['id', 'name']).where('id', '=', c.team_id).executeTakeFirst() : Promise.resolve(undefined),
    c.previous_case_id !== null ? db.selectFrom('cases').select(['id', 'case_no']).where('id', '=', c.previous_case_id).executeTakeFirst() : Promise.resolve(undefined),
    db.selectFrom('cases').select(['id', 'case_no']).where('previous_case_id', '=', id).executeTakeFirst(),
  ]);
  const headRow = await db
    .selectFrom('cases as c')
    .select(headNameOf('c.household_id').as('name'))
    .where('c.id', '=', id)
    .executeTakeFirst();
  const version = c.code_list_version_id !== null
    ? await db.selectFrom('code_list_versions').select(['id', 'effective_from']).where('id', '=', c.code_list_version_id).executeTakeFirst()
    : undefined;
  const factors = await labelFactors(db, c.code_list_version_id, codes);
  const refs = await userRefs(db, [
    c.lead_worker_id,
    c.created_by,
    c.updated_by,
    ...assistants,
    ...history.map((h) => h.by_user),
    ...requests.flatMap((r) => [r.requested_by, r.decided_by, r.transfer_to]),
  ]);
  const status = statusOf(c);
  const requestViews = requests.map((r) => requestView(r, refs));
  const pending = requestViews.find((r) => r.state === 'pending') ?? null;
  const standing = standingOn(scope, c, assistants);
  const pendingFacts = pending ? { kind: pending.kind, requestedBy: pending.requestedBy.id } : null;
  const allowed = allowedActions(status).filter(
    (a) => permits(a, standing, pendingFacts, scope.actor.userId) && (a !== 'reopen' || !next) && (a !== 'first-contact' || c.first_contact_at === null),
  );
  return {
    id: c.id,
    caseNo: c.case_no,
    householdId: c.household_id,
    headName: headRow?.name ?? null,
    previousCase: prev ? { id: prev.id, caseNo: prev.case_no } : null,
    nextCase: next ? { id: next.id, caseNo: next.case_no } : null,
    source: c.source as CaseSource,
    referringUnit: c.referring_unit,
    receivedAt: c.received_at,
    dispatchedAt: c.dispatched_at,
    firstContactAt: c.first_contact_at,
    caseType: c.case_type as CaseType,
    riskLevel: c.risk_level as RiskLevel | null,
    codeListVersion: version ? { id: version.id, effectiveFrom: version.effective_from } : null,
    factors,
    status,
    lead: refOf(refs, c.lead_worker_id),
    assistants: assistants.map((a) => refOf(refs, a) ?? { id: a, name: '' }),
    team: team ? { id: team.id, name: team.name } : null,
    openedOn: c.opened_on,
    closedOn: c.closed_on,
    closeReason: c.close_reason,
    summary: c.summary,
    createdAt: c.created_at,
    createdBy: refOf(refs, c.created_by),
    updatedAt: c.updated_at,
    updatedBy: refOf(refs, c.updated_by),
    version: c.version,
    history: history.map((h) => ({
      id: h.id,
      fromStatus: h.from_status !== null && isCaseStatus(h.from_status) ? h.from_status : null,
      toStatus: statusOf({ status: h.to_status }),
      action: h.action,
      reason: h.reason,
      at: h.at,
      by: refOf(refs, h.by_user) ?? { id: h.by_user, name: '' },
    })),
    requests: requestViews,
    pendingRequest: pending,
    allowed,
  };
}

/** The list-row select shared by caseloads and the household page. */
export function caseListQuery(db: Kysely<Database>, me: number) {
  return db
    .selectFrom('cases')
    .leftJoin('users as lead', 'lead.id', 'cases.lead_worker_id')
    .select([
      'cases.id',
      'cases.case_no',
      'cases.household_id',
      'cases.status',
      'cases.case_type',
      'cases.risk_level',
      'cases.received_at',
      'cases.dispatched_at',
      'cases.first_contact_at',
      'cases.lead_worker_id',
      'lead.display_name as lead_name',
      'cases.team_id',
      headNameOf('cases.household_id').as('head_name'),
      (eb) => eb.selectFrom('service_records').select((e) => e.fn.max('service_records.occurred_at').as('m')).whereRef('service_records.case_id', '=', 'cases.id').as('last_service_at'),
      (eb) => eb.selectFrom('case_requests').select('case_requests.kind').whereRef('case_requests.case_id', '=', 'cases.id').where('case_requests.state', '=', 'pending').limit(1).as('pending_kind'),
      (eb) =>
        eb
          .case()
          .when('cases.lead_worker_id', '=', me)
          .then('lead')
          .when(eb.exists(eb.selectFrom('case_assistants').select('case_assistants.user_id').whereRef('case_assistants.case_id', '=', 'cases.id').where('case_assistants.user_id', '=', me)))
          .then('assistant')
          .else(null)
          .end()
          .as('my_role'),
    ]);
}

type CaseListDbRow = Awaited<ReturnType<ReturnType<typeof caseListQuery>['execute']>>[number];

export function toCaseListRow(r: CaseListDbRow): CaseListRow {
  return {
    id: r.id,
    caseNo: r.case_no,
    householdId: r.household_id,
    headName: r.head_name ?? null,
    status: statusOf(r),
    caseType: r.case_type as CaseType,
    riskLevel: r.risk_level as RiskLevel | null,
    receivedAt: r.received_at,
    dispatchedAt: r.dispatched_at,
    firstContactAt: r.first_contact_at,
    lead: r.lead_worker_id !== null ? { id: r.lead_worker_id, name: r.lead_name ?? '' } : null,
    teamId: r.team_id,
    myRole: (r.my_role as 'lead' | 'assistant' | null) ?? null,
    lastServiceAt: (r.last_service_at as string | null) ?? null,
    pendingRequest: (r.pending_kind as CaseRequestKind | null) ?? null,
  };
}

export async function listCasesOfHousehold(db: Kysely<Database>, scope: Scope, householdId: number): Promise<CaseListRow[]> {
  await assertHouseholdVisible(db, scope, householdId);
  const rows = await caseListQuery(db, scope.actor.userId)
    .where('cases.household_id', '=', householdId)
    .where(caseVisible(scope))
    .orderBy('cases.received_at', 'desc')
    .execute();
  return rows.map(toCaseListRow);
}

// --- writing -----------------------------------------------------------------

/** The next number of the ROC year, allotted inside the caller's write transaction (no gaps, no races). */
export async function allotCaseNumber(trx: Kysely<Database>, receivedAt: string): Promise<{ roc_year: number; seq: number; case_no: string }> {
  const rocYear = rocYearOf(receivedAt);
  const row = await trx.selectFrom('cases').select((eb) => eb.fn.max('seq').as('m')).where('roc_year', '=', rocYear).executeTakeFirst();
  const seq = Number(row?.m ?? 0) + 1;
  return { roc_year: rocYear, seq, case_no: formatCaseNo(rocYear, seq) };
}

async function historyRow(
  trx: Kysely<Database>,
  caseId: number,
  from: CaseStatus | null,
  to: CaseStatus,
  action: string,
  reason: string | null,
  actor: Actor,
  at: string,
): Promise<void> {
  await trx.insertInto('case_status_history').values({ case_id: caseId, from_status: from, to_status: to, action, reason, at, by_user: actor.userId }).execute();
}

function refuse(status: CaseStatus, action: CaseAction): never {
  throw new ApiError('RULE', refusalMessage(status, action), { details: { status, action, allowed: allowedActions(status) } });
}

/** The machine's answer, or a RULE refusal naming the status and what it allows. */
export function requireTransition(status: CaseStatus, action: CaseAction) {
  const t = transition(status, action);
  if (!t) refuse(status, action);
  return t;
}

async function assertNoActiveCase(trx: Kysely<Database>, householdId: number, exceptId?: number): Promise<void> {
  let q = trx.selectFrom('cases').select(['case_no', 'status']).where('household_id', '=', householdId).where('status', 'in', [...ACTIVE_CASE_STATUSES]);
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  const open = await q.executeTakeFirst();
  if (open) {
    throw new ApiError('RULE', `這個家戶已有進行中的個案 ${open.case_no}（${open.status}），請在該個案中繼續服務，或待其結案後再開新案。`, {
      details: { caseNo: open.case_no },
    });
  }
}

async function checkTeam(trx: Kysely<Database>, leadId: number | null, fallback: number | null): Promise<number | null> {
  if (leadId === null) return fallback;
  return (await staffByIds(trx, [leadId])).get(leadId)?.team_id ?? fallback;
}

async function validateWorkers(trx: Kysely<Database>, scope: Scope, leadId: number | null, assistantIds: readonly number[], leadMustBeInTeams: boolean): Promise<void> {
  const staff = await staffByIds(trx, [...(leadId !== null ? [leadId] : []), ...assistantIds]);
  if (leadId !== null) {
    const lead = staff.get(leadId);
    assertCanCarryCases(lead, 'leadWorkerId', '主責社工');
    if (leadMustBeInTeams) assertWithinTeams(scope, lead, 'leadWorkerId', '主責社工');
  }
  for (const a of assistantIds) {
    if (a === leadId) throw new ApiError('RULE', '主責社工不必再列為協力社工。', { fields: { assistantIds: '與主責社工重複' } });
    assertCanCarryCases(staff.get(a), 'assistantIds', '協力社工');
  }
}

export interface IntakeInput {
  householdId: number;
  source: CaseSource;
  referringUnit?: string | null | undefined;
  receivedAt: string;
  dispatchedAt?: string | null | undefined;
  caseType: CaseType;
  factors: string[];
  riskLevel: RiskLevel;
  leadWorkerId: number | null;
  assistantIds: number[];
  summary?: string | null | undefined;
  fromConcernId?: number | undefined;
}

function assertNotFuture(ts: string, now: Date, field: string, label: string): void {
  if (ts > new Date(now.getTime() + 5 * 60_000).toISOString()) {
    throw new ApiError('RULE', `${label}（${formatRocDateTime(ts)}）不能晚於現在。`, { fields: { [field]: '不能晚於現在' } });
  }
}

export async function intakeCase(db: Kysely<Database>, actor: Actor, input: IntakeInput, now: Date): Promise<number> {
  assertNotFuture(input.receivedAt, now, 'receivedAt', '收案時間');
  if (actor.role === 'worker' && input.leadWorkerId !== null && input.leadWorkerId !== actor.userId) {
    throw new ApiError('FORBIDDEN', '社工收案時只能擔任主責或留待督導派案；要指定其他主責社工，請由督導派案。', { fields: { leadWorkerId: '只能指定自己' } });
  }
  if (input.leadWorkerId === null && input.dispatchedAt) {
    throw new ApiError('RULE', '尚未指定主責社工，不能填寫派案時間。', { fields: { dispatchedAt: '尚未派案' } });
  }
  const receivedDate = taipeiDate(input.receivedAt);
  return inDeclaredWrite(db, async (trx) => {
    const scope = await scopeOf(trx, actor);
    await assertHouseholdVisible(trx, scope, input.householdId);
    await validateWorkers(trx, scope, input.leadWorkerId, input.assistantIds, actor.role === 'supervisor');
    await assertNoActiveCase(trx, input.householdId);
    if (input.fromConcernId !== undefined) {
      const concern = await trx.selectFrom('long_term_concerns').select(['household_id', 'end_date']).where('id', '=', input.fromConcernId).executeTakeFirst();
      if (!concern || concern.household_id !== input.householdId) {
        throw new ApiError('RULE', '所選的長期關懷紀錄不屬於這個家戶。', { fields: { fromConcernId: '不屬於此家戶' } });
      }
    }
    const version = await versionInForce(trx, 'vulnerability', receivedDate);
    await assertFactorsValid(trx, version?.id ?? null, input.factors, `收案日 ${formatRocDate(receivedDate)} `);

    const ts = now.toISOString();
    const status: CaseStatus = input.leadWorkerId !== null ? '評估中' : '待分派';
    const number = await allotCaseNumber(trx, input.receivedAt);
    const teamId = await checkTeam(trx, input.leadWorkerId, actor.teamId);
    const row = await trx
      .insertInto('cases')
      .values({
        ...number,
        household_id: input.householdId,
        previous_case_id: null,
        source: input.source,
        referring_unit: input.referringUnit ?? null,
        received_at: input.receivedAt,
        dispatched_at: input.leadWorkerId !== null ? (input.dispatchedAt ?? ts) : null,
        first_contact_at: null,
        case_type: input.caseType,
        risk_level: input.riskLevel,
        code_list_version_id: version?.id ?? null,
        status,
        lead_worker_id: input.leadWorkerId,
        team_id: teamId,
        opened_on: null,
        closed_on: null,
        close_reason: null,
        summary: input.summary ?? null,
        created_at: ts,
        created_by: actor.userId,
        updated_at: ts,
        updated_by: actor.userId,
        version: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (input.assistantIds.length) await trx.insertInto('case_assistants').values(input.assistantIds.map((u) => ({ case_id: row.id, user_id: u }))).execute();
    if (input.factors.length) await trx.insertInto('case_factors').values(input.factors.map((code) => ({ case_id: row.id, code }))).execute();
    await historyRow(trx, row.id, null, status, 'intake', input.leadWorkerId !== null ? '收案並派案' : '收案，待督導派案', actor, ts);
    await notifyAssigned(trx, actor.userId, { id: row.id, case_no: number.case_no, household_id: input.householdId }, { lead: input.leadWorkerId, previousLead: null, assistants: input.assistantIds, previousAssistants: [] }, now);
    if (input.fromConcernId !== undefined) {
      await linkConcernToCase(trx, input.fromConcernId, row.id, { date: receivedDate, byUserId: actor.userId, at: ts });
    }
    await appendAudit(
      trx,
      {
        actor,
        action: 'create',
        entity: 'case',
        entityId: row.id,
        detail: { caseNo: number.case_no, householdId: input.householdId, status, leadWorkerId: input.leadWorkerId, factors: input.factors, fromConcernId: input.fromConcernId ?? null },
      },
      now,
    );
    return row.id;
  });
}

/** Loads the case for a change inside the transaction: visible, the machine allows it, the caller may do it. */
async function caseForAction(trx: Kysely<Database>, actor: Actor, caseId: number, action: CaseAction) {
  const scope = await scopeOf(trx, actor);
  const c = await visibleCase(trx, scope, caseId);
  const status = statusOf(c);
  const t = requireTransition(status, action);
  const assistants = await assistantsOf(trx, caseId);
  const standing = standingOn(scope, c, assistants);
  const pendingRow = await trx.selectFrom('case_requests').select(['kind', 'requested_by']).where('case_id', '=', caseId).where('state', '=', 'pending').executeTakeFirst();
  const pending = pendingRow ? { kind: pendingRow.kind as CaseRequestKind, requestedBy: pendingRow.requested_by } : null;
  return { scope, c, status, t, assistants, standing, pending };
}

function forbidden(action: CaseAction, why: string): never {
  throw new ApiError('FORBIDDEN', `您不能${actionLabel(action)}：${why}`);
}

export interface UpdateInput {
  id: number;
  version: number;
  source: CaseSource;
  referringUnit: string | null;
  dispatchedAt: string | null;
  caseType: CaseType;
  factors: string[];
  riskLevel: RiskLevel;
  summary: string | null;
}

export async function updateCase(db: Kysely<Database>, actor: Actor, input: UpdateInput, now: Date): Promise<void> {
  await inDeclaredWrite(db, async (trx) => {
    const { c, standing, pending } = await caseForAction(trx, actor, input.id, 'edit');
    if (!permits('edit', standing, pending, actor.userId)) forbidden('edit', '只有主責社工、該組督導或管理者可以修改個案資料。');
    if (c.version !== input.version) throw await conflictError(trx, '個案', c.updated_by, c.updated_at);
    if (input.dispatchedAt !== null && input.dispatchedAt < c.received_at) {
      throw new ApiError('RULE', '派案時間不能早於收案時間。', { fields: { dispatchedAt: '早於收案時間' } });
    }
    if (input.dispatchedAt === null && c.lead_worker_id !== null && c.dispatched_at !== null) {
      throw new ApiError('RULE', '已派案的個案不能清除派案時間。', { fields: { dispatchedAt: '已派案' } });
    }
    await assertFactorsValid(trx, c.code_list_version_id, input.factors, `收案日 ${formatRocDate(taipeiDate(c.received_at))} `);
    const beforeFactors = await factorCodesOf(trx, c.id);
    const ts = now.toISOString();
    const res = await trx
      .updateTable('cases')
      .set({
        source: input.source,
        referring_unit: input.referringUnit,
        dispatched_at: input.dispatchedAt,
        case_type: input.caseType,
        risk_level: input.riskLevel,
        summary: input.summary,
        updated_at: ts,
        updated_by: actor.userId,
        version: c.version + 1,
      })
      .where('id', '=', c.id)
      .where('version', '=', input.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw await conflictError(trx, '個案', c.updated_by, c.updated_at);
    await trx.deleteFrom('case_factors').where('case_id', '=', c.id).execute();
    if (input.factors.length) await trx.insertInto('case_factors').values(input.factors.map((code) => ({ case_id: c.id, code }))).execute();
    const changed: string[] = [];
    if (c.source !== input.source) changed.push('source');
    if (c.referring_unit !== input.referringUnit) changed.push('referringUnit');
    if (c.dispatched_at !== input.dispatchedAt) changed.push('dispatchedAt');
    if (c.case_type !== input.caseType) changed.push('caseType');
    if (c.risk_level !== input.riskLevel) changed.push('riskLevel');
    if (c.summary !== input.summary) changed.push('summary');
    if ([...beforeFactors].sort().join() !== [...input.factors].sort().join()) changed.push('factors');
    await appendAudit(
      trx,
      {
        actor,
        action: 'update',
        entity: 'case',
        entityId: c.id,
        // Field names and codes only: the summary is case content and stays out of the log.
        detail: { caseNo: c.case_no, changed, riskLevel: { before: c.risk_level, after: input.riskLevel }, factors: { before: beforeFactors, after: input.factors } },
      },
      now,
    );
  });
}

export interface AssignInput {
  id: number;
  version?: number | undefined;
  leadWorkerId: number;
  assistantIds: number[];
  reason?: string | undefined;
}

export async function assignCase(db: Kysely<Database>, actor: Actor, input: AssignInput, now: Date): Promise<void> {
  await inDeclaredWrite(db, async (trx) => {
    const { scope, c, status, t, standing, pending, assistants } = await caseForAction(trx, actor, input.id, 'assign');
    if (!permits('assign', standing, pending, actor.userId)) forbidden('assign', '只有該組督導或管理者可以派案。');
    if (input.version !== undefined && c.version !== input.version) throw await conflictError(trx, '個案', c.updated_by, c.updated_at);
    await validateWorkers(trx, scope, input.leadWorkerId, input.assistantIds, true);
    const to = t.kind === 'move' ? t.to : status;
    const ts = now.toISOString();
    const teamId = await checkTeam(trx, input.leadWorkerId, c.team_id);
    await trx
      .updateTable('cases')
      .set({ lead_worker_id: input.leadWorkerId, team_id: teamId, dispatched_at: c.dispatched_at ?? ts, status: to, updated_at: ts, updated_by: actor.userId, version: c.version + 1 })
      .where('id', '=', c.id)
      .execute();
    await trx.deleteFrom('case_assistants').where('case_id', '=', c.id).execute();
    if (input.assistantIds.length) await trx.insertInto('case_assistants').values(input.assistantIds.map((u) => ({ case_id: c.id, user_id: u }))).execute();
    const lead = (await staffByIds(trx, [input.leadWorkerId])).get(input.leadWorkerId);
    const verb = c.lead_worker_id === null ? '派案' : '改派';
    await historyRow(trx, c.id, status, to, 'assign', input.reason ?? `${verb}給 ${lead?.display_name ?? ''}`, actor, ts);
    await notifyAssigned(trx, actor.userId, c, { lead: input.leadWorkerId, previousLead: c.lead_worker_id, assistants: input.assistantIds, previousAssistants: assistants }, now);
    await appendAudit(
      trx,
      { actor, action: 'update', entity: 'case', entityId: c.id, detail: { caseNo: c.case_no, assign: { from: c.lead_worker_id, to: input.leadWorkerId, assistants: input.assistantIds }, status: { from: status, to } } },
      now,
    );
  });
}

export interface RequestInput {
  caseId: number;
  kind: CaseRequestKind;
  reason: string;
  transferTo?: number | undefined;
}

export async function requestOnCase(db: Kysely<Database>, actor: Actor, input: RequestInput, now: Date): Promise<void> {
  const action = requestAction(input.kind);
  await inDeclaredWrite(db, async (trx) => {
    const { c, status, t, standing, pending } = await caseForAction(trx, actor, input.caseId, action);
    if (pending) {
      throw new ApiError('RULE', `這個個案已有審查中的${CASE_REQUEST_KIND_LABELS[pending.kind]}申請，請待督導審查後再提出。`);
    }
    if (!permits(action, standing, pending, actor.userId)) forbidden(action, '只有主責社工、該組督導或管理者可以提出申請。');
    if (input.kind === 'open' && c.case_type === '脆弱家庭') {
      const codes = await factorCodesOf(trx, c.id);
      if (codes.length === 0) {
        throw new ApiError('RULE', '脆弱家庭個案申請開案前，請先登錄至少一項脆弱性因子。', { fields: { factors: '請登錄脆弱性因子' } });
      }
    }
    if (input.kind === 'transfer') {
      const to = input.transferTo as number;
      const staff = await staffByIds(trx, [to]);
      assertCanCarryCases(staff.get(to), 'transferTo', '接案社工');
      if (to === c.lead_worker_id) throw new ApiError('RULE', '接案社工就是目前的主責社工，請選擇其他人。', { fields: { transferTo: '已是主責社工' } });
    }
    const to = t.kind === 'move' ? t.to : status;
    const ts = now.toISOString();
    const req = await trx
      .insertInto('case_requests')
      .values({
        case_id: c.id,
        kind: input.kind,
        reason: input.reason,
        transfer_to: input.transferTo ?? null,
        requested_by: actor.userId,
        requested_at: ts,
        state: 'pending',
        decided_by: null,
        decided_at: null,
        decision_comment: null,
        from_status: status,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await trx.updateTable('cases').set({ status: to, updated_at: ts, updated_by: actor.userId, version: c.version + 1 }).where('id', '=', c.id).execute();
    await historyRow(trx, c.id, status, to, action, input.reason, actor, ts);
    await appendAudit(
      trx,
      { actor, action: 'update', entity: 'case', entityId: c.id, detail: { caseNo: c.case_no, request: input.kind, requestId: req.id, transferTo: input.transferTo ?? null, status: { from: status, to } } },
      now,
    );
  });
}

export interface DecideInput {
  requestId: number;
  approve: boolean;
  comment?: string | undefined;
}

/** Approves or returns a pending request (督導 of the case's team, or 管理者; never one's own). Returns the case id. */
/** Where a decided or withdrawn request leaves the case: the table's target, or back to where the request was made. */
function statusAfterDecision(status: CaseStatus, t: Transition, fromStatus: string | null, verb: '退回' | '撤回'): CaseStatus {
  if (t.kind === 'move') return t.to;
  if (t.kind !== 'back') return status;
  if (fromStatus === null || !isCaseStatus(fromStatus) || !t.to.includes(fromStatus)) {
    throw new ApiError('RULE', `無法判斷${verb}後的狀態（申請時為「${fromStatus ?? '不明'}」），請洽管理者。`);
  }
  return fromStatus;
}

export async function decideRequest(db: Kysely<Database>, actor: Actor, input: DecideInput, now: Date): Promise<number> {
  return inDeclaredWrite(db, async (trx) => {
    const req = await trx.selectFrom('case_requests').selectAll().where('id', '=', input.requestId).executeTakeFirst();
    if (!req) throw new ApiError('NOT_FOUND', '找不到這筆申請，可能已被撤回，請重新整理。');
    const kind = req.kind as CaseRequestKind;
    const action = decisionAction(kind, input.approve);
    const scope = await scopeOf(trx, actor);
    await assertCaseVisible(trx, scope, req.case_id);
    if (req.state !== 'pending') {
      throw new ApiError('RULE', `這筆${CASE_REQUEST_KIND_LABELS[kind]}申請已${CASE_REQUEST_STATE_LABELS[req.state as CaseRequestState] ?? '處理'}，不能再審查。`);
    }
    const { c, status, t, standing, pending } = await caseForAction(trx, actor, req.case_id, action);
    if (req.requested_by === actor.userId) forbidden(action, '不能審查自己提出的申請，請由其他督導或管理者審查。');
    if (!permits(action, standing, pending, actor.userId)) forbidden(action, '只有該組督導或管理者可以審查申請。');

    const to = statusAfterDecision(status, t, req.from_status, '退回');
    const ts = now.toISOString();
    const today = todayIso(now);
    const patch: Partial<CaseRow> = { status: to, updated_at: ts, updated_by: actor.userId, version: c.version + 1 };
    if (input.approve) {
      switch (kind) {
        case 'open':
          patch.opened_on = today;
          break;
        case 'not-open':
        case 'close':
          patch.closed_on = today;
          patch.close_reason = req.reason;
          break;
        case 'short-term':
          break;
        case 'transfer': {
          const target = req.transfer_to as number;
          const staff = await staffByIds(trx, [target]);
          assertCanCarryCases(staff.get(target), 'transferTo', '接案社工');
          patch.lead_worker_id = target;
          patch.team_id = staff.get(target)?.team_id ?? c.team_id;
          await trx.deleteFrom('case_assistants').where('case_id', '=', c.id).where('user_id', '=', target).execute();
          break;
        }
        default: {
          const never: never = kind;
          throw new Error(`unknown request kind ${String(never)}`);
        }
      }
    }
    await trx.updateTable('cases').set(patch).where('id', '=', c.id).execute();
    await trx
      .updateTable('case_requests')
      .set({ state: input.approve ? 'approved' : 'returned', decided_by: actor.userId, decided_at: ts, decision_comment: input.comment ?? null })
      .where('id', '=', req.id)
      .execute();
    const why = input.approve ? (input.comment ? `核准：${input.comment}` : '核准') : `退回：${input.comment ?? ''}`;
    await historyRow(trx, c.id, status, to, action, why, actor, ts);
    await notify(
      trx,
      actor.userId,
      {
        userId: req.requested_by,
        kind: input.approve ? 'approved' : 'returned',
        entity: 'case',
        entityId: c.id,
        caseId: c.id,
        householdId: c.household_id,
        summary: `個案 ${c.case_no} 的${CASE_REQUEST_KIND_LABELS[kind]}申請${input.approve ? '已核准' : '已退回'}`,
        comment: input.comment ?? null,
      },
      now,
    );
    if (input.approve && kind === 'transfer') {
      await notifyAssigned(trx, actor.userId, c, { lead: req.transfer_to, previousLead: c.lead_worker_id, assistants: [], previousAssistants: [] }, now);
    }
    await appendAudit(
      trx,
      { actor, action: 'update', entity: 'case', entityId: c.id, detail: { caseNo: c.case_no, requestId: req.id, request: kind, decision: input.approve ? 'approved' : 'returned', status: { from: status, to } } },
      now,
    );
    return c.id;
  });
}

/** 撤回: the maker of a pending request takes it back; the case returns to where the request was made. */
export async function withdrawRequest(db: Kysely<Database>, actor: Actor, input: { requestId: number; reason?: string | undefined }, now: Date): Promise<number> {
  return inDeclaredWrite(db, async (trx) => {
    const req = await trx.selectFrom('case_requests').selectAll().where('id', '=', input.requestId).executeTakeFirst();
    if (!req) throw new ApiError('NOT_FOUND', '找不到這筆申請，請重新整理。');
    const kind = req.kind as CaseRequestKind;
    const scope = await scopeOf(trx, actor);
    await assertCaseVisible(trx, scope, req.case_id);
    if (req.state !== 'pending') {
      throw new ApiError('RULE', `這筆${CASE_REQUEST_KIND_LABELS[kind]}申請已${CASE_REQUEST_STATE_LABELS[req.state as CaseRequestState] ?? '處理'}，不能撤回。`);
    }
    const { c, status, t, standing, pending } = await caseForAction(trx, actor, req.case_id, 'withdraw');
    if (!permits('withdraw', standing, pending, actor.userId)) forbidden('withdraw', '只有提出申請的人可以撤回。');
    const to = statusAfterDecision(status, t, req.from_status, '撤回');
    const ts = now.toISOString();
    await trx.updateTable('cases').set({ status: to, updated_at: ts, updated_by: actor.userId, version: c.version + 1 }).where('id', '=', c.id).execute();
    await trx
      .updateTable('case_requests')
      .set({ state: 'withdrawn', decided_by: actor.userId, decided_at: ts, decision_comment: input.reason ?? null })
      .where('id', '=', req.id)
      .execute();
    await historyRow(trx, c.id, status, to, 'withdraw', `撤回${CASE_REQUEST_KIND_LABELS[kind]}申請${input.reason ? `：${input.reason}` : ''}`, actor, ts);
    await appendAudit(trx, { actor, action: 'update', entity: 'case', entityId: c.id, detail: { caseNo: c.case_no, requestId: req.id, request: kind, decision: 'withdrawn', status: { from: status, to } } }, now);
    return c.id;
  });
}

export interface ReopenInput {
  caseId: number;
  reason: string;
  receivedAt: string;
  source: CaseSource;
  referringUnit?: string | null | undefined;
  caseType: CaseType;
  riskLevel: RiskLevel;
  factors?: string[] | undefined;
  leadWorkerId?: number | undefined;
  assistantIds?: number[] | undefined;
}

/** 再開案: a new case for the same household, linked to the closed one, coded with the code list of its own date. */
export async function reopenCase(db: Kysely<Database>, actor: Actor, input: ReopenInput, now: Date): Promise<{ id: number; dropped: CodedFactor[] }> {
  assertNotFuture(input.receivedAt, now, 'receivedAt', '收案時間');
  return inDeclaredWrite(db, async (trx) => {
    const { scope, c, t, standing, pending } = await caseForAction(trx, actor, input.caseId, 'reopen');
    if (!permits('reopen', standing, pending, actor.userId)) forbidden('reopen', '只有這個個案的社工、該組督導或管理者可以再開案。');
    if (t.kind !== 'spawn') throw new Error('reopen must spawn');
    const successor = await trx.selectFrom('cases').select('case_no').where('previous_case_id', '=', c.id).executeTakeFirst();
    if (successor) throw new ApiError('RULE', `這個個案已再開案為 ${successor.case_no}，請在新個案中繼續。`, { details: { caseNo: successor.case_no } });
    if (input.receivedAt < c.received_at) throw new ApiError('RULE', '再開案的收案時間不能早於原個案的收案時間。', { fields: { receivedAt: '早於原個案' } });
    await assertNoActiveCase(trx, c.household_id);

    let lead = input.leadWorkerId ?? (actor.role === 'worker' ? actor.userId : c.lead_worker_id);
    if (actor.role === 'worker' && lead !== actor.userId) {
      throw new ApiError('FORBIDDEN', '社工再開案時只能由自己擔任主責；要交給其他社工，請由督導派案。', { fields: { leadWorkerId: '只能指定自己' } });
    }
    if (lead === null) lead = actor.role === 'worker' ? actor.userId : null;
    if (lead === null) throw new ApiError('VALIDATION', '請指定再開案的主責社工。', { fields: { leadWorkerId: '請指定主責社工' } });
    const assistants = input.assistantIds ?? [];
    await validateWorkers(trx, scope, lead, assistants, actor.role === 'supervisor');

    const receivedDate = taipeiDate(input.receivedAt);
    const version = await versionInForce(trx, 'vulnerability', receivedDate);
    const oldCodes = await factorCodesOf(trx, c.id);
    let codes: string[];
    let dropped: CodedFactor[] = [];
    if (input.factors) {
      codes = input.factors;
      await assertFactorsValid(trx, version?.id ?? null, codes, `收案日 ${formatRocDate(receivedDate)} `);
    } else if (version) {
      const still = await trx
        .selectFrom('code_list_items')
        .select('code')
        .where('version_id', '=', version.id)
        .where('group_code', 'is not', null)
        .where('code', 'in', oldCodes.length ? oldCodes : [''])
        .execute();
      const keep = new Set(still.map((r) => r.code));
      codes = oldCodes.filter((x) => keep.has(x));
      dropped = await labelFactors(trx, c.code_list_version_id, oldCodes.filter((x) => !keep.has(x)));
    } else {
      codes = [];
      dropped = await labelFactors(trx, c.code_list_version_id, oldCodes);
    }

    const ts = now.toISOString();
    const number = await allotCaseNumber(trx, input.receivedAt);
    const status = t.newStatus;
    const row = await trx
      .insertInto('cases')
      .values({
        ...number,
        household_id: c.household_id,
        previous_case_id: c.id,
        source: input.source,
        referring_unit: input.referringUnit ?? null,
        received_at: input.receivedAt,
        dispatched_at: ts,
        first_contact_at: null,
        case_type: input.caseType,
        risk_level: input.riskLevel,
        code_list_version_id: version?.id ?? null,
        status,
        lead_worker_id: lead,
        team_id: await checkTeam(trx, lead, c.team_id),
        opened_on: null,
        closed_on: null,
        close_reason: null,
        summary: null,
        created_at: ts,
        created_by: actor.userId,
        updated_at: ts,
        updated_by: actor.userId,
        version: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (assistants.length) await trx.insertInto('case_assistants').values(assistants.map((u) => ({ case_id: row.id, user_id: u }))).execute();
    if (codes.length) await trx.insertInto('case_factors').values(codes.map((code) => ({ case_id: row.id, code }))).execute();
    await historyRow(trx, row.id, null, status, 'reopen', `再開案（前案 ${c.case_no}）：${input.reason}`, actor, ts);
    await notifyAssigned(trx, actor.userId, { id: row.id, case_no: number.case_no, household_id: c.household_id }, { lead, previousLead: null, assistants, previousAssistants: [] }, now);
    await appendAudit(
      trx,
      {
        actor,
        action: 'create',
        entity: 'case',
        entityId: row.id,
        detail: { caseNo: number.case_no, reopenedFrom: c.case_no, previousCaseId: c.id, factors: codes, droppedFactors: dropped.map((d) => d.code) },
      },
      now,
    );
    return { id: row.id, dropped };
  });
}

export async function recordFirstContact(db: Kysely<Database>, actor: Actor, caseId: number, at: string, now: Date): Promise<void> {
  assertNotFuture(at, now, 'at', '聯繫時間');
  await inDeclaredWrite(db, async (trx) => {
    const { c, standing, pending } = await caseForAction(trx, actor, caseId, 'first-contact');
    if (!permits('first-contact', standing, pending, actor.userId)) forbidden('first-contact', '只有這個個案的社工、該組督導或管理者可以登錄。');
    if (c.first_contact_at !== null) {
      throw new ApiError('RULE', `這個個案已於 ${formatRocDateTime(c.first_contact_at)} 登錄首次聯繫。`);
    }
    if (at < c.received_at) throw new ApiError('RULE', '首次聯繫時間不能早於收案時間。', { fields: { at: '早於收案時間' } });
    const ts = now.toISOString();
    await trx.updateTable('cases').set({ first_contact_at: at, updated_at: ts, updated_by: actor.userId, version: c.version + 1 }).where('id', '=', c.id).execute();
    await appendAudit(trx, { actor, action: 'update', entity: 'case', entityId: c.id, detail: { caseNo: c.case_no, firstContactAt: at } }, now);
  });
}

/**
 * Called by records.create inside its transaction: the first service record of
 * a case counts as its first contact. Returns true when it set it.
 */
export async function noteContact(trx: Kysely<Database>, caseId: number, at: string): Promise<boolean> {
  const res = await trx
    .updateTable('cases')
    .set({ first_contact_at: at })
    .where('id', '=', caseId)
    .where('first_contact_at', 'is', null)
    .where('received_at', '<=', at)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

