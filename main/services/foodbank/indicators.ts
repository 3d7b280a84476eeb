/**
 * Food-bank indicators for the report library (issue 5 §6), in the registry's Indicator shape. They are
 * computed from `figures` (hand-outs, donations and spoilage), center-wide (a supervisor's team filter
 * does not apply to the food bank), with an optional breakdown by month. By location the same figures
 * are in `foodbank.figures`; the registry has no location dimension yet.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../../db/schema';
import type { FbFigureRow } from '../../contract/types-foodbank';
import { monthsOf } from '../reports/indicators/period';
import { IndicatorInputError, type ComputeInput, type Indicator, type IndicatorMeta, type IndicatorResult } from '../reports/indicators/types';
import { r3 } from './common';

type Key = keyof Omit<FbFigureRow, 'month' | 'locationId' | 'locationName'>;

/**
 * One key's figure as one statement, the same as `figures` (handout.ts) gives for it: `figures` reads
 * hand-outs, their lines, receipts and spoilage for every key, which made each indicator cost all four
 * (a donations count 0.5 s instead of 0.1 ms at city scale). `date` is the column that places a row in
 * the period; `value` the aggregate; sums of quantities are rounded to 3 decimals as `figures` rounds them.
 */
interface KeyQuery {
  from: RawBuilder<unknown>;
  /** A condition besides the period, if any. */
  where?: RawBuilder<unknown>;
  date: string;
  value: RawBuilder<unknown>;
  round: boolean;
}

const kg = (q: string) => sql.raw(`case when i.by_weight = 1 then ${q} else ${q} * i.kg_per_unit end`);
const HANDOUTS = sql`fb_handouts h`;
const LINES = sql`fb_handouts h inner join fb_handout_lines hl on hl.handout_id = h.id inner join fb_items i on i.id = hl.item_id`;
const DONATION_LOTS = sql`fb_receipts rc inner join fb_lots l on l.receipt_id = rc.id inner join fb_items i on i.id = l.item_id`;
const SPOILAGE = sql`fb_movements m inner join fb_lots l on l.id = m.lot_id inner join fb_items i on i.id = l.item_id`;

const KEY_QUERIES: Partial<Record<Key, KeyQuery>> = {
  households: { from: HANDOUTS, date: 'h.handed_on', value: sql`count(distinct h.household_id)`, round: false },
  personVisits: { from: HANDOUTS, date: 'h.handed_on', value: sql`coalesce(sum(h.household_size), 0)`, round: false },
  parcels: { from: HANDOUTS, date: 'h.handed_on', value: sql`count(*)`, round: false },
  items: { from: LINES, date: 'h.handed_on', value: sql`coalesce(sum(case when i.by_weight = 0 then hl.quantity else 0 end), 0)`, round: true },
  kg: { from: LINES, date: 'h.handed_on', value: sql`coalesce(sum(${kg('hl.quantity')}), 0)`, round: true },
  value: { from: LINES, date: 'h.handed_on', value: sql`coalesce(sum(hl.quantity * i.value), 0)`, round: true },
  donations: { from: sql`fb_receipts rc`, where: sql`rc.kind = ${'donation'}`, date: 'rc.received_on', value: sql`count(*)`, round: false },
  donationValue: { from: DONATION_LOTS, where: sql`rc.kind = ${'donation'}`, date: 'rc.received_on', value: sql`coalesce(sum(l.quantity * i.value), 0)`, round: true },
  donationKg: { from: DONATION_LOTS, where: sql`rc.kind = ${'donation'}`, date: 'rc.received_on', value: sql`coalesce(sum(${kg('l.quantity')}), 0)`, round: true },
  spoilageKg: { from: SPOILAGE, where: sql`m.kind = ${'spoilage'}`, date: 'm.on_date', value: sql`coalesce(sum(${kg('(-m.quantity)')}), 0)`, round: true },
};

/** The key's figure over [from, to], and by month when asked (months without a row are 0). */
async function keyFigures(db: Kysely<Database>, kq: KeyQuery, from: string, to: string, byMonth: boolean): Promise<{ total: number; months: Map<string, number> }> {
  const d = sql.ref(kq.date);
  const range = sql`${d} >= ${from} and ${d} <= ${to}${kq.where ? sql` and ${kq.where}` : sql``}`;
  const fix = (v: unknown) => (kq.round ? r3(Number(v ?? 0)) : Number(v ?? 0));
  const total = (await sql<{ v: unknown }>`select ${kq.value} as v from ${kq.from} where ${range}`.execute(db)).rows[0]?.v;
  const months = new Map<string, number>();
  if (byMonth) {
    const rows = (await sql<{ m: string; v: unknown }>`select substr(${d}, 1, 7) as m, ${kq.value} as v from ${kq.from} where ${range} group by substr(${d}, 1, 7)`.execute(db)).rows;
    for (const r of rows) months.set(r.m, fix(r.v));
  }
  return { total: fix(total), months };
}

function fbIndicator(meta: Omit<IndicatorMeta, 'measure' | 'breakdowns' | 'group'>, key: Key): Indicator {
  const kq = KEY_QUERIES[key];
  if (!kq) throw new Error(`no query for the food-bank figure ${key}`);
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
      const { total, months } = await keyFigures(db, kq, from, to, breakdown.length === 1);
      const rows = breakdown.length === 1 ? monthsOf(input.period).map((m) => ({ keys: { month: m.key }, value: months.get(m.key) ?? 0 })) : [];
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
