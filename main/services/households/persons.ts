/**
 * 個人: registration with duplicate checks, edits with versions, the masked and
 * the revealed national ID. National IDs are stored normalised (upper case) and
 * never written to the audit log.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { ApiError } from '../../contract/envelope';
import { maskNationalId } from '../../contract/national-id';
import { formatRocDate, todayIso } from '../../contract/roc-date';
import { normalizeInput } from '../../contract/text';
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
import { admitIdLookup, auditIdLookup, type IdLookupVia } from './id-lookups';
import { applyIncomeStatus } from './income-status';
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

/** The persons among `personIds` the caller may open, as duplicate candidates (others are left out). */
async function visibleCandidates(db: Kysely<Database>, scope: Scope, personIds: number[]): Promise<DuplicateCandidate[]> {
  if (personIds.length === 0) return [];
  const rows = await db
    .selectFrom('persons')
    .leftJoin('household_members as hm', (j) => j.onRef('hm.person_id', '=', 'persons.id').on('hm.left_on', 'is', null))
    .select(['persons.id', 'persons.name', 'persons.birth_date', 'persons.national_id', 'hm.household_id'])
    .where('persons.id', 'in', personIds)
    .where(personVisible(scope))
    .orderBy('persons.id')
    .execute();
  const hhIds = rows.map((r) => r.household_id).filter((x): x is number => x !== null);
  const visibleHh = new Set(
    hhIds.length === 0
      ? []
      : (await db.selectFrom('households').select('id').where('id', 'in', hhIds).where(householdVisible(scope)).execute()).map((r) => r.id),
  );
  return rows.map((r) => ({
    visible: true as const,
    personId: r.id,
    name: r.name,
    birthDate: r.birth_date,
    maskedNationalId: maskNationalId(r.national_id),
    householdId: r.household_id !== null && visibleHh.has(r.household_id) ? r.household_id : null,
  }));
}

/**
 * Whom to ask about a person the caller may not open: the team of the current household's newest
 * case, else of its active long-term concern, else of whoever registered the household or the person.
 */
export async function responsibleTeamOf(db: Kysely<Database>, personId: number): Promise<string | null> {
  const hm = await db.selectFrom('household_members').select('household_id').where('person_id', '=', personId).where('left_on', 'is', null).executeTakeFirst();
  const teamName = async (teamId: number | null | undefined) =>
    teamId === null || teamId === undefined ? null : ((await db.selectFrom('teams').select('name').where('id', '=', teamId).executeTakeFirst())?.name ?? null);
  const userTeam = async (userId: number | null | undefined) =>
    userId === null || userId === undefined ? null : teamName((await db.selectFrom('users').select('team_id').where('id', '=', userId).executeTakeFirst())?.team_id);
  if (hm) {
    const c = await db.selectFrom('cases').select(['team_id', 'lead_worker_id']).where('household_id', '=', hm.household_id).orderBy('received_at', 'desc').orderBy('id', 'desc').executeTakeFirst();
    if (c) return (await teamName(c.team_id)) ?? (await userTeam(c.lead_worker_id));
    const l = await db.selectFrom('long_term_concerns').select(['team_id', 'worker_id']).where('household_id', '=', hm.household_id).where('end_date', 'is', null).executeTakeFirst();
    if (l) return (await teamName(l.team_id)) ?? (await userTeam(l.worker_id));
    const h = await db.selectFrom('households').select('created_by').where('id', '=', hm.household_id).executeTakeFirst();
    const t = await userTeam(h?.created_by);
    if (t) return t;
  }
  const p = await db.selectFrom('persons').select('created_by').where('id', '=', personId).executeTakeFirst();
  return userTeam(p?.created_by);
}

/**
 * Who else is this? Same national ID, and same name + birth date (not counting persons whose
 * different ID proves otherwise). Reveals nothing the caller could not already see (issue 9 §2):
 * a same-ID person out of scope comes back as "exists, ask this team"; same-name persons out of
 * scope are left out. A lookup by ID is admitted by the per-user limit and audited (keyed hash).
 */
export async function checkDuplicates(
  trx: Kysely<Database>,
  scope: Scope,
  q: { name: string; birthDate?: string | null | undefined; nationalId?: string | null | undefined },
  via: IdLookupVia,
  now: Date,
  excludePersonId?: number,
): Promise<DuplicateCheckResult> {
  let sameId: DuplicateCheckResult['sameId'] = null;
  let sameIdPerson: number | null = null;
  if (q.nationalId) {
    const hash = await admitIdLookup(trx, scope, q.nationalId, via, { limited: true }, now);
    let idQ = trx.selectFrom('persons').select('id').where('national_id', '=', q.nationalId);
    if (excludePersonId !== undefined) idQ = idQ.where('id', '!=', excludePersonId);
    const row = await idQ.executeTakeFirst();
    if (row) {
      sameIdPerson = row.id;
      sameId = (await visibleCandidates(trx, scope, [row.id]))[0] ?? { visible: false, responsibleTeam: await responsibleTeamOf(trx, row.id) };
    }
    await auditIdLookup(trx, scope.actor, hash, via, sameId === null ? 'none' : sameId.visible ? sameId.personId : 'elsewhere', now);
  }
  let sameNameBirth: DuplicateCandidate[] = [];
  if (q.birthDate) {
    let nb = trx.selectFrom('persons').select('id').where('name', '=', normalizeInput(q.name)).where('birth_date', '=', q.birthDate);
    if (excludePersonId !== undefined) nb = nb.where('id', '!=', excludePersonId);
    // Two different recorded IDs are two different people: no warning for those.
    if (q.nationalId) nb = nb.where((eb) => eb.or([eb('national_id', 'is', null), eb('national_id', '=', q.nationalId as string)]));
    const ids = (await nb.limit(20).execute()).map((r) => r.id).filter((id) => id !== sameIdPerson);
    sameNameBirth = await visibleCandidates(trx, scope, ids);
  }
  return { sameId, sameNameBirth };
}

export function sameIdElsewhereMessage(team: string | null): string {
  return team
    ? `此身分證字號已登錄於本中心，由「${team}」負責，您沒有檢視權限。請洽${team}督導協助（例如將您加為協力社工或辦理轉案）。`
    : '此身分證字號已登錄於本中心，您沒有檢視權限。請洽中心管理者協助。';
}

function refuseDuplicates(found: DuplicateCheckResult, confirmDuplicate: boolean | undefined): void {
  if (found.sameId && !found.sameId.visible) {
    throw new ApiError('RULE', sameIdElsewhereMessage(found.sameId.responsibleTeam), {
      fields: { nationalId: '此身分證字號已登錄（非您負責的個人）' },
      details: { elsewhere: found.sameId },
    });
  }
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
  refuseDuplicates(await checkDuplicates(trx, scope, input, 'persons.create', now), input.confirmDuplicate);
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
  // The status starts today: the history knows nothing earlier of a person registered now.
  if (cols.income_status) await applyIncomeStatus(trx, row.id, cols.income_status, todayIso(now), null, { source: '手動', now: ts, userId: actor.userId, householdId: null });
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
    const found = await checkDuplicates(trx, scope, { name, birthDate, nationalId: changed.includes('national_id') ? nationalId : null }, 'persons.update', now, input.id);
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
  // The status history: the open period ends yesterday and the new one starts today (same transaction).
  if (changed.includes('income_status')) {
    await applyIncomeStatus(trx, input.id, (cols.income_status ?? null) as IncomeStatus | null, todayIso(now), null, { source: '手動', now: now.toISOString(), userId: actor.userId });
  }
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
    version: m.version,
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
 * May the caller put this person into a household? Only when they may open the person (issue 9 §2).
 * Knowing the person's ID or birth date is no longer proof enough: a guessed or leaked ID would pull
 * a stranger's record, and with it their history, into the caller's scope. A person kept by another
 * team is reached through that team (協力 or 轉案), which the duplicate check names.
 */
export async function assertPersonReachable(db: Kysely<Database>, scope: Scope, personId: number): Promise<void> {
  const visible = await db.selectFrom('persons').select('id').where('id', '=', personId).where(personVisible(scope)).executeTakeFirst();
  if (!visible) throw new ApiError('NOT_FOUND', '找不到這位個人，或您沒有權限。若查重時系統提示此人由其他組負責，請洽該組督導協助。');
}
