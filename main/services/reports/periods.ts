/**
 * Report periods in the services (issue 13): the period a generation covers, read
 * for the definition's frequency; the dates each mapped cell counts; the refusal of
 * a fixed month filter outside its cell's period; the 編製日期 cell's text.
 */
import { ApiError } from '../../contract/envelope';
import {
  REPORT_PERIOD_FORMAT_MESSAGES,
  parseReportPeriod,
  reportPeriod,
  resolveRelativePeriod,
  type RelativePeriod,
  type ReportFrequency,
  type ReportPeriodRange,
} from '../../contract/report-periods';
import { rocMonthLabel, todayIso, type QuarterRange } from '../../contract/roc-date';
import type { IndicatorFilters, MappingProblemView } from '../../contract/types-reports';

/** The period `text` names for `frequency`; a zh-TW refusal beside the `period` field otherwise. */
export function requireReportPeriod(frequency: ReportFrequency, text: string): ReportPeriodRange {
  const p = parseReportPeriod(frequency, text);
  if (!p) throw new ApiError('VALIDATION', REPORT_PERIOD_FORMAT_MESSAGES[frequency], { fields: { period: REPORT_PERIOD_FORMAT_MESSAGES[frequency] } });
  return p;
}

/** A quarter of issue 4's QuarterRange as a report period. */
export function fromQuarterRange(q: QuarterRange): ReportPeriodRange {
  return reportPeriod('quarter', q.gregorianYear, q.quarter);
}

/** The dates a cell counts: its relative period resolved against the report's. */
export function cellRange(range: ReportPeriodRange, rel: RelativePeriod | undefined): { from: string; to: string } {
  const r = resolveRelativePeriod(range, rel ?? 'report');
  if (!r) throw new ApiError('RULE', '報表定義的統計期間與報送頻率不符，請修正報表定義。');
  return r;
}

interface MappedCell {
  sheet: string;
  cell: string;
  filters: IndicatorFilters;
  period?: RelativePeriod | undefined;
}

function fixedMonths(m: MappedCell): string[] {
  const v = m.filters.month;
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** `1-服務量!B5、B6；2-人力!C3` */
function cellList(cells: readonly MappedCell[]): string {
  const bySheet = new Map<string, string[]>();
  for (const c of cells) {
    const list = bySheet.get(c.sheet);
    if (list) list.push(c.cell);
    else bySheet.set(c.sheet, [c.cell]);
  }
  return [...bySheet].map(([sheet, list]) => `${sheet}!${list.join('、')}`).join('；');
}

function monthLabel(key: string): string {
  return rocMonthLabel(Number(key.slice(0, 4)), Number(key.slice(5, 7)));
}

/**
 * The cells whose month filter is fixed (`2026-03`) and falls outside the period the cell counts for
 * `range`: generating would write 0 there. One problem naming every such cell, or null.
 */
export function fixedMonthProblem(mappings: readonly MappedCell[], range: ReportPeriodRange): MappingProblemView | null {
  const bad: MappedCell[] = [];
  const months = new Set<string>();
  for (const m of mappings) {
    const list = fixedMonths(m);
    if (list.length === 0) continue;
    const r = resolveRelativePeriod(range, m.period ?? 'report');
    if (!r) continue;
    const outside = list.filter((k) => k < r.from.slice(0, 7) || k > r.to.slice(0, 7));
    if (outside.length === 0) continue;
    bad.push(m);
    for (const k of outside) months.add(k);
  }
  const first = bad[0];
  if (!first) return null;
  const monthText = [...months].sort().map(monthLabel).join('、');
  return {
    sheet: first.sheet,
    cell: first.cell,
    code: 'fixed-month-outside-period',
    severity: 'error',
    message: `月份篩選固定為 ${monthText}，不在${range.label}內，產製會填入 0：${cellList(bad)}。請把這些儲存格的月份篩選改為統計期間「本期第n個月」。`,
    suggestedCell: null,
  };
}

/** Without a period: the cells whose month filter is fixed at all (right for one period only), as one warning. */
export function fixedMonthWarning(mappings: readonly MappedCell[]): MappingProblemView | null {
  const fixed = mappings.filter((m) => fixedMonths(m).length > 0);
  const first = fixed[0];
  if (!first) return null;
  return {
    sheet: first.sheet,
    cell: first.cell,
    code: 'fixed-month',
    severity: 'warning',
    message: `月份篩選固定為特定月份，只適用於包含該月份的期別：${cellList(fixed)}。建議改用統計期間「本期第n個月」。`,
    suggestedCell: null,
  };
}

const BLANK = '[\\s\\u3000]*';
const DATE_SLOTS = new RegExp(`^([\\s\\S]*?)(?:中華民國|民國)?${BLANK}\\d*${BLANK}年${BLANK}\\d*${BLANK}月${BLANK}\\d*${BLANK}日([\\s\\S]*)$`);

/**
 * The 編製日期 cell's text for the generation day (Taipei): the template's own pattern kept
 * (「中華民國（空白）年（空白）月（空白）日編製」→「中華民國115年4月10日編製」), after a label such as
 * 「編製日期：」 the date, otherwise 「中華民國115年4月10日編製」.
 */
export function compiledDateText(templateText: string | null, now: Date): string {
  const iso = todayIso(now);
  const date = `中華民國${Number(iso.slice(0, 4)) - 1911}年${Number(iso.slice(5, 7))}月${Number(iso.slice(8, 10))}日`;
  const text = templateText ?? '';
  const m = DATE_SLOTS.exec(text);
  if (m) return `${m[1] ?? ''}${date}${m[2] ?? ''}`;
  if (/[:：]\s*$/.test(text)) return `${text}${date}`;
  return `${date}編製`;
}
