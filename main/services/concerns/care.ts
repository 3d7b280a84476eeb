/**
 * 照顧負荷 (care load) of a household, as the 高照顧負荷家庭 inventory asks:
 * members' care needs (失能 / 身障 / 失智..., 長照需要等級 CMS 1-8 when assessed),
 * the primary caregiver (a current member) and whether the burden is high, and
 * the long-term care services already received. Saved as a whole, in one
 * transaction, versioned on the household's care_arrangements row.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { ApiError } from '../../contract/envelope';
import { fieldMessage } from '../../contract/field-labels';
import type { Page } from '../../contract/types';
import type { CareLoadView, CareNeedKind, HighBurdenRow, LtcService } from '../../contract/types-households';
import { householdVisible, type Scope } from '../access/scope';
import { appendAudit } from '../audit/log';
import type { Actor } from '../context';
import { assertMayReadCaseContent, assertMayWrite, assertVersion, NOT_FOUND_MESSAGE, userNames } from '../households/common';
import { addressView, divisionNames } from '../households/service';

async function assertVisible(db: Kysely<Database>, scope: Scope, householdId: number): Promise<void> {
  const row = await db.selectFrom('households').select('id').where('id', '=', householdId).where(householdVisible(scope)).executeTakeFirst();
  if (!row) throw new ApiError('NOT_FOUND', NOT_FOUND_MESSAGE);
}

/** Reads without an access check: callers check the household first. */
export async function loadCareLoad(db: Kysely<Database>, householdId: number): Promise<CareLoadView> {
  const [arr, needs, services] = await Promise.all([
    db.selectFrom('care_arrangements').selectAll().where('household_id', '=', householdId).executeTakeFirst(),
    db
      .selectFrom('care_needs')
      .innerJoin('persons', 'persons.id', 'care_needs.person_id')
      .select(['care_needs.id', 'care_needs.person_id', 'persons.name', 'care_needs.kind', 'care_needs.cms_level', 'care_needs.assessed_on', 'care_needs.note'])
      .where('care_needs.household_id', '=', householdId)
      .orderBy('care_needs.id')
      .execute(),
    db
      .selectFrom('ltc_services')
      .leftJoin('persons', 'persons.id', 'ltc_services.person_id')
      .select(['ltc_services.id', 'ltc_services.person_id', 'persons.name', 'ltc_services.service', 'ltc_services.provider', 'ltc_services.since', 'ltc_services.until'])
      .where('ltc_services.household_id', '=', householdId)
      .orderBy('ltc_services.id')
      .execute(),
  ]);
  let caregiver: CareLoadView['caregiver'] = null;
  if (arr?.caregiver_person_id) {
    const p = await db.selectFrom('persons').select(['id', 'name']).where('id', '=', arr.caregiver_person_id).executeTakeFirst();
    if (p) caregiver = { personId: p.id, name: p.name };
  }
  const names = await userNames(db, [arr?.updated_by]);
  return {
    householdId,
    needs: needs.map((n) => ({ id: n.id, personId: n.person_id, personName: n.name, kind: n.kind as CareNeedKind, cmsLevel: n.cms_level, assessedOn: n.assessed_on, note: n.note })),
    caregiver,
    caregiverNote: arr?.caregiver_note ?? null,
    highBurden: arr?.high_burden === 1,
    services: services.map((s) => ({ id: s.id, personId: s.person_id, personName: s.name ?? null, service: s.service as LtcService, provider: s.provider, since: s.since, until: s.until })),
    version: arr?.version ?? 0,
    updatedAt: arr?.updated_at ?? null,
    updatedByName: arr?.updated_by ? (names.get(arr.updated_by) ?? null) : null,
  };
}

export async function getCareLoad(db: Kysely<Database>, scope: Scope, householdId: number): Promise<CareLoadView> {
  assertMayReadCaseContent(scope);
  await assertVisible(db, scope, householdId);
  return loadCareLoad(db, householdId);
}

export interface CareLoadInput {
  householdId: number;
  version: number;
  needs: { personId: number; kind: CareNeedKind; cmsLevel?: number | null | undefined; assessedOn?: string | null | undefined; note?: string | null | undefined }[];
  caregiverPersonId: number | null;
  caregiverNote?: string | null | undefined;
  highBurden: boolean;
  services: { personId?: number | null | undefined; service: LtcService; provider?: string | null | undefined; since?: string | null | undefined; until?: string | null | undefined }[];
}

export async function saveCareLoad(trx: Kysely<Database>, scope: Scope, actor: Actor, input: CareLoadInput, now: Date): Promise<void> {
  assertMayWrite(scope);
  await assertVisible(trx, scope, input.householdId);
  const arr = await trx.selectFrom('care_arrangements').selectAll().where('household_id', '=', input.householdId).executeTakeFirst();
  if (arr) await assertVersion(trx, '照顧負荷資料', arr, input.version);
  else if (input.version !== 0) {
    throw new ApiError('CONFLICT', '這一戶的照顧負荷資料已被其他人清除或尚未建立，請重新載入後再儲存。', { details: { updatedBy: null, updatedAt: null } });
  }
  // Every person named must be a current member of this household.
  const members = new Set(
    (await trx.selectFrom('household_members').select('person_id').where('household_id', '=', input.householdId).where('left_on', 'is', null).execute()).map((m) => m.person_id),
  );
  const fields: Record<string, string> = {};
  input.needs.forEach((n, i) => {
    if (!members.has(n.personId)) fields[`needs.${i}.personId`] = '不是本戶目前的成員';
  });
  input.services.forEach((s, i) => {
    if (s.personId && !members.has(s.personId)) fields[`services.${i}.personId`] = '不是本戶目前的成員';
    if (s.since && s.until && s.until < s.since) fields[`services.${i}.until`] = '結束日期早於開始日期';
  });
  if (input.caregiverPersonId !== null && !members.has(input.caregiverPersonId)) fields.caregiverPersonId = '主要照顧者須為本戶目前的成員';
  const firstField = Object.keys(fields)[0];
  if (firstField) throw new ApiError('VALIDATION', `照顧負荷資料有誤：${fieldMessage(firstField, fields[firstField]!)}`, { fields });

  const before = await loadCareLoad(trx, input.householdId);
  const ts = now.toISOString();
  const changed: string[] = [];
  const needsKey = (n: { personId: number; kind: string; cmsLevel?: number | null; assessedOn?: string | null; note?: string | null }) =>
    JSON.stringify([n.personId, n.kind, n.cmsLevel ?? null, n.assessedOn ?? null, n.note ?? null]);
  const servicesKey = (s: { personId?: number | null; service: string; provider?: string | null; since?: string | null; until?: string | null }) =>
    JSON.stringify([s.personId ?? null, s.service, s.provider ?? null, s.since ?? null, s.until ?? null]);
  if (before.needs.map(needsKey).join() !== input.needs.map(needsKey).join()) changed.push('needs');
  if (before.services.map(servicesKey).join() !== input.services.map(servicesKey).join()) changed.push('services');
  if ((before.caregiver?.personId ?? null) !== input.caregiverPersonId) changed.push('caregiver');
  if (before.caregiverNote !== (input.caregiverNote ?? null)) changed.push('caregiverNote');
  if (before.highBurden !== input.highBurden) changed.push('highBurden');
  if (changed.length === 0 && arr) return;

  await trx.deleteFrom('care_needs').where('household_id', '=', input.householdId).execute();
  if (input.needs.length > 0) {
    await trx
      .insertInto('care_needs')
      .values(input.needs.map((n) => ({ household_id: input.householdId, person_id: n.personId, kind: n.kind, cms_level: n.cmsLevel ?? null, assessed_on: n.assessedOn ?? null, note: n.note ?? null, updated_at: ts, updated_by: actor.userId })))
      .execute();
  }
  await trx.deleteFrom('ltc_services').where('household_id', '=', input.householdId).execute();
  if (input.services.length > 0) {
    await trx
      .insertInto('ltc_services')
      .values(input.services.map((s) => ({ household_id: input.householdId, person_id: s.personId ?? null, service: s.service, provider: s.provider ?? null, since: s.since ?? null, until: s.until ?? null, updated_at: ts, updated_by: actor.userId })))
      .execute();
  }
  const values = { caregiver_person_id: input.caregiverPersonId, caregiver_note: input.caregiverNote ?? null, high_burden: input.highBurden ? 1 : 0, updated_at: ts, updated_by: actor.userId };
  if (arr) await trx.updateTable('care_arrangements').set({ ...values, version: arr.version + 1 }).where('household_id', '=', input.householdId).execute();
  else await trx.insertInto('care_arrangements').values({ household_id: input.householdId, ...values, version: 1 }).execute();
  await appendAudit(trx, { actor, action: arr ? 'update' : 'create', entity: 'care_load', entityId: input.householdId, detail: { fields: changed } }, now);
}

/** 高照顧負荷家庭 the caller may see, most recently updated first. */
export async function highBurdenList(db: Kysely<Database>, scope: Scope, input: { offset: number; limit: number }): Promise<Page<HighBurdenRow>> {
  assertMayReadCaseContent(scope);
  const base = db
    .selectFrom('care_arrangements')
    .innerJoin('households', 'households.id', 'care_arrangements.household_id')
    .where('care_arrangements.high_burden', '=', 1)
    .where(householdVisible(scope));
  const total = await base.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .leftJoin('persons as cg', 'cg.id', 'care_arrangements.caregiver_person_id')
    .leftJoin('long_term_concerns as c', (j) => j.onRef('c.household_id', '=', 'households.id').on('c.end_date', 'is', null))
    .leftJoin('users as w', 'w.id', 'c.worker_id')
    .select([
      'households.id', 'households.county_code', 'households.town_code', 'households.village_code', 'households.neighborhood', 'households.street',
      'cg.name as caregiver_name', 'c.id as concern_id', 'w.display_name as worker_name', 'care_arrangements.updated_at',
      (eb) =>
        eb
          .selectFrom('household_members as hm')
          .innerJoin('persons as p', 'p.id', 'hm.person_id')
          .select('p.name')
          .whereRef('hm.household_id', '=', 'households.id')
          .where('hm.left_on', 'is', null)
          .where('hm.relation', '=', '戶長')
          .limit(1)
          .as('head_name'),
    ])
    .orderBy('care_arrangements.updated_at', 'desc')
    .orderBy('households.id')
    .offset(input.offset)
    .limit(input.limit)
    .execute();
  const ids = rows.map((r) => r.id);
  const [needs, services, names] = await Promise.all([
    ids.length === 0 ? [] : db.selectFrom('care_needs').select(['household_id', 'kind', 'cms_level']).where('household_id', 'in', ids).execute(),
    ids.length === 0 ? [] : db.selectFrom('ltc_services').select(['household_id', 'service']).where('household_id', 'in', ids).execute(),
    divisionNames(db, rows.flatMap((r) => [r.county_code, r.town_code, r.village_code])),
  ]);
  return {
    total: Number(total.n),
    rows: rows.map((r) => {
      const mine = needs.filter((n) => n.household_id === r.id);
      const levels = mine.map((n) => n.cms_level).filter((x): x is number => x !== null);
      return {
        householdId: r.id,
        addressText: addressView(r, names).text,
        headName: r.head_name ?? null,
        caregiverName: r.caregiver_name ?? null,
        needKinds: [...new Set(mine.map((n) => n.kind as CareNeedKind))],
        maxCmsLevel: levels.length > 0 ? Math.max(...levels) : null,
        services: [...new Set(services.filter((s) => s.household_id === r.id).map((s) => s.service as LtcService))],
        activeConcern: r.concern_id !== null,
        concernWorkerName: r.worker_name ?? null,
        updatedAt: r.updated_at,
      };
    }),
  };
}
