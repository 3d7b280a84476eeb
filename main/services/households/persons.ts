/**
 * 個人: registration with duplicate checks, edits with versions, the masked and
 * the revealed national ID. National IDs are stored normalised (upper case) and
 * never written to the audit log.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { ApiError } from '../../contract/envelope';
import { maskNationalId } from '../../contract/national-id';
import { formatRocDate } from '../../contract/roc-date';
import type {
  DisabilityLevel,
  DuplicateCandidate,
  DuplicateCheckResult,
  IncomeStatus,
  MembershipView,
  PersonView,
  Relation,
  Sex,
} from '../../contract/types-households';
import { householdVisible, type Scope } from '../access/scope';
import { appendAudit } from '../audit/log';
import type { Actor } from '../context';
import { indexPerson } from '../search/terms';
import { assertMayReadCaseContent, assertMayWrite, assertVersion, bool, changedFields, NOT_FOUND_MESSAGE, personVisible, userNames } from './common';

export interface PersonFields {
  name: string;
  nationalId?: string | null | undefined;
  birthDate?: string | null | undefined;
  sex?: Sex | null | undefined;
  phone?: string | null | undefined;
  indigenous?: boolean | undefined;
  newImmigrant?: boolean | undefined;
  disabilityLevel?: DisabilityLevel | null | undefined;
  incomeStatus?: IncomeStatus | null | undefined;
  notes?: string | null | undefined;
}

/** Camel-case field → column, for patches and the audit's field list. */
function toColumns(f: Partial<PersonFields>) {
  return {
    name: f.name,
    national_id: f.nationalId,
    birth_date: f.birthDate,
    sex: f.sex,
    phone: f.phone,
    indigenous: f.indigenous === undefined ? undefined : f.indigenous ? 1 : 0,
    new_immigrant: f.newImmigrant === undefined ? undefined : f.newImmigrant ? 1 : 0,
    disability_level: f.disabilityLevel,
    income_status: f.incomeStatus,
    notes: f.notes,
  };
}

const COLUMN_TO_FIELD: Record<string, string> = {
  name: 'name',
  national_id: 'nationalId',
  birth_date: 'birthDate',
  sex: 'sex',
  phone: 'phone',
  indigenous: 'indigenous',
  new_immigrant: 'newImmigrant',
  disability_level: 'disabilityLevel',
  income_status: 'incomeStatus',
  notes: 'notes',
};

async function candidatesFor(db: Kysely<Database>, scope: Scope, personIds: number[]): Promise<DuplicateCandidate[]> {
  if (personIds.length === 0) return [];
  const rows = await db
    .selectFrom('persons')
    .leftJoin('household_members as hm', (j) => j.onRef('hm.person_id', '=', 'persons.id').on('hm.left_on', 'is', null))
    .select(['persons.id', 'persons.name', 'persons.birth_date', 'persons.national_id', 'hm.household_id'])
    .where('persons.id', 'in', personIds)
    .orderBy('persons.id')
    .execute();
  const visible = new Set(
    (await db.selectFrom('persons').select('id').where('id', 'in', personIds).where(personVisible(scope)).execute()).map((r) => r.id),
  );
  const hhIds = rows.map((r) => r.household_id).filter((x): x is number => x !== null);
  const visibleHh = new Set(
    hhIds.length === 0
      ? []
      : (await db.selectFrom('households').select('id').where('id', 'in', hhIds).where(householdVisible(scope)).execute()).map((r) => r.id),
  );
  return rows.map((r) => ({
    personId: r.id,
    name: r.name,
    birthDate: r.birth_date,
    maskedNationalId: maskNationalId(r.national_id),
    householdId: r.household_id !== null && visibleHh.has(r.household_id) ? r.household_id : null,
    visible: visible.has(r.id),
  }));
}

/** Who else is this? Same national ID, and same name + birth date (not counting persons whose different ID proves otherwise). */
export async function checkDuplicates(
  db: Kysely<Database>,
  scope: Scope,
  q: { name: string; birthDate?: string | null | undefined; nationalId?: string | null | undefined },
  excludePersonId?: number,
): Promise<DuplicateCheckResult> {
  let sameId: DuplicateCandidate | null = null;
  if (q.nationalId) {
    let idQ = db.selectFrom('persons').select('id').where('national_id', '=', q.nationalId);
    if (excludePersonId !== undefined) idQ = idQ.where('id', '!=', excludePersonId);
    const row = await idQ.executeTakeFirst();
    if (row) sameId = (await candidatesFor(db, scope, [row.id]))[0] ?? null;
  }
  let sameNameBirth: DuplicateCandidate[] = [];
  if (q.birthDate) {
    let nb = db.selectFrom('persons').select('id').where('name', '=', q.name.trim()).where('birth_date', '=', q.birthDate);
    if (excludePersonId !== undefined) nb = nb.where('id', '!=', excludePersonId);
    // Two different recorded IDs are two different people: no warning for those.
    if (q.nationalId) nb = nb.where((eb) => eb.or([eb('national_id', 'is', null), eb('national_id', '=', q.nationalId as string)]));
    const ids = (await nb.limit(20).execute()).map((r) => r.id).filter((id) => id !== sameId?.personId);
    sameNameBirth = await candidatesFor(db, scope, ids);
  }
  return { sameId, sameNameBirth };
}

function refuseDuplicates(found: DuplicateCheckResult, confirmDuplicate: boolean | undefined): void {
  if (found.sameId) {
    const c = found.sameId;
    throw new ApiError(
      'RULE',
      `身分證字號 ${c.maskedNationalId} 已登錄為「${c.name}」${c.birthDate ? `（${formatRocDate(c.birthDate)} 生）` : ''}，同一個人不能建立兩次。請改選用這位已登錄的個人。`,
      { fields: { nationalId: '此身分證字號已登錄' }, details: { existingPersonId: c.personId, existing: c } },
    );
  }
  if (found.sameNameBirth.length > 0 && confirmDuplicate !== true) {
    const first = found.sameNameBirth[0] as DuplicateCandidate;
    throw new ApiError(
      'RULE',
      `已有同名同生日的個人「${first.name}」（${formatRocDate(first.birthDate)} 生）${found.sameNameBirth.length > 1 ? `等 ${found.sameNameBirth.length} 位` : ''}。若是同一人，請選用已登錄的資料；若確定是不同的人，請勾選「確認不是同一人」後再儲存。`,
      { details: { candidates: found.sameNameBirth } },
    );
  }
}

export async function createPerson(trx: Kysely<Database>, scope: Scope, actor: Actor, input: PersonFields & { confirmDuplicate?: boolean | undefined }, now: Date): Promise<number> {
  assertMayWrite(scope);
  refuseDuplicates(await checkDuplicates(trx, scope, input), input.confirmDuplicate);
  const ts = now.toISOString();
  const cols = toColumns(input);
  const row = await trx
    .insertInto('persons')
    .values({
      name: input.name.trim(),
      national_id: cols.national_id ?? null,
      birth_date: cols.birth_date ?? null,
      sex: cols.sex ?? null,
      phone: cols.phone ?? null,
      indigenous: cols.indigenous ?? 0,
      new_immigrant: cols.new_immigrant ?? 0,
      disability_level: cols.disability_level ?? null,
      income_status: cols.income_status ?? null,
      notes: cols.notes ?? null,
      created_at: ts,
      created_by: actor.userId,
      updated_at: ts,
      updated_by: actor.userId,
      version: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await indexPerson(trx, row.id);
  const fields = Object.entries(cols)
    .filter(([, v]) => v !== undefined && v !== null && v !== 0)
    .map(([k]) => COLUMN_TO_FIELD[k] ?? k);
  await appendAudit(trx, { actor, action: 'create', entity: 'person', entityId: row.id, detail: { fields, confirmedDuplicate: input.confirmDuplicate === true } }, now);
  return row.id;
}

export async function updatePerson(
  trx: Kysely<Database>,
  scope: Scope,
  actor: Actor,
  input: Partial<PersonFields> & { id: number; version: number; confirmDuplicate?: boolean | undefined },
  now: Date,
): Promise<void> {
  assertMayWrite(scope);
  const before = await trx.selectFrom('persons').selectAll().where('id', '=', input.id).where(personVisible(scope)).executeTakeFirst();
  if (!before) throw new ApiError('NOT_FOUND', NOT_FOUND_MESSAGE);
  await assertVersion(trx, '個人資料', before, input.version);
  const cols = toColumns(input);
  const changed = changedFields(before as unknown as Record<string, unknown>, cols);
  if (changed.length === 0) return;
  const name = (cols.name ?? before.name).trim();
  const birthDate = cols.birth_date === undefined ? before.birth_date : cols.birth_date;
  const nationalId = cols.national_id === undefined ? before.national_id : cols.national_id;
  if (changed.some((c) => c === 'name' || c === 'birth_date' || c === 'national_id')) {
    const found = await checkDuplicates(trx, scope, { name, birthDate, nationalId }, input.id);
    // Only a change that creates the clash warns: an old, known same-name pair was already confirmed.
    if (!changed.includes('national_id')) found.sameId = null;
    if (!changed.includes('name') && !changed.includes('birth_date')) found.sameNameBirth = [];
    refuseDuplicates(found, input.confirmDuplicate);
  }
  const patch: Record<string, unknown> = {};
  for (const c of changed) patch[c] = (cols as Record<string, unknown>)[c];
  if (patch.name !== undefined) patch.name = name;
  await trx
    .updateTable('persons')
    .set({ ...patch, updated_at: now.toISOString(), updated_by: actor.userId, version: before.version + 1 })
    .where('id', '=', input.id)
    .execute();
  if (changed.includes('name') || changed.includes('phone')) await indexPerson(trx, input.id);
  await appendAudit(trx, { actor, action: 'update', entity: 'person', entityId: input.id, detail: { fields: changed.map((c) => COLUMN_TO_FIELD[c] ?? c) } }, now);
}

export async function membershipsOf(db: Kysely<Database>, personId: number): Promise<MembershipView[]> {
  const rows = await db.selectFrom('household_members').selectAll().where('person_id', '=', personId).orderBy('joined_on', 'desc').orderBy('id', 'desc').execute();
  return rows.map((m) => ({
    membershipId: m.id,
    householdId: m.household_id,
    personId: m.person_id,
    relation: m.relation as Relation,
    joinedOn: m.joined_on,
    leftOn: m.left_on,
    leftReason: m.left_reason,
  }));
}

export async function getPersonView(db: Kysely<Database>, scope: Scope, id: number): Promise<PersonView> {
  const p = await db.selectFrom('persons').selectAll().where('id', '=', id).where(personVisible(scope)).executeTakeFirst();
  if (!p) throw new ApiError('NOT_FOUND', NOT_FOUND_MESSAGE);
  const names = await userNames(db, [p.updated_by]);
  let memberships = await membershipsOf(db, id);
  if (!scope.all && scope.actor.role !== 'foodbank') {
    // Past households the caller may not see are left out (where someone lived is itself personal).
    const ids = [...new Set(memberships.map((m) => m.householdId))];
    const ok = new Set(
      ids.length === 0 ? [] : (await db.selectFrom('households').select('id').where('id', 'in', ids).where(householdVisible(scope)).execute()).map((r) => r.id),
    );
    memberships = memberships.filter((m) => ok.has(m.householdId));
  }
  const current = memberships.find((m) => m.leftOn === null);
  return {
    id: p.id,
    name: p.name,
    maskedNationalId: maskNationalId(p.national_id),
    hasNationalId: p.national_id !== null,
    birthDate: p.birth_date,
    sex: p.sex as Sex | null,
    phone: p.phone,
    indigenous: bool(p.indigenous),
    newImmigrant: bool(p.new_immigrant),
    disabilityLevel: p.disability_level as DisabilityLevel | null,
    incomeStatus: p.income_status as IncomeStatus | null,
    notes: scope.caseContent ? p.notes : null,
    currentHousehold: current ? { householdId: current.householdId, membershipId: current.membershipId, relation: current.relation, joinedOn: current.joinedOn } : null,
    memberships,
    version: p.version,
    updatedAt: p.updated_at,
    updatedByName: p.updated_by === null ? null : (names.get(p.updated_by) ?? null),
  };
}

/** The full national ID, audited as a view of the field nationalId (the value itself is never logged). */
export async function revealNationalId(trx: Kysely<Database>, scope: Scope, actor: Actor, personId: number, now: Date): Promise<string | null> {
  assertMayReadCaseContent(scope);
  const p = await trx.selectFrom('persons').select(['id', 'national_id']).where('id', '=', personId).where(personVisible(scope)).executeTakeFirst();
  if (!p) throw new ApiError('NOT_FOUND', NOT_FOUND_MESSAGE);
  await appendAudit(trx, { actor, action: 'view', entity: 'person', entityId: personId, detail: { fields: ['nationalId'] } }, now);
  return p.national_id;
}

/**
 * May the caller put this person into a household? Yes when they can see the person; otherwise
 * only with proof they know who it is (the national ID, or the birth date when no ID is recorded),
 * as after the duplicate check offered an existing person. Stops enumerating ids to pull strangers in.
 */
export async function assertPersonReachable(
  db: Kysely<Database>,
  scope: Scope,
  personId: number,
  known: { nationalId?: string | null | undefined; birthDate?: string | null | undefined } | undefined,
): Promise<void> {
  const p = await db.selectFrom('persons').select(['id', 'national_id', 'birth_date']).where('id', '=', personId).executeTakeFirst();
  if (!p) throw new ApiError('NOT_FOUND', '找不到這位個人，請重新查詢。');
  const visible = await db.selectFrom('persons').select('id').where('id', '=', personId).where(personVisible(scope)).executeTakeFirst();
  if (visible) return;
  const proven = p.national_id !== null ? known?.nationalId === p.national_id : p.birth_date !== null && known?.birthDate === p.birth_date;
  if (!proven) {
    throw new ApiError('NOT_FOUND', '找不到這位個人，或您沒有權限。若是查重時系統提示的既有個人，請一併提供其身分證字號（無身分證字號者提供出生日期）以確認身分。');
  }
}
