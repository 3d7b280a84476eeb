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
import { assertHouseholdVisible, caseVisible, householdVisible, scopeOf, type Scope } from '../access/scope';
import { appendAudit } from '../audit/log';
import { conflictError, refOf, taipeiDate, userRefs } from '../cases/common';
import { noteContact, requireTransition, visibleCase } from '../cases/service';
import { isCaseStatus } from '../cases/state';
import { advanceConcernAfterVisit } from '../concerns/service';
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
  referral?: { unitKind: ReferralUnitKind; unitName: string; reason: string } | undefined;
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
      const ref = await trx
        .insertInto('referrals')
        .values({
          household_id: input.householdId,
          case_id: input.caseId ?? null,
          service_id: row.id,
          unit_kind: input.referral.unitKind,
          unit_name: input.referral.unitName,
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

export interface UpdateRecordInput extends RecordInput {
  id: number;
  version: number;
  narrative?: string | undefined;
}

export async function updateRecord(db: Kysely<Database>, actor: Actor, input: UpdateRecordInput, now: Date): Promise<void> {
  assertNotFuture(input.occurredAt, now);
  const day = taipeiDate(input.occurredAt);
  assertFollowUp(input.nextFollowUp, day);
  await inDeclaredWrite(db, async (trx) => {
    const scope = await scopeOf(trx, actor);
    const r = await visibleRecord(trx, scope, input.id);
    if (!scope.all && actor.role !== 'supervisor' && r.worker_id !== actor.userId) {
      throw new ApiError('FORBIDDEN', '只有撰寫這筆紀錄的社工、督導或管理者可以修改。');
    }
    if (r.case_id !== null) {
      const c = await trx.selectFrom('cases').select('status').where('id', '=', r.case_id).executeTakeFirstOrThrow();
      if (isCaseStatus(c.status)) requireTransition(c.status, 'record-service');
    }
    if (r.version !== input.version) throw await conflictError(trx, '服務紀錄', r.updated_by, r.updated_at);
    await assertParticipants(trx, r.household_id, input.participants, day);
    const ts = now.toISOString();
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
    await trx.deleteFrom('service_participants').where('service_id', '=', r.id).execute();
    if (input.participants.length) {
      await trx.insertInto('service_participants').values(input.participants.map((p) => ({ service_id: r.id, person_id: p }))).execute();
    }
    const changed: string[] = [];
    if (r.occurred_at !== input.occurredAt) changed.push('occurredAt');
    if (r.method !== input.method) changed.push('method');
    if (r.minutes !== input.minutes) changed.push('minutes');
    if (r.items !== JSON.stringify(input.items)) changed.push('items');
    if (r.next_follow_up !== (input.nextFollowUp ?? null)) changed.push('nextFollowUp');
    if (input.narrative !== undefined && (r.narrative ?? '') !== input.narrative) changed.push('narrative');
    await appendAudit(trx, { actor, action: 'update', entity: 'service_record', entityId: r.id, detail: { caseId: r.case_id, householdId: r.household_id, changed } }, now);
  });
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

async function toViews(db: Kysely<Database>, rows: RecordListRow[]): Promise<ServiceRecordView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [parts, refs, cases] = await Promise.all([
    db
      .selectFrom('service_participants')
      .innerJoin('persons', 'persons.id', 'service_participants.person_id')
      .select(['service_participants.service_id', 'persons.id', 'persons.name'])
      .where('service_participants.service_id', 'in', ids)
      .execute(),
    db.selectFrom('referrals').select(['id', 'service_id']).where('service_id', 'in', ids).execute(),
    caseNumbers(db, rows.map((r) => r.case_id)),
  ]);
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
  }));
}

export async function getRecordView(db: Kysely<Database>, scope: Scope, id: number): Promise<ServiceRecordView> {
  await visibleRecord(db, scope, id);
  const row = await recordColumns(db).where('service_records.id', '=', id).executeTakeFirstOrThrow();
  const [view] = await toViews(db, [row]);
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
  return { rows: await toViews(db, rows), total: Number(total.n) };
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
