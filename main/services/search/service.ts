/**
 * One search box (issue 3 §7): name (any 2+ characters, or a 1-character
 * surname), national ID (in full; by its 4+ leading characters only for roles that
 * may reveal IDs, issue 9 §2), phone (digits,
 * dashes ignored: the end of a number from 4 digits, its start from 6), street
 * or 村里, and case number (115-000123, or the 6-digit part 000123 / 123).
 * Results are grouped by household and filtered by the caller's scope inside the
 * SQL, so a 社工 never even counts a household they may not see. 實物銀行 sees
 * households and members but no case numbers (and finds nothing by case number).
 *
 * Indexed through `search_terms` (see terms.ts); every query here is an equality
 * or range scan on a B-tree, then a check of the few candidates in JS.
 *
 * Searching by ID is a lookup by ID (households/id-lookups.ts): audited with a keyed hash, and the
 * full ID counts against the per-user limit. A prefix search is offered only to 社工, 督導 and
 * 管理者, whose results are confined to people they may open and whose IDs they may reveal anyway;
 * 實物銀行 sees every household's members (masked), so for the clerk four characters at a time
 * would walk a masked ID to the full one in about 40 searches: the clerk searches by the full ID.
 */
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import { likeContains } from '../../../db/like';
import type { Database } from '../../../db/schema';
import { writeTransaction } from '../../../db/tx';
import { maskNationalId, normalizeNationalId } from '../../contract/national-id';
import { todayIso, toRocYear } from '../../contract/roc-date';
import type { Relation, SearchHit, SearchMatchKind, SearchResult } from '../../contract/types-households';
import { caseVisible, householdVisible, type Scope } from '../access/scope';
import { personVisible } from '../households/common';
import { admitIdLookup, auditIdLookup, auditingRefusals } from '../households/id-lookups';
import { addressView, divisionNames } from '../households/service';
import { normalizeInput } from '../../contract/text';
import { bigrams, MIN_PHONE_DIGITS, normalizeText, phoneDigits } from './terms';

export const SEARCH_HINT = '請輸入至少 2 個字的姓名或地址、身分證字號前 4 碼、電話末 4 碼，或案號（如 115-000123）。';
export const ID_PREFIX_HINT = '實物銀行請輸入完整的身分證字號（10 碼）查詢，不能只輸入前幾碼。';

const PRIORITY: Record<SearchMatchKind, number> = { caseNo: 0, nationalId: 1, phone: 2, name: 3, address: 4 };

interface PersonMatch {
  personId: number;
  name: string;
  nationalId: string | null;
  birthDate: string | null;
  householdId: number | null;
  relation: string | null;
}

export interface ParsedQuery {
  caseNos: string[];
  idExact: string | null;
  idPrefix: string | null;
  phone: string | null;
  text: string | null;
}

/** Decides which kinds of search a query means. Exported for tests and the bench. */
export function parseQuery(raw: string, now: Date): ParsedQuery {
  // The contract already normalised the box's text; parse again-normalised text for callers outside it.
  const q = normalizeInput(raw);
  const out: ParsedQuery = { caseNos: [], idExact: null, idPrefix: null, phone: null, text: null };
  if (q === '') return out;
  const caseFull = /^(\d{2,3})-(\d{1,6})$/.exec(q);
  if (caseFull) {
    out.caseNos = [`${Number(caseFull[1])}-${(caseFull[2] ?? '').padStart(6, '0')}`];
    return out;
  }
  const id = normalizeNationalId(q);
  if (/^[A-Z][0-9A-D]\d{0,8}$/.test(id)) {
    if (id.length === 10) out.idExact = id;
    else if (id.length >= 4) out.idPrefix = id;
    return out;
  }
  if (/^[\d\s\-()+#]+$/.test(q)) {
    const digits = phoneDigits(q);
    if (digits.length >= MIN_PHONE_DIGITS) out.phone = digits;
    if (/^\d{1,6}$/.test(q)) {
      // The serial part of a case number, in any year the center may hold (民國100年 on).
      const thisYear = toRocYear(Number(todayIso(now).slice(0, 4)));
      for (let y = thisYear + 1; y >= 100; y--) out.caseNos.push(`${y}-${q.padStart(6, '0')}`);
    }
    return out;
  }
  const text = normalizeText(q);
  if (text.length >= 2 || /[\u3400-\u9fff\u{20000}-\u{3134f}]/u.test(text)) out.text = text;
  return out;
}

/**
 * The households a 社工 or 督導 could possibly see, as one small set the planner can start from:
 * registered by them, or with a case or concern of theirs or their teams. It mirrors the rules of
 * access/scope.ts (keep the two in step) but is only ever ANDed with householdVisible, so if it
 * drifted it could hide a result, never show one. Null for scopes that see every household.
 */
function visibleSuperset(db: Kysely<Database>, scope: Scope) {
  if (scope.all || scope.actor.role === 'foodbank') return null;
  const me = scope.actor.userId;
  const teams = scope.teamIds.length > 0 ? scope.teamIds : [-1];
  return db
    .selectFrom('households')
    .select('households.id as id')
    .where('households.created_by', '=', me)
    .union(db.selectFrom('cases').select('cases.household_id as id').where('cases.lead_worker_id', '=', me))
    .union(
      db
        .selectFrom('case_assistants')
        .innerJoin('cases', 'cases.id', 'case_assistants.case_id')
        .select('cases.household_id as id')
        .where('case_assistants.user_id', '=', me),
    )
    .union(db.selectFrom('cases').select('cases.household_id as id').where('cases.team_id', 'in', teams))
    .union(db.selectFrom('long_term_concerns').select('long_term_concerns.household_id as id').where('long_term_concerns.worker_id', '=', me))
    .union(db.selectFrom('long_term_concerns').select('long_term_concerns.household_id as id').where('long_term_concerns.team_id', 'in', teams));
}

type PersonWhere = (eb: ExpressionBuilder<Database, 'persons'>) => Expression<SqlBool>;

/**
 * Persons joined (left) with their current membership `hm` and its `households` row: either that
 * household is visible, or the person has none and the caller may see the person (e.g. registered
 * by them; not 實物銀行, which works with households only).
 */
function visibleWithHousehold(db: Kysely<Database>, scope: Scope) {
  const superset = visibleSuperset(db, scope);
  return (eb: ExpressionBuilder<Database, 'persons' | 'households'>): Expression<SqlBool> =>
    eb.or([
      eb.and([
        sql<SqlBool>`hm.household_id is not null`,
        ...(superset ? [eb('households.id', 'in', superset)] : []),
        householdVisible(scope)(eb as unknown as ExpressionBuilder<Database, 'households'>),
      ]),
      scope.actor.role === 'foodbank'
        ? sql<SqlBool>`1 = 0`
        : eb.and([sql<SqlBool>`hm.household_id is null`, personVisible(scope)(eb as unknown as ExpressionBuilder<Database, 'persons'>)]),
    ]);
}

async function findPersons(db: Kysely<Database>, scope: Scope, where: PersonWhere, limit: number): Promise<PersonMatch[]> {
  const rows = await db
    .selectFrom('persons')
    .leftJoin('household_members as hm', (j) => j.onRef('hm.person_id', '=', 'persons.id').on('hm.left_on', 'is', null))
    .leftJoin('households', 'households.id', 'hm.household_id')
    .select(['persons.id', 'persons.name', 'persons.national_id', 'persons.birth_date', 'hm.household_id', 'hm.relation'])
    .where((eb) => where(eb as unknown as ExpressionBuilder<Database, 'persons'>))
    .where((eb) => visibleWithHousehold(db, scope)(eb as unknown as ExpressionBuilder<Database, 'persons' | 'households'>))
    .limit(limit)
    .execute();
  return rows.map((r) => ({ personId: r.id, name: r.name, nationalId: r.national_id, birthDate: r.birth_date, householdId: r.household_id ?? null, relation: r.relation ?? null }));
}

/** refs having every one of the terms (bigram intersection). */
function refsWithAll(db: Kysely<Database>, terms: string[]) {
  const q = db.selectFrom('search_terms').select('ref');
  if (terms.length === 1) return q.where('term', '=', terms[0] as string);
  return q.where('term', 'in', terms).groupBy('ref').having(sql`count(*)`, '=', terms.length);
}

function refsWithPrefix(db: Kysely<Database>, kinds: string[], value: string) {
  return db
    .selectFrom('search_terms')
    .select('ref')
    .where((eb) => eb.or(kinds.map((k) => eb.and([eb('term', '>=', `${k}${value}`), eb('term', '<', `${k}${value}~`)]))));
}

async function findHouseholds(
  db: Kysely<Database>,
  scope: Scope,
  where: (eb: ExpressionBuilder<Database, 'households'>) => Expression<SqlBool>,
  limit: number,
): Promise<{ id: number; street: string | null }[]> {
  const superset = visibleSuperset(db, scope);
  let q = db.selectFrom('households').select(['households.id', 'households.street']).where(where);
  if (superset) q = q.where('households.id', 'in', superset);
  return q.where(householdVisible(scope)).limit(limit).execute();
}

export async function search(db: Kysely<Database>, scope: Scope, raw: string, limit: number, now: Date): Promise<SearchResult> {
  const pq = parseQuery(raw, now);
  if (!scope.caseContent && scope.actor.role !== 'foodbank') return { hits: [], hint: null };
  const nothing = pq.caseNos.length === 0 && !pq.idExact && !pq.idPrefix && !pq.phone && !pq.text;
  if (nothing) return { hits: [], hint: normalizeInput(raw) === '' ? null : SEARCH_HINT };
  if (pq.idPrefix && !scope.caseContent) return { hits: [], hint: ID_PREFIX_HINT };
  const idValue = pq.idExact ?? pq.idPrefix;
  if (idValue) {
    const via = pq.idExact ? 'search.id' : 'search.idPrefix';
    return auditingRefusals(db, scope.actor, via, now, () =>
      writeTransaction(db, async (trx) => {
        const hash = await admitIdLookup(trx, scope, idValue, via, { limited: via === 'search.id' }, now);
        const result = await runSearch(trx, scope, pq, limit);
        await auditIdLookup(trx, scope.actor, hash, via, result.hits.length, now);
        return result;
      }),
    );
  }
  return runSearch(db, scope, pq, limit);
}

async function runSearch(db: Kysely<Database>, scope: Scope, pq: ParsedQuery, limit: number): Promise<SearchResult> {

  const fetch = limit * 3;
  const personHits: { m: PersonMatch; kind: SearchMatchKind }[] = [];
  const householdHits: { id: number; kind: SearchMatchKind }[] = [];

  if (pq.idExact) {
    for (const m of await findPersons(db, scope, (eb) => eb('persons.national_id', '=', pq.idExact as string), fetch)) personHits.push({ m, kind: 'nationalId' });
  }
  if (pq.idPrefix) {
    const p = pq.idPrefix;
    for (const m of await findPersons(db, scope, (eb) => eb.and([eb('persons.national_id', '>=', p), eb('persons.national_id', '<', `${p}~`)]), fetch)) {
      personHits.push({ m, kind: 'nationalId' });
    }
  }
  if (pq.phone) {
    const d = pq.phone;
    const rev = [...d].reverse().join('');
    const personKinds = d.length >= 6 ? [['pr:', rev], ['pt:', d]] : [['pr:', rev]];
    for (const [k, v] of personKinds as [string, string][]) {
      for (const m of await findPersons(db, scope, (eb) => eb('persons.id', 'in', refsWithPrefix(db, [k], v)), fetch)) personHits.push({ m, kind: 'phone' });
    }
    const hhKinds = d.length >= 6 ? [['hr:', rev], ['ht:', d]] : [['hr:', rev]];
    for (const [k, v] of hhKinds as [string, string][]) {
      for (const h of await findHouseholds(db, scope, (eb) => eb('households.id', 'in', refsWithPrefix(db, [k], v)), fetch)) householdHits.push({ id: h.id, kind: 'phone' });
    }
  }
  if (pq.caseNos.length > 0 && scope.caseContent) {
    const cases = await db.selectFrom('cases').select(['household_id']).where('case_no', 'in', pq.caseNos).where(caseVisible(scope)).limit(fetch).execute();
    for (const c of cases) householdHits.push({ id: c.household_id, kind: 'caseNo' });
  }
  if (pq.text) {
    const text = pq.text;
    const chars = Array.from(text);
    if (chars.length === 1) {
      // One character: a surname, read from the start of the name (range scan on the name index).
      for (const m of await findPersons(db, scope, (eb) => eb.and([eb('persons.name', '>=', text), eb('persons.name', '<', `${text}\u{10FFFF}`)]), fetch)) {
        personHits.push({ m, kind: 'name' });
      }
    } else {
      const grams = bigrams(text);
      const nameTerms = grams.map((g) => `pn:${g}`);
      for (const m of await findPersons(db, scope, (eb) => eb('persons.id', 'in', refsWithAll(db, nameTerms)), fetch * 2)) {
        if (normalizeText(m.name).includes(text)) personHits.push({ m, kind: 'name' });
      }
      const streetTerms = grams.map((g) => `hs:${g}`);
      for (const h of await findHouseholds(db, scope, (eb) => eb('households.id', 'in', refsWithAll(db, streetTerms)), fetch * 2)) {
        if (h.street && normalizeText(h.street).includes(text)) householdHits.push({ id: h.id, kind: 'address' });
      }
      const villages = await db
        .selectFrom('divisions')
        .select('code')
        .where('level', '=', 'village')
        .where(likeContains('name', text))
        .limit(50)
        .execute();
      if (villages.length > 0) {
        const codes = villages.map((v) => v.code);
        for (const h of await findHouseholds(db, scope, (eb) => eb('households.village_code', 'in', codes), fetch)) householdHits.push({ id: h.id, kind: 'address' });
      }
    }
  }
  return { hits: await groupHits(db, scope, personHits, householdHits, limit), hint: null };
}

async function groupHits(
  db: Kysely<Database>,
  scope: Scope,
  personHits: { m: PersonMatch; kind: SearchMatchKind }[],
  householdHits: { id: number; kind: SearchMatchKind }[],
  limit: number,
): Promise<SearchHit[]> {
  interface Group { key: string; householdId: number | null; kinds: Set<SearchMatchKind>; members: Map<number, PersonMatch> }
  const groups = new Map<string, Group>();
  const groupFor = (householdId: number | null, personId: number) => {
    const key = householdId === null ? `p${personId}` : `h${householdId}`;
    let g = groups.get(key);
    if (!g) {
      g = { key, householdId, kinds: new Set(), members: new Map() };
      groups.set(key, g);
    }
    return g;
  };
  for (const { m, kind } of personHits) {
    const g = groupFor(m.householdId, m.personId);
    g.kinds.add(kind);
    g.members.set(m.personId, m);
  }
  for (const { id, kind } of householdHits) groupFor(id, 0).kinds.add(kind);
  const best = (g: Group) => Math.min(...[...g.kinds].map((k) => PRIORITY[k]));
  const chosen = [...groups.values()].sort((a, b) => best(a) - best(b) || (b.householdId ?? 0) - (a.householdId ?? 0)).slice(0, limit);

  const hhIds = chosen.map((g) => g.householdId).filter((x): x is number => x !== null);
  const [households, heads, cases, concerns] = await Promise.all([
    hhIds.length === 0 ? [] : db.selectFrom('households').select(['id', 'county_code', 'town_code', 'village_code', 'neighborhood', 'street']).where('id', 'in', hhIds).execute(),
    hhIds.length === 0
      ? []
      : db
          .selectFrom('household_members as hm')
          .innerJoin('persons as p', 'p.id', 'hm.person_id')
          .select(['hm.household_id', 'p.name'])
          .where('hm.household_id', 'in', hhIds)
          .where('hm.left_on', 'is', null)
          .where('hm.relation', '=', '戶長')
          .execute(),
    hhIds.length === 0 || !scope.caseContent
      ? []
      : db.selectFrom('cases').select(['id', 'case_no', 'status', 'household_id']).where('household_id', 'in', hhIds).where(caseVisible(scope)).orderBy('received_at', 'desc').execute(),
    hhIds.length === 0 ? [] : db.selectFrom('long_term_concerns').select('household_id').where('household_id', 'in', hhIds).where('end_date', 'is', null).execute(),
  ]);
  const names = await divisionNames(db, households.flatMap((h) => [h.county_code, h.town_code, h.village_code]));
  const hhById = new Map(households.map((h) => [h.id, h]));
  const headBy = new Map(heads.map((h) => [h.household_id, h.name]));
  const concernSet = new Set(concerns.map((c) => c.household_id));
  return chosen.map((g) => {
    const h = g.householdId === null ? undefined : hhById.get(g.householdId);
    return {
      householdId: g.householdId,
      addressText: h ? addressView(h, names).text : '',
      headName: g.householdId === null ? null : (headBy.get(g.householdId) ?? null),
      matchedBy: [...g.kinds].sort((a, b) => PRIORITY[a] - PRIORITY[b]),
      members: [...g.members.values()].map((m) => ({
        personId: m.personId,
        name: m.name,
        maskedNationalId: maskNationalId(m.nationalId),
        relation: m.relation as Relation | null,
        birthDate: m.birthDate,
      })),
      cases: cases.filter((c) => c.household_id === g.householdId).map((c) => ({ id: c.id, caseNo: c.case_no, status: c.status })),
      activeConcern: g.householdId !== null && concernSet.has(g.householdId),
    };
  });
}
