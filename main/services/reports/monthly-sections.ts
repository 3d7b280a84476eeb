/**
 * The monthly report's tables, as an extension point: each domain contributes
 * section builders in one file and adds one line to MONTHLY_SECTIONS (the food
 * bank and programme issues add theirs after the caseload ones).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { ACTIVE_CASE_STATUSES, SERVICE_METHODS } from '../../contract/types-cases';
import type { MonthlyTable } from '../../contract/types-reports';
import type { Dim, IndicatorResult, Period } from './indicators/types';
import { FOODBANK_MONTHLY_SECTIONS } from '../foodbank/monthly';
import { PROGRAMME_MONTHLY_SECTIONS } from '../programmes/monthly';

export interface MonthlyContext {
  db: Kysely<Database>;
  period: Period;
  /** null: the whole center. */
  teams: number[] | null;
  /**
   * The staff of the teams in view (workers and supervisors), in display order. A worker always has a row;
   * a supervisor only where they hold figures (see staffRows).
   */
  staff: { id: number; name: string; supervisor?: boolean }[];
  /** Runs an indicator for the month and teams in view. */
  compute(indicatorId: string, breakdown?: Dim[]): Promise<IndicatorResult>;
}

export interface MonthlySectionBuilder {
  id: string;
  build(ctx: MonthlyContext): Promise<MonthlyTable | null>;
}

/**
 * The rows of a per-worker table, in display order. Workers always have a row (a worker with no figures is
 * worth seeing). A supervisor is not a worker row: listed only when they hold figures of this table (cases
 * they lead themselves, visits they recorded: their figures are in the 合計 and must be seen somewhere),
 * labelled 「（督導）」 after the name, in the place of the staff order (after their team's workers). Anyone
 * else with figures (a disabled or moved account) follows, by id.
 */
function staffRows(ctx: MonthlyContext, extra: { id: number; name: string }[], valuesOf: (id: number) => MonthlyTable['rows'][number]['values']): MonthlyTable['rows'] {
  const rows: MonthlyTable['rows'] = [];
  for (const s of ctx.staff) {
    const values = valuesOf(s.id);
    if (s.supervisor && !values.some((v) => v !== 0 && v !== null)) continue;
    rows.push({ label: s.supervisor ? `${s.name}（督導）` : s.name, values });
  }
  for (const e of extra) rows.push({ label: e.name, values: valuesOf(e.id) });
  return rows;
}

/** A worker × figures table from one-dimension `worker` breakdowns, with a 合計 row from the totals. */
async function byWorker(ctx: MonthlyContext, columns: { label: string; indicatorId: string }[]): Promise<{ rows: MonthlyTable['rows'] }> {
  const results = await Promise.all(columns.map((c) => ctx.compute(c.indicatorId, ['worker'])));
  const ids = new Set<number>(ctx.staff.map((s) => s.id));
  const extra = new Set<number>();
  for (const r of results) for (const row of r.rows) if (row.keys.worker !== null && row.keys.worker !== undefined && !ids.has(Number(row.keys.worker))) extra.add(Number(row.keys.worker));
  const names = new Map(ctx.staff.map((s) => [s.id, s.name]));
  if (extra.size) {
    for (const u of await ctx.db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', [...extra]).execute()) names.set(u.id, u.display_name);
  }
  const others = [...extra].sort((a, b) => a - b).map((id) => ({ id, name: names.get(id) ?? `#${id}` }));
  const rows = staffRows(ctx, others, (id) => results.map((r) => r.rows.find((x) => x.keys.worker === String(id))?.value ?? 0));
  const unassigned = results.map((r) => r.rows.find((x) => x.keys.worker === null)?.value ?? 0);
  if (unassigned.some((v) => v !== 0)) rows.push({ label: '（未指定社工）', values: unassigned });
  rows.push({ label: '合計', values: results.map((r) => r.total.value), total: true });
  return { rows };
}

export const CASELOAD_SECTIONS: MonthlySectionBuilder[] = [
  {
    id: 'caseload',
    async build(ctx) {
      const res = await ctx.compute('cases.caseloadAtEnd', ['worker', 'caseStatus']);
      const statuses = [...ACTIVE_CASE_STATUSES];
      const known = new Set(ctx.staff.map((s) => s.id));
      const others: { id: number; name: string }[] = [];
      for (const r of res.rows) {
        const w = r.keys.worker === null || r.keys.worker === undefined ? null : Number(r.keys.worker);
        if (w !== null && !known.has(w)) {
          known.add(w);
          const u = await ctx.db.selectFrom('users').select('display_name').where('id', '=', w).executeTakeFirst();
          others.push({ id: w, name: u?.display_name ?? `#${w}` });
        }
      }
      const cell = (w: number | null, s: string) => res.rows.find((r) => (r.keys.worker ?? null) === (w === null ? null : String(w)) && r.keys.caseStatus === s)?.value ?? 0;
      const rowFor = (w: number | null, label: string) => {
        const values = statuses.map((s) => cell(w, s));
        return { label, values: [...values, values.reduce((a, b) => a + (b ?? 0), 0)] };
      };
      const rows = staffRows(ctx, others, (id) => rowFor(id, '').values);
      if (res.rows.some((r) => r.keys.worker === null)) rows.push(rowFor(null, '（未指定社工）'));
      const totals = statuses.map((s) => res.rows.filter((r) => r.keys.caseStatus === s).reduce((a, r) => a + (r.value ?? 0), 0));
      rows.push({ label: '合計', values: [...totals, res.total.value], total: true });
      return {
        id: 'caseload',
        title: '月底在案個案數（依主責社工及個案狀態）',
        unit: '案',
        rowHeading: '主責社工',
        columns: [...statuses, '合計'],
        rows,
        note: '依月底當時的個案狀態分類；不含已結案及不開案。',
      };
    },
  },
  {
    id: 'flow',
    async build(ctx) {
      const { rows } = await byWorker(ctx, [
        { label: '受理', indicatorId: 'cases.received' },
        { label: '開案', indicatorId: 'cases.opened' },
        { label: '不開案', indicatorId: 'cases.notOpened' },
        { label: '短期服務', indicatorId: 'cases.shortTerm' },
        { label: '結案', indicatorId: 'cases.closed' },
      ]);
      return { id: 'flow', title: '本月新收、開案及結案數（依主責社工）', unit: '案', rowHeading: '主責社工', columns: ['受理', '開案', '不開案', '短期服務', '結案'], rows };
    },
  },
  {
    id: 'services',
    async build(ctx) {
      const [count, people, consult] = await Promise.all([
        ctx.compute('services.count', ['method']),
        ctx.compute('services.participants', ['method']),
        ctx.compute('services.consultations'),
      ]);
      const rows: MonthlyTable['rows'] = SERVICE_METHODS.map((m) => ({
        label: m,
        values: [count.rows.find((r) => r.keys.method === m)?.value ?? 0, people.rows.find((r) => r.keys.method === m)?.value ?? 0],
      }));
      rows.push({ label: '合計', values: [count.total.value, people.total.value], total: true });
      return {
        id: 'services',
        title: '本月服務人次（依服務方式）',
        unit: '人次',
        rowHeading: '服務方式',
        columns: ['服務人次', '服務參與人次'],
        rows,
        note: `每筆服務紀錄計 1 人次；參與人次依每筆紀錄的參與成員計算。其中含福利諮詢 ${consult.total.value ?? 0} 人次。`,
      };
    },
  },
  {
    id: 'overdue',
    async build(ctx) {
      const { rows } = await byWorker(ctx, [
        { label: '逾期未訪長期關懷戶', indicatorId: 'concerns.overdue' },
        { label: '逾期未追蹤個案', indicatorId: 'cases.followUpOverdue' },
      ]);
      return {
        id: 'overdue',
        title: '月底逾期未訪（依負責社工）',
        unit: '戶、案',
        rowHeading: '負責社工',
        columns: ['逾期未訪長期關懷戶（戶）', '逾期未追蹤個案（案）'],
        rows,
        note: '長期關懷戶：月底時下次訪視日已過；個案：月底前最後一筆服務紀錄所定的追蹤日已過。',
      };
    },
  },
  {
    id: 'concerns',
    async build(ctx) {
      const { rows } = await byWorker(ctx, [
        { label: '月底關懷戶數', indicatorId: 'concerns.active' },
        { label: '本月受訪戶數', indicatorId: 'concerns.visitedHouseholds' },
        { label: '本月訪視次數', indicatorId: 'concerns.visits' },
      ]);
      return {
        id: 'concerns',
        title: '長期關懷戶訪視情形（依社工）',
        unit: '戶、次',
        rowHeading: '社工',
        columns: ['月底關懷戶數（戶）', '本月受訪戶數（戶）', '本月訪視次數（次）'],
        rows,
        note: '關懷戶數依負責社工；受訪戶數及訪視次數依記錄訪視的社工。',
      };
    },
  },
];

/**
 * Every section, in print order. Later issues append theirs, one line each:
 *   ...FOODBANK_SECTIONS (實物銀行), ...PROGRAMME_SECTIONS (方案場次)
 */
export const MONTHLY_SECTIONS: readonly MonthlySectionBuilder[] = [...CASELOAD_SECTIONS, ...FOODBANK_MONTHLY_SECTIONS, ...PROGRAMME_MONTHLY_SECTIONS];
