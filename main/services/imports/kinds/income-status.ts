/**
 * 低收入戶／中低收入戶名冊: the 公所's monthly list of persons with 低收 / 中低收 status, brought into
 * the status history (person_income_status; households/income-status.ts says how a period is set).
 *
 * - A person known by 身分證字號 is matched; the row sets their status from 核定日期 (or the list's
 *   period when the row has none) to 截止日期 (open when empty). No change when the history already
 *   says so (「不變」). The list takes over what the center recorded from that date up to the day
 *   of the import (the dry run shows it: 「中低收入戶（115/03/05 起）→ 低收入戶（115/03/01 起）」);
 *   a status dated after the import day is kept.
 * - A person unknown to the center is listed for follow-up, never created.
 * - The same ID twice in the file: the later rows are duplicates.
 * - People absent from the list keep their status: a monthly list is not guaranteed complete (one
 *   district, one page of a longer list), so absence proves nothing; an end comes from 截止日期 or
 *   an edit of the person.
 * - Commit writes periods (recorded for undo, never deleted) and persons.income_status (the current
 *   value) where today's status changed. Undo is blocked once the status of one of the batch's
 *   persons changed after it (another list, or an edit in the app).
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../../db/schema';
import { maskNationalId } from '../../../contract/national-id';
import { formatRocDate } from '../../../contract/roc-date';
import type { IncomeStatus } from '../../../contract/types-households';
import { describePeriod, INCOME_STATUS_LABELS, periodAt, type IncomePeriod, periodsOf, planIncomeChange, writeIncomePlan } from '../../households/income-status';
import { cellDate, cellNationalId, cellText } from '../cells';
import type { Classification, ImportKind, RowOutcome, RowProblem } from '../types';

export interface IncomeStatusRow {
  nationalId: string;
  name: string;
  status: IncomeStatus;
  /** ISO date: 核定日期 / 生效日期, or the list's period. */
  from: string;
  /** ISO date or null (no end given). */
  to: string | null;
}

const CATEGORY_HINT = '可填：低收入戶、中低收入戶、第一款至第四款';

/** 類別 → status: 中低… → 中低收; 低收… and 第0款..第四款 (類) → 低收. */
export function categoryOf(text: string): IncomeStatus | null {
  const t = text.replace(/\s+/g, '');
  if (t === '') return null;
  if (/中低/.test(t)) return 'mid-low';
  if (/低收/.test(t)) return 'low';
  if (/^第?[0-4〇零一二三四][款類类]$/.test(t)) return 'low';
  return null;
}

const OPTIONS = z.object({
  period: z.iso.date({ error: '請填寫名冊的資料月份（起日），例如 115/03/01' }),
});

const CHUNK = 500;

export const incomeStatusKind: ImportKind<IncomeStatusRow> = {
  name: 'income-status',
  label: '低收入戶／中低收入戶名冊',
  roles: ['admin'],
  fields: [
    { key: 'nationalId', label: '身分證字號', required: true, headers: ['身分證字號', '身分證號', '身分證統一編號', '統一證號', '身分證', '證號', 'ID'] },
    { key: 'name', label: '姓名', required: true, headers: ['姓名', '名字', '戶員姓名', '申請人姓名'] },
    { key: 'category', label: '類別', required: true, headers: ['類別', '身分別', '身分類別', '款別', '福利身分', '低收類別', '審核結果'], hint: '低收入戶、中低收入戶，或第一款至第四款（視為低收入戶）' },
    { key: 'from', label: '核定日期', required: false, headers: ['核定日期', '生效日期', '起始日期', '核定起日', '起日', '資格起日'], hint: '民國或西元日期皆可；空白時以名冊的資料月份為起日' },
    { key: 'to', label: '截止日期', required: false, headers: ['截止日期', '迄日', '到期日', '資格迄日', '核定迄日', '終止日期'], hint: '空白表示未截止' },
    { key: 'householdNo', label: '戶號', required: false, headers: ['戶號', '戶籍號碼'] },
    { key: 'headNationalId', label: '戶長身分證字號', required: false, headers: ['戶長身分證字號', '戶長身分證', '戶長身分證號', '戶長統一證號'] },
    { key: 'address', label: '地址', required: false, headers: ['地址', '戶籍地址', '居住地址', '通訊地址'] },
  ],
  options: OPTIONS,

  parse(row, ctx) {
    const problems: RowProblem[] = [];
    const id = cellNationalId(row, 'nationalId');
    if (!id.ok) problems.push(id.problem);
    else if (id.value === null) problems.push({ field: 'nationalId', message: '身分證字號必填' });
    const name = cellText(row, 'name');
    if (name === '') problems.push({ field: 'name', message: '姓名必填' });
    const categoryText = cellText(row, 'category');
    const status = categoryOf(categoryText);
    if (categoryText === '') problems.push({ field: 'category', message: `類別必填（${CATEGORY_HINT}）` });
    else if (status === null) problems.push({ field: 'category', message: `類別「${categoryText}」無法辨識（${CATEGORY_HINT}）` });
    const from = cellDate(row, 'from', '核定日期');
    if (!from.ok) problems.push(from.problem);
    const to = cellDate(row, 'to', '截止日期');
    if (!to.ok) problems.push(to.problem);
    const head = cellNationalId(row, 'headNationalId');
    if (!head.ok) problems.push({ field: 'headNationalId', message: `戶長身分證字號：${head.problem.message}` });
    const start = (from.ok ? from.value : null) ?? String(ctx.options.period);
    const end = to.ok ? to.value : null;
    if (from.ok && to.ok && end !== null && end < start) {
      problems.push({ field: 'to', message: `截止日期 ${formatRocDate(end)} 早於${from.value === null ? '名冊資料月份' : '核定日期'} ${formatRocDate(start)}` });
    }
    if (problems.length > 0) return { ok: false, problems };
    return { ok: true, value: { nationalId: (id.ok && id.value) as string, name, status: status as IncomeStatus, from: start, to: end } };
  },

  async classify(db, rows, ctx) {
    const firstLine = new Map<string, number>();
    for (const r of rows) if (!firstLine.has(r.value.nationalId)) firstLine.set(r.value.nationalId, r.line);
    const persons = await personsByNationalId(db, [...firstLine.keys()]);
    const periods = await periodsOf(db, [...persons.values()].map((p) => p.id));
    return rows.map((r): Classification => {
      const v = r.value;
      const summary = `${v.name}（${maskNationalId(v.nationalId)}）${INCOME_STATUS_LABELS[v.status]}`;
      const first = firstLine.get(v.nationalId) as number;
      if (first !== r.line) return { status: 'duplicate', summary, ofLine: first };
      const p = persons.get(v.nationalId);
      if (!p) return { status: 'followup', summary, reason: '中心無此人，列入追蹤名單' };
      const history = periods.get(p.id) ?? [];
      const plan = planIncomeChange(history, v.status, v.from, v.to, ctx.today);
      const flags: string[] = [];
      if (p.name !== v.name) flags.push(`姓名與中心資料不同（中心登錄為「${p.name}」）`);
      if (plan.clipped) flags.push(`中心在此期間另有福利身分異動，本列只更新至 ${formatRocDate(periodAt(plan.after, v.from)?.validTo ?? v.from)}，請人工核對`);
      const changes = plan.steps.length === 0 ? [] : [{ field: '福利身分', from: describeReplaced(history, periodAt(plan.after, v.from)), to: describePeriod(periodAt(plan.after, v.from)) }];
      return flags.length > 0 ? { status: 'match', summary, targetId: p.id, changes, flags } : { status: 'match', summary, targetId: p.id, changes };
    });
  },

  async commit(trx, rows, ctx, effects, progress) {
    const ids = rows.filter((r) => r.classification.status === 'match').map((r) => (r.classification as { targetId: number }).targetId);
    const periods = await periodsOf(trx, ids);
    const households = await currentHouseholds(trx, ids);
    const cache = await personCache(trx, ids);
    const out: RowOutcome[] = [];
    let done = 0;
    for (const r of rows) {
      done++;
      if (r.classification.status !== 'match') {
        out.push({ line: r.line, result: '略過：不是已登錄的個人' });
        continue;
      }
      const personId = r.classification.targetId;
      const v = r.value;
      const plan = planIncomeChange(periods.get(personId) ?? [], v.status, v.from, v.to, ctx.today);
      if (plan.steps.length === 0) {
        out.push({ line: r.line, result: '不變', targetId: personId });
      } else {
        await writeIncomePlan(trx, personId, plan, { source: '匯入', now: ctx.now, userId: ctx.actor.id, householdId: households.get(personId) ?? null, effects });
        // The current value (persons.income_status) follows today's status; a new version refuses stale forms.
        const current = periodAt(plan.after, ctx.today)?.status ?? null;
        const cached = cache.get(personId);
        if (cached && cached.income_status !== current) {
          await trx.updateTable('persons').set({ income_status: current, updated_at: ctx.now, updated_by: ctx.actor.id, version: cached.version + 1 }).where('id', '=', personId).execute();
          effects.updated('persons', { id: personId }, cached);
        }
        out.push({ line: r.line, result: `更新福利身分：${describePeriod(periodAt(plan.after, v.from))}`, targetId: personId });
      }
      if (done % 100 === 0 || done === rows.length) await progress(done);
    }
    return out;
  },

  async undoBlockers(db, effects) {
    const periodIds = effects.filter((e) => e.table === 'person_income_status').map((e) => Number(e.key.id));
    const insertedIds = new Set(effects.filter((e) => e.table === 'person_income_status' && e.action === 'insert').map((e) => Number(e.key.id)));
    const personIds = new Set(effects.filter((e) => e.table === 'persons').map((e) => Number(e.key.id)));
    const blockers: string[] = [];
    const found = new Set<number>();
    // The batch's own time: when it inserted its periods (created_at never changes), else the earliest
    // update among the periods it updated (one updated again later shows a later time, and a changed
    // version, which the core refuses by itself).
    let insertedAt = '';
    let updatedAt = '';
    for (let i = 0; i < periodIds.length; i += CHUNK) {
      const rows = await db
        .selectFrom('person_income_status')
        .select(['id', 'person_id', 'created_at', 'updated_at'])
        .where('id', 'in', periodIds.slice(i, i + CHUNK))
        .execute();
      for (const r of rows) {
        found.add(r.id);
        personIds.add(r.person_id);
        if (insertedIds.has(r.id)) {
          if (r.created_at > insertedAt) insertedAt = r.created_at;
        } else if (r.updated_at !== null && (updatedAt === '' || r.updated_at < updatedAt)) updatedAt = r.updated_at;
      }
    }
    const batchAt = insertedAt || updatedAt;
    const missing = periodIds.filter((id) => !found.has(id));
    if (missing.length > 0) blockers.push(`本批寫入的福利身分期間有 ${missing.length} 筆已被刪除或更正`);
    if (batchAt === '') return blockers;
    const persons = [...personIds];
    const later = new Set<number>();
    for (let i = 0; i < persons.length; i += CHUNK) {
      const rows = await db
        .selectFrom('person_income_status')
        .select('person_id')
        .distinct()
        .where('person_id', 'in', persons.slice(i, i + CHUNK))
        .where((eb) => eb.or([eb('created_at', '>', batchAt), eb('updated_at', '>', batchAt)]))
        .execute();
      for (const r of rows) later.add(r.person_id);
    }
    const sorted = [...later].sort((a, b) => a - b);
    for (const id of sorted.slice(0, 20)) blockers.push(`個人 #${id} 的福利身分在本批匯入之後已有變更`);
    if (sorted.length > 20) blockers.push(`另有 ${sorted.length - 20} 位個人的福利身分在本批匯入之後已有變更`);
    return blockers;
  },
};

/** What the center had recorded over the new period's days: 「無」, or its periods there. */
function describeReplaced(history: readonly IncomePeriod[], now: IncomePeriod | undefined): string {
  if (!now) return '無';
  const old = history.filter((p) => (now.validTo === null || p.validFrom <= now.validTo) && (p.validTo === null || p.validTo >= now.validFrom));
  return old.length === 0 ? '無' : old.map(describePeriod).join('、');
}

async function personsByNationalId(db: Kysely<Database>, ids: readonly string[]): Promise<Map<string, { id: number; name: string }>> {
  const out = new Map<string, { id: number; name: string }>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db.selectFrom('persons').select(['id', 'name', 'national_id']).where('national_id', 'in', ids.slice(i, i + CHUNK)).execute();
    for (const r of rows) if (r.national_id !== null && !out.has(r.national_id)) out.set(r.national_id, { id: r.id, name: r.name });
  }
  return out;
}

async function personCache(db: Kysely<Database>, personIds: readonly number[]) {
  const out = new Map<number, { income_status: string | null; updated_at: string; updated_by: number | null; version: number }>();
  const ids = [...new Set(personIds)];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db.selectFrom('persons').select(['id', 'income_status', 'updated_at', 'updated_by', 'version']).where('id', 'in', ids.slice(i, i + CHUNK)).execute();
    for (const { id, ...r } of rows) out.set(id, r);
  }
  return out;
}

async function currentHouseholds(db: Kysely<Database>, personIds: readonly number[]): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  const ids = [...new Set(personIds)];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .selectFrom('household_members')
      .select(['person_id', 'household_id'])
      .where('person_id', 'in', ids.slice(i, i + CHUNK))
      .where('left_on', 'is', null)
      .execute();
    for (const r of rows) out.set(r.person_id, r.household_id);
  }
  return out;
}
