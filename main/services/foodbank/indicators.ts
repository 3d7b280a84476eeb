/**
 * Food-bank indicators for the report library (issue 5 §6), in the registry's Indicator shape. They are
 * computed from `figures` (hand-outs, donations and spoilage), center-wide (a supervisor's team filter
 * does not apply to the food bank), with an optional breakdown by month. By location the same figures
 * are in `foodbank.figures`; the registry has no location dimension yet.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import type { FbFigureRow } from '../../contract/types-foodbank';
import { monthsOf } from '../reports/indicators/period';
import { IndicatorInputError, type ComputeInput, type Indicator, type IndicatorMeta, type IndicatorResult } from '../reports/indicators/types';
import { figures } from './handout';

type Key = keyof Omit<FbFigureRow, 'month' | 'locationId' | 'locationName'>;

function fbIndicator(meta: Omit<IndicatorMeta, 'measure' | 'breakdowns' | 'group'>, key: Key): Indicator {
  return {
    ...meta,
    measure: 'flow',
    breakdowns: ['month'],
    group: '實物銀行',
    async compute(db: Kysely<Database>, input: ComputeInput): Promise<IndicatorResult> {
      const breakdown = input.breakdown ?? [];
      if (breakdown.some((d) => d !== 'month') || Object.keys(input.filters ?? {}).length > 0) {
        throw new IndicatorInputError(`指標「${meta.name}」只能依「月份」分類，不能篩選。`);
      }
      const { from, to } = input.period;
      const total = (await figures(db, from, to)).total[key];
      const rows = [];
      if (breakdown.length === 1) {
        for (const m of monthsOf(input.period)) {
          const start = m.key < from.slice(0, 7) ? from : `${m.key}-01`;
          const end = `${m.key}-31` > to ? to : `${m.key}-31`;
          rows.push({ keys: { month: m.key }, value: (await figures(db, start < from ? from : start, end)).total[key] });
        }
      }
      return { indicatorId: meta.id, period: input.period, breakdown, rows, total: { value: total } };
    },
  };
}

export const FOODBANK_INDICATORS: readonly Indicator[] = [
  fbIndicator({ id: 'foodbank.households', name: '實物銀行服務戶數', unit: '戶', counting: 'households', description: '期間內領取過實物的家戶，每戶只計一次。' }, 'households'),
  fbIndicator({ id: 'foodbank.personVisits', name: '實物銀行服務人次', unit: '人次', counting: 'occurrences', description: '每次發放計入該戶當時的人數（戶內每人各計一人次），期間內加總。' }, 'personVisits'),
  fbIndicator({ id: 'foodbank.parcels', name: '實物發放份數', unit: '件', counting: 'occurrences', description: '期間內的發放次數（一次發放為一份）。' }, 'parcels'),
  fbIndicator({ id: 'foodbank.items', name: '實物發放件數', unit: '件', counting: 'occurrences', description: '期間內發出的計件品項數量（包、罐、瓶等；以公斤計的品項不計入）。' }, 'items'),
  fbIndicator({ id: 'foodbank.kg', name: '實物發放重量', unit: '公斤', counting: 'occurrences', description: '期間內發出物資的總重量：計件品項以每單位公斤數換算，以公斤計的品項直接加總。' }, 'kg'),
  fbIndicator({ id: 'foodbank.value', name: '實物發放價值', unit: '元', counting: 'occurrences', description: '期間內發出物資的價值（數量乘以品項單價）。' }, 'value'),
  fbIndicator({ id: 'foodbank.donations', name: '實物捐贈筆數', unit: '件', counting: 'occurrences', description: '期間內開立的捐贈收據張數（採購與盛食不計）。' }, 'donations'),
  fbIndicator({ id: 'foodbank.donationValue', name: '實物捐贈價值', unit: '元', counting: 'occurrences', description: '期間內捐贈收據所列物資的價值合計。' }, 'donationValue'),
  fbIndicator({ id: 'foodbank.donationKg', name: '實物捐贈重量', unit: '公斤', counting: 'occurrences', description: '期間內捐贈收據所列物資的重量合計。' }, 'donationKg'),
  fbIndicator({ id: 'foodbank.spoilageKg', name: '實物報廢重量', unit: '公斤', counting: 'occurrences', description: '期間內以報廢登錄（過期、損壞等）的物資重量合計。' }, 'spoilageKg'),
];
