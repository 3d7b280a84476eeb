/**
 * Staffing (人力, issue 13 §6): approved positions (核定員額) per funding line, who filled them
 * (進用) and when, and the fill rate (人員進用率) the central assessment scores (未達 85% 視為未達標).
 * Pure: shared by the main process and the renderer.
 */

/**
 * Funding lines (經費來源) of a position: the lines the central 人力 sheet and the seeds' plans
 * count separately. A closed list, stored as these codes.
 */
export const FUNDING_LINES = ['ssn', 'local', 'lottery', 'other'] as const;
export type FundingLine = (typeof FUNDING_LINES)[number];
export const FUNDING_LINE_LABELS: Record<FundingLine, string> = {
  ssn: '中央補助（強化社會安全網）',
  local: '地方自籌',
  lottery: '公益彩券回饋金',
  other: '其他',
};

/** Titles (職稱) of a position. */
export const POSITION_TITLES = ['社工督導', '社工員', '行政人員', '心理師', '其他'] as const;
export type PositionTitle = (typeof POSITION_TITLES)[number];

/** The assessment's threshold: a fill rate below it fails (seeds 000: 人員進用率 未達85%視為未達標). */
export const FILL_RATE_TARGET = 85;

/** One person in one position for a span. */
export interface FillView {
  id: number;
  version: number;
  positionId: number;
  /** A user of the app, or null for staff without an account. */
  userId: number | null;
  /** The user's display name, or the name typed. */
  name: string;
  startedOn: string;
  /** Last day in post; null while in post. */
  endedOn: string | null;
}

/** 核定員額: one approved position with its fills, newest first. */
export interface PositionView {
  id: number;
  version: number;
  fundingLine: FundingLine;
  title: PositionTitle;
  label: string | null;
  approvedFrom: string;
  /** Last approved day; null while approved. */
  approvedTo: string | null;
  notes: string | null;
  fills: FillView[];
}

/** One funding line's figures at the month's last day. */
export interface StaffingLineFigures {
  fundingLine: FundingLine;
  approved: number;
  filled: number;
  vacant: number;
  /** filled ÷ approved × 100, one decimal; null when nothing is approved. */
  rate: number | null;
}

/** A position approved and not filled at the month's last day. */
export interface VacancyView {
  positionId: number;
  fundingLine: FundingLine;
  title: PositionTitle;
  label: string | null;
  /** The first day of the vacancy: the day after the last fill ended, or the approval's first day. */
  vacantSince: string;
}

/** The month view (`staffing.month`): counted at the month's last day. */
export interface StaffingMonthView {
  /** `2026-03` */
  month: string;
  /** The month's last day, the day counted. */
  asOf: string;
  lines: StaffingLineFigures[];
  total: Omit<StaffingLineFigures, 'fundingLine'>;
  vacancies: VacancyView[];
}

/** A user the administrator may pick for a fill. */
export interface StaffUserOption {
  id: number;
  name: string;
  role: string;
}
