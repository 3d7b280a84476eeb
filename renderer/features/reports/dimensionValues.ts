/** The values a filter dimension may take, for pick lists (districts and 村里 by name with their code). */
import { useQuery } from '@tanstack/react-query';
import { CASE_STATUSES, CASE_TYPES, REFERRAL_STATUSES, SERVICE_METHODS } from '../../../main/contract/types-cases';
import { CONCERN_REASONS, HOUSEHOLD_TYPES } from '../../../main/contract/types-households';
import { AGE_BANDS, AGE_BAND_LABELS, SEX_LABELS, VULNERABILITY_DIMENSION_LABELS, type ReportDimension } from '../../../main/contract/types-reports';
import { call } from '../../lib/api';
import type { DimensionValue } from '../../../main/contract/report-blocks';

export type { DimensionValue };

const list = (values: readonly string[], labels?: Record<string, string>): DimensionValue[] => values.map((v) => ({ value: v, label: labels?.[v] ?? v }));

/** Closed lists known to the renderer without asking the server. */
export const STATIC_VALUES: Partial<Record<ReportDimension, DimensionValue[]>> = {
  dimension: list(Object.keys(VULNERABILITY_DIMENSION_LABELS), VULNERABILITY_DIMENSION_LABELS),
  method: list(SERVICE_METHODS),
  ageBand: list(AGE_BANDS, AGE_BAND_LABELS),
  sex: list(['F', 'M', 'X'], SEX_LABELS),
  caseType: list(CASE_TYPES),
  householdType: list(HOUSEHOLD_TYPES),
  caseStatus: list(CASE_STATUSES),
  referralStatus: list(REFERRAL_STATUSES),
  concernReason: list(CONCERN_REASONS),
};

/** Dimensions without a list: typed as text (a month is `2026-03`). */
export const FREE_TEXT_DIMENSIONS: ReportDimension[] = ['month'];

async function load(dim: ReportDimension): Promise<DimensionValue[]> {
  if (FREE_TEXT_DIMENSIONS.includes(dim)) return [];
  return await call('reports.dimensionValues', { dimension: dim }, { loadedAsRead: true });
}

/** Loads (once per screen visit, cached) the values of `dim`; closed lists answer at once. */
export function useDimensionValues(dim: ReportDimension | null): { data: DimensionValue[] | null; loading: boolean } {
  const q = useQuery({ queryKey: ['reports.dimensionValues', dim], queryFn: () => load(dim as ReportDimension), enabled: dim !== null, retry: false, staleTime: 5 * 60_000 });
  const data = q.data ?? (dim ? (STATIC_VALUES[dim] ?? null) : null);
  return { data, loading: q.isFetching && !data };
}

/** `南投市（10008010）`: how a value shows in a pick list. */
export function valueOptionLabel(v: DimensionValue): string {
  const name = v.group ? `${v.group} ${v.label}` : v.label;
  return v.code && v.code !== v.label ? `${name}（${v.code}）` : name;
}
