/**
 * 代碼表: a code list (脆弱性因子 and any other list the app knows, CODE_LISTS) from the central level's
 * spreadsheet, brought in as a NEW VERSION with an effective date, like codelists.addVersion does by hand:
 * old cases keep the version they were coded with.
 *
 * Columns: 代碼, 名稱, 分類/面向代碼 (empty for a 面向 itself, else the code of its 面向), 排序 (optional:
 * without it the sheet's order). Options: which list, 生效日期 (after the list's newest version, else a
 * RULE refusal beside 生效日期), a note.
 *
 * Each row is compared with the list's newest version: new code → new; same code, label and 面向 → match
 * with no changes; a changed label or 面向 → match listing the changes; an empty or malformed cell →
 * error; a code already on an earlier row → duplicate. The new version holds exactly the rows committed:
 * a current code absent from the file is dropped from the new version, which the dry run shows as a flag
 * on the first importable row (「新版本不含目前版本的 N 個代碼：…」), since the contract has no batch
 * summary; commit refuses (rolls back) a version whose items name a 面向 it does not hold.
 *
 * Undo: refused once a case is coded with the new version (cases.code_list_version_id, whose factors are
 * that version's codes) or a newer version of the list was added since.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../../db/schema';
import { ApiError } from '../../../contract/envelope';
import { addDays, formatRocDate, isIsoDate } from '../../../contract/roc-date';
import { CODE_LIST_LABELS, CODE_LISTS, type CodeListName } from '../../../contract/types-cases';
import { cellInt, cellText } from '../cells';
import type { Classification, CommitRow, EffectLog, FieldChange, ImportKind, KindContext, ParseResult, ParsedRow, RecordedEffect, RowOutcome, RowProblem, SourceRow } from '../types';

export interface CodeRow {
  code: string;
  label: string;
  /** The 面向's code; null for a 面向 itself. */
  group: string | null;
  sort: number | null;
}

export const codelistOptions = z.object({
  list: z.enum(CODE_LISTS, { error: '請選擇代碼表' }).describe('代碼表'),
  effectiveFrom: z
    .string({ error: '請輸入生效日期' })
    .refine(isIsoDate, '生效日期格式應為 YYYY-MM-DD，且須為有效日期')
    .describe('生效日期（須晚於目前最新版本的生效日）'),
  note: z.string().trim().max(200, '說明最多 200 字').nullable().optional().describe('說明'),
});
type Options = z.infer<typeof codelistOptions>;

const CODE_RE = /^[0-9A-Za-z][0-9A-Za-z._-]{0,19}$/;

function parse(row: SourceRow): ParseResult<CodeRow> {
  const problems: RowProblem[] = [];
  const code = cellText(row, 'code').replace(/\s/g, '');
  if (code === '') problems.push({ field: 'code', message: '代碼不可空白' });
  else if (!CODE_RE.test(code)) problems.push({ field: 'code', message: `代碼「${code}」只能用英數字、點、底線或連字號，最多 20 字` });
  const label = cellText(row, 'label').replace(/\s+/g, ' ');
  if (label === '') problems.push({ field: 'label', message: '名稱不可空白' });
  else if (label.length > 100) problems.push({ field: 'label', message: '名稱最多 100 字' });
  const groupText = cellText(row, 'group').replace(/\s/g, '');
  if (groupText !== '' && !CODE_RE.test(groupText)) problems.push({ field: 'group', message: `分類代碼「${groupText}」只能用英數字、點、底線或連字號` });
  if (groupText !== '' && groupText === code) problems.push({ field: 'group', message: '分類代碼不能是自己的代碼（面向的分類欄請留空）' });
  const sort = cellInt(row, 'sort', '排序');
  if (!sort.ok) problems.push(sort.problem);
  else if (sort.value !== null && (sort.value < 1 || sort.value > 100000)) problems.push({ field: 'sort', message: '排序須為 1 到 100000 的整數' });
  if (problems.length > 0 || !sort.ok) return { ok: false, problems };
  return { ok: true, value: { code, label, group: groupText || null, sort: sort.value } };
}

interface CurrentVersion {
  id: number;
  effective_from: string;
  items: Map<string, { id: number; code: string; label: string; group_code: string | null; sort: number }>;
}

async function newestVersion(db: Kysely<Database>, list: CodeListName): Promise<CurrentVersion | null> {
  const v = await db.selectFrom('code_list_versions').select(['id', 'effective_from']).where('list', '=', list).orderBy('effective_from', 'desc').limit(1).executeTakeFirst();
  if (!v) return null;
  const items = await db.selectFrom('code_list_items').select(['id', 'code', 'label', 'group_code', 'sort']).where('version_id', '=', v.id).execute();
  return { ...v, items: new Map(items.map((i) => [i.code, i])) };
}

/** The effective date must follow the newest version's: the past is never recoded. */
function assertAfter(current: CurrentVersion | null, opts: Options): void {
  if (current && opts.effectiveFrom <= current.effective_from) {
    const message = `新版本的生效日須晚於目前最新版本的生效日（${formatRocDate(current.effective_from)}），請改為 ${formatRocDate(addDays(current.effective_from, 1))} 以後。`;
    throw new ApiError('RULE', message, { fields: { effectiveFrom: '須晚於最新版本' } });
  }
}

const groupLabel = (g: string | null) => (g === null ? '（面向）' : g);

async function classify(db: Kysely<Database>, rows: readonly ParsedRow<CodeRow>[], ctx: KindContext): Promise<Classification[]> {
  const opts = ctx.options as Options;
  const current = await newestVersion(db, opts.list);
  assertAfter(current, opts);
  const firstLine = new Map<string, number>();
  const dupOf = rows.map((r) => {
    const earlier = firstLine.get(r.value.code);
    if (earlier === undefined) firstLine.set(r.value.code, r.line);
    return earlier;
  });
  const groups = new Set(rows.filter((r, i) => dupOf[i] === undefined && r.value.group === null).map((r) => r.value.code));
  const classes = rows.map(({ value: v }, i): Classification => {
    const summary = `${v.code} ${v.label}${v.group ? `（${v.group}）` : '（面向）'}`;
    const earlier = dupOf[i];
    if (earlier !== undefined) return { status: 'duplicate', summary, ofLine: earlier };
    if (v.group !== null && !groups.has(v.group)) {
      return { status: 'error', summary, problems: [{ field: 'group', message: `面向「${v.group}」不在檔案中（面向本身的列，分類欄留空）` }] };
    }
    const old = current?.items.get(v.code);
    if (!old) return { status: 'new', summary };
    const changes: FieldChange[] = [];
    if (old.label !== v.label) changes.push({ field: '名稱', from: old.label, to: v.label });
    if (old.group_code !== v.group) changes.push({ field: '分類/面向代碼', from: groupLabel(old.group_code), to: groupLabel(v.group) });
    return { status: 'match', summary, targetId: old.id, changes };
  });
  const kept = new Set(rows.filter((_, i) => classes[i]?.status === 'new' || classes[i]?.status === 'match').map((r) => r.value.code));
  const dropped = current ? [...current.items.values()].filter((item) => !kept.has(item.code)) : [];
  dropped.sort((a, b) => a.sort - b.sort);
  const first = classes.findIndex((c) => c.status === 'new' || c.status === 'match');
  const target = classes[first];
  if (dropped.length > 0 && target && (target.status === 'new' || target.status === 'match')) {
    const codes = dropped.map((item) => `${item.code} ${item.label}`);
    const shown = codes.slice(0, 20).join('、') + (codes.length > 20 ? ` 等` : '');
    target.flags = [...(target.flags ?? []), `新版本不含目前版本（${formatRocDate(current!.effective_from)} 起）的 ${dropped.length} 個代碼：${shown}`];
  }
  return classes;
}

async function commit(
  trx: Kysely<Database>,
  rows: readonly CommitRow<CodeRow>[],
  ctx: KindContext,
  effects: EffectLog,
  progress: (done: number) => Promise<void>,
): Promise<RowOutcome[]> {
  const opts = ctx.options as Options;
  const current = await newestVersion(trx, opts.list);
  assertAfter(current, opts);
  const taken = rows.filter((r) => r.classification.status === 'new' || r.classification.status === 'match');
  const codes = new Set<string>();
  for (const r of taken) {
    if (codes.has(r.value.code)) throw new ApiError('RULE', `代碼「${r.value.code}」重複（第 ${r.line} 列），請重新試匯入。`);
    codes.add(r.value.code);
  }
  const groups = new Set(taken.filter((r) => r.value.group === null).map((r) => r.value.code));
  const orphan = taken.find((r) => r.value.group !== null && !groups.has(r.value.group));
  if (orphan) throw new ApiError('RULE', `第 ${orphan.line} 列代碼「${orphan.value.code}」所屬的面向「${orphan.value.group}」不在此版本中（該面向的列被排除或有錯誤）。`);
  if (taken.length === 0) throw new ApiError('RULE', `沒有可匯入的代碼，不能建立空白的${CODE_LIST_LABELS[opts.list]}代碼表版本。`);

  const v = await trx
    .insertInto('code_list_versions')
    .values({ list: opts.list, effective_from: opts.effectiveFrom, note: opts.note ?? null, created_at: ctx.now, created_by: ctx.actor.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  effects.inserted('code_list_versions', { id: v.id });
  // The stored order: the file's 排序 where given (rows without it after them), else the sheet's order.
  const ordered = [...taken].sort((a, b) => (a.value.sort ?? Number.MAX_SAFE_INTEGER) - (b.value.sort ?? Number.MAX_SAFE_INTEGER) || a.line - b.line);
  const itemIds = new Map<number, number>();
  for (let i = 0; i < ordered.length; i += 200) {
    const part = ordered.slice(i, i + 200);
    const ids = await trx
      .insertInto('code_list_items')
      .values(part.map((r, j) => ({ version_id: v.id, code: r.value.code, group_code: r.value.group, label: r.value.label, sort: i + j + 1 })))
      .returning(['id', 'code'])
      .execute();
    const byCode = new Map(ids.map((x) => [x.code, x.id]));
    for (const r of part) {
      const id = byCode.get(r.value.code) as number;
      itemIds.set(r.line, id);
      effects.inserted('code_list_items', { id });
    }
    await progress(Math.min(i + 200, ordered.length));
  }
  const when = formatRocDate(opts.effectiveFrom);
  const outcomes = new Map<number, RowOutcome>();
  for (const r of taken) {
    const c = r.classification;
    const what = c.status === 'new' ? '新增代碼' : c.status === 'match' && c.changes.length > 0 ? `沿用代碼，變更${c.changes.map((x) => x.field).join('、')}` : '沿用代碼';
    outcomes.set(r.line, { line: r.line, result: `${when} 起版本：${what} ${r.value.code}`, targetId: itemIds.get(r.line) as number });
  }
  return rows.map((r) => outcomes.get(r.line) ?? { line: r.line, result: '略過' });
}

async function undoBlockers(db: Kysely<Database>, effects: readonly RecordedEffect[]): Promise<string[]> {
  const reasons: string[] = [];
  const versionIds = effects.filter((e) => e.table === 'code_list_versions' && e.action === 'insert').map((e) => Number(e.key.id));
  for (const id of versionIds) {
    const version = await db.selectFrom('code_list_versions').select(['list', 'effective_from']).where('id', '=', id).executeTakeFirst();
    if (!version) continue;
    const used = await db.selectFrom('cases').select('case_no').where('code_list_version_id', '=', id).orderBy('case_no').execute();
    if (used.length > 0) {
      reasons.push(`已有 ${used.length} 個個案以此版本（${formatRocDate(version.effective_from)} 起）登錄脆弱性因子，例如 ${used.slice(0, 3).map((c) => c.case_no).join('、')}`);
    }
    const newer = await db.selectFrom('code_list_versions').select('effective_from').where('list', '=', version.list).where('effective_from', '>', version.effective_from).orderBy('effective_from').executeTakeFirst();
    if (newer) reasons.push(`此後已新增更新的版本（${formatRocDate(newer.effective_from)} 起）`);
  }
  return reasons;
}

export const codelistKind: ImportKind<CodeRow> = {
  name: 'codelist',
  label: '代碼表',
  roles: ['admin'],
  fields: [
    { key: 'code', label: '代碼', required: true, headers: ['代碼', '代號', '編碼', '因子代碼', '代碼值'] },
    { key: 'label', label: '名稱', required: true, headers: ['名稱', '代碼名稱', '說明', '內容', '因子名稱', '項目'] },
    { key: 'group', label: '分類/面向代碼', required: false, headers: ['分類', '分類代碼', '面向', '面向代碼', '上層代碼', '類別'], hint: '面向本身的列留空；其他列填所屬面向的代碼' },
    { key: 'sort', label: '排序', required: false, headers: ['排序', '順序', '序號'], hint: '可省略：依檔案中的順序' },
  ],
  options: codelistOptions,
  parse,
  classify,
  commit,
  undoBlockers,
};
