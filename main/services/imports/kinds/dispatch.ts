/**
 * 派案清單: the central platform's (社安網 / 保護資訊系統) list of cases dispatched to the center.
 *
 * Each row carries the central case number (派案編號), stored on the case as `cases.central_no` (unique,
 * migration 0021), so next month's list finds the same case again:
 * - a known number on a case in progress → match; the received/dispatched times, source and referring
 *   unit that differ are listed and updated;
 * - a known number on a case the center closed (已結案 / 不開案) → decide, flagged 「此案中心已結案」:
 *   重新派案（再開案）starts a new case in 待分派 linked to the closed one (previous_case_id, as the app's
 *   再開案 does) and moves the central number to it; 只更新紀錄 updates the closed case's dispatch
 *   facts and leaves it closed. Left undecided, the row is skipped (flag only). Nothing is decided for the
 *   user because the center may have closed the case on purpose while the central list lags behind;
 * - an unknown number → new: a case in 待分派 (no lead: the supervisor dispatches it in the app) on the
 *   household of the person known by ID, or on a new household with the person as 戶長; a person without
 *   ID who has a namesake born the same day is a decision (視為同一人 / 建立新的個人);
 * - a household that already has a case in progress gets no second one (the app's rule): the row asks
 *   whether to record the central number on that case;
 * - the same number twice in the file → duplicate; unreadable cells → error with the field.
 *
 * Roles: 管理者 and 督導. The central list reaches the center's supervisors, who dispatch the cases, so
 * they may bring it in themselves; a supervisor's new cases carry their team (their 待分派 list), and a
 * row about a case or person outside their teams is an error naming no one (as persons.create does).
 * No notification is sent: the new cases are the supervisors' 待分派 worklist already.
 *
 * Times: 派案時間 and 通報/受理時間 may be a date or a date and time (115/03/05 14:30, an Excel date-time
 * serial); a date alone is taken as 00:00 Taipei time. Stored as UTC ISO timestamps like the app's.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../../db/schema';
import { ApiError } from '../../../contract/envelope';
import { maskNationalId } from '../../../contract/national-id';
import { formatRocDate, formatRocDateTime, parseRocDate, todayIso } from '../../../contract/roc-date';
import {
  ACTIVE_CASE_STATUSES,
  CASE_SOURCE_LABELS,
  CASE_SOURCES,
  CASE_TYPES,
  CLOSED_CASE_STATUSES,
  type CaseSource,
  type CaseStatus,
  type CaseType,
} from '../../../contract/types-cases';
import { caseVisible, householdVisible, scopeOf, type Scope } from '../../access/scope';
import { formatCaseNo, rocYearOf } from '../../cases/common';
import { allotCaseNumber } from '../../cases/service';
import { versionInForce } from '../../codelists/service';
import { personVisible } from '../../households/common';
import { householdTerms, personTerms } from '../../search/terms';
import { cellDate, cellNationalId, cellText } from '../cells';
import type { Classification, CommitRow, EffectLog, FieldChange, ImportKind, KindContext, ParseResult, ParsedRow, RecordedEffect, RowOutcome, RowProblem, SourceRow } from '../types';

export interface DispatchRow {
  centralNo: string;
  name: string;
  nationalId: string | null;
  birthDate: string | null;
  street: string | null;
  village: string | null;
  source: CaseSource;
  /** UTC ISO timestamp; `receivedHasTime` false: the file gave a date only (00:00 Taipei). */
  receivedAt: string;
  receivedHasTime: boolean;
  dispatchedAt: string | null;
  dispatchedHasTime: boolean;
  caseType: CaseType;
  /** The file's text when it was not one of the app's types (then caseType is 其他). */
  caseTypeText: string | null;
  referringUnit: string | null;
}

/** Written when the source is 網絡轉介或政府單位 and the file names no referring unit. */
export const CENTRAL_REFERRING_UNIT = '中央派案（社會安全網）';

const F = {
  centralNo: '派案編號',
  name: '案主姓名',
  nationalId: '身分證字號',
  birthDate: '出生日期',
  street: '地址',
  village: '村里',
  source: '案件來源',
  receivedAt: '通報/受理時間',
  dispatchedAt: '派案時間',
  caseType: '案件類型',
  referringUnit: '轉介單位',
} as const;

// --- reading cells ------------------------------------------------------------------------------------

const TIME_RE = /^(.*?)\s*(上午|下午|AM|PM)?\s*(\d{1,2})[:：](\d{2})(?:[:：](\d{2}))?\s*(上午|下午|AM|PM)?$/i;

/** Taipei wall-clock date and time → UTC ISO timestamp. */
export function taipeiToUtc(date: string, hour = 0, minute = 0, second = 0): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d, hour, minute, second) - 8 * 3600_000).toISOString();
}

type DateTimeResult = { ok: true; value: { iso: string; hasTime: boolean } | null } | { ok: false; problem: RowProblem };

/** A date or a date and time: 115/03/05 14:30, 115/3/5 下午 2:30, 2026-03-05T14:30, an Excel date-time serial, or any date cellDate reads. */
export function cellDateTime(row: SourceRow, field: string, label: string): DateTimeResult {
  const cell = row.cells[field];
  if (!cell) return { ok: true, value: null };
  if (cell.date) {
    if (cell.number !== undefined) {
      const minutes = Math.round((cell.number - Math.floor(cell.number)) * 1440);
      if (minutes > 0 && minutes < 1440) return { ok: true, value: { iso: taipeiToUtc(cell.date, Math.floor(minutes / 60), minutes % 60), hasTime: true } };
    }
    return { ok: true, value: { iso: taipeiToUtc(cell.date), hasTime: false } };
  }
  const text = cell.text.replace(/T/, ' ');
  const m = TIME_RE.exec(text);
  if (m && m[1] !== '') {
    const datePart = m[1]!.trim();
    const ampm = (m[2] ?? m[6] ?? '').toUpperCase();
    let hour = Number(m[3]);
    const minute = Number(m[4]);
    const second = Number(m[5] ?? 0);
    if ((ampm === '下午' || ampm === 'PM') && hour < 12) hour += 12;
    if ((ampm === '上午' || ampm === 'AM') && hour === 12) hour = 0;
    const d = parseRocDate(datePart);
    if (!d.ok) return { ok: false, problem: { field, message: `${label}「${cell.text}」無法辨識：${d.message}` } };
    if (hour > 23 || minute > 59 || second > 59) return { ok: false, problem: { field, message: `${label}「${cell.text}」的時間不正確，請寫成如 14:30` } };
    return { ok: true, value: { iso: taipeiToUtc(d.iso, hour, minute, second), hasTime: true } };
  }
  const r = cellDate(row, field, label);
  if (!r.ok) return { ok: false, problem: { field, message: `${r.problem.message}（也可含時間，如 115/03/05 14:30）` } };
  return { ok: true, value: r.value === null ? null : { iso: taipeiToUtc(r.value), hasTime: false } };
}

/** The central lists' wording of a source, mapped to the app's A-F (exact codes and labels first, then words). */
const SOURCE_WORDS: readonly [CaseSource, readonly string[]][] = [
  ['A', ['自行求助', '本人求助', '自行前來', '主動求助', '案主求助']],
  ['C', ['主動發掘', '主動關懷', '外展']],
  ['D', ['民眾通報', '一般民眾', '民眾', '鄰居', '親友']],
  ['E', ['家長', '監護']],
  ['B', ['網絡', '轉介', '政府', '機關', '社安網', '社會安全網', '保護資訊', '113', '關懷e起來', '責任通報', '醫院', '醫療', '衛生', '衛政', '學校', '教育', '警', '社政', '社福', '法院', '司法', '公所', '村里長', '勞政', '就業', '派案']],
  ['F', ['其他']],
];

export function mapSource(text: string): CaseSource | null {
  const t = text.replace(/\s/g, '');
  const upper = t.toUpperCase();
  const code = /^([A-F])(?:[.:：、\s].*)?$/.exec(upper)?.[1];
  if (code) return code as CaseSource;
  for (const s of CASE_SOURCES) if (CASE_SOURCE_LABELS[s] === t) return s;
  for (const [s, words] of SOURCE_WORDS) if (words.some((w) => t.includes(w))) return s;
  return null;
}

function mapCaseType(text: string): { type: CaseType; unknown: string | null } {
  const t = text.replace(/\s/g, '');
  if (t === '') return { type: '脆弱家庭', unknown: null };
  const exact = CASE_TYPES.find((c) => c === t);
  if (exact) return { type: exact, unknown: null };
  if (t.includes('脆弱')) return { type: '脆弱家庭', unknown: null };
  if (t.includes('急難') || t.includes('紓困')) return { type: '急難紓困', unknown: null };
  if (t.includes('諮詢')) return { type: '一般福利諮詢', unknown: null };
  return { type: '其他', unknown: text };
}

function parse(row: SourceRow, ctx: KindContext): ParseResult<DispatchRow> {
  const problems: RowProblem[] = [];
  const centralNo = cellText(row, 'centralNo').replace(/\s/g, '').toUpperCase();
  if (centralNo === '') problems.push({ field: 'centralNo', message: `${F.centralNo}不可空白` });
  else if (centralNo.length > 40) problems.push({ field: 'centralNo', message: `${F.centralNo}過長（最多 40 字）` });
  const name = cellText(row, 'name');
  if (name === '') problems.push({ field: 'name', message: `${F.name}不可空白` });
  else if (name.length > 50) problems.push({ field: 'name', message: `${F.name}過長（最多 50 字）` });
  const nid = cellNationalId(row, 'nationalId');
  if (!nid.ok) problems.push(nid.problem);
  const birth = cellDate(row, 'birthDate', F.birthDate);
  if (!birth.ok) problems.push(birth.problem);
  else if (birth.value !== null && birth.value > ctx.today) problems.push({ field: 'birthDate', message: `${F.birthDate}（${formatRocDate(birth.value)}）不能晚於今天` });

  const sourceText = cellText(row, 'source');
  const source = sourceText === '' ? 'B' : mapSource(sourceText);
  if (source === null) {
    problems.push({ field: 'source', message: `${F.source}「${sourceText}」無法對應（可填 A 至 F，或${CASE_SOURCES.map((s) => CASE_SOURCE_LABELS[s]).join('、')}）` });
  }
  const received = cellDateTime(row, 'receivedAt', F.receivedAt);
  if (!received.ok) problems.push(received.problem);
  const dispatched = cellDateTime(row, 'dispatchedAt', F.dispatchedAt);
  if (!dispatched.ok) problems.push(dispatched.problem);
  const latest = new Date(Date.parse(ctx.now) + 5 * 60_000).toISOString();
  if (received.ok && received.value && received.value.iso > latest) {
    problems.push({ field: 'receivedAt', message: `${F.receivedAt}（${formatRocDateTime(received.value.iso)}）不能晚於現在` });
  }
  if (dispatched.ok && dispatched.value && dispatched.value.iso > latest) {
    problems.push({ field: 'dispatchedAt', message: `${F.dispatchedAt}（${formatRocDateTime(dispatched.value.iso)}）不能晚於現在` });
  }
  if (received.ok && dispatched.ok && !received.value && !dispatched.value) {
    problems.push({ field: 'receivedAt', message: `${F.receivedAt}與${F.dispatchedAt}至少要有一個` });
  }
  if (received.ok && dispatched.ok && received.value && dispatched.value) {
    const both = received.value.hasTime && dispatched.value.hasTime;
    const r = both ? received.value.iso : todayIso(new Date(received.value.iso));
    const d = both ? dispatched.value.iso : todayIso(new Date(dispatched.value.iso));
    if (d < r) problems.push({ field: 'dispatchedAt', message: `${F.dispatchedAt}不能早於${F.receivedAt}` });
  }
  const street = cellText(row, 'street');
  const village = cellText(row, 'village');
  const referringUnit = cellText(row, 'referringUnit');
  if (referringUnit.length > 80) problems.push({ field: 'referringUnit', message: `${F.referringUnit}過長（最多 80 字）` });
  if (street.length > 200) problems.push({ field: 'street', message: `${F.street}過長（最多 200 字）` });
  if (problems.length > 0 || !nid.ok || !birth.ok || !received.ok || !dispatched.ok || source === null) return { ok: false, problems };

  const receivedV = received.value ?? dispatched.value;
  if (!receivedV) return { ok: false, problems: [{ field: 'receivedAt', message: `${F.receivedAt}不可空白` }] };
  const type = mapCaseType(cellText(row, 'caseType'));
  return {
    ok: true,
    value: {
      centralNo,
      name,
      nationalId: nid.value,
      birthDate: birth.value,
      street: street || null,
      village: village || null,
      source,
      receivedAt: receivedV.iso,
      receivedHasTime: receivedV.hasTime,
      dispatchedAt: dispatched.value?.iso ?? null,
      dispatchedHasTime: dispatched.value?.hasTime ?? false,
      caseType: type.type,
      caseTypeText: type.unknown,
      referringUnit: referringUnit || (source === 'B' ? CENTRAL_REFERRING_UNIT : null),
    },
  };
}

// --- the batch's team -----------------------------------------------------------------------------------

/**
 * Which team's 待分派 list the new cases join: a supervisor's own team unless they name another team they
 * supervise; an administrator names one (or none: then only administrators see the cases until assigned).
 */
export const dispatchOptions = z.object({
  teamId: z.number({ error: '請選擇組別' }).int().positive().nullable().optional().describe('組別（新案件列入該組的待分派清單；督導未選時為自己的組）'),
});

async function teamOf(db: Kysely<Database>, ctx: KindContext, scope: Scope): Promise<{ teamId: number | null; problem: string | null }> {
  const wanted = (ctx.options as z.infer<typeof dispatchOptions>).teamId ?? null;
  if (wanted === null) return { teamId: ctx.actor.role === 'supervisor' ? ctx.actor.teamId : null, problem: null };
  const team = await db.selectFrom('teams').select('id').where('id', '=', wanted).executeTakeFirst();
  if (!team) return { teamId: null, problem: '所選的組別不存在，請重新選擇' };
  if (!scope.all && !scope.teamIds.includes(wanted)) return { teamId: null, problem: '所選的組別不是您督導的組別' };
  return { teamId: wanted, problem: null };
}

// --- reading the database in batches -------------------------------------------------------------------

const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

async function inChunks<T, R>(items: readonly T[], q: (part: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (const part of chunks([...new Set(items)])) out.push(...(await q(part)));
  return out;
}

const CASE_COLUMNS = ['id', 'case_no', 'status', 'household_id', 'source', 'referring_unit', 'received_at', 'dispatched_at', 'closed_on', 'central_no', 'team_id', 'version'] as const;

interface KnownCase {
  id: number;
  case_no: string;
  status: string;
  household_id: number;
  source: string;
  referring_unit: string | null;
  received_at: string;
  dispatched_at: string | null;
  closed_on: string | null;
  central_no: string | null;
  team_id: number | null;
  version: number;
}

function scopeFor(db: Kysely<Database>, ctx: KindContext): Promise<Scope> {
  return scopeOf(db, { userId: ctx.actor.id, username: '', displayName: '', role: ctx.actor.role, teamId: ctx.actor.teamId });
}

async function casesByCentralNo(db: Kysely<Database>, nos: readonly string[]): Promise<Map<string, KnownCase>> {
  const rows = await inChunks(nos, (part) => db.selectFrom('cases').select([...CASE_COLUMNS]).where('central_no', 'in', part).execute());
  return new Map(rows.map((r) => [r.central_no as string, r as KnownCase]));
}

async function activeCasesOf(db: Kysely<Database>, householdIds: readonly number[]): Promise<Map<number, KnownCase>> {
  const rows = await inChunks(householdIds, (part) =>
    db.selectFrom('cases').select([...CASE_COLUMNS]).where('household_id', 'in', part).where('status', 'in', [...ACTIVE_CASE_STATUSES]).execute(),
  );
  return new Map(rows.map((r) => [r.household_id, r as KnownCase]));
}

interface KnownPerson {
  id: number;
  name: string;
  national_id: string | null;
  birth_date: string | null;
  /** The current household, if any. */
  householdId: number | null;
}

async function withHouseholds(db: Kysely<Database>, persons: { id: number; name: string; national_id: string | null; birth_date: string | null }[]): Promise<KnownPerson[]> {
  const members = await inChunks(
    persons.map((p) => p.id),
    (part) => db.selectFrom('household_members').select(['person_id', 'household_id']).where('person_id', 'in', part).where('left_on', 'is', null).execute(),
  );
  const hh = new Map(members.map((m) => [m.person_id, m.household_id]));
  return persons.map((p) => ({ ...p, householdId: hh.get(p.id) ?? null }));
}

async function personsByNationalId(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, KnownPerson>> {
  const rows = await inChunks(ids, (part) => db.selectFrom('persons').select(['id', 'name', 'national_id', 'birth_date']).where('national_id', 'in', part).execute());
  return new Map((await withHouseholds(db, rows)).map((p) => [p.national_id as string, p]));
}

async function personsByNameBirth(db: Kysely<Database>, rows: readonly DispatchRow[]): Promise<Map<string, KnownPerson[]>> {
  const wanted = rows.filter((r) => r.nationalId === null && r.birthDate !== null);
  const found = await inChunks(
    wanted.map((r) => r.name),
    (part) => db.selectFrom('persons').select(['id', 'name', 'national_id', 'birth_date']).where('name', 'in', part).execute(),
  );
  const keys = new Set(wanted.map((r) => `${r.name}|${r.birthDate}`));
  const hits = found.filter((p) => keys.has(`${p.name}|${p.birth_date}`));
  const out = new Map<string, KnownPerson[]>();
  for (const p of await withHouseholds(db, hits)) {
    const k = `${p.name}|${p.birth_date}`;
    out.set(k, [...(out.get(k) ?? []), p]);
  }
  return out;
}

/**
 * 村里 text → village code in use on `onDate` (migration 0020's valid_from/valid_to): a unique village of
 * that name, or the one whose town's name the text also holds.
 */
async function resolveVillages(db: Kysely<Database>, texts: readonly string[], onDate: string): Promise<Map<string, string | null>> {
  const nameOf = (t: string) => /([^縣市鄉鎮區\s]+?[村里])$/.exec(t.replace(/\s/g, ''))?.[1] ?? t;
  const names = [...new Set(texts.map(nameOf))];
  const rows = await inChunks(names, (part) =>
    db
      .selectFrom('divisions as v')
      .leftJoin('divisions as t', 't.code', 'v.parent_code')
      .select(['v.code', 'v.name', 't.name as town'])
      .where('v.level', '=', 'village')
      .where('v.name', 'in', part)
      .where((eb) => eb.or([eb('v.valid_to', 'is', null), eb('v.valid_to', '>', onDate)]))
      .where((eb) => eb.or([eb('v.valid_from', 'is', null), eb('v.valid_from', '<=', onDate)]))
      .execute(),
  );
  const out = new Map<string, string | null>();
  for (const text of texts) {
    const cands = rows.filter((r) => r.name === nameOf(text));
    const narrowed = cands.length > 1 ? cands.filter((r) => r.town !== null && text.includes(r.town)) : cands;
    out.set(text, narrowed.length === 1 ? narrowed[0]!.code : null);
  }
  return out;
}

// --- classify -------------------------------------------------------------------------------------------

const CLOSED: readonly string[] = CLOSED_CASE_STATUSES;

function whoSummary(v: DispatchRow): string {
  return `${v.name}${v.nationalId ? `（${maskNationalId(v.nationalId)}）` : v.birthDate ? `（${formatRocDate(v.birthDate)} 生）` : ''}`;
}

/** The same instant, or for a date-only value the same Taipei day. */
function sameTime(stored: string | null, value: string, hasTime: boolean): boolean {
  if (stored === null) return false;
  return hasTime ? Date.parse(stored) === Date.parse(value) : todayIso(new Date(stored)) === todayIso(new Date(value));
}

function showTime(iso: string | null, hasTime = true): string {
  if (iso === null) return '（空白）';
  return hasTime ? formatRocDateTime(iso) : formatRocDate(todayIso(new Date(iso)));
}

/** What the file would change on a known case, as columns and as the user reads it. */
function changesOn(c: KnownCase, v: DispatchRow): { set: Partial<Record<'received_at' | 'dispatched_at' | 'source' | 'referring_unit', string>>; shown: FieldChange[] } {
  const set: Partial<Record<'received_at' | 'dispatched_at' | 'source' | 'referring_unit', string>> = {};
  const shown: FieldChange[] = [];
  if (!sameTime(c.received_at, v.receivedAt, v.receivedHasTime)) {
    set.received_at = v.receivedAt;
    shown.push({ field: F.receivedAt, from: showTime(c.received_at), to: showTime(v.receivedAt, v.receivedHasTime) });
  }
  if (v.dispatchedAt !== null && !sameTime(c.dispatched_at, v.dispatchedAt, v.dispatchedHasTime)) {
    set.dispatched_at = v.dispatchedAt;
    shown.push({ field: F.dispatchedAt, from: showTime(c.dispatched_at), to: showTime(v.dispatchedAt, v.dispatchedHasTime) });
  }
  if (c.source !== v.source) {
    set.source = v.source;
    const label = (s: string) => `${s} ${CASE_SOURCE_LABELS[s as CaseSource] ?? ''}`.trim();
    shown.push({ field: F.source, from: label(c.source), to: label(v.source) });
  }
  if (v.referringUnit !== null && v.referringUnit !== CENTRAL_REFERRING_UNIT && c.referring_unit !== v.referringUnit) {
    set.referring_unit = v.referringUnit;
    shown.push({ field: F.referringUnit, from: c.referring_unit ?? '（空白）', to: v.referringUnit });
  }
  return { set, shown };
}

const OUT_OF_SCOPE_CASE = '此派案編號已登錄於本中心，由其他組負責，您沒有檢視權限。請洽中心管理者匯入這一列。';
const OUT_OF_SCOPE_PERSON = '此身分證字號已登錄於本中心，由其他組負責，您沒有檢視權限。請洽中心管理者匯入這一列。';

async function classify(db: Kysely<Database>, rows: readonly ParsedRow<DispatchRow>[], ctx: KindContext): Promise<Classification[]> {
  const scope = await scopeFor(db, ctx);
  const values = rows.map((r) => r.value);
  const known = await casesByCentralNo(db, values.map((v) => v.centralNo));
  const visibleCaseIds = new Set<number>();
  if (scope.all) for (const c of known.values()) visibleCaseIds.add(c.id);
  else {
    const ids = [...known.values()].map((c) => c.id);
    for (const r of await inChunks(ids, (part) => db.selectFrom('cases').select('id').where('id', 'in', part).where(caseVisible(scope)).execute())) visibleCaseIds.add(r.id);
  }
  const closedIds = [...known.values()].filter((c) => CLOSED.includes(c.status)).map((c) => c.id);
  const successors = new Map(
    (await inChunks(closedIds, (part) => db.selectFrom('cases').select(['previous_case_id', 'case_no']).where('previous_case_id', 'in', part).execute())).map((r) => [
      r.previous_case_id as number,
      r.case_no,
    ]),
  );
  const byId = await personsByNationalId(db, values.flatMap((v) => (v.nationalId ? [v.nationalId] : [])));
  const byNameBirth = await personsByNameBirth(db, values);
  const householdIds = [
    ...[...known.values()].map((c) => c.household_id),
    ...[...byId.values()].flatMap((p) => (p.householdId !== null ? [p.householdId] : [])),
    ...[...byNameBirth.values()].flat().flatMap((p) => (p.householdId !== null ? [p.householdId] : [])),
  ];
  const active = await activeCasesOf(db, householdIds);
  const visibleHouseholds = new Set<number>();
  const visiblePersons = new Set<number>();
  if (!scope.all) {
    for (const r of await inChunks(householdIds, (part) => db.selectFrom('households').select('id').where('id', 'in', part).where(householdVisible(scope)).execute())) visibleHouseholds.add(r.id);
    const homeless = [...byId.values()].filter((p) => p.householdId === null).map((p) => p.id);
    for (const r of await inChunks(homeless, (part) => db.selectFrom('persons').select('id').where('id', 'in', part).where(personVisible(scope)).execute())) visiblePersons.add(r.id);
  }
  const villages = await resolveVillages(db, values.flatMap((v) => (v.village ? [v.village] : [])), ctx.today);
  const team = await teamOf(db, ctx, scope);
  // For rows about a known case: is the person of the file a member (now or before) of the case's household?
  const knownHouseholds = [...known.values()].map((c) => c.household_id);
  const memberIds = new Set(
    (
      await inChunks(knownHouseholds, (part) =>
        db
          .selectFrom('household_members')
          .innerJoin('persons', 'persons.id', 'household_members.person_id')
          .select(['household_members.household_id', 'persons.national_id'])
          .where('household_members.household_id', 'in', part)
          .where('persons.national_id', 'is not', null)
          .execute(),
      )
    ).map((m) => `${m.household_id}|${m.national_id}`),
  );

  const firstLineOf = new Map<string, number>();
  /** Persons and households a new row of the file already takes (one case in progress per household). */
  const takenBy = new Map<string, number>();
  return rows.map(({ line, value: v }): Classification => {
    const earlier = firstLineOf.get(v.centralNo);
    const summary = `派案編號 ${v.centralNo}：${whoSummary(v)}`;
    if (earlier !== undefined) return { status: 'duplicate', summary, ofLine: earlier };
    firstLineOf.set(v.centralNo, line);
    const flags: string[] = [];
    if (v.caseTypeText !== null) flags.push(`案件類型「${v.caseTypeText}」不在本系統的類型中，將列為「其他」`);

    const c = known.get(v.centralNo);
    if (c) {
      if (!visibleCaseIds.has(c.id)) return { status: 'error', summary: `派案編號 ${v.centralNo}`, problems: [{ field: 'centralNo', message: OUT_OF_SCOPE_CASE }] };
      const { shown } = changesOn(c, v);
      if (v.nationalId && !memberIds.has(`${c.household_id}|${v.nationalId}`)) flags.push('檔案的身分證字號不是此個案家戶的成員，請確認派案編號');
      const caseSummary = `派案編號 ${v.centralNo} → 個案 ${c.case_no}（${c.status}）`;
      if (!CLOSED.includes(c.status)) return { status: 'match', summary: caseSummary, targetId: c.id, changes: shown, ...(flags.length ? { flags } : {}) };
      flags.unshift('此案中心已結案');
      const options: { value: string; label: string }[] = [];
      const successor = successors.get(c.id);
      const other = active.get(c.household_id);
      if (successor) flags.push(`已再開案為 ${successor}`);
      else if (other) flags.push(`家戶已有進行中的個案 ${other.case_no}（${other.status}），不能再開案`);
      else options.push({ value: `reopen:${c.id}`, label: '重新派案（再開案，新個案待分派）' });
      options.push({ value: `record:${c.id}`, label: shown.length ? `只更新紀錄（${shown.map((s) => s.field).join('、')}），維持結案` : '只記錄，不變更（維持結案）' });
      const closedOn = c.closed_on ? `於 ${formatRocDate(c.closed_on)} ` : '';
      return {
        status: 'decide',
        summary: caseSummary,
        question: `中心已${closedOn}將個案 ${c.case_no} ${c.status === '不開案' ? '評估為不開案' : '結案'}，中央仍派案。要重新派案，或只更新紀錄？（未決定則略過）`,
        options,
        flags,
      };
    }

    // An unknown central number: a new case.
    if (team.problem !== null) return { status: 'error', summary, problems: [{ message: team.problem }] };
    if (v.village && villages.get(v.village) === null) flags.push(`村里「${v.village}」對應不到唯一的村里代碼，將不填村里`);
    let person: KnownPerson | undefined;
    if (v.nationalId) {
      person = byId.get(v.nationalId);
      if (person) {
        const visible = scope.all || (person.householdId !== null ? visibleHouseholds.has(person.householdId) : visiblePersons.has(person.id));
        if (!visible) return { status: 'error', summary, problems: [{ field: 'nationalId', message: OUT_OF_SCOPE_PERSON }] };
        if (person.name !== v.name) flags.push(`身分證字號已登錄為「${person.name}」，與檔案的姓名不同；以已登錄的個人為準`);
        if (v.birthDate && person.birth_date && person.birth_date !== v.birthDate) flags.push(`已登錄的出生日期為 ${formatRocDate(person.birth_date)}，與檔案不同`);
      }
    }
    // A supervisor hears only of namesakes in households they see.
    const candidates = (!v.nationalId && v.birthDate ? (byNameBirth.get(`${v.name}|${v.birthDate}`) ?? []) : []).filter(
      (p) => scope.all || (p.householdId !== null && visibleHouseholds.has(p.householdId)),
    );
    const keys = [person ? `p${person.id}` : v.nationalId ? `n${v.nationalId}` : null, person?.householdId != null ? `h${person.householdId}` : null].filter((k): k is string => k !== null);
    const clash = keys.map((k) => takenBy.get(k)).find((x) => x !== undefined);
    if (clash !== undefined) {
      return { status: 'error', summary, problems: [{ field: 'nationalId', message: `與第 ${clash} 列是同一人或同一家戶；同一家戶只能有一個進行中的個案，請合併為一列` }] };
    }
    for (const k of keys) takenBy.set(k, line);
    if (person && person.householdId !== null) {
      const open = active.get(person.householdId);
      if (open) {
        if (open.central_no !== null) {
          return { status: 'error', summary, problems: [{ field: 'centralNo', message: `此家戶已有進行中的個案 ${open.case_no}（派案編號 ${open.central_no}），同一家戶不能同時有兩個進行中的個案` }] };
        }
        return {
          status: 'decide',
          summary: `${summary} → 家戶 #${person.householdId}`,
          question: `此家戶已有進行中的個案 ${open.case_no}（${open.status}），不能再開新案。要把派案編號記在該個案嗎？（未決定則略過）`,
          options: [{ value: `attach:${open.id}`, label: `記在進行中的個案 ${open.case_no}` }],
          ...(flags.length ? { flags } : {}),
        };
      }
      return { status: 'new', summary: `${summary} → 家戶 #${person.householdId} 新增個案（待分派）`, ...(flags.length ? { flags } : {}) };
    }
    if (person) return { status: 'new', summary: `${summary} → 新家戶（已登錄的個人為戶長），新增個案（待分派）`, ...(flags.length ? { flags } : {}) };
    if (candidates.length > 0) {
      const first = candidates[0]!;
      const options = [{ value: 'new-person', label: '建立新的個人' }];
      if (candidates.length === 1 && (first.householdId === null || !active.has(first.householdId))) {
        options.unshift({ value: `same:${first.id}`, label: `視為同一人（已登錄的「${first.name}」${first.householdId !== null ? `，家戶 #${first.householdId}` : ''}）` });
      }
      return {
        status: 'decide',
        summary,
        question: `已有同名同生日的個人${candidates.length > 1 ? ` ${candidates.length} 位` : ''}，檔案沒有身分證字號。是同一人嗎？（未決定則略過）`,
        options,
        ...(flags.length ? { flags } : {}),
      };
    }
    if (!v.nationalId) flags.push('沒有身分證字號，將建立新的個人');
    return { status: 'new', summary: `${summary} → 新家戶、新個人，新增個案（待分派）`, ...(flags.length ? { flags } : {}) };
  });
}

// --- commit --------------------------------------------------------------------------------------------

interface Writer {
  trx: Kysely<Database>;
  ctx: KindContext;
  effects: EffectLog;
  teamId: number | null;
  /** The last case number allotted per ROC year in this commit (the transaction holds the write lock). */
  seqs: Map<number, number>;
  /** The vulnerability code list version in force per received date. */
  versions: Map<string, number | null>;
}

async function insertTerms(w: Writer, ref: number, terms: string[]): Promise<void> {
  if (terms.length === 0) return;
  await w.trx.insertInto('search_terms').values(terms.map((term) => ({ term, ref }))).execute();
  for (const term of terms) w.effects.inserted('search_terms', { term, ref });
}

async function newHousehold(w: Writer, v: DispatchRow, villageCode: string | null): Promise<number> {
  const ts = w.ctx.now;
  let county: string | null = null;
  let town: string | null = null;
  if (villageCode) {
    const t = await w.trx.selectFrom('divisions').select('parent_code').where('code', '=', villageCode).executeTakeFirst();
    town = t?.parent_code ?? null;
    const c = town ? await w.trx.selectFrom('divisions').select('parent_code').where('code', '=', town).executeTakeFirst() : undefined;
    county = c?.parent_code ?? null;
  }
  const h = await w.trx
    .insertInto('households')
    .values({
      county_code: county,
      town_code: town,
      village_code: villageCode,
      neighborhood: null,
      street: v.street,
      household_type: null,
      phone: null,
      notes: null,
      created_at: ts,
      created_by: w.ctx.actor.id,
      updated_at: ts,
      updated_by: w.ctx.actor.id,
      version: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  w.effects.inserted('households', { id: h.id });
  await insertTerms(w, h.id, householdTerms({ street: v.street, phone: null }));
  return h.id;
}

async function newPerson(w: Writer, v: DispatchRow): Promise<number> {
  const ts = w.ctx.now;
  const p = await w.trx
    .insertInto('persons')
    .values({
      name: v.name,
      national_id: v.nationalId,
      birth_date: v.birthDate,
      sex: null,
      phone: null,
      disability_level: null,
      income_status: null,
      notes: null,
      created_at: ts,
      created_by: w.ctx.actor.id,
      updated_at: ts,
      updated_by: w.ctx.actor.id,
      version: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  w.effects.inserted('persons', { id: p.id });
  await insertTerms(w, p.id, personTerms({ name: v.name, phone: null }));
  return p.id;
}

async function addHead(w: Writer, householdId: number, personId: number): Promise<void> {
  const m = await w.trx
    .insertInto('household_members')
    .values({ household_id: householdId, person_id: personId, relation: '戶長', joined_on: w.ctx.today, left_on: null, left_reason: null, created_at: w.ctx.now, created_by: w.ctx.actor.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  w.effects.inserted('household_members', { id: m.id });
}

async function allotOnce(w: Writer, receivedAt: string): Promise<{ roc_year: number; seq: number }> {
  const year = rocYearOf(receivedAt);
  const last = w.seqs.get(year);
  if (last !== undefined) {
    w.seqs.set(year, last + 1);
    return { roc_year: year, seq: last + 1 };
  }
  const n = await allotCaseNumber(w.trx, receivedAt);
  w.seqs.set(year, n.seq);
  return { roc_year: n.roc_year, seq: n.seq };
}

async function newCase(w: Writer, v: DispatchRow, householdId: number, previous: { id: number; case_no: string; team_id: number | null } | null): Promise<{ id: number; caseNo: string }> {
  const ts = w.ctx.now;
  // The app's numbering (allotCaseNumber) once per year, then counted on: no other writer runs meanwhile.
  const first = await allotOnce(w, v.receivedAt);
  const number = { roc_year: first.roc_year, seq: first.seq, case_no: formatCaseNo(first.roc_year, first.seq) };
  const receivedDate = todayIso(new Date(v.receivedAt));
  if (!w.versions.has(receivedDate)) w.versions.set(receivedDate, (await versionInForce(w.trx, 'vulnerability', receivedDate))?.id ?? null);
  const versionId = w.versions.get(receivedDate) ?? null;
  const status: CaseStatus = '待分派';
  const row = await w.trx
    .insertInto('cases')
    .values({
      ...number,
      household_id: householdId,
      previous_case_id: previous?.id ?? null,
      source: v.source,
      referring_unit: v.referringUnit,
      received_at: v.receivedAt,
      dispatched_at: v.dispatchedAt,
      first_contact_at: null,
      case_type: v.caseType,
      risk_level: null,
      code_list_version_id: versionId,
      status,
      lead_worker_id: null,
      // A reopened case goes back to the team that served the family; a new one to the batch's team.
      team_id: previous?.team_id ?? w.teamId,
      opened_on: null,
      closed_on: null,
      close_reason: null,
      summary: null,
      central_no: v.centralNo,
      created_at: ts,
      created_by: w.ctx.actor.id,
      updated_at: ts,
      updated_by: w.ctx.actor.id,
      version: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  w.effects.inserted('cases', { id: row.id });
  const reason = previous ? `再開案（前案 ${previous.case_no}）：中央重新派案（派案編號 ${v.centralNo}），待督導派案` : `中央派案清單匯入（派案編號 ${v.centralNo}），待督導派案`;
  const h = await w.trx
    .insertInto('case_status_history')
    .values({ case_id: row.id, from_status: null, to_status: status, action: previous ? 'reopen' : 'intake', reason, at: ts, by_user: w.ctx.actor.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  w.effects.inserted('case_status_history', { id: h.id });
  return { id: row.id, caseNo: number.case_no };
}

interface CaseSet {
  received_at?: string;
  dispatched_at?: string;
  source?: string;
  referring_unit?: string;
  central_no?: string | null;
}

/** Updates a case's columns (and its version), logging the old values of exactly those columns. */
async function updateCaseColumns(w: Writer, c: KnownCase & { updated_at?: string; updated_by?: number | null }, set: CaseSet): Promise<void> {
  const full = await w.trx.selectFrom('cases').select(['updated_at', 'updated_by', 'version']).where('id', '=', c.id).executeTakeFirstOrThrow();
  const before: Record<string, unknown> = { updated_at: full.updated_at, updated_by: full.updated_by, version: full.version };
  for (const k of Object.keys(set) as (keyof CaseSet)[]) before[k] = c[k];
  await w.trx
    .updateTable('cases')
    .set({ ...set, updated_at: w.ctx.now, updated_by: w.ctx.actor.id, version: full.version + 1 })
    .where('id', '=', c.id)
    .execute();
  w.effects.updated('cases', { id: c.id }, before);
}

function changedText(set: CaseSet): string {
  const names: Record<string, string> = { received_at: F.receivedAt, dispatched_at: F.dispatchedAt, source: F.source, referring_unit: F.referringUnit };
  return Object.keys(set)
    .filter((k) => k in names)
    .map((k) => names[k])
    .join('、');
}

async function commit(
  trx: Kysely<Database>,
  rows: readonly CommitRow<DispatchRow>[],
  ctx: KindContext,
  effects: EffectLog,
  progress: (done: number) => Promise<void>,
): Promise<RowOutcome[]> {
  const team = await teamOf(trx, ctx, await scopeFor(trx, ctx));
  if (team.problem !== null) throw new ApiError('RULE', team.problem, { fields: { teamId: team.problem } });
  const w: Writer = { trx, ctx, effects, teamId: team.teamId, seqs: new Map(), versions: new Map() };
  const values = rows.map((r) => r.value);
  // Read again inside the transaction: the dry run may be minutes old.
  const known = await casesByCentralNo(trx, values.map((v) => v.centralNo));
  const byId = await personsByNationalId(trx, values.flatMap((v) => (v.nationalId ? [v.nationalId] : [])));
  const villages = await resolveVillages(trx, values.flatMap((v) => (v.village ? [v.village] : [])), ctx.today);
  const idOf = (decision: string | null, kind: string): number | null => {
    const m = decision ? new RegExp(`^${kind}:(\\d+)$`).exec(decision) : null;
    return m ? Number(m[1]) : null;
  };
  const loadCase = async (id: number): Promise<KnownCase | undefined> => (await trx.selectFrom('cases').select([...CASE_COLUMNS]).where('id', '=', id).executeTakeFirst()) as KnownCase | undefined;
  const activeOn = async (householdId: number) =>
    trx.selectFrom('cases').select(['id', 'case_no', 'status']).where('household_id', '=', householdId).where('status', 'in', [...ACTIVE_CASE_STATUSES]).executeTakeFirst();

  const out: RowOutcome[] = [];
  let done = 0;
  for (const row of rows) {
    const v = row.value;
    const cl = row.classification;
    const skip = (why: string) => out.push({ line: row.line, result: `略過：${why}` });
    if (cl.status === 'match') {
      const c = known.get(v.centralNo);
      if (!c) skip('派案編號已不在資料庫中，請重新試算');
      else {
        const { set } = changesOn(c, v);
        if (Object.keys(set).length === 0) out.push({ line: row.line, result: `個案 ${c.case_no} 未變更`, targetId: c.id });
        else {
          await updateCaseColumns(w, c, set);
          out.push({ line: row.line, result: `更新個案 ${c.case_no}（${changedText(set)}）`, targetId: c.id });
        }
      }
    } else if (cl.status === 'decide' && row.decision?.startsWith('record:')) {
      const c = await loadCase(idOf(row.decision, 'record') ?? 0);
      if (!c) skip('個案已不存在');
      else {
        const { set } = changesOn(c, v);
        if (Object.keys(set).length > 0) await updateCaseColumns(w, c, set);
        out.push({ line: row.line, result: Object.keys(set).length ? `更新已結案個案 ${c.case_no} 的紀錄（${changedText(set)}），維持結案` : `個案 ${c.case_no} 維持結案，未變更`, targetId: c.id });
      }
    } else if (cl.status === 'decide' && row.decision?.startsWith('reopen:')) {
      const c = await loadCase(idOf(row.decision, 'reopen') ?? 0);
      const open = c ? await activeOn(c.household_id) : undefined;
      if (!c || !CLOSED.includes(c.status)) skip('個案已不是結案狀態，請重新試算');
      else if (open) skip(`家戶已有進行中的個案 ${open.case_no}`);
      else {
        // The central number moves to the new episode, so next month's list finds the case in progress.
        await updateCaseColumns(w, c, { central_no: null });
        const created = await newCase(w, v, c.household_id, { id: c.id, case_no: c.case_no, team_id: c.team_id });
        out.push({ line: row.line, result: `再開案：新增個案 ${created.caseNo}（待分派，前案 ${c.case_no}）`, targetId: created.id });
      }
    } else if (cl.status === 'decide' && row.decision?.startsWith('attach:')) {
      const c = await loadCase(idOf(row.decision, 'attach') ?? 0);
      if (!c || CLOSED.includes(c.status) || c.central_no !== null) skip('個案已變動，請重新試算');
      else {
        const set: CaseSet = { central_no: v.centralNo };
        if (c.dispatched_at === null && v.dispatchedAt !== null) set.dispatched_at = v.dispatchedAt;
        await updateCaseColumns(w, c, set);
        out.push({ line: row.line, result: `派案編號記在進行中的個案 ${c.case_no}`, targetId: c.id });
      }
    } else if (cl.status === 'new' || (cl.status === 'decide' && (row.decision === 'new-person' || row.decision?.startsWith('same:')))) {
      const sameId = idOf(row.decision, 'same');
      const person = sameId !== null ? (await withHouseholds(trx, await trx.selectFrom('persons').select(['id', 'name', 'national_id', 'birth_date']).where('id', '=', sameId).execute()))[0] : v.nationalId ? byId.get(v.nationalId) : undefined;
      const open = person?.householdId != null ? await activeOn(person.householdId) : undefined;
      if (known.has(v.centralNo)) skip('派案編號已登錄，請重新試算');
      else if (open) skip(`家戶已有進行中的個案 ${open.case_no}`);
      else {
        const parts: string[] = [];
        let householdId: number;
        let personId: number;
        if (person && person.householdId !== null) {
          householdId = person.householdId;
          personId = person.id;
        } else {
          personId = person ? person.id : await newPerson(w, v);
          householdId = await newHousehold(w, v, v.village ? (villages.get(v.village) ?? null) : null);
          await addHead(w, householdId, personId);
          parts.push(`家戶 #${householdId}`);
          if (!person) parts.push('個人 1 位');
          if (v.nationalId && !person) byId.set(v.nationalId, { id: personId, name: v.name, national_id: v.nationalId, birth_date: v.birthDate, householdId });
        }
        if (person && person.householdId === null) person.householdId = householdId;
        const created = await newCase(w, v, householdId, null);
        known.set(v.centralNo, { id: created.id } as KnownCase);
        parts.push(`個案 ${created.caseNo}（待分派）`);
        out.push({ line: row.line, result: `新增${parts.join('、')}`, targetId: created.id });
      }
    } else {
      skip('未決定');
    }
    done++;
    if (done % 50 === 0) await progress(done);
  }
  await progress(done);
  return out;
}

// --- undo ----------------------------------------------------------------------------------------------

async function undoBlockers(db: Kysely<Database>, effects: readonly RecordedEffect[]): Promise<string[]> {
  const ids = (table: string) => effects.filter((e) => e.table === table && e.action === 'insert').map((e) => Number(e.key.id));
  const caseIds = ids('cases');
  const householdIds = ids('households');
  const personIds = ids('persons');
  const ownHistory = new Set(ids('case_status_history'));
  const ownMembers = new Set(ids('household_members'));
  const reasons: string[] = [];
  const caseNo = new Map<number, string>();
  for (const c of await inChunks(caseIds, (part) => db.selectFrom('cases').select(['id', 'case_no', 'status', 'lead_worker_id']).where('id', 'in', part).execute())) {
    caseNo.set(c.id, c.case_no);
    if (c.status !== '待分派' || c.lead_worker_id !== null) reasons.push(`個案 ${c.case_no} 已派案或變更狀態（${c.status}）`);
  }
  /** How many rows of `table` point at each key (small batches: a dispatch list is tens to hundreds of rows). */
  const tally = (rows: { k: number | null }[]) => {
    const m = new Map<number, number>();
    for (const r of rows) if (r.k !== null) m.set(r.k, (m.get(r.k) ?? 0) + 1);
    return [...m].map(([k, n]) => ({ k, n }));
  };
  const countBy = async (table: 'service_records' | 'referrals' | 'case_requests', column: 'case_id' | 'household_id', keys: number[]) => {
    if (table === 'service_records') {
      return tally(await inChunks(keys, (part) => (column === 'case_id' ? db.selectFrom('service_records').select('case_id as k').where('case_id', 'in', part) : db.selectFrom('service_records').select('household_id as k').where('household_id', 'in', part)).execute()));
    }
    if (table === 'referrals') return tally(await inChunks(keys, (part) => db.selectFrom('referrals').select('case_id as k').where('case_id', 'in', part).execute()));
    return tally(await inChunks(keys, (part) => db.selectFrom('case_requests').select('case_id as k').where('case_id', 'in', part).execute()));
  };
  for (const r of await countBy('service_records', 'case_id', caseIds)) reasons.push(`個案 ${caseNo.get(Number(r.k)) ?? r.k} 已有 ${Number(r.n)} 筆服務紀錄`);
  for (const r of await countBy('referrals', 'case_id', caseIds)) reasons.push(`個案 ${caseNo.get(Number(r.k)) ?? r.k} 已有 ${Number(r.n)} 筆轉介`);
  for (const r of await countBy('case_requests', 'case_id', caseIds)) reasons.push(`個案 ${caseNo.get(Number(r.k)) ?? r.k} 已有 ${Number(r.n)} 筆審查申請`);
  const history = await inChunks(caseIds, (part) => db.selectFrom('case_status_history').select(['id', 'case_id']).where('case_id', 'in', part).execute());
  const movedCases = new Set(history.filter((h) => !ownHistory.has(h.id)).map((h) => h.case_id));
  for (const id of movedCases) if (!reasons.some((r) => r.startsWith(`個案 ${caseNo.get(id)} 已派案`))) reasons.push(`個案 ${caseNo.get(id) ?? id} 已有新的狀態紀錄`);
  // A reopened case: its predecessor gets its central number back, which it cannot if another case took it.
  const ownCases = new Set(caseIds);
  const others = await inChunks(householdIds, (part) => db.selectFrom('cases').select(['household_id', 'case_no', 'id']).where('household_id', 'in', part).execute());
  for (const c of others) if (!ownCases.has(c.id)) reasons.push(`家戶 #${c.household_id} 已有其他個案 ${c.case_no}`);
  for (const r of await countBy('service_records', 'household_id', householdIds)) reasons.push(`家戶 #${r.k} 已有 ${Number(r.n)} 筆服務紀錄`);
  const concerns = await inChunks(householdIds, (part) => db.selectFrom('long_term_concerns').select('household_id').where('household_id', 'in', part).execute());
  for (const hid of new Set(concerns.map((c) => c.household_id))) reasons.push(`家戶 #${hid} 已列為長期關懷戶`);
  const members = await inChunks([...householdIds], (part) => db.selectFrom('household_members').select(['id', 'household_id']).where('household_id', 'in', part).execute());
  for (const hid of new Set(members.filter((m) => !ownMembers.has(m.id)).map((m) => m.household_id))) reasons.push(`家戶 #${hid} 已新增或異動成員`);
  const personMembers = await inChunks(personIds, (part) => db.selectFrom('household_members').select(['id', 'person_id']).where('person_id', 'in', part).execute());
  const movedPersons = personMembers.filter((m) => !ownMembers.has(m.id)).length;
  if (movedPersons > 0) reasons.push(`${movedPersons} 位匯入的個人已加入其他家戶`);
  return [...new Set(reasons)];
}

// --- the kind ------------------------------------------------------------------------------------------

export const dispatchKind: ImportKind<DispatchRow> = {
  name: 'dispatch',
  label: '派案清單',
  roles: ['admin', 'supervisor'],
  fields: [
    { key: 'centralNo', label: F.centralNo, required: true, headers: ['派案編號', '派案單號', '案件編號', '中央案號', '案號', '通報編號'] },
    { key: 'name', label: F.name, required: true, headers: ['案主姓名', '個案姓名', '姓名', '案主'] },
    { key: 'nationalId', label: F.nationalId, required: false, headers: ['身分證字號', '身分證號', '身分證統一編號', '統一證號', '證號'], hint: '有身分證字號時，已登錄的個人會被辨識，不重複建立' },
    { key: 'birthDate', label: F.birthDate, required: false, headers: ['出生日期', '生日', '出生年月日'], hint: '民國或西元日期皆可' },
    { key: 'street', label: F.street, required: false, headers: ['地址', '居住地址', '戶籍地址', '聯絡地址'] },
    { key: 'village', label: F.village, required: false, headers: ['村里', '村里別', '里別', '村里名稱'], hint: '如「三和里」；同名村里請加鄉鎮市區，如「南投市三和里」' },
    { key: 'source', label: F.source, required: false, headers: ['案件來源', '來源', '通報來源', '案源'], hint: 'A 至 F 或其名稱；空白時為 B 網絡轉介或政府單位' },
    { key: 'receivedAt', label: F.receivedAt, required: false, headers: ['通報時間', '受理時間', '通報/受理時間', '通報日期', '受理日期', '收案時間'], hint: '日期或日期加時間，如 115/03/05 14:30；空白時用派案時間' },
    { key: 'dispatchedAt', label: F.dispatchedAt, required: false, headers: ['派案時間', '派案日期', '派案日'], hint: '日期或日期加時間，如 115/03/05 14:30' },
    { key: 'caseType', label: F.caseType, required: false, headers: ['案件類型', '案件類別', '類型'], hint: '空白時為「脆弱家庭」' },
    { key: 'referringUnit', label: F.referringUnit, required: false, headers: ['轉介單位', '通報單位', '派案單位'] },
  ],
  options: dispatchOptions,
  parse,
  classify,
  commit,
  undoBlockers,
};
