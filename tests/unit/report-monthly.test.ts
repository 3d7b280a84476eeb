/**
 * The monthly report (月報) for 115年3月 on the hand-counted center of
 * reports-fixture.ts: the tables, who may see which team, the supervisor's
 * remark, and the printed HTML form.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonthlyReportData } from '../../main/contract/types-reports';
import { PRINT_FONT_FAMILY, renderMonthlyHtml } from '../../main/services/reports/monthly-html';
import { createReportsApp, type ReportsApp } from './reports-fixture';

let r: ReportsApp;
beforeAll(async () => {
  r = await createReportsApp();
  r.t.clock.now = new Date('2026-04-10T02:00:00.000Z');
});
afterAll(async () => {
  await r?.close();
});

const table = (data: MonthlyReportData, id: string) => {
  const t = data.tables.find((x) => x.id === id);
  if (!t) throw new Error(`no table ${id}`);
  return Object.fromEntries(t.rows.map((row) => [row.label, row.values]));
};

describe('the whole center (管理者)', () => {
  let data: MonthlyReportData;

  it('has the form header: 編製機關 = the center, period line and 編製 date in ROC', async () => {
    data = await r.call(r.d.admin, 'reports.monthly', { month: '2026-03' });
    expect(data.header).toMatchObject({
      publicity: '公開類',
      frequency: '月報',
      agency: '南投市社會福利服務中心',
      periodLine: '中華民國115年3月',
      compiledOn: '中華民國115年4月10日',
      title: '南投市社會福利服務中心工作月報',
    });
    expect(data.tables.map((t) => t.id)).toEqual(['caseload', 'flow', 'services', 'overdue', 'concerns', 'foodbank', 'programmes']);
    expect(await r.call(r.d.admin, 'reports.monthly', { month: '115-03' })).toEqual(data);
  });

  it('caseload at month end by worker and status: C1 C5 (張), C6 結案審查中 C7 短期服務 (李), C4 (黃)', () => {
    const t = data.tables.find((x) => x.id === 'caseload');
    expect(t?.columns).toEqual(['待分派', '評估中', '開案審查中', '處遇中', '短期服務', '結案審查中', '合計']);
    expect(table(data, 'caseload')).toEqual({
      張社工: [1, 0, 0, 1, 0, 0, 2],
      李社工: [0, 0, 0, 0, 1, 1, 2],
      黃社工: [0, 0, 0, 1, 0, 0, 1],
      合計: [1, 0, 0, 2, 1, 1, 5],
    });
  });

  it('new / opened / closed in March: C5 received (張), C2 closed (李)', () => {
    expect(table(data, 'flow')).toMatchObject({ 張社工: [1, 0, 0, 0, 0], 李社工: [0, 0, 0, 0, 1], 合計: [1, 0, 0, 0, 1] });
  });

  it('services by method in March: S6 (2 people) and S8 (1), both 電訪家庭', () => {
    const t = table(data, 'services');
    expect(t['電訪家庭']).toEqual([2, 3]);
    expect(t['面訪家庭']).toEqual([0, 0]);
    expect(t['合計']).toEqual([2, 3]);
    expect(data.tables.find((x) => x.id === 'services')?.note).toMatch(/福利諮詢 0 人次/);
  });

  it('overdue at month end: concerns L2 (張) and L5 (黃); follow-ups C1 (張) and C6 (李)', () => {
    expect(table(data, 'overdue')).toMatchObject({ 張社工: [1, 1], 李社工: [0, 1], 黃社工: [1, 0], 合計: [2, 2] });
  });

  it('long-term concern households: active L1 L5 (黃), L2 (張), L6 (李); H3 visited once in March (S8)', () => {
    expect(table(data, 'concerns')).toMatchObject({ 張社工: [1, 0, 0], 李社工: [1, 0, 0], 黃社工: [2, 1, 1], 合計: [4, 1, 1] });
  });
});

describe('who sees what', () => {
  it('a supervisor sees their own team only, by default and when asked', async () => {
    const data = await r.call(r.d.sup1, 'reports.monthly', { month: '2026-03' });
    expect(data.teamId).toBe(r.d.team1);
    expect(data.header.title).toBe('南投市社會福利服務中心工作月報（第一組）');
    expect(Object.keys(table(data, 'caseload'))).toEqual(['張社工', '李社工', '合計']);
    expect(table(data, 'caseload')['合計']?.[6]).toBe(4); // C1 C5 C6 C7
    const other = await r.raw(r.d.sup1, 'reports.monthly', { month: '2026-03', teamId: r.d.team2 });
    expect(other.ok ? 'ok' : other.error.code).toBe('FORBIDDEN');
    const team2 = await r.call(r.d.admin, 'reports.monthly', { month: '2026-03', teamId: r.d.team2 });
    expect(table(team2, 'caseload')['合計']?.[6]).toBe(1); // C4
  });

  it('workers, the food-bank clerk and the auditor are refused', async () => {
    for (const who of [r.d.w1, r.d.clerk]) {
      const env = await r.raw(who, 'reports.monthly', { month: '2026-03' });
      expect(env.ok ? 'ok' : env.error.code).toBe('FORBIDDEN');
    }
  });

  it('refuses a month that is not one', async () => {
    const env = await r.raw(r.d.admin, 'reports.monthly', { month: '2026-13' });
    expect(env.ok ? 'ok' : env.error.code).toBe('VALIDATION');
  });
});

describe("the supervisor's remark", () => {
  it('is saved per month and team, with optimistic versions, and shows in the report', async () => {
    const first = await r.call(r.d.sup1, 'reports.saveMonthlyRemark', { month: '115-03', remark: '本月逾期訪視 2 戶，已提醒<追蹤>。' });
    expect(first).toMatchObject({ month: '2026-03', teamId: r.d.team1, version: 1 });
    const stale = await r.raw(r.d.sup1, 'reports.saveMonthlyRemark', { month: '2026-03', remark: '覆蓋' });
    expect(stale.ok ? 'ok' : stale.error.code).toBe('CONFLICT');
    const second = await r.call(r.d.sup1, 'reports.saveMonthlyRemark', { month: '2026-03', remark: '本月逾期訪視 2 戶，已提醒<追蹤>。', version: 1 });
    expect(second.version).toBe(2);
    const data = await r.call(r.d.sup1, 'reports.monthly', { month: '2026-03' });
    expect(data.remark?.text).toBe('本月逾期訪視 2 戶，已提醒<追蹤>。');
    // The center-wide report has its own remark.
    expect((await r.call(r.d.admin, 'reports.monthly', { month: '2026-03' })).remark).toBeNull();
    const audit = await r.db.selectFrom('audit_log').select('action').where('entity', '=', 'monthly_remark').execute();
    expect(audit.map((a) => a.action)).toEqual(['create', 'update']);
  });
});

describe('the printed form', () => {
  it('is a complete A4 page in the 公務統計報表 layout, in a Kai typeface', async () => {
    const { html, data } = await r.call(r.d.sup1, 'reports.monthlyHtml', { month: '2026-03' });
    expect(html).toBe(renderMonthlyHtml(data));
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('@page { size: A4;');
    expect(html).toContain(`font-family: ${PRINT_FONT_FAMILY}`);
    expect(PRINT_FONT_FAMILY).toBe('"TW-Kai","全字庫正楷體","DFKai-SB","標楷體","AR PL UKai TW",serif');
    const order = ['公開類', '月報', '次月10日前編報', '編製機關', '南投市社會福利服務中心', '表號', '工作月報（第一組）', '中華民國115年3月', '單位：', '月底在案個案數', '督導意見', '填表', '審核', '業務主管人員', '機關首長', '中華民國115年4月10日編製', '資料來源', '填表說明'];
    let at = 0;
    for (const s of order) {
      const i = html.indexOf(s, at);
      expect(i, s).toBeGreaterThan(-1);
      at = i;
    }
    expect(html).toContain('已提醒&lt;追蹤&gt;'); // escaped
    expect(html).not.toContain('<追蹤>');
  });

  it('records printing in the audit log', async () => {
    await r.call(r.d.sup1, 'reports.monthlyPrinted', { month: '2026-03', to: 'pdf' });
    const row = await r.db.selectFrom('audit_log').selectAll().where('action', '=', 'print').executeTakeFirstOrThrow();
    expect(row.entity).toBe('monthly_report');
    expect(JSON.parse(row.detail as string)).toMatchObject({ month: '2026-03', teamId: r.d.team1, to: 'pdf' });
  });
});

describe('supervisors are not worker rows (issue 13)', () => {
  it('a supervisor without figures has no row of 「－」 in any per-worker table', async () => {
    const data = await r.call(r.d.admin, 'reports.monthly', { month: '2026-03' });
    for (const id of ['caseload', 'flow', 'overdue', 'concerns']) {
      const labels = Object.keys(table(data, id));
      expect(labels.filter((l) => l.includes('督導')), id).toEqual([]);
      // Workers keep their rows even without figures: 黃社工 has no case received or closed in March.
      expect(labels, id).toEqual(expect.arrayContaining(['張社工', '李社工', '黃社工', '合計']));
    }
  });

  it('a supervisor who leads a case is listed after their team\'s workers, marked （督導）, and counted in 合計', async () => {
    const c1 = await r.db.selectFrom('cases').selectAll().where('id', '=', r.d.cases.C1).executeTakeFirstOrThrow();
    const { id: _id, ...rest } = c1;
    const added = await r.db
      .insertInto('cases')
      .values({ ...rest, case_no: '115-000900', seq: 900, lead_worker_id: r.d.sup1, received_at: '2026-03-10T02:00:00.000Z', opened_on: '2026-03-12', status: '處遇中' })
      .returning('id')
      .executeTakeFirstOrThrow();
    try {
      const data = await r.call(r.d.sup1, 'reports.monthly', { month: '2026-03' });
      expect(Object.keys(table(data, 'caseload'))).toEqual(['張社工', '李社工', '王督導（督導）', '合計']);
      expect(table(data, 'caseload')['王督導（督導）']).toEqual([0, 0, 0, 1, 0, 0, 1]);
      expect(table(data, 'caseload')['合計']?.[6]).toBe(5); // C1 C5 C6 C7 and the supervisor's case
      expect(table(data, 'flow')['王督導（督導）']).toEqual([1, 1, 0, 0, 0]);
      // Only where they hold figures: no concern is theirs.
      expect(Object.keys(table(data, 'concerns'))).not.toContain('王督導（督導）');
      // The other team's supervisor still has no row in the whole center's report.
      const all = await r.call(r.d.admin, 'reports.monthly', { month: '2026-03' });
      expect(Object.keys(table(all, 'caseload'))).toEqual(['張社工', '李社工', '王督導（督導）', '黃社工', '合計']);
    } finally {
      await r.db.deleteFrom('cases').where('id', '=', added.id).execute();
    }
  });
});
