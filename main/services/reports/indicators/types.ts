/**
 * The indicator library's types. An indicator is declared once (id, zh-TW name,
 * unit, what it counts, flow or stock, allowed breakdowns) together with its
 * query; `compute` runs it for a period with optional filters and up to three
 * breakdown dimensions.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../../db/schema';
import type {
  IndicatorCounting,
  IndicatorFilters,
  IndicatorMeasure,
  IndicatorUnit,
  IndicatorView,
  ReportDimension,
} from '../../../contract/types-reports';

export type Dim = ReportDimension;

/** Calendar dates in Asia/Taipei, both inclusive. */
export interface Period {
  from: string;
  to: string;
}

export interface ComputeInput {
  period: Period;
  filters?: IndicatorFilters;
  /** Up to three dimensions. */
  breakdown?: Dim[];
  /**
   * Restricts the figures to these teams' work (a supervisor's view). Absent or
   * null: the whole center. An empty list yields zeros.
   */
  teams?: readonly number[] | null;
  /**
   * With two or more breakdown dimensions: also return the figures by all but the last dimension and by the
   * last alone (a cross-tab's row and column totals) in `margins`, from the same computation. An indicator
   * may ignore it (then `margins` is absent and the caller asks again for each).
   */
  margins?: boolean;
}

export type Keys = Partial<Record<Dim, string | null>>;

export interface ResultRow {
  keys: Keys;
  value: number | null;
  numerator?: number;
  denominator?: number;
}

export interface Figure {
  value: number | null;
  numerator?: number;
  denominator?: number;
}

export interface IndicatorResult {
  indicatorId: string;
  period: Period;
  breakdown: Dim[];
  rows: ResultRow[];
  total: Figure;
  /** When asked for (ComputeInput.margins): rows by breakdown[0..n-2], and by breakdown[n-1] alone. */
  margins?: { rows: ResultRow[]; columns: ResultRow[] };
}

export interface IndicatorMeta {
  id: string;
  name: string;
  unit: IndicatorUnit;
  counting: IndicatorCounting;
  measure: IndicatorMeasure;
  breakdowns: readonly Dim[];
  description: string;
  group: string;
}

export interface Indicator extends IndicatorMeta {
  compute(db: Kysely<Database>, input: ComputeInput): Promise<IndicatorResult>;
}

export function toView(i: IndicatorMeta): IndicatorView {
  return {
    id: i.id,
    name: i.name,
    unit: i.unit,
    counting: i.counting,
    measure: i.measure,
    breakdowns: [...i.breakdowns],
    description: i.description,
    group: i.group,
  };
}

/** Thrown for a request the indicator cannot answer (a dimension it does not allow, ...). */
export class IndicatorInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IndicatorInputError';
  }
}
