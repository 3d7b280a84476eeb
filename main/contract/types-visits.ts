/**
 * Worklists driven by the confirmed assessment level (issue 14 §1): 訪視到期 and 再評估到期.
 * The level of a case is the confirmed level of its latest confirmed assessment, falling back to the
 * case's own 風險等級; the 訪視頻率 rules (VisitFrequencyRule) turn it into a visit interval.
 */
import type { CaseStatus, RiskLevel, ServiceMethod, UserRef } from './types-cases';

/** Statuses of a case in service (開案 onwards, not closed): they are the ones visited on a schedule. */
export const IN_SERVICE_STATUSES: readonly CaseStatus[] = ['處遇中', '短期服務', '結案審查中'];

/** Service methods that count as a visit (家訪／面訪) for the visit schedule. */
export const VISIT_METHODS: readonly ServiceMethod[] = ['面訪家庭', '面談'];

/** Where a case's level came from. */
export type LevelSource = 'assessment' | 'case';

export interface VisitDueRow {
  caseId: number;
  caseNo: string;
  householdId: number;
  headName: string | null;
  status: CaseStatus;
  level: RiskLevel;
  levelSource: LevelSource;
  visitEveryDays: number;
  /** Taipei date of the last 家訪／面訪, null when none. */
  lastVisitOn: string | null;
  /** The date the interval counts from: the last visit, else the confirmation date, else the opening date. */
  baseOn: string;
  /** 下次訪視日 = baseOn + visitEveryDays. */
  nextVisitOn: string;
  /** Days past nextVisitOn (0 = due today). */
  daysOverdue: number;
  lead: UserRef | null;
}

export interface ReassessDueRow {
  assessmentId: number;
  caseId: number;
  caseNo: string;
  householdId: number;
  headName: string | null;
  status: CaseStatus;
  assessedOn: string;
  confirmedLevel: RiskLevel | null;
  reassessDue: string;
  daysOverdue: number;
  worker: UserRef | null;
}

/** The schedule of one case (shown on the case screen); null fields when no level or no rule applies. */
export interface CaseVisitSchedule {
  caseId: number;
  level: RiskLevel | null;
  levelSource: LevelSource | null;
  visitEveryDays: number | null;
  lastVisitOn: string | null;
  nextVisitOn: string | null;
  reassessDue: string | null;
}
