/**
 * Linked families (issue 14 §5): relations between persons of different households.
 *
 * A link is one row of person_links in a canonical direction (see the migration): `relation` is what
 * person_b is to person_a. Every view turns it round to the side it is listed under.
 *
 * Access (services/access/scope.ts): the member must be of a household in the caller's scope. The
 * other side is described only when its household (the one the person lives in now; for a person
 * without one, the person) is in scope too; otherwise the view holds OUT_OF_SCOPE_LABEL, the relation
 * and the sex (for the genogram's symbol) and nothing else: no name, no person or household id, no
 * address, no note written by someone else. Two out-of-scope links are never grouped, so nothing tells
 * whether they lead to one household. The audit log keeps link and person ids, the relation code and a
 * reason code, never a national ID or a note.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { ApiError } from '../../contract/envelope';
import { todayIso } from '../../contract/roc-date';
import type { Sex } from '../../contract/types-households';
import {
  LINK_INVERSE,
  OUT_OF_SCOPE_LABEL,
  STORED_LINK_RELATIONS,
  type HouseholdLinksView,
  type LinkCreateResult,
  type LinkEndReason,
  type LinkOther,
  type LinkRelation,
  type PersonLinkView,
} from '../../contract/types-links';
import { householdVisible, type Scope } from '../access/scope';
import { appendAudit } from '../audit/log';
import type { Actor } from '../context';
import { assertMayReadCaseContent, assertMayWrite, assertVersion, NOT_FOUND_MESSAGE, personVisible } from '../households/common';
import { admitIdLookup, auditIdLookup } from '../households/id-lookups';
import { addressView, divisionNames } from '../households/service';

type Db = Kysely<Database>;

const STORED = new Set<string>(STORED_LINK_RELATIONS);
const SYMMETRIC = new Set<LinkRelation>(['手足', '配偶', '前配偶', '其他親屬']);

/** The stored row for "other is member's `relation`". */
export function storedLink(memberId: number, otherId: number, relation: LinkRelation): { personA: number; personB: number; relation: string } {
  if (SYMMETRIC.has(relation)) return { personA: Math.min(memberId, otherId), personB: Math.max(memberId, otherId), relation };
  if (STORED.has(relation)) return { personA: memberId, personB: otherId, relation };
  return { personA: otherId, personB: memberId, relation: LINK_INVERSE[relation] };
}

/** Seen from `personId` (one of the two): the other person and what they are to `personId`. */
export function linkFrom(row: { person_a: number; person_b: number; relation: string }, personId: number): { otherId: number; relation: LinkRelation } {
  const rel = row.relation as LinkRelation;
  return row.person_a === personId ? { otherId: row.person_b, relation: rel } : { otherId: row.person_a, relation: LINK_INVERSE[rel] };
}

async function assertHousehold(db: Db, scope: Scope, householdId: number): Promise<void> {
  assertMayReadCaseContent(scope);
  const row = await db.selectFrom('households').select('id').where('id', '=', householdId).where(householdVisible(scope)).executeTakeFirst();
  if (!row) throw new ApiError('NOT_FOUND', NOT_FOUND_MESSAGE);
}

/**
 * Whether the scope may see each person, and the household to show them in: a person is in scope when
 * any household they live in now is (the latest joined of those is shown), or, living in none, when
 * personVisible says so. Out of scope: `home` is null (nothing about it leaves the service).
 */
async function resolveOthers(db: Db, scope: Scope, personIds: number[]): Promise<Map<number, { visible: boolean; home: number | null }>> {
  const out = new Map<number, { visible: boolean; home: number | null }>();
  const ids = [...new Set(personIds)];
  if (ids.length === 0) return out;
  const rows = await db
    .selectFrom('household_members')
    .select(['person_id', 'household_id'])
    .where('person_id', 'in', ids)
    .where('left_on', 'is', null)
    .orderBy('joined_on', 'asc')
    .orderBy('id', 'asc')
    .execute();
  const hhIds = [...new Set(rows.map((r) => r.household_id))];
  const visibleHh = new Set<number>();
  if (hhIds.length > 0) {
    for (const r of await db.selectFrom('households').select('id').where('id', 'in', hhIds).where(householdVisible(scope)).execute()) visibleHh.add(r.id);
  }
  const homeless = new Set(ids);
  for (const r of rows) {
    homeless.delete(r.person_id);
    const prev = out.get(r.person_id);
    if (visibleHh.has(r.household_id)) out.set(r.person_id, { visible: true, home: r.household_id });
    else if (!prev) out.set(r.person_id, { visible: false, home: null });
  }
  if (homeless.size > 0) {
    const seen = new Set((await db.selectFrom('persons').select('id').where('id', 'in', [...homeless]).where(personVisible(scope)).execute()).map((r) => r.id));
    for (const p of homeless) out.set(p, { visible: seen.has(p), home: null });
  }
  return out;
}

/** "王大同戶・南投市中興里中山路1號" for households the caller sees. */
export async function householdLabels(db: Db, householdIds: number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  const ids = [...new Set(householdIds)];
  if (ids.length === 0) return out;
  const hh = await db.selectFrom('households').select(['id', 'county_code', 'town_code', 'village_code', 'neighborhood', 'street']).where('id', 'in', ids).execute();
  const names = await divisionNames(db, hh.flatMap((h) => [h.county_code, h.town_code, h.village_code]));
  const heads = await db
    .selectFrom('household_members as hm')
    .innerJoin('persons as p', 'p.id', 'hm.person_id')
    .select(['hm.household_id', 'p.name'])
    .where('hm.household_id', 'in', ids)
    .where('hm.relation', '=', '戶長')
    .where('hm.left_on', 'is', null)
    .orderBy('hm.id')
    .execute();
  const headOf = new Map<number, string>();
  for (const h of heads) if (!headOf.has(h.household_id)) headOf.set(h.household_id, h.name);
  for (const h of hh) {
    const a = addressView({ ...h, county_code: null }, names).text;
    const head = headOf.get(h.id);
    out.set(h.id, head ? `${head}戶${a ? `・${a}` : ''}` : a || `家戶 ${h.id}`);
  }
  return out;
}

interface LinkRow {
  id: number;
  person_a: number;
  person_b: number;
  relation: string;
  note: string | null;
  created_at: string;
  created_by: number | null;
  version: number;
}

/** Views of `rows` seen from the member each is listed under. */
async function viewsOf(db: Db, scope: Scope, items: { row: LinkRow; from: number }[]): Promise<PersonLinkView[]> {
  const sides = items.map((i) => ({ ...i, ...linkFrom(i.row, i.from) }));
  const otherIds = [...new Set(sides.map((s) => s.otherId))];
  const persons = otherIds.length ? await db.selectFrom('persons').select(['id', 'name', 'sex']).where('id', 'in', otherIds).execute() : [];
  const byId = new Map(persons.map((p) => [p.id, p]));
  const resolved = await resolveOthers(db, scope, otherIds);
  const labels = await householdLabels(
    db,
    [...resolved.values()].flatMap((r) => (r.visible && r.home !== null ? [r.home] : [])),
  );
  return sides.map((s) => {
    const p = byId.get(s.otherId);
    const sex = (p?.sex ?? null) as Sex | null;
    const inScope = resolved.get(s.otherId)?.visible ?? false;
    const home = resolved.get(s.otherId)?.home ?? null;
    const other: LinkOther = inScope
      ? { inScope: true, personId: s.otherId, name: p?.name ?? '', sex, householdId: home, householdLabel: home === null ? null : (labels.get(home) ?? null) }
      : { inScope: false, label: OUT_OF_SCOPE_LABEL, sex };
    return {
      id: s.row.id,
      version: s.row.version,
      relation: s.relation,
      note: inScope || s.row.created_by === scope.actor.userId ? s.row.note : null,
      createdAt: s.row.created_at,
      other,
    };
  });
}

const LINK_COLUMNS = ['id', 'person_a', 'person_b', 'relation', 'note', 'created_at', 'created_by', 'version'] as const;

/** The household's members (current, then past) with their active links. */
export async function listHouseholdLinks(db: Db, scope: Scope, householdId: number): Promise<HouseholdLinksView> {
  await assertHousehold(db, scope, householdId);
  const memberRows = await db
    .selectFrom('household_members as hm')
    .innerJoin('persons as p', 'p.id', 'hm.person_id')
    .select(['hm.person_id', 'hm.left_on', 'hm.relation', 'hm.id', 'p.name', 'p.sex'])
    .where('hm.household_id', '=', householdId)
    .orderBy('hm.id')
    .execute();
  const members = new Map<number, { personId: number; name: string; sex: Sex | null; current: boolean; head: boolean }>();
  for (const m of memberRows) {
    const prev = members.get(m.person_id);
    const current = (prev?.current ?? false) || m.left_on === null;
    members.set(m.person_id, { personId: m.person_id, name: m.name, sex: m.sex as Sex | null, current, head: (prev?.head ?? false) || (m.relation === '戶長' && m.left_on === null) });
  }
  const ids = [...members.keys()];
  const rows = ids.length
    ? await db
        .selectFrom('person_links')
        .select([...LINK_COLUMNS])
        .where('ended_on', 'is', null)
        .where((eb) => eb.or([eb('person_a', 'in', ids), eb('person_b', 'in', ids)]))
        .orderBy('id')
        .execute()
    : [];
  const items: { row: LinkRow; from: number }[] = [];
  for (const r of rows) {
    if (members.has(r.person_a)) items.push({ row: r, from: r.person_a });
    if (members.has(r.person_b)) items.push({ row: r, from: r.person_b });
  }
  const views = await viewsOf(db, scope, items);
  const ordered = [...members.values()].sort((a, b) => Number(b.current) - Number(a.current) || Number(b.head) - Number(a.head));
  return {
    householdId,
    members: ordered.map((m) => ({
      personId: m.personId,
      name: m.name,
      sex: m.sex,
      current: m.current,
      links: views.filter((_, i) => items[i]?.from === m.personId),
    })),
  };
}

/** A member of a household in scope, now (the link is made from there); NOT_FOUND otherwise. */
async function assertMemberInScope(db: Db, scope: Scope, personId: number, field: string): Promise<number> {
  const row = await db
    .selectFrom('household_members as hm')
    .innerJoin('households', 'households.id', 'hm.household_id')
    .select('hm.household_id')
    .where('hm.person_id', '=', personId)
    .where('hm.left_on', 'is', null)
    .where(householdVisible(scope))
    .executeTakeFirst();
  if (!row) throw new ApiError('NOT_FOUND', NOT_FOUND_MESSAGE, { fields: { [field]: '找不到此人，或此人不在您負責的家戶中' } });
  return row.household_id;
}

async function sameHousehold(db: Db, a: number, b: number): Promise<boolean> {
  const row = await db
    .selectFrom('household_members as x')
    .innerJoin('household_members as y', 'y.household_id', 'x.household_id')
    .select('x.id')
    .where('x.person_id', '=', a)
    .where('y.person_id', '=', b)
    .where('x.left_on', 'is', null)
    .where('y.left_on', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

async function assertNoDuplicate(db: Db, stored: { personA: number; personB: number; relation: string }, exceptId?: number): Promise<void> {
  let q = db
    .selectFrom('person_links')
    .select('id')
    .where('person_a', '=', stored.personA)
    .where('person_b', '=', stored.personB)
    .where('relation', '=', stored.relation)
    .where('ended_on', 'is', null);
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst()) throw new ApiError('RULE', '這兩人之間已登錄相同的關係。', { fields: { relation: '已有相同的關係' } });
}

export interface CreateLinkInput {
  personId: number;
  target: { personId: number } | { nationalId: string };
  relation: LinkRelation;
  note?: string | null | undefined;
}

export async function createLink(trx: Db, scope: Scope, actor: Actor, input: CreateLinkInput, now: Date): Promise<LinkCreateResult> {
  assertMayWrite(scope);
  assertMayReadCaseContent(scope);
  await assertMemberInScope(trx, scope, input.personId, 'personId');
  let otherId: number;
  if ('personId' in input.target) {
    otherId = input.target.personId;
    if (otherId === input.personId) throw new ApiError('VALIDATION', '不能與本人建立關係。', { fields: { target: '請選擇另一個人' } });
    const exists = await trx.selectFrom('persons').select('id').where('id', '=', otherId).executeTakeFirst();
    if (!exists || !(await resolveOthers(trx, scope, [otherId])).get(otherId)?.visible) {
      throw new ApiError('NOT_FOUND', NOT_FOUND_MESSAGE, { fields: { target: '找不到此人，或此人不在您負責的家戶中；可改以身分證字號指定' } });
    }
  } else {
    // Rate-limited and audited as every lookup by ID; the answer names nobody (services/households/id-lookups.ts).
    const hash = await admitIdLookup(trx, scope, input.target.nationalId, 'links.create', { limited: true }, now);
    const found = await trx.selectFrom('persons').select('id').where('national_id', '=', input.target.nationalId).executeTakeFirst();
    const visible = found ? ((await resolveOthers(trx, scope, [found.id])).get(found.id)?.visible ?? false) : false;
    await auditIdLookup(trx, actor, hash, 'links.create', !found ? 'none' : visible ? found.id : 'elsewhere', now);
    if (!found) return { created: null, nationalIdNotFound: true };
    otherId = found.id;
    if (otherId === input.personId) throw new ApiError('VALIDATION', '不能與本人建立關係。', { fields: { nationalId: '這是本人的身分證字號' } });
  }
  if (await sameHousehold(trx, input.personId, otherId)) {
    throw new ApiError('RULE', '兩人目前同住一戶：同戶成員的關係請在成員名單中設定。', { fields: { target: '此人是同戶成員' } });
  }
  const stored = storedLink(input.personId, otherId, input.relation);
  await assertNoDuplicate(trx, stored);
  const ts = now.toISOString();
  const row = await trx
    .insertInto('person_links')
    .values({ person_a: stored.personA, person_b: stored.personB, relation: stored.relation, note: input.note ?? null, created_at: ts, created_by: actor.userId, updated_at: ts, updated_by: actor.userId, version: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendAudit(trx, { actor, action: 'create', entity: 'person_link', entityId: row.id, detail: { personId: input.personId, relation: input.relation } }, now);
  return { created: await getLink(trx, scope, row.id, input.personId) };
}

/** The link as seen from `fromPersonId`; NOT_FOUND unless that person is one of the two and visible. */
export async function getLink(db: Db, scope: Scope, id: number, fromPersonId: number): Promise<PersonLinkView> {
  const row = await db.selectFrom('person_links').select([...LINK_COLUMNS]).where('id', '=', id).executeTakeFirst();
  if (!row || (row.person_a !== fromPersonId && row.person_b !== fromPersonId)) throw new ApiError('NOT_FOUND', NOT_FOUND_MESSAGE);
  const [view] = await viewsOf(db, scope, [{ row, from: fromPersonId }]);
  if (!view) throw new ApiError('NOT_FOUND', NOT_FOUND_MESSAGE);
  return view;
}

/** The active link and the side of it the caller reaches (a person of a household in scope); NOT_FOUND otherwise. */
async function linkInScope(trx: Db, scope: Scope, id: number, fromPersonId?: number) {
  assertMayWrite(scope);
  assertMayReadCaseContent(scope);
  const row = await trx.selectFrom('person_links').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row || row.ended_on !== null) throw new ApiError('NOT_FOUND', NOT_FOUND_MESSAGE);
  const candidates = fromPersonId !== undefined ? [fromPersonId] : [row.person_a, row.person_b];
  for (const p of candidates) {
    if (p !== row.person_a && p !== row.person_b) continue;
    const seen = await trx.selectFrom('persons').select('id').where('id', '=', p).where(personVisible(scope)).executeTakeFirst();
    if (seen) return { row, from: p };
  }
  throw new ApiError('NOT_FOUND', NOT_FOUND_MESSAGE);
}

export async function updateLink(
  trx: Db,
  scope: Scope,
  actor: Actor,
  input: { id: number; version: number; fromPersonId: number; relation: LinkRelation; note?: string | null | undefined },
  now: Date,
): Promise<PersonLinkView> {
  const { row, from } = await linkInScope(trx, scope, input.id, input.fromPersonId);
  await assertVersion(trx, '關係', row, input.version);
  const { otherId, relation: before } = linkFrom(row, from);
  const stored = storedLink(from, otherId, input.relation);
  const changed: string[] = [];
  if (before !== input.relation) changed.push('relation');
  if (input.note !== undefined && (input.note ?? null) !== row.note) changed.push('note');
  if (changed.length > 0) {
    await assertNoDuplicate(trx, stored, row.id);
    await trx
      .updateTable('person_links')
      .set({
        person_a: stored.personA,
        person_b: stored.personB,
        relation: stored.relation,
        ...(input.note !== undefined ? { note: input.note ?? null } : {}),
        updated_at: now.toISOString(),
        updated_by: actor.userId,
        version: sql<number>`version + 1`,
      })
      .where('id', '=', row.id)
      .execute();
    await appendAudit(trx, { actor, action: 'update', entity: 'person_link', entityId: row.id, detail: { fields: changed, relation: input.relation } }, now);
  }
  return getLink(trx, scope, row.id, from);
}

export async function endLink(trx: Db, scope: Scope, actor: Actor, input: { id: number; version: number; endedOn: string; reason: LinkEndReason }, now: Date): Promise<void> {
  const { row } = await linkInScope(trx, scope, input.id);
  await assertVersion(trx, '關係', row, input.version);
  // A relation may have ended before it was recorded (an old divorce), never after today.
  if (input.endedOn > todayIso(now)) throw new ApiError('VALIDATION', '結束日期不能晚於今天', { fields: { endedOn: '結束日期不能晚於今天' } });
  await trx
    .updateTable('person_links')
    .set({ ended_on: input.endedOn, end_reason: input.reason, ended_by: actor.userId, updated_at: now.toISOString(), updated_by: actor.userId, version: sql<number>`version + 1` })
    .where('id', '=', row.id)
    .execute();
  await appendAudit(trx, { actor, action: 'update', entity: 'person_link', entityId: row.id, detail: { ended: true, reason: input.reason } }, now);
}
