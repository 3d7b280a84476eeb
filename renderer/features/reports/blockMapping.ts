/**
 * Block mapping (issue 13): what a selected range's rows and columns are, matched to the
 * template's labels, and the cell mappings that result. Pure.
 */
import { REPORT_DIMENSION_LABELS, type IndicatorFilters, type IndicatorView, type MappingInput, type ReportDimension } from '../../../main/contract/types-reports';
import type { RelativePeriod } from '../../../main/contract/report-periods';
import type { DimensionValue } from './dimensionValues';
import { addressOf, colLetters, type GridRange, type SheetIndex } from './gridRange';

/** What an axis (the rows or the columns of a block) stands for. */
export type AxisKind = 'same' | 'indicator' | 'month' | ReportDimension;

/** One row's (or column's) choice. */
export type AxisChoice =
  | { kind: 'unmatched' }
  | { kind: 'skip' }
  | { kind: 'total' }
  | { kind: 'value'; value: string }
  | { kind: 'month'; period: RelativePeriod }
  | { kind: 'indicator'; indicatorId: string | null; filters: IndicatorFilters };

export interface AxisEntry {
  /** Row number or column number. */
  index: number;
  label: string;
  choice: AxisChoice;
}

const TOTAL = /^(總計|合計|小計|總數|總和|全部|計|共計|total)$/i;

/** Full-width to half-width, no spaces, no trailing unit in brackets, lower case. */
export function normaliseLabel(s: string): string {
  return s
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000]+/g, '')
    .replace(/[(（][^()（）]*[)）]$/, '')
    .replace(/[:：]$/, '')
    .toLowerCase();
}

export function isTotalLabel(label: string): boolean {
  return TOTAL.test(normaliseLabel(label));
}

/** The value a label names: exact name or code first, then the one value whose name contains it (or it contains). */
export function matchLabel(label: string, values: DimensionValue[]): AxisChoice {
  const n = normaliseLabel(label);
  if (!n) return { kind: 'skip' };
  if (TOTAL.test(n)) return { kind: 'total' };
  const exact = values.filter((v) => normaliseLabel(v.label) === n || normaliseLabel(v.value) === n || (v.code && normaliseLabel(v.code) === n));
  if (exact.length === 1) return { kind: 'value', value: (exact[0] as DimensionValue).value };
  const near = values.filter((v) => {
    const l = normaliseLabel(v.label);
    return l.length > 0 && (l.includes(n) || n.includes(l));
  });
  if (near.length === 1) return { kind: 'value', value: (near[0] as DimensionValue).value };
  return { kind: 'unmatched' };
}

const CHINESE_NUMBERS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10, 十一: 11, 十二: 12 };

/** `1月`, `4月`, `第2個月`, `十月` → the month's place within a period of `months` months. */
export function matchMonth(label: string, months: number): AxisChoice {
  const n = normaliseLabel(label);
  if (!n) return { kind: 'skip' };
  if (TOTAL.test(n)) return { kind: 'total' };
  const m = /^(?:\d{2,4}年)?第?(\d{1,2}|[一二三四五六七八九十]{1,3})個?月(?:份)?$/.exec(n);
  if (!m) return { kind: 'unmatched' };
  const raw = m[1] ?? '';
  const k = /^\d+$/.test(raw) ? Number(raw) : (CHINESE_NUMBERS[raw] ?? 0);
  if (k < 1 || k > 12) return { kind: 'unmatched' };
  const place = n.includes('個月') ? k : ((k - 1) % months) + 1;
  if (place > months) return { kind: 'unmatched' };
  return { kind: 'month', period: `month${place}` as RelativePeriod };
}

function bigrams(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length - 1; i++) out.push(s.slice(i, i + 2));
  return out;
}

function dice(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  if (!x.length || !y.length) return 0;
  const pool = [...y];
  let hit = 0;
  for (const g of x) {
    const i = pool.indexOf(g);
    if (i >= 0) {
      hit++;
      pool.splice(i, 1);
    }
  }
  return (2 * hit) / (x.length + y.length);
}

/** The indicator a column (or row) heading names: exact name first, else the clearly most similar one. */
export function matchIndicator(heads: string[], indicators: IndicatorView[]): { indicatorId: string | null; head: string | null } {
  for (const h of heads) {
    const n = normaliseLabel(h);
    const exact = indicators.filter((i) => normaliseLabel(i.name) === n);
    if (exact.length === 1) return { indicatorId: (exact[0] as IndicatorView).id, head: h };
  }
  let best: { id: string; score: number; head: string } | null = null;
  let second = 0;
  for (const h of heads) {
    const n = normaliseLabel(h);
    if (isTotalLabel(h)) continue;
    for (const i of indicators) {
      const score = dice(n, normaliseLabel(i.name));
      if (!best || score > best.score) {
        if (best) second = Math.max(second, best.score);
        best = { id: i.id, score, head: h };
      } else if (score > second) second = score;
    }
  }
  if (best && best.score >= 0.6 && best.score - second >= 0.1) return { indicatorId: best.id, head: best.head };
  return { indicatorId: null, head: null };
}

/** Dimensions whose values a heading may name beside an indicator (服務人次 over 電訪 / 面訪). */
const HEAD_FILTER_DIMS: ReportDimension[] = ['method', 'dimension', 'ageBand', 'sex', 'caseType', 'householdType', 'caseStatus', 'referralStatus', 'concernReason'];

/** Filters that the other headings of an indicator's column name (電訪 → 服務方式＝電訪家庭). */
export function headingFilters(heads: string[], indicator: IndicatorView | undefined, lists: Partial<Record<ReportDimension, DimensionValue[]>>): IndicatorFilters {
  const out: IndicatorFilters = {};
  if (!indicator) return out;
  for (const h of heads) {
    if (isTotalLabel(h) || normaliseLabel(h) === normaliseLabel(indicator.name)) continue;
    for (const dim of HEAD_FILTER_DIMS) {
      if (!indicator.breakdowns.includes(dim) || out[dim]) continue;
      const m = matchLabel(h, lists[dim] ?? []);
      if (m.kind === 'value') {
        out[dim] = m.value;
        break;
      }
    }
  }
  return out;
}

export interface AxisContext {
  index: SheetIndex;
  range: GridRange;
  indicators: IndicatorView[];
  /** The values of the axis's dimension (when it is one). */
  values: DimensionValue[];
  /** Closed lists, for the filters a heading names. */
  lists: Partial<Record<ReportDimension, DimensionValue[]>>;
  /** Months in one report period (3 for a quarter). */
  months: number;
}

/** The rows (or columns) of the range with their labels and the choice matched to each. */
export function axisEntries(which: 'rows' | 'cols', kind: AxisKind, ctx: AxisContext): AxisEntry[] {
  if (kind === 'same') return [];
  const { index, range } = ctx;
  const out: AxisEntry[] = [];
  const from = which === 'rows' ? range.top : range.left;
  const to = which === 'rows' ? range.bottom : range.right;
  for (let i = from; i <= to; i++) {
    // A column wholly inside a merge that starts left of it (a row wholly covered) is not an entry of its own.
    const covered = which === 'rows' ? [...Array(range.right - range.left + 1).keys()].every((k) => index.covered(i, range.left + k)) : [...Array(range.bottom - range.top + 1).keys()].every((k) => index.covered(range.top + k, i));
    if (covered) continue;
    const heads = which === 'rows' ? [index.rowLabel(i, range.left).text].filter(Boolean) : index.columnHeads(i, range.top);
    const label = heads[0] ?? '';
    let choice: AxisChoice;
    if (kind === 'indicator') {
      const m = matchIndicator(which === 'rows' ? heads : heads, ctx.indicators);
      const ind = ctx.indicators.find((x) => x.id === m.indicatorId);
      choice = { kind: 'indicator', indicatorId: m.indicatorId, filters: headingFilters(heads.filter((h) => h !== m.head), ind, ctx.lists) };
      out.push({ index: i, label: m.head && m.head !== label ? `${m.head}／${label}` : label, choice });
      continue;
    }
    choice = kind === 'month' ? matchMonth(label, ctx.months) : matchLabel(label, ctx.values);
    if (!label) choice = { kind: 'unmatched' };
    out.push({ index: i, label, choice });
  }
  return out;
}

export interface BlockPlanInput {
  sheet: string;
  range: GridRange;
  index: SheetIndex;
  rowsKind: AxisKind;
  colsKind: AxisKind;
  rows: AxisEntry[];
  cols: AxisEntry[];
  /** When neither axis is `indicator`. */
  indicatorId: string | null;
  filters: IndicatorFilters;
  period: RelativePeriod;
  indicators: IndicatorView[];
}

export interface BlockPlan {
  mappings: MappingInput[];
  /** Formula cells left alone. */
  formulaCells: string[];
  /** zh-TW: what must be fixed before 套用. */
  problems: string[];
}

function addFilter(f: IndicatorFilters, dim: ReportDimension, value: string | string[]) {
  f[dim] = value;
}

/** Every cell of the block mapped from the confirmed row and column choices. */
export function planBlock(p: BlockPlanInput): BlockPlan {
  const problems: string[] = [];
  const formulaCells: string[] = [];
  const mappings: MappingInput[] = [];
  for (const e of p.rows) {
    if (e.choice.kind === 'unmatched') problems.push(`第 ${e.index} 列「${e.label || '（無標籤）'}」尚未選擇對應值`);
    if (e.choice.kind === 'indicator' && !e.choice.indicatorId) problems.push(`第 ${e.index} 列「${e.label || '（無標籤）'}」尚未選擇指標`);
  }
  for (const e of p.cols) {
    const col = colLetters(e.index);
    if (e.choice.kind === 'unmatched') problems.push(`${col} 欄「${e.label || '（無標籤）'}」尚未選擇對應值`);
    if (e.choice.kind === 'indicator' && !e.choice.indicatorId) problems.push(`${col} 欄「${e.label || '（無標籤）'}」尚未選擇指標`);
  }
  if (p.rowsKind !== 'indicator' && p.colsKind !== 'indicator' && !p.indicatorId) problems.push('請選擇整個區塊的指標');
  if (problems.length) return { mappings, formulaCells, problems };

  const rowsList: (AxisEntry | null)[] = p.rowsKind === 'same' ? range(p.range.top, p.range.bottom).map(() => null) : p.rows;
  const rowIdx = p.rowsKind === 'same' ? range(p.range.top, p.range.bottom) : p.rows.map((e) => e.index);
  const colsList: (AxisEntry | null)[] = p.colsKind === 'same' ? range(p.range.left, p.range.right).map(() => null) : p.cols;
  const colIdx = p.colsKind === 'same' ? range(p.range.left, p.range.right) : p.cols.map((e) => e.index);
  const cannot = new Map<string, string[]>();

  rowIdx.forEach((r, ri) => {
    const re = rowsList[ri] ?? null;
    colIdx.forEach((c, ci) => {
      const ce = colsList[ci] ?? null;
      if (p.index.covered(r, c)) return;
      if (re?.choice.kind === 'skip' || ce?.choice.kind === 'skip') return;
      const address = addressOf({ row: r, col: c });
      if (p.index.cell(address)?.hasFormula) {
        formulaCells.push(address);
        return;
      }
      let indicatorId = p.indicatorId;
      const filters: IndicatorFilters = { ...p.filters };
      let period: RelativePeriod = p.period;
      for (const [kind, e] of [
        [p.rowsKind, re],
        [p.colsKind, ce],
      ] as const) {
        if (!e) continue;
        const ch = e.choice;
        if (ch.kind === 'indicator') {
          indicatorId = ch.indicatorId;
          for (const [d, v] of Object.entries(ch.filters)) if (v !== undefined) addFilter(filters, d as ReportDimension, v);
        } else if (ch.kind === 'value' && kind !== 'same' && kind !== 'indicator' && kind !== 'month') {
          addFilter(filters, kind, ch.value);
        } else if (ch.kind === 'month') {
          period = ch.period;
        }
      }
      if (!indicatorId) return;
      const ind = p.indicators.find((i) => i.id === indicatorId);
      const bad = Object.keys(filters).filter((d) => ind && !ind.breakdowns.includes(d as ReportDimension));
      if (ind && bad.length) {
        for (const d of bad) {
          const key = `${ind.name}\u0000${d}`;
          cannot.set(key, [...(cannot.get(key) ?? []), address]);
        }
        return;
      }
      mappings.push({ sheet: p.sheet, cell: address, indicatorId, ...(Object.keys(filters).length ? { filters } : {}), ...(period !== 'report' ? { period } : {}) });
    });
  });
  for (const [key, cells] of cannot) {
    const [name, dim] = key.split('\u0000');
    problems.push(`${cells.length > 3 ? `${cells.slice(0, 3).join('、')} 等 ${cells.length} 格` : cells.join('、')}：指標「${name}」不能依「${REPORT_DIMENSION_LABELS[dim as ReportDimension] ?? dim}」篩選`);
  }
  return { mappings: problems.length ? [] : mappings, formulaCells, problems };
}

function range(a: number, b: number): number[] {
  return Array.from({ length: b - a + 1 }, (_, i) => a + i);
}

/**
 * Copies the mappings of the range's first column to the other columns of each row (`right`),
 * or of its first row to the rows below (`down`). Formula cells are skipped.
 */
export function fillMappings(mappings: MappingInput[], sheet: string, r: GridRange, dir: 'right' | 'down', index: SheetIndex): MappingInput[] {
  const at = new Map(mappings.filter((m) => m.sheet === sheet).map((m) => [m.cell, m]));
  const out: MappingInput[] = [];
  for (let row = r.top; row <= r.bottom; row++) {
    for (let col = r.left; col <= r.right; col++) {
      if (dir === 'right' ? col === r.left : row === r.top) continue;
      if (index.covered(row, col)) continue;
      const address = addressOf({ row, col });
      if (index.cell(address)?.hasFormula) continue;
      const src = at.get(addressOf(dir === 'right' ? { row, col: r.left } : { row: r.top, col }));
      if (!src) continue;
      out.push({ ...src, cell: address, ...(src.filters ? { filters: structuredClone(src.filters) } : {}) });
    }
  }
  return out;
}
