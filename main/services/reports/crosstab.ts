/**
 * Cross-tabulation (issue 4 §5): one indicator, one to three breakdowns, a period;
 * a table with row and column totals, optionally with small counts suppressed,
 * and its xlsx export.
 *
 * Totals are asked of the database, not added up: a family counted once in the
 * total may sit in two columns (a case in two 面向, a person served in two months).
 * Suppression hides cells under the threshold (a village-level 1 identifies a
 * family); totals are computed before suppression and the notes say so.
 */
import type * as ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { auditOutsideCall } from '../call-hooks';
import { ApiError } from '../../contract/envelope';
import { formatRocDateTime } from '../../contract/roc-date';
import { excelJs } from '../../lib/sheet-libraries';
import {
  INDICATOR_COUNTING_LABELS,
  REPORT_DIMENSION_LABELS,
  parsePeriod,
  type CrosstabCell,
  type CrosstabView,
  type ExportedFile,
  type IndicatorFilters,
  type PeriodInput,
  type ReportDimension,
} from '../../contract/types-reports';
import type { Actor } from '../context';
import { readSettings } from '../settings/service';
import { reportScope } from './access';
import { safeFileName, sha256Hex, toBase64 } from './common';
import { describeFigure, filterProblems } from './filters';
import { pick } from './indicators/engine';
import { labelOf, labelValues, type LabelMap } from './indicators/labels';
import { getIndicator } from './indicators/registry';
import { IndicatorInputError, toView, type Figure, type Indicator, type Keys } from './indicators/types';

export interface CrosstabInput {
  indicatorId: string;
  breakdowns: ReportDimension[];
  period: PeriodInput;
  filters?: IndicatorFilters | undefined;
  suppressBelow?: number | undefined;
}

function requireIndicator(id: string): Indicator {
  const ind = getIndicator(id);
  if (!ind) throw new ApiError('VALIDATION', `沒有「${id}」這個指標。`, { fields: { indicatorId: '沒有這個指標' } });
  return ind;
}

function cellOf(f: Figure, rate: boolean, suppressBelow: number | null): CrosstabCell {
  const size = rate ? (f.denominator ?? 0) : (f.value ?? 0);
  const base = f.numerator !== undefined ? { numerator: f.numerator, denominator: f.denominator ?? 0 } : {};
  if (suppressBelow !== null && size > 0 && size < suppressBelow) return { value: null, display: `<${suppressBelow}`, suppressed: true };
  if (f.value === null) return { value: null, display: '-', suppressed: false, ...base };
  return { value: f.value, display: rate ? f.value.toFixed(1) : String(f.value), suppressed: false, ...base };
}

function totalOf(f: Figure, rate: boolean): CrosstabCell {
  return cellOf(f, rate, null);
}

/** Builds the table for a resolved team scope (null: the whole center). */
export async function buildCrosstab(db: Kysely<Database>, input: CrosstabInput, teams: number[] | null): Promise<CrosstabView> {
  const ind = requireIndicator(input.indicatorId);
  const period = parsePeriod(input.period);
  if (!period) throw new ApiError('VALIDATION', '期間格式不正確。', { fields: { period: '期間格式不正確' } });
  const problems = filterProblems(ind, input.filters);
  for (const d of input.breakdowns) if (!ind.breakdowns.includes(d)) problems.push(`指標「${ind.name}」不能依「${REPORT_DIMENSION_LABELS[d]}」分類`);
  if (problems.length) throw new ApiError('VALIDATION', problems.join('；'), { fields: { breakdowns: problems[0] as string } });
  const rate = ind.counting === 'rate';
  const suppressBelow = input.suppressBelow ?? null;
  const dims = input.breakdowns;
  const colDim = dims.length > 1 ? (dims[dims.length - 1] as ReportDimension) : null;
  const rowDims = colDim ? dims.slice(0, -1) : dims;
  const base = { period: { from: period.from, to: period.to }, filters: input.filters ?? {}, teams };
  let main, rowTotals, colTotals;
  try {
    // One computation gives the cells and both margins; an indicator that does not offer margins is asked again.
    main = await ind.compute(db, { ...base, breakdown: dims, ...(colDim ? { margins: true } : {}) });
    const margins = main.margins;
    rowTotals = !colDim ? main : margins ? { ...main, breakdown: rowDims, rows: margins.rows } : await ind.compute(db, { ...base, breakdown: rowDims });
    colTotals = !colDim ? null : margins ? { ...main, breakdown: [colDim], rows: margins.columns } : await ind.compute(db, { ...base, breakdown: [colDim] });
  } catch (e) {
    if (e instanceof IndicatorInputError) throw new ApiError('VALIDATION', e.message);
    throw e;
  }

  const labels = new Map<ReportDimension, LabelMap>();
  for (const d of dims) labels.set(d, await labelValues(db, d, main.rows.map((r) => r.keys[d] ?? null)));

  const columns = colDim && colTotals ? colTotals.rows.map((r) => ({ key: r.keys[colDim] ?? null, label: labelOf(labels.get(colDim) as LabelMap, r.keys[colDim] ?? null) })) : [];
  let suppressedCount = 0;
  const rows = rowTotals.rows.map((rt) => {
    const keys = rowDims.map((d) => rt.keys[d] ?? null);
    const rowKeys: Keys = Object.fromEntries(rowDims.map((d, i) => [d, keys[i] ?? null]));
    const cells = colDim
      ? columns.map((c) => {
          const cell = cellOf(pick(main, { ...rowKeys, [colDim]: c.key }, rate), rate, suppressBelow);
          if (cell.suppressed) suppressedCount++;
          return cell;
        })
      : [];
    let total = totalOf({ value: rt.value, ...(rt.numerator !== undefined ? { numerator: rt.numerator, denominator: rt.denominator as number } : {}) }, rate);
    if (!colDim) {
      // One dimension: the row's figure is the cell itself, so it is suppressed like one.
      total = cellOf({ value: rt.value, ...(rt.numerator !== undefined ? { numerator: rt.numerator, denominator: rt.denominator as number } : {}) }, rate, suppressBelow);
      if (total.suppressed) suppressedCount++;
    }
    return { keys, labels: rowDims.map((d, i) => labelOf(labels.get(d) as LabelMap, keys[i] ?? null)), cells, total };
  });
  const columnTotals = colDim && colTotals ? colTotals.rows.map((r) => totalOf(r, rate)) : [];

  const notes: string[] = [];
  notes.push(`計算方式：${INDICATOR_COUNTING_LABELS[ind.counting]}。${ind.description}`);
  if (ind.counting === 'people' || ind.counting === 'households' || ind.counting === 'cases' || dims.includes('dimension')) {
    notes.push(dims.includes('dimension') ? '脆弱面向可複選，同一案件可能出現在多個面向；合計每案（人、戶）只計一次，不等於各欄加總。' : '同一對象可能出現在多列或多欄（如不同月份）；合計每個對象只計一次，不一定等於各欄加總。');
  }
  if (rate) notes.push('合計為整體比率（總分子 ÷ 總分母），不是各欄比率的平均。');
  if (suppressBelow !== null) notes.push(`為保護個資，數值（比率則為分母）大於 0 且小於 ${suppressBelow} 的儲存格以「<${suppressBelow}」表示；合計係以遮蔽前的數值計算。`);
  if (Object.keys(input.filters ?? {}).length) notes.push(`篩選條件：${(await describeFigure(db, ind, input.filters)).replace(ind.name, '').replace(/^（|）$/g, '')}`);
  if (teams) {
    const names = teams.length ? (await db.selectFrom('teams').select('name').where('id', 'in', teams).orderBy('id').execute()).map((t) => t.name) : [];
    notes.push(`統計範圍：${names.join('、') || '（無組別）'}。`);
  }

  return {
    indicator: toView(ind),
    period,
    breakdowns: dims,
    rowDimensions: rowDims,
    columnDimension: colDim,
    columns,
    rows,
    columnTotals,
    grandTotal: totalOf(main.total, rate),
    suppressBelow,
    suppressedCount,
    notes,
    scopedToTeams: teams !== null,
  };
}

export async function crosstab(db: Kysely<Database>, actor: Actor, input: CrosstabInput): Promise<CrosstabView> {
  const scope = await reportScope(db, actor);
  return buildCrosstab(db, input, scope.teams);
}

/** The table as a new xlsx (ExcelJS: a fresh workbook, so layout is ours). */
export async function crosstabWorkbook(view: CrosstabView, centerName: string, now: Date): Promise<Uint8Array> {
  const { Workbook } = await excelJs();
  const wb = new Workbook();
  wb.creator = centerName;
  wb.created = now;
  const ws = wb.addWorksheet('交叉分析', { pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  const stub = view.rowDimensions.length;
  const width = stub + (view.columnDimension ? view.columns.length : 0) + 1;
  const font = { name: '標楷體', size: 12 };
  const border = { top: { style: 'thin' as const }, left: { style: 'thin' as const }, bottom: { style: 'thin' as const }, right: { style: 'thin' as const } };

  const line = (text: string, opts: { bold?: boolean; size?: number; align?: 'left' | 'center' | 'right' } = {}) => {
    const row = ws.addRow([text]);
    ws.mergeCells(row.number, 1, row.number, Math.max(width, 1));
    const c = row.getCell(1);
    c.font = { ...font, bold: opts.bold ?? false, size: opts.size ?? 12 };
    c.alignment = { horizontal: opts.align ?? 'left', vertical: 'middle', wrapText: true };
    return row;
  };
  line(`${view.indicator.name}交叉分析`, { bold: true, size: 16, align: 'center' });
  line(/年/.test(view.period.label) ? `中華民國${view.period.label}` : `期間：${view.period.label}`, { align: 'center' });
  line(`單位：${view.indicator.unit}`, { align: 'right' });

  const headStyle = (c: ExcelJS.Cell) => {
    c.font = { ...font, bold: true };
    c.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    c.border = border;
    c.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEFEFEF' } };
  };
  const stubHeads = view.rowDimensions.map((d) => REPORT_DIMENSION_LABELS[d]);
  let headRow: ExcelJS.Row;
  if (view.columnDimension && view.columns.length > 0) {
    // Two header rows: the column dimension's name over its values; stub headings and 合計 span both.
    const top = ws.addRow([...stubHeads, REPORT_DIMENSION_LABELS[view.columnDimension], ...view.columns.slice(1).map(() => ''), '合計']);
    headRow = ws.addRow([...stubHeads.map(() => ''), ...view.columns.map((c) => c.label), '']);
    for (let i = 1; i <= width; i++) {
      headStyle(top.getCell(i));
      headStyle(headRow.getCell(i));
    }
    for (let i = 1; i <= stub; i++) ws.mergeCells(top.number, i, headRow.number, i);
    if (view.columns.length > 1) ws.mergeCells(top.number, stub + 1, top.number, stub + view.columns.length);
    ws.mergeCells(top.number, width, headRow.number, width);
  } else {
    headRow = ws.addRow([...stubHeads, view.columnDimension ? '合計' : view.indicator.name]);
    for (let i = 1; i <= width; i++) headStyle(headRow.getCell(i));
  }
  const value = (c: CrosstabCell): string | number => (c.suppressed ? c.display : c.value === null ? '-' : c.value);
  const numFmt = view.indicator.unit === '%' ? '0.0' : '#,##0';
  const addData = (labels: string[], cells: CrosstabCell[], total: CrosstabCell, bold = false) => {
    const row = ws.addRow([...labels, ...cells.map(value), value(total)]);
    row.eachCell({ includeEmpty: true }, (c, col) => {
      c.border = border;
      c.font = { ...font, bold };
      if (col > stub) {
        c.alignment = { horizontal: 'right', vertical: 'middle' };
        if (typeof c.value === 'number') c.numFmt = numFmt;
      } else c.alignment = { horizontal: 'left', vertical: 'middle' };
    });
  };
  for (const r of view.rows) addData(r.labels, r.cells, r.total);
  const totalLabels = view.rowDimensions.map((_, i) => (i === 0 ? '合計' : ''));
  addData(totalLabels.length ? totalLabels : ['合計'], view.columnTotals, view.grandTotal, true);
  if (stub > 1) ws.mergeCells(ws.rowCount, 1, ws.rowCount, stub);

  for (const n of view.notes) line(`註：${n}`, { size: 10 });
  line(`資料來源：${centerName}（社福中心工作台）。產製時間：${formatRocDateTime(now.toISOString())}。`, { size: 10 });

  for (let i = 1; i <= width; i++) ws.getColumn(i).width = i <= stub ? 18 : 12;
  ws.views = [{ state: 'frozen', xSplit: stub, ySplit: headRow.number }];
  const buf = await wb.xlsx.writeBuffer();
  return new Uint8Array(buf as ArrayBuffer);
}

export async function crosstabXlsx(db: Kysely<Database>, actor: Actor, input: CrosstabInput, now: Date): Promise<ExportedFile> {
  const scope = await reportScope(db, actor);
  const view = await buildCrosstab(db, input, scope.teams);
  const settings = await readSettings(db);
  const bytes = await crosstabWorkbook(view, settings.centerName, now);
  const sha = sha256Hex(bytes);
  await auditOutsideCall(db, { actor, action: 'export', entity: 'crosstab', entityId: input.indicatorId, detail: { indicatorId: input.indicatorId, breakdowns: input.breakdowns, period: view.period, filters: input.filters ?? {}, suppressBelow: view.suppressBelow, teams: scope.teams, sha256: sha } }, now);
  const dimText = view.breakdowns.map((d) => REPORT_DIMENSION_LABELS[d]).join('x');
  return {
    fileName: `${safeFileName(`${view.indicator.name}_${dimText}_${view.period.label}`)}.xlsx`,
    fileBase64: toBase64(bytes),
    mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    sha256: sha,
  };
}
