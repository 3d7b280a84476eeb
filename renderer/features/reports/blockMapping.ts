/**
 * Block mapping (issue 13): what a selected range's rows and columns are, matched to the
 * template's labels, and the cell mappings that result. Pure.
 */
import { copyMappings, isTotalLabel, matchLabels, normaliseLabel, planBlock as planContractBlock, type BlockAxis, type DimensionValue } from '../../../main/contract/report-blocks';
import type { RelativePeriod } from '../../../main/contract/report-periods';
import type { IndicatorFilters, IndicatorView, MappingInput, ReportDimension } from '../../../main/contract/types-reports';
import { addressOf, colLetters, parseAddress, rangeRef, type GridRange, type SheetIndex } from './gridRange';

export { isTotalLabel, normaliseLabel };

/** What an axis (the rows or the columns of a block) stands for. */
export type AxisKind = 'same' | 'indicator' | 'month' | ReportDimension;

/** One row's (or column's) choice. */
export type AxisChoice =
  | { kind: 'unmatched'; message?: string | null; candidates?: string[] }
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

/** The value a label names (report-blocks matchLabels): a total is no filter, an empty label is skipped. */
export function matchLabel(label: string, values: readonly DimensionValue[], dimension?: ReportDimension, cell = ''): AxisChoice {
  const m = matchLabels([{ cell, text: label }], values, dimension)[0];
  switch (m?.status) {
    case 'matched':
      return { kind: 'value', value: m.value as string };
    case 'total':
      return { kind: 'total' };
    case 'empty':
      return { kind: 'skip' };
    default:
      return { kind: 'unmatched', message: m?.message ?? null, candidates: m?.candidates.map((c) => c.value) ?? [] };
  }
}

const CHINESE_NUMBERS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10, 十一: 11, 十二: 12 };

/** `1月`, `4月`, `第2個月`, `十月` → the month's place within a period of `months` months. */
export function matchMonth(label: string, months: number): AxisChoice {
  const n = normaliseLabel(label);
  if (!n) return { kind: 'skip' };
  if (isTotalLabel(label)) return { kind: 'total' };
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
    const rowLabel = which === 'rows' ? index.rowLabel(i, range.left) : null;
    const heads = rowLabel ? [rowLabel.text].filter(Boolean) : index.columnHeads(i, range.top);
    const labelCell = rowLabel ? (rowLabel.address ?? `第 ${i} 列`) : (index.columnHeadCell(i, range.top) ?? `${colLetters(i)} 欄`);
    const label = heads[0] ?? '';
    let choice: AxisChoice;
    if (kind === 'indicator') {
      const m = matchIndicator(which === 'rows' ? heads : heads, ctx.indicators);
      const ind = ctx.indicators.find((x) => x.id === m.indicatorId);
      choice = { kind: 'indicator', indicatorId: m.indicatorId, filters: headingFilters(heads.filter((h) => h !== m.head), ind, ctx.lists) };
      out.push({ index: i, label: m.head && m.head !== label ? `${m.head}／${label}` : label, choice });
      continue;
    }
    choice = kind === 'month' ? matchMonth(label, ctx.months) : matchLabel(label, ctx.values, kind, labelCell);
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

/** The axis as report-blocks' planBlock takes it; `drop` lists the positions (0-based) to leave unmapped. */
function contractAxis(kind: AxisKind, entries: AxisEntry[], from: number, to: number): { axis: BlockAxis; drop: Set<number> } {
  const n = to - from + 1;
  const byIndex = new Map(entries.map((e) => [e.index, e.choice]));
  const drop = new Set<number>();
  const choices: (AxisChoice | undefined)[] = [];
  for (let i = 0; i < n; i++) {
    const c = kind === 'same' ? undefined : byIndex.get(from + i);
    // A row or column wholly covered by a merge has no entry: nothing of its own to map.
    if (kind !== 'same' && (!c || c.kind === 'skip' || c.kind === 'unmatched')) drop.add(i);
    choices.push(c);
  }
  if (kind === 'indicator') {
    return {
      axis: {
        kind: 'indicators',
        indicatorIds: choices.map((c) => (c?.kind === 'indicator' ? c.indicatorId : null)),
        filters: choices.map((c) => (c?.kind === 'indicator' ? c.filters : null)),
      },
      drop,
    };
  }
  if (kind === 'month') return { axis: { kind: 'periods', periods: choices.map((c) => (c?.kind === 'month' ? c.period : null)) }, drop };
  const dimension: ReportDimension = kind === 'same' ? 'dimension' : kind;
  return { axis: { kind: 'dimension', dimension, values: choices.map((c) => (c?.kind === 'value' ? c.value : null)) }, drop };
}

/** Every cell of the block mapped from the confirmed row and column choices (report-blocks' planBlock). */
export function planBlock(p: BlockPlanInput): BlockPlan {
  const problems: string[] = [];
  for (const e of p.rows) {
    if (e.choice.kind === 'unmatched') problems.push(e.choice.message ?? `第 ${e.index} 列「${e.label || '（無標籤）'}」尚未選擇對應值`);
    if (e.choice.kind === 'indicator' && !e.choice.indicatorId) problems.push(`第 ${e.index} 列「${e.label || '（無標籤）'}」尚未選擇指標`);
  }
  for (const e of p.cols) {
    const col = colLetters(e.index);
    if (e.choice.kind === 'unmatched') problems.push(e.choice.message ?? `${col} 欄「${e.label || '（無標籤）'}」尚未選擇對應值`);
    if (e.choice.kind === 'indicator' && !e.choice.indicatorId) problems.push(`${col} 欄「${e.label || '（無標籤）'}」尚未選擇指標`);
  }
  if (p.rowsKind !== 'indicator' && p.colsKind !== 'indicator' && !p.indicatorId) problems.push('請選擇整個區塊的指標');
  if (problems.length) return { mappings: [], formulaCells: [], problems };

  const rows = contractAxis(p.rowsKind, p.rows, p.range.top, p.range.bottom);
  const cols = contractAxis(p.colsKind, p.cols, p.range.left, p.range.right);
  const plan = planContractBlock(
    {
      sheet: p.sheet,
      range: rangeRef(p.range),
      rows: rows.axis,
      cols: cols.axis,
      ...(p.indicatorId ? { indicatorId: p.indicatorId } : {}),
      ...(Object.keys(p.filters).length ? { filters: p.filters } : {}),
      ...(p.period !== 'report' ? { period: p.period } : {}),
    },
    { cells: p.index.sheet.cells, indicators: p.indicators },
  );
  const keep = (cell: string) => {
    const pos = parseAddress(cell);
    if (!pos) return false;
    const { row, col } = pos;
    return !rows.drop.has(row - p.range.top) && !cols.drop.has(col - p.range.left) && !p.index.covered(row, col);
  };
  const formulaCells = plan.problems.filter((x) => x.code === 'formula' && x.cell && keep(x.cell)).map((x) => x.cell as string);
  // One line per kind of problem, with the cells it concerns (not one line per cell).
  const grouped = new Map<string, string[]>();
  for (const x of plan.problems) {
    if (x.severity !== 'error' || (x.cell && !keep(x.cell))) continue;
    const text = x.cell ? x.message.replace(`${x.cell}：`, '') : x.message;
    grouped.set(text, [...(grouped.get(text) ?? []), ...(x.cell ? [x.cell] : [])]);
  }
  for (const [text, cells] of grouped) problems.push(cells.length ? `${cells.length > 4 ? `${cells.slice(0, 4).join('、')} 等 ${cells.length} 格` : cells.join('、')}：${text}` : text);
  return { mappings: problems.length ? [] : plan.mappings.filter((x) => keep(x.cell)), formulaCells, problems };
}

/**
 * Copies the mappings of the range's first column to the other columns of each row (`right`),
 * or of its first row to the rows below (`down`), with report-blocks' copyMappings. Formula cells
 * and the covered part of merges are skipped.
 */
export function fillMappings(mappings: MappingInput[], sheet: string, r: GridRange, dir: 'right' | 'down', index: SheetIndex): MappingInput[] {
  const source = new Set<string>();
  for (let row = r.top; row <= r.bottom; row++) for (let col = r.left; col <= r.right; col++) if (dir === 'right' ? col === r.left : row === r.top) source.add(addressOf({ row, col }));
  const from = mappings.filter((m) => m.sheet === sheet && source.has(m.cell));
  const out: MappingInput[] = [];
  const steps = dir === 'right' ? r.right - r.left : r.bottom - r.top;
  for (let k = 1; k <= steps; k++) {
    for (const m of copyMappings(from, dir === 'right' ? { cols: k } : { rows: k })) {
      const pos = parseAddress(m.cell);
      if (!pos || index.covered(pos.row, pos.col) || index.cell(m.cell)?.hasFormula) continue;
      out.push(m);
    }
  }
  return out;
}
