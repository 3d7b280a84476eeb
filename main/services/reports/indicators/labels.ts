/** zh-TW labels for breakdown values (names of workers, teams, divisions, 面向, months, ...). */
import type { Kysely } from 'kysely';
import type { Database } from '../../../../db/schema';
import { rocMonthLabel } from '../../../contract/roc-date';
import { CASE_STATUSES, CASE_TYPES, REFERRAL_STATUSES, SERVICE_METHODS } from '../../../contract/types-cases';
import { CONCERN_REASONS, HOUSEHOLD_TYPES } from '../../../contract/types-households';
import { AGE_BAND_LABELS, SEX_LABELS, VULNERABILITY_DIMENSION_LABELS, type AgeBand } from '../../../contract/types-reports';
import { FUNDING_LINES, FUNDING_LINE_LABELS, type FundingLine } from '../../../contract/types-staffing';
import type { Dim } from './types';
import { ASSESSMENT_STAGES, ASSESSMENT_STAGE_LABELS, type AssessmentStage } from '../../../contract/types-assessments';

export const EMPTY_LABEL = '未填';

/** Orders of the closed lists, for sorting rows and columns. */
export const VALUE_ORDER: Partial<Record<Dim, readonly string[]>> = {
  method: SERVICE_METHODS,
  caseStatus: CASE_STATUSES,
  dimension: ['1', '2', '3', '4', '5', '6'],
  caseType: CASE_TYPES,
  householdType: HOUSEHOLD_TYPES,
  referralStatus: REFERRAL_STATUSES,
  concernReason: CONCERN_REASONS,
  sex: ['F', 'M', 'X'],
  fundingLine: FUNDING_LINES,
  riskLevel: ['高', '中', '低'],
  assessmentStage: ASSESSMENT_STAGES,
};

export type LabelMap = Map<string, string>;

/** Looks up the labels of the given values of one dimension. */
export async function labelValues(db: Kysely<Database>, dim: Dim, values: readonly (string | null)[]): Promise<LabelMap> {
  const out: LabelMap = new Map();
  const present = [...new Set(values.filter((v): v is string => v !== null))];
  const ids = present.map(Number).filter((n) => Number.isInteger(n));
  switch (dim) {
    case 'worker': {
      if (ids.length) for (const u of await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', ids).execute()) out.set(String(u.id), u.display_name);
      break;
    }
    case 'team': {
      if (ids.length) for (const t of await db.selectFrom('teams').select(['id', 'name']).where('id', 'in', ids).execute()) out.set(String(t.id), t.name);
      break;
    }
    case 'district':
    case 'village': {
      if (present.length) for (const d of await db.selectFrom('divisions').select(['code', 'name']).where('code', 'in', present).execute()) out.set(d.code, d.name);
      break;
    }
    case 'dimension':
      for (const v of present) if (VULNERABILITY_DIMENSION_LABELS[v]) out.set(v, VULNERABILITY_DIMENSION_LABELS[v] as string);
      break;
    case 'ageBand':
      for (const v of present) out.set(v, AGE_BAND_LABELS[v as AgeBand] ?? v);
      break;
    case 'sex':
      for (const v of present) out.set(v, SEX_LABELS[v] ?? v);
      break;
    case 'resource': {
      if (ids.length) for (const r of await db.selectFrom('resources').select(['id', 'name']).where('id', 'in', ids).execute()) out.set(String(r.id), r.name);
      break;
    }
    case 'fundingLine':
      for (const v of present) out.set(v, FUNDING_LINE_LABELS[v as FundingLine] ?? v);
      break;
    case 'assessmentStage':
      for (const v of present) out.set(v, ASSESSMENT_STAGE_LABELS[v as AssessmentStage] ?? v);
      break;
    case 'month':
      for (const v of present) out.set(v, rocMonthLabel(`${v}-01`));
      break;
    default:
      break;
  }
  for (const v of present) if (!out.has(v)) out.set(v, v);
  return out;
}

export function labelOf(map: LabelMap, value: string | null): string {
  return value === null ? EMPTY_LABEL : (map.get(value) ?? value);
}
