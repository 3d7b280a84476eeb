/**
 * 家戶: address (縣市 / 鄉鎮市區 / 村里 from the divisions list), type, members
 * with their relation to the 戶長, and membership history. A person belongs to
 * one household at a time (a partial unique index backs this); moving keeps the
 * old membership with its end date and reason.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { ApiError } from '../../contract/envelope';
import { maskNationalId } from '../../contract/national-id';
import { formatRocDate, todayIso } from '../../contract/roc-date';
import type {
  AddressView,
  DisabilityLevel,
  EligibilityFlags,
  HouseholdType,
  HouseholdView,
  IncomeStatus,
  MemberView,
  Relation,
  Sex,
} from '../../contract/types-households';
import { householdVisible, type Scope } from '../access/scope';
import { appendAudit } from '../audit/log';
import type { Actor } from '../context';
import { indexHousehold } from '../search/terms';
import { assertMayWrite, assertVersion, changedFields, NOT_FOUND_MESSAGE, userNames } from './common';
import { assertPersonReachable, createPerson, type PersonFields } from './persons';

export interface AddressInput {
  countyCode?: string | null | undefined;
  townCode?: string | null | undefined;
  villageCode?: string | null | undefined;
  neighborhood?: string | null | undefined;
  street?: string | null | undefined;
}

interface ResolvedAddress {
  county_code: string | null;
  town_code: string | null;
  village_code: string | null;
  neighborhood: string | null;
  street: string | null;
}

/** Checks the codes exist and nest (village in town in county); fills the parents of the most specific code. */
export async function resolveAddress(db: Kysely<Database>, a: AddressInput): Promise<ResolvedAddress> {
  const codes = [a.villageCode, a.townCode, a.countyCode].filter((c): c is string => typeof c === 'string');
  const rows = codes.length === 0 ? [] : await db.selectFrom('divisions').selectAll().where('code', 'in', codes).execute();
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const need = (code: string | null | undefined, level: 'county' | 'town' | 'village', field: string) => {
    if (!code) return null;
    const d = byCode.get(code);
    if (!d || d.level !== level) {
      throw new ApiError('VALIDATION', `找不到行政區代碼 ${code}，請從清單重新選擇。`, { fields: { [`address.${field}`]: '行政區不存在' } });
    }
    return d;
  };
  const village = need(a.villageCode, 'village', 'villageCode');
  let town = need(a.townCode, 'town', 'townCode');
  let county = need(a.countyCode, 'county', 'countyCode');
  const parentOf = async (code: string | null) => (code ? await db.selectFrom('divisions').selectAll().where('code', '=', code).executeTakeFirst() : undefined);
  if (village) {
    const vt = await parentOf(village.parent_code);
    if (town && vt?.code !== town.code) throw new ApiError('VALIDATION', `${village.name}不屬於${town.name}，請重新選擇。`, { fields: { 'address.villageCode': '村里與鄉鎮市區不符' } });
    town = vt ?? null;
  }
  if (town) {
    const tc = await parentOf(town.parent_code);
    if (county && tc?.code !== county.code) throw new ApiError('VALIDATION', `${town.name}不屬於${county.name}，請重新選擇。`, { fields: { 'address.townCode': '鄉鎮市區與縣市不符' } });
    county = tc ?? null;
  }
  return {
    county_code: county?.code ?? null,
    town_code: town?.code ?? null,
    village_code: village?.code ?? null,
    neighborhood: a.neighborhood ?? null,
    street: a.street ?? null,
  };
}

export async function divisionNames(db: Kysely<Database>, codes: (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(codes.filter((c): c is string => c !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('divisions').select(['code', 'name']).where('code', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}

export function addressView(
  h: { county_code: string | null; town_code: string | null; village_code: string | null; neighborhood: string | null; street: string | null },
  names: Map<string, string>,
): AddressView {
  const n = (c: string | null) => (c === null ? null : (names.get(c) ?? null));
  const countyName = n(h.county_code);
  const townName = n(h.town_code);
  const villageName = n(h.village_code);
  const neighborhood = h.neighborhood ? `${h.neighborhood}${/鄰$/.test(h.neighborhood) ? '' : '鄰'}` : '';
  return {
    countyCode: h.county_code,
    countyName,
    townCode: h.town_code,
    townName,
    villageCode: h.village_code,
    villageName,
    neighborhood: h.neighborhood,
    street: h.street,
    text: `${countyName ?? ''}${townName ?? ''}${villageName ?? ''}${neighborhood}${h.street ?? ''}`,
  };
}

/** Members of one household: current first (戶長 leading), then past ones, most recent departure first. */
export async function membersOf(db: Kysely<Database>, householdId: number, includePast: boolean): Promise<MemberView[]> {
  let q = db
    .selectFrom('household_members as hm')
    .innerJoin('persons as p', 'p.id', 'hm.person_id')
    .select([
      'hm.id', 'hm.household_id', 'hm.person_id', 'hm.relation', 'hm.joined_on', 'hm.left_on', 'hm.left_reason', 'hm.version',
      'p.name', 'p.national_id', 'p.birth_date', 'p.sex', 'p.phone', 'p.disability_level', 'p.income_status', 'p.indigenous', 'p.new_immigrant',
    ])
    .where('hm.household_id', '=', householdId);
  if (!includePast) q = q.where('hm.left_on', 'is', null);
  const rows = await q.execute();
  const rank = (r: (typeof rows)[number]) => (r.left_on === null ? (r.relation === '戶長' ? 0 : 1) : 2);
  rows.sort((a, b) => rank(a) - rank(b) || (b.left_on ?? '').localeCompare(a.left_on ?? '') || a.joined_on.localeCompare(b.joined_on) || a.id - b.id);
  return rows.map((r) => ({
    membershipId: r.id,
    householdId: r.household_id,
    personId: r.person_id,
    relation: r.relation as Relation,
    joinedOn: r.joined_on,
    leftOn: r.left_on,
    leftReason: r.left_reason,
    version: r.version,
    name: r.name,
    maskedNationalId: maskNationalId(r.national_id),
    birthDate: r.birth_date,
    sex: r.sex as Sex | null,
    phone: r.phone,
    disabilityLevel: r.disability_level as DisabilityLevel | null,
    incomeStatus: r.income_status as IncomeStatus | null,
    indigenous: r.indigenous === 1,
    newImmigrant: r.new_immigrant === 1,
  }));
}

export async function getHouseholdView(db: Kysely<Database>, scope: Scope, id: number, members?: MemberView[]): Promise<HouseholdView> {
  const h = await db.selectFrom('households').selectAll().where('id', '=', id).where(householdVisible(scope)).executeTakeFirst();
  if (!h) throw new ApiError('NOT_FOUND', NOT_FOUND_MESSAGE);
  const [names, users, current] = await Promise.all([
    divisionNames(db, [h.county_code, h.town_code, h.village_code]),
    userNames(db, [h.updated_by]),
    members ? Promise.resolve(members.filter((m) => m.leftOn === null)) : membersOf(db, id, false),
  ]);
  return {
    id: h.id,
    address: addressView(h, names),
    householdType: h.household_type as HouseholdType | null,
    phone: h.phone,
    notes: scope.caseContent ? h.notes : null,
    members: current,
    version: h.version,
    updatedAt: h.updated_at,
    updatedByName: h.updated_by === null ? null : (users.get(h.updated_by) ?? null),
  };
}

/** Throws NOT_FOUND unless the caller may see the household; returns its row. */
async function visibleHousehold(db: Kysely<Database>, scope: Scope, id: number) {
  const h = await db.selectFrom('households').selectAll().where('id', '=', id).where(householdVisible(scope)).executeTakeFirst();
  if (!h) throw new ApiError('NOT_FOUND', NOT_FOUND_MESSAGE);
  return h;
}

export interface HouseholdFields {
  address: AddressInput;
  householdType?: HouseholdType | null | undefined;
  phone?: string | null | undefined;
  notes?: string | null | undefined;
}

export async function createHousehold(
  trx: Kysely<Database>,
  scope: Scope,
  actor: Actor,
  input: HouseholdFields & {
    head?:
      | { personId: number; joinedOn?: string | undefined }
      | { newPerson: PersonFields; confirmDuplicate?: boolean | undefined; joinedOn?: string | undefined }
      | undefined;
  },
  now: Date,
): Promise<number> {
  assertMayWrite(scope);
  const addr = await resolveAddress(trx, input.address);
  const ts = now.toISOString();
  const row = await trx
    .insertInto('households')
    .values({
      ...addr,
      household_type: input.householdType ?? null,
      phone: input.phone ?? null,
      notes: input.notes ?? null,
      created_at: ts,
      created_by: actor.userId,
      updated_at: ts,
      updated_by: actor.userId,
      version: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await indexHousehold(trx, row.id);
  const fields = ['address', ...(['householdType', 'phone', 'notes'] as const).filter((k) => input[k] !== undefined && input[k] !== null)];
  const head = input.head;
  let headPersonId: number | null = null;
  if (head && 'newPerson' in head) {
    // Person and household commit together: a refusal of either leaves nothing behind.
    headPersonId = await createPerson(trx, scope, actor, { ...head.newPerson, confirmDuplicate: head.confirmDuplicate }, now);
  } else if (head) {
    headPersonId = head.personId;
  }
  await appendAudit(trx, { actor, action: 'create', entity: 'household', entityId: row.id, detail: { fields, headPersonId } }, now);
  if (head && headPersonId !== null) {
    await addMember(trx, scope, actor, { householdId: row.id, personId: headPersonId, relation: '戶長', joinedOn: head.joinedOn ?? todayIso(now) }, now);
  }
  return row.id;
}

export async function updateHousehold(
  trx: Kysely<Database>,
  scope: Scope,
  actor: Actor,
  input: Partial<HouseholdFields> & { id: number; version: number },
  now: Date,
): Promise<void> {
  assertMayWrite(scope);
  const before = await visibleHousehold(trx, scope, input.id);
  await assertVersion(trx, '家戶資料', before, input.version);
  const patch: Record<string, unknown> = {};
  if (input.address !== undefined) Object.assign(patch, await resolveAddress(trx, input.address));
  if (input.householdType !== undefined) patch.household_type = input.householdType;
  if (input.phone !== undefined) patch.phone = input.phone;
  if (input.notes !== undefined) patch.notes = input.notes;
  const changed = changedFields(before as unknown as Record<string, unknown>, patch);
  if (changed.length === 0) return;
  const set: Record<string, unknown> = {};
  for (const c of changed) set[c] = patch[c];
  await trx.updateTable('households').set({ ...set, updated_at: now.toISOString(), updated_by: actor.userId, version: before.version + 1 }).where('id', '=', input.id).execute();
  if (changed.includes('street') || changed.includes('phone')) await indexHousehold(trx, input.id);
  const FIELD: Record<string, string> = { county_code: 'address', town_code: 'address', village_code: 'address', neighborhood: 'address', street: 'address', household_type: 'householdType', phone: 'phone', notes: 'notes' };
  await appendAudit(trx, { actor, action: 'update', entity: 'household', entityId: input.id, detail: { fields: [...new Set(changed.map((c) => FIELD[c] ?? c))] } }, now);
}

async function currentMembership(db: Kysely<Database>, personId: number) {
  return db.selectFrom('household_members').selectAll().where('person_id', '=', personId).where('left_on', 'is', null).executeTakeFirst();
}

async function assertNoOtherHead(db: Kysely<Database>, householdId: number, relation: string): Promise<void> {
  if (relation !== '戶長') return;
  const head = await db
    .selectFrom('household_members as hm')
    .innerJoin('persons as p', 'p.id', 'hm.person_id')
    .select(['p.name'])
    .where('hm.household_id', '=', householdId)
    .where('hm.left_on', 'is', null)
    .where('hm.relation', '=', '戶長')
    .executeTakeFirst();
  if (head) throw new ApiError('RULE', `這一戶已有戶長「${head.name}」。一戶只能有一位戶長，請選擇其他關係。`, { fields: { relation: '已有戶長' } });
}

export interface AddMemberInput {
  householdId: number;
  personId: number;
  relation: Relation;
  joinedOn: string;
}

export async function addMember(trx: Kysely<Database>, scope: Scope, actor: Actor, input: AddMemberInput, now: Date): Promise<void> {
  assertMayWrite(scope);
  await visibleHousehold(trx, scope, input.householdId);
  await assertPersonReachable(trx, scope, input.personId);
  const current = await currentMembership(trx, input.personId);
  if (current) {
    const here = current.household_id === input.householdId;
    throw new ApiError(
      'RULE',
      here ? '這位個人已是本戶的成員。' : '這位個人目前屬於另一戶。一個人同時只能屬於一戶，請改用「遷入本戶」，原戶籍會保留紀錄。',
      { details: { currentHouseholdId: here || (await isVisible(trx, scope, current.household_id)) ? current.household_id : null } },
    );
  }
  await assertNoOtherHead(trx, input.householdId, input.relation);
  const row = await trx
    .insertInto('household_members')
    .values({ household_id: input.householdId, person_id: input.personId, relation: input.relation, joined_on: input.joinedOn, left_on: null, left_reason: null, created_at: now.toISOString(), created_by: actor.userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendAudit(trx, { actor, action: 'update', entity: 'household', entityId: input.householdId, detail: { fields: ['members'], memberAdded: input.personId, membershipId: row.id, relation: input.relation } }, now);
}

async function isVisible(db: Kysely<Database>, scope: Scope, householdId: number): Promise<boolean> {
  return (await db.selectFrom('households').select('id').where('id', '=', householdId).where(householdVisible(scope)).executeTakeFirst()) !== undefined;
}

/**
 * A person moves to another household: the old membership ends on movedOn with the reason, the new
 * one starts the same day. The caller must see the destination and the person (issue 9 §2: knowing
 * someone's ID does not hand over another team's record); a move between teams is recorded by one
 * who sees both, e.g. after the other team adds the caller as 協力, or by the 管理者. The household
 * left behind keeps the history.
 */
export async function moveMember(
  trx: Kysely<Database>,
  scope: Scope,
  actor: Actor,
  input: { personId: number; toHouseholdId: number; relation: Relation; movedOn: string; reason: string },
  now: Date,
): Promise<void> {
  assertMayWrite(scope);
  await visibleHousehold(trx, scope, input.toHouseholdId);
  await assertPersonReachable(trx, scope, input.personId);
  const current = await currentMembership(trx, input.personId);
  if (!current) throw new ApiError('RULE', '這位個人目前不屬於任何一戶，請改用「加入成員」。');
  if (current.household_id === input.toHouseholdId) throw new ApiError('RULE', '這位個人已是本戶的成員，不需遷入。');
  if (input.movedOn < current.joined_on) {
    throw new ApiError('VALIDATION', `遷入日期不能早於加入原戶的日期（${formatRocDate(current.joined_on)}）。`, { fields: { movedOn: '早於加入原戶日期' } });
  }
  await assertNoOtherHead(trx, input.toHouseholdId, input.relation);
  await trx.updateTable('household_members').set({ left_on: input.movedOn, left_reason: input.reason }).where('id', '=', current.id).execute();
  const row = await trx
    .insertInto('household_members')
    .values({ household_id: input.toHouseholdId, person_id: input.personId, relation: input.relation, joined_on: input.movedOn, left_on: null, left_reason: null, created_at: now.toISOString(), created_by: actor.userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendAudit(trx, { actor, action: 'update', entity: 'household', entityId: current.household_id, detail: { fields: ['members'], memberLeft: input.personId, membershipId: current.id, movedTo: input.toHouseholdId } }, now);
  await appendAudit(trx, { actor, action: 'update', entity: 'household', entityId: input.toHouseholdId, detail: { fields: ['members'], memberAdded: input.personId, membershipId: row.id, movedFrom: current.household_id, relation: input.relation } }, now);
}

/** Ends a current membership (遷出 elsewhere, 死亡...). Returns the household id. */
export async function endMembership(trx: Kysely<Database>, scope: Scope, actor: Actor, input: { membershipId: number; leftOn: string; reason: string }, now: Date): Promise<number> {
  assertMayWrite(scope);
  const m = await trx.selectFrom('household_members').selectAll().where('id', '=', input.membershipId).executeTakeFirst();
  if (!m) throw new ApiError('NOT_FOUND', NOT_FOUND_MESSAGE);
  await visibleHousehold(trx, scope, m.household_id);
  if (m.left_on !== null) throw new ApiError('RULE', `這位成員已於 ${formatRocDate(m.left_on)} 離開本戶。`);
  if (input.leftOn < m.joined_on) {
    throw new ApiError('VALIDATION', `離開日期不能早於加入日期（${formatRocDate(m.joined_on)}）。`, { fields: { leftOn: '早於加入日期' } });
  }
  await trx.updateTable('household_members').set({ left_on: input.leftOn, left_reason: input.reason }).where('id', '=', m.id).execute();
  await appendAudit(trx, { actor, action: 'update', entity: 'household', entityId: m.household_id, detail: { fields: ['members'], memberLeft: m.person_id, membershipId: m.id } }, now);
  return m.household_id;
}

/**
 * Corrects a current member's relation to the 戶長 in place (issue 11 §1): the membership and its dates
 * stay, the earlier relation is kept in household_member_relations (shown on the household timeline),
 * the change is audited, and a save over a newer version is refused. Returns the household id.
 */
export async function updateRelation(
  trx: Kysely<Database>,
  scope: Scope,
  actor: Actor,
  input: { membershipId: number; version: number; relation: Relation; reason?: string | undefined },
  now: Date,
): Promise<number> {
  assertMayWrite(scope);
  const m = await trx.selectFrom('household_members').selectAll().where('id', '=', input.membershipId).executeTakeFirst();
  if (!m) throw new ApiError('NOT_FOUND', NOT_FOUND_MESSAGE);
  await visibleHousehold(trx, scope, m.household_id);
  if (m.left_on !== null) throw new ApiError('RULE', `這位成員已於 ${formatRocDate(m.left_on)} 離開本戶，不能再修改與戶長的關係。`);
  await assertVersion(trx, '成員關係', m, input.version);
  if (m.relation === input.relation) throw new ApiError('VALIDATION', `與戶長的關係已是「${m.relation}」，沒有變更。`, { fields: { relation: '與原本相同' } });
  await assertNoOtherHead(trx, m.household_id, input.relation);
  const ts = now.toISOString();
  const res = await trx
    .updateTable('household_members')
    .set({ relation: input.relation, version: m.version + 1, updated_at: ts, updated_by: actor.userId })
    .where('id', '=', m.id)
    .where('version', '=', input.version)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) await assertVersion(trx, '成員關係', { ...m, version: m.version + 1 }, input.version);
  const reason = input.reason?.trim() ? input.reason.trim() : null;
  await trx
    .insertInto('household_member_relations')
    .values({ membership_id: m.id, household_id: m.household_id, from_relation: m.relation, to_relation: input.relation, reason, changed_at: ts, changed_by: actor.userId })
    .execute();
  await appendAudit(
    trx,
    { actor, action: 'update', entity: 'household', entityId: m.household_id, detail: { fields: ['members'], membershipId: m.id, personId: m.person_id, relation: { from: m.relation, to: input.relation } } },
    now,
  );
  return m.household_id;
}

const INACTIVE_CASE_STATUSES = ['不開案', '已結案'];

/**
 * Food-bank eligibility facts for households (DOMAIN.md 實物銀行): the strongest income status of a
 * current member, an active case (anything not 不開案 / 已結案), an active long-term concern. The
 * income status is today's (persons.income_status), or the one held on `asOf` (the status history:
 * the hand-out date) when given.
 */
export async function eligibilityOf(db: Kysely<Database>, householdIds: number[], asOf?: string): Promise<Map<number, EligibilityFlags>> {
  const out = new Map<number, EligibilityFlags>();
  if (householdIds.length === 0) return out;
  for (const id of householdIds) out.set(id, { incomeStatus: null, activeCase: false, activeConcern: false });
  const [income, cases, concerns] = await Promise.all([
    asOf === undefined
      ? db
          .selectFrom('household_members as hm')
          .innerJoin('persons as p', 'p.id', 'hm.person_id')
          .select(['hm.household_id', 'p.income_status'])
          .where('hm.household_id', 'in', householdIds)
          .where('hm.left_on', 'is', null)
          .where('p.income_status', 'is not', null)
          .execute()
      : db
          .selectFrom('household_members as hm')
          .innerJoin('person_income_status as s', 's.person_id', 'hm.person_id')
          .select(['hm.household_id', 's.status as income_status'])
          .where('hm.household_id', 'in', householdIds)
          .where('hm.left_on', 'is', null)
          .where('s.valid_from', '<=', asOf)
          .where((eb) => eb.or([eb('s.valid_to', 'is', null), eb('s.valid_to', '>=', asOf)]))
          .execute(),
    db.selectFrom('cases').select('household_id').distinct().where('household_id', 'in', householdIds).where('status', 'not in', INACTIVE_CASE_STATUSES).execute(),
    db.selectFrom('long_term_concerns').select('household_id').where('household_id', 'in', householdIds).where('end_date', 'is', null).execute(),
  ]);
  for (const r of income) {
    const f = out.get(r.household_id);
    if (f && (f.incomeStatus === null || r.income_status === 'low')) f.incomeStatus = r.income_status as IncomeStatus;
  }
  for (const r of cases) {
    const f = out.get(r.household_id);
    if (f) f.activeCase = true;
  }
  for (const r of concerns) {
    const f = out.get(r.household_id);
    if (f) f.activeConcern = true;
  }
  return out;
}
