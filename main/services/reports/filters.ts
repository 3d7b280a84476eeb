/** Filters of a mapping or a cross-tab: validation against the indicator and zh-TW labels. */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { CASE_STATUSES, CASE_TYPES, REFERRAL_STATUSES, RISK_LEVELS, SERVICE_METHODS } from '../../contract/types-cases';
import { ASSESSMENT_STAGES } from '../../contract/types-assessments';
import { CONCERN_REASONS, HOUSEHOLD_TYPES, SEXES } from '../../contract/types-households';
import { FUNDING_LINES } from '../../contract/types-staffing';
import { AGE_BANDS, REPORT_DIMENSION_LABELS, type IndicatorFilters, type ReportDimension } from '../../contract/types-reports';
import { labelValues } from './indicators/labels';
import type { Indicator } from './indicators/types';

const CLOSED_LISTS: Partial<Record<ReportDimension, readonly string[]>> = {
  caseType: CASE_TYPES,
  dimension: ['1', '2', '3', '4', '5', '6'],
  householdType: HOUSEHOLD_TYPES,
  ageBand: AGE_BANDS,
  sex: SEXES,
  method: SERVICE_METHODS,
  caseStatus: CASE_STATUSES,
  referralStatus: REFERRAL_STATUSES,
  concernReason: CONCERN_REASONS,
  fundingLine: FUNDING_LINES,
  riskLevel: RISK_LEVELS,
  assessmentStage: ASSESSMENT_STAGES,
};

/** Problems with `filters` for `ind`, in zh-TW (empty when fine). */
export function filterProblems(ind: Indicator, filters: IndicatorFilters | undefined): string[] {
  const out: string[] = [];
  for (const [dim, v] of Object.entries(filters ?? {}) as [ReportDimension, string | string[]][]) {
    const label = REPORT_DIMENSION_LABELS[dim] ?? dim;
    if (!ind.breakdowns.includes(dim)) {
      out.push(`指標「${ind.name}」不能依「${label}」篩選`);
      continue;
    }
    const values = Array.isArray(v) ? v : [v];
    const list = CLOSED_LISTS[dim];
    for (const x of values) {
      if (list && !list.includes(x)) out.push(`「${label}」沒有「${x}」這個值`);
      if ((dim === 'worker' || dim === 'team' || dim === 'resource') && !/^\d+$/.test(x)) out.push(`「${label}」應為編號（收到「${x}」）`);
      if (dim === 'month' && !/^\d{4}-\d{2}$/.test(x)) out.push(`「${label}」應寫成 2026-03（收到「${x}」）`);
    }
  }
  return out;
}

/** Sorted keys, arrays sorted: a stable form for storage and comparison. */
export function canonicalFilters(filters: IndicatorFilters | undefined): IndicatorFilters {
  const out: IndicatorFilters = {};
  for (const k of Object.keys(filters ?? {}).sort() as ReportDimension[]) {
    const v = (filters as IndicatorFilters)[k];
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? [...new Set(v)].sort() : v;
  }
  return out;
}

/** `開案數（脆弱面向＝家庭經濟陷困）` */
export async function describeFigure(db: Kysely<Database>, ind: Indicator, filters: IndicatorFilters | undefined): Promise<string> {
  const parts: string[] = [];
  for (const [dim, v] of Object.entries(filters ?? {}) as [ReportDimension, string | string[]][]) {
    const values = Array.isArray(v) ? v : [v];
    const labels = await labelValues(db, dim, values);
    parts.push(`${REPORT_DIMENSION_LABELS[dim] ?? dim}＝${values.map((x) => labels.get(x) ?? x).join('、')}`);
  }
  return parts.length ? `${ind.name}（${parts.join('；')}）` : ind.name;
}
