import { describe, it, expect } from 'vitest';
import {
  addDays,
  addMonths,
  ageOn,
  DATE_FORMAT_MESSAGE,
  diffDays,
  formatRocDate,
  formatRocDateTime,
  formatRocLong,
  isIsoDate,
  parseQuarter,
  parseRocDate,
  quarterOf,
  rocMonthLabel,
  rocQuarterLabel,
  todayIso,
} from '../../main/contract/roc-date';

describe('isIsoDate', () => {
  it('accepts real calendar dates in YYYY-MM-DD', () => {
    expect(isIsoDate('2026-03-05')).toBe(true);
    expect(isIsoDate('2024-02-29')).toBe(true);
  });

  it('rejects other shapes and impossible dates', () => {
    expect(isIsoDate('2026-3-5')).toBe(false);
    expect(isIsoDate('2026/03/05')).toBe(false);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-04-31')).toBe(false);
    expect(isIsoDate('2026-03-05T00:00:00Z')).toBe(false);
    expect(isIsoDate('')).toBe(false);
    expect(isIsoDate(null)).toBe(false);
    expect(isIsoDate(20260305)).toBe(false);
  });
});

describe('formatting', () => {
  it('formats table dates with zero padding', () => {
    expect(formatRocDate('2026-03-05')).toBe('115/03/05');
    expect(formatRocDate('2026-12-31')).toBe('115/12/31');
    expect(formatRocDate('2010-03-05')).toBe('99/03/05');
    expect(formatRocDate('1912-01-01')).toBe('1/01/01');
  });

  it('formats printed-document dates without padding', () => {
    expect(formatRocLong('2026-03-05')).toBe('中華民國115年3月5日');
    expect(formatRocLong('2026-04-10')).toBe('中華民國115年4月10日');
  });

  it('shows missing values as empty and bad values unchanged', () => {
    expect(formatRocDate(null)).toBe('');
    expect(formatRocDate(undefined)).toBe('');
    expect(formatRocDate('')).toBe('');
    expect(formatRocDate('not a date')).toBe('not a date');
    expect(formatRocDate('2025-02-29')).toBe('2025-02-29');
    expect(formatRocDate('1900-01-01')).toBe('1900-01-01');
    expect(formatRocLong(null)).toBe('');
  });

  it('formats timestamps in Taipei time (UTC+8)', () => {
    expect(formatRocDateTime('2026-03-05T06:07:00Z')).toBe('115/03/05 14:07');
    expect(formatRocDateTime('2026-03-05T06:07:59.999Z')).toBe('115/03/05 14:07');
    expect(formatRocDateTime('2026-03-05T14:07:00+08:00')).toBe('115/03/05 14:07');
    expect(formatRocDateTime('2026-03-04T20:07:00-10:00')).toBe('115/03/05 14:07');
  });

  it('treats zone-less timestamps (SQLite CURRENT_TIMESTAMP) as UTC', () => {
    expect(formatRocDateTime('2026-03-05 06:07:00')).toBe('115/03/05 14:07');
  });

  it('crosses the year boundary in Taipei time', () => {
    expect(formatRocDateTime('2026-12-31T16:30:00Z')).toBe('116/01/01 00:30');
    expect(formatRocDateTime('2026-12-31T15:59:00Z')).toBe('115/12/31 23:59');
  });

  it('returns bad timestamps unchanged', () => {
    expect(formatRocDateTime('yesterday')).toBe('yesterday');
    expect(formatRocDateTime(null)).toBe('');
  });

  it('labels months', () => {
    expect(rocMonthLabel('2026-03-05')).toBe('115年3月');
    expect(rocMonthLabel(2026, 3)).toBe('115年3月');
    expect(rocMonthLabel(115, 12)).toBe('115年12月');
  });
});

describe('todayIso', () => {
  it('uses the Taipei date, not the UTC date', () => {
    expect(todayIso(new Date('2026-12-31T16:30:00Z'))).toBe('2027-01-01');
    expect(todayIso(new Date('2026-12-31T15:59:59Z'))).toBe('2026-12-31');
    expect(todayIso(new Date('2026-03-04T20:00:00Z'))).toBe('2026-03-05');
  });

  it('defaults to now and returns an ISO date', () => {
    expect(isIsoDate(todayIso())).toBe(true);
  });
});

describe('parseRocDate', () => {
  const accepted: Array<[string, string]> = [
    ['115/3/5', '2026-03-05'],
    ['115/03/05', '2026-03-05'],
    ['115-3-5', '2026-03-05'],
    ['115.3.5', '2026-03-05'],
    ['1150305', '2026-03-05'],
    ['990305', '2010-03-05'],
    ['99/3/5', '2010-03-05'],
    ['2026-03-05', '2026-03-05'],
    ['2026/3/5', '2026-03-05'],
    ['20260305', '2026-03-05'],
    ['１１５/３/５', '2026-03-05'],
    ['１１５／３／５', '2026-03-05'],
    ['１１５０３０５', '2026-03-05'],
    ['  115/3/5  ', '2026-03-05'],
    ['\u3000115/3/5\u3000', '2026-03-05'],
    ['115年3月5日', '2026-03-05'],
    ['民國115年3月5日', '2026-03-05'],
    ['中華民國115年3月5日', '2026-03-05'],
    ['1/1/1', '1912-01-01'],
    ['115/12/31', '2026-12-31'],
  ];

  it.each(accepted)('accepts %j as %s', (input, iso) => {
    expect(parseRocDate(input)).toEqual({ ok: true, iso });
  });

  it('handles leap years', () => {
    expect(parseRocDate('113/2/29')).toEqual({ ok: true, iso: '2024-02-29' });
    expect(parseRocDate('1130229')).toEqual({ ok: true, iso: '2024-02-29' });
    expect(parseRocDate('114/2/29')).toEqual({ ok: false, message: '114年2月沒有29日' });
    expect(parseRocDate('89/2/29')).toEqual({ ok: true, iso: '2000-02-29' }); // 2000: divisible by 400
    expect(parseRocDate('2100-02-29')).toEqual({ ok: false, message: '2100年2月沒有29日' }); // divisible by 100
  });

  it('names the impossible day in the year the user typed', () => {
    expect(parseRocDate('115/2/30')).toEqual({ ok: false, message: '115年2月沒有30日' });
    expect(parseRocDate('115/4/31')).toEqual({ ok: false, message: '115年4月沒有31日' });
    expect(parseRocDate('2026-02-30')).toEqual({ ok: false, message: '2026年2月沒有30日' });
    expect(parseRocDate('115/3/0')).toEqual({ ok: false, message: '115年3月沒有0日' });
  });

  it('rejects impossible months', () => {
    expect(parseRocDate('115/13/1')).toEqual({ ok: false, message: '沒有13月，月份須為1到12' });
    expect(parseRocDate('1150005')).toEqual({ ok: false, message: '沒有0月，月份須為1到12' });
  });

  it('rejects ROC year 0 and Gregorian years before the ROC', () => {
    expect(parseRocDate('0/3/5')).toEqual({ ok: false, message: '民國年份須為1年以上' });
    expect(parseRocDate('000305')).toEqual({ ok: false, message: '民國年份須為1年以上' });
    expect(parseRocDate('1900-01-01')).toEqual({ ok: false, message: '西元年份須為1912年（民國元年）以後' });
  });

  it('rejects unrecognised formats with the format hint', () => {
    const bad = ['', 'abc', '115/3', '115/3/5/1', '115/3-5', '11503', '115030512', '12345/3/5', '3/5/115x', '115 3 5'];
    for (const input of bad.slice(1)) {
      expect(parseRocDate(input)).toEqual({ ok: false, message: DATE_FORMAT_MESSAGE });
    }
    expect(DATE_FORMAT_MESSAGE).toBe('日期格式不正確，請輸入如 115/3/5、1150305 或 2026-03-05');
    expect(parseRocDate('')).toEqual({ ok: false, message: '請輸入日期' });
    expect(parseRocDate('   ')).toEqual({ ok: false, message: '請輸入日期' });
  });

  it('round-trips with formatRocDate', () => {
    for (const iso of ['2026-03-05', '2024-02-29', '1912-01-01', '2010-10-10']) {
      const shown = formatRocDate(iso);
      expect(parseRocDate(shown)).toEqual({ ok: true, iso });
    }
  });
});

describe('quarters', () => {
  it('labels quarters from ROC or Gregorian years', () => {
    expect(rocQuarterLabel(115, 1)).toBe('115年第1季');
    expect(rocQuarterLabel(2026, 4)).toBe('115年第4季');
  });

  it('parses ROC and Gregorian quarter codes to the same range', () => {
    const q1 = {
      gregorianYear: 2026,
      rocYear: 115,
      quarter: 1,
      start: '2026-01-01',
      end: '2026-03-31',
      label: '115年第1季',
    };
    expect(parseQuarter('115Q1')).toEqual(q1);
    expect(parseQuarter('2026Q1')).toEqual(q1);
    expect(parseQuarter(' 115q1 ')).toEqual(q1);
    expect(parseQuarter('115-Q1')).toEqual(q1);
    expect(parseQuarter('115年第1季')).toEqual(q1);
    expect(parseQuarter('１１５Ｑ１')).toEqual(q1);
  });

  it('computes each quarter end, including leap-year-free Q1 and 30/31-day ends', () => {
    expect(parseQuarter('115Q2')).toMatchObject({ start: '2026-04-01', end: '2026-06-30' });
    expect(parseQuarter('115Q3')).toMatchObject({ start: '2026-07-01', end: '2026-09-30' });
    expect(parseQuarter('115Q4')).toMatchObject({ start: '2026-10-01', end: '2026-12-31' });
  });

  it('rejects invalid quarter codes', () => {
    expect(parseQuarter('115Q5')).toBeNull();
    expect(parseQuarter('115Q0')).toBeNull();
    expect(parseQuarter('Q1')).toBeNull();
    expect(parseQuarter('0Q1')).toBeNull();
    expect(parseQuarter('115')).toBeNull();
  });

  it('finds the quarter of a date', () => {
    expect(quarterOf('2026-03-31')).toMatchObject({ quarter: 1, label: '115年第1季', end: '2026-03-31' });
    expect(quarterOf('2026-04-01')).toMatchObject({ quarter: 2, start: '2026-04-01' });
    expect(quarterOf('2026-12-31')).toMatchObject({ quarter: 4, rocYear: 115, gregorianYear: 2026 });
  });

  it('throws on a non-ISO date', () => {
    expect(() => quarterOf('115/3/5')).toThrow(RangeError);
  });
});

describe('arithmetic', () => {
  it('adds days across month, year and leap boundaries', () => {
    expect(addDays('2026-03-05', 1)).toBe('2026-03-06');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2025-02-28', 1)).toBe('2025-03-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2026-03-05', 365)).toBe('2027-03-05');
  });

  it('adds months with end-of-month clamping', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2026-03-31', -1)).toBe('2026-02-28');
    expect(addMonths('2026-11-15', 3)).toBe('2027-02-15');
    expect(addMonths('2026-01-15', -1)).toBe('2025-12-15');
    expect(addMonths('2026-03-05', 12)).toBe('2027-03-05');
    expect(addMonths('2024-02-29', 12)).toBe('2025-02-28');
  });

  it('counts days between dates', () => {
    expect(diffDays('2026-03-05', '2026-03-05')).toBe(0);
    expect(diffDays('2026-03-05', '2026-03-06')).toBe(1);
    expect(diffDays('2026-03-06', '2026-03-05')).toBe(-1);
    expect(diffDays('2024-01-01', '2025-01-01')).toBe(366);
    expect(diffDays('2025-01-01', '2026-01-01')).toBe(365);
  });

  it('computes age in completed years', () => {
    expect(ageOn('1960-03-05', '2026-03-04')).toBe(65);
    expect(ageOn('1960-03-05', '2026-03-05')).toBe(66);
    expect(ageOn('2026-03-05', '2026-03-05')).toBe(0);
    // Born on 2/29: a year older on 3/1 in a common year.
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
    expect(ageOn('2008-02-29', '2028-02-29')).toBe(20);
  });

  it('throws on invalid ISO input', () => {
    expect(() => addDays('2026-02-30', 1)).toThrow(RangeError);
    expect(() => addMonths('115/03/05', 1)).toThrow(RangeError);
    expect(() => diffDays('2026-03-05', '')).toThrow(RangeError);
    expect(() => ageOn('x', '2026-03-05')).toThrow(RangeError);
  });
});
