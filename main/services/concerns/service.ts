/**
 * 長期關懷戶 (LongTermConcern): a household the center follows indefinitely,
 * outside the case open/close cycle. It has a visit frequency and a next due
 * date; visits are service records written by the records service, which calls
 * advanceConcernAfterVisit in its own transaction. A concern never appears as a
 * case and never needs closing; it ends with a reason (遷出, 死亡, 轉為個案,
 * 不再需要). From a case to a concern and back nothing is re-typed: the household
 * stays the same and the concern links the case it came from and goes to.
 */
import { sql, type Expression, type ExpressionBuilder, type Kysely, type Selectable, type SqlBool } from 'kysely';
import type { Database } from '../../../db/schema';
import type { LongTermConcernsTable } from '../../../db/tables/caseload';
import { ApiError } from '../../contract/envelope';
import { addDays, addMonths, diffDays, formatRocDate, todayIso } from '../../contract/roc-date';
import type {
  ConcernEndReason,
  ConcernFrequency,
  ConcernListRow,
  ConcernReason,
  ConcernView,
} from '../../contract/types-households';
import type { Page } from '../../contract/types';
import { householdVisible, type Scope } from '../access/scope';
import { appendAudit } from '../audit/log';
import type { Actor } from '../context';
import { assertMayReadCaseContent, assertMayWrite, assertVersion, changedFields, NOT_FOUND_MESSAGE, userNames } from '../households/common';
import { addressView, divisionNames } from '../households/service';

/** The due date one interval after `fromIso`. */
export function nextDueAfter(fromIso: string, frequency: ConcernFrequency, intervalDays: number | null): string {
  switch (frequency) {
    case 'monthly':
      return addMonths(fromIso, 1);
    case 'bimonthly':
      return addMonths(fromIso, 2);
    case 'quarterly':
      return addMonths(fromIso, 3);
    case 'half-yearly':
      return addMonths(fromIso, 6);
    case 'custom':
      if (!intervalDays || intervalDays < 1) throw new ApiError('VALIDATION', '自訂訪視頻率時，請填寫間隔天數。', { fields: { intervalDays: '請填寫間隔天數' } });
      return addDays(fromIso, intervalDays);
    default: {
      const never: never = frequency;
      throw new Error(`unknown frequency ${String(never)}`);
    }
  }
}

/** A where-clause for concerns the scope may see: those of households it sees. */
export function concernVisible(scope: Scope) {
  return (eb: ExpressionBuilder<Database, 'long_term_concerns'>): Expression<SqlBool> => {
    if (scope.all) return sql<SqlBool>`1 = 1`;
    if (!scope.caseContent) return sql<SqlBool>`1 = 0`;
    const me = scope.actor.userId;
    const ors: Expression<SqlBool>[] = [eb('long_term_concerns.worker_id', '=', me)];
    if (scope.teamIds.length > 0) ors.push(eb('long_term_concerns.team_id', 'in', scope.teamIds));
    ors.push(
      eb.exists(
        eb
          .selectFrom('households')
          .select('households.id')
          .whereRef('households.id', '=', 'long_term_concerns.household_id')
          .where((h) => householdVisible(scope)(h as unknown as ExpressionBuilder<Database, 'households'>)),
      ),
    );
    return eb.or(ors);
  };
}

/**
 * After a visit (a service record with concernId) on visitDate: last visit and next due move on.
 * For the records service, inside its transaction. A back-dated visit older than the last one
 * changes nothing; an ended concern is left as it ended. Returns the new dates, or null if unchanged.
 */
export async function advanceConcernAfterVisit(
  trx: Kysely<Database>,
  concernId: number,
  visitDate: string,
): Promise<{ lastVisitOn: string; nextDue: string } | null> {
  const c = await trx.selectFrom('long_term_concerns').selectAll().where('id', '=', concernId).executeTakeFirst();
  if (!c) throw new ApiError('NOT_FOUND', '找不到這個長期關懷戶。');
  if (c.end_date !== null) return null;
  if (c.last_visit_on !== null && visitDate < c.last_visit_on) return null;
  const nextDue = nextDueAfter(visitDate.slice(0, 10), c.frequency as ConcernFrequency, c.interval_days);
  await trx.updateTable('long_term_concerns').set({ last_visit_on: visitDate.slice(0, 10), next_due: nextDue }).where('id', '=', concernId).execute();
  return { lastVisitOn: visitDate.slice(0, 10), nextDue };
}

/**
 * The intake created a case from a concern ended with 轉為個案 (or the case came first and the
 * concern ends now): records the link both ways can be followed. Inside the intake's transaction.
 */
/**
 * A long-term concern household becomes a case again: the concern is linked to the
 * new case and, when still active, ends with 轉為個案 on the case's received date,
 * so the household is never both a case and a concern.
 */
export async function linkConcernToCase(
  trx: Kysely<Database>,
  concernId: number,
  caseId: number,
  endOn?: { date: string; byUserId: number; at: string },
): Promise<void> {
  const c = await trx.selectFrom('long_term_concerns').select(['id', 'household_id', 'end_date', 'start_date']).where('id', '=', concernId).executeTakeFirst();
  if (!c) throw new ApiError('NOT_FOUND', '找不到這個長期關懷戶。');
  const k = await trx.selectFrom('cases').select(['id', 'household_id']).where('id', '=', caseId).executeTakeFirst();
  if (!k) throw new ApiError('NOT_FOUND', '找不到這個個案。');
  if (k.household_id !== c.household_id) throw new ApiError('RULE', '個案與長期關懷戶不是同一戶，無法連結。');
  if (c.end_date === null && endOn) {
    const endDate = endOn.date < c.start_date ? c.start_date : endOn.date;
    await trx
      .updateTable('long_term_concerns')
      .set((eb) => ({ to_case_id: caseId, end_date: endDate, end_reason: '轉為個案', updated_at: endOn.at, updated_by: endOn.byUserId, version: eb('version', '+', 1) }))
      .where('id', '=', concernId)
      .execute();
    return;
  }
  await trx.updateTable('long_term_concerns').set({ to_case_id: caseId }).where('id', '=', concernId).execute();
}

/** The active concern of a household, if any (one at a time). */
export async function activeConcernOf(db: Kysely<Database>, householdId: number): Promise<number | null> {
  const r = await db.selectFrom('long_term_concerns').select('id').where('household_id', '=', householdId).where('end_date', 'is', null).executeTakeFirst();
  return r?.id ?? null;
}

type ConcernRow = Selectable<LongTermConcernsTable>;

async function toViews(db: Kysely<Database>, rows: ConcernRow[], today: string): Promise<ConcernView[]> {
  const names = await userNames(db, rows.flatMap((r) => [r.worker_id, r.updated_by]));
  const caseIds = rows.flatMap((r) => [r.from_case_id, r.to_case_id]).filter((x): x is number => x !== null);
  const caseNos = new Map(
    caseIds.length === 0 ? [] : (await db.selectFrom('cases').select(['id', 'case_no']).where('id', 'in', caseIds).execute()).map((c) => [c.id, c.case_no]),
  );
  return rows.map((r) => ({
    id: r.id,
    householdId: r.household_id,
    reason: r.reason as ConcernReason,
    reasonNote: r.reason_note,
    startDate: r.start_date,
    frequency: r.frequency as ConcernFrequency,
    intervalDays: r.interval_days,
    workerId: r.worker_id,
    workerName: names.get(r.worker_id) ?? null,
    teamId: r.team_id,
    nextDue: r.next_due,
    lastVisitOn: r.last_visit_on,
    daysOverdue: r.end_date === null ? diffDays(r.next_due, today) : null,
    fromCaseId: r.from_case_id,
    fromCaseNo: r.from_case_id === null ? null : (caseNos.get(r.from_case_id) ?? null),
    endDate: r.end_date,
    endReason: r.end_reason as ConcernEndReason | null,
    toCaseId: r.to_case_id,
    toCaseNo: r.to_case_id === null ? null : (caseNos.get(r.to_case_id) ?? null),
    active: r.end_date === null,
    version: r.version,
    updatedAt: r.updated_at,
    updatedByName: r.updated_by === null ? null : (names.get(r.updated_by) ?? null),
  }));
}

export async function getConcernView(db: Kysely<Database>, scope: Scope, id: number, now: Date): Promise<ConcernView> {
  assertMayReadCaseContent(scope);
  const r = await db.selectFrom('long_term_concerns').selectAll().where('id', '=', id).where(concernVisible(scope)).executeTakeFirst();
  if (!r) throw new ApiError('NOT_FOUND', NOT_FOUND_MESSAGE);
  return (await toViews(db, [r], todayIso(now)))[0] as ConcernView;
}

/** Every concern of a household, the active one first, then the ended ones newest first. */
export async function concernsOfHousehold(db: Kysely<Database>, householdId: number, now: Date): Promise<ConcernView[]> {
  const rows = await db.selectFrom('long_term_concerns').selectAll().where('household_id', '=', householdId).execute();
  rows.sort((a, b) => (a.end_date === null ? 0 : 1) - (b.end_date === null ? 0 : 1) || b.start_date.localeCompare(a.start_date) || b.id - a.id);
  return toViews(db, rows, todayIso(now));
}

/**
 * Who may be responsible: an active 社工 or 督導. A 社工 designates for themself; a 督導 for the
 * members of the teams they supervise; a 管理者 for anyone. Returns the worker's team.
 */
async function checkResponsibleWorker(db: Kysely<Database>, scope: Scope, workerId: number): Promise<number | null> {
  const u = await db.selectFrom('users').select(['id', 'role', 'team_id', 'disabled_at']).where('id', '=', workerId).executeTakeFirst();
  if (!u || u.disabled_at !== null || (u.role !== 'worker' && u.role !== 'supervisor')) {
    throw new ApiError('VALIDATION', '負責社工須為在職的社工或督導，請重新選擇。', { fields: { workerId: '不是在職的社工或督導' } });
  }
  if (scope.all) return u.team_id;
  if (scope.actor.role === 'worker' && workerId !== scope.actor.userId) {
    throw new ApiError('RULE', '社工只能將自己設為負責社工；要指派給其他社工，請由督導操作。', { fields: { workerId: '只能指派自己' } });
  }
  if (scope.actor.role === 'supervisor' && workerId !== scope.actor.userId && (u.team_id === null || !scope.teamIds.includes(u.team_id))) {
    throw new ApiError('RULE', '督導只能指派自己組內的社工。', { fields: { workerId: '不是組內社工' } });
  }
  return u.team_id;
}

async function checkCaseOfHousehold(db: Kysely<Database>, caseId: number, householdId: number, field: string): Promise<void> {
  const k = await db.selectFrom('cases').select(['household_id']).where('id', '=', caseId).executeTakeFirst();
  if (!k || k.household_id !== householdId) {
    throw new ApiError('VALIDATION', '所選的個案不是這一戶的個案。', { fields: { [field]: '不是本戶的個案' } });
  }
}

export interface DesignateInput {
  householdId: number;
  reason: ConcernReason;
  reasonNote?: string | null | undefined;
  startDate: string;
  firstDue?: string | undefined;
  frequency: ConcernFrequency;
  intervalDays?: number | null | undefined;
  workerId: number;
  fromCaseId?: number | null | undefined;
}

export async function designateConcern(trx: Kysely<Database>, scope: Scope, actor: Actor, input: DesignateInput, now: Date): Promise<number> {
  assertMayWrite(scope);
  const visible = await trx.selectFrom('households').select('id').where('id', '=', input.householdId).where(householdVisible(scope)).executeTakeFirst();
  if (!visible) throw new ApiError('NOT_FOUND', NOT_FOUND_MESSAGE);
  const active = await trx.selectFrom('long_term_concerns').select(['start_date']).where('household_id', '=', input.householdId).where('end_date', 'is', null).executeTakeFirst();
  if (active) throw new ApiError('RULE', `這一戶自 ${formatRocDate(active.start_date)} 起已是長期關懷戶，不需重複列管；如需調整請修改現有的關懷設定。`);
  const intervalDays = input.frequency === 'custom' ? (input.intervalDays ?? null) : null;
  const nextDue = input.firstDue ?? nextDueAfter(input.startDate, input.frequency, intervalDays);
  if (nextDue < input.startDate) throw new ApiError('VALIDATION', '首次訪視日期不能早於列管開始日期。', { fields: { firstDue: '早於開始日期' } });
  const teamId = await checkResponsibleWorker(trx, scope, input.workerId);
  if (input.fromCaseId) await checkCaseOfHousehold(trx, input.fromCaseId, input.householdId, 'fromCaseId');
  const ts = now.toISOString();
  const row = await trx
    .insertInto('long_term_concerns')
    .values({
      household_id: input.householdId,
      reason: input.reason,
      reason_note: input.reasonNote ?? null,
      start_date: input.startDate,
      frequency: input.frequency,
      interval_days: intervalDays,
      worker_id: input.workerId,
      team_id: teamId,
      next_due: nextDue,
      last_visit_on: null,
      from_case_id: input.fromCaseId ?? null,
      end_date: null,
      end_reason: null,
      to_case_id: null,
      created_at: ts,
      created_by: actor.userId,
      updated_at: ts,
      updated_by: actor.userId,
      version: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendAudit(
    trx,
    { actor, action: 'create', entity: 'concern', entityId: row.id, detail: { householdId: input.householdId, fields: ['reason', 'startDate', 'frequency', 'workerId', ...(input.fromCaseId ? ['fromCaseId'] : [])] } },
    now,
  );
  return row.id;
}

async function visibleConcernRow(db: Kysely<Database>, scope: Scope, id: number) {
  const r = await db.selectFrom('long_term_concerns').selectAll().where('id', '=', id).where(concernVisible(scope)).executeTakeFirst();
  if (!r) throw new ApiError('NOT_FOUND', NOT_FOUND_MESSAGE);
  return r;
}

export async function updateConcern(
  trx: Kysely<Database>,
  scope: Scope,
  actor: Actor,
  input: {
    id: number;
    version: number;
    reason?: ConcernReason | undefined;
    reasonNote?: string | null | undefined;
    frequency?: ConcernFrequency | undefined;
    intervalDays?: number | null | undefined;
    workerId?: number | undefined;
    nextDue?: string | undefined;
  },
  now: Date,
): Promise<void> {
  assertMayWrite(scope);
  const before = await visibleConcernRow(trx, scope, input.id);
  await assertVersion(trx, '長期關懷設定', before, input.version);
  if (before.end_date !== null) throw new ApiError('RULE', `這個長期關懷已於 ${formatRocDate(before.end_date)} 結束，不能再修改；如需再次關懷，請重新列管。`);
  const frequency = input.frequency ?? (before.frequency as ConcernFrequency);
  const intervalDays = frequency === 'custom' ? (input.intervalDays === undefined ? before.interval_days : input.intervalDays) : null;
  const patch: Record<string, unknown> = {
    reason: input.reason,
    reason_note: input.reasonNote,
    frequency: input.frequency,
    interval_days: input.frequency !== undefined || input.intervalDays !== undefined ? intervalDays : undefined,
  };
  if (input.workerId !== undefined && input.workerId !== before.worker_id) {
    patch.team_id = await checkResponsibleWorker(trx, scope, input.workerId);
    patch.worker_id = input.workerId;
  }
  const scheduleChanged = (input.frequency !== undefined && input.frequency !== before.frequency) || (frequency === 'custom' && intervalDays !== before.interval_days);
  if (input.nextDue !== undefined) patch.next_due = input.nextDue;
  else if (scheduleChanged) patch.next_due = nextDueAfter(before.last_visit_on ?? before.start_date, frequency, intervalDays);
  const changed = changedFields(before as unknown as Record<string, unknown>, patch);
  if (changed.length === 0) return;
  const set: Record<string, unknown> = {};
  for (const c of changed) set[c] = patch[c];
  await trx.updateTable('long_term_concerns').set({ ...set, updated_at: now.toISOString(), updated_by: actor.userId, version: before.version + 1 }).where('id', '=', input.id).execute();
  const FIELD: Record<string, string> = { reason: 'reason', reason_note: 'reasonNote', frequency: 'frequency', interval_days: 'intervalDays', worker_id: 'workerId', team_id: 'teamId', next_due: 'nextDue' };
  await appendAudit(trx, { actor, action: 'update', entity: 'concern', entityId: input.id, detail: { fields: changed.map((c) => FIELD[c] ?? c) } }, now);
}

export async function endConcern(
  trx: Kysely<Database>,
  scope: Scope,
  actor: Actor,
  input: { id: number; version: number; endDate: string; endReason: ConcernEndReason; toCaseId?: number | null | undefined },
  now: Date,
): Promise<void> {
  assertMayWrite(scope);
  const before = await visibleConcernRow(trx, scope, input.id);
  await assertVersion(trx, '長期關懷設定', before, input.version);
  if (before.end_date !== null) throw new ApiError('RULE', `這個長期關懷已於 ${formatRocDate(before.end_date)} 結束。`);
  if (input.endDate < before.start_date) {
    throw new ApiError('VALIDATION', `結束日期不能早於列管開始日期（${formatRocDate(before.start_date)}）。`, { fields: { endDate: '早於開始日期' } });
  }
  if (input.toCaseId) {
    if (input.endReason !== '轉為個案') throw new ApiError('VALIDATION', '只有結束原因為「轉為個案」時才能連結個案。', { fields: { toCaseId: '結束原因不是轉為個案' } });
    await checkCaseOfHousehold(trx, input.toCaseId, before.household_id, 'toCaseId');
  }
  await trx
    .updateTable('long_term_concerns')
    .set({ end_date: input.endDate, end_reason: input.endReason, to_case_id: input.toCaseId ?? null, updated_at: now.toISOString(), updated_by: actor.userId, version: before.version + 1 })
    .where('id', '=', input.id)
    .execute();
  await appendAudit(trx, { actor, action: 'update', entity: 'concern', entityId: input.id, detail: { fields: ['endDate', 'endReason', ...(input.toCaseId ? ['toCaseId'] : [])], endReason: input.endReason } }, now);
}

/**
 * Active concerns by next due date, within the caller's scope. mine: I am responsible; team: my
 * team's (a supervisor's teams); all: everything the scope allows. daysOverdue counts from today (Taipei).
 */
export async function listConcerns(
  db: Kysely<Database>,
  scope: Scope,
  input: { filter: 'mine' | 'team' | 'all'; overdueOnly?: boolean | undefined; offset: number; limit: number },
  now: Date,
): Promise<Page<ConcernListRow>> {
  assertMayReadCaseContent(scope);
  const today = todayIso(now);
  let q = db.selectFrom('long_term_concerns').where('long_term_concerns.end_date', 'is', null).where(concernVisible(scope));
  if (input.filter === 'mine') q = q.where('long_term_concerns.worker_id', '=', scope.actor.userId);
  if (input.filter === 'team') {
    const teams = scope.teamIds.length > 0 ? scope.teamIds : scope.actor.teamId !== null ? [scope.actor.teamId] : [];
    if (teams.length === 0) return { rows: [], total: 0 };
    q = q.where('long_term_concerns.team_id', 'in', teams);
  }
  if (input.overdueOnly) q = q.where('long_term_concerns.next_due', '<', today);
  const total = await q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  const rows = await q
    .innerJoin('households', 'households.id', 'long_term_concerns.household_id')
    .leftJoin('users', 'users.id', 'long_term_concerns.worker_id')
    .select([
      'long_term_concerns.id', 'long_term_concerns.household_id', 'long_term_concerns.reason', 'long_term_concerns.frequency',
      'long_term_concerns.interval_days', 'long_term_concerns.worker_id', 'users.display_name as worker_name',
      'long_term_concerns.start_date', 'long_term_concerns.last_visit_on', 'long_term_concerns.next_due',
      'households.county_code', 'households.town_code', 'households.village_code', 'households.neighborhood', 'households.street',
      (eb) =>
        eb
          .selectFrom('household_members as hm')
          .innerJoin('persons as p', 'p.id', 'hm.person_id')
          .select('p.name')
          .whereRef('hm.household_id', '=', 'long_term_concerns.household_id')
          .where('hm.left_on', 'is', null)
          .where('hm.relation', '=', '戶長')
          .limit(1)
          .as('head_name'),
    ])
    .orderBy('long_term_concerns.next_due')
    .orderBy('long_term_concerns.id')
    .offset(input.offset)
    .limit(input.limit)
    .execute();
  const names = await divisionNames(db, rows.flatMap((r) => [r.county_code, r.town_code, r.village_code]));
  return {
    total: Number(total.n),
    rows: rows.map((r) => {
      const daysOverdue = diffDays(r.next_due, today);
      return {
        id: r.id,
        householdId: r.household_id,
        addressText: addressView(r, names).text,
        headName: r.head_name ?? null,
        reason: r.reason as ConcernReason,
        frequency: r.frequency as ConcernFrequency,
        intervalDays: r.interval_days,
        workerId: r.worker_id,
        workerName: r.worker_name ?? null,
        startDate: r.start_date,
        lastVisitOn: r.last_visit_on,
        nextDue: r.next_due,
        daysOverdue,
        overdue: daysOverdue > 0,
      };
    }),
  };
}
