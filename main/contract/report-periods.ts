/**
 * Report periods (issue 13): how often a central form is due (its frequency), the
 * period one generation covers, and the periods a mapped cell may ask for relative
 * to it ("the 2nd month of the quarter", "year to date", "the same quarter last
 * year"), so one definition serves every period. Pure: shared by the services,
 * the CLI and the renderer.
 *
 * Stored keys sort by time within a frequency: `2026-03` (month), `2026Q1`
 * (quarter, the key issue 4 stored), `2026H1` (half-year), `2026` (year).
 */
import { addDays, addMonths, daysInMonth, toGregorianYear } from './roc-date';

export const REPORT_FREQUENCIES = ['month', 'quarter', 'halfYear', 'year'] as const;
export type ReportFrequency = (typeof REPORT_FREQUENCIES)[number];

export const REPORT_FREQUENCY_LABELS: Record<ReportFrequency, string> = {
  month: '月報',
  quarter: '季報',
  halfYear: '半年報',
  year: '年報',
};

/** Months in one period of the frequency. */
export const FREQUENCY_MONTHS: Record<ReportFrequency, number> = { month: 1, quarter: 3, halfYear: 6, year: 12 };

/** One period of a report: `key` is stored, `label` is shown (`115年第1季`), `line` fills the period cell. */
export interface ReportPeriodRange {
  frequency: ReportFrequency;
  key: string;
  /** ROC, as shown: `115年3月`, `115年第1季`, `115年上半年`, `115年`. */
  label: string;
  /** `115Q1`, `115-03`, `115H1`, `115`: what people type and the screens list. */
  rocKey: string;
  /** `中華民國115年第1季`: the template's period line. */
  line: string;
  from: string;
  to: string;
  gregorianYear: number;
  rocYear: number;
  /** 1-based index of the period within its year (month 1-12, quarter 1-4, half 1-2, year 1). */
  index: number;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** The period of `frequency` with the given year (Gregorian) and index within the year. */
export function reportPeriod(frequency: ReportFrequency, gregorianYear: number, index: number): ReportPeriodRange {
  const months = FREQUENCY_MONTHS[frequency];
  const firstMonth = (index - 1) * months + 1;
  const lastMonth = firstMonth + months - 1;
  const from = `${gregorianYear}-${pad2(firstMonth)}-01`;
  const to = `${gregorianYear}-${pad2(lastMonth)}-${pad2(daysInMonth(gregorianYear, lastMonth))}`;
  const rocYear = gregorianYear - 1911;
  let key: string;
  let rocKey: string;
  let label: string;
  switch (frequency) {
    case 'month':
      key = `${gregorianYear}-${pad2(index)}`;
      rocKey = `${rocYear}-${pad2(index)}`;
      label = `${rocYear}年${index}月`;
      break;
    case 'quarter':
      key = `${gregorianYear}Q${index}`;
      rocKey = `${rocYear}Q${index}`;
      label = `${rocYear}年第${index}季`;
      break;
    case 'halfYear':
      key = `${gregorianYear}H${index}`;
      rocKey = `${rocYear}H${index}`;
      label = `${rocYear}年${index === 1 ? '上' : '下'}半年`;
      break;
    case 'year':
      key = `${gregorianYear}`;
      rocKey = `${rocYear}`;
      label = `${rocYear}年`;
      break;
  }
  return { frequency, key, label, rocKey, line: `中華民國${label}`, from, to, gregorianYear, rocYear, index };
}

/** The period of `frequency` containing the date `iso`. */
export function reportPeriodOf(frequency: ReportFrequency, iso: string): ReportPeriodRange {
  const year = Number(iso.slice(0, 4));
  const month = Number(iso.slice(5, 7));
  return reportPeriod(frequency, year, Math.floor((month - 1) / FREQUENCY_MONTHS[frequency]) + 1);
}

/** The period `steps` periods after (negative: before) `p`. */
export function shiftReportPeriod(p: ReportPeriodRange, steps: number): ReportPeriodRange {
  const perYear = 12 / FREQUENCY_MONTHS[p.frequency];
  const ordinal = p.gregorianYear * perYear + (p.index - 1) + steps;
  return reportPeriod(p.frequency, Math.floor(ordinal / perYear), (ordinal % perYear) + 1);
}

function halfWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

function yearOf(text: string): number | null {
  const n = Number(text);
  const y = text.length === 4 ? n : toGregorianYear(n);
  return y > 1911 && y <= 9999 ? y : null;
}

/**
 * What people type for a period of `frequency`, or the stored key: month `115-03`,
 * `115/3`, `115年3月`, `2026-03`; quarter `115Q1`, `115年第1季`, `2026Q1`; half-year
 * `115H1`, `115年上半年`, `115年下半年`, `2026H2`; year `115`, `115年`, `2026`.
 * Null when the text is not a period of that frequency.
 */
export function parseReportPeriod(frequency: ReportFrequency, input: string): ReportPeriodRange | null {
  const s = halfWidth(input).trim().replace(/^(?:中華民國|民國)\s*/, '');
  let m: RegExpExecArray | null;
  switch (frequency) {
    case 'month': {
      m = /^(\d{1,4})\s*(?:[-/.]\s*|年\s*)(\d{1,2})\s*月?$/.exec(s);
      if (!m) return null;
      const y = yearOf(m[1] ?? '');
      const mo = Number(m[2]);
      return y !== null && mo >= 1 && mo <= 12 ? reportPeriod('month', y, mo) : null;
    }
    case 'quarter': {
      m = /^(\d{1,4})\s*(?:[-/ ]?\s*[Qq]\s*([1-4])|年\s*第\s*([1-4])\s*季)$/.exec(s);
      if (!m) return null;
      const y = yearOf(m[1] ?? '');
      return y !== null ? reportPeriod('quarter', y, Number(m[2] ?? m[3])) : null;
    }
    case 'halfYear': {
      m = /^(\d{1,4})\s*(?:[-/ ]?\s*[Hh]\s*([12])|年\s*([上下])\s*半\s*年)$/.exec(s);
      if (!m) return null;
      const y = yearOf(m[1] ?? '');
      const idx = m[2] ? Number(m[2]) : m[3] === '上' ? 1 : 2;
      return y !== null ? reportPeriod('halfYear', y, idx) : null;
    }
    case 'year': {
      m = /^(\d{1,4})\s*(?:年\s*(?:度)?)?$/.exec(s);
      if (!m) return null;
      const y = yearOf(m[1] ?? '');
      return y !== null ? reportPeriod('year', y, 1) : null;
    }
  }
}

export const REPORT_PERIOD_FORMAT_MESSAGES: Record<ReportFrequency, string> = {
  month: '月份格式不正確，請輸入如 115-03 或 115年3月',
  quarter: '季別格式不正確，請輸入如 115Q1 或 115年第1季',
  halfYear: '半年別格式不正確，請輸入如 115H1、115年上半年或 115年下半年',
  year: '年度格式不正確，請輸入如 115 或 115年',
};

// ---------------------------------------------------------------------------
// Periods relative to the report's

/**
 * What period a mapped cell counts, relative to the period being generated:
 * - `report`: the whole report period (the default);
 * - `month1`..`month12`: the n-th month of the report period (a quarter has 3, a half-year 6);
 * - `ytd`: from 1 January of the report's year to the end of the report period;
 * - `sameLastYear`: the same period one year earlier;
 * - `previous`: the period just before (the previous month, quarter, ...).
 */
export const RELATIVE_PERIODS = [
  'report',
  'month1',
  'month2',
  'month3',
  'month4',
  'month5',
  'month6',
  'month7',
  'month8',
  'month9',
  'month10',
  'month11',
  'month12',
  'ytd',
  'sameLastYear',
  'previous',
] as const;
export type RelativePeriod = (typeof RELATIVE_PERIODS)[number];

export const RELATIVE_PERIOD_LABELS: Record<RelativePeriod, string> = {
  report: '本期',
  month1: '本期第1個月',
  month2: '本期第2個月',
  month3: '本期第3個月',
  month4: '本期第4個月',
  month5: '本期第5個月',
  month6: '本期第6個月',
  month7: '本期第7個月',
  month8: '本期第8個月',
  month9: '本期第9個月',
  month10: '本期第10個月',
  month11: '本期第11個月',
  month12: '本期第12個月',
  ytd: '本年累計（1月至期末）',
  sameLastYear: '去年同期',
  previous: '上一期',
};

/** The relative periods that make sense for `frequency` (month n only up to the period's length). */
export function relativePeriodsFor(frequency: ReportFrequency): RelativePeriod[] {
  const months = FREQUENCY_MONTHS[frequency];
  return RELATIVE_PERIODS.filter((r) => {
    const n = /^month(\d+)$/.exec(r);
    if (n) return months > 1 && Number(n[1]) <= months;
    if (r === 'ytd') return frequency !== 'year';
    return true;
  });
}

/**
 * The calendar dates a cell with relative period `rel` counts when the report
 * covers `p`; null when `rel` does not fit the frequency (month 4 of a quarter).
 */
export function resolveRelativePeriod(p: ReportPeriodRange, rel: RelativePeriod): { from: string; to: string } | null {
  const n = /^month(\d+)$/.exec(rel);
  if (n) {
    const k = Number(n[1]);
    if (k > FREQUENCY_MONTHS[p.frequency] || FREQUENCY_MONTHS[p.frequency] === 1) return null;
    const from = addMonths(p.from, k - 1);
    return { from, to: addDays(addMonths(from, 1), -1) };
  }
  switch (rel) {
    case 'report':
      return { from: p.from, to: p.to };
    case 'ytd':
      return p.frequency === 'year' ? null : { from: `${p.gregorianYear}-01-01`, to: p.to };
    case 'sameLastYear': {
      const q = reportPeriod(p.frequency, p.gregorianYear - 1, p.index);
      return { from: q.from, to: q.to };
    }
    case 'previous': {
      const q = shiftReportPeriod(p, -1);
      return { from: q.from, to: q.to };
    }
  }
  return null;
}
