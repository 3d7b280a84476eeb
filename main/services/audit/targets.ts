/**
 * Readable targets for audit rows: "王小明（南投市中興里）" instead of "#806". A name is resolved only
 * through the same access rules the record's own screens use (services/access/scope.ts and
 * households/common.ts personVisible): a row about a record outside the caller's scope keeps its bare id,
 * so the log never tells anyone a name they could not look up themselves. The 稽核 role sees no
 * household, person or case, so to an auditor every such row stays "#id".
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { maskNationalId } from '../../contract/national-id';
import { formatRocDate, formatRocDateTime } from '../../contract/roc-date';
import { caseVisible, householdVisible, type Scope } from '../access/scope';
import { personVisible } from '../households/common';

export interface TargetRef {
  entity: string;
  entityId: string | null;
}

const HOUSEHOLD_ENTITIES = new Set(['household', 'care_load', 'care']);
const RECORD_ENTITIES = new Set(['service_record', 'service_record.narrative']);

function idsOf(rows: TargetRef[], pick: (entity: string) => boolean): number[] {
  const out = new Set<number>();
  for (const r of rows) {
    if (!pick(r.entity) || r.entityId === null || !/^\d{1,12}$/.test(r.entityId)) continue;
    out.add(Number(r.entityId));
  }
  return [...out];
}

/** A record's day in ROC form, whether stored as a day or as a timestamp (shown in Taipei time). */
const dayOf = (v: string): string => (v.length > 10 ? (formatRocDateTime(v).split(' ')[0] ?? '') : formatRocDate(v));

const keyOf = (entity: string, id: number | string) => `${entity}:${id}`;

/** Head of household (current 戶長, else the earliest current member) and town + village, for visible households only. */
async function householdLabels(db: Kysely<Database>, scope: Scope, ids: number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  if (ids.length === 0) return out;
  const visible = await db
    .selectFrom('households')
    .select(['id', 'town_code', 'village_code'])
    .where('id', 'in', ids)
    .where(householdVisible(scope))
    .execute();
  if (visible.length === 0) return out;
  const vids = visible.map((h) => h.id);
  const members = await db
    .selectFrom('household_members as hm')
    .innerJoin('persons as p', 'p.id', 'hm.person_id')
    .select(['hm.household_id', 'hm.relation', 'hm.left_on', 'hm.id', 'p.name'])
    .where('hm.household_id', 'in', vids)
    .execute();
  const codes = [...new Set(visible.flatMap((h) => [h.town_code, h.village_code]).filter((c): c is string => c !== null))];
  const divisions = codes.length ? await db.selectFrom('divisions').select(['code', 'name']).where('code', 'in', codes).execute() : [];
  const names = new Map(divisions.map((d) => [d.code, d.name]));
  const rank = (m: { relation: string; left_on: string | null }) => (m.left_on === null ? (m.relation === '戶長' ? 0 : 1) : 2);
  for (const h of visible) {
    const head = members.filter((m) => m.household_id === h.id).sort((a, b) => rank(a) - rank(b) || a.id - b.id)[0];
    const place = `${h.town_code ? (names.get(h.town_code) ?? '') : ''}${h.village_code ? (names.get(h.village_code) ?? '') : ''}`;
    const label = [head?.name, place ? `（${place}）` : ''].filter(Boolean).join('');
    out.set(h.id, label || `#${h.id}`);
  }
  return out;
}

/**
 * Names for the given rows, keyed `entity:id`, each present only when the scope may see the record.
 * At most one query per kind of record, however many rows the page holds.
 */
export async function resolveTargets(db: Kysely<Database>, scope: Scope, rows: TargetRef[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const personIds = idsOf(rows, (e) => e === 'person');
  const caseIds = idsOf(rows, (e) => e === 'case');
  const concernIds = idsOf(rows, (e) => e === 'concern');
  const recordIds = idsOf(rows, (e) => RECORD_ENTITIES.has(e));
  const userIds = idsOf(rows, (e) => e === 'user');
  const teamIds = idsOf(rows, (e) => e === 'team');
  const programmeIds = idsOf(rows, (e) => e === 'programme');

  const [persons, cases, concerns, records, users, teams, programmes] = await Promise.all([
    personIds.length
      ? db.selectFrom('persons').select(['id', 'name', 'national_id']).where('id', 'in', personIds).where(personVisible(scope)).execute()
      : [],
    caseIds.length
      ? db.selectFrom('cases').select(['id', 'case_no', 'household_id']).where('id', 'in', caseIds).where(caseVisible(scope)).execute()
      : [],
    concernIds.length ? db.selectFrom('long_term_concerns').select(['id', 'household_id']).where('id', 'in', concernIds).execute() : [],
    recordIds.length
      ? db.selectFrom('service_records').select(['id', 'household_id', 'case_id', 'occurred_at']).where('id', 'in', recordIds).execute()
      : [],
    userIds.length ? db.selectFrom('users').select(['id', 'display_name', 'username']).where('id', 'in', userIds).execute() : [],
    teamIds.length ? db.selectFrom('teams').select(['id', 'name']).where('id', 'in', teamIds).execute() : [],
    programmeIds.length ? db.selectFrom('programmes').select(['id', 'name']).where('id', 'in', programmeIds).execute() : [],
  ]);

  // A service record of a case is as visible as its case; one without a case, as its household.
  const recordCaseIds = [...new Set(records.map((r) => r.case_id).filter((c): c is number => c !== null))];
  const visibleRecordCases = recordCaseIds.length
    ? new Set((await db.selectFrom('cases').select('id').where('id', 'in', recordCaseIds).where(caseVisible(scope)).execute()).map((c) => c.id))
    : new Set<number>();

  const householdIds = new Set(idsOf(rows, (e) => HOUSEHOLD_ENTITIES.has(e)));
  for (const c of cases) householdIds.add(c.household_id);
  for (const c of concerns) householdIds.add(c.household_id);
  for (const r of records) householdIds.add(r.household_id);
  const households = await householdLabels(db, scope, [...householdIds]);

  for (const id of idsOf(rows, (e) => HOUSEHOLD_ENTITIES.has(e))) {
    const label = households.get(id);
    if (label) for (const e of HOUSEHOLD_ENTITIES) out.set(keyOf(e, id), label);
  }
  for (const p of persons) {
    const masked = maskNationalId(p.national_id);
    out.set(keyOf('person', p.id), masked ? `${p.name}（${masked}）` : p.name);
  }
  for (const c of cases) {
    const head = households.get(c.household_id);
    // The case is visible, so is its household (a case's workers see its household).
    out.set(keyOf('case', c.id), head ? `${c.case_no} ${head}` : c.case_no);
  }
  for (const c of concerns) {
    const label = households.get(c.household_id);
    if (label) out.set(keyOf('concern', c.id), label);
  }
  for (const r of records) {
    const visible = r.case_id === null ? households.has(r.household_id) : visibleRecordCases.has(r.case_id);
    const label = households.get(r.household_id);
    if (!visible || !label) continue;
    for (const e of RECORD_ENTITIES) out.set(keyOf(e, r.id), `${dayOf(r.occurred_at)} ${label}`);
  }
  // Staff accounts, teams and programmes are not personal data of the people served: named for every auditor.
  for (const u of users) out.set(keyOf('user', u.id), `${u.display_name}（${u.username}）`);
  for (const t of teams) out.set(keyOf('team', t.id), t.name);
  for (const p of programmes) out.set(keyOf('programme', p.id), p.name);
  return out;
}

export function targetKey(entity: string, entityId: string | null): string | null {
  return entityId === null ? null : keyOf(entity, entityId);
}
