/**
 * The report periods contract (issue 13, main/contract/report-periods.ts): period keys, labels and
 * lines per frequency, the text forms people type, and periods relative to the report's, at the
 * edges (Q1's previous quarter is last year's Q4, month 3 of Q4, year to date, half-years, February
 * of a leap year and the year after).
 */
import { describe, expect, it } from 'vitest';
import {
  REPORT_FREQUENCIES,
  REPORT_PERIOD_FORMAT_MESSAGES,
  parseReportPeriod,
  relativePeriodsFor,
  reportPeriod,
  reportPeriodOf,
  resolveRelativePeriod,
  shiftReportPeriod,
  type ReportFrequency,
} from '../../main/contract/report-periods';

const at = (f: ReportFrequency, y: number, i: number) => reportPeriod(f, y, i);

describe('report periods: keys, labels, lines', () => {
  it('names each frequency with a sortable key, an ROC label, what people type and the template line', () => {
    expect(at('month', 2026, 3)).toMatchObject({ key: '2026-03', rocKey: '115-03', label: '115年3月', line: '中華民國115年3月', from: '2026-03-01', to: '2026-03-31', index: 3 });
    expect(at('quarter', 2026, 1)).toMatchObject({ key: '2026Q1', rocKey: '115Q1', label: '115年第1季', line: '中華民國115年第1季', from: '2026-01-01', to: '2026-03-31' });
    expect(at('quarter', 2026, 4)).toMatchObject({ key: '2026Q4', from: '2026-10-01', to: '2026-12-31' });
    expect(at('halfYear', 2026, 1)).toMatchObject({ key: '2026H1', rocKey: '115H1', label: '115年上半年', from: '2026-01-01', to: '2026-06-30' });
    expect(at('halfYear', 2026, 2)).toMatchObject({ key: '2026H2', label: '115年下半年', from: '2026-07-01', to: '2026-12-31' });
    expect(at('year', 2026, 1)).toMatchObject({ key: '2026', rocKey: '115', label: '115年', line: '中華民國115年', from: '2026-01-01', to: '2026-12-31' });
    expect(at('month', 2028, 2).to).toBe('2028-02-29');
    expect(at('month', 2026, 2).to).toBe('2026-02-28');
  });

  it('finds the period containing a day and steps across year ends', () => {
    expect(reportPeriodOf('quarter', '2026-05-20').key).toBe('2026Q2');
    expect(reportPeriodOf('halfYear', '2026-07-01').key).toBe('2026H2');
    expect(reportPeriodOf('month', '2026-12-31').key).toBe('2026-12');
    expect(reportPeriodOf('year', '2026-05-20').key).toBe('2026');
    expect(shiftReportPeriod(at('quarter', 2026, 1), -1).key).toBe('2025Q4');
    expect(shiftReportPeriod(at('quarter', 2025, 4), 1).key).toBe('2026Q1');
    expect(shiftReportPeriod(at('month', 2026, 1), -1).key).toBe('2025-12');
    expect(shiftReportPeriod(at('month', 2026, 1), -13).key).toBe('2024-12');
    expect(shiftReportPeriod(at('halfYear', 2026, 1), -1).key).toBe('2025H2');
    expect(shiftReportPeriod(at('year', 2026, 1), -2).key).toBe('2024');
  });
});

describe('parseReportPeriod: each text form', () => {
  const key = (f: ReportFrequency, s: string) => parseReportPeriod(f, s)?.key ?? null;

  it('months', () => {
    for (const s of ['115-03', '115/3', '115.03', '115年3月', '115 年 3 月', '2026-03', '中華民國115年3月', '民國115年3月', '１１５－０３', '１１５年３月']) expect(key('month', s), s).toBe('2026-03');
    for (const s of ['115-13', '115-00', '115Q1', '115', '2026', 'abc', '', '1911-01']) expect(key('month', s), s).toBeNull();
  });

  it('quarters', () => {
    for (const s of ['115Q1', '115q1', '115 Q1', '115-Q1', '115年第1季', '115年 第 1 季', '2026Q1', '中華民國115年第1季', '１１５Ｑ１']) expect(key('quarter', s), s).toBe('2026Q1');
    expect(key('quarter', '114Q4')).toBe('2025Q4');
    for (const s of ['115Q5', '115Q0', '115-03', '115H1', '115', '115年第5季']) expect(key('quarter', s), s).toBeNull();
  });

  it('half-years', () => {
    for (const s of ['115H1', '115h1', '115年上半年', '2026H1', '中華民國115年上半年']) expect(key('halfYear', s), s).toBe('2026H1');
    for (const s of ['115H2', '115年下半年', '2026H2']) expect(key('halfYear', s), s).toBe('2026H2');
    for (const s of ['115H3', '115Q1', '115', '115年中半年']) expect(key('halfYear', s), s).toBeNull();
  });

  it('years', () => {
    for (const s of ['115', '115年', '115年度', '2026', '中華民國115年', '１１５']) expect(key('year', s), s).toBe('2026');
    for (const s of ['115Q1', '115-03', '115H1', '0', '1911']) expect(key('year', s), s).toBeNull();
  });

  it('reads back every stored key and every ROC key it makes', () => {
    for (const f of REPORT_FREQUENCIES) {
      for (let i = 1; i <= 12 / { month: 1, quarter: 3, halfYear: 6, year: 12 }[f]; i++) {
        const p = at(f, 2026, i);
        expect(parseReportPeriod(f, p.key)?.key).toBe(p.key);
        expect(parseReportPeriod(f, p.rocKey)?.key).toBe(p.key);
        expect(parseReportPeriod(f, p.label)?.key).toBe(p.key);
      }
      expect(REPORT_PERIOD_FORMAT_MESSAGES[f]).toMatch(/格式不正確/);
    }
  });
});

describe('relative periods', () => {
  const q1 = at('quarter', 2026, 1);
  const q4 = at('quarter', 2026, 4);

  it('offers only the periods that fit the frequency', () => {
    expect(relativePeriodsFor('quarter')).toEqual(['report', 'month1', 'month2', 'month3', 'ytd', 'sameLastYear', 'previous']);
    expect(relativePeriodsFor('month')).toEqual(['report', 'ytd', 'sameLastYear', 'previous']);
    expect(relativePeriodsFor('halfYear')).toEqual(['report', 'month1', 'month2', 'month3', 'month4', 'month5', 'month6', 'ytd', 'sameLastYear', 'previous']);
    expect(relativePeriodsFor('year')).toContain('month12');
    expect(relativePeriodsFor('year')).not.toContain('ytd');
  });

  it('resolves a quarter: its months, year to date, the same quarter last year, the previous quarter', () => {
    expect(resolveRelativePeriod(q1, 'report')).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(resolveRelativePeriod(q1, 'month1')).toEqual({ from: '2026-01-01', to: '2026-01-31' });
    expect(resolveRelativePeriod(q1, 'month2')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(resolveRelativePeriod(q1, 'month3')).toEqual({ from: '2026-03-01', to: '2026-03-31' });
    expect(resolveRelativePeriod(q1, 'month4')).toBeNull();
    expect(resolveRelativePeriod(q1, 'previous')).toEqual({ from: '2025-10-01', to: '2025-12-31' });
    expect(resolveRelativePeriod(q1, 'ytd')).toEqual({ from: '2026-01-01', to: '2026-03-31' });
    expect(resolveRelativePeriod(q1, 'sameLastYear')).toEqual({ from: '2025-01-01', to: '2025-03-31' });
    expect(resolveRelativePeriod(q4, 'month3')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(resolveRelativePeriod(q4, 'ytd')).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(resolveRelativePeriod(q4, 'previous')).toEqual({ from: '2026-07-01', to: '2026-09-30' });
    expect(resolveRelativePeriod(at('quarter', 2026, 2), 'ytd')).toEqual({ from: '2026-01-01', to: '2026-06-30' });
  });

  it('February of a leap year, and the same month of the year after', () => {
    const q1of2028 = at('quarter', 2028, 1);
    expect(resolveRelativePeriod(q1of2028, 'month2')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(resolveRelativePeriod(at('month', 2029, 2), 'sameLastYear')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
    expect(resolveRelativePeriod(at('month', 2028, 2), 'sameLastYear')).toEqual({ from: '2027-02-01', to: '2027-02-28' });
    expect(resolveRelativePeriod(at('month', 2028, 3), 'previous')).toEqual({ from: '2028-02-01', to: '2028-02-29' });
  });

  it('half-years, months and years', () => {
    const h2 = at('halfYear', 2026, 2);
    expect(resolveRelativePeriod(h2, 'month1')).toEqual({ from: '2026-07-01', to: '2026-07-31' });
    expect(resolveRelativePeriod(h2, 'month6')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(resolveRelativePeriod(h2, 'month7')).toBeNull();
    expect(resolveRelativePeriod(h2, 'ytd')).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(resolveRelativePeriod(h2, 'previous')).toEqual({ from: '2026-01-01', to: '2026-06-30' });
    expect(resolveRelativePeriod(at('halfYear', 2026, 1), 'previous')).toEqual({ from: '2025-07-01', to: '2025-12-31' });
    expect(resolveRelativePeriod(at('month', 2026, 1), 'previous')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(resolveRelativePeriod(at('month', 2026, 5), 'ytd')).toEqual({ from: '2026-01-01', to: '2026-05-31' });
    expect(resolveRelativePeriod(at('month', 2026, 5), 'month1')).toBeNull();
    expect(resolveRelativePeriod(at('year', 2026, 1), 'month12')).toEqual({ from: '2026-12-01', to: '2026-12-31' });
    expect(resolveRelativePeriod(at('year', 2026, 1), 'ytd')).toBeNull();
    expect(resolveRelativePeriod(at('year', 2026, 1), 'previous')).toEqual({ from: '2025-01-01', to: '2025-12-31' });
  });

  it('every relative period it offers resolves, inside or before the report period', () => {
    for (const f of REPORT_FREQUENCIES) {
      const p = reportPeriodOf(f, '2028-02-15');
      for (const rel of relativePeriodsFor(f)) {
        const r = resolveRelativePeriod(p, rel);
        expect(r, `${f} ${rel}`).not.toBeNull();
        expect((r as { from: string; to: string }).from <= (r as { from: string; to: string }).to).toBe(true);
        expect((r as { to: string }).to <= p.to).toBe(true);
      }
    }
  });
});
