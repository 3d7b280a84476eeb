/** Report periods (issue 13): the generation screen for every frequency, snapshots, the cross-tab's custom periods. */
import type { ReportFrequency } from '../../main/contract/report-periods';

export const msgPeriods = {
  title: '定期報表產製',
  periodLabel: { month: '月份', quarter: '季別', halfYear: '半年別', year: '年度' } satisfies Record<ReportFrequency, string>,
  periodsTitle: { month: '各月狀態', quarter: '各季狀態', halfYear: '各半年狀態', year: '各年度狀態' } satisfies Record<ReportFrequency, string>,
  submitted: '已送出，本期已鎖定。',
  unlocked: '已解鎖，本期可重新產製並送出。',
  lockedInfo: (at: string, by: string) => `本期已於 ${at} 由 ${by} 送出並鎖定；以下是與送出版本逐格比較的差異。`,
  snapshot: '下載送出版本',
  cellPeriod: '統計期間',
  snapshotColumn: '送出的檔案',
  submitBody: (period: string) => `${period}的報表送出後即鎖定，數字不再隨資料變動；如需修改，須由管理者填寫原因解鎖。`,
  // Cross-tab custom periods
  x: {
    periodKind: '期間類型',
    kinds: { quarter: '季', month: '月', halfYear: '半年', year: '年度', range: '自訂起訖' },
    year: '年度（民國）',
    from: '起日（民國，如 115/01/01）',
    to: '迄日（民國，如 115/06/30）',
    dateFormat: '日期格式請寫成 115/01/01',
    rangeOrder: '迄日不可早於起日',
  },
};
