/**
 * Aid from other units (issue 14 §4, 外單位救助), from external_aid (migration 0031): records
 * received in the period (received_on, a Taipei date, inside [from, to]; deleted records not
 * counted), by source kind (aidSource) and month.
 *
 * - aid.externalRecords: 外單位救助筆數, every record counted.
 * - aid.externalHouseholds: 外單位救助受助戶數, each household once (once per row when broken down).
 * - aid.externalAmount: 外單位救助金額 (NT$), the sum of the records' amounts (items-only records add 0).
 *
 * The aid is the household's, not a team's: a supervisor's team-scoped view shows the center's
 * figures, as the staffing indicators do; an empty team list yields zeros as elsewhere.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../../../db/schema';
import type { IndicatorCounting, IndicatorUnit } from '../../../contract/types-reports';
import { sortRows } from './engine';
import { IndicatorInputError, type ComputeInput, type Dim, type Indicator, type IndicatorResult, type Keys, type ResultRow } from './types';

const GROUP = '外單位救助';
const DIMS: readonly Dim[] = ['aidSource', 'month'];
type Measure = 'records' | 'households' | 'amount';

const asList = (v: string | string[] | undefined) => (v === undefined ? null : Array.isArray(v) ? v : [v]);

function aidIndicator(spec: { id: string; name: string; unit: IndicatorUnit; counting: IndicatorCounting; description: string; measure: Measure }): Indicator {
  return {
    id: spec.id,
    name: spec.name,
    unit: spec.unit,
    counting: spec.counting,
    measure: 'flow',
    breakdowns: DIMS,
    description: spec.description,
    group: GROUP,
    async compute(db: Kysely<Database>, input: ComputeInput): Promise<IndicatorResult> {
      const breakdown = input.breakdown ?? [];
      for (const d of [...breakdown, ...Object.keys(input.filters ?? {})] as Dim[]) {
        if (!DIMS.includes(d)) throw new IndicatorInputError(`指標「${spec.name}」只能依救助來源類別或月份分類。`);
      }
      if (input.period.from > input.period.to) throw new IndicatorInputError('期間的起日晚於迄日。');
      if (input.teams && input.teams.length === 0) return { indicatorId: spec.id, period: input.period, breakdown, rows: [], total: { value: 0 } };
      const sources = asList(input.filters?.aidSource);
      const months = asList(input.filters?.month);
      const value =
        spec.measure === 'records' ? sql<number>`count(*)` : spec.measure === 'households' ? sql<number>`count(distinct a.household_id)` : sql<number>`coalesce(sum(a.amount), 0)`;
      const where = sql.join(
        [
          sql`a.deleted_at is null`,
          sql`a.received_on >= ${input.period.from}`,
          sql`a.received_on <= ${input.period.to}`,
          ...(sources ? [sql`a.source_kind in (${sql.join(sources.map((s) => sql`${s}`))})`] : []),
          ...(months ? [sql`substr(a.received_on, 1, 7) in (${sql.join(months.map((m) => sql`${m}`))})`] : []),
        ],
        sql` and `,
      );
      const total = Number((await sql<{ v: unknown }>`select ${value} as v from external_aid a where ${where}`.execute(db)).rows[0]?.v ?? 0);
      const rowsBy = async (dims: readonly Dim[]): Promise<ResultRow[]> => {
        if (dims.length === 0) return [];
        const cols = dims.map((d) => (d === 'aidSource' ? sql`a.source_kind` : sql`substr(a.received_on, 1, 7)`));
        const selected = sql.join(cols.map((c, i) => sql`${c} as ${sql.ref(`k${i}`)}`));
        const res = await sql<Record<string, unknown>>`select ${selected}, ${value} as v from external_aid a where ${where} group by ${sql.join(cols)}`.execute(db);
        const rows = res.rows.map((r) => {
          const keys: Keys = {};
          dims.forEach((d, i) => (keys[d] = r[`k${i}`] === null ? null : String(r[`k${i}`])));
          return { keys, value: Number(r.v ?? 0) };
        });
        return sortRows(rows, dims);
      };
      const rows = await rowsBy(breakdown);
      if (input.margins && breakdown.length >= 2) {
        const margins = { rows: await rowsBy(breakdown.slice(0, -1)), columns: await rowsBy(breakdown.slice(-1)) };
        return { indicatorId: spec.id, period: input.period, breakdown, rows, total: { value: total }, margins };
      }
      return { indicatorId: spec.id, period: input.period, breakdown, rows, total: { value: total } };
    },
  };
}

export const AID_INDICATORS: readonly Indicator[] = [
  aidIndicator({
    id: 'aid.externalRecords',
    name: '外單位救助筆數',
    unit: '次',
    counting: 'occurrences',
    measure: 'records',
    description: '期間內家戶受其他單位（慈善團體、急難救助、公所、學校、宗教團體、企業等）救助的登錄筆數（受助日期在期間內），每筆都計；已刪除的紀錄不計。可依救助來源類別、月份分類。',
  }),
  aidIndicator({
    id: 'aid.externalHouseholds',
    name: '外單位救助受助戶數',
    unit: '戶',
    counting: 'households',
    measure: 'households',
    description: '期間內有外單位救助紀錄（受助日期在期間內）的家戶，每戶計 1 戶；依來源類別或月份分類時，每一分類內每戶計 1 戶（同一戶可出現在多個分類）。已刪除的紀錄不計。',
  }),
  aidIndicator({
    id: 'aid.externalAmount',
    name: '外單位救助金額',
    unit: '元',
    counting: 'occurrences',
    measure: 'amount',
    description: '期間內外單位救助紀錄的金額合計（新臺幣元，受助日期在期間內）；只登錄物品、未填金額的紀錄以 0 計。已刪除的紀錄不計。可依救助來源類別、月份分類。',
  }),
];
