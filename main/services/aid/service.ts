/**
 * Aid a household received from other units (issue 14 §4: 外單位資源／救助): record, correct and
 * delete (with a reason code, audited; a deletion keeps the row), the window of recent aid from anyone
 * (aid.recent: other units, the center's food bank, the center's 經濟補助 / 實物給付 service records),
 * the coordination report, and the window's length setting.
 *
 * Access: the household's rules (services/access/scope.ts). 社工 / 督導 / 管理者 read and write the
 * households in their scope; the food-bank clerk sees every household's eligibility and, the same way,
 * the window's summary (dates, sources, contents, amounts: no narrative, no worker, no person); 稽核
 * none. The audit log holds ids, field names and reason codes, never the values typed.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { ApiError } from '../../contract/envelope';
import { addDays, todayIso } from '../../contract/roc-date';
import {
  AID_SERVICE_ITEMS,
  AID_WINDOW_DEFAULT_DAYS,
  AID_WINDOW_MAX_DAYS,
  type AidChangeReason,
  type AidKind,
  type AidRecent,
  type AidRecentEntry,
  type AidReport,
  type AidReportGroup,
  type AidReportHouseholdRow,
  type AidReportSourceRow,
  type AidSettings,
  type AidSourceKind,
  type AidView,
} from '../../contract/types-aid';
import { householdVisible, type Scope } from '../access/scope';
import { appendAudit } from '../audit/log';
import { auditOutsideCall } from '../call-hooks';
import type { Actor } from '../context';
import { assertMayReadCaseContent, assertMayWrite, assertVersion, NOT_FOUND_MESSAGE, userNames } from '../households/common';
import { writeSetting } from '../settings/service';

type Db = Kysely<Database>;

export interface AidInput {
  personId?: number | null | undefined;
  sourceKind: AidSourceKind;
  sourceName: string;
  kind: AidKind;
  amount?: number | null | undefined;
  items?: string | null | undefined;
  receivedOn: string;
  note?: string | null | undefined;
}

export const WINDOW_SETTING_KEY = 'aid.windowDays';
/** The label of the center's own aid in the window and the report. */
export const CENTER_SOURCE_KIND = '本中心';
export const FOODBANK_SOURCE = '本中心實物銀行';
const serviceSource = (item: string) => `本中心服務（${item}）`;

// --- settings ---------------------------------------------------------------------------

export async function readAidSettings(db: Db): Promise<AidSettings> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', WINDOW_SETTING_KEY).executeTakeFirst();
  const v = row ? (JSON.parse(row.value) as unknown) : null;
  const ok = typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= AID_WINDOW_MAX_DAYS;
  return { windowDays: ok ? v : AID_WINDOW_DEFAULT_DAYS };
}

export async function updateAidSettings(trx: Db, actor: Actor, input: AidSettings, now: Date): Promise<AidSettings> {
  const before = await readAidSettings(trx);
  if (before.windowDays === input.windowDays) return before;
  await writeSetting(trx, WINDOW_SETTING_KEY, input.windowDays);
  await appendAudit(trx, { actor, action: 'update', entity: 'settings', entityId: WINDOW_SETTING_KEY, detail: { from: before.windowDays, to: input.windowDays } }, now);
  return { windowDays: input.windowDays };
}

// --- records ----------------------------------------------------------------------------

async function assertHousehold(db: Db, scope: Scope, householdId: number): Promise<void> {
  const row = await db.selectFrom('households').select('id').where('id', '=', householdId).where(householdVisible(scope)).executeTakeFirst();
  if (!row) throw new ApiError('NOT_FOUND', NOT_FOUND_MESSAGE);
}

/** A live (not deleted) record whose household the scope sees; NOT_FOUND otherwise. */
async function recordFor(db: Db, scope: Scope, id: number) {
  assertMayReadCaseContent(scope);
  const row = await db.selectFrom('external_aid').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row) throw new ApiError('NOT_FOUND', NOT_FOUND_MESSAGE);
  await assertHousehold(db, scope, row.household_id);
  return row;
}

/** Checks needing the database or the clock: not in the future; the person a member (now or once) of the household. */
async function checkInput(db: Db, householdId: number, input: AidInput, now: Date): Promise<void> {
  const fields: Record<string, string> = {};
  if (input.receivedOn > todayIso(now)) fields.receivedOn = '受助日期不能晚於今天';
  if (input.personId !== null && input.personId !== undefined) {
    const m = await db.selectFrom('household_members').select('person_id').where('household_id', '=', householdId).where('person_id', '=', input.personId).executeTakeFirst();
    if (!m) fields.personId = '受助人須為本戶的成員';
  }
  const first = Object.keys(fields)[0];
  if (first) throw new ApiError('VALIDATION', fields[first] as string, { fields });
}

type AidRow = Awaited<ReturnType<typeof loadRows>>[number];

function loadRows(db: Db, where: { householdId?: number; id?: number }) {
  let q = db
    .selectFrom('external_aid as a')
    .leftJoin('persons as p', 'p.id', 'a.person_id')
    .selectAll('a')
    .select('p.name as person_name')
    .where('a.deleted_at', 'is', null);
  if (where.householdId !== undefined) q = q.where('a.household_id', '=', where.householdId);
  if (where.id !== undefined) q = q.where('a.id', '=', where.id);
  return q.orderBy('a.received_on', 'desc').orderBy('a.id', 'desc').execute();
}

async function views(db: Db, rows: AidRow[]): Promise<AidView[]> {
  const names = await userNames(db, rows.flatMap((r) => [r.created_by, r.updated_by]));
  return rows.map((r) => ({
    id: r.id,
    householdId: r.household_id,
    personId: r.person_id,
    personName: r.person_name,
    sourceKind: r.source_kind as AidSourceKind,
    sourceName: r.source_name,
    kind: r.kind as AidKind,
    amount: r.amount,
    items: r.items,
    receivedOn: r.received_on,
    note: r.note,
    origin: r.origin,
    createdAt: r.created_at,
    createdByName: r.created_by === null ? null : (names.get(r.created_by) ?? null),
    updatedAt: r.updated_at,
    updatedByName: r.updated_by === null ? null : (names.get(r.updated_by) ?? null),
    version: r.version,
  }));
}

/** The household's aid from other units, newest first. Not audited as a view: the household page's own view row covers it. */
export async function listAid(db: Db, scope: Scope, householdId: number): Promise<AidView[]> {
  assertMayReadCaseContent(scope);
  await assertHousehold(db, scope, householdId);
  return views(db, await loadRows(db, { householdId }));
}

export async function getAid(db: Db, scope: Scope, id: number): Promise<AidView> {
  await recordFor(db, scope, id);
  const [view] = await views(db, await loadRows(db, { id }));
  if (!view) throw new ApiError('NOT_FOUND', NOT_FOUND_MESSAGE);
  return view;
}

function columns(input: AidInput) {
  return {
    person_id: input.personId ?? null,
    source_kind: input.sourceKind,
    source_name: input.sourceName,
    kind: input.kind,
    amount: input.amount ?? null,
    items: input.items ?? null,
    received_on: input.receivedOn,
    note: input.note ?? null,
  };
}

export async function recordAid(trx: Db, scope: Scope, actor: Actor, input: AidInput & { householdId: number }, now: Date): Promise<number> {
  assertMayWrite(scope);
  await assertHousehold(trx, scope, input.householdId);
  await checkInput(trx, input.householdId, input, now);
  const ts = now.toISOString();
  const row = await trx
    .insertInto('external_aid')
    .values({ household_id: input.householdId, ...columns(input), origin: '手動', created_at: ts, created_by: actor.userId, updated_at: ts, updated_by: actor.userId, deleted_at: null, deleted_by: null, delete_reason: null, version: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  await appendAudit(trx, { actor, action: 'create', entity: 'external_aid', entityId: row.id, detail: { householdId: input.householdId } }, now);
  return row.id;
}

export async function updateAid(trx: Db, scope: Scope, actor: Actor, input: AidInput & { id: number; version: number; reason: AidChangeReason }, now: Date): Promise<void> {
  assertMayWrite(scope);
  const row = await recordFor(trx, scope, input.id);
  await assertVersion(trx, '外單位救助紀錄', row, input.version);
  await checkInput(trx, row.household_id, input, now);
  const next = columns(input);
  const changed = (Object.keys(next) as (keyof typeof next)[]).filter((k) => next[k] !== row[k]);
  if (changed.length === 0) return;
  await trx
    .updateTable('external_aid')
    .set({ ...next, updated_at: now.toISOString(), updated_by: actor.userId, version: row.version + 1 })
    .where('id', '=', row.id)
    .execute();
  await appendAudit(trx, { actor, action: 'update', entity: 'external_aid', entityId: row.id, detail: { householdId: row.household_id, fields: changed, reason: input.reason } }, now);
}

/** Deletes by marking: the row stays with who, when and why, so the audit trail stays readable. */
export async function deleteAid(trx: Db, scope: Scope, actor: Actor, input: { id: number; version: number; reason: AidChangeReason }, now: Date): Promise<void> {
  assertMayWrite(scope);
  const row = await recordFor(trx, scope, input.id);
  await assertVersion(trx, '外單位救助紀錄', row, input.version);
  const ts = now.toISOString();
  await trx
    .updateTable('external_aid')
    .set({ deleted_at: ts, deleted_by: actor.userId, delete_reason: input.reason, updated_at: ts, updated_by: actor.userId, version: row.version + 1 })
    .where('id', '=', row.id)
    .execute();
  await appendAudit(trx, { actor, action: 'delete', entity: 'external_aid', entityId: row.id, detail: { householdId: row.household_id, reason: input.reason } }, now);
}

// --- the window -------------------------------------------------------------------------

/** The UTC instant a Taipei calendar day starts. */
export function taipeiDayStart(iso: string): string {
  return new Date(Date.parse(`${iso}T00:00:00.000+08:00`)).toISOString();
}
function taipeiDate(ts: string): string {
  return new Date(Date.parse(ts) + 8 * 3600_000).toISOString().slice(0, 10);
}

const fmtQty = (q: number) => String(Math.round(q * 1000) / 1000);
const aidContent = (kind: string, items: string | null) => (items ? `${kind}：${items}` : kind);

/**
 * What the household received from `from` to `to` (ISO dates, both inclusive) from anyone. Used by
 * aid.recent (one household) and the report (many): `householdIds` null = every household.
 */
async function entriesBetween(db: Db, householdIds: readonly number[] | null, from: string, to: string): Promise<(AidRecentEntry & { householdId: number; sourceKind: string; sourceName: string })[]> {
  const out: (AidRecentEntry & { householdId: number; sourceKind: string; sourceName: string })[] = [];
  const chunks = householdIds === null ? [null] : chunk(householdIds, 500);
  for (const ids of chunks) {
    if (ids !== null && ids.length === 0) continue;
    let ext = db
      .selectFrom('external_aid')
      .select(['household_id', 'source_kind', 'source_name', 'kind', 'amount', 'items', 'received_on'])
      .where('deleted_at', 'is', null)
      .where('received_on', '>=', from)
      .where('received_on', '<=', to);
    if (ids !== null) ext = ext.where('household_id', 'in', ids);
    for (const r of await ext.execute()) {
      out.push({
        householdId: r.household_id,
        origin: 'external',
        date: r.received_on,
        source: `${r.source_name}（${r.source_kind}）`,
        sourceKind: r.source_kind,
        sourceName: r.source_name,
        content: aidContent(r.kind, r.items),
        amount: r.amount,
      });
    }

    let fb = db.selectFrom('fb_handouts').select(['id', 'household_id', 'handed_on']).where('handed_on', '>=', from).where('handed_on', '<=', to);
    if (ids !== null) fb = fb.where('household_id', 'in', ids);
    const handouts = await fb.execute();
    const lines = new Map<number, string[]>();
    for (const part of chunk(handouts.map((h) => h.id), 500)) {
      const rows = await db
        .selectFrom('fb_handout_lines as hl')
        .innerJoin('fb_items as i', 'i.id', 'hl.item_id')
        .select(['hl.handout_id', 'i.name', 'i.unit'])
        .select((eb) => eb.fn.sum<number>('hl.quantity').as('q'))
        .where('hl.handout_id', 'in', part)
        .groupBy(['hl.handout_id', 'i.id', 'i.name', 'i.unit'])
        .orderBy('i.id')
        .execute();
      for (const l of rows) (lines.get(l.handout_id) ?? lines.set(l.handout_id, []).get(l.handout_id))!.push(`${l.name} ${fmtQty(Number(l.q))} ${l.unit}`);
    }
    for (const h of handouts) {
      out.push({
        householdId: h.household_id,
        origin: 'foodbank',
        date: h.handed_on,
        source: FOODBANK_SOURCE,
        sourceKind: CENTER_SOURCE_KIND,
        sourceName: FOODBANK_SOURCE,
        content: (lines.get(h.id) ?? []).join('、') || '物資',
        amount: null,
      });
    }

    let sr = db
      .selectFrom('service_records')
      .select(['household_id', 'occurred_at', 'items'])
      .where('occurred_at', '>=', taipeiDayStart(from))
      .where('occurred_at', '<', taipeiDayStart(addDays(to, 1)))
      .where((eb) => eb.or(AID_SERVICE_ITEMS.map((i) => eb('items', 'like', `%"${i}"%`))));
    if (ids !== null) sr = sr.where('household_id', 'in', ids);
    for (const r of await sr.execute()) {
      const items = (JSON.parse(r.items) as string[]).filter((i) => (AID_SERVICE_ITEMS as readonly string[]).includes(i));
      for (const item of items) {
        out.push({
          householdId: r.household_id,
          origin: 'service',
          date: taipeiDate(r.occurred_at),
          source: serviceSource(item),
          sourceKind: CENTER_SOURCE_KIND,
          sourceName: serviceSource(item),
          content: item,
          amount: null,
        });
      }
    }
  }
  return out;
}

function chunk<T>(xs: readonly T[], n: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += n) out.push(xs.slice(i, i + n));
  return out;
}

/**
 * The household's aid in the last `days` days (default: the setting): received on or after
 * today - days, up to today (a date after today is not counted). Newest first.
 */
export async function recentAid(db: Db, scope: Scope, input: { householdId: number; days?: number | undefined }, now: Date): Promise<AidRecent> {
  await assertHousehold(db, scope, input.householdId);
  const days = input.days ?? (await readAidSettings(db)).windowDays;
  const to = todayIso(now);
  const from = addDays(to, -days);
  const entries = (await entriesBetween(db, [input.householdId], from, to))
    .sort((a, b) => (a.date === b.date ? a.origin.localeCompare(b.origin) : a.date < b.date ? 1 : -1))
    .map(({ origin, date, source, content, amount }) => ({ origin, date, source, content, amount }));
  const sources = new Set(entries.map((e) => (e.origin === 'external' ? e.source : CENTER_SOURCE_KIND)));
  await auditOutsideCall(db, { actor: scope.actor, action: 'view', entity: 'aid_recent', entityId: input.householdId, detail: { days, count: entries.length } }, now);
  return {
    householdId: input.householdId,
    days,
    from,
    to,
    entries,
    totals: {
      count: entries.length,
      amount: entries.reduce((s, e) => s + (e.amount ?? 0), 0),
      external: entries.filter((e) => e.origin === 'external').length,
      foodbank: entries.filter((e) => e.origin === 'foodbank').length,
      service: entries.filter((e) => e.origin === 'service').length,
      sources: sources.size,
    },
  };
}

// --- the coordination report ------------------------------------------------------------

async function headNames(db: Db, householdIds: readonly number[]): Promise<Map<number, string>> {
  const out = new Map<number, string>();
  for (const part of chunk(householdIds, 500)) {
    const rows = await db
      .selectFrom('household_members as hm')
      .innerJoin('persons as p', 'p.id', 'hm.person_id')
      .select(['hm.household_id', 'p.name'])
      .where('hm.household_id', 'in', part)
      .where('hm.relation', '=', '戶長')
      .where('hm.left_on', 'is', null)
      .execute();
    for (const r of rows) if (!out.has(r.household_id)) out.set(r.household_id, r.name);
  }
  return out;
}

/**
 * 聯繫會報: aid in the period from other units and the center, in the caller's scope, by source
 * (households, times, amount) or by household (sources, times, amount; 2+ sources = 重複受助). The
 * center's food bank and its 經濟補助 / 實物給付 records count as sources of their own.
 */
export async function aidReport(db: Db, scope: Scope, input: { from: string; to: string; groupBy: AidReportGroup }, now: Date): Promise<AidReport> {
  assertMayReadCaseContent(scope);
  let ids: number[] | null = null;
  if (!scope.all) {
    // The households of the period's aid first (indexed by date), then those the scope sees.
    const touched = await sql<{ id: number }>`
      select household_id as id from external_aid where deleted_at is null and received_on >= ${input.from} and received_on <= ${input.to}
      union select household_id as id from fb_handouts where handed_on >= ${input.from} and handed_on <= ${input.to}
      union select household_id as id from service_records where occurred_at >= ${taipeiDayStart(input.from)} and occurred_at < ${taipeiDayStart(addDays(input.to, 1))}`.execute(db);
    ids = [];
    for (const part of chunk(touched.rows.map((r) => Number(r.id)), 500)) {
      const rows = await db.selectFrom('households').select('id').where('id', 'in', part).where(householdVisible(scope)).execute();
      ids.push(...rows.map((r) => r.id));
    }
  }
  const entries = await entriesBetween(db, ids, input.from, input.to);

  const bySourceMap = new Map<string, AidReportSourceRow & { hh: Set<number> }>();
  const byHouseholdMap = new Map<number, { sources: Set<string>; times: number; amount: number }>();
  for (const e of entries) {
    const key = `${e.sourceKind}\u0000${e.sourceName}`;
    const s = bySourceMap.get(key) ?? bySourceMap.set(key, { sourceKind: e.sourceKind, sourceName: e.sourceName, households: 0, times: 0, amount: 0, hh: new Set() }).get(key)!;
    s.times++;
    s.amount += e.amount ?? 0;
    s.hh.add(e.householdId);
    const h = byHouseholdMap.get(e.householdId) ?? byHouseholdMap.set(e.householdId, { sources: new Set(), times: 0, amount: 0 }).get(e.householdId)!;
    h.sources.add(e.sourceName);
    h.times++;
    h.amount += e.amount ?? 0;
  }
  const heads = await headNames(db, [...byHouseholdMap.keys()]);
  const byHousehold: AidReportHouseholdRow[] = [...byHouseholdMap]
    .map(([householdId, h]) => ({ householdId, headName: heads.get(householdId) ?? null, sources: [...h.sources].sort(), times: h.times, amount: h.amount, duplicate: h.sources.size >= 2 }))
    .sort((a, b) => Number(b.duplicate) - Number(a.duplicate) || b.sources.length - a.sources.length || b.times - a.times || a.householdId - b.householdId);
  const bySource: AidReportSourceRow[] = [...bySourceMap.values()]
    .map(({ hh, ...s }) => ({ ...s, households: hh.size }))
    .sort((a, b) => b.times - a.times || a.sourceKind.localeCompare(b.sourceKind) || a.sourceName.localeCompare(b.sourceName));
  await auditOutsideCall(db, { actor: scope.actor, action: 'view', entity: 'aid_report', detail: { from: input.from, to: input.to, groupBy: input.groupBy, households: byHousehold.length } }, now);
  return {
    from: input.from,
    to: input.to,
    groupBy: input.groupBy,
    bySource: input.groupBy === 'source' ? bySource : [],
    byHousehold: input.groupBy === 'household' ? byHousehold : [],
    totals: {
      households: byHousehold.length,
      times: entries.length,
      amount: entries.reduce((s, e) => s + (e.amount ?? 0), 0),
      duplicates: byHousehold.filter((h) => h.duplicate).length,
    },
  };
}
