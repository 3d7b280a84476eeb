/**
 * The indicator registry. Each domain declares its indicators in one file and
 * adds one line here: meetings and outreach, the food bank and the programmes
 * (later issues) follow caseload.ts.
 */
import { CASELOAD_INDICATORS } from './caseload';
import { FOODBANK_INDICATORS } from '../../foodbank/indicators';
import { PROGRAMME_INDICATORS } from '../../programmes/indicators';
import { OUTCOME_INDICATORS } from './outcomes';
import { STAFFING_INDICATORS } from '../../staffing/indicators';
import { ASSESSMENT_INDICATORS } from './assessments';
import { RESOURCE_INDICATORS } from './resources';
import { toView, type Indicator } from './types';
import type { IndicatorView } from '../../../contract/types-reports';

const FILES: readonly (readonly Indicator[])[] = [
  CASELOAD_INDICATORS,
  FOODBANK_INDICATORS,
  PROGRAMME_INDICATORS,
  OUTCOME_INDICATORS,
  STAFFING_INDICATORS,
  ASSESSMENT_INDICATORS,
  RESOURCE_INDICATORS,
  // meetings and outreach: one more line
];

const BY_ID = new Map<string, Indicator>();
for (const list of FILES) {
  for (const ind of list) {
    if (BY_ID.has(ind.id)) throw new Error(`Duplicate indicator id ${ind.id}`);
    if (!/^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*)+$/.test(ind.id)) throw new Error(`Bad indicator id ${ind.id}`);
    BY_ID.set(ind.id, ind);
  }
}

export function getIndicator(id: string): Indicator | undefined {
  return BY_ID.get(id);
}

export function allIndicators(): Indicator[] {
  return [...BY_ID.values()];
}

export function indicatorViews(): IndicatorView[] {
  return allIndicators().map(toView);
}
