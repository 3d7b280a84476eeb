/**
 * Generation and submission of central forms (issue 4 §4, every frequency since
 * issue 13): fill the central template for a period (month, quarter, half-year or
 * year, as the definition says), each cell counting its own period relative to the
 * report's; review the figures, submit (a locked snapshot), and on a locked period
 * show what changed since. Unlocking needs an administrator and a reason.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { auditOutsideCall, inDeclaredWrite } from '../call-hooks';
import { ApiError } from '../../contract/envelope';
import { parseQuarter, todayIso, type QuarterRange } from '../../contract/roc-date';
import { parseReportPeriod, reportPeriodOf, shiftReportPeriod, type RelativePeriod, type ReportPeriodRange } from '../../contract/report-periods';
import {
  type CellDiffView,
  type FigureView,
  type GenerateResult,
  type IndicatorFilters,
  type MappingProblemView,
  type PeriodStatusView,
  type SnapshotView,
} from '../../contract/types-reports';
import { appendAudit } from '../audit/log';
import type { Actor } from '../context';
import { blob, nameOf, safeFileName, sha256Hex, templateError, toBase64, userNames } from './common';
import { checkLoaded, loadDefinition, mappingRefusal, mappingViews, type LoadedDefinition, type PeriodCell, type StoredMapping } from './definitions';
import { pick } from './indicators/engine';
import { getIndicator } from './indicators/registry';
import { IndicatorInputError, type Dim, type Figure, type IndicatorResult, type Period } from './indicators/types';
import { cellRange, compiledDateText, fixedMonthProblem, fromQuarterRange, requireReportPeriod } from './periods';
import { diffFilled, fillTemplate, inspectWorkbook, type CellFill } from './xlsx';

/** Issue 4's quarter parsing (kept for callers that only know quarters); see requireReportPeriod. */
export function requireQuarter(text: string): QuarterRange {
  const q = parseQuarter(text);
  if (!q) throw new ApiError('VALIDATION', '季別格式不正確，請輸入如 115Q1 或 115年第1季', { fields: { period: '季別格式不正確' } });
  return q;
}

/** `中華民國115年第1季` */
export function quarterPeriodLine(q: QuarterRange): string {
  return `中華民國${q.rocYear}年第${q.quarter}季`;
}

/**
 * Computes every mapped figure. Each cell counts its own period: with a report
 * period (`ReportPeriodRange`) a mapping's relative period (month 2, year to date,
 * the same period last year) is resolved against it; with plain dates every cell
 * counts those. Mappings of one indicator and one resolved period whose filters
 * differ only in single values are answered by one breakdown query (e.g. the six
 * 面向 rows of a column, or 電訪/面訪 side by side), which the consistency test
 * shows gives the same figure as filtering cell by cell.
 */
export async function computeFigures(
  db: Kysely<Database>,
  mappings: readonly (Pick<StoredMapping, 'sheet' | 'cell' | 'indicatorId' | 'filters'> & { period?: RelativePeriod | undefined })[],
  period: Period | ReportPeriodRange,
  teams: readonly number[] | null = null,
): Promise<Figure[]> {
  const out: Figure[] = new Array<Figure>(mappings.length);
  const groups = new Map<string, number[]>();
  const singles: number[] = [];
  const report = 'frequency' in period ? period : null;
  const periods: Period[] = mappings.map((m) => (report ? cellRange(report, m.period) : { from: period.from, to: period.to }));
  mappings.forEach((m, i) => {
    const entries = Object.entries(m.filters);
    if (entries.length === 0 || entries.length > 3 || entries.some(([, v]) => Array.isArray(v))) {
      singles.push(i);
      return;
    }
    const p = periods[i] as Period;
    const key = `${m.indicatorId}|${p.from}|${p.to}|${entries.map(([d]) => d).sort().join(',')}`;
    const list = groups.get(key);
    if (list) list.push(i);
    else groups.set(key, [i]);
  });
  const memo = new Map<string, Promise<IndicatorResult>>();
  const run = (indicatorId: string, filters: IndicatorFilters, breakdown: Dim[], cellPeriod: Period) => {
    const key = JSON.stringify([indicatorId, cellPeriod.from, cellPeriod.to, filters, breakdown]);
    let p = memo.get(key);
    if (!p) {
      const ind = getIndicator(indicatorId);
      if (!ind) throw new ApiError('RULE', `找不到指標「${indicatorId}」，請更新系統或修正報表定義。`);
      p = ind.compute(db, { period: cellPeriod, filters, breakdown, teams }).catch((e: unknown) => {
        if (e instanceof IndicatorInputError) throw new ApiError('RULE', `報表定義的對應無法計算：${e.message}請修正報表定義。`);
        throw e;
      });
      memo.set(key, p);
    }
    return p;
  };
  for (const [key, idxs] of groups) {
    if (idxs.length === 1) {
      singles.push(idxs[0] as number);
      continue;
    }
    const [indicatorId = '', , , dimList = ''] = key.split('|');
    const ind = getIndicator(indicatorId);
    const dims = dimList.split(',') as Dim[];
    // Restrict the breakdown to the values asked for (scalar dimensions only: a 面向 filter would not speed it up).
    const narrowing: IndicatorFilters = {};
    for (const d of dims) {
      if (d === 'dimension') continue;
      narrowing[d] = [...new Set(idxs.map((i) => (mappings[i] as StoredMapping).filters[d] as string))];
    }
    const result = await run(indicatorId, narrowing, dims, periods[idxs[0] as number] as Period);
    for (const i of idxs) out[i] = pick(result, (mappings[i] as StoredMapping).filters as Record<string, string>, ind?.counting === 'rate');
  }
  for (const i of singles) {
    const m = mappings[i] as StoredMapping;
    out[i] = (await run(m.indicatorId, m.filters, [], periods[i] as Period)).total;
  }
  return out;
}

export interface GeneratedReport {
  figures: FigureView[];
  warnings: MappingProblemView[];
  bytes: Uint8Array;
  sha256: string;
}

/** What generation needs of a definition (a stored one, or an exported file's for the CLI). */
export interface GenerationDefinition {
  mappings: readonly StoredMapping[];
  periodCell: PeriodCell | null;
  /** The 編製日期 cell, filled with the generation date (Taipei). */
  compiledCell?: PeriodCell | null | undefined;
  template: LoadedDefinition['template'];
}

/** The text the template has in `cell` (null when empty), read only when a 編製日期 cell is mapped. */
function templateText(bytes: Uint8Array, cell: PeriodCell): string | null {
  try {
    const model = inspectWorkbook(bytes);
    const sheet = model.sheets.find((s) => s.name.toLowerCase() === cell.sheet.toLowerCase());
    const c = sheet?.cells.find((x) => x.address === cell.cell);
    return c && c.type === 'string' ? c.text : null;
  } catch (e) {
    templateError(e);
  }
}

/**
 * The core of generation, shared by the API and the CLI: check the mapping
 * against the template (and that no fixed month falls outside its cell's period),
 * compute the figures, fill the template with them, the period line and the
 * 編製日期. A QuarterRange (issue 4's callers) is the quarter's report period.
 */
export async function generateReport(
  db: Kysely<Database>,
  d: GenerationDefinition,
  period: ReportPeriodRange | QuarterRange,
  now: Date = new Date(),
): Promise<GeneratedReport> {
  const range = 'frequency' in period ? period : fromQuarterRange(period);
  const problems = checkLoaded(d);
  const fixed = fixedMonthProblem(d.mappings, range);
  if (fixed) problems.push(fixed);
  if (problems.some((p) => p.severity === 'error')) throw mappingRefusal(problems, '無法產製報表');
  const values = await computeFigures(db, d.mappings, range);
  const views = await mappingViews(db, d.mappings);
  const figures: FigureView[] = d.mappings.map((m, i) => {
    const f = values[i] as Figure;
    const v = views[i] as (typeof views)[number];
    return {
      sheet: m.sheet,
      cell: m.cell,
      indicatorId: m.indicatorId,
      label: v.label,
      unit: v.unit,
      value: f.value,
      ...(f.numerator !== undefined ? { numerator: f.numerator, denominator: f.denominator as number } : {}),
    };
  });
  const fills: CellFill[] = figures.map((f) => ({ sheet: f.sheet, cell: f.cell, value: f.value }));
  if (d.compiledCell) fills.unshift({ sheet: d.compiledCell.sheet, cell: d.compiledCell.cell, value: compiledDateText(templateText(d.template.bytes, d.compiledCell), now) });
  if (d.periodCell) fills.unshift({ sheet: d.periodCell.sheet, cell: d.periodCell.cell, value: range.line });
  let bytes: Uint8Array;
  try {
    bytes = fillTemplate(d.template.bytes, fills);
  } catch (e) {
    templateError(e);
  }
  return { figures, warnings: problems, bytes, sha256: sha256Hex(bytes) };
}

interface SubmissionRow {
  id: number;
  definition_id: number;
  period: string;
  figures: string;
  sha256: string;
  submitted_at: string;
  submitted_by: number;
  unlocked_at: string | null;
  unlocked_by: number | null;
  unlock_reason: string | null;
}

const SUBMISSION_COLS = ['id', 'definition_id', 'period', 'figures', 'sha256', 'submitted_at', 'submitted_by', 'unlocked_at', 'unlocked_by', 'unlock_reason'] as const;

async function lockOf(db: Kysely<Database>, definitionId: number, period: string): Promise<SubmissionRow | undefined> {
  return db.selectFrom('report_submissions').select(SUBMISSION_COLS).where('definition_id', '=', definitionId).where('period', '=', period).where('unlocked_at', 'is', null).executeTakeFirst();
}

function fileNameOf(name: string, p: ReportPeriodRange): string {
  return `${safeFileName(name)}_${p.label}.xlsx`;
}

function labelFor(figures: readonly FigureView[], sheet: string, cell: string, d: Pick<LoadedDefinition, 'periodCell' | 'compiledCell'>): string | null {
  const f = figures.find((x) => x.sheet === sheet && x.cell === cell);
  if (f) return f.label;
  if (d.periodCell && d.periodCell.sheet === sheet && d.periodCell.cell === cell) return '資料期間';
  if (d.compiledCell && d.compiledCell.sheet === sheet && d.compiledCell.cell === cell) return '編製日期';
  return null;
}

export async function generate(db: Kysely<Database>, actor: Actor, definitionId: number, periodText: string, now: Date): Promise<GenerateResult> {
  const d = await loadDefinition(db, definitionId);
  const q = requireReportPeriod(d.frequency, periodText);
  const report = await generateReport(db, d, q, now);
  const key = q.key;
  const lock = await lockOf(db, definitionId, key);
  let locked: GenerateResult['locked'] = null;
  if (lock) {
    const snap = await db.selectFrom('report_submissions').select('file').where('id', '=', lock.id).executeTakeFirstOrThrow();
    let diff: CellDiffView[];
    try {
      diff = diffFilled(blob(snap.file), report.bytes).map((c) => ({ ...c, label: labelFor(report.figures, c.sheet, c.cell, d) }));
    } catch (e) {
      templateError(e);
    }
    const names = await userNames(db, [lock.submitted_by]);
    locked = { submittedAt: lock.submitted_at, submittedBy: nameOf(names, lock.submitted_by), sha256: lock.sha256, diff };
  }
  await auditOutsideCall(db, { actor, action: 'export', entity: 'report', entityId: definitionId, detail: { period: q.rocKey, sha256: report.sha256, locked: lock !== undefined, changedCells: locked?.diff.length ?? null } }, now);
  return {
    definitionId,
    period: q.rocKey,
    periodLabel: q.label,
    from: q.from,
    to: q.to,
    figures: report.figures,
    warnings: report.warnings,
    fileName: fileNameOf(d.row.name, q),
    fileBase64: toBase64(report.bytes),
    sha256: report.sha256,
    locked,
  };
}

export async function submit(db: Kysely<Database>, actor: Actor, definitionId: number, periodText: string, now: Date): Promise<PeriodStatusView> {
  const d = await loadDefinition(db, definitionId);
  const q = requireReportPeriod(d.frequency, periodText);
  const key = q.key;
  const already = await lockOf(db, definitionId, key);
  if (already) {
    throw new ApiError('RULE', `${q.label}已送出並鎖定，如需重新送出，請由管理者填寫原因解鎖後再送出。`);
  }
  const report = await generateReport(db, d, q, now);
  try {
    await inDeclaredWrite(db, async (trx) => {
      if (await lockOf(trx, definitionId, key)) throw new ApiError('CONFLICT', `${q.label}剛由其他人送出，請重新整理。`);
      const row = await trx
        .insertInto('report_submissions')
        .values({
          definition_id: definitionId,
          period: key,
          period_from: q.from,
          period_to: q.to,
          figures: JSON.stringify(report.figures),
          file: Buffer.from(report.bytes),
          sha256: report.sha256,
          template_sha256: d.template.sha256,
          submitted_at: now.toISOString(),
          submitted_by: actor.userId,
          unlocked_at: null,
          unlocked_by: null,
          unlock_reason: null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await appendAudit(
        trx,
        { actor, action: 'create', entity: 'report_submission', entityId: row.id, detail: { definitionId, period: q.rocKey, sha256: report.sha256, figures: report.figures.length } },
        now,
      );
    });
  } catch (e) {
    if (e instanceof Error && /UNIQUE/.test(e.message)) throw new ApiError('CONFLICT', `${q.label}剛由其他人送出，請重新整理。`);
    throw e;
  }
  return periodStatus(db, definitionId, q);
}

export async function unlock(db: Kysely<Database>, actor: Actor, definitionId: number, periodText: string, reason: string, now: Date): Promise<PeriodStatusView> {
  if (actor.role !== 'admin') throw new ApiError('FORBIDDEN', '只有管理者可以解鎖已送出的報表。');
  const d = await loadDefinition(db, definitionId);
  const q = requireReportPeriod(d.frequency, periodText);
  const text = reason.trim();
  if (text.length < 2) throw new ApiError('VALIDATION', '請填寫解鎖原因。', { fields: { reason: '請填寫解鎖原因' } });
  await inDeclaredWrite(db, async (trx) => {
    const lock = await lockOf(trx, definitionId, q.key);
    if (!lock) throw new ApiError('RULE', `${q.label}尚未送出，不需要解鎖。`);
    await trx.updateTable('report_submissions').set({ unlocked_at: now.toISOString(), unlocked_by: actor.userId, unlock_reason: text }).where('id', '=', lock.id).execute();
    await appendAudit(trx, { actor, action: 'update', entity: 'report_submission', entityId: lock.id, detail: { definitionId, period: q.rocKey, unlocked: true, reason: text } }, now);
  });
  return periodStatus(db, definitionId, q);
}

async function statusFrom(db: Kysely<Database>, definitionId: number, q: ReportPeriodRange, rows: readonly SubmissionRow[]): Promise<PeriodStatusView> {
  const names = await userNames(db, rows.flatMap((r) => [r.submitted_by, r.unlocked_by]));
  const sorted = [...rows].sort((a, b) => b.id - a.id);
  const state = sorted.length === 0 ? 'open' : sorted.some((r) => r.unlocked_at === null) ? 'locked' : 'unlocked';
  return {
    definitionId,
    period: q.rocKey,
    label: q.label,
    from: q.from,
    to: q.to,
    state,
    submissions: sorted.map((r) => ({
      id: r.id,
      submittedAt: r.submitted_at,
      submittedBy: nameOf(names, r.submitted_by),
      sha256: r.sha256,
      unlockedAt: r.unlocked_at,
      unlockedBy: r.unlocked_by === null ? null : nameOf(names, r.unlocked_by),
      unlockReason: r.unlock_reason,
    })),
  };
}

export async function periodStatus(db: Kysely<Database>, definitionId: number, q: ReportPeriodRange): Promise<PeriodStatusView> {
  const rows = await db.selectFrom('report_submissions').select(SUBMISSION_COLS).where('definition_id', '=', definitionId).where('period', '=', q.key).execute();
  return statusFrom(db, definitionId, q, rows);
}

/**
 * The last `count` periods of the definition's frequency up to the current one, plus any older period
 * with a submission; newest first.
 */
export async function periods(db: Kysely<Database>, definitionId: number, count: number, now: Date): Promise<PeriodStatusView[]> {
  const d = await loadDefinition(db, definitionId);
  const rows = await db.selectFrom('report_submissions').select(SUBMISSION_COLS).where('definition_id', '=', definitionId).execute();
  const ranges = new Map<string, ReportPeriodRange>();
  let q = reportPeriodOf(d.frequency, todayIso(now));
  for (let i = 0; i < count; i++) {
    ranges.set(q.key, q);
    q = shiftReportPeriod(q, -1);
  }
  for (const r of rows) {
    const range = parseReportPeriod(d.frequency, r.period);
    if (range && !ranges.has(range.key)) ranges.set(range.key, range);
  }
  const out: PeriodStatusView[] = [];
  for (const range of [...ranges.values()].sort((a, b) => (a.from < b.from ? 1 : -1))) {
    out.push(await statusFrom(db, definitionId, range, rows.filter((r) => r.period === range.key)));
  }
  return out;
}

export async function snapshot(db: Kysely<Database>, actor: Actor, definitionId: number, periodText: string, submissionId: number | undefined, now: Date): Promise<SnapshotView> {
  const d = await loadDefinition(db, definitionId);
  const q = requireReportPeriod(d.frequency, periodText);
  let query = db.selectFrom('report_submissions').select([...SUBMISSION_COLS, 'file']).where('definition_id', '=', definitionId).where('period', '=', q.key);
  query = submissionId !== undefined ? query.where('id', '=', submissionId) : query.where('unlocked_at', 'is', null);
  const row = await query.executeTakeFirst();
  if (!row) throw new ApiError('NOT_FOUND', `${q.label}沒有已送出的報表。`);
  const names = await userNames(db, [row.submitted_by]);
  await auditOutsideCall(db, { actor, action: 'export', entity: 'report_submission', entityId: row.id, detail: { definitionId, period: q.rocKey, sha256: row.sha256 } }, now);
  return {
    definitionId,
    period: q.rocKey,
    submittedAt: row.submitted_at,
    submittedBy: nameOf(names, row.submitted_by),
    figures: JSON.parse(row.figures) as FigureView[],
    fileName: fileNameOf(d.row.name, q),
    fileBase64: toBase64(blob(row.file)),
    sha256: row.sha256,
  };
}
