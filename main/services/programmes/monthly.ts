/** Programmes, child development accounts, meetings and outreach in the monthly report (issue 6). */
import type { MonthlyTable } from '../../contract/types-reports';
import type { Figure } from '../reports/indicators/types';
import type { MonthlySectionBuilder } from '../reports/monthly-sections';

function rate(f: Figure | undefined): string {
  if (!f || !f.denominator) return '—';
  return `${((100 * (f.numerator ?? 0)) / f.denominator).toFixed(1)}%（${f.numerator ?? 0}/${f.denominator}）`;
}

const COUNTS: { label: string; indicatorId: string }[] = [
  { label: '辦理方案數', indicatorId: 'programmes.run' },
  { label: '方案場次', indicatorId: 'programmes.sessions' },
  { label: '參與人數', indicatorId: 'programmes.participants' },
  { label: '出席人次', indicatorId: 'programmes.attendances' },
  { label: '兒少帳戶符合資格人數', indicatorId: 'childAccounts.eligible' },
  { label: '兒少帳戶已開戶數', indicatorId: 'childAccounts.opened' },
  { label: '兒少帳戶存款金額（元）', indicatorId: 'childAccounts.depositAmount' },
  { label: '網絡聯繫會議', indicatorId: 'meetings.network' },
  { label: '個案研討會', indicatorId: 'meetings.caseConference' },
  { label: '社區宣導場次', indicatorId: 'outreach.events' },
  { label: '社區宣導參與人次', indicatorId: 'outreach.attendees' },
];
const RATES: { label: string; indicatorId: string }[] = [
  { label: '方案完成率', indicatorId: 'programmes.completionRate' },
  { label: '兒少帳戶開戶率', indicatorId: 'childAccounts.openingRate' },
  { label: '兒少帳戶存款率', indicatorId: 'childAccounts.depositRate' },
];

export const PROGRAMME_MONTHLY_SECTIONS: MonthlySectionBuilder[] = [
  {
    id: 'programmes',
    async build(ctx) {
      const rates = await Promise.all(RATES.map((c) => ctx.compute(c.indicatorId)));
      // 符合資格人數 is the opening rate's denominator (same children, same rule: programmes/indicators.ts), so the
      // eligibility of every child is worked out once, not twice (most of this section's time at city scale).
      const opening = rates[RATES.findIndex((c) => c.indicatorId === 'childAccounts.openingRate')]?.total;
      const counts = await Promise.all(
        COUNTS.map((c) => (c.indicatorId === 'childAccounts.eligible' ? Promise.resolve({ total: { value: opening?.denominator ?? 0 } }) : ctx.compute(c.indicatorId))),
      );
      const rows: MonthlyTable['rows'] = [
        ...COUNTS.map((c, i) => ({ label: c.label, values: [counts[i]?.total.value ?? 0] })),
        ...RATES.map((c, i) => ({ label: c.label, values: [rate(rates[i]?.total)] })),
      ];
      return {
        id: 'programmes',
        title: '方案、兒少教育發展帳戶與會議宣導',
        unit: '案、場、人、人次、元、%',
        rowHeading: '項目',
        columns: ['本月'],
        rows,
        note: '存款率＝本月有存款的帳戶數／月底已開戶數；開戶率＝已開戶數／符合資格人數。',
      };
    },
  },
];
