/**
 * Batches and their rows as the screens see them: counts, rows a page at a time with problems placed in
 * their cells (「第 12 列 C 欄：身分證字號檢查碼錯誤」), the user's exclusions and decisions, and the
 * batch list with its undo deadline and blockers. A batch is seen by its creator and by administrators,
 * and only for a kind the caller's role may run.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import {
  IMPORT_BATCH_STATE_LABELS,
  IMPORT_ROW_STATUS_LABELS,
  IMPORT_UNDO_DAYS,
  type ImportBatchState,
  type ImportBatchView,
  type ImportCounts,
  type ImportKindName,
  type ImportRowStatus,
  type ImportRowView,
  type ImportRowsPage,
} from '../../contract/methods/imports';
import { ApiError } from '../../contract/envelope';
import { formatRocDateTime } from '../../contract/roc-date';
import type { Database } from '../../../db/schema';
import type { ImportBatchesTable, ImportRowsTable } from '../../../db/tables/imports';
import type { Actor } from '../context';
import { runningJobOf } from './jobs';
import { findKind, kindFor } from './registry';
import type { Classification, DecisionOption, FieldChange, ImportKind, RowProblem } from './types';

export type BatchRow = Selectable<ImportBatchesTable>;
export type RowRecord = Selectable<ImportRowsTable>;

export const UNDO_WINDOW_MS = IMPORT_UNDO_DAYS * 24 * 3_600_000;

export function emptyCounts(): ImportCounts {
  return { new: 0, match: 0, duplicate: 0, decide: 0, followup: 0, error: 0, total: 0, excluded: 0, undecided: 0, toWrite: 0 };
}

/** Whether a row goes to the kind's commit. */
export function writes(r: { status: string; excluded: number; decision: string | null }): boolean {
  if (r.excluded) return false;
  return r.status === 'new' || r.status === 'match' || (r.status === 'decide' && r.decision !== null);
}

/** Counts from the stored rows (one grouped query). */
export async function countRows(db: Kysely<Database>, batchId: number): Promise<ImportCounts> {
  const groups = await db
    .selectFrom('import_rows')
    .select(['status', 'excluded', sql<number>`case when decision is null then 0 else 1 end`.as('decided'), sql<number>`count(*)`.as('n')])
    .where('batch_id', '=', batchId)
    .groupBy(['status', 'excluded', sql`case when decision is null then 0 else 1 end`])
    .execute();
  const c = emptyCounts();
  for (const g of groups) {
    const n = Number(g.n);
    const status = g.status as ImportRowStatus;
    c[status] += n;
    c.total += n;
    if (g.excluded) c.excluded += n;
    if (status === 'decide' && !g.decided && !g.excluded) c.undecided += n;
    if (writes({ status, excluded: g.excluded, decision: g.decided ? 'x' : null })) c.toWrite += n;
  }
  return c;
}

export async function loadBatch(db: Kysely<Database>, batchId: number, actor: Actor): Promise<{ batch: BatchRow; kind: ImportKind<unknown> }> {
  const batch = await db.selectFrom('import_batches').selectAll().where('id', '=', batchId).executeTakeFirst();
  if (!batch || (actor.role !== 'admin' && batch.created_by !== actor.userId)) throw new ApiError('NOT_FOUND', '找不到這批匯入。');
  return { batch, kind: kindFor(batch.kind, actor) };
}

/** 「第 12 列 C 欄：…」 with the column from the batch's mapping; 「第 12 列：…」 when no one cell is at fault. */
export function formatProblem(line: number, p: RowProblem, mapping: Readonly<Record<string, string>>): string {
  const col = p.field ? mapping[p.field] : undefined;
  return col ? `第 ${line} 列 ${col} 欄：${p.message}` : `第 ${line} 列：${p.message}`;
}

interface Detail {
  question?: string;
  options?: DecisionOption[];
  ofLine?: number;
  reason?: string;
}

function json<T>(s: string | null, fallback: T): T {
  return s === null ? fallback : (JSON.parse(s) as T);
}

/** The stored columns of one classification. */
export function rowColumns(c: Classification): Pick<RowRecord, 'status' | 'summary' | 'problems' | 'flags' | 'changes' | 'detail' | 'target_id'> {
  const flags = 'flags' in c && c.flags && c.flags.length > 0 ? JSON.stringify(c.flags) : null;
  const base = { status: c.status, summary: c.summary, problems: null, flags, changes: null, detail: null, target_id: null };
  switch (c.status) {
    case 'new':
      return base;
    case 'match':
      return { ...base, changes: c.changes.length > 0 ? JSON.stringify(c.changes) : null, target_id: c.targetId };
    case 'duplicate':
      return { ...base, detail: JSON.stringify({ ofLine: c.ofLine } satisfies Detail) };
    case 'decide':
      return { ...base, detail: JSON.stringify({ question: c.question, options: [...c.options] } satisfies Detail) };
    case 'followup':
      return { ...base, detail: JSON.stringify({ reason: c.reason } satisfies Detail) };
    case 'error':
      return { ...base, problems: JSON.stringify(c.problems) };
  }
}

/** The classification a stored row was given at the dry run (for the kind's commit). */
export function classificationOf(r: RowRecord): Classification {
  const flags = json<string[] | undefined>(r.flags, undefined);
  const d = json<Detail>(r.detail, {});
  const withFlags = flags ? { flags } : {};
  switch (r.status as ImportRowStatus) {
    case 'new':
      return { status: 'new', summary: r.summary, ...withFlags };
    case 'match':
      return { status: 'match', summary: r.summary, targetId: r.target_id ?? 0, changes: json<FieldChange[]>(r.changes, []), ...withFlags };
    case 'duplicate':
      return { status: 'duplicate', summary: r.summary, ofLine: d.ofLine ?? 0 };
    case 'decide':
      return { status: 'decide', summary: r.summary, question: d.question ?? '', options: d.options ?? [], ...withFlags };
    case 'followup':
      return { status: 'followup', summary: r.summary, reason: d.reason ?? '' };
    case 'error':
      return { status: 'error', summary: r.summary, problems: json<RowProblem[]>(r.problems, []) };
  }
}

export function rowView(r: RowRecord, mapping: Readonly<Record<string, string>>): ImportRowView {
  const d = json<Detail>(r.detail, {});
  const status = r.status as ImportRowStatus;
  return {
    line: r.line,
    status,
    statusLabel: IMPORT_ROW_STATUS_LABELS[status],
    summary: r.summary,
    problems: json<RowProblem[]>(r.problems, []).map((p) => formatProblem(r.line, p, mapping)),
    flags: json<string[]>(r.flags, []),
    changes: json<FieldChange[]>(r.changes, []),
    question: d.question ?? null,
    options: d.options ?? [],
    decision: r.decision,
    excluded: r.excluded !== 0,
    ofLine: d.ofLine ?? null,
    reason: d.reason ?? null,
    outcome: r.outcome,
    targetId: r.target_id,
  };
}

export async function rowsPage(
  db: Kysely<Database>,
  actor: Actor,
  input: { batchId: number; status?: ImportRowStatus[] | undefined; excluded?: boolean | undefined; page: number; pageSize: number },
): Promise<ImportRowsPage> {
  const { batch } = await loadBatch(db, input.batchId, actor);
  let q = db.selectFrom('import_rows').where('batch_id', '=', batch.id);
  if (input.status && input.status.length > 0) q = q.where('status', 'in', input.status);
  if (input.excluded !== undefined) q = q.where('excluded', '=', input.excluded ? 1 : 0);
  const total = Number((await q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  const rows = await q
    .selectAll()
    .orderBy('line')
    .limit(input.pageSize)
    .offset((input.page - 1) * input.pageSize)
    .execute();
  const mapping = JSON.parse(batch.mapping) as Record<string, string>;
  return { batchId: batch.id, counts: await countRows(db, batch.id), total, page: input.page, pageSize: input.pageSize, rows: rows.map((r) => rowView(r, mapping)) };
}

/** Excludes / includes rows, or records a decision on decide rows, of a dry run not yet committed. */
export async function setRows(
  trx: Kysely<Database>,
  actor: Actor,
  input: { batchId: number; lines: number[]; excluded?: boolean | undefined; decision?: string | null | undefined },
): Promise<ImportRowsPage> {
  const { batch } = await loadBatch(trx, input.batchId, actor);
  if (batch.state !== 'dryrun' || runningJobOf(batch.id)) throw new ApiError('CONFLICT', '這批資料已匯入或正在匯入，不能再調整。');
  if (input.excluded === undefined && input.decision === undefined) {
    throw new ApiError('VALIDATION', '請選擇要排除、納入或決定的處理方式。', { fields: { excluded: '請選擇' } });
  }
  const lines = [...new Set(input.lines)];
  if (input.decision !== undefined && input.decision !== null) {
    // A decision must be one of each row's own options.
    for (let i = 0; i < lines.length; i += 500) {
      const rows = await trx.selectFrom('import_rows').select(['line', 'status', 'detail']).where('batch_id', '=', batch.id).where('line', 'in', lines.slice(i, i + 500)).execute();
      for (const r of rows) {
        const options = json<Detail>(r.detail, {}).options ?? [];
        if (r.status !== 'decide' || !options.some((o) => o.value === input.decision)) {
          throw new ApiError('VALIDATION', `第 ${r.line} 列不需決定，或沒有這個選項。`, { fields: { decision: '選項不正確' } });
        }
      }
    }
  }
  for (let i = 0; i < lines.length; i += 500) {
    const chunk = lines.slice(i, i + 500);
    const set: { excluded?: number; decision?: string | null } = {};
    if (input.excluded !== undefined) set.excluded = input.excluded ? 1 : 0;
    if (input.decision !== undefined) set.decision = input.decision;
    await trx.updateTable('import_rows').set(set).where('batch_id', '=', batch.id).where('line', 'in', chunk).execute();
  }
  const counts = await countRows(trx, batch.id);
  await trx.updateTable('import_batches').set({ counts: JSON.stringify(counts) }).where('id', '=', batch.id).execute();
  return rowsPage(trx, actor, { batchId: batch.id, page: 1, pageSize: 100 });
}

/** Display names of users by id (who made, committed, undid a batch). */
export async function userNames(db: Kysely<Database>, ids: readonly (number | null)[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((x): x is number => x !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', wanted).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

export function undoDeadlineMs(batch: BatchRow): number | null {
  return batch.state === 'committed' && batch.committed_at ? Date.parse(batch.committed_at) + UNDO_WINDOW_MS : null;
}

export function batchView(batch: BatchRow, names: Map<number, string>, blockers: string[] | null): ImportBatchView {
  const kind = findKind(batch.kind);
  const state = batch.state as ImportBatchState;
  const deadline = undoDeadlineMs(batch);
  const name = (id: number | null) => (id === null ? null : (names.get(id) ?? '（已刪除的帳號）'));
  return {
    id: batch.id,
    batchNo: batch.batch_no,
    kind: batch.kind as ImportKindName,
    kindLabel: kind?.label ?? batch.kind,
    source: batch.source,
    fileName: batch.file_name,
    sheet: batch.sheet,
    headerRow: batch.header_row,
    state,
    stateLabel: IMPORT_BATCH_STATE_LABELS[state],
    counts: { ...emptyCounts(), ...(JSON.parse(batch.counts) as Partial<ImportCounts>) },
    createdBy: name(batch.created_by) ?? '',
    createdAt: formatRocDateTime(batch.created_at),
    createdAtIso: batch.created_at,
    committedBy: name(batch.committed_by),
    committedAt: batch.committed_at ? formatRocDateTime(batch.committed_at) : null,
    undoneBy: name(batch.undone_by),
    undoneAt: batch.undone_at ? formatRocDateTime(batch.undone_at) : null,
    undoReason: batch.undo_reason,
    undoDeadline: deadline === null ? null : formatRocDateTime(new Date(deadline).toISOString()),
    canUndo: state === 'committed' && blockers !== null && blockers.length === 0,
    blockers: blockers ?? [],
    jobId: runningJobOf(batch.id)?.id ?? null,
  };
}

