/**
 * Notifications (通知, issue 11 "Know what needs you").
 *
 * Stored notifications are written by the services where the event happens, with `notify` on the
 * event's own transaction: a rolled-back event leaves none. Each names one recipient; every read and
 * mark here filters on the caller's user id, so nobody lists, counts or marks another's.
 *
 * Follow-ups due today are not stored when they fall due (there is no job that runs at midnight, and
 * a read method may not write): they are computed when asked, from the same service-record data the
 * 待追蹤 worklist reads (the newest record of each of my active cases, or of my concern households,
 * pointing at today). Marking one read stores a 'follow-up' row once per service record and day
 * (`day`, unique), so it stays read for the rest of the day.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { ApiError } from '../../contract/envelope';
import type { NotificationItem, NotificationKind, NotificationPage, ReturnedRequestRow } from '../../contract/methods/notifications';
import { ACTIVE_CASE_STATUSES, CASE_REQUEST_KIND_LABELS, CASE_REQUEST_KINDS, type CaseRequestKind } from '../../contract/types-cases';
import { caseVisible, type Scope } from '../access/scope';
import { inDeclaredWrite } from '../call-hooks';
import { headNameOf } from '../cases/common';

export interface NewNotification {
  userId: number;
  kind: Exclude<NotificationKind, 'follow-up'>;
  entity: 'case' | 'referral';
  entityId: number;
  caseId: number | null;
  householdId: number | null;
  summary: string;
  comment?: string | null;
}

/**
 * Writes a notification inside the caller's declared write (the event's own transaction). Nothing for
 * the actor themselves: one does not need to be told what one just did.
 */
export async function notify(trx: Kysely<Database>, actorId: number, n: NewNotification, now: Date): Promise<void> {
  if (n.userId === actorId) return;
  await inDeclaredWrite(trx, (t) =>
    t
      .insertInto('notifications')
      .values({
        user_id: n.userId,
        kind: n.kind,
        entity: n.entity,
        entity_id: n.entityId,
        case_id: n.caseId,
        household_id: n.householdId,
        summary: n.summary,
        comment: n.comment ?? null,
        day: null,
        created_at: now.toISOString(),
        read_at: null,
      })
      .execute(),
  );
}

/** 派案 / 改派 / 轉案: tells the new lead and each newly added assistant. */
export async function notifyAssigned(
  trx: Kysely<Database>,
  actorId: number,
  c: { id: number; case_no: string; household_id: number },
  change: { lead: number | null; previousLead: number | null; assistants: readonly number[]; previousAssistants: readonly number[] },
  now: Date,
): Promise<void> {
  const base = { kind: 'assigned' as const, entity: 'case' as const, entityId: c.id, caseId: c.id, householdId: c.household_id };
  if (change.lead !== null && change.lead !== change.previousLead) {
    const verb = change.previousLead === null ? '派案' : '改派';
    await notify(trx, actorId, { ...base, userId: change.lead, summary: `個案 ${c.case_no} 已${verb}給您（主責）` }, now);
  }
  for (const a of change.assistants) {
    if (a === change.lead || change.previousAssistants.includes(a)) continue;
    await notify(trx, actorId, { ...base, userId: a, summary: `個案 ${c.case_no} 已將您列為協力社工` }, now);
  }
}

// --- reading -------------------------------------------------------------------------------------

interface DueRow {
  service_id: number;
  case_id: number | null;
  case_no: string | null;
  household_id: number;
  head_name: string | null;
}

/** The start of a Taipei day as a UTC timestamp (what a due-today item shows as its time). */
function startOfTaipeiDay(day: string): string {
  return new Date(`${day}T00:00:00+08:00`).toISOString();
}

/**
 * My follow-ups due today: the newest record of each active case I lead or assist, and of each
 * household of a long-term concern of mine (records without a case), whose next follow-up is today.
 */
async function followUpsDueToday(db: Kysely<Database>, me: number, today: string): Promise<DueRow[]> {
  const newestOfCase = sql<number>`(select x.id from service_records x where x.case_id = cases.id order by x.occurred_at desc, x.id desc limit 1)`;
  const onCases = await db
    .selectFrom('cases')
    .innerJoin('service_records as sr', (j) => j.on('sr.id', '=', newestOfCase))
    .select(['sr.id as service_id', 'cases.id as case_id', 'cases.case_no', 'cases.household_id', headNameOf('cases.household_id').as('head_name')])
    .where('cases.status', 'in', [...ACTIVE_CASE_STATUSES])
    .where((eb) =>
      eb.or([
        eb('cases.lead_worker_id', '=', me),
        eb.exists(eb.selectFrom('case_assistants').select('case_assistants.case_id').whereRef('case_assistants.case_id', '=', 'cases.id').where('case_assistants.user_id', '=', me)),
      ]),
    )
    .where('sr.next_follow_up', '=', today)
    .execute();
  const newestOfHousehold = sql<number>`(select x.id from service_records x where x.household_id = long_term_concerns.household_id order by x.occurred_at desc, x.id desc limit 1)`;
  const onConcerns = await db
    .selectFrom('long_term_concerns')
    .innerJoin('service_records as sr', (j) => j.on('sr.id', '=', newestOfHousehold))
    .select(['sr.id as service_id', 'long_term_concerns.household_id', headNameOf('long_term_concerns.household_id').as('head_name')])
    .where('long_term_concerns.end_date', 'is', null)
    .where('long_term_concerns.worker_id', '=', me)
    .where('sr.case_id', 'is', null)
    .where('sr.next_follow_up', '=', today)
    .execute();
  const seen = new Set<number>();
  const out: DueRow[] = [];
  for (const r of [...onCases, ...onConcerns.map((c) => ({ ...c, case_id: null, case_no: null }))]) {
    if (seen.has(r.service_id)) continue;
    seen.add(r.service_id);
    out.push(r);
  }
  return out.sort((a, b) => a.service_id - b.service_id);
}

async function dueTodayItems(db: Kysely<Database>, me: number, today: string): Promise<NotificationItem[]> {
  const due = await followUpsDueToday(db, me, today);
  if (due.length === 0) return [];
  const read = await db
    .selectFrom('notifications')
    .select(['entity_id', 'read_at'])
    .where('user_id', '=', me)
    .where('kind', '=', 'follow-up')
    .where('day', '=', today)
    .where(
      'entity_id',
      'in',
      due.map((d) => d.service_id),
    )
    .execute();
  const readAt = new Map(read.map((r) => [r.entity_id, r.read_at]));
  return due.map((d) => ({
    id: null,
    kind: 'follow-up',
    caseId: d.case_id,
    householdId: d.household_id,
    serviceId: d.service_id,
    summary: d.case_no ? `個案 ${d.case_no}（${d.head_name ?? '家戶'}）今日應追蹤` : `長期關懷家戶（${d.head_name ?? '家戶'}）今日應追蹤`,
    comment: null,
    createdAt: startOfTaipeiDay(today),
    readAt: readAt.get(d.service_id) ?? null,
  }));
}

function mine(db: Kysely<Database>, me: number, unread: boolean) {
  let q = db.selectFrom('notifications').where('user_id', '=', me).where('kind', '<>', 'follow-up');
  if (unread) q = q.where('read_at', 'is', null);
  return q;
}

export async function listNotifications(db: Kysely<Database>, me: number, input: { unread: boolean; offset: number; limit: number }, today: string): Promise<NotificationPage> {
  const [rows, total, due] = await Promise.all([
    mine(db, me, input.unread).selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').offset(input.offset).limit(input.limit).execute(),
    mine(db, me, input.unread).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
    dueTodayItems(db, me, today),
  ]);
  return {
    dueToday: input.unread ? due.filter((d) => d.readAt === null) : due,
    total: Number(total.n),
    rows: rows.map((r) => ({
      id: r.id,
      kind: r.kind as NotificationKind,
      caseId: r.case_id,
      householdId: r.household_id,
      serviceId: null,
      summary: r.summary,
      comment: r.comment,
      createdAt: r.created_at,
      readAt: r.read_at,
    })),
  };
}

export async function unreadCount(db: Kysely<Database>, me: number, today: string): Promise<number> {
  const [stored, due] = await Promise.all([
    mine(db, me, true).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow(),
    dueTodayItems(db, me, today),
  ]);
  return Number(stored.n) + due.filter((d) => d.readAt === null).length;
}

const NOT_FOUND = '找不到這則通知，請重新整理。';

export async function markRead(trx: Kysely<Database>, me: number, input: { id?: number | undefined; serviceId?: number | undefined }, now: Date, today: string): Promise<number> {
  await inDeclaredWrite(trx, async (t) => {
    const ts = now.toISOString();
    if (input.id !== undefined) {
      // Another user's id answers exactly as a missing one.
      const row = await t.selectFrom('notifications').select(['id', 'read_at']).where('id', '=', input.id).where('user_id', '=', me).executeTakeFirst();
      if (!row) throw new ApiError('NOT_FOUND', NOT_FOUND);
      if (row.read_at === null) await t.updateTable('notifications').set({ read_at: ts }).where('id', '=', row.id).execute();
      return;
    }
    const due = await dueTodayItems(t, me, today);
    const item = due.find((d) => d.serviceId === input.serviceId);
    if (!item) throw new ApiError('NOT_FOUND', NOT_FOUND);
    if (item.readAt === null) await storeFollowUpRead(t, me, item, today, ts);
  });
  return unreadCount(trx, me, today);
}

async function storeFollowUpRead(t: Kysely<Database>, me: number, item: NotificationItem, today: string, ts: string): Promise<void> {
  await t
    .insertInto('notifications')
    .values({
      user_id: me,
      kind: 'follow-up',
      entity: 'service',
      entity_id: item.serviceId as number,
      case_id: item.caseId,
      household_id: item.householdId,
      summary: item.summary.slice(0, 200),
      comment: null,
      day: today,
      created_at: ts,
      read_at: ts,
    })
    .execute();
}

export async function markAllRead(trx: Kysely<Database>, me: number, now: Date, today: string): Promise<number> {
  await inDeclaredWrite(trx, async (t) => {
    const ts = now.toISOString();
    await t.updateTable('notifications').set({ read_at: ts }).where('user_id', '=', me).where('read_at', 'is', null).execute();
    for (const item of await dueTodayItems(t, me, today)) {
      if (item.readAt === null) await storeFollowUpRead(t, me, item, today, ts);
    }
  });
  return unreadCount(trx, me, today);
}

/** My requests that a supervisor returned and that nobody has asked again on that case since; cases I may still see. */
export async function returnedRequests(db: Kysely<Database>, scope: Scope): Promise<ReturnedRequestRow[]> {
  const rows = await db
    .selectFrom('case_requests as r')
    .innerJoin('cases', 'cases.id', 'r.case_id')
    .leftJoin('users as d', 'd.id', 'r.decided_by')
    .select(['r.id', 'r.case_id', 'cases.case_no', 'r.kind', 'r.decision_comment', 'r.decided_at', 'd.display_name'])
    .where('r.requested_by', '=', scope.actor.userId)
    .where('r.state', '=', 'returned')
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('case_requests as later').select('later.id').whereRef('later.case_id', '=', 'r.case_id').whereRef('later.requested_at', '>=', 'r.decided_at').whereRef('later.id', '<>', 'r.id'))),
    )
    .where(caseVisible(scope))
    .orderBy('r.decided_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(200)
    .execute();
  return rows.map((r) => ({
    requestId: r.id,
    caseId: r.case_id,
    caseNo: r.case_no,
    kindLabel: (CASE_REQUEST_KINDS as readonly string[]).includes(r.kind) ? CASE_REQUEST_KIND_LABELS[r.kind as CaseRequestKind] : r.kind,
    comment: r.decision_comment,
    decidedAt: r.decided_at ?? '',
    decidedBy: r.display_name ?? '',
  }));
}

/**
 * A referral's status changed: tells the case's lead worker (a referral without a case: the worker of
 * the service record it came from, else whoever made it). The unit's name and the status only.
 */
export async function notifyReferralStatus(
  trx: Kysely<Database>,
  actorId: number,
  r: { id: number; case_id: number | null; service_id: number | null; household_id: number; unit_name: string; created_by: number | null },
  status: string,
  now: Date,
): Promise<void> {
  let to: number | null = null;
  let caseNo: string | null = null;
  if (r.case_id !== null) {
    const c = await trx.selectFrom('cases').select(['lead_worker_id', 'case_no']).where('id', '=', r.case_id).executeTakeFirst();
    to = c?.lead_worker_id ?? null;
    caseNo = c?.case_no ?? null;
  }
  if (to === null && r.service_id !== null) {
    to = (await trx.selectFrom('service_records').select('worker_id').where('id', '=', r.service_id).executeTakeFirst())?.worker_id ?? null;
  }
  to ??= r.created_by;
  if (to === null) return;
  const where = caseNo ? `個案 ${caseNo} 轉介至「${r.unit_name}」` : `轉介至「${r.unit_name}」`;
  await notify(
    trx,
    actorId,
    { userId: to, kind: 'referral', entity: 'referral', entityId: r.id, caseId: r.case_id, householdId: r.household_id, summary: `${where}的狀態改為「${status}」` },
    now,
  );
}
