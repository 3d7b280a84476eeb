/**
 * Central templates and report definitions (issue 4 §3): an administrator imports
 * the xlsx the city sent, maps its cells to indicators and saves the form as a
 * definition; a definition travels between centers as one JSON file.
 */
import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { auditOutsideCall, inDeclaredWrite } from '../call-hooks';
import { ApiError } from '../../contract/envelope';
import {
  RELATIVE_PERIODS,
  RELATIVE_PERIOD_LABELS,
  REPORT_FREQUENCIES,
  REPORT_FREQUENCY_LABELS,
  parseReportPeriod,
  relativePeriodsFor,
  type RelativePeriod,
  type ReportFrequency,
} from '../../contract/report-periods';
import {
  DEFINITION_FILE_FORMAT,
  DEFINITION_FILE_VERSION,
  REPORT_DIMENSIONS,
  type CellFingerprintView,
  type DefinitionFile,
  type DefinitionSummary,
  type DefinitionView,
  type ExportedFile,
  type IndicatorFilters,
  type MappingInput,
  type MappingProblemView,
  type MappingView,
  type TemplateGrid,
  type TemplateView,
} from '../../contract/types-reports';
import { appendAudit } from '../audit/log';
import type { Actor } from '../context';
import { readSettings } from '../settings/service';
import { blob, decodeBase64, nameOf, safeFileName, sha256Hex, templateError, toBase64, userNames } from './common';
import { recogniseTemplate } from '../../contract/report-blocks';
import { unknownFilterValues } from './dimension-values';
import { canonicalFilters, describeFigure, filterProblems } from './filters';
import { fixedMonthProblem, fixedMonthWarning, requireReportPeriod } from './periods';
import { getIndicator } from './indicators/registry';
import { checkMapping, fingerprintCells, inspectWorkbook, normaliseCellAddress, type MappingProblem, type WorkbookModel } from './xlsx';

const TEMPLATE_NOT_FOUND = '找不到這個報表範本，可能已被刪除，請重新匯入。';
const DEFINITION_NOT_FOUND = '找不到這個報表定義，請重新整理。';

// ---------------------------------------------------------------------------
// Templates

interface TemplateRow {
  id: number;
  file_name: string;
  sha256: string;
  size: number;
  model: string;
  imported_at: string;
  imported_by: number | null;
}

function sheetSummaries(model: WorkbookModel): TemplateView['sheets'] {
  return model.sheets.map((s) => ({ name: s.name, index: s.index, kind: s.kind, state: s.state, dimension: s.dimension }));
}

async function templateView(db: Kysely<Database>, row: TemplateRow, reused = false): Promise<TemplateView> {
  const names = await userNames(db, [row.imported_by]);
  const model = JSON.parse(row.model) as WorkbookModel;
  return {
    id: row.id,
    fileName: row.file_name,
    sha256: row.sha256,
    size: row.size,
    sheets: sheetSummaries(model),
    importedAt: row.imported_at,
    importedBy: nameOf(names, row.imported_by),
    ...(reused ? { reused: true } : {}),
  };
}

const TEMPLATE_COLS = ['id', 'file_name', 'sha256', 'size', 'model', 'imported_at', 'imported_by'] as const;

/**
 * Inspects and stores a template file. A file that cannot be a template is refused
 * with the engine's zh-TW message and nothing is written; the same file imported
 * again is not stored twice.
 */
export async function storeTemplate(db: Kysely<Database>, actor: Actor, fileName: string, bytes: Uint8Array, now: Date): Promise<{ id: number; reused: boolean }> {
  let model: WorkbookModel;
  try {
    model = inspectWorkbook(bytes);
  } catch (e) {
    templateError(e);
  }
  if (!model.sheets.some((s) => s.kind === 'worksheet')) {
    throw new ApiError('VALIDATION', '這個活頁簿沒有可填寫的工作表（只有圖表工作表），無法作為報表範本。', { fields: { bytesBase64: '沒有工作表' } });
  }
  const sha = sha256Hex(bytes);
  return inDeclaredWrite(db, async (trx) => {
    const existing = await trx.selectFrom('report_templates').select('id').where('sha256', '=', sha).executeTakeFirst();
    if (existing) {
      await appendAudit(trx, { actor, action: 'import', entity: 'report_template', entityId: existing.id, detail: { fileName, sha256: sha, reused: true } }, now);
      return { id: existing.id, reused: true };
    }
    const row = await trx
      .insertInto('report_templates')
      .values({ file_name: fileName, sha256: sha, size: bytes.byteLength, bytes: Buffer.from(bytes), model: JSON.stringify(model), imported_at: now.toISOString(), imported_by: actor.userId })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(
      trx,
      { actor, action: 'import', entity: 'report_template', entityId: row.id, detail: { fileName, sha256: sha, size: bytes.byteLength, sheets: model.sheets.map((s) => s.name) } },
      now,
    );
    return { id: row.id, reused: false };
  });
}

export async function importTemplate(db: Kysely<Database>, actor: Actor, fileName: string, bytesBase64: string, now: Date): Promise<TemplateView> {
  const bytes = decodeBase64(bytesBase64, 'bytesBase64');
  const { id, reused } = await storeTemplate(db, actor, fileName, bytes, now);
  const row = await db.selectFrom('report_templates').select(TEMPLATE_COLS).where('id', '=', id).executeTakeFirstOrThrow();
  return templateView(db, row, reused);
}

export async function listTemplates(db: Kysely<Database>): Promise<TemplateView[]> {
  const rows = await db.selectFrom('report_templates').select(TEMPLATE_COLS).orderBy('id', 'desc').execute();
  return Promise.all(rows.map((r) => templateView(db, r)));
}

export async function templateGrid(db: Kysely<Database>, templateId: number): Promise<TemplateGrid> {
  const row = await db.selectFrom('report_templates').select(['id', 'file_name', 'model']).where('id', '=', templateId).executeTakeFirst();
  if (!row) throw new ApiError('NOT_FOUND', TEMPLATE_NOT_FOUND);
  const model = JSON.parse(row.model) as WorkbookModel;
  return { templateId: row.id, fileName: row.file_name, ...model, recognised: recogniseTemplate(model.sheets) };
}

export async function templateBytes(db: Kysely<Database>, templateId: number): Promise<{ bytes: Uint8Array; sha256: string; fileName: string }> {
  const row = await db.selectFrom('report_templates').select(['bytes', 'sha256', 'file_name']).where('id', '=', templateId).executeTakeFirst();
  if (!row) throw new ApiError('NOT_FOUND', TEMPLATE_NOT_FOUND);
  return { bytes: blob(row.bytes), sha256: row.sha256, fileName: row.file_name };
}

// ---------------------------------------------------------------------------
// Mappings: validation shared by save and import

export interface StoredMapping {
  sheet: string;
  cell: string;
  indicatorId: string;
  filters: IndicatorFilters;
  fingerprint: CellFingerprintView;
  /** Relative to the report's period (issue 13); absent (older callers, version-1 files): `report`. */
  period?: RelativePeriod | undefined;
}

export interface PeriodCell {
  sheet: string;
  cell: string;
  fingerprint: CellFingerprintView;
}

type ValidMapping = { sheet: string; cell: string; indicatorId: string; filters: IndicatorFilters; period: RelativePeriod };

/**
 * Checks indicators, filters, periods (each must fit the frequency), addresses and duplicates;
 * returns the mappings with normalised addresses.
 */
function validateMappings(
  mappings: readonly MappingInput[],
  periodCell: { sheet: string; cell: string } | null | undefined,
  frequency: ReportFrequency = 'quarter',
  compiledCell: { sheet: string; cell: string } | null | undefined = null,
): {
  mappings: ValidMapping[];
  periodCell: { sheet: string; cell: string } | null;
  compiledCell: { sheet: string; cell: string } | null;
} {
  const fields: Record<string, string> = {};
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const norm = (sheet: string, cell: string, path: string): string => {
    const a = normaliseCellAddress(cell);
    if (!a) {
      fields[`${path}.cell`] = '儲存格位置格式不正確';
      problems.push(`「${cell}」不是有效的儲存格位置`);
      return cell;
    }
    const key = `${sheet.toLowerCase()}!${a}`;
    const prev = seen.get(key);
    if (prev !== undefined) {
      fields[`${path}.cell`] = '儲存格重複對應';
      problems.push(`工作表「${sheet}」的 ${a} 對應了不只一次`);
    }
    seen.set(key, 0);
    return a;
  };
  const pc = periodCell ? { sheet: periodCell.sheet, cell: norm(periodCell.sheet, periodCell.cell, 'periodCell') } : null;
  const cc = compiledCell ? { sheet: compiledCell.sheet, cell: norm(compiledCell.sheet, compiledCell.cell, 'compiledCell') } : null;
  const allowed = relativePeriodsFor(frequency);
  const out = mappings.map((m, i) => {
    const cell = norm(m.sheet, m.cell, `mappings.${i}`);
    const ind = getIndicator(m.indicatorId);
    if (!ind) {
      fields[`mappings.${i}.indicatorId`] = '沒有這個指標';
      problems.push(`${m.sheet}!${cell}：沒有「${m.indicatorId}」這個指標`);
    } else {
      for (const p of filterProblems(ind, m.filters)) {
        fields[`mappings.${i}.filters`] ??= p;
        problems.push(`${m.sheet}!${cell}：${p}`);
      }
    }
    const period = m.period ?? 'report';
    if (!allowed.includes(period)) {
      const label = (RELATIVE_PERIOD_LABELS as Record<string, string>)[period] ?? period;
      fields[`mappings.${i}.period`] = `${REPORT_FREQUENCY_LABELS[frequency]}沒有「${label}」`;
      problems.push(`${m.sheet}!${cell}：${REPORT_FREQUENCY_LABELS[frequency]}沒有「${label}」這個統計期間`);
    }
    return { sheet: m.sheet, cell, indicatorId: m.indicatorId, filters: canonicalFilters(m.filters), period };
  });
  if (problems.length) {
    throw new ApiError('VALIDATION', `儲存格對應有誤：${problems.slice(0, 10).join('；')}${problems.length > 10 ? `…等 ${problems.length} 項` : ''}`, { fields, details: { problems } });
  }
  return { mappings: out, periodCell: pc, compiledCell: cc };
}

function problemView(p: MappingProblem): MappingProblemView {
  return { sheet: p.sheet, cell: p.cell, code: p.code, severity: p.severity, message: p.message, suggestedCell: p.suggestedCell };
}

/** The zh-TW refusal listing every error the mapping check found. */
export function mappingRefusal(problems: readonly MappingProblemView[], what: string): ApiError {
  const errors = problems.filter((p) => p.severity === 'error');
  const list = errors.map((p, i) => `${i + 1}. ${p.message}`).join('\n');
  return new ApiError('RULE', `${what}：範本的結構與儲存格對應不符，共 ${errors.length} 處，請修正對應或重新匯入正確的範本。\n${list}`, {
    details: { problems: errors },
  });
}

/** Fingerprints every mapped cell (and the period cell) on `bytes` and refuses cells that cannot take a value. */
function fingerprintAll(
  bytes: Uint8Array,
  mappings: readonly ValidMapping[],
  periodCell: { sheet: string; cell: string } | null,
  compiledCell: { sheet: string; cell: string } | null = null,
): { mappings: (StoredMapping & { period: RelativePeriod })[]; periodCell: PeriodCell | null; compiledCell: PeriodCell | null } {
  const cells = [...(periodCell ? [periodCell] : []), ...(compiledCell ? [compiledCell] : []), ...mappings];
  let fps: CellFingerprintView[];
  try {
    fps = fingerprintCells(bytes, cells);
  } catch (e) {
    templateError(e, 'mappings');
  }
  const withFp = cells.map((c, i) => ({ sheet: (fps[i] as CellFingerprintView).sheet, cell: c.cell, fingerprint: fps[i] as CellFingerprintView }));
  const problems = checkMapping(bytes, withFp).map(problemView);
  if (problems.some((p) => p.severity === 'error')) throw mappingRefusal(problems, '無法儲存');
  const pc = periodCell ? (withFp[0] as PeriodCell) : null;
  const cc = compiledCell ? (withFp[periodCell ? 1 : 0] as PeriodCell) : null;
  const rest = withFp.slice((periodCell ? 1 : 0) + (compiledCell ? 1 : 0));
  return {
    periodCell: pc,
    compiledCell: cc,
    mappings: mappings.map((m, i) => ({ ...m, sheet: (rest[i] as PeriodCell).sheet, fingerprint: (rest[i] as PeriodCell).fingerprint })),
  };
}

// ---------------------------------------------------------------------------
// Definitions

export interface SaveDefinitionInput {
  id?: number | undefined;
  version?: number | undefined;
  templateId: number;
  name: string;
  formNo: string;
  agency: string;
  deadline: string;
  periodCell?: { sheet: string; cell: string } | null | undefined;
  /** Absent: quarterly for a new definition, unchanged on update. */
  frequency?: ReportFrequency | undefined;
  /** The 編製日期 cell; absent: none for a new definition, unchanged on update; null: none. */
  compiledCell?: { sheet: string; cell: string } | null | undefined;
  mappings: MappingInput[];
  acceptTemplateChanges?: boolean | undefined;
}

async function assertNameFree(db: Kysely<Database>, name: string, exceptId: number | null): Promise<void> {
  let q = db.selectFrom('report_definitions').select('id').where('name', '=', name);
  if (exceptId !== null) q = q.where('id', '!=', exceptId);
  if (await q.executeTakeFirst()) throw new ApiError('RULE', `已有名為「${name}」的報表定義，請換一個名稱。`, { fields: { name: '名稱重複' } });
}

async function writeDefinition(
  trx: Kysely<Database>,
  actor: Actor,
  now: Date,
  target: { id: number; version: number } | null,
  form: { templateId: number; name: string; formNo: string; agency: string; deadline: string; frequency: ReportFrequency },
  periodCell: PeriodCell | null,
  mappings: readonly StoredMapping[],
  compiledCell: PeriodCell | null = null,
): Promise<number> {
  const ts = now.toISOString();
  const values = {
    template_id: form.templateId,
    name: form.name,
    form_no: form.formNo,
    agency: form.agency,
    deadline: form.deadline,
    period_sheet: periodCell?.sheet ?? null,
    period_cell: periodCell?.cell ?? null,
    period_fingerprint: periodCell ? JSON.stringify(periodCell.fingerprint) : null,
    frequency: form.frequency,
    compiled_sheet: compiledCell?.sheet ?? null,
    compiled_cell: compiledCell?.cell ?? null,
    compiled_fingerprint: compiledCell ? JSON.stringify(compiledCell.fingerprint) : null,
    updated_at: ts,
    updated_by: actor.userId,
  };
  let id: number;
  if (target) {
    const res = await trx
      .updateTable('report_definitions')
      .set({ ...values, version: target.version + 1 })
      .where('id', '=', target.id)
      .where('version', '=', target.version)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new ApiError('CONFLICT', '這個報表定義已被其他人修改，請重新載入後再儲存。');
    id = target.id;
    await trx.deleteFrom('report_mappings').where('definition_id', '=', id).execute();
  } else {
    id = (await trx.insertInto('report_definitions').values({ ...values, created_at: ts, created_by: actor.userId, version: 1 }).returning('id').executeTakeFirstOrThrow()).id;
  }
  for (let i = 0; i < mappings.length; i += 200) {
    await trx
      .insertInto('report_mappings')
      .values(
        mappings.slice(i, i + 200).map((m, j) => ({
          definition_id: id,
          seq: i + j + 1,
          sheet: m.sheet,
          cell: m.cell,
          indicator_id: m.indicatorId,
          filters: JSON.stringify(m.filters),
          fingerprint: JSON.stringify(m.fingerprint),
          period: m.period ?? 'report',
        })),
      )
      .execute();
  }
  return id;
}

/**
 * When a definition moves to another template, the mappings it keeps (same sheet
 * and cell) must still sit under the same row and column labels in the new file.
 */
async function assertNoDrift(
  db: Kysely<Database>,
  id: number,
  templateId: number,
  bytes: Uint8Array,
  valid: { mappings: { sheet: string; cell: string }[]; periodCell: { sheet: string; cell: string } | null },
): Promise<void> {
  const old = await db.selectFrom('report_definitions').select(['template_id']).where('id', '=', id).executeTakeFirst();
  if (!old || old.template_id === templateId) return;
  const before = await loadDefinition(db, id);
  const key = (c: { sheet: string; cell: string }) => `${c.sheet.toLowerCase()}!${c.cell}`;
  const oldBy = new Map<string, { sheet: string; cell: string; fingerprint: CellFingerprintView }>();
  for (const m of before.mappings) oldBy.set(key(m), m);
  if (before.periodCell) oldBy.set(key(before.periodCell), before.periodCell);
  const kept = [...(valid.periodCell ? [valid.periodCell] : []), ...valid.mappings].flatMap((c) => {
    const o = oldBy.get(key(c));
    return o ? [{ sheet: o.sheet, cell: o.cell, fingerprint: o.fingerprint }] : [];
  });
  let problems: MappingProblemView[];
  try {
    problems = checkMapping(bytes, kept).map(problemView);
  } catch (e) {
    templateError(e);
  }
  if (problems.some((p) => p.severity === 'error')) throw mappingRefusal(problems, '更換範本前請先確認');
}

export async function saveDefinition(db: Kysely<Database>, actor: Actor, input: SaveDefinitionInput, now: Date): Promise<DefinitionView> {
  const { bytes } = await templateBytes(db, input.templateId);
  // Absent frequency / 編製日期 cell on an update: as stored (a screen that does not show them keeps them).
  const stored =
    input.id !== undefined && (input.frequency === undefined || input.compiledCell === undefined)
      ? await db.selectFrom('report_definitions').select(['frequency', 'compiled_sheet', 'compiled_cell']).where('id', '=', input.id).executeTakeFirst()
      : undefined;
  const frequency = input.frequency ?? frequencyOf(stored?.frequency);
  const compiledCell =
    input.compiledCell !== undefined ? input.compiledCell : stored?.compiled_sheet && stored.compiled_cell ? { sheet: stored.compiled_sheet, cell: stored.compiled_cell } : null;
  const valid = validateMappings(input.mappings, input.periodCell, frequency, compiledCell);
  await assertKnownFilterValues(db, actor, valid.mappings);
  if (input.id !== undefined && !input.acceptTemplateChanges) await assertNoDrift(db, input.id, input.templateId, bytes, valid);
  const fp = fingerprintAll(bytes, valid.mappings, valid.periodCell, valid.compiledCell);
  const form = { templateId: input.templateId, name: input.name, formNo: input.formNo, agency: input.agency, deadline: input.deadline, frequency };
  const id = await inDeclaredWrite(db, async (trx) => {
    let target: { id: number; version: number } | null = null;
    let before: Record<string, unknown> | null = null;
    if (input.id !== undefined) {
      const row = await trx.selectFrom('report_definitions').selectAll().where('id', '=', input.id).executeTakeFirst();
      if (!row) throw new ApiError('NOT_FOUND', DEFINITION_NOT_FOUND);
      if (input.version !== undefined && input.version !== row.version) {
        throw new ApiError('CONFLICT', `這個報表定義已於 ${row.updated_at.slice(0, 16).replace('T', ' ')}（UTC）被修改，請重新載入後再儲存。`);
      }
      const count = await trx.selectFrom('report_mappings').select((eb) => eb.fn.countAll<number>().as('n')).where('definition_id', '=', row.id).executeTakeFirstOrThrow();
      before = { name: row.name, formNo: row.form_no, agency: row.agency, deadline: row.deadline, templateId: row.template_id, frequency: row.frequency, mappings: Number(count.n) };
      target = { id: row.id, version: row.version };
    }
    await assertNameFree(trx, input.name, target?.id ?? null);
    const defId = await writeDefinition(trx, actor, now, target, form, fp.periodCell, fp.mappings, fp.compiledCell);
    const after = { name: input.name, formNo: input.formNo, agency: input.agency, deadline: input.deadline, templateId: input.templateId, frequency, mappings: fp.mappings.length };
    await appendAudit(trx, { actor, action: target ? 'update' : 'create', entity: 'report_definition', entityId: defId, detail: before ? { before, after } : after }, now);
    return defId;
  });
  const view = await getDefinition(db, id);
  const warnings = await hiddenSheetWarnings(db, input.templateId, fp.mappings);
  return warnings.length ? { ...view, warnings } : view;
}

/** Refuses filter values that are none of their dimension's values, naming the cells (one query per dimension). */
async function assertKnownFilterValues(db: Kysely<Database>, actor: Actor, mappings: readonly { sheet: string; cell: string; filters: IndicatorFilters }[]): Promise<void> {
  const unknown = await unknownFilterValues(db, actor, mappings);
  if (unknown.length === 0) return;
  const fields: Record<string, string> = {};
  for (const u of unknown) fields[`mappings.${u.index}.filters`] ??= u.message;
  const problems = unknown.map((u) => u.message);
  throw new ApiError('VALIDATION', `儲存格對應有誤：${problems.slice(0, 10).join('；')}${problems.length > 10 ? `…等 ${problems.length} 項` : ''}`, { fields, details: { problems } });
}

/** One warning per hidden sheet that has mapped cells: figures written there are not seen in Excel. */
async function hiddenSheetWarnings(db: Kysely<Database>, templateId: number, mappings: readonly { sheet: string; cell: string }[]): Promise<MappingProblemView[]> {
  const row = await db.selectFrom('report_templates').select('model').where('id', '=', templateId).executeTakeFirst();
  if (!row) return [];
  const model = JSON.parse(row.model) as WorkbookModel;
  const out: MappingProblemView[] = [];
  for (const s of model.sheets) {
    if (s.state === 'visible') continue;
    const cells = mappings.filter((m) => m.sheet.toLowerCase() === s.name.toLowerCase()).map((m) => m.cell);
    if (cells.length === 0) continue;
    const list = cells.slice(0, 5).join('、') + (cells.length > 5 ? ` 等 ${cells.length} 格` : '');
    out.push({
      sheet: s.name,
      cell: cells[0] as string,
      code: 'hiddenSheet',
      severity: 'warning',
      message: `工作表「${s.name}」在範本中是隱藏的，對應在這張表的 ${list} 填入後，在 Excel 中看不到；已儲存，請確認這些儲存格是否應填在隱藏的工作表`,
      suggestedCell: null,
    });
  }
  return out;
}

interface DefinitionRow {
  id: number;
  template_id: number;
  name: string;
  form_no: string;
  agency: string;
  deadline: string;
  period_sheet: string | null;
  period_cell: string | null;
  period_fingerprint: string | null;
  frequency: string;
  compiled_sheet: string | null;
  compiled_cell: string | null;
  compiled_fingerprint: string | null;
  updated_at: string;
  updated_by: number | null;
  version: number;
}

export interface LoadedDefinition {
  row: DefinitionRow;
  frequency: ReportFrequency;
  /** Each with its period (`report` when none was stored). */
  mappings: StoredMapping[];
  periodCell: PeriodCell | null;
  /** The 編製日期 cell (issue 13), or null. */
  compiledCell: PeriodCell | null;
  template: { bytes: Uint8Array; sha256: string; fileName: string };
}

/** A stored frequency; anything unknown (none stored before migration 0022): quarterly. */
export function frequencyOf(text: string | null | undefined): ReportFrequency {
  return (REPORT_FREQUENCIES as readonly string[]).includes(text ?? '') ? (text as ReportFrequency) : 'quarter';
}

function relativeOf(text: string | null | undefined): RelativePeriod {
  return (RELATIVE_PERIODS as readonly string[]).includes(text ?? '') ? (text as RelativePeriod) : 'report';
}

export async function loadDefinition(db: Kysely<Database>, id: number): Promise<LoadedDefinition> {
  const row = await db.selectFrom('report_definitions').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('NOT_FOUND', DEFINITION_NOT_FOUND);
  const maps = await db.selectFrom('report_mappings').selectAll().where('definition_id', '=', id).orderBy('seq').execute();
  return {
    row,
    frequency: frequencyOf(row.frequency),
    mappings: maps.map((m) => ({
      sheet: m.sheet,
      cell: m.cell,
      indicatorId: m.indicator_id,
      filters: JSON.parse(m.filters) as IndicatorFilters,
      fingerprint: JSON.parse(m.fingerprint) as CellFingerprintView,
      period: relativeOf(m.period),
    })),
    periodCell:
      row.period_sheet && row.period_cell
        ? { sheet: row.period_sheet, cell: row.period_cell, fingerprint: JSON.parse(row.period_fingerprint ?? 'null') as CellFingerprintView }
        : null,
    compiledCell:
      row.compiled_sheet && row.compiled_cell
        ? { sheet: row.compiled_sheet, cell: row.compiled_cell, fingerprint: JSON.parse(row.compiled_fingerprint ?? 'null') as CellFingerprintView }
        : null,
    template: await templateBytes(db, row.template_id),
  };
}

async function lastSubmitted(db: Kysely<Database>, ids: number[], frequencies: Map<number, ReportFrequency>): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('report_submissions')
    .select(['definition_id', (eb) => eb.fn.max('period').as('period')])
    .where('definition_id', 'in', ids)
    .where('unlocked_at', 'is', null)
    .groupBy('definition_id')
    .execute();
  const out = new Map<number, string>();
  for (const r of rows) {
    const p = String(r.period);
    out.set(r.definition_id, parseReportPeriod(frequencies.get(r.definition_id) ?? 'quarter', p)?.rocKey ?? p);
  }
  return out;
}

export async function mappingViews(db: Kysely<Database>, mappings: readonly StoredMapping[]): Promise<MappingView[]> {
  const out: MappingView[] = [];
  for (const m of mappings) {
    const ind = getIndicator(m.indicatorId);
    out.push({
      sheet: m.sheet,
      cell: m.cell,
      indicatorId: m.indicatorId,
      filters: m.filters,
      period: m.period ?? 'report',
      label: ind ? await describeFigure(db, ind, m.filters) : `（未知指標 ${m.indicatorId}）`,
      unit: ind?.unit ?? '件',
      fingerprint: m.fingerprint,
    });
  }
  return out;
}

export async function getDefinition(db: Kysely<Database>, id: number): Promise<DefinitionView> {
  const d = await loadDefinition(db, id);
  const [summary] = await summaries(db, [d.row.id]);
  if (!summary) throw new ApiError('NOT_FOUND', DEFINITION_NOT_FOUND);
  return { ...summary, templateSha256: d.template.sha256, periodCell: d.periodCell, compiledCell: d.compiledCell, mappings: await mappingViews(db, d.mappings) };
}

async function summaries(db: Kysely<Database>, ids?: number[]): Promise<DefinitionSummary[]> {
  let q = db
    .selectFrom('report_definitions as d')
    .innerJoin('report_templates as t', 't.id', 'd.template_id')
    .select(['d.id', 'd.name', 'd.form_no', 'd.agency', 'd.deadline', 'd.template_id', 't.file_name', 'd.updated_at', 'd.updated_by', 'd.version', 'd.frequency'])
    .select((eb) => eb.selectFrom('report_mappings as m').select((e) => e.fn.countAll<number>().as('n')).whereRef('m.definition_id', '=', 'd.id').as('mapping_count'))
    .orderBy('d.name');
  if (ids) q = q.where('d.id', 'in', ids);
  const rows = await q.execute();
  const names = await userNames(db, rows.map((r) => r.updated_by));
  const last = await lastSubmitted(db, rows.map((r) => r.id), new Map(rows.map((r) => [r.id, frequencyOf(r.frequency)])));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    formNo: r.form_no,
    agency: r.agency,
    deadline: r.deadline,
    templateId: r.template_id,
    templateFileName: r.file_name,
    mappingCount: Number(r.mapping_count ?? 0),
    updatedAt: r.updated_at,
    updatedBy: nameOf(names, r.updated_by),
    version: r.version,
    lastSubmitted: last.get(r.id) ?? null,
    frequency: frequencyOf(r.frequency),
  }));
}

export function listDefinitions(db: Kysely<Database>): Promise<DefinitionSummary[]> {
  return summaries(db);
}

/** The mapping check against the stored template (what generate runs first). */
export function checkLoaded(d: {
  mappings: readonly PeriodCell[];
  periodCell: PeriodCell | null;
  compiledCell?: PeriodCell | null | undefined;
  template: LoadedDefinition['template'];
}): MappingProblemView[] {
  const all = [...(d.periodCell ? [d.periodCell] : []), ...(d.compiledCell ? [d.compiledCell] : []), ...d.mappings];
  try {
    return checkMapping(d.template.bytes, all).map(problemView);
  } catch (e) {
    templateError(e);
  }
}

/**
 * The mapping check; with `periodText` (a period of the definition's frequency) also the cells whose
 * fixed month filter falls outside the period their cell counts (what generate refuses), and without
 * it a warning naming the cells whose month filter is fixed at all (right for one period only).
 */
export async function checkDefinition(db: Kysely<Database>, id: number, periodText?: string): Promise<MappingProblemView[]> {
  const d = await loadDefinition(db, id);
  const problems = checkLoaded(d);
  if (periodText !== undefined) {
    const range = requireReportPeriod(d.frequency, periodText);
    const fixed = fixedMonthProblem(d.mappings, range);
    if (fixed) problems.push(fixed);
  } else {
    const fixed = fixedMonthWarning(d.mappings);
    if (fixed) problems.push(fixed);
  }
  return problems;
}

// ---------------------------------------------------------------------------
// Export and import between centers

const fingerprintSchema = z.strictObject({
  sheet: z.string().max(31),
  cell: z.string().max(12),
  rowLabel: z.string().max(32_767).nullable(),
  rowLabelCell: z.string().max(12).nullable(),
  columnLabel: z.string().max(32_767).nullable(),
  columnLabelCell: z.string().max(12).nullable(),
  styleId: z.number().int().min(0).nullable(),
});

const fileFilters = z.partialRecord(z.enum(REPORT_DIMENSIONS), z.union([z.string().max(40), z.array(z.string().max(40)).max(200)]));

const fileCell = z.strictObject({ sheet: z.string().min(1).max(31), cell: z.string().min(2).max(12), fingerprint: fingerprintSchema });

/**
 * The definition file (docs/report-definition.md): version 2 (issue 13) adds `frequency`,
 * `compiledCell` and each mapping's `period`; version 1 files (quarterly, whole-period cells) still read.
 */
export const definitionFileSchema = z.strictObject({
  format: z.literal(DEFINITION_FILE_FORMAT),
  version: z.union([z.literal(1), z.literal(DEFINITION_FILE_VERSION)]),
  exportedAt: z.string().max(40),
  exportedFrom: z.string().max(200),
  form: z.strictObject({
    name: z.string().trim().min(1).max(80),
    formNo: z.string().trim().min(1).max(40),
    agency: z.string().trim().min(1).max(80),
    deadline: z.string().trim().min(1).max(80),
  }),
  template: z.strictObject({
    fileName: z.string().min(1).max(200),
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    size: z.number().int().min(1),
    base64: z.string().min(4),
  }),
  periodCell: fileCell.nullable(),
  mappings: z
    .array(
      z.strictObject({
        sheet: z.string().min(1).max(31),
        cell: z.string().min(2).max(12),
        indicatorId: z.string().min(1).max(60),
        filters: fileFilters,
        fingerprint: fingerprintSchema,
        period: z.enum(RELATIVE_PERIODS).optional(),
      }),
    )
    .min(1)
    .max(2000),
  frequency: z.enum(REPORT_FREQUENCIES).optional(),
  compiledCell: fileCell.nullable().optional(),
});

export async function buildDefinitionFile(db: Kysely<Database>, id: number): Promise<{ file: DefinitionFile; name: string }> {
  const d = await loadDefinition(db, id);
  const settings = await readSettings(db);
  const file: DefinitionFile = {
    format: DEFINITION_FILE_FORMAT,
    version: DEFINITION_FILE_VERSION,
    exportedAt: new Date().toISOString(),
    exportedFrom: settings.centerName,
    form: { name: d.row.name, formNo: d.row.form_no, agency: d.row.agency, deadline: d.row.deadline },
    template: { fileName: d.template.fileName, sha256: d.template.sha256, size: d.template.bytes.byteLength, base64: toBase64(d.template.bytes) },
    periodCell: d.periodCell,
    mappings: d.mappings,
    frequency: d.frequency,
    compiledCell: d.compiledCell,
  };
  return { file, name: d.row.name };
}

export async function exportDefinition(db: Kysely<Database>, actor: Actor, id: number, now: Date): Promise<ExportedFile> {
  const { file, name } = await buildDefinitionFile(db, id);
  file.exportedAt = now.toISOString();
  const text = `${JSON.stringify(file, null, 2)}\n`;
  const sha = sha256Hex(text);
  await auditOutsideCall(db, { actor, action: 'export', entity: 'report_definition', entityId: id, detail: { name, sha256: sha, templateSha256: file.template.sha256 } }, now);
  return { fileName: `${safeFileName(name)}.報表定義.json`, text, mimeType: 'application/json', sha256: sha };
}

/**
 * Reads and checks a definition file: JSON, format and version, the embedded
 * template (its SHA-256 and that it opens), the indicators and filters, and the
 * mappings against the embedded template. Throws a zh-TW ApiError; never writes.
 */
export function parseDefinitionFile(json: string): { file: DefinitionFile; bytes: Uint8Array } {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new ApiError('VALIDATION', '這不是報表定義檔（內容不是有效的 JSON）。請選擇由本系統「匯出報表定義」產生的 .json 檔。', { fields: { json: '不是 JSON' } });
  }
  const head = raw as { format?: unknown; version?: unknown } | null;
  if (!head || typeof head !== 'object' || head.format !== DEFINITION_FILE_FORMAT) {
    throw new ApiError('VALIDATION', '這不是本系統的報表定義檔（缺少格式標記）。請選擇由「匯出報表定義」產生的 .json 檔。', { fields: { json: '格式不符' } });
  }
  if (typeof head.version === 'number' && head.version > DEFINITION_FILE_VERSION) {
    throw new ApiError('VALIDATION', `這個報表定義檔是較新版本的系統匯出的（第 ${head.version} 版，本系統只認得第 ${DEFINITION_FILE_VERSION} 版）。請先更新系統再匯入。`, { fields: { json: '版本較新' } });
  }
  const parsed = definitionFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.map(String).join('.') : '';
    throw new ApiError('VALIDATION', `報表定義檔的內容不完整或格式有誤（${where || '檔案'}）。檔案可能被手動修改過，請重新匯出一份。`, { fields: { json: where } });
  }
  const file = parsed.data as DefinitionFile;
  const bytes = decodeBase64(file.template.base64, 'json');
  if (bytes.byteLength !== file.template.size || sha256Hex(bytes) !== file.template.sha256) {
    throw new ApiError('VALIDATION', '報表定義檔內的範本與它記錄的 SHA-256 不符，檔案可能已損毀或被修改。請向提供者重新索取。', { fields: { json: 'SHA-256 不符' } });
  }
  try {
    inspectWorkbook(bytes);
  } catch (e) {
    templateError(e, 'json');
  }
  const unknown = [...new Set(file.mappings.map((m) => m.indicatorId).filter((i) => !getIndicator(i)))];
  if (unknown.length) {
    throw new ApiError('VALIDATION', `報表定義檔使用了本系統沒有的指標：${unknown.join('、')}。請先更新系統再匯入。`, { details: { unknownIndicators: unknown } });
  }
  const problems: string[] = [];
  for (const m of file.mappings) for (const p of filterProblems(getIndicator(m.indicatorId) as NonNullable<ReturnType<typeof getIndicator>>, m.filters)) problems.push(`${m.sheet}!${m.cell}：${p}`);
  if (problems.length) throw new ApiError('VALIDATION', `報表定義檔的篩選條件有誤：${problems.join('；')}`, { details: { problems } });
  const frequency = file.frequency ?? 'quarter';
  const allowed = relativePeriodsFor(frequency);
  const wrong = file.mappings.filter((m) => !allowed.includes(m.period ?? 'report')).map((m) => `${m.sheet}!${m.cell}：${REPORT_FREQUENCY_LABELS[frequency]}沒有「${RELATIVE_PERIOD_LABELS[m.period ?? 'report']}」這個統計期間`);
  if (wrong.length) throw new ApiError('VALIDATION', `報表定義檔的統計期間有誤：${wrong.join('；')}`, { details: { problems: wrong } });
  const check = checkLoaded({
    mappings: file.mappings,
    periodCell: file.periodCell,
    compiledCell: file.compiledCell ?? null,
    template: { bytes, sha256: file.template.sha256, fileName: file.template.fileName },
  });
  if (check.some((p) => p.severity === 'error')) throw mappingRefusal(check, '無法匯入');
  return { file, bytes };
}

export async function importDefinition(db: Kysely<Database>, actor: Actor, input: { json: string; name?: string | undefined; fileName?: string | undefined }, now: Date): Promise<DefinitionView> {
  const { file, bytes } = parseDefinitionFile(input.json);
  const name = input.name ?? file.form.name;
  await assertNameFree(db, name, null);
  const frequency = file.frequency ?? 'quarter';
  const valid = validateMappings(file.mappings, file.periodCell, frequency, file.compiledCell ?? null);
  const fp = fingerprintAll(bytes, valid.mappings, valid.periodCell, valid.compiledCell);
  const { id: templateId } = await storeTemplate(db, actor, file.template.fileName, bytes, now);
  const id = await inDeclaredWrite(db, async (trx) => {
    await assertNameFree(trx, name, null);
    const defId = await writeDefinition(
      trx,
      actor,
      now,
      null,
      { templateId, name, formNo: file.form.formNo, agency: file.form.agency, deadline: file.form.deadline, frequency },
      fp.periodCell,
      fp.mappings,
      fp.compiledCell,
    );
    await appendAudit(
      trx,
      {
        actor,
        action: 'import',
        entity: 'report_definition',
        entityId: defId,
        detail: { name, fileName: input.fileName ?? null, exportedFrom: file.exportedFrom, exportedAt: file.exportedAt, templateSha256: file.template.sha256, frequency, mappings: fp.mappings.length },
      },
      now,
    );
    return defId;
  });
  return getDefinition(db, id);
}
