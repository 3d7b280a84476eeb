/**
 * The local resource map (資源地圖, issue 14 §3): the directory, its search, and per-resource figures.
 *
 * A resource is a row of `resources` with three multi-valued fields in join tables (service types,
 * target groups, town-level districts served; no district rows = every district). Every staff role
 * reads it; 督導 and 管理者 maintain it (the method access says so; nothing here is per-team). The
 * figures count referrals to a resource over the center as a whole: counts only, never who.
 */
import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../../db/schema';
import { ApiError } from '../../contract/envelope';
import { addDays, addMonths, todayIso } from '../../contract/roc-date';
import type { ReferralUnitKind } from '../../contract/types-cases';
import {
  RESOURCE_SERVICE_TYPES,
  RESOURCE_TARGET_GROUPS,
  type ResourceDistrict,
  type ResourceFigures,
  type ResourcePage,
  type ResourceServiceType,
  type ResourceStats,
  type ResourceTargetGroup,
  type ResourceView,
} from '../../contract/types-resources';
import { appendAudit } from '../audit/log';
import { inDeclaredWrite } from '../call-hooks';
import { conflictError } from '../cases/common';
import type { Actor } from '../context';

export const RESOURCE_NOT_FOUND = '找不到這個資源，或它已被刪除。';

export interface ResourceInput {
  name: string;
  unitKind: ReferralUnitKind;
  services: ResourceServiceType[];
  targets: ResourceTargetGroup[];
  districts: string[];
  contactPerson?: string | null | undefined;
  phone?: string | null | undefined;
  address?: string | null | undefined;
  email?: string | null | undefined;
  capacity?: string | null | undefined;
  waitDays?: number | null | undefined;
  notes?: string | null | undefined;
}

export interface SearchInput {
  service?: ResourceServiceType | undefined;
  target?: ResourceTargetGroup | undefined;
  district?: string | undefined;
  text?: string | undefined;
  includeArchived?: boolean | undefined;
  from?: string | undefined;
  to?: string | undefined;
  offset: number;
  limit: number;
}

/** The figures' default period: the twelve months up to today. */
export function defaultPeriod(now: Date, from?: string, to?: string): { from: string; to: string } {
  const end = to ?? todayIso(now);
  return { from: from ?? addDays(addMonths(end, -12), 1), to: end };
}

const blankOrNull = (s: string | null | undefined) => (s === undefined || s === null || s.trim() === '' ? null : s.trim());
const sortIn = <T extends string>(order: readonly T[], values: string[]) => order.filter((v) => values.includes(v));

/** Views of resources by id, in the order given. */
export async function resourceViews(db: Kysely<Database>, ids: number[]): Promise<ResourceView[]> {
  if (ids.length === 0) return [];
  const [rows, services, targets, districts] = await Promise.all([
    db.selectFrom('resources').selectAll().where('id', 'in', ids).execute(),
    db.selectFrom('resource_services').selectAll().where('resource_id', 'in', ids).execute(),
    db.selectFrom('resource_targets').selectAll().where('resource_id', 'in', ids).execute(),
    db
      .selectFrom('resource_districts as rd')
      .leftJoin('divisions as d', 'd.code', 'rd.division_code')
      .select(['rd.resource_id', 'rd.division_code', 'd.name'])
      .where('rd.resource_id', 'in', ids)
      .orderBy('rd.division_code')
      .execute(),
  ]);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    return [
      {
        id: r.id,
        name: r.name,
        unitKind: r.unit_kind as ReferralUnitKind,
        services: sortIn(RESOURCE_SERVICE_TYPES, services.filter((s) => s.resource_id === id).map((s) => s.service_type)),
        targets: sortIn(RESOURCE_TARGET_GROUPS, targets.filter((s) => s.resource_id === id).map((s) => s.target_group)),
        districts: districts.filter((d) => d.resource_id === id).map((d) => ({ code: d.division_code, name: d.name ?? d.division_code })),
        contactPerson: r.contact_person,
        phone: r.phone,
        address: r.address,
        email: r.email,
        capacity: r.capacity,
        waitDays: r.wait_days,
        notes: r.notes,
        active: Number(r.active) === 1,
        updatedAt: r.updated_at,
        version: r.version,
      },
    ];
  });
}

export async function getResource(db: Kysely<Database>, id: number): Promise<ResourceView> {
  const [view] = await resourceViews(db, [id]);
  if (!view) throw new ApiError('NOT_FOUND', RESOURCE_NOT_FOUND);
  return view;
}

/** Town-level divisions in use: the districts a resource may serve. */
export async function listDistricts(db: Kysely<Database>): Promise<ResourceDistrict[]> {
  const rows = await db.selectFrom('divisions').select(['code', 'name']).where('level', '=', 'town').where('valid_to', 'is', null).orderBy('code').execute();
  return rows.map((r) => ({ code: r.code, name: r.name }));
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

export async function searchResources(db: Kysely<Database>, input: SearchInput, now: Date): Promise<ResourcePage> {
  let q = db.selectFrom('resources as r');
  if (!input.includeArchived) q = q.where('r.active', '=', 1);
  if (input.service) {
    const v = input.service;
    q = q.where((eb) => eb.exists(eb.selectFrom('resource_services as s').select('s.resource_id').whereRef('s.resource_id', '=', 'r.id').where('s.service_type', '=', v)));
  }
  if (input.target) {
    const v = input.target;
    q = q.where((eb) => eb.exists(eb.selectFrom('resource_targets as t').select('t.resource_id').whereRef('t.resource_id', '=', 'r.id').where('t.target_group', '=', v)));
  }
  if (input.district) {
    const v = input.district;
    // A resource with no district rows serves every district.
    q = q.where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom('resource_districts as d').select('d.resource_id').whereRef('d.resource_id', '=', 'r.id').where('d.division_code', '=', v)),
        eb.not(eb.exists(eb.selectFrom('resource_districts as d2').select('d2.resource_id').whereRef('d2.resource_id', '=', 'r.id'))),
      ]),
    );
  }
  const text = input.text?.trim().toLowerCase();
  if (text) {
    const pattern = `%${escapeLike(text)}%`;
    const like = (col: string) => sql<SqlBool>`lower(coalesce(${sql.ref(col)}, '')) like ${pattern} escape '\\'`;
    q = q.where((eb) => eb.or([like('r.name'), like('r.contact_person'), like('r.address'), like('r.notes'), like('r.capacity')]));
  }
  const [count, idRows] = await Promise.all([
    q.select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirst(),
    q.select('r.id').orderBy('r.active', 'desc').orderBy('r.name').orderBy('r.id').offset(input.offset).limit(input.limit).execute(),
  ]);
  const ids = idRows.map((r) => r.id);
  const period = defaultPeriod(now, input.from, input.to);
  const [views, figures] = await Promise.all([resourceViews(db, ids), figuresOf(db, ids, period)]);
  return {
    rows: views.map((v) => ({ ...v, figures: figures.get(v.id) ?? emptyFigures() })),
    total: Number(count?.n ?? 0),
    period,
  };
}

const emptyFigures = (): ResourceFigures => ({ sent: 0, accepted: 0, completed: 0, failed: 0, waiting: 0 });

/**
 * Referrals to each resource with referred_on in the period, by outcome. 受案 counts a referral the
 * unit took, whatever became of it after (its current status 受案 / 轉介完成, or a 受案 in its
 * history); 轉介完成 the completed ones; failed = 不受案, 退回 or 轉介失敗 now; waiting = 轉介等待中 now.
 */
export async function figuresOf(db: Kysely<Database>, ids: number[] | null, period: { from: string; to: string }): Promise<Map<number, ResourceFigures>> {
  const out = new Map<number, ResourceFigures>();
  if (ids !== null && ids.length === 0) return out;
  let q = db
    .selectFrom('referrals as f')
    .select((eb) => [
      'f.resource_id',
      eb.fn.countAll<number | string>().as('sent'),
      sql<number | string>`sum(case when f.status in ('受案', '轉介完成') or exists (select 1 from referral_status_history h where h.referral_id = f.id and h.status = '受案') then 1 else 0 end)`.as('accepted'),
      sql<number | string>`sum(case when f.status = '轉介完成' then 1 else 0 end)`.as('completed'),
      sql<number | string>`sum(case when f.status in ('不受案', '退回', '轉介失敗') then 1 else 0 end)`.as('failed'),
      sql<number | string>`sum(case when f.status = '轉介等待中' then 1 else 0 end)`.as('waiting'),
    ])
    .where('f.resource_id', 'is not', null)
    .where('f.referred_on', '>=', period.from)
    .where('f.referred_on', '<=', period.to)
    .groupBy('f.resource_id');
  if (ids !== null) q = q.where('f.resource_id', 'in', ids);
  for (const r of await q.execute()) {
    if (r.resource_id === null) continue;
    out.set(r.resource_id, { sent: Number(r.sent), accepted: Number(r.accepted), completed: Number(r.completed), failed: Number(r.failed), waiting: Number(r.waiting) });
  }
  return out;
}

export async function resourceStats(db: Kysely<Database>, input: { resourceIds?: number[] | undefined; from?: string | undefined; to?: string | undefined }, now: Date): Promise<ResourceStats> {
  const period = defaultPeriod(now, input.from, input.to);
  const figures = await figuresOf(db, input.resourceIds ?? null, period);
  let q = db.selectFrom('resources').select(['id', 'name']).orderBy('name').orderBy('id');
  q = input.resourceIds ? q.where('id', 'in', input.resourceIds.length ? input.resourceIds : [0]) : q.where((eb) => eb.or([eb('active', '=', 1), eb('id', 'in', [0, ...figures.keys()])]));
  const rows = await q.execute();
  return { period, rows: rows.map((r) => ({ resourceId: r.id, name: r.name, figures: figures.get(r.id) ?? emptyFigures() })) };
}

async function assertDistricts(db: Kysely<Database>, codes: string[]): Promise<void> {
  if (codes.length === 0) return;
  const rows = await db.selectFrom('divisions').select('code').where('code', 'in', codes).where('level', '=', 'town').execute();
  const known = new Set(rows.map((r) => r.code));
  const bad = codes.find((c) => !known.has(c));
  if (bad !== undefined) throw new ApiError('VALIDATION', `行政區代碼 ${bad} 不是鄉鎮市區，請重新選擇。`, { fields: { districts: '行政區不正確' } });
}

function columns(input: ResourceInput) {
  return {
    name: input.name.trim(),
    unit_kind: input.unitKind,
    contact_person: blankOrNull(input.contactPerson),
    phone: blankOrNull(input.phone),
    address: blankOrNull(input.address),
    email: blankOrNull(input.email),
    capacity: blankOrNull(input.capacity),
    wait_days: input.waitDays ?? null,
    notes: blankOrNull(input.notes),
  };
}

async function writeValues(trx: Kysely<Database>, id: number, input: ResourceInput): Promise<void> {
  await trx.deleteFrom('resource_services').where('resource_id', '=', id).execute();
  await trx.deleteFrom('resource_targets').where('resource_id', '=', id).execute();
  await trx.deleteFrom('resource_districts').where('resource_id', '=', id).execute();
  if (input.services.length) await trx.insertInto('resource_services').values(input.services.map((s) => ({ resource_id: id, service_type: s }))).execute();
  if (input.targets.length) await trx.insertInto('resource_targets').values(input.targets.map((t) => ({ resource_id: id, target_group: t }))).execute();
  if (input.districts.length) await trx.insertInto('resource_districts').values(input.districts.map((d) => ({ resource_id: id, division_code: d }))).execute();
}

async function assertNameFree(trx: Kysely<Database>, name: string, exceptId: number | null): Promise<void> {
  let q = trx.selectFrom('resources').select('id').where(sql<SqlBool>`lower(name) = ${name.trim().toLowerCase()}`).where('active', '=', 1);
  if (exceptId !== null) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst()) throw new ApiError('VALIDATION', '資源地圖已有同名的單位。', { fields: { name: '已有同名的單位' } });
}

export async function createResource(db: Kysely<Database>, actor: Actor, input: ResourceInput, now: Date): Promise<number> {
  return inDeclaredWrite(db, async (trx) => {
    await assertDistricts(trx, input.districts);
    await assertNameFree(trx, input.name, null);
    const ts = now.toISOString();
    const row = await trx
      .insertInto('resources')
      .values({ ...columns(input), created_at: ts, created_by: actor.userId, updated_at: ts, updated_by: actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeValues(trx, row.id, input);
    await appendAudit(trx, { actor, action: 'create', entity: 'resource', entityId: row.id, detail: { name: input.name, services: input.services } }, now);
    return row.id;
  });
}

export async function updateResource(db: Kysely<Database>, actor: Actor, input: ResourceInput & { id: number; version: number }, now: Date): Promise<void> {
  await inDeclaredWrite(db, async (trx) => {
    const r = await trx.selectFrom('resources').selectAll().where('id', '=', input.id).executeTakeFirst();
    if (!r) throw new ApiError('NOT_FOUND', RESOURCE_NOT_FOUND);
    if (r.version !== input.version) throw await conflictError(trx, '資源', r.updated_by, r.updated_at);
    await assertDistricts(trx, input.districts);
    if (Number(r.active) === 1) await assertNameFree(trx, input.name, r.id);
    const ts = now.toISOString();
    await trx.updateTable('resources').set({ ...columns(input), updated_at: ts, updated_by: actor.userId, version: r.version + 1 }).where('id', '=', r.id).execute();
    await writeValues(trx, r.id, input);
    await appendAudit(trx, { actor, action: 'update', entity: 'resource', entityId: r.id, detail: { name: input.name, services: input.services } }, now);
  });
}

export async function archiveResource(db: Kysely<Database>, actor: Actor, input: { id: number; version: number; active: boolean }, now: Date): Promise<void> {
  await inDeclaredWrite(db, async (trx) => {
    const r = await trx.selectFrom('resources').selectAll().where('id', '=', input.id).executeTakeFirst();
    if (!r) throw new ApiError('NOT_FOUND', RESOURCE_NOT_FOUND);
    if (r.version !== input.version) throw await conflictError(trx, '資源', r.updated_by, r.updated_at);
    if (input.active) await assertNameFree(trx, r.name, r.id);
    const ts = now.toISOString();
    await trx.updateTable('resources').set({ active: input.active ? 1 : 0, updated_at: ts, updated_by: actor.userId, version: r.version + 1 }).where('id', '=', r.id).execute();
    await appendAudit(trx, { actor, action: 'update', entity: 'resource', entityId: r.id, detail: { active: { from: Number(r.active) === 1, to: input.active } } }, now);
  });
}

/** For a referral picked from the map: the resource must exist and be offered. */
export async function assertReferableResource(db: Kysely<Database>, id: number): Promise<{ name: string; unitKind: ReferralUnitKind }> {
  const r = await db.selectFrom('resources').select(['name', 'unit_kind', 'active']).where('id', '=', id).executeTakeFirst();
  if (!r) throw new ApiError('VALIDATION', '所選的資源不存在，請重新從資源地圖選擇。', { fields: { 'referral.resourceId': '資源不存在' } });
  if (Number(r.active) !== 1) throw new ApiError('VALIDATION', `「${r.name}」已停用，請改選其他資源。`, { fields: { 'referral.resourceId': '資源已停用' } });
  return { name: r.name, unitKind: r.unit_kind as ReferralUnitKind };
}
