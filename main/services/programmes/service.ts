/**
 * Programmes (方案): programmes, enrolment, sessions and attendance (issue 6 §1-3).
 *
 * Programmes are the center's shared work: every 社工, 督導 and 管理者 reads and
 * writes them. Whom a 社工 may enrol follows services/access/scope.ts (persons of
 * households they reach). Every write is one transaction with its audit row.
 */
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../../db/schema';
import { ApiError } from '../../contract/envelope';
import { formatRocDate } from '../../contract/roc-date';
import {
  ACCOUNT_BORN_FROM,
  type AttendanceStatus,
  type EnrolmentHistoryEntry,
  type EnrolmentStatus,
  type EnrolmentView,
  type ProgrammeDetail,
  type ProgrammeRow,
  type ProgrammeStatus,
  type ProgrammeType,
  type SessionDetail,
  type SessionRow,
} from '../../contract/types-programmes';
import type { ApiParsed } from '../../contract/api';
import { assertHouseholdVisible, type Scope } from '../access/scope';
import { appendAudit } from '../audit/log';
import type { Actor } from '../context';
import { changes, editsOf, recordEdit } from './edits';
import { assertVersion, isPersonVisible, NOT_FOUND_MESSAGE, personVisible, userNames } from '../households/common';
import { heldIncomeStatusOn } from '../households/income-status';

const PROGRAMME_NOT_FOUND = '找不到這個方案。';
const SESSION_NOT_FOUND = '找不到這個場次。';
const ENROLMENT_NOT_FOUND = '找不到這筆報名資料，或您沒有權限檢視。';

export function assertStaff(scope: Scope): void {
  const r = scope.actor.role;
  if (r !== 'worker' && r !== 'supervisor' && r !== 'admin') throw new ApiError('FORBIDDEN', '您的角色不能使用方案與帳戶功能。');
}

async function programmeRow(db: Kysely<Database>, id: number) {
  const row = await db.selectFrom('programmes').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('NOT_FOUND', PROGRAMME_NOT_FOUND);
  return row;
}

export async function listProgrammes(db: Kysely<Database>, input: ApiParsed<'programmes.list'>): Promise<ProgrammeRow[]> {
  let q = db
    .selectFrom('programmes as p')
    .selectAll('p')
    .select((eb) => [
      eb.selectFrom('programme_enrolments as e').select((x) => x.fn.countAll<number>().as('n')).whereRef('e.programme_id', '=', 'p.id').as('enrolled'),
      eb.selectFrom('programme_sessions as s').select((x) => x.fn.countAll<number>().as('n')).whereRef('s.programme_id', '=', 'p.id').as('sessions'),
    ]);
  if (input.status) q = q.where('p.status', '=', input.status);
  if (input.type) q = q.where('p.programme_type', '=', input.type);
  if (input.year !== undefined) q = q.where('p.starts_on', '<=', `${input.year}-12-31`).where('p.ends_on', '>=', `${input.year}-01-01`);
  const rows = await q.orderBy('p.starts_on', 'desc').orderBy('p.id', 'desc').execute();
  const names = await userNames(db, rows.map((r) => r.worker_id));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    type: r.programme_type as ProgrammeType,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    funder: r.funder,
    partner: r.partner,
    targetPeople: r.target_people,
    targetSessions: r.target_sessions,
    worker: r.worker_id === null ? null : { id: r.worker_id, name: names.get(r.worker_id) ?? '' },
    status: r.status as ProgrammeStatus,
    enrolled: Number(r.enrolled ?? 0),
    sessions: Number(r.sessions ?? 0),
    version: r.version,
  }));
}

/** The eligibility hint for a person in a programme of this type, or null. */
export function eligibilityHint(type: ProgrammeType, p: { birthDate: string | null; lowIncome: boolean; placed: boolean }): string | null {
  if (type === '脫貧自立' && !p.lowIncome) return '非低收／中低收入戶（脫貧方案以低收、中低收入戶為對象）';
  if (type === '兒少教育發展帳戶') {
    if (!p.birthDate || p.birthDate < ACCOUNT_BORN_FROM) return '非 2016 年後出生的兒少';
    if (!p.lowIncome && !p.placed) return '非低收／中低收入戶或長期安置兒少';
  }
  return null;
}

/**
 * Persons whose own income status, or a current household member's, is 低收 / 中低收: today's
 * (persons.income_status), or on `asOf` (the status history) when given.
 */
export async function lowIncomePersons(db: Kysely<Database>, personIds: number[], asOf?: string): Promise<Set<number>> {
  if (personIds.length === 0) return new Set();
  const own = await db
    .selectFrom('persons')
    .select('id')
    .where('id', 'in', personIds)
    .where(asOf === undefined ? sql<SqlBool>`income_status in ('low', 'mid-low')` : heldIncomeStatusOn('persons.id', asOf))
    .execute();
  const viaHousehold = await db
    .selectFrom('household_members as m')
    .innerJoin('household_members as o', (j) => j.onRef('o.household_id', '=', 'm.household_id').on('o.left_on', 'is', null))
    .innerJoin('persons as op', 'op.id', 'o.person_id')
    .select('m.person_id')
    .where('m.person_id', 'in', personIds)
    .where('m.left_on', 'is', null)
    .where(asOf === undefined ? sql<SqlBool>`op.income_status in ('low', 'mid-low')` : heldIncomeStatusOn('op.id', asOf))
    .execute();
  return new Set([...own.map((r) => r.id), ...viaHousehold.map((r) => r.person_id)]);
}

async function sessionRows(db: Kysely<Database>, programmeId: number | null, sessionId?: number): Promise<SessionRow[]> {
  let q = db
    .selectFrom('programme_sessions as s')
    .selectAll('s')
    .select((eb) =>
      (['出席', '請假', '缺席'] as const).map((st, i) =>
        eb
          .selectFrom('programme_attendance as a')
          .select((x) => x.fn.countAll<number>().as('n'))
          .whereRef('a.session_id', '=', 's.id')
          .where('a.status', '=', st)
          .as(`n${i}`),
      ),
    );
  if (programmeId !== null) q = q.where('s.programme_id', '=', programmeId);
  if (sessionId !== undefined) q = q.where('s.id', '=', sessionId);
  const rows = await q.orderBy('s.held_on').orderBy('s.id').execute();
  return rows.map((r) => {
    const x = r as typeof r & { n0: number | null; n1: number | null; n2: number | null };
    return {
      id: r.id,
      programmeId: r.programme_id,
      heldOn: r.held_on,
      place: r.place,
      topic: r.topic,
      hours: r.hours,
      facilitator: r.facilitator,
      present: Number(x.n0 ?? 0),
      excused: Number(x.n1 ?? 0),
      absent: Number(x.n2 ?? 0),
    };
  });
}

/** The persons among `ids` the caller may open (ARCHITECTURE.md, "What a roster shows"). */
async function personsInScope(db: Kysely<Database>, scope: Scope, ids: number[]): Promise<Set<number>> {
  if (ids.length === 0) return new Set();
  return new Set((await db.selectFrom('persons').select('id').where('id', 'in', [...new Set(ids)]).where(personVisible(scope)).execute()).map((r) => r.id));
}

export async function getProgramme(db: Kysely<Database>, scope: Scope, id: number): Promise<ProgrammeDetail> {
  const p = await programmeRow(db, id);
  const [row] = (await listProgrammes(db, {})).filter((r) => r.id === id);
  const enrolments = await db
    .selectFrom('programme_enrolments as e')
    .innerJoin('persons as p', 'p.id', 'e.person_id')
    .select(['e.id', 'e.person_id', 'p.name', 'p.birth_date', 'e.household_id', 'e.enrolled_on', 'e.ended_on', 'e.status', 'e.outcome', 'e.version'])
    .select((eb) =>
      eb
        .selectFrom('programme_attendance as a')
        .select((x) => x.fn.countAll<number>().as('n'))
        .whereRef('a.enrolment_id', '=', 'e.id')
        .where('a.status', '=', '出席')
        .as('attended'),
    )
    .where('e.programme_id', '=', id)
    .orderBy('e.id')
    .execute();
  const ids = enrolments.map((e) => e.person_id);
  const low = await lowIncomePersons(db, ids);
  const placed = new Set(ids.length ? (await db.selectFrom('child_placements').select('person_id').where('person_id', 'in', ids).execute()).map((r) => r.person_id) : []);
  const inScope = await personsInScope(db, scope, ids);
  const history = new Map<number, EnrolmentHistoryEntry[]>();
  for (const h of await editsOf(db, 'enrolment', enrolments.filter((e) => inScope.has(e.person_id)).map((e) => e.id))) {
    const b = JSON.parse(h.before ?? '{}') as { status: EnrolmentStatus; endedOn: string | null; outcome: string | null };
    const list = history.get(h.entity_id) ?? [];
    list.push({ at: h.changed_at, by: h.display_name, status: b.status, endedOn: b.endedOn, outcome: b.outcome });
    history.set(h.entity_id, list);
  }
  const list: EnrolmentView[] = enrolments.map((e) => {
    const open = inScope.has(e.person_id);
    return {
      id: e.id,
      personId: open ? e.person_id : null,
      personName: e.name,
      inScope: open,
      birthDate: open ? e.birth_date : null,
      householdId: open ? e.household_id : null,
      enrolledOn: e.enrolled_on,
      endedOn: e.ended_on,
      status: e.status as EnrolmentStatus,
      outcome: open ? e.outcome : null,
      attended: Number(e.attended ?? 0),
      // The hint tells income status and placement: only for persons the caller may open.
      hint: open ? eligibilityHint(p.programme_type as ProgrammeType, { birthDate: e.birth_date, lowIncome: low.has(e.person_id), placed: placed.has(e.person_id) }) : null,
      version: e.version,
      history: open ? (history.get(e.id) ?? []) : [],
    };
  });
  return { ...(row as ProgrammeRow), notes: p.notes, enrolments: list, sessionList: await sessionRows(db, id) };
}

async function assertWorker(db: Kysely<Database>, workerId: number | null | undefined): Promise<void> {
  if (workerId === null || workerId === undefined) return;
  const u = await db.selectFrom('users').select(['role', 'disabled_at']).where('id', '=', workerId).executeTakeFirst();
  if (!u || u.disabled_at !== null || !['worker', 'supervisor', 'admin'].includes(u.role)) {
    throw new ApiError('RULE', '負責社工須為在職的社工、督導或管理者。', { fields: { workerId: '負責社工不正確' } });
  }
}

/** Sessions already held must stay inside a changed period. */
async function assertSessionsInside(trx: Kysely<Database>, programmeId: number, startsOn: string, endsOn: string): Promise<void> {
  const out = await trx
    .selectFrom('programme_sessions')
    .select('held_on')
    .where('programme_id', '=', programmeId)
    .where((eb) => eb.or([eb('held_on', '<', startsOn), eb('held_on', '>', endsOn)]))
    .executeTakeFirst();
  if (out) throw new ApiError('RULE', `已有 ${formatRocDate(out.held_on)} 的場次落在新的方案期間之外，請先調整場次日期。`, { fields: { startsOn: '期間不含既有場次' } });
}

/** The columns a programme's create and update both write from the same input fields. */
function programmeColumns(input: ApiParsed<'programmes.create'> | ApiParsed<'programmes.update'>) {
  return {
    name: input.name,
    programme_type: input.type,
    starts_on: input.startsOn,
    ends_on: input.endsOn,
    funder: input.funder ?? null,
    partner: input.partner ?? null,
    target_people: input.targetPeople ?? null,
    target_sessions: input.targetSessions ?? null,
    worker_id: input.workerId ?? null,
    status: input.status,
    notes: input.notes ?? null,
  };
}

export async function createProgramme(trx: Kysely<Database>, actor: Actor, input: ApiParsed<'programmes.create'>, now: Date): Promise<number> {
  await assertWorker(trx, input.workerId);
  const ts = now.toISOString();
  const row = await trx
    .insertInto('programmes')
    .values({
      ...programmeColumns(input),
      created_at: ts,
      created_by: actor.userId,
      updated_at: ts,
      updated_by: actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendAudit(trx, { actor, action: 'create', entity: 'programme', entityId: row.id, detail: { type: input.type, name: input.name } }, now);
  return row.id;
}

/**
 * Status rules of a programme edit (issue 11): back to 規劃中 only while no session was held; an
 * ended programme (已結束, its figures may be reported) is reopened by a 督導 or 管理者 only.
 */
async function assertStatusChange(trx: Kysely<Database>, actor: Actor, p: { id: number; status: string }, to: ProgrammeStatus): Promise<void> {
  if (p.status === to) return;
  if (p.status === 'ended' && actor.role !== 'supervisor' && actor.role !== 'admin') {
    throw new ApiError('RULE', '已結束的方案只有督導或管理者可以重新開啟。', { fields: { status: '已結束的方案只有督導或管理者可以重新開啟' } });
  }
  if (to === 'planned') {
    const held = await trx.selectFrom('programme_sessions').select('id').where('programme_id', '=', p.id).executeTakeFirst();
    if (held) throw new ApiError('RULE', '已辦理場次的方案不能改回規劃中。', { fields: { status: '已辦理場次的方案不能改回規劃中' } });
  }
}

export async function updateProgramme(trx: Kysely<Database>, actor: Actor, input: ApiParsed<'programmes.update'>, now: Date): Promise<void> {
  const p = await programmeRow(trx, input.id);
  await assertVersion(trx, '方案', p, input.version);
  await assertWorker(trx, input.workerId);
  await assertStatusChange(trx, actor, p, input.status);
  await assertSessionsInside(trx, input.id, input.startsOn, input.endsOn);
  const fields = programmeColumns(input);
  const before = Object.fromEntries(Object.keys(fields).map((k) => [k, p[k as keyof typeof fields] ?? null]));
  const changed = changes(before, fields);
  if (Object.keys(changed).length === 0) return;
  await trx
    .updateTable('programmes')
    .set({ ...fields, updated_at: now.toISOString(), updated_by: actor.userId, version: p.version + 1 })
    .where('id', '=', input.id)
    .execute();
  await recordEdit(
    trx,
    actor,
    {
      entity: 'programme',
      entityId: input.id,
      action: 'update',
      before: Object.fromEntries(Object.keys(changed).map((k) => [k, before[k]])),
      after: Object.fromEntries(Object.keys(changed).map((k) => [k, fields[k as keyof typeof fields]])),
    },
    now,
  );
  // Notes are free text: the audit row says they changed, not what they say.
  const audited = Object.fromEntries(Object.entries(changed).map(([k, v]) => [k, k === 'notes' ? { changed: true } : v]));
  await appendAudit(trx, { actor, action: 'update', entity: 'programme', entityId: input.id, detail: { changes: audited } }, now);
}

export async function enrol(trx: Kysely<Database>, scope: Scope, actor: Actor, input: ApiParsed<'programmes.enrol'>, now: Date): Promise<void> {
  const p = await programmeRow(trx, input.programmeId);
  if (p.status === 'ended') throw new ApiError('RULE', '方案已結束，不能再報名。');
  const ids = new Set(input.personIds ?? []);
  if (input.householdId !== undefined) {
    await assertHouseholdVisible(trx, scope, input.householdId);
    const members = await trx.selectFrom('household_members').select('person_id').where('household_id', '=', input.householdId).where('left_on', 'is', null).execute();
    if (members.length === 0) throw new ApiError('RULE', '這個家戶目前沒有成員可以報名。');
    for (const m of members) ids.add(m.person_id);
  }
  for (const id of ids) {
    if (!(await isPersonVisible(trx, scope, id))) throw new ApiError('NOT_FOUND', NOT_FOUND_MESSAGE, { fields: { personIds: '找不到其中一位人員' } });
  }
  const existing = new Set(
    (await trx.selectFrom('programme_enrolments').select('person_id').where('programme_id', '=', p.id).where('person_id', 'in', [...ids]).execute()).map((r) => r.person_id),
  );
  const fresh = [...ids].filter((id) => !existing.has(id));
  if (fresh.length === 0) throw new ApiError('RULE', '所選人員都已報名這個方案。');
  const homes = new Map(
    (await trx.selectFrom('household_members').select(['person_id', 'household_id']).where('person_id', 'in', fresh).where('left_on', 'is', null).execute()).map((r) => [r.person_id, r.household_id]),
  );
  const ts = now.toISOString();
  for (const personId of fresh) {
    await trx
      .insertInto('programme_enrolments')
      .values({
        programme_id: p.id,
        person_id: personId,
        household_id: homes.get(personId) ?? null,
        enrolled_on: input.enrolledOn,
        ended_on: null,
        status: 'enrolled',
        outcome: null,
        created_at: ts,
        created_by: actor.userId,
        updated_at: ts,
        updated_by: actor.userId,
      })
      .execute();
  }
  await appendAudit(trx, { actor, action: 'create', entity: 'programme_enrolment', entityId: p.id, detail: { personIds: fresh, householdId: input.householdId ?? null } }, now);
}

/**
 * Corrects an enrolment's status, end date and outcome (issue 11): only for a person the caller may
 * open (anyone else gets the not-found answer), with the stale-save check; the earlier values stay
 * in programme_edits, the audit row names the fields (never the outcome's text).
 */
export async function updateEnrolment(trx: Kysely<Database>, scope: Scope, actor: Actor, input: ApiParsed<'programmes.updateEnrolment'>, now: Date): Promise<number> {
  const e = await trx.selectFrom('programme_enrolments').selectAll().where('id', '=', input.id).executeTakeFirst();
  if (!e || !(await isPersonVisible(trx, scope, e.person_id))) throw new ApiError('NOT_FOUND', ENROLMENT_NOT_FOUND);
  const endedOn = input.status === 'enrolled' ? null : (input.endedOn ?? null);
  if (input.status !== 'enrolled' && endedOn === null) throw new ApiError('RULE', '完成或退出時請填寫結束日期。', { fields: { endedOn: '請填寫結束日期' } });
  if (endedOn !== null && endedOn < e.enrolled_on) throw new ApiError('RULE', '結束日期不可早於報名日期。', { fields: { endedOn: '結束日期不可早於報名日期' } });
  await assertVersion(trx, '報名資料', e, input.version);
  const before = { status: e.status, endedOn: e.ended_on, outcome: e.outcome };
  const after = { status: input.status as string, endedOn, outcome: input.outcome ?? null };
  const changed = changes(before, after);
  if (Object.keys(changed).length === 0) return e.programme_id;
  await trx
    .updateTable('programme_enrolments')
    .set({ status: after.status, ended_on: endedOn, outcome: after.outcome, updated_at: now.toISOString(), updated_by: actor.userId, version: e.version + 1 })
    .where('id', '=', input.id)
    .execute();
  await recordEdit(trx, actor, { entity: 'enrolment', entityId: e.id, action: 'update', before, after }, now);
  const audited = Object.fromEntries(Object.entries(changed).map(([k, v]) => [k, k === 'outcome' ? { changed: true } : v]));
  await appendAudit(trx, { actor, action: 'update', entity: 'programme_enrolment', entityId: input.id, detail: { programmeId: e.programme_id, personId: e.person_id, changes: audited } }, now);
  return e.programme_id;
}

export async function addSession(trx: Kysely<Database>, actor: Actor, input: ApiParsed<'programmes.addSession'>, now: Date): Promise<void> {
  const p = await programmeRow(trx, input.programmeId);
  if (input.heldOn < p.starts_on || input.heldOn > p.ends_on) {
    throw new ApiError('RULE', `場次日期 ${formatRocDate(input.heldOn)} 不在方案期間（${formatRocDate(p.starts_on)}－${formatRocDate(p.ends_on)}）內。`, {
      fields: { heldOn: '場次日期不在方案期間內' },
    });
  }
  const row = await trx
    .insertInto('programme_sessions')
    .values({
      programme_id: p.id,
      held_on: input.heldOn,
      place: input.place,
      topic: input.topic,
      hours: input.hours,
      facilitator: input.facilitator ?? null,
      created_at: now.toISOString(),
      created_by: actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendAudit(trx, { actor, action: 'create', entity: 'programme_session', entityId: row.id, detail: { programmeId: p.id, heldOn: input.heldOn } }, now);
}

export async function getSession(db: Kysely<Database>, scope: Scope, id: number): Promise<SessionDetail> {
  const [s] = await sessionRows(db, null, id);
  if (!s) throw new ApiError('NOT_FOUND', SESSION_NOT_FOUND);
  const p = await programmeRow(db, s.programmeId);
  const roster = await db
    .selectFrom('programme_enrolments as e')
    .innerJoin('persons as p', 'p.id', 'e.person_id')
    .leftJoin('programme_attendance as a', (j) => j.onRef('a.enrolment_id', '=', 'e.id').on('a.session_id', '=', id))
    .select(['e.id as enrolmentId', 'e.person_id as personId', 'p.name as personName', 'a.status'])
    .where('e.programme_id', '=', s.programmeId)
    // Those who withdrew before the session are not on its roster (unless marked already).
    .where((eb) => eb.or([eb('e.status', '!=', 'withdrew'), eb('e.ended_on', '>=', s.heldOn), eb('a.status', 'is not', null)]))
    .orderBy('e.id')
    .execute();
  const inScope = await personsInScope(db, scope, roster.map((r) => r.personId));
  return {
    ...s,
    programmeName: p.name,
    programmeType: p.programme_type as ProgrammeType,
    roster: roster.map((r) => ({
      enrolmentId: r.enrolmentId,
      personId: inScope.has(r.personId) ? r.personId : null,
      personName: r.personName,
      inScope: inScope.has(r.personId),
      status: (r.status ?? null) as AttendanceStatus | null,
    })),
  };
}

export async function setAttendance(trx: Kysely<Database>, actor: Actor, input: ApiParsed<'programmes.setAttendance'>, now: Date): Promise<void> {
  const s = await trx.selectFrom('programme_sessions').select(['id', 'programme_id']).where('id', '=', input.sessionId).executeTakeFirst();
  if (!s) throw new ApiError('NOT_FOUND', SESSION_NOT_FOUND);
  const ids = input.entries.map((e) => e.enrolmentId);
  const enrolled = new Set(
    (await trx.selectFrom('programme_enrolments').select('id').where('programme_id', '=', s.programme_id).where('id', 'in', ids).execute()).map((r) => r.id),
  );
  const stranger = ids.find((id) => !enrolled.has(id));
  if (stranger !== undefined) {
    throw new ApiError('RULE', '出席名單中有未報名這個方案的人員，請先完成報名再登錄出席。', { fields: { entries: '有未報名的人員' }, details: { enrolmentId: stranger } });
  }
  const ts = now.toISOString();
  for (const e of input.entries) {
    await trx
      .insertInto('programme_attendance')
      .values({ session_id: s.id, enrolment_id: e.enrolmentId, status: e.status, recorded_at: ts, recorded_by: actor.userId })
      .onConflict((oc) => oc.columns(['session_id', 'enrolment_id']).doUpdateSet({ status: e.status, recorded_at: ts, recorded_by: actor.userId }))
      .execute();
  }
  await appendAudit(trx, { actor, action: 'update', entity: 'programme_attendance', entityId: s.id, detail: { entries: input.entries.length } }, now);
}

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** An A4 sign-in sheet (簽到表): one row per person on the roster, a signature column. */
export function signInSheetHtml(s: SessionDetail, centerName: string): string {
  const rows = s.roster
    .map((r, i) => `<tr><td class="n">${i + 1}</td><td>${esc(r.personName)}</td><td class="sig"></td><td class="note">${r.status === '請假' ? '請假' : ''}</td></tr>`)
    .join('');
  const blanks = Array.from({ length: Math.max(0, 3) }, (_, i) => `<tr><td class="n">${s.roster.length + i + 1}</td><td></td><td class="sig"></td><td></td></tr>`).join('');
  return `<!doctype html><html lang="zh-Hant-TW"><head><meta charset="utf-8"><title>簽到表 ${esc(s.programmeName)}</title>
<style>
@page { size: A4 portrait; margin: 15mm; }
body { font-family: "Noto Sans CJK TC", "Noto Sans TC", "Microsoft JhengHei", sans-serif; font-size: 12pt; color: #000; }
h1 { font-size: 16pt; text-align: center; margin: 0 0 4mm; }
h2 { font-size: 13pt; text-align: center; margin: 0 0 6mm; font-weight: normal; }
table.meta { width: 100%; margin-bottom: 4mm; border-collapse: collapse; }
table.meta td { padding: 1mm 2mm; }
table.list { width: 100%; border-collapse: collapse; }
table.list th, table.list td { border: 1px solid #000; padding: 2mm; height: 9mm; }
td.n { width: 10mm; text-align: center; } td.sig { width: 70mm; } td.note { width: 30mm; }
.foot { margin-top: 8mm; display: flex; justify-content: space-between; }
</style></head><body>
<h1>${esc(centerName)}</h1>
<h2>${esc(s.programmeName)}\u3000簽到表</h2>
<table class="meta"><tr><td>日期：${formatRocDate(s.heldOn)}</td><td>時數：${s.hours} 小時</td></tr>
<tr><td>地點：${esc(s.place)}</td><td>帶領者：${esc(s.facilitator ?? '')}</td></tr>
<tr><td colspan="2">主題：${esc(s.topic)}</td></tr></table>
<table class="list"><thead><tr><th>編號</th><th>姓名</th><th>簽名</th><th>備註</th></tr></thead><tbody>${rows}${blanks}</tbody></table>
<div class="foot"><span>承辦人：</span><span>督導：</span></div>
</body></html>`;
}
