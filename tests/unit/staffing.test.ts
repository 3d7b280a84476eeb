/**
 * Staffing (issue 13 §6): approved positions, fills, the month view and the three indicators
 * (核定員額, 進用人數, 人員進用率) against a hand-counted dataset over 115年第1季, with the refused
 * inputs (nothing written) and access per role. Runs on SQLite and, in the PostgreSQL run, on
 * PostgreSQL.
 *
 * The dataset (month ends 01-31, 02-28, 03-31):
 *   P1 中央補助 社工督導 from 2025-01-01, sup1 in post from 2025-01-01.            filled, filled, filled
 *   P2 中央補助 社工員 from 2025-01-01: 陳社工 2025-03-01..2026-02-14 (ends mid-month),
 *      then sw1 from 2026-03-16 (two fills in sequence).                           filled, vacant, filled
 *   P3 中央補助 社工員 approved mid-quarter 2026-02-10; 李社工 from 2026-03-01.     -,      vacant, filled
 *   P4 地方自籌 社工員 from 2025-06-01, never filled (the vacancy).                 vacant, vacant, vacant
 *   P5 公益彩券 行政人員 from 2025-01-01, 王行政 in post, cut on 2026-02-28.        filled, filled, -
 * Approved 4, 5, 4; filled 3, 2, 3. Rate over the quarter: 8 / 13 = 61.5%.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiInput } from '../../main/contract/api';
import type { PositionView } from '../../main/contract/types-staffing';
import { getIndicator } from '../../main/services/reports/indicators';
import { createCenter, type Center } from './households-fixture';
import { refusal } from './programmes-fixture';

const Q1 = { from: '2026-01-01', to: '2026-03-31' };

describe('staffing: positions, fills, the month view and the indicators', () => {
  let c: Center;
  let p: Record<'p1' | 'p2' | 'p3' | 'p4' | 'p5', PositionView>;
  const compute = async (id: string, period: { from: string; to: string }, extra: { breakdown?: ('fundingLine' | 'month')[]; filters?: Record<string, string | string[]>; teams?: number[] | null } = {}) => {
    const ind = getIndicator(id);
    if (!ind) throw new Error(`indicator ${id} is not registered`);
    return ind.compute(c.t.app.ctx.db, { period, ...extra });
  };
  const counts = async () => {
    const db = c.t.app.ctx.db;
    const n = async (table: 'staff_positions' | 'staff_fills' | 'audit_log') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    return { positions: await n('staff_positions'), fills: await n('staff_fills'), audit: await n('audit_log') };
  };

  beforeAll(async () => {
    c = await createCenter();
    const call = c.t.call;
    const a = c.admin;
    const position = (input: ApiInput<'staffing.createPosition'>) => call('staffing.createPosition', input, a);
    const p1 = await position({ fundingLine: 'ssn', title: '社工督導', approvedFrom: '2025-01-01' });
    const p2 = await position({ fundingLine: 'ssn', title: '社工員', label: '中興區', approvedFrom: '2025-01-01' });
    const p3 = await position({ fundingLine: 'ssn', title: '社工員', label: '第二期新增', approvedFrom: '2026-02-10' });
    const p4 = await position({ fundingLine: 'local', title: '社工員', approvedFrom: '2025-06-01' });
    const p5 = await position({ fundingLine: 'lottery', title: '行政人員', approvedFrom: '2025-01-01' });
    await call('staffing.addFill', { positionId: p1.id, userId: c.sup1.id, startedOn: '2025-01-01' }, a);
    await call('staffing.addFill', { positionId: p2.id, staffName: '陳社工', startedOn: '2025-03-01' }, a);
    const open = (await call('staffing.list', {}, a)).find((x) => x.id === p2.id)!.fills[0]!;
    await call('staffing.endFill', { id: open.id, version: open.version, endedOn: '2026-02-14' }, a);
    await call('staffing.addFill', { positionId: p2.id, userId: c.w1.id, startedOn: '2026-03-16' }, a);
    await call('staffing.addFill', { positionId: p3.id, staffName: '李社工', startedOn: '2026-03-01' }, a);
    await call('staffing.addFill', { positionId: p5.id, staffName: '王行政', startedOn: '2025-01-01' }, a);
    const cut = await call('staffing.closePosition', { id: p5.id, version: p5.version, approvedTo: '2026-02-28' }, a);
    const list = await call('staffing.list', {}, a);
    const byId = (id: number) => list.find((x) => x.id === id)!;
    p = { p1: byId(p1.id), p2: byId(p2.id), p3: byId(p3.id), p4: byId(p4.id), p5: cut };
  }, 60_000);
  afterAll(async () => c?.t.close());

  it('lists positions by funding line with their fills, newest first; cutting a position ended its open fill in the same write', async () => {
    const list = await c.t.call('staffing.list', {}, c.sup1.token);
    expect(list.map((x) => [x.fundingLine, x.title])).toEqual([
      ['ssn', '社工督導'],
      ['ssn', '社工員'],
      ['ssn', '社工員'],
      ['local', '社工員'],
      ['lottery', '行政人員'],
    ]);
    expect(p.p2.fills.map((f) => [f.name, f.startedOn, f.endedOn])).toEqual([
      ['sw1姓名', '2026-03-16', null],
      ['陳社工', '2025-03-01', '2026-02-14'],
    ]);
    expect(p.p1.fills[0]).toMatchObject({ userId: c.sup1.id, name: 'sup1姓名', endedOn: null });
    expect(p.p5).toMatchObject({ approvedTo: '2026-02-28', version: 1 });
    expect(p.p5.fills.map((f) => [f.name, f.endedOn])).toEqual([['王行政', '2026-02-28']]);
    const audit = await c.t.app.ctx.db.selectFrom('audit_log').select(['entity', 'action', 'detail']).where('entity', 'in', ['staff_position', 'staff_fill']).orderBy('id').execute();
    expect(audit.map((r) => `${r.entity}:${r.action}`)).toEqual([
      ...Array(5).fill('staff_position:create'),
      'staff_fill:create',
      'staff_fill:create',
      'staff_fill:update',
      'staff_fill:create',
      'staff_fill:create',
      'staff_fill:create',
      'staff_position:update',
    ]);
    // Names stay out of the audit log: ids and dates only.
    expect(audit.map((r) => r.detail ?? '').join()).not.toMatch(/陳社工|李社工|王行政/);
  });

  it('the month view: figures per funding line at the month end and the vacancies with since-when', async () => {
    const feb = await c.t.call('staffing.month', { month: '2026-02' }, c.sup1.token);
    expect(feb.asOf).toBe('2026-02-28');
    expect(feb.lines).toEqual([
      { fundingLine: 'ssn', approved: 3, filled: 1, vacant: 2, rate: 33.3 },
      { fundingLine: 'local', approved: 1, filled: 0, vacant: 1, rate: 0 },
      { fundingLine: 'lottery', approved: 1, filled: 1, vacant: 0, rate: 100 },
      { fundingLine: 'other', approved: 0, filled: 0, vacant: 0, rate: null },
    ]);
    expect(feb.total).toEqual({ approved: 5, filled: 2, vacant: 3, rate: 40 });
    expect(feb.vacancies.map((v) => [v.positionId, v.vacantSince])).toEqual([
      [p.p4.id, '2025-06-01'],
      [p.p3.id, '2026-02-10'],
      [p.p2.id, '2026-02-15'],
    ]);
    const mar = await c.t.call('staffing.month', { month: '2026-03' }, c.admin);
    expect(mar.total).toEqual({ approved: 4, filled: 3, vacant: 1, rate: 75 });
    expect(mar.vacancies.map((v) => v.positionId)).toEqual([p.p4.id]);
    const jan = await c.t.call('staffing.month', { month: '2026-01' }, c.admin);
    expect(jan.total).toEqual({ approved: 4, filled: 3, vacant: 1, rate: 75 });
  });

  it('核定員額 and 進用人數 are stocks at the period end, by funding line; a month is the indicator over that month', async () => {
    expect((await compute('staffing.approved', Q1)).total.value).toBe(4);
    expect((await compute('staffing.filled', Q1)).total.value).toBe(3);
    const byLine = await compute('staffing.filled', Q1, { breakdown: ['fundingLine'] });
    expect(byLine.rows.map((r) => [r.keys.fundingLine, r.value])).toEqual([
      ['ssn', 3],
      ['local', 0],
    ]);
    const months = [Q1.from, '2026-02-01', '2026-03-01'].map((from, i) => ({ from, to: ['2026-01-31', '2026-02-28', '2026-03-31'][i]! }));
    expect(await Promise.all(months.map(async (m) => (await compute('staffing.approved', m)).total.value))).toEqual([4, 5, 4]);
    expect(await Promise.all(months.map(async (m) => (await compute('staffing.filled', m)).total.value))).toEqual([3, 2, 3]);
    await expect(compute('staffing.approved', Q1, { breakdown: ['month'] })).rejects.toThrow('只能依經費來源分類');
    // A period ending on the day the fill ends: still in post that day.
    expect((await compute('staffing.filled', { from: '2026-02-01', to: '2026-02-14' })).total.value).toBe(3);
    expect((await compute('staffing.filled', { from: '2026-02-01', to: '2026-02-15' })).total.value).toBe(2);
  });

  it('人員進用率 = filled position-months ÷ approved position-months over the period', async () => {
    expect((await compute('staffing.fillRate', Q1)).total).toEqual({ value: 61.5, numerator: 8, denominator: 13 });
    const byLine = await compute('staffing.fillRate', Q1, { breakdown: ['fundingLine'] });
    expect(byLine.rows.map((r) => [r.keys.fundingLine, r.value, r.numerator, r.denominator])).toEqual([
      ['ssn', 75, 6, 8],
      ['local', 0, 0, 3],
      ['lottery', 100, 2, 2],
    ]);
    const byMonth = await compute('staffing.fillRate', Q1, { breakdown: ['month'] });
    expect(byMonth.rows.map((r) => [r.keys.month, r.value])).toEqual([
      ['2026-01', 75],
      ['2026-02', 40],
      ['2026-03', 75],
    ]);
    expect((await compute('staffing.fillRate', Q1, { filters: { fundingLine: 'ssn' } })).total.value).toBe(75);
    expect((await compute('staffing.fillRate', { from: '2025-01-01', to: '2025-01-31' })).total).toEqual({ value: 66.7, numerator: 2, denominator: 3 }) // P2 was filled from 2025-03-01 only;
    expect((await compute('staffing.fillRate', Q1, { teams: [] })).total.value).toBeNull();
    await expect(compute('staffing.fillRate', Q1, { breakdown: ['team' as 'month'] })).rejects.toThrow('只能依經費來源或月份分類');
  });

  it('the cross-tab labels the funding lines in zh-TW and the mapping filters accept only the closed list', async () => {
    const view = await c.t.call('reports.crosstab', { indicatorId: 'staffing.fillRate', period: Q1, breakdowns: ['fundingLine'] } as ApiInput<'reports.crosstab'>, c.admin);
    expect(JSON.stringify(view)).toContain('中央補助（強化社會安全網）');
    const bad = refusal(await c.t.raw('reports.crosstab', { indicatorId: 'staffing.filled', period: Q1, breakdowns: ['fundingLine'], filters: { fundingLine: 'central' } }, c.admin));
    expect(bad.message + JSON.stringify(bad.fields ?? {})).toContain('「經費來源」沒有「central」這個值');
  });

  it('refuses overlapping fills, fills outside the approval, a national ID as a name and one person in two posts; nothing is written', async () => {
    const before = await counts();
    const raw = (m: string, input: unknown) => c.t.raw(m, input, c.admin);
    const overlap = refusal(await raw('staffing.addFill', { positionId: p.p2.id, staffName: '張社工', startedOn: '2026-03-01' }));
    expect(overlap.fields?.startedOn).toContain('已有人在職');
    const early = refusal(await raw('staffing.addFill', { positionId: p.p3.id, staffName: '張社工', startedOn: '2026-02-01', endedOn: '2026-02-20' }));
    expect(early.fields?.startedOn).toBe('到職日不可早於員額核定起日（115/02/10）');
    const cut = refusal(await raw('staffing.addFill', { positionId: p.p5.id, staffName: '張社工', startedOn: '2026-03-01' }));
    expect(cut.fields?.startedOn).toContain('此員額核定至 115/02/28');
    const id = refusal(await raw('staffing.addFill', { positionId: p.p4.id, staffName: 'A123456789', startedOn: '2026-03-01' }));
    expect(id.code).toBe('VALIDATION');
    expect(id.fields?.staffName).toBe('請填寫姓名，不要填身分證字號');
    const nobody = refusal(await raw('staffing.addFill', { positionId: p.p4.id, startedOn: '2026-03-01' }));
    expect(nobody.fields?.staffName).toBe('請選擇同仁或填寫姓名');
    const twice = refusal(await raw('staffing.addFill', { positionId: p.p4.id, userId: c.sup1.id, startedOn: '2026-03-01' }));
    expect(twice.fields?.userId).toBe('這位同仁同一期間已在另一個員額任職');
    const order = refusal(await raw('staffing.createPosition', { fundingLine: 'ssn', title: '社工員', approvedFrom: '2026-03-01', approvedTo: '2026-01-31' }));
    expect(order.fields?.approvedTo).toBe('核定迄日不可早於核定起日');
    const line = refusal(await raw('staffing.createPosition', { fundingLine: '中央', title: '社工員', approvedFrom: '2026-03-01' }));
    expect(line.fields?.fundingLine).toBe('請選擇經費來源');
    const shrink = refusal(await raw('staffing.updatePosition', { id: p.p3.id, version: p.p3.version, fundingLine: 'ssn', title: '社工員', approvedFrom: '2026-03-05' }));
    expect(shrink.fields?.approvedFrom).toContain('115/03/01 到職');
    const stale = refusal(await raw('staffing.closePosition', { id: p.p5.id, version: 0, approvedTo: '2026-01-31' }));
    expect(stale.code).toBe('CONFLICT');
    expect(await counts()).toEqual(before);
  });

  it('管理者 writes; 督導 reads only; 社工, 實物銀行 and 稽核 reach nothing', async () => {
    const sup = c.sup1.token;
    expect((await c.t.call('staffing.list', {}, sup)).length).toBe(5);
    expect((refusal(await c.t.raw('staffing.createPosition', { fundingLine: 'ssn', title: '社工員', approvedFrom: '2026-03-01' }, sup))).code).toBe('FORBIDDEN');
    expect((refusal(await c.t.raw('staffing.endFill', { id: p.p1.fills[0]!.id, version: 0, endedOn: '2026-03-31' }, sup))).code).toBe('FORBIDDEN');
    expect((refusal(await c.t.raw('staffing.users', {}, sup))).code).toBe('FORBIDDEN');
    for (const tok of [c.w1.token, c.clerk.token, c.auditor.token]) {
      expect((refusal(await c.t.raw('staffing.list', {}, tok))).code).toBe('FORBIDDEN');
      expect((refusal(await c.t.raw('staffing.month', { month: '2026-02' }, tok))).code).toBe('FORBIDDEN');
      expect((refusal(await c.t.raw('staffing.addFill', { positionId: p.p4.id, staffName: '張社工', startedOn: '2026-03-01' }, tok))).code).toBe('FORBIDDEN');
    }
    const users = await c.t.call('staffing.users', {}, c.admin);
    expect(users.map((u) => u.name)).toContain('sw1姓名');
    expect(users.map((u) => u.name)).not.toContain('auditor姓名');
  });

  it('edits a position and ends a fill; the vacancy starts the day after', async () => {
    const a = c.admin;
    const edited = await c.t.call('staffing.updatePosition', { id: p.p4.id, version: p.p4.version, fundingLine: 'local', title: '社工員', label: '埔里區', approvedFrom: '2025-06-01', notes: '縣府自聘' }, a);
    expect(edited).toMatchObject({ label: '埔里區', notes: '縣府自聘', version: 1 });
    const withFill = await c.t.call('staffing.addFill', { positionId: p.p4.id, staffName: '張社工', startedOn: '2026-04-01' }, a);
    const f = withFill.fills[0]!;
    await c.t.call('staffing.endFill', { id: f.id, version: f.version, endedOn: '2026-04-20' }, a);
    const apr = await c.t.call('staffing.month', { month: '2026-04' }, a);
    expect(apr.vacancies.find((v) => v.positionId === p.p4.id)?.vacantSince).toBe('2026-04-21');
    // 115年第1季 is unchanged by what happened in April.
    expect((await compute('staffing.fillRate', Q1)).total.value).toBe(61.5);
  });
});
