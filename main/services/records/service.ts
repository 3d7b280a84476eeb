/**
 * Service records (服務紀錄) and referrals (轉介).
 *
 * A record hangs on a case or on a long-term concern household, always on its
 * household. Who sees a record: whoever sees its case (case records) or its
 * household (concern records), through services/access/scope.ts. Narratives
 * never travel in lists; reading one is its own call and is audited (the
 * audit row names the record, never the text).
 */
import type { Expression, ExpressionBuilder, Kysely, Selectable, SqlBool } from 'kysely';
import type { Database } from '../../../db/schema';
import type { ServiceRecordsTable } from '../../../db/tables/caseload';
import { auditOutsideCall, inDeclaredWrite } from '../call-hooks';
import { notifyReferralStatus } from '../notifications/service';
import { ApiError } from '../../contract/envelope';
import { formatRocDate, formatRocDateTime } from '../../contract/roc-date';
import {
  REFERRAL_STATUSES,
  type NarrativeView,
  type ReferralStatus,
  type ReferralUnitKind,
  type ReferralView,
  type ServiceItem,
  type ServiceMethod,
  type ServiceRecordPage,
  type ServiceRecordView,
} from '../../contract/types-cases';
import type { RecordEditView, RecordField, RecordHistoryView, RecordStateView } from '../../contract/types-records';
import { assertHouseholdVisible, caseVisible, householdVisible, scopeOf, type Scope } from '../access/scope';
import { appendAudit } from '../audit/log';
import { conflictError, refOf, taipeiDate, userRefs } from '../cases/common';
import { noteContact, requireTransition, visibleCase } from '../cases/service';
import { isCaseStatus, refusalMessage, transition } from '../cases/state';
import { advanceConcernAfterVisit } from '../concerns/service';
import { assertReferableResource } from '../resources/service';
import type { Actor } from '../context';

type RecordRow = Selectable<ServiceRecordsTable>;

const RECORD_NOT_FOUND = '找不到這筆服務紀錄，或您沒有權限檢視。';
const REFERRAL_NOT_FOUND = '找不到這筆轉介，或您沒有權限檢視。';

/** A where-clause for service_records the scope may see: by its case, or by its household when it has no case. */
export function recordVisible(scope: Scope) {
  return (eb: ExpressionBuilder<Database, 'service_records'>): Expression<SqlBool> => {
    const byCase = eb.exists(
      eb
        .selectFrom('cases')
        .select('cases.id')
        .whereRef('cases.id', '=', 'service_records.case_id')
        .where((c) => caseVisible(scope)(c as unknown as ExpressionBuilder<Database, 'cases'>)),
    );
    const byHousehold = eb.exists(
      eb
        .selectFrom('households')
        .select('households.id')
        .whereRef('households.id', '=', 'service_records.household_id')
        .where((h) => householdVisible(scope)(h as unknown as ExpressionBuilder<Database, 'households'>)),
    );
    return eb.or([eb.and([eb('service_records.case_id', 'is not', null), byCase]), eb.and([eb('service_records.case_id', 'is', null), byHousehold])]);
  };
}

async function visibleRecord(db: Kysely<Database>, scope: Scope, id: number): Promise<RecordRow> {
  if (!scope.caseContent) throw new ApiError('FORBIDDEN', '您的角色不能檢視服務紀錄。');
  const row = await db.selectFrom('service_records').selectAll().where('id', '=', id).where(recordVisible(scope)).executeTakeFirst();
  if (!row) throw new ApiError('NOT_FOUND', RECORD_NOT_FOUND);
  return row;
}

/** Participants must be members of the household on the day of the service. */
async function assertParticipants(trx: Kysely<Database>, householdId: number, personIds: readonly number[], onDate: string): Promise<void> {
  if (personIds.length === 0) return;
  const rows = await trx
    .selectFrom('household_members')
    .select('person_id')
    .where('household_id', '=', householdId)
    .where('person_id', 'in', [...personIds])
    .where('joined_on', '<=', onDate)
    .where((eb) => eb.or([eb('left_on', 'is', null), eb('left_on', '>=', onDate)]))
    .execute();
  const members = new Set(rows.map((r) => r.person_id));
  const strangers = personIds.filter((p) => !members.has(p));
  if (strangers.length > 0) {
    throw new ApiError('RULE', `有 ${strangers.length} 位參與者在 ${formatRocDate(onDate)} 不是這個家戶的成員，請重新選擇。`, {
      fields: { participants: '不是家戶成員' },
      details: { personIds: strangers },
    });
  }
}

function assertNotFuture(ts: string, now: Date): void {
  if (ts > new Date(now.getTime() + 5 * 60_000).toISOString()) {
    throw new ApiError('RULE', `服務時間（${formatRocDateTime(ts)}）不能晚於現在；預定的訪視請填在「下次追蹤日」。`, { fields: { occurredAt: '不能晚於現在' } });
  }
}

function assertFollowUp(next: string | null | undefined, occurredDate: string): void {
  if (next && next < occurredDate) {
    throw new ApiError('RULE', `下次追蹤日（${formatRocDate(next)}）不能早於服務日（${formatRocDate(occurredDate)}）。`, { fields: { nextFollowUp: '早於服務日' } });
  }
}

/** May the caller write on this case: the machine allows records in its status, and they work on it. */
async function assertCaseWritable(trx: Kysely<Database>, scope: Scope, caseId: number, householdId: number): Promise<void> {
  const c = await visibleCase(trx, scope, caseId);
  if (c.household_id !== householdId) throw new ApiError('RULE', '這個個案不屬於所選的家戶。', { fields: { caseId: '不屬於此家戶' } });
  if (!isCaseStatus(c.status)) throw new Error(`unknown case status ${c.status}`);
  requireTransition(c.status, 'record-service');
  if (scope.all || scope.actor.role === 'supervisor') return;
  const mine =
    c.lead_worker_id === scope.actor.userId ||
    (await trx.selectFrom('case_assistants').select('user_id').where('case_id', '=', caseId).where('user_id', '=', scope.actor.userId).executeTakeFirst()) !== undefined;
  if (!mine) throw new ApiError('FORBIDDEN', '只有這個個案的主責、協力社工或督導可以新增服務紀錄。');
}

export interface RecordInput {
  occurredAt: string;
  method: ServiceMethod;
  participants: number[];
  minutes: number;
  items: ServiceItem[];
  nextFollowUp?: string | null | undefined;
}

export interface CreateRecordInput extends RecordInput {
  householdId: number;
  caseId?: number | undefined;
  concernId?: number | undefined;
  narrative: string;
  referral?: { unitKind: ReferralUnitKind; unitName: string; reason: string; resourceId?: number | undefined } | undefined;
}

export async function createRecord(db: Kysely<Database>, actor: Actor, input: CreateRecordInput, now: Date): Promise<number> {
  assertNotFuture(input.occurredAt, now);
  const day = taipeiDate(input.occurredAt);
  assertFollowUp(input.nextFollowUp, day);
  return inDeclaredWrite(db, async (trx) => {
    const scope = await scopeOf(trx, actor);
    await assertHouseholdVisible(trx, scope, input.householdId);
    if (input.caseId !== undefined) await assertCaseWritable(trx, scope, input.caseId, input.householdId);
    if (input.concernId !== undefined) {
      const concern = await trx.selectFrom('long_term_concerns').select(['household_id', 'end_date']).where('id', '=', input.concernId).executeTakeFirst();
      if (!concern || concern.household_id !== input.householdId) {
        throw new ApiError('RULE', '所選的長期關懷紀錄不屬於這個家戶。', { fields: { concernId: '不屬於此家戶' } });
      }
      if (concern.end_date !== null && concern.end_date < day) {
        throw new ApiError('RULE', `這個家戶的長期關懷已於 ${formatRocDate(concern.end_date)} 結束，不能再登錄關懷訪視。`, { fields: { concernId: '關懷已結束' } });
      }
    }
    await assertParticipants(trx, input.householdId, input.participants, day);

    const ts = now.toISOString();
    const row = await trx
      .insertInto('service_records')
      .values({
        household_id: input.householdId,
        case_id: input.caseId ?? null,
        concern_id: input.concernId ?? null,
        occurred_at: input.occurredAt,
        method: input.method,
        minutes: input.minutes,
        items: JSON.stringify(input.items),
        narrative: input.narrative === '' ? null : input.narrative,
        next_follow_up: input.nextFollowUp ?? null,
        worker_id: actor.userId,
        created_at: ts,
        created_by: actor.userId,
        updated_at: ts,
        updated_by: actor.userId,
        version: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (input.participants.length) {
      await trx.insertInto('service_participants').values(input.participants.map((p) => ({ service_id: row.id, person_id: p }))).execute();
    }
    let referralId: number | null = null;
    if (input.referral) {
      const resource = input.referral.resourceId !== undefined ? await assertReferableResource(trx, input.referral.resourceId) : null;
      const ref = await trx
        .insertInto('referrals')
        .values({
          household_id: input.householdId,
          case_id: input.caseId ?? null,
          service_id: row.id,
          unit_kind: resource?.unitKind ?? input.referral.unitKind,
          unit_name: resource?.name ?? input.referral.unitName,
          resource_id: input.referral.resourceId ?? null,
          reason: input.referral.reason,
          status: '轉介等待中',
          referred_on: day,
          created_at: ts,
          created_by: actor.userId,
          updated_at: ts,
          updated_by: actor.userId,
          version: 1,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      referralId = ref.id;
      await trx.insertInto('referral_status_history').values({ referral_id: ref.id, status: '轉介等待中', note: '轉介', at: ts, by_user: actor.userId }).execute();
    }
    const firstContact = input.caseId !== undefined ? await noteContact(trx, input.caseId, input.occurredAt) : false;
    const concern = input.concernId !== undefined ? await advanceConcernAfterVisit(trx, input.concernId, day) : null;
    await appendAudit(
      trx,
      {
        actor,
        action: 'create',
        entity: 'service_record',
        entityId: row.id,
        detail: {
          householdId: input.householdId,
          caseId: input.caseId ?? null,
          concernId: input.concernId ?? null,
          method: input.method,
          minutes: input.minutes,
          referralId,
          firstContact,
          concernNextDue: concern?.nextDue ?? null,
        },
      },
      now,
    );
    return row.id;
  });
}

/**
 * Who may correct a record, and whether it is still open to correction (issue 11 §1). The record
 * belongs to its case's team, or (a concern visit) to the concern's team. Its author and the 督導 over
 * that team may correct it, and only they see its earlier narratives; the 管理者 reads but does not
 * rewrite what a worker recorded. A record of a case that takes no more records (不開案, 已結案) or of
 * an ended concern is locked, like the case itself.
 */
interface Ownership {
  teamId: number | null;
  /** Why it may not be corrected now, or null. */
  locked: string | null;
}

async function ownershipOf(db: Kysely<Database>, rows: readonly { id: number; case_id: number | null; concern_id: number | null }[]): Promise<Map<number, Ownership>> {
  const caseIds = [...new Set(rows.map((r) => r.case_id).filter((x): x is number => x !== null))];
  const concernIds = [...new Set(rows.filter((r) => r.case_id === null).map((r) => r.concern_id).filter((x): x is number => x !== null))];
  const [cases, concerns] = await Promise.all([
    caseIds.length ? db.selectFrom('cases').select(['id', 'team_id', 'status']).where('id', 'in', caseIds).execute() : [],
    concernIds.length ? db.selectFrom('long_term_concerns').select(['id', 'team_id', 'end_date']).where('id', 'in', concernIds).execute() : [],
  ]);
  const byCase = new Map(cases.map((c) => [c.id, c]));
  const byConcern = new Map(concerns.map((c) => [c.id, c]));
  const out = new Map<number, Ownership>();
  for (const r of rows) {
    if (r.case_id !== null) {
      const c = byCase.get(r.case_id);
      const status = c?.status ?? '';
      const open = isCaseStatus(status) && transition(status, 'record-service') !== null;
      out.set(r.id, { teamId: c?.team_id ?? null, locked: open ? null : `${isCaseStatus(status) ? refusalMessage(status, 'record-service') : ''}這筆服務紀錄已隨個案鎖定，不能修改。` });
    } else if (r.concern_id !== null) {
      const l = byConcern.get(r.concern_id);
      const ended = l?.end_date ?? null;
      out.set(r.id, { teamId: l?.team_id ?? null, locked: ended !== null ? `這個家戶的長期關懷已於 ${formatRocDate(ended)} 結束，關懷訪視紀錄已鎖定，不能修改。` : null });
    } else {
      out.set(r.id, { teamId: null, locked: null });
    }
  }
  return out;
}

/** The record's author, or the 督導 over the team it belongs to. */
function isAuthorOrSupervisor(scope: Scope, workerId: number, teamId: number | null): boolean {
  if (workerId === scope.actor.userId) return true;
  return scope.actor.role === 'supervisor' && teamId !== null && scope.teamIds.includes(teamId);
}

export interface UpdateRecordInput extends RecordInput {
  id: number;
  version: number;
  narrative?: string | undefined;
  /** 修改原因 */
  reason: string;
}

async function participantIds(db: Kysely<Database>, recordId: number): Promise<number[]> {
  const rows = await db.selectFrom('service_participants').select('person_id').where('service_id', '=', recordId).orderBy('person_id').execute();
  return rows.map((p) => p.person_id);
}

/**
 * Corrects a record: the state it had is kept in service_record_versions with who replaces it, when
 * and why; the audit row names the fields changed, never their text. Refused over a newer version.
 */
export async function updateRecord(db: Kysely<Database>, actor: Actor, input: UpdateRecordInput, now: Date): Promise<void> {
  assertNotFuture(input.occurredAt, now);
  const day = taipeiDate(input.occurredAt);
  assertFollowUp(input.nextFollowUp, day);
  await inDeclaredWrite(db, async (trx) => {
    const scope = await scopeOf(trx, actor);
    const r = await visibleRecord(trx, scope, input.id);
    const own = (await ownershipOf(trx, [r])).get(r.id) ?? { teamId: null, locked: null };
    if (!isAuthorOrSupervisor(scope, r.worker_id, own.teamId)) {
      throw new ApiError('FORBIDDEN', '只有撰寫這筆紀錄的社工或該組督導可以修改服務紀錄。');
    }
    if (own.locked) throw new ApiError('RULE', own.locked);
    if (r.version !== input.version) throw await conflictError(trx, '服務紀錄', r.updated_by, r.updated_at);
    await assertParticipants(trx, r.household_id, input.participants, day);
    const beforeParticipants = await participantIds(trx, r.id);
    const afterParticipants = [...input.participants].sort((a, b) => a - b);
    const changed: RecordField[] = [];
    if (r.occurred_at !== input.occurredAt) changed.push('occurredAt');
    if (r.method !== input.method) changed.push('method');
    if (r.minutes !== input.minutes) changed.push('minutes');
    if (r.items !== JSON.stringify(input.items)) changed.push('items');
    if (beforeParticipants.join(',') !== afterParticipants.join(',')) changed.push('participants');
    if (r.next_follow_up !== (input.nextFollowUp ?? null)) changed.push('nextFollowUp');
    if (input.narrative !== undefined && (r.narrative ?? '') !== input.narrative) changed.push('narrative');
    if (changed.length === 0) throw new ApiError('RULE', '內容沒有任何變更，不需要儲存。');

    const ts = now.toISOString();
    await trx
      .insertInto('service_record_versions')
      .values({
        record_id: r.id,
        version: r.version,
        occurred_at: r.occurred_at,
        method: r.method,
        minutes: r.minutes,
        items: r.items,
        participants: JSON.stringify(beforeParticipants),
        next_follow_up: r.next_follow_up,
        narrative: r.narrative,
        state_at: r.updated_at,
        state_by: r.updated_by,
        replaced_at: ts,
        replaced_by: actor.userId,
        reason: input.reason,
      })
      .execute();
    const res = await trx
      .updateTable('service_records')
      .set({
        occurred_at: input.occurredAt,
        method: input.method,
        minutes: input.minutes,
        items: JSON.stringify(input.items),
        next_follow_up: input.nextFollowUp ?? null,
        ...(input.narrative !== undefined ? { narrative: input.narrative === '' ? null : input.narrative } : {}),
        updated_at: ts,
        updated_by: actor.userId,
        version: r.version + 1,
      })
      .where('id', '=', r.id)
      .where('version', '=', input.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw await conflictError(trx, '服務紀錄', r.updated_by, r.updated_at);
    if (changed.includes('participants')) {
      await trx.deleteFrom('service_participants').where('service_id', '=', r.id).execute();
      if (afterParticipants.length) {
        await trx.insertInto('service_participants').values(afterParticipants.map((p) => ({ service_id: r.id, person_id: p }))).execute();
      }
    }
    // The reason stays in the record's history: it may quote the case, and the audit log is read by 稽核.
    await appendAudit(
      trx,
      { actor, action: 'update', entity: 'service_record', entityId: r.id, detail: { caseId: r.case_id, householdId: r.household_id, changed, version: { from: r.version, to: r.version + 1 } } },
      now,
    );
  });
}

/**
 * The corrections of one record, newest first. Every state carries its narrative only when the caller
 * is the author or the team's 督導; anyone else who may open the record sees that it was corrected,
 * by whom, when, why and which fields, never the earlier text. Each call is audited (ids only).
 */
export async function recordHistory(db: Kysely<Database>, actor: Actor, id: number, now: Date): Promise<RecordHistoryView> {
  const scope = await scopeOf(db, actor);
  const r = await visibleRecord(db, scope, id);
  const own = (await ownershipOf(db, [r])).get(r.id) ?? { teamId: null, locked: null };
  const narrativeVisible = isAuthorOrSupervisor(scope, r.worker_id, own.teamId);
  const versions = await db.selectFrom('service_record_versions').selectAll().where('record_id', '=', r.id).orderBy('version').execute();
  const current = await participantIds(db, r.id);
  const states = [
    ...versions.map((v) => ({
      version: v.version, occurredAt: v.occurred_at, method: v.method, minutes: v.minutes, items: v.items, participants: parseIds(v.participants),
      nextFollowUp: v.next_follow_up, narrative: v.narrative, writtenAt: v.state_at, writtenBy: v.state_by,
    })),
    {
      version: r.version, occurredAt: r.occurred_at, method: r.method, minutes: r.minutes, items: r.items, participants: current,
      nextFollowUp: r.next_follow_up, narrative: r.narrative, writtenAt: r.updated_at, writtenBy: r.updated_by,
    },
  ];
  const personIds = [...new Set(states.flatMap((s) => s.participants))];
  const persons = new Map(
    personIds.length ? (await db.selectFrom('persons').select(['id', 'name']).where('id', 'in', personIds).execute()).map((p) => [p.id, p.name]) : [],
  );
  const users = await userRefs(db, [r.worker_id, ...versions.flatMap((v) => [v.state_by, v.replaced_by]), r.updated_by]);
  const view = (s: (typeof states)[number]): RecordStateView => ({
    version: s.version,
    occurredAt: s.occurredAt,
    method: s.method as ServiceMethod,
    minutes: s.minutes,
    items: parseItems(s.items),
    participants: s.participants.map((p) => ({ id: p, name: persons.get(p) ?? '' })),
    nextFollowUp: s.nextFollowUp,
    ...(narrativeVisible ? { narrative: s.narrative } : {}),
    writtenAt: s.writtenAt,
    writtenBy: refOf(users, s.writtenBy),
  });
  const edits: RecordEditView[] = versions.map((v, i) => {
    const before = states[i]!;
    const after = states[i + 1]!;
    const changed: RecordField[] = [];
    if (before.occurredAt !== after.occurredAt) changed.push('occurredAt');
    if (before.method !== after.method) changed.push('method');
    if (before.minutes !== after.minutes) changed.push('minutes');
    if (before.items !== after.items) changed.push('items');
    if (before.participants.join(',') !== after.participants.join(',')) changed.push('participants');
    if (before.nextFollowUp !== after.nextFollowUp) changed.push('nextFollowUp');
    if ((before.narrative ?? '') !== (after.narrative ?? '')) changed.push('narrative');
    return { at: v.replaced_at, by: refOf(users, v.replaced_by) ?? { id: v.replaced_by, name: '' }, reason: v.reason, changed, before: view(before), after: view(after) };
  });
  await auditOutsideCall(
    db,
    { actor, action: 'view', entity: 'service_record.history', entityId: r.id, detail: { householdId: r.household_id, caseId: r.case_id, edits: edits.length, narratives: narrativeVisible } },
    now,
  );
  return { recordId: r.id, author: refOf(users, r.worker_id) ?? { id: r.worker_id, name: '' }, narrativeVisible, edits: edits.reverse() };
}

function parseIds(json: string): number[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? v.map(Number).filter((n) => Number.isInteger(n)) : [];
  } catch {
    return [];
  }
}

/** Columns of a record without its narrative, plus whether it has one. */
function recordColumns(db: Kysely<Database>) {
  return db
    .selectFrom('service_records')
    .select([
      'service_records.id',
      'service_records.household_id',
      'service_records.case_id',
      'service_records.concern_id',
      'service_records.occurred_at',
      'service_records.method',
      'service_records.minutes',
      'service_records.items',
      'service_records.next_follow_up',
      'service_records.worker_id',
      'service_records.created_at',
      'service_records.created_by',
      'service_records.updated_at',
      'service_records.updated_by',
      'service_records.version',
      (eb) => eb.case().when('service_records.narrative', 'is not', null).then(1).else(0).end().as('has_narrative'),
    ]);
}

type RecordListRow = Awaited<ReturnType<ReturnType<typeof recordColumns>['execute']>>[number];

async function caseNumbers(db: Kysely<Database>, ids: readonly (number | null)[]): Promise<Map<number, string>> {
  const unique = [...new Set(ids.filter((x): x is number => x !== null))];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('cases').select(['id', 'case_no']).where('id', 'in', unique).execute();
  return new Map(rows.map((c) => [c.id, c.case_no]));
}

function parseItems(json: string): ServiceItem[] {
  try {
    const v = JSON.parse(json) as unknown;
    return Array.isArray(v) ? (v as ServiceItem[]) : [];
  } catch {
    return [];
  }
}

async function toViews(db: Kysely<Database>, scope: Scope, rows: RecordListRow[]): Promise<ServiceRecordView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [parts, refs, cases, edits, owners] = await Promise.all([
    db
      .selectFrom('service_participants')
      .innerJoin('persons', 'persons.id', 'service_participants.person_id')
      .select(['service_participants.service_id', 'persons.id', 'persons.name'])
      .where('service_participants.service_id', 'in', ids)
      .execute(),
    db.selectFrom('referrals').select(['id', 'service_id']).where('service_id', 'in', ids).execute(),
    caseNumbers(db, rows.map((r) => r.case_id)),
    db
      .selectFrom('service_record_versions')
      .select((eb) => ['record_id', eb.fn.countAll<number>().as('n'), eb.fn.max('replaced_at').as('last')])
      .where('record_id', 'in', ids)
      .groupBy('record_id')
      .execute(),
    ownershipOf(db, rows),
  ]);
  const editsOf = new Map(edits.map((e) => [e.record_id, { n: Number(e.n), last: e.last }]));
  const users = await userRefs(db, rows.flatMap((r) => [r.worker_id, r.updated_by]));
  const caseNo = cases;
  return rows.map((r) => ({
    id: r.id,
    householdId: r.household_id,
    caseId: r.case_id,
    caseNo: r.case_id !== null ? (caseNo.get(r.case_id) ?? null) : null,
    concernId: r.concern_id,
    occurredAt: r.occurred_at,
    method: r.method as ServiceMethod,
    minutes: r.minutes,
    items: parseItems(r.items),
    participants: parts.filter((p) => p.service_id === r.id).map((p) => ({ id: p.id, name: p.name })),
    hasNarrative: Number(r.has_narrative) === 1,
    nextFollowUp: r.next_follow_up,
    worker: refOf(users, r.worker_id) ?? { id: r.worker_id, name: '' },
    referralIds: refs.filter((x) => x.service_id === r.id).map((x) => x.id),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    updatedBy: refOf(users, r.updated_by),
    version: r.version,
    editCount: editsOf.get(r.id)?.n ?? 0,
    lastEditedAt: editsOf.get(r.id)?.last ?? null,
    canEdit: (() => {
      const own = owners.get(r.id);
      return own !== undefined && own.locked === null && isAuthorOrSupervisor(scope, r.worker_id, own.teamId);
    })(),
  }));
}

export async function getRecordView(db: Kysely<Database>, scope: Scope, id: number): Promise<ServiceRecordView> {
  await visibleRecord(db, scope, id);
  const row = await recordColumns(db).where('service_records.id', '=', id).executeTakeFirstOrThrow();
  const [view] = await toViews(db, scope, [row]);
  if (!view) throw new ApiError('NOT_FOUND', RECORD_NOT_FOUND);
  return view;
}

export async function listRecords(
  db: Kysely<Database>,
  scope: Scope,
  by: { householdId?: number | undefined; caseId?: number | undefined },
  offset: number,
  limit: number,
): Promise<ServiceRecordPage> {
  if (!scope.caseContent) throw new ApiError('FORBIDDEN', '您的角色不能檢視服務紀錄。');
  let q = recordColumns(db);
  if (by.caseId !== undefined) {
    await visibleCase(db, scope, by.caseId);
    q = q.where('service_records.case_id', '=', by.caseId);
  } else if (by.householdId !== undefined) {
    await assertHouseholdVisible(db, scope, by.householdId);
    q = q.where('service_records.household_id', '=', by.householdId).where(recordVisible(scope));
  }
  const total = await q
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const rows = await q.orderBy('service_records.occurred_at', 'desc').orderBy('service_records.id', 'desc').offset(offset).limit(limit).execute();
  return { rows: await toViews(db, scope, rows), total: Number(total.n) };
}

/** Reads one narrative and writes the 'view' audit row (the record's ids, never its text). */
export async function readNarrative(db: Kysely<Database>, actor: Actor, id: number, now: Date): Promise<NarrativeView> {
  const scope = await scopeOf(db, actor);
  const r = await visibleRecord(db, scope, id);
  await auditOutsideCall(
    db,
    { actor, action: 'view', entity: 'service_record.narrative', entityId: r.id, detail: { householdId: r.household_id, caseId: r.case_id, concernId: r.concern_id } },
    now,
  );
  return { id: r.id, narrative: r.narrative, version: r.version };
}

// --- referrals (轉介) ----------------------------------------------------------------

/** Where a referral may go next. 退回 (sent back by the unit) can be sent again. */
export const REFERRAL_FLOW: Record<ReferralStatus, readonly ReferralStatus[]> = {
  轉介等待中: ['受案', '不受案', '退回', '轉介失敗'],
  受案: ['轉介完成', '轉介失敗'],
  退回: ['轉介等待中', '轉介失敗'],
  不受案: [],
  轉介完成: [],
  轉介失敗: [],
};

function isReferralStatus(s: string): s is ReferralStatus {
  return (REFERRAL_STATUSES as readonly string[]).includes(s);
}

function referralVisible(scope: Scope) {
  return (eb: ExpressionBuilder<Database, 'referrals'>): Expression<SqlBool> => {
    const byCase = eb.exists(
      eb
        .selectFrom('cases')
        .select('cases.id')
        .whereRef('cases.id', '=', 'referrals.case_id')
        .where((c) => caseVisible(scope)(c as unknown as ExpressionBuilder<Database, 'cases'>)),
    );
    const byHousehold = eb.exists(
      eb
        .selectFrom('households')
        .select('households.id')
        .whereRef('households.id', '=', 'referrals.household_id')
        .where((h) => householdVisible(scope)(h as unknown as ExpressionBuilder<Database, 'households'>)),
    );
    return eb.or([eb.and([eb('referrals.case_id', 'is not', null), byCase]), eb.and([eb('referrals.case_id', 'is', null), byHousehold])]);
  };
}

async function referralViews(db: Kysely<Database>, rows: Selectable<Database['referrals']>[]): Promise<ReferralView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const history = await db.selectFrom('referral_status_history').selectAll().where('referral_id', 'in', ids).orderBy('at').orderBy('id').execute();
  const caseNo = await caseNumbers(db, rows.map((r) => r.case_id));
  const users = await userRefs(db, [...rows.map((r) => r.created_by), ...history.map((h) => h.by_user)]);
  return rows.map((r) => ({
    id: r.id,
    householdId: r.household_id,
    caseId: r.case_id,
    caseNo: r.case_id !== null ? (caseNo.get(r.case_id) ?? null) : null,
    serviceId: r.service_id,
    unitKind: r.unit_kind as ReferralUnitKind,
    resourceId: r.resource_id ?? null,
    unitName: r.unit_name,
    reason: r.reason,
    status: r.status as ReferralStatus,
    referredOn: r.referred_on,
    createdBy: refOf(users, r.created_by),
    updatedAt: r.updated_at,
    version: r.version,
    history: history
      .filter((h) => h.referral_id === r.id)
      .map((h) => ({ id: h.id, status: h.status as ReferralStatus, note: h.note, at: h.at, by: refOf(users, h.by_user) ?? { id: h.by_user, name: '' } })),
  }));
}

export async function listReferrals(db: Kysely<Database>, scope: Scope, by: { householdId?: number | undefined; caseId?: number | undefined }): Promise<ReferralView[]> {
  if (!scope.caseContent) throw new ApiError('FORBIDDEN', '您的角色不能檢視轉介紀錄。');
  let q = db.selectFrom('referrals').selectAll();
  if (by.caseId !== undefined) {
    await visibleCase(db, scope, by.caseId);
    q = q.where('case_id', '=', by.caseId);
  } else if (by.householdId !== undefined) {
    await assertHouseholdVisible(db, scope, by.householdId);
    q = q.where('household_id', '=', by.householdId).where(referralVisible(scope));
  }
  return referralViews(db, await q.orderBy('referred_on', 'desc').orderBy('id', 'desc').execute());
}

export async function getReferral(db: Kysely<Database>, scope: Scope, id: number): Promise<ReferralView> {
  const row = await db.selectFrom('referrals').selectAll().where('id', '=', id).where(referralVisible(scope)).executeTakeFirst();
  if (!row) throw new ApiError('NOT_FOUND', REFERRAL_NOT_FOUND);
  const [view] = await referralViews(db, [row]);
  if (!view) throw new ApiError('NOT_FOUND', REFERRAL_NOT_FOUND);
  return view;
}

export async function updateReferralStatus(
  db: Kysely<Database>,
  actor: Actor,
  input: { id: number; version?: number | undefined; status: ReferralStatus; note?: string | undefined },
  now: Date,
): Promise<void> {
  await inDeclaredWrite(db, async (trx) => {
    const scope = await scopeOf(trx, actor);
    if (!scope.caseContent) throw new ApiError('FORBIDDEN', '您的角色不能變更轉介。');
    const r = await trx.selectFrom('referrals').selectAll().where('id', '=', input.id).where(referralVisible(scope)).executeTakeFirst();
    if (!r) throw new ApiError('NOT_FOUND', REFERRAL_NOT_FOUND);
    if (input.version !== undefined && r.version !== input.version) throw await conflictError(trx, '轉介', r.updated_by, r.updated_at);
    const from = isReferralStatus(r.status) ? r.status : '轉介等待中';
    const next = REFERRAL_FLOW[from];
    if (!next.includes(input.status)) {
      const can = next.length ? `此狀態可改為：${next.join('、')}。` : '此狀態已結束，不能再變更。';
      throw new ApiError('RULE', `轉介目前為「${from}」，不能改為「${input.status}」。${can}`, { details: { status: from, allowed: next } });
    }
    const ts = now.toISOString();
    await trx.updateTable('referrals').set({ status: input.status, updated_at: ts, updated_by: actor.userId, version: r.version + 1 }).where('id', '=', r.id).execute();
    await trx.insertInto('referral_status_history').values({ referral_id: r.id, status: input.status, note: input.note ?? null, at: ts, by_user: actor.userId }).execute();
    await appendAudit(trx, { actor, action: 'update', entity: 'referral', entityId: r.id, detail: { caseId: r.case_id, householdId: r.household_id, status: { from, to: input.status } } }, now);
    await notifyReferralStatus(trx, actor.userId, r, input.status, now);
  });
}
