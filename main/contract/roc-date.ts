/**
 * ROC (Minguo, 民國) calendar helpers.
 *
 * Storage is always ISO: dates `YYYY-MM-DD`, timestamps ISO-8601 UTC. Everything the user sees is ROC
 * (year = Gregorian − 1911). "Today" and timestamp display use Asia/Taipei, implemented as a fixed +8h
 * offset: Taiwan has had no DST since 1979, and this keeps us independent of the host's Intl/ICU data.
 *
 * Pure module: no Node or DOM imports, shared by the main process and the renderer.
 */

export const ROC_YEAR_OFFSET = 1911;
const TAIPEI_OFFSET_MS = 8 * 60 * 60 * 1000;
const MS_PER_DAY = 24 * 60 * 60 * 1000;

export type DateParseResult = { ok: true; iso: string } | { ok: false; message: string };

export type QuarterNumber = 1 | 2 | 3 | 4;

export interface QuarterRange {
  gregorianYear: number;
  rocYear: number;
  quarter: QuarterNumber;
  /** First day of the quarter, ISO. */
  start: string;
  /** Last day of the quarter (inclusive), ISO. */
  end: string;
  /** e.g. `115年第1季` */
  label: string;
}

export const DATE_FORMAT_MESSAGE = '日期格式不正確，請輸入如 115/3/5、1150305 或 2026-03-05';

// ---------------------------------------------------------------------------
// Basic calendar arithmetic (days since 1970-01-01), avoiding Date so that
// years < 100 and the host time zone can never leak in.

interface Ymd {
  y: number;
  m: number;
  d: number;
}

export function isLeapYear(gregorianYear: number): boolean {
  return (gregorianYear % 4 === 0 && gregorianYear % 100 !== 0) || gregorianYear % 400 === 0;
}

export function daysInMonth(gregorianYear: number, month: number): number {
  if (month === 2) return isLeapYear(gregorianYear) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

// Howard Hinnant's days_from_civil / civil_from_days.
function toDayNumber({ y, m, d }: Ymd): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function fromDayNumber(days: number): Ymd {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return { y: yoe + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function toIso({ y, m, d }: Ymd): string {
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
}

function isValidYmd(y: number, m: number, d: number): boolean {
  return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

function splitIso(s: string): Ymd | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!match) return null;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  return isValidYmd(y, m, d) ? { y, m, d } : null;
}

/** Programmer errors (bad stored data passed to arithmetic) should fail loudly. */
function requireIso(iso: string): Ymd {
  const ymd = splitIso(iso);
  if (!ymd) throw new RangeError(`Not an ISO date (YYYY-MM-DD): ${JSON.stringify(iso)}`);
  return ymd;
}

/** True for a real calendar date written exactly as `YYYY-MM-DD`. */
export function isIsoDate(s: unknown): s is string {
  return typeof s === 'string' && splitIso(s) !== null;
}

export function toRocYear(gregorianYear: number): number {
  return gregorianYear - ROC_YEAR_OFFSET;
}

export function toGregorianYear(rocYear: number): number {
  return rocYear + ROC_YEAR_OFFSET;
}

/**
 * Label functions accept either calendar's year. ROC years stay below 1912 until AD 3823, so a year
 * above 1911 can only be Gregorian; this saves callers from converting just to print a label.
 */
function anyYearToGregorian(year: number): number {
  return year > ROC_YEAR_OFFSET ? year : toGregorianYear(year);
}

// ---------------------------------------------------------------------------
// Display. These take possibly-missing values straight from records, so they never throw:
// null/empty shows as '', and anything that is not a valid date is shown unchanged so bad data
// stays visible instead of crashing a table.

function rocParts(iso: string | null | undefined): { roc: number; m: number; d: number } | null {
  if (!iso) return null;
  const ymd = splitIso(iso);
  if (!ymd || ymd.y <= ROC_YEAR_OFFSET) return null;
  return { roc: toRocYear(ymd.y), m: ymd.m, d: ymd.d };
}

/** `2026-03-05` → `115/03/05` (tables, lists). */
export function formatRocDate(iso: string | null | undefined): string {
  const p = rocParts(iso);
  if (!p) return iso ?? '';
  return `${p.roc}/${pad2(p.m)}/${pad2(p.d)}`;
}

/** `2026-03-05` → `中華民國115年3月5日` (printed documents). */
export function formatRocLong(iso: string | null | undefined): string {
  const p = rocParts(iso);
  if (!p) return iso ?? '';
  return `中華民國${p.roc}年${p.m}月${p.d}日`;
}

/**
 * Parses an ISO-8601 timestamp to epoch ms. A timestamp without a zone is taken as UTC because that
 * is how we store them (and what SQLite's CURRENT_TIMESTAMP produces: `2026-03-05 06:07:00`);
 * Date.parse would treat it as host-local time instead.
 */
function parseTimestamp(ts: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i.exec(
    ts.trim(),
  );
  if (!match) return null;
  const [, ys, mos, ds, hs, mis, ss, fs, zone] = match;
  const y = Number(ys);
  const mo = Number(mos);
  const d = Number(ds);
  const h = Number(hs);
  const mi = Number(mis);
  const s = ss ? Number(ss) : 0;
  if (!isValidYmd(y, mo, d) || h > 23 || mi > 59 || s > 59) return null;
  const ms = fs ? Number(fs.padEnd(3, '0').slice(0, 3)) : 0;
  let offsetMin = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
  }
  return toDayNumber({ y, m: mo, d }) * MS_PER_DAY + ((h * 60 + mi - offsetMin) * 60 + s) * 1000 + ms;
}

function taipeiParts(epochMs: number): Ymd & { hh: number; mm: number } {
  const local = epochMs + TAIPEI_OFFSET_MS;
  const days = Math.floor(local / MS_PER_DAY);
  const msOfDay = local - days * MS_PER_DAY;
  const minutes = Math.floor(msOfDay / 60000);
  return { ...fromDayNumber(days), hh: Math.floor(minutes / 60), mm: minutes % 60 };
}

/** `2026-03-05T06:07:00Z` → `115/03/05 14:07` (Taipei time). */
export function formatRocDateTime(isoTimestamp: string | null | undefined): string {
  if (!isoTimestamp) return '';
  const ms = parseTimestamp(isoTimestamp);
  if (ms === null) return isoTimestamp;
  const p = taipeiParts(ms);
  if (p.y <= ROC_YEAR_OFFSET) return isoTimestamp;
  return `${toRocYear(p.y)}/${pad2(p.m)}/${pad2(p.d)} ${pad2(p.hh)}:${pad2(p.mm)}`;
}

/** `115年3月`. Accepts an ISO date, or a year (ROC or Gregorian) and month. */
export function rocMonthLabel(iso: string): string;
export function rocMonthLabel(year: number, month: number): string;
export function rocMonthLabel(isoOrYear: string | number, month?: number): string {
  if (typeof isoOrYear === 'string') {
    const p = rocParts(isoOrYear);
    return p ? `${p.roc}年${p.m}月` : isoOrYear;
  }
  return `${toRocYear(anyYearToGregorian(isoOrYear))}年${month ?? ''}月`;
}

// ---------------------------------------------------------------------------
// Quarters (Q1 = Jan–Mar).

/** `115年第1季`. The year may be ROC (115) or Gregorian (2026). */
export function rocQuarterLabel(year: number, quarter: number): string {
  return `${toRocYear(anyYearToGregorian(year))}年第${quarter}季`;
}

export function quarterRange(gregorianYear: number, quarter: QuarterNumber): QuarterRange {
  const firstMonth = (quarter - 1) * 3 + 1;
  const lastMonth = firstMonth + 2;
  return {
    gregorianYear,
    rocYear: toRocYear(gregorianYear),
    quarter,
    start: toIso({ y: gregorianYear, m: firstMonth, d: 1 }),
    end: toIso({ y: gregorianYear, m: lastMonth, d: daysInMonth(gregorianYear, lastMonth) }),
    label: rocQuarterLabel(gregorianYear, quarter),
  };
}

export function quarterOf(iso: string): QuarterRange {
  const { y, m } = requireIso(iso);
  return quarterRange(y, (Math.floor((m - 1) / 3) + 1) as QuarterNumber);
}

/**
 * `115Q1`, `2026Q1`, `115q1`, `115-Q1`, `115年第1季` → the quarter; null if not a quarter.
 * A 4-digit year is Gregorian, 1–3 digits ROC (same rule as parseRocDate).
 */
export function parseQuarter(input: string): QuarterRange | null {
  const s = toHalfWidth(input).trim();
  const match = /^(?:民國)?(\d{1,4})\s*(?:[-/ ]?\s*[Qq]\s*([1-4])|年\s*第\s*([1-4])\s*季)$/.exec(s);
  if (!match) return null;
  const yearText = match[1] ?? '';
  const year = Number(yearText);
  const gregorianYear = yearText.length === 4 ? year : toGregorianYear(year);
  if (gregorianYear <= ROC_YEAR_OFFSET || gregorianYear > 9999) return null;
  return quarterRange(gregorianYear, Number(match[2] ?? match[3]) as QuarterNumber);
}

// ---------------------------------------------------------------------------
// Parsing user input.

/** Full-width ASCII (０-９, ／, －, ．, Ａ…) and the ideographic space → half-width. */
function toHalfWidth(s: string): string {
  return s.replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

/**
 * Accepts what people actually type: `115/3/5`, `115/03/05`, `115-3-5`, `115.3.5`, `1150305` (ROC yyymmdd),
 * `990305` (ROC yymmdd), `2026-03-05`, `2026/3/5`, `20260305`, `115年3月5日`, `民國115年3月5日`,
 * full-width digits and surrounding spaces. A 4-digit year is Gregorian; 1–3 digits are ROC.
 */
export function parseRocDate(input: string): DateParseResult {
  const s = toHalfWidth(input).trim();
  if (s === '') return { ok: false, message: '請輸入日期' };

  let yearText: string;
  let month: number;
  let day: number;

  const separated = /^(\d{1,4})([/.-])(\d{1,2})\2(\d{1,2})$/.exec(s);
  const chinese = /^(?:中華民國|民國)?\s*(\d{1,4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$/.exec(s);
  const compact = /^(\d{6,8})$/.exec(s);
  if (separated) {
    yearText = separated[1] ?? '';
    month = Number(separated[3]);
    day = Number(separated[4]);
  } else if (chinese) {
    yearText = chinese[1] ?? '';
    month = Number(chinese[2]);
    day = Number(chinese[3]);
  } else if (compact) {
    // 6 digits = ROC yymmdd, 7 = ROC yyymmdd, 8 = Gregorian yyyymmdd: the year is whatever precedes mmdd.
    yearText = s.slice(0, -4);
    month = Number(s.slice(-4, -2));
    day = Number(s.slice(-2));
  } else {
    return { ok: false, message: DATE_FORMAT_MESSAGE };
  }

  const isGregorian = yearText.length === 4;
  const typedYear = Number(yearText);
  const gregorianYear = isGregorian ? typedYear : toGregorianYear(typedYear);

  if (!isGregorian && typedYear < 1) {
    return { ok: false, message: '民國年份須為1年以上' };
  }
  if (isGregorian && typedYear <= ROC_YEAR_OFFSET) {
    return { ok: false, message: '西元年份須為1912年（民國元年）以後' };
  }
  if (month < 1 || month > 12) {
    return { ok: false, message: `沒有${month}月，月份須為1到12` };
  }
  if (day < 1 || day > daysInMonth(gregorianYear, month)) {
    // Echo the year the way the user typed it so they can find the mistake.
    return { ok: false, message: `${typedYear}年${month}月沒有${day}日` };
  }
  return { ok: true, iso: toIso({ y: gregorianYear, m: month, d: day }) };
}

// ---------------------------------------------------------------------------
// Arithmetic. Inputs must be valid ISO dates; anything else throws RangeError.

/** Today's date in Taipei. */
export function todayIso(now: Date = new Date()): string {
  return toIso(taipeiParts(now.getTime()));
}

export function addDays(iso: string, days: number): string {
  return toIso(fromDayNumber(toDayNumber(requireIso(iso)) + days));
}

/** Adds calendar months, clamping to the month's end: 2026-01-31 + 1 month = 2026-02-28. */
export function addMonths(iso: string, months: number): string {
  const { y, m, d } = requireIso(iso);
  const index = y * 12 + (m - 1) + months;
  const ny = Math.floor(index / 12);
  const nm = index - ny * 12 + 1;
  return toIso({ y: ny, m: nm, d: Math.min(d, daysInMonth(ny, nm)) });
}

/** Whole days from `fromIso` to `toIso` (positive when `toIso` is later). */
export function diffDays(fromIso: string, toIsoDate: string): number {
  return toDayNumber(requireIso(toIsoDate)) - toDayNumber(requireIso(fromIso));
}

/**
 * Age in completed years on a given date. Someone born on 2/29 turns a year older on 3/1 in common
 * years, which matches 民法 §121 (a period ending in a month without the corresponding day ends on
 * that month's last day).
 */
export function ageOn(birthIso: string, onIso: string): number {
  const b = requireIso(birthIso);
  const o = requireIso(onIso);
  const hadBirthday = o.m > b.m || (o.m === b.m && o.d >= b.d);
  return o.y - b.y - (hadBirthday ? 0 : 1);
}
