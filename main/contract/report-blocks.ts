/**
 * Mapping a block of a central template in one step (issue 13 §1): row and column labels matched
 * to the values of a dimension, a block planned into one mapping per cell, mappings copied along
 * a row or down a column. Pure: shared by the main process and the renderer.
 */
import type { RelativePeriod, ReportFrequency } from './report-periods';
import { REPORT_DIMENSION_LABELS, type IndicatorFilters, type MappingInput, type RecognisedSheet, type RecognisedValueCell, type ReportDimension } from './types-reports';

// ---------------------------------------------------------------------------
// Dimension values (what `reports.dimensionValues` answers)

/** One value a filter of a dimension may take. */
export interface DimensionValue {
  /** What is stored in the filter: a code, an id, a closed-list value. */
  value: string;
  /** zh-TW name shown in pick lists (a district's or 村里's name, a worker's name, 家庭經濟陷困, ...). */
  label: string;
  /** A code shown beside the name (districts and 村里: the division code). */
  code?: string;
  /** The enclosing unit's name (a 村里's district), shown beside the label and usable in a row label. */
  group?: string;
  /** No longer current (a merged 村里, a disabled worker): matched only when nothing current matches. */
  retired?: boolean;
}

// ---------------------------------------------------------------------------
// Cell addresses

export interface CellPos {
  row: number;
  col: number;
}

export interface BlockRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

const MAX_ROW = 1048576;
const MAX_COL = 16384;

export function colLetters(col: number): string {
  let s = '';
  let n = col;
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export function cellAddress(row: number, col: number): string {
  return `${colLetters(col)}${row}`;
}

/** `B10`, `$b$10` → { row: 10, col: 2 }; null when not an address inside the grid. */
export function parseCell(address: string): CellPos | null {
  const m = /^\$?([A-Za-z]{1,3})\$?([1-9]\d{0,6})$/.exec(address.trim());
  if (!m) return null;
  let col = 0;
  for (const ch of (m[1] as string).toUpperCase()) col = col * 26 + (ch.charCodeAt(0) - 64);
  const row = Number(m[2]);
  if (row > MAX_ROW || col > MAX_COL) return null;
  return { row, col };
}

/** `B10:H16` (either corner first) or one cell `B10`; null when not a range. */
export function parseBlockRange(range: string): BlockRange | null {
  const parts = range.trim().split(':');
  if (parts.length > 2) return null;
  const a = parseCell(parts[0] ?? '');
  const b = parts.length === 2 ? parseCell(parts[1] ?? '') : a;
  if (!a || !b) return null;
  return { top: Math.min(a.row, b.row), left: Math.min(a.col, b.col), bottom: Math.max(a.row, b.row), right: Math.max(a.col, b.col) };
}

// ---------------------------------------------------------------------------
// Labels

/** 總計, 合計, ...: a row or column with no filter on the axis' dimension. */
export const TOTAL_LABELS = ['總計', '合計', '小計', '全部', '總數', '共計', '總和', '全市', '全區'] as const;

/** Ideographic, ASCII and full-width brackets (after NFKC they are ASCII or CJK brackets). */
const TRAILING_PAREN = /[(（[【〔［]([^()（）[\]【】〔〕［］]*)[)）\]】〕］]$/u;
const LEADING_ENUM = /^(?:[(（]?[一二三四五六七八九十]+[)）、.．]|[(（]\d{1,2}[)）]|\d{1,2}[、.．](?!\d))/u;

/**
 * A label reduced for comparison: full-width → half-width (NFKC), spaces (also ideographic),
 * line breaks, a leading enumerator (`一、`, `(一)`, `1.`), trailing units in parentheses
 * (`(%)`, `(元)`, `（人次）`) and punctuation dropped; Latin letters in lower case.
 */
export function normaliseLabel(text: string | null | undefined): string {
  if (text === null || text === undefined) return '';
  let s = String(text).normalize('NFKC').replace(/\s+/gu, '');
  for (let i = 0; i < 3; i++) {
    const next = s.replace(TRAILING_PAREN, '');
    if (next === s || next === '') break;
    s = next;
  }
  const stripped = s.replace(LEADING_ENUM, '');
  if (stripped !== '') s = stripped;
  return s.replace(/[\p{P}\p{S}]/gu, '').toLowerCase();
}

export function isTotalLabel(text: string | null | undefined): boolean {
  const n = normaliseLabel(text);
  return (TOTAL_LABELS as readonly string[]).includes(n);
}

export type LabelMatchStatus = 'matched' | 'total' | 'unmatched' | 'ambiguous' | 'empty';

export interface LabelMatch {
  /** The label's cell (`A11`). */
  cell: string;
  text: string;
  status: LabelMatchStatus;
  /** The matched value; null for a total (no filter), an unmatched, ambiguous or empty label. */
  value: string | null;
  /** How it matched: the value's name, its code or value, or the name contained in the label (or the label in the name). */
  via: 'name' | 'code' | 'contains' | null;
  /** The matched value, or the candidates of an ambiguous label. */
  candidates: DimensionValue[];
  /** zh-TW, for anything but a clean match: 「A17：「其他服務」對不到任何值」. */
  message: string | null;
}

/**
 * Matches row or column labels to the values of a dimension: the same normalised name (or the
 * district and name of a 村里), the code or stored value, else the one value whose name contains
 * the label or is contained in it. 總計/合計/小計/全部 are totals (no filter). Current values win
 * over retired ones; a label that still fits several values is ambiguous and lists them.
 */
export function matchLabels(labels: readonly { cell: string; text: string }[], values: readonly DimensionValue[], dimension?: ReportDimension): LabelMatch[] {
  const what = dimension ? REPORT_DIMENSION_LABELS[dimension] : '清單';
  const prepared = values.map((v) => ({
    v,
    name: normaliseLabel(v.label),
    full: v.group ? normaliseLabel(`${v.group}${v.label}`) : null,
    code: v.code ? normaliseLabel(v.code) : null,
    value: normaliseLabel(v.value),
  }));
  const pick = (found: typeof prepared): typeof prepared => {
    if (found.length <= 1) return found;
    const current = found.filter((f) => !f.v.retired);
    return current.length > 0 ? current : found;
  };
  return labels.map(({ cell, text }): LabelMatch => {
    const n = normaliseLabel(text);
    const base = { cell, text, value: null, via: null, candidates: [] as DimensionValue[] };
    if (n === '') return { ...base, status: 'empty', message: null };
    if ((TOTAL_LABELS as readonly string[]).includes(n)) return { ...base, status: 'total', message: null };
    const tiers: [LabelMatch['via'], typeof prepared][] = [
      ['name', prepared.filter((p) => p.name === n || p.full === n)],
      ['code', prepared.filter((p) => p.code === n || p.value === n)],
      // Containment needs two characters on both sides: 男 is in too many labels to mean anything.
      ['contains', n.length < 2 ? [] : prepared.filter((p) => p.name.length >= 2 && (n.includes(p.name) || p.name.includes(n) || (p.full !== null && n.includes(p.full))))],
    ];
    for (const [via, found] of tiers) {
      const chosen = pick(found);
      if (chosen.length === 1) {
        const v = (chosen[0] as (typeof prepared)[number]).v;
        return { ...base, status: 'matched', value: v.value, via, candidates: [v], message: null };
      }
      if (chosen.length > 1) {
        // Containment: the longest contained name may still be unique (面訪家庭 in 面訪家庭（含陪同）).
        if (via === 'contains') {
          const longest = Math.max(...chosen.map((c) => c.name.length));
          const best = chosen.filter((c) => c.name.length === longest && n.includes(c.name));
          if (best.length === 1) {
            const v = (best[0] as (typeof prepared)[number]).v;
            return { ...base, status: 'matched', value: v.value, via, candidates: [v], message: null };
          }
        }
        const candidates = chosen.map((c) => c.v);
        const names = candidates.slice(0, 5).map((c) => (c.group ? `${c.group}${c.label}` : c.label) + (c.code ? `（${c.code}）` : ''));
        return {
          ...base,
          status: 'ambiguous',
          candidates,
          message: `${cell}：「${text.trim()}」可能是${what}的 ${names.join('、')}${candidates.length > 5 ? ` 等 ${candidates.length} 個值` : ''}，請選擇`,
        };
      }
    }
    return { ...base, status: 'unmatched', message: `${cell}：「${text.trim()}」對不到${what}的任何值，請從清單選擇或略過` };
  });
}

/** The grid as far as the labels are concerned (structurally TemplateGridSheet). */
export interface LabelSheet {
  cells: readonly { address: string; row: number; col: number; text: string; type: string; hasFormula: boolean }[];
  merges: readonly { top: number; left: number; bottom: number; right: number }[];
}

/**
 * The label of each row (`rows`) or column (`cols`) of `range`: the nearest text cell to the left
 * of the row (above the column), reading a merged header's value from its top-left cell. Numbers
 * and formulas are not labels. A row or column without a label gets `{ cell: '', text: '' }`.
 */
export function axisLabels(sheet: LabelSheet, range: string, axis: 'rows' | 'cols'): { cell: string; text: string }[] {
  const r = parseBlockRange(range);
  if (!r) return [];
  const byAddr = new Map<string, LabelSheet['cells'][number]>();
  for (const c of sheet.cells) byAddr.set(`${c.row}:${c.col}`, c);
  const labelAt = (row: number, col: number): { cell: string; text: string } | null => {
    const m = sheet.merges.find((g) => row >= g.top && row <= g.bottom && col >= g.left && col <= g.right);
    const [tr, tc] = m ? [m.top, m.left] : [row, col];
    const c = byAddr.get(`${tr}:${tc}`);
    if (!c || c.hasFormula || c.type !== 'string' || c.text.trim() === '') return null;
    return { cell: cellAddress(tr, tc), text: c.text };
  };
  const out: { cell: string; text: string }[] = [];
  if (axis === 'rows') {
    for (let row = r.top; row <= r.bottom; row++) {
      let found: { cell: string; text: string } | null = null;
      for (let col = r.left - 1; col >= 1 && !found; col--) found = labelAt(row, col);
      out.push(found ?? { cell: '', text: '' });
    }
  } else {
    for (let col = r.left; col <= r.right; col++) {
      let found: { cell: string; text: string } | null = null;
      for (let row = r.top - 1; row >= 1 && !found; row--) found = labelAt(row, col);
      out.push(found ?? { cell: '', text: '' });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Blocks

/** Rows (or columns) that are values of a dimension; null: a total (no filter on it). */
export interface DimensionAxis {
  kind: 'dimension';
  dimension: ReportDimension;
  values: (string | string[] | null)[];
}

/** Rows (or columns) that are indicators; null: skip this row or column. Each may carry its own filters. */
export interface IndicatorAxis {
  kind: 'indicators';
  indicatorIds: (string | null)[];
  filters?: (IndicatorFilters | null | undefined)[];
}

/** Rows (or columns) that are periods relative to the report's (month 1, 2, 3 of the quarter, ...). */
export interface PeriodAxis {
  kind: 'periods';
  periods: (RelativePeriod | null)[];
}

export type BlockAxis = DimensionAxis | IndicatorAxis | PeriodAxis;

export interface BlockSpec {
  sheet: string;
  /** `B10:H16`. */
  range: string;
  rows: BlockAxis;
  cols: BlockAxis;
  /** The indicator of every cell when neither axis is indicators. */
  indicatorId?: string;
  /** Filters of every cell of the block. */
  filters?: IndicatorFilters;
  /** The period of every cell (unless an axis is periods). */
  period?: RelativePeriod;
}

export type BlockProblemCode =
  | 'range'
  | 'axisLength'
  | 'noIndicator'
  | 'twoIndicators'
  | 'unknownIndicator'
  | 'filterNotAllowed'
  | 'filterConflict'
  | 'formula'
  | 'twoPeriods';

export interface BlockProblem {
  /** The cell concerned, or null for the whole block. */
  cell: string | null;
  code: BlockProblemCode;
  /** An error means the cell (or block) gets no mapping; a warning that it was skipped on purpose. */
  severity: 'error' | 'warning';
  message: string;
}

export interface BlockPlan {
  mappings: MappingInput[];
  problems: BlockProblem[];
}

export interface PlanOptions {
  /** The sheet's cells: cells holding a formula are skipped (and said so). */
  cells?: readonly { address: string; hasFormula: boolean }[];
  /** The indicator library: unknown indicators and filters an indicator does not take are refused. */
  indicators?: readonly { id: string; name: string; breakdowns: readonly ReportDimension[] }[];
}

function asList(v: string | string[]): string[] {
  return Array.isArray(v) ? v : [v];
}

/** Merges filters; the same dimension in both keeps the values common to both (null when none is). */
export function mergeFilters(a: IndicatorFilters | undefined, b: IndicatorFilters | undefined): { filters: IndicatorFilters; conflict: ReportDimension | null } {
  const out: IndicatorFilters = { ...(a ?? {}) };
  for (const [dim, v] of Object.entries(b ?? {}) as [ReportDimension, string | string[] | undefined][]) {
    if (v === undefined) continue;
    const prev = out[dim];
    if (prev === undefined) {
      out[dim] = Array.isArray(v) ? [...v] : v;
      continue;
    }
    const keep = asList(prev).filter((x) => asList(v).includes(x));
    if (keep.length === 0) return { filters: out, conflict: dim };
    out[dim] = keep.length === 1 ? (keep[0] as string) : keep;
  }
  return { filters: out, conflict: null };
}

interface AxisEntry {
  skip: boolean;
  indicatorId: string | null;
  filters: IndicatorFilters;
  period: RelativePeriod | null;
}

function axisEntry(axis: BlockAxis, i: number): AxisEntry {
  switch (axis.kind) {
    case 'dimension': {
      const v = axis.values[i];
      return { skip: false, indicatorId: null, filters: v === null || v === undefined || (Array.isArray(v) && v.length === 0) ? {} : { [axis.dimension]: v }, period: null };
    }
    case 'indicators': {
      const id = axis.indicatorIds[i] ?? null;
      return { skip: id === null, indicatorId: id, filters: axis.filters?.[i] ?? {}, period: null };
    }
    case 'periods': {
      const p = axis.periods[i] ?? null;
      return { skip: false, indicatorId: null, filters: {}, period: p };
    }
  }
}

function axisLength(axis: BlockAxis): number {
  return axis.kind === 'dimension' ? axis.values.length : axis.kind === 'indicators' ? axis.indicatorIds.length : axis.periods.length;
}

/**
 * One mapping per cell of the block: the indicator from the axis that gives one (or the block's),
 * the filters of the block, the row and the column merged, the period of the periods axis or the
 * block. Cells holding a formula are skipped with a warning; an indicator row or column set to
 * null is skipped silently. Cells that cannot be mapped are listed as errors and left out.
 */
export function planBlock(spec: BlockSpec, options: PlanOptions = {}): BlockPlan {
  const problems: BlockProblem[] = [];
  const mappings: MappingInput[] = [];
  const r = parseBlockRange(spec.range);
  if (!r) return { mappings, problems: [{ cell: null, code: 'range', severity: 'error', message: `「${spec.range}」不是有效的儲存格範圍（例如 B10:H16）` }] };
  const nRows = r.bottom - r.top + 1;
  const nCols = r.right - r.left + 1;
  if (axisLength(spec.rows) !== nRows) {
    problems.push({ cell: null, code: 'axisLength', severity: 'error', message: `範圍 ${spec.range} 有 ${nRows} 列，列的設定卻有 ${axisLength(spec.rows)} 項` });
  }
  if (axisLength(spec.cols) !== nCols) {
    problems.push({ cell: null, code: 'axisLength', severity: 'error', message: `範圍 ${spec.range} 有 ${nCols} 欄，欄的設定卻有 ${axisLength(spec.cols)} 項` });
  }
  if (problems.length) return { mappings, problems };
  if (spec.rows.kind === 'indicators' && spec.cols.kind === 'indicators') {
    return { mappings, problems: [{ cell: null, code: 'twoIndicators', severity: 'error', message: '列與欄不能都是指標，請把其中一邊設為分類或期間' }] };
  }
  if (spec.rows.kind === 'periods' && spec.cols.kind === 'periods') {
    return { mappings, problems: [{ cell: null, code: 'twoPeriods', severity: 'error', message: '列與欄不能都是期間' }] };
  }
  const formulas = new Set((options.cells ?? []).filter((c) => c.hasFormula).map((c) => c.address.toUpperCase()));
  const library = options.indicators ? new Map(options.indicators.map((i) => [i.id, i])) : null;

  for (let ri = 0; ri < nRows; ri++) {
    const row = axisEntry(spec.rows, ri);
    for (let ci = 0; ci < nCols; ci++) {
      const col = axisEntry(spec.cols, ci);
      const cell = cellAddress(r.top + ri, r.left + ci);
      if (row.skip || col.skip) continue;
      const indicatorId = row.indicatorId ?? col.indicatorId ?? spec.indicatorId ?? null;
      if (formulas.has(cell)) {
        problems.push({ cell, code: 'formula', severity: 'warning', message: `${cell}：這格是公式，已略過（不填數字）` });
        continue;
      }
      if (!indicatorId) {
        problems.push({ cell, code: 'noIndicator', severity: 'error', message: `${cell}：列與欄都沒有指定指標，請選擇這個區塊的指標` });
        continue;
      }
      const ind = library?.get(indicatorId);
      if (library && !ind) {
        problems.push({ cell, code: 'unknownIndicator', severity: 'error', message: `${cell}：沒有「${indicatorId}」這個指標` });
        continue;
      }
      let merged = mergeFilters(spec.filters, row.filters);
      if (!merged.conflict) merged = mergeFilters(merged.filters, col.filters);
      if (merged.conflict) {
        const dim = REPORT_DIMENSION_LABELS[merged.conflict];
        problems.push({ cell, code: 'filterConflict', severity: 'error', message: `${cell}：列與欄的「${dim}」篩選沒有共同的值` });
        continue;
      }
      if (ind) {
        const bad = (Object.keys(merged.filters) as ReportDimension[]).filter((d) => !ind.breakdowns.includes(d));
        if (bad.length) {
          problems.push({
            cell,
            code: 'filterNotAllowed',
            severity: 'error',
            message: `${cell}：指標「${ind.name}」不能依「${bad.map((d) => REPORT_DIMENSION_LABELS[d]).join('、')}」篩選`,
          });
          continue;
        }
      }
      const period = row.period ?? col.period ?? spec.period ?? null;
      const m: MappingInput = { sheet: spec.sheet, cell, indicatorId };
      if (Object.keys(merged.filters).length > 0) m.filters = merged.filters;
      if (period) m.period = period;
      mappings.push(m);
    }
  }
  return { mappings, problems };
}

/**
 * The mappings shifted by `rows` down and `cols` right (negative: up, left): copying a mapped cell
 * along a row or down a column. Copies that would leave the sheet are left out.
 */
export function copyMappings(mappings: readonly MappingInput[], offset: { rows?: number; cols?: number }): MappingInput[] {
  const dr = offset.rows ?? 0;
  const dc = offset.cols ?? 0;
  const out: MappingInput[] = [];
  for (const m of mappings) {
    const p = parseCell(m.cell);
    if (!p) continue;
    const row = p.row + dr;
    const col = p.col + dc;
    if (row < 1 || col < 1 || row > MAX_ROW || col > MAX_COL) continue;
    const copy: MappingInput = { ...m, cell: cellAddress(row, col) };
    if (m.filters) copy.filters = Object.fromEntries(Object.entries(m.filters).map(([k, v]) => [k, Array.isArray(v) ? [...v] : v])) as IndicatorFilters;
    out.push(copy);
  }
  return out;
}

/**
 * Replaces or adds mappings by sheet and cell (a block mapped over cells already mapped): the
 * later wins. Sheet names compare without case, as Excel does.
 */
export function upsertMappings(existing: readonly MappingInput[], added: readonly MappingInput[]): MappingInput[] {
  const key = (m: MappingInput) => `${m.sheet.toLowerCase()}!${m.cell.toUpperCase()}`;
  const replaced = new Set(added.map(key));
  return [...existing.filter((m) => !replaced.has(key(m))), ...added];
}

// ---------------------------------------------------------------------------
// The form's own data on a template (表號, 編製機關, the period line, 編製日期)

/** A worksheet as far as recognition is concerned (structurally TemplateGridSheet). */
export interface RecognitionSheet extends LabelSheet {
  name: string;
  kind: string;
  state: string;
}

const FORM_NO_LABELS = ['表號'];
const AGENCY_LABELS = ['編製機關', '填報機關', '填表機關', '報送機關'];
const COMPILED_LABELS = ['編製日期', '填表日期', '填報日期'];

/** The frequency a period line suggests: 第…季 a quarter, 半年 a half-year, …月 a month, else a year. */
export function periodLineFrequency(text: string): ReportFrequency | null {
  const n = normaliseLabel(text);
  if (/季/u.test(n)) return 'quarter';
  if (/半年/u.test(n)) return 'halfYear';
  if (/月/u.test(n)) return 'month';
  if (/年/u.test(n)) return 'year';
  return null;
}

/** 中華民國…年第…季 and the like (not the 編製 line, not a sentence). */
function isPeriodLine(n: string): boolean {
  if (n.length > 30 || /編製|填表|日$/u.test(n)) return false;
  return /^(?:中華民國|民國)\d*年/u.test(n);
}

/** 中華民國…年…月…日編製 */
function isCompiledLine(n: string): boolean {
  return n.length <= 30 && /年\d*月\d*日(?:編製|編表|填表|製表)$/u.test(n);
}

/**
 * On each worksheet: the cells holding the 表號 and 編製機關 values (right of the label, else below
 * it; a value written in the label's own cell, 表號：10930-01-01-2, is that cell), the period line and
 * the 編製日期 line, and whether the sheet is hidden. The first occurrence from the top counts.
 */
export function recogniseTemplate(sheets: readonly RecognitionSheet[]): RecognisedSheet[] {
  return sheets
    .filter((s) => s.kind === 'worksheet')
    .map((s) => {
      const byPos = new Map<string, LabelSheet['cells'][number]>();
      for (const c of s.cells) byPos.set(`${c.row}:${c.col}`, c);
      const mergeOf = (row: number, col: number) => s.merges.find((g) => row >= g.top && row <= g.bottom && col >= g.left && col <= g.right) ?? null;
      const textCells = [...s.cells].filter((c) => c.type === 'string' && !c.hasFormula && c.text.trim() !== '').sort((a, b) => a.row - b.row || a.col - b.col);
      const valueNear = (label: LabelSheet['cells'][number]): RecognisedValueCell => {
        const m = mergeOf(label.row, label.col);
        const right = (m ? m.right : label.col) + 1;
        for (let col = right; col <= right + 5; col++) {
          const c = byPos.get(`${label.row}:${col}`);
          if (c && c.text.trim() !== '' && !(c.type === 'string' && isKnownLabel(c.text))) return { labelCell: label.address, cell: c.address, value: c.text.trim() };
        }
        const below = (m ? m.bottom : label.row) + 1;
        const under = byPos.get(`${below}:${label.col}`);
        if (under && under.text.trim() !== '' && !isKnownLabel(under.text)) return { labelCell: label.address, cell: under.address, value: under.text.trim() };
        return { labelCell: label.address, cell: cellAddress(label.row, right), value: '' };
      };
      const find = (labels: readonly string[]): RecognisedValueCell | null => {
        for (const c of textCells) {
          const n = normaliseLabel(c.text);
          for (const l of labels) {
            if (n === l) return valueNear(c);
            if (n.startsWith(l) && n.length > l.length) {
              const raw = c.text.normalize('NFKC').replace(/\s+/gu, '');
              const at = raw.indexOf(l);
              const value = raw.slice(at + l.length).replace(/^[:：]/u, '').trim();
              if (value !== '') return { labelCell: c.address, cell: c.address, value };
            }
          }
        }
        return null;
      };
      let period: RecognisedSheet['period'] = null;
      let compiledOn: RecognisedSheet['compiledOn'] = null;
      for (const c of textCells) {
        const n = normaliseLabel(c.text);
        if (!period && isPeriodLine(n)) period = { cell: c.address, text: c.text, frequency: periodLineFrequency(c.text) };
        if (!compiledOn && isCompiledLine(n)) compiledOn = { cell: c.address, text: c.text };
      }
      if (!compiledOn) {
        const labelled = find(COMPILED_LABELS);
        if (labelled) compiledOn = { cell: labelled.cell, text: labelled.value };
      }
      return { sheet: s.name, hidden: s.state !== 'visible', formNo: find(FORM_NO_LABELS), agency: find(AGENCY_LABELS), period, compiledOn };
    });
}

function isKnownLabel(text: string): boolean {
  const n = normaliseLabel(text);
  return [...FORM_NO_LABELS, ...AGENCY_LABELS, ...COMPILED_LABELS].includes(n);
}

// ---------------------------------------------------------------------------
// Suggesting a block's axes from its labels

/** The indicator library as values to match labels against (value: the id, label: the name). */
export function indicatorsAsValues(list: readonly { id: string; name: string }[]): DimensionValue[] {
  return list.map((i) => ({ value: i.id, label: i.name }));
}

/**
 * The header labels of each row (`rows`: to the left) or column (`cols`: above) of `range`,
 * nearest first: a two-line header gives [電訪, 服務人次]. Reading stops at the first empty cell
 * after a label, and after four labels.
 */
export function axisLabelStacks(sheet: LabelSheet, range: string, axis: 'rows' | 'cols'): { cell: string; text: string }[][] {
  const r = parseBlockRange(range);
  if (!r) return [];
  const byAddr = new Map<string, LabelSheet['cells'][number]>();
  for (const c of sheet.cells) byAddr.set(`${c.row}:${c.col}`, c);
  const at = (row: number, col: number): { cell: string; text: string } | 'empty' | 'value' => {
    const m = sheet.merges.find((g) => row >= g.top && row <= g.bottom && col >= g.left && col <= g.right);
    const [tr, tc] = m ? [m.top, m.left] : [row, col];
    const c = byAddr.get(`${tr}:${tc}`);
    if (!c || c.text.trim() === '') return 'empty';
    if (c.hasFormula || c.type !== 'string') return 'value';
    return { cell: cellAddress(tr, tc), text: c.text };
  };
  const stack = (cells: Iterable<[number, number]>) => {
    const out: { cell: string; text: string }[] = [];
    for (const [row, col] of cells) {
      const l = at(row, col);
      if (l === 'empty' || l === 'value') {
        if (out.length > 0 && l === 'empty') break;
        continue;
      }
      if (!out.some((o) => o.cell === l.cell)) out.push(l);
      if (out.length >= 4) break;
    }
    return out;
  };
  const out: { cell: string; text: string }[][] = [];
  if (axis === 'rows') {
    for (let row = r.top; row <= r.bottom; row++) out.push(stack((function* () { for (let col = r.left - 1; col >= 1; col--) yield [row, col] as [number, number]; })()));
  } else {
    for (let col = r.left; col <= r.right; col++) out.push(stack((function* () { for (let row = r.top - 1; row >= 1; row--) yield [row, col] as [number, number]; })()));
  }
  return out;
}

export interface BlockSuggestion {
  rows: BlockAxis;
  cols: BlockAxis;
  /** Per row and per column: how its label matched (the label that gave the indicator or the value). */
  rowMatches: LabelMatch[];
  colMatches: LabelMatch[];
  /** How many rows and columns found a value, an indicator or a total. */
  score: number;
}

interface SideGuess {
  axis: BlockAxis;
  matches: LabelMatch[];
  score: number;
}

/** The dimension whose values match most of the labels (nearest labels only). */
function guessDimension(stacks: { cell: string; text: string }[][], dimensions: Partial<Record<ReportDimension, readonly DimensionValue[]>>): SideGuess | null {
  let best: SideGuess | null = null;
  const labels = stacks.map((s) => s[0] ?? { cell: '', text: '' });
  for (const [dim, values] of Object.entries(dimensions) as [ReportDimension, readonly DimensionValue[]][]) {
    if (values.length === 0) continue;
    const matches = matchLabels(labels, values, dim);
    const score = matches.filter((m) => m.status === 'matched').length;
    if (score === 0) continue;
    const total = score + matches.filter((m) => m.status === 'total').length;
    if (!best || total > best.score) best = { axis: { kind: 'dimension', dimension: dim, values: matches.map((m) => m.value) }, matches, score: total };
  }
  return best;
}

/** Each row or column's indicator from its label stack; labels nearer than the indicator's give filters. */
function guessIndicators(stacks: { cell: string; text: string }[][], indicators: readonly DimensionValue[], dimensions: Partial<Record<ReportDimension, readonly DimensionValue[]>>): SideGuess {
  const ids: (string | null)[] = [];
  const filters: (IndicatorFilters | null)[] = [];
  const matches: LabelMatch[] = [];
  let score = 0;
  for (const stack of stacks) {
    const found = stack.map((l) => (matchLabels([l], indicators)[0] as LabelMatch));
    const k = found.findIndex((m) => m.status === 'matched');
    if (k < 0) {
      ids.push(null);
      filters.push(null);
      matches.push(found[0] ?? { cell: '', text: '', status: 'empty', value: null, via: null, candidates: [], message: null });
      continue;
    }
    const f: IndicatorFilters = {};
    for (const near of stack.slice(0, k)) {
      for (const [dim, values] of Object.entries(dimensions) as [ReportDimension, readonly DimensionValue[]][]) {
        const m = matchLabels([near], values, dim)[0];
        if (m?.status === 'matched' && m.value !== null && f[dim] === undefined) {
          f[dim] = m.value;
          break;
        }
      }
    }
    ids.push(found[k]?.value ?? null);
    filters.push(Object.keys(f).length ? f : null);
    matches.push(found[k] as LabelMatch);
    score++;
  }
  return { axis: { kind: 'indicators', indicatorIds: ids, filters }, matches, score };
}

/**
 * A first guess at a block's axes from the labels around it, for the administrator to confirm:
 * indicators along the side whose headers name them (with the filters of the header lines below
 * the indicator's, e.g. 服務人次 over 電訪), the dimension whose values match most labels along the
 * other. Null when neither orientation finds an indicator.
 */
export function suggestBlock(
  sheet: LabelSheet,
  range: string,
  library: { indicators: readonly { id: string; name: string }[]; dimensions: Partial<Record<ReportDimension, readonly DimensionValue[]>> },
): BlockSuggestion | null {
  const r = parseBlockRange(range);
  if (!r) return null;
  const indicators = indicatorsAsValues(library.indicators);
  const rowStacks = axisLabelStacks(sheet, range, 'rows');
  const colStacks = axisLabelStacks(sheet, range, 'cols');
  const options: BlockSuggestion[] = [];
  const nullAxis = (n: number): DimensionAxis => ({ kind: 'dimension', dimension: 'dimension', values: new Array<null>(n).fill(null) });
  const empty = (stacks: { cell: string; text: string }[][]) => stacks.map((s) => matchLabels([s[0] ?? { cell: '', text: '' }], [])[0] as LabelMatch);
  const colInd = guessIndicators(colStacks, indicators, library.dimensions);
  if (colInd.score > 0) {
    const rows = guessDimension(rowStacks, library.dimensions);
    options.push({ rows: rows?.axis ?? nullAxis(rowStacks.length), cols: colInd.axis, rowMatches: rows?.matches ?? empty(rowStacks), colMatches: colInd.matches, score: colInd.score + (rows?.score ?? 0) });
  }
  const rowInd = guessIndicators(rowStacks, indicators, library.dimensions);
  if (rowInd.score > 0) {
    const cols = guessDimension(colStacks, library.dimensions);
    options.push({ rows: rowInd.axis, cols: cols?.axis ?? nullAxis(colStacks.length), rowMatches: rowInd.matches, colMatches: cols?.matches ?? empty(colStacks), score: rowInd.score + (cols?.score ?? 0) });
  }
  if (options.length === 0) return null;
  return options.reduce((a, b) => (b.score > a.score ? b : a));
}
