/** The food bank's section of the monthly report (issue 5): the month's hand-outs and donations. */
import type { MonthlyTable } from '../../contract/types-reports';
import type { MonthlySectionBuilder } from '../reports/monthly-sections';
import { figures } from './handout';

const ROWS: { label: string; indicatorId: string; unit: string; key: FigureKey }[] = [
  { label: '服務戶數', indicatorId: 'foodbank.households', unit: '戶', key: 'households' },
  { label: '服務人次', indicatorId: 'foodbank.personVisits', unit: '人次', key: 'personVisits' },
  { label: '發放份數', indicatorId: 'foodbank.parcels', unit: '份', key: 'parcels' },
  { label: '發放件數', indicatorId: 'foodbank.items', unit: '件', key: 'items' },
  { label: '發放重量', indicatorId: 'foodbank.kg', unit: '公斤', key: 'kg' },
  { label: '發放價值', indicatorId: 'foodbank.value', unit: '元', key: 'value' },
  { label: '捐贈收據', indicatorId: 'foodbank.donations', unit: '張', key: 'donations' },
  { label: '捐贈價值', indicatorId: 'foodbank.donationValue', unit: '元', key: 'donationValue' },
  { label: '捐贈重量', indicatorId: 'foodbank.donationKg', unit: '公斤', key: 'donationKg' },
  { label: '報廢重量', indicatorId: 'foodbank.spoilageKg', unit: '公斤', key: 'spoilageKg' },
];

/** The indicator `foodbank.<key>` is figures(period).total[key] (indicators.ts). */
type FigureKey = 'households' | 'personVisits' | 'parcels' | 'items' | 'kg' | 'value' | 'donations' | 'donationValue' | 'donationKg' | 'spoilageKg';

function round(v: number | null): number | null {
  return v === null ? null : Math.round(v * 10) / 10;
}

export const FOODBANK_MONTHLY_SECTIONS: MonthlySectionBuilder[] = [
  {
    id: 'foodbank',
    async build(ctx) {
      // The food bank serves the whole center, so its figures are never split by team.
      // One pass over the month's hand-outs for all ten figures (each foodbank.* indicator computes all of them
      // and keeps one: ten passes, most of the team report's time at city scale).
      const total = (await figures(ctx.db, ctx.period.from, ctx.period.to)).total;
      const rows: MonthlyTable['rows'] = ROWS.map((r) => ({ label: `${r.label}（${r.unit}）`, values: [round(total[r.key])] }));
      return {
        id: 'foodbank',
        title: '實物銀行發放與捐贈',
        unit: '戶、人次、份、件、公斤、元',
        rowHeading: '項目',
        columns: ['本月'],
        rows,
        note: ctx.teams === null ? '人次為每次發放時該戶人數之合計。' : '實物銀行為全中心共同服務，本節數字為全中心合計。人次為每次發放時該戶人數之合計。',
      };
    },
  },
];
