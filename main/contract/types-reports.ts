/**
 * Reports (issue 4): the indicator library's public description, quarterly report
 * definitions (a central xlsx template + cell mappings), submissions, the monthly
 * report and cross-tabulation. Pure: shared by the main process and the renderer.
 */
import { parseReportPeriod, type RelativePeriod, type ReportFrequency } from './report-periods';
import { addDays, daysInMonth, isIsoDate, parseQuarter, rocMonthLabel, toGregorianYear, type QuarterRange } from './roc-date';

// ---------------------------------------------------------------------------
// Indicators

/** Units a figure may be stated in (DOMAIN.md). */
export const INDICATOR_UNITS = ['人', '戶', '人次', '件', '次', '%', '元', '公斤'] as const;
export type IndicatorUnit = (typeof INDICATOR_UNITS)[number];

/**
 * What one counts: people once (人數), households once (戶數), cases once (件),
 * or every occurrence (人次, 次). Rates say `rate`.
 */
export const INDICATOR_COUNTINGS = ['people', 'households', 'cases', 'occurrences', 'rate'] as const;
export type IndicatorCounting = (typeof INDICATOR_COUNTINGS)[number];
export const INDICATOR_COUNTING_LABELS: Record<IndicatorCounting, string> = {
  people: '人數（每人只計一次）',
  households: '戶數（每戶只計一次）',
  cases: '案件數（每案只計一次）',
  occurrences: '人次／次數（每次都計）',
  rate: '比率（分子÷分母）',
};

/** A flow counts what happened during the period; a stock what stood at its last day. */
export const INDICATOR_MEASURES = ['flow', 'stock'] as const;
export type IndicatorMeasure = (typeof INDICATOR_MEASURES)[number];
export const INDICATOR_MEASURE_LABELS: Record<IndicatorMeasure, string> = { flow: '期間內（動態）', stock: '期末（靜態）' };

/**
 * Breakdown dimensions. The first ten are the ones of issue 4; `method`,
 * `caseStatus`, `referralStatus` and `concernReason` serve single indicators
 * (services by method, caseload by status, referrals by status, concerns by reason).
 */
export const REPORT_DIMENSIONS = [
  'worker',
  'team',
  'district',
  'village',
  'caseType',
  'dimension',
  'householdType',
  'ageBand',
  'sex',
  'month',
  'method',
  'caseStatus',
  'referralStatus',
  'concernReason',
  'fundingLine',
  'riskLevel',
  'assessmentStage',
  'resource',
] as const;
export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];

export const REPORT_DIMENSION_LABELS: Record<ReportDimension, string> = {
  worker: '社工',
  team: '組別',
  district: '鄉鎮市區',
  village: '村里',
  caseType: '個案類型',
  dimension: '脆弱面向',
  householdType: '家戶類型',
  ageBand: '年齡層',
  sex: '性別',
  month: '月份',
  method: '服務方式',
  caseStatus: '個案狀態',
  referralStatus: '轉介狀態',
  concernReason: '關懷原因',
  fundingLine: '經費來源',
  riskLevel: '風險等級',
  assessmentStage: '評估時機',
  resource: '資源',
};

/** Age bands, by completed years on the period's last day. */
export const AGE_BANDS = ['0-5', '6-11', '12-17', '18-29', '30-44', '45-64', '65+', 'unknown'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];
export const AGE_BAND_LABELS: Record<AgeBand, string> = {
  '0-5': '未滿6歲',
  '6-11': '6-11歲',
  '12-17': '12-17歲',
  '18-29': '18-29歲',
  '30-44': '30-44歲',
  '45-64': '45-64歲',
  '65+': '65歲以上',
  unknown: '不詳',
};

export const SEX_LABELS: Record<string, string> = { M: '男', F: '女', X: '其他' };

/** The six 面向 of the vulnerability code list (labels as in migration 0004). */
export const VULNERABILITY_DIMENSION_LABELS: Record<string, string> = {
  '1': '家庭經濟陷困',
  '2': '家庭遭逢變故致功能受損',
  '3': '家庭關係衝突或疏離',
  '4': '兒少發展不利處境',
  '5': '家庭成員身心障礙或傷病失能',
  '6': '個人生活適應困難',
};

/** Equality filters: one value or any of several. */
export type IndicatorFilters = Partial<Record<ReportDimension, string | string[]>>;

export interface IndicatorView {
  id: string;
  name: string;
  unit: IndicatorUnit;
  counting: IndicatorCounting;
  measure: IndicatorMeasure;
  /** Dimensions this indicator may be broken down or filtered by. */
  breakdowns: ReportDimension[];
  /** zh-TW: exactly what is counted, for the mapping screen and the docs. */
  description: string;
  /** Grouping for pick lists: 個案, 服務, 長期關懷, ... */
  group: string;
}

/** A figure for one combination of breakdown values. */
export interface IndicatorRowView {
  keys: Partial<Record<ReportDimension, string | null>>;
  labels: Partial<Record<ReportDimension, string>>;
  value: number | null;
  numerator?: number;
  denominator?: number;
}

export interface IndicatorResultView {
  indicatorId: string;
  period: { from: string; to: string };
  breakdown: ReportDimension[];
  rows: IndicatorRowView[];
  total: { value: number | null; numerator?: number; denominator?: number };
}

// ---------------------------------------------------------------------------
// Periods

export interface ReportPeriod {
  from: string;
  to: string;
  /** `115年第1季`, `115年3月` or `115/01/01-115/03/31`. */
  label: string;
}

/** `2026-03`, `115-03`, `115/3`, `115年3月` → the month's first and last day; null if not a month. */
export function parseMonth(input: string): { year: number; month: number; from: string; to: string; label: string } | null {
  const s = input.trim().replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  const m = /^(?:中華民國|民國)?(\d{1,4})\s*(?:[-/.]\s*|年\s*)(\d{1,2})\s*月?$/.exec(s);
  if (!m) return null;
  const yearText = m[1] ?? '';
  const year = yearText.length === 4 ? Number(yearText) : toGregorianYear(Number(yearText));
  const month = Number(m[2]);
  if (year <= 1911 || year > 9999 || month < 1 || month > 12) return null;
  const mm = String(month).padStart(2, '0');
  return { year, month, from: `${year}-${mm}-01`, to: `${year}-${mm}-${String(daysInMonth(year, month)).padStart(2, '0')}`, label: rocMonthLabel(year, month) };
}

/** `2026Q1`: the stored form of a quarter (sorts by time). */
export function quarterKey(q: Pick<QuarterRange, 'gregorianYear' | 'quarter'>): string {
  return `${q.gregorianYear}Q${q.quarter}`;
}

/** `115Q1` (what people type and what the screens show). */
export function rocQuarterKey(q: Pick<QuarterRange, 'rocYear' | 'quarter'>): string {
  return `${q.rocYear}Q${q.quarter}`;
}

/**
 * A quarter (`115Q1`, `115年第1季`, `2026Q1`), a month (`115-03`, `2026-03`), a half-year (`115H1`,
 * `115年上半年`), a year (`115`, `115年`) or an explicit range.
 */
export type PeriodInput = string | { from: string; to: string };

export function parsePeriod(input: PeriodInput): ReportPeriod | null {
  if (typeof input === 'object') {
    if (!isIsoDate(input.from) || !isIsoDate(input.to) || input.from > input.to) return null;
    if (input.to > addDays(input.from, 366 * 3)) return null;
    return { from: input.from, to: input.to, label: `${fmt(input.from)}-${fmt(input.to)}` };
  }
  const q = parseQuarter(input);
  if (q) return { from: q.start, to: q.end, label: q.label };
  const m = parseMonth(input);
  if (m) return { from: m.from, to: m.to, label: m.label };
  const other = parseReportPeriod('halfYear', input) ?? parseReportPeriod('year', input);
  if (other) return { from: other.from, to: other.to, label: other.label };
  return null;
}

function fmt(iso: string): string {
  return `${Number(iso.slice(0, 4)) - 1911}/${iso.slice(5, 7)}/${iso.slice(8, 10)}`;
}

export const PERIOD_FORMAT_MESSAGE = '期間格式不正確，請輸入季（如 115Q1、115年第1季）、月（如 115-03）、半年（如 115H1）、年度（如 115）或起訖日期';

// ---------------------------------------------------------------------------
// Templates and definitions

export interface TemplateSheetSummary {
  name: string;
  index: number;
  kind: string;
  state: string;
  dimension: string | null;
}

export interface TemplateView {
  id: number;
  fileName: string;
  sha256: string;
  size: number;
  sheets: TemplateSheetSummary[];
  importedAt: string;
  importedBy: string;
  /** True when the same file had been imported before and that copy was reused. */
  reused?: boolean;
}

/** The inspected grid for the mapping screen (structurally the template engine's WorkbookModel). */
export interface TemplateGridCell {
  address: string;
  row: number;
  col: number;
  type: 'string' | 'number' | 'boolean' | 'date' | 'error' | 'empty';
  value: string | number | boolean | null;
  text: string;
  hasFormula: boolean;
  formula: string | null;
  styleId: number;
}

export interface TemplateGridSheet extends TemplateSheetSummary {
  path: string;
  usedRange: string | null;
  cells: TemplateGridCell[];
  merges: { ref: string; top: number; left: number; bottom: number; right: number }[];
  columns: { min: number; max: number; width: number | null; hidden: boolean }[];
  rows: { row: number; height: number | null; hidden: boolean }[];
  defaultColumnWidth: number | null;
  defaultRowHeight: number | null;
  frozenPane: { rows: number; cols: number; topLeftCell: string | null } | null;
}

export interface TemplateGridStyle {
  bold: boolean;
  italic: boolean;
  fontSize: number | null;
  fontColor: string | null;
  fillColor: string | null;
  horizontal: string | null;
  vertical: string | null;
  wrapText: boolean;
  border: { top: boolean; right: boolean; bottom: boolean; left: boolean };
  numFmtId: number;
  numFmt: string;
  isDate: boolean;
}

export interface TemplateGrid {
  templateId: number;
  fileName: string;
  sheets: TemplateGridSheet[];
  definedNames: { name: string; ref: string; scopeSheet: string | null; hidden: boolean }[];
  styles: TemplateGridStyle[];
  date1904: boolean;
  /** The form's own data recognised on each worksheet (issue 13); absent on older answers. */
  recognised?: RecognisedSheet[];
}

/** What identifies a mapped cell's place (row label, column label, style), recorded at save. */
export interface CellFingerprintView {
  sheet: string;
  cell: string;
  rowLabel: string | null;
  rowLabelCell: string | null;
  columnLabel: string | null;
  columnLabelCell: string | null;
  styleId: number | null;
}

export interface MappingInput {
  sheet: string;
  cell: string;
  indicatorId: string;
  filters?: IndicatorFilters;
  /** The period the cell counts, relative to the report's (report-periods.ts); absent: the whole report period. */
  period?: RelativePeriod;
}

export interface MappingView extends Required<MappingInput> {
  /** zh-TW: the indicator's name and its filters, e.g. 開案數（脆弱面向＝家庭經濟陷困）. */
  label: string;
  unit: IndicatorUnit;
  fingerprint: CellFingerprintView;
}

export interface DefinitionSummary {
  id: number;
  name: string;
  formNo: string;
  agency: string;
  deadline: string;
  templateId: number;
  templateFileName: string;
  mappingCount: number;
  updatedAt: string;
  updatedBy: string;
  version: number;
  /** The newest locked quarter, e.g. `115Q1`, or null. */
  lastSubmitted: string | null;
  /** How often the form is due (issue 13); absent on definitions saved before it: quarterly. */
  frequency?: ReportFrequency;
  /** Set when the definition was deleted while a submitted period still used it (kept, archived). */
  archivedAt?: string | null;
}

export interface DefinitionView extends DefinitionSummary {
  templateSha256: string;
  periodCell: { sheet: string; cell: string; fingerprint: CellFingerprintView } | null;
  /** The template's 編製日期 cell (issue 13), filled with the generation date; absent on older servers. */
  compiledCell?: { sheet: string; cell: string; fingerprint: CellFingerprintView } | null;
  mappings: MappingView[];
  /** Warnings of the save just made (a mapping on a hidden sheet, ...); the save succeeded. */
  warnings?: MappingProblemView[];
}

export interface MappingProblemView {
  sheet: string;
  cell: string;
  code: string;
  severity: 'error' | 'warning';
  message: string;
  suggestedCell: string | null;
  /** Issue 13: a missing sheet's likely new name; the labels (style, merged area) saved and found now. */
  suggestedSheet?: string | null;
  before?: string | null;
  after?: string | null;
}

/** The exported definition file (docs/report-definition.md). */
export const DEFINITION_FILE_FORMAT = 'welfare-desk/report-definition';
export const DEFINITION_FILE_VERSION = 2;

export interface DefinitionFile {
  format: typeof DEFINITION_FILE_FORMAT;
  /** 1: issue 4 (quarterly, no relative periods); 2: issue 13 (frequency, mapping periods, 編製日期 cell). */
  version: 1 | 2;
  exportedAt: string;
  exportedFrom: string;
  form: { name: string; formNo: string; agency: string; deadline: string };
  template: { fileName: string; sha256: string; size: number; base64: string };
  periodCell: { sheet: string; cell: string; fingerprint: CellFingerprintView } | null;
  mappings: { sheet: string; cell: string; indicatorId: string; filters: IndicatorFilters; fingerprint: CellFingerprintView; period?: RelativePeriod }[];
  /** Version 2: how often the form is due (absent in version 1: quarterly). */
  frequency?: ReportFrequency;
  /** Version 2: the 編製日期 cell. */
  compiledCell?: { sheet: string; cell: string; fingerprint: CellFingerprintView } | null;
}

export interface ExportedFile {
  fileName: string;
  /** For JSON files: the text itself. */
  text?: string;
  /** For binary files. */
  fileBase64?: string;
  mimeType: string;
  sha256: string;
}

// ---------------------------------------------------------------------------
// Generation, submission, periods

export interface FigureView {
  sheet: string;
  cell: string;
  indicatorId: string;
  label: string;
  unit: IndicatorUnit;
  value: number | null;
  numerator?: number;
  denominator?: number;
  /** The period the cell counted relative to the report's (issue 13), and its dates; absent in figures stored before. */
  period?: RelativePeriod;
  from?: string;
  to?: string;
}

export interface CellDiffView {
  sheet: string;
  cell: string;
  before: string | number | boolean | null;
  after: string | number | boolean | null;
  beforeText: string;
  afterText: string;
  /** The mapped figure's label when the cell is mapped. */
  label: string | null;
}

export interface GenerateResult {
  definitionId: number;
  period: string; // 115Q1
  periodLabel: string; // 115年第1季
  from: string;
  to: string;
  figures: FigureView[];
  /** Warnings from the mapping check (a changed cell style, ...). Errors refuse generation instead. */
  warnings: MappingProblemView[];
  fileName: string;
  fileBase64: string;
  sha256: string;
  /** Present when the quarter is locked: the submitted snapshot and what changed since. */
  locked: { submittedAt: string; submittedBy: string; sha256: string; diff: CellDiffView[] } | null;
}

export const PERIOD_STATES = ['open', 'locked', 'unlocked'] as const;
export type PeriodState = (typeof PERIOD_STATES)[number];
export const PERIOD_STATE_LABELS: Record<PeriodState, string> = { open: '未送出', locked: '已送出（鎖定）', unlocked: '已解鎖（待重送）' };

export interface SubmissionView {
  id: number;
  submittedAt: string;
  submittedBy: string;
  sha256: string;
  unlockedAt: string | null;
  unlockedBy: string | null;
  unlockReason: string | null;
}

export interface PeriodStatusView {
  definitionId: number;
  period: string; // 115Q1
  label: string; // 115年第1季
  from: string;
  to: string;
  state: PeriodState;
  /** Newest first. */
  submissions: SubmissionView[];
}

export interface SnapshotView {
  definitionId: number;
  period: string;
  submittedAt: string;
  submittedBy: string;
  figures: FigureView[];
  fileName: string;
  fileBase64: string;
  sha256: string;
}

// ---------------------------------------------------------------------------
// Monthly report

export interface MonthlyTable {
  /** Stable id: `caseload`, `flow`, `services`, `overdue`, `concerns`, later `foodbank`, `programmes`. */
  id: string;
  title: string;
  unit: string;
  /** Column headings after the row-label column. */
  columns: string[];
  rowHeading: string;
  rows: { label: string; values: (number | string | null)[]; total?: boolean }[];
  note?: string;
}

export interface MonthlyReportData {
  month: string; // 2026-03
  from: string;
  to: string;
  teamId: number | null;
  teamName: string | null;
  header: {
    publicity: string; // 公開類
    frequency: string; // 月報
    deadline: string;
    agency: string; // 編製機關 = center name
    formNo: string; // 表號
    title: string;
    periodLine: string; // 中華民國115年3月
    unit: string;
    compiledOn: string; // 中華民國115年4月10日
  };
  tables: MonthlyTable[];
  remark: { text: string; updatedAt: string; updatedBy: string; version: number } | null;
  footer: { signatures: string[]; dataSource: string; notes: string[] };
}

export interface MonthlyRemarkView {
  month: string;
  teamId: number | null;
  text: string;
  updatedAt: string;
  updatedBy: string;
  version: number;
}

// ---------------------------------------------------------------------------
// Cross-tabulation

export interface CrosstabCell {
  value: number | null;
  /** As shown: the number, `<3` when suppressed, `-` when there is no figure (a rate without cases). */
  display: string;
  suppressed: boolean;
  numerator?: number;
  denominator?: number;
}

export interface CrosstabView {
  indicator: IndicatorView;
  period: ReportPeriod;
  breakdowns: ReportDimension[];
  /** The dimensions forming rows (all but the last when there are two or three). */
  rowDimensions: ReportDimension[];
  /** The dimension forming columns, or null for a one-dimension table. */
  columnDimension: ReportDimension | null;
  columns: { key: string | null; label: string }[];
  rows: { keys: (string | null)[]; labels: string[]; cells: CrosstabCell[]; total: CrosstabCell }[];
  columnTotals: CrosstabCell[];
  grandTotal: CrosstabCell;
  suppressBelow: number | null;
  suppressedCount: number;
  /** zh-TW notes for the table foot (how totals were computed, multi-valued dimensions, suppression). */
  notes: string[];
  /** True when the caller saw only part of the center (a supervisor: their teams). */
  scopedToTeams: boolean;
}

// ---------------------------------------------------------------------------
// The form's own data recognised on a template (issue 13 §4)

/** A label such as 表號 and the cell holding its value (right of the label, else below it). */
export interface RecognisedValueCell {
  labelCell: string;
  cell: string;
  /** The value as the template has it (empty when the template leaves it blank). */
  value: string;
}

/** What one worksheet of a template says about the form itself. */
export interface RecognisedSheet {
  sheet: string;
  /** The sheet is hidden (or very hidden) in Excel: a figure mapped on it is not seen. */
  hidden: boolean;
  formNo: RecognisedValueCell | null;
  agency: RecognisedValueCell | null;
  /** The period line (中華民國…年第…季, …年…月, …半年) and the frequency it suggests. */
  period: { cell: string; text: string; frequency: ReportFrequency | null } | null;
  /** The 編製日期 line (中華民國…年…月…日編製) or the cell beside a 編製日期 label. */
  compiledOn: { cell: string; text: string } | null;
}

// ---------------------------------------------------------------------------
// Managing what was made (issue 13 §7)

/**
 * What a delete did: `deleted` (gone, with its mappings), `archived` (a definition a submitted period
 * used: kept, hidden from the list, its snapshots still downloadable), `kept` (a template only archived
 * definitions use: kept for them, hidden from the list). `message` says so in zh-TW.
 */
export interface DeleteOutcome {
  outcome: 'deleted' | 'archived' | 'kept';
  message: string;
}

/** One line of a refusal: the problem once, with every cell it affects (e.g. 脆弱家庭服務!B10:H16). */
export interface GroupedProblemView {
  sheet: string;
  code: string;
  severity: 'error' | 'warning';
  /** The cells concerned, compacted into ranges: `B10:H16`, `J10:J16`, `A6`. */
  cells: string[];
  /** The whole line, e.g. 「脆弱家庭服務!B10:H16：…」. */
  message: string;
  /** A missing sheet's likely new name (a renamed sheet), or null. */
  suggestedSheet: string | null;
}
