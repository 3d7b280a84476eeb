/**
 * Staffing indicators (issue 13 §6): 核定員額, 進用人數 and 人員進用率, registered in
 * services/reports/indicators/registry.ts with one line. The central forms' 人力 sheet carries
 * 核定員額 and 進用人數 per funding line; the assessment scores 人員進用率 (未達 85% 視為未達標).
 *
 * Counting (services/staffing/counts.ts): a position is approved on a day inside its approval; it
 * is filled when someone is in post that day. Observation days: the last day of each month of the
 * period; a month cut by the period's end is observed on the period's last day.
 *
 * - staffing.approved / staffing.filled: stocks on the period's last day, by funding line (a
 *   month's figure is the indicator over that month: the relative periods month1..3 of a mapping).
 * - staffing.fillRate: filled position-months ÷ approved position-months over the period's
 *   observation days (a flow of position-months, so it may also be split by month). Why months and not the last day alone: the central assessment is yearly and
 *   a post left vacant for five months of the year must weigh five twelfths of a post, whether or
 *   not it was filled again by December; the month-end count is what the monthly 人力 sheet
 *   reports, so the yearly rate is the average of the sheets already submitted. For one month it is
 *   the month-end rate of the staffing screen.
 *
 * Staffing is the center's, not a team's: a supervisor's team-scoped view shows the center's
 * figures (the 督導 reads the staffing screen too); an empty team list yields zeros as elsewhere.
 */
import { addDays } from '../../contract/roc-date';
import { monthsOf } from '../reports/indicators/period';
import { sortRows } from '../reports/indicators/engine';
import { IndicatorInputError, type ComputeInput, type Dim, type Figure, type Indicator, type IndicatorResult, type Keys, type ResultRow } from '../reports/indicators/types';
import type { IndicatorCounting, IndicatorUnit } from '../../contract/types-reports';
import { approvedOn, filledOn, ratePercent } from './counts';
import { staffingFacts } from './service';

const GROUP = '人力';

interface Observation {
  month: string;
  day: string;
}

/** The observation day of each month of the period (see the header). */
export function observationDays(period: { from: string; to: string }): Observation[] {
  return monthsOf(period).map((m) => {
    const last = addDays(m.next, -1);
    return { month: m.key, day: last < period.to ? last : period.to };
  });
}

const asList = (v: string | string[] | undefined) => (v === undefined ? null : new Set(Array.isArray(v) ? v : [v]));

function staffingIndicator(spec: { id: string; name: string; unit: IndicatorUnit; counting: IndicatorCounting; description: string; kind: 'approved' | 'filled' | 'rate' }): Indicator {
  // A stock is not split by month (the library's rule: its figure is the period's last day); a month's
  // 核定員額 and 進用人數 are the same indicator over that month (a relative period month1..3 in a mapping).
  const dims: readonly Dim[] = spec.kind === 'rate' ? ['fundingLine', 'month'] : ['fundingLine'];
  const only = spec.kind === 'rate' ? '只能依經費來源或月份分類' : '只能依經費來源分類';
  return {
    id: spec.id,
    name: spec.name,
    unit: spec.unit,
    counting: spec.counting,
    measure: spec.kind === 'rate' ? 'flow' : 'stock',
    breakdowns: dims,
    description: spec.description,
    group: GROUP,
    async compute(db, input: ComputeInput): Promise<IndicatorResult> {
      const breakdown = input.breakdown ?? [];
      for (const d of [...breakdown, ...Object.keys(input.filters ?? {})] as Dim[]) {
        if (!dims.includes(d)) throw new IndicatorInputError(`指標「${spec.name}」${only}。`);
      }
      if (input.period.from > input.period.to) throw new IndicatorInputError('期間的起日晚於迄日。');
      const rate = spec.kind === 'rate';
      const empty = (): IndicatorResult => ({ indicatorId: spec.id, period: input.period, breakdown, rows: [], total: rate ? { value: null, numerator: 0, denominator: 0 } : { value: 0 } });
      if (input.teams && input.teams.length === 0) return empty();
      const lines = asList(input.filters?.fundingLine);
      const months = asList(input.filters?.month);
      const obs = observationDays(input.period).filter((o) => !months || months.has(o.month));
      if (obs.length === 0) return empty();
      const { positions, fills } = await staffingFacts(db, obs[0]!.day, obs[obs.length - 1]!.day);
      const mine = positions.filter((p) => !lines || lines.has(p.fundingLine));
      // A stock without a month breakdown is the last observation; a rate sums every observation.
      const counted = rate || breakdown.includes('month') ? obs : obs.slice(-1);
      const groups = new Map<string, { keys: Keys; approved: number; filled: number }>();
      let approved = 0;
      let filled = 0;
      const last = obs[obs.length - 1]!;
      for (const o of counted) {
        for (const p of mine) {
          if (!approvedOn(p, o.day)) continue;
          const f = filledOn(p, fills.get(p.id), o.day) ? 1 : 0;
          if (rate || o === last) {
            approved += 1;
            filled += f;
          }
          const keys: Keys = {};
          if (breakdown.includes('fundingLine')) keys.fundingLine = p.fundingLine;
          if (breakdown.includes('month')) keys.month = o.month;
          const k = JSON.stringify(breakdown.map((d) => keys[d] ?? null));
          const g = groups.get(k) ?? { keys, approved: 0, filled: 0 };
          g.approved += 1;
          g.filled += f;
          groups.set(k, g);
        }
      }
      const figure = (a: number, f: number): Figure =>
        rate ? { value: ratePercent(f, a), numerator: f, denominator: a } : { value: spec.kind === 'approved' ? a : f };
      const rows: ResultRow[] = breakdown.length ? [...groups.values()].map((g) => ({ keys: g.keys, ...figure(g.approved, g.filled) })) : [];
      return { indicatorId: spec.id, period: input.period, breakdown, rows: sortRows(rows, breakdown), total: figure(approved, filled) };
    },
  };
}

export const STAFFING_INDICATORS: readonly Indicator[] = [
  staffingIndicator({
    id: 'staffing.approved',
    name: '核定員額',
    unit: '人',
    counting: 'people',
    kind: 'approved',
    description: '期末（期間最後一日）在核定期間內的員額數，每個員額計 1 人；裁減的員額自核定迄日次日起不計。某月的核定員額即以該月為期間計算（月底）。',
  }),
  staffingIndicator({
    id: 'staffing.filled',
    name: '進用人數',
    unit: '人',
    counting: 'people',
    kind: 'filled',
    description: '期末（期間最後一日）核定員額中已有人在職者，每個員額計 1 人（同一員額同時只有一人）；離職日當天仍算在職。某月的進用人數即以該月為期間計算（月底）。',
  }),
  staffingIndicator({
    id: 'staffing.fillRate',
    name: '人員進用率',
    unit: '%',
    counting: 'rate',
    kind: 'rate',
    description:
      '人員進用率 = 期間內各月末已進用的員額數合計 ÷ 各月末核定員額數合計（員額月數），取小數一位；期末所在月以期末日計。例如一季 10 個員額、其中 1 個出缺 2 個月：(30−2)÷30 = 93.3%。未達 85% 為未達標。',
  }),
];
