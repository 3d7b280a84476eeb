/**
 * Income status as history (issue 12 §3): the period arithmetic on its own, the database's
 * invariant (no two open periods, no period ending before it starts, one period per start day),
 * a person's edit closing the open period and opening a new one in its transaction, and the
 * past-quarter figure: a child whose household became 低收 in 115-04 is not eligible in 115 Q1 but
 * is in Q2; one whose status ended in 115-02 counts in Q1 only. Runs on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setIdleLockMinutes } from '../helpers/app';
import { getIndicator } from '../../main/services/reports/indicators';
import { eligibilityOf } from '../../main/services/households/service';
import { planIncomeChange, type IncomePeriod } from '../../main/services/households/income-status';
import { createCenter, household, type Center } from './households-fixture';
import { setToday } from './programmes-fixture';

const Q1 = { from: '2026-01-01', to: '2026-03-31' };
const Q2 = { from: '2026-04-01', to: '2026-06-30' };

describe('planIncomeChange (one person’s periods)', () => {
  const low = (id: number, validFrom: string, validTo: string | null = null): IncomePeriod => ({ id, status: 'low', validFrom, validTo });
  const mid = (id: number, validFrom: string, validTo: string | null = null): IncomePeriod => ({ id, status: 'mid-low', validFrom, validTo });

  it('opens a period where there is none, and leaves a same status alone', () => {
    expect(planIncomeChange([], 'low', '2026-03-01', null).steps).toEqual([{ op: 'insert', period: { status: 'low', validFrom: '2026-03-01', validTo: null } }]);
    expect(planIncomeChange([low(1, '2026-01-01')], 'low', '2026-03-01', null).steps).toEqual([]);
  });

  it('a new status ends the covering period the day before; the same start day is replaced in place', () => {
    const p = planIncomeChange([low(1, '2026-01-01')], 'mid-low', '2026-03-01', null);
    expect(p.steps).toEqual([
      { op: 'update', id: 1, set: { validTo: '2026-02-28' }, before: { validTo: null } },
      { op: 'insert', period: { status: 'mid-low', validFrom: '2026-03-01', validTo: null } },
    ]);
    expect(planIncomeChange([low(1, '2026-03-01')], 'mid-low', '2026-03-01', null).steps).toEqual([
      { op: 'update', id: 1, set: { status: 'mid-low' }, before: { status: 'low' } },
    ]);
    // Removed (a person's edit): ended yesterday, or gone when it began today.
    expect(planIncomeChange([low(1, '2026-01-01')], null, '2026-03-01', null).after).toEqual([low(1, '2026-01-01', '2026-02-28')]);
    expect(planIncomeChange([low(1, '2026-03-01')], null, '2026-03-01', null).steps).toEqual([{ op: 'delete', id: 1 }]);
  });

  it('an end date closes the period; a later period is never overwritten; a same status after is extended back', () => {
    expect(planIncomeChange([low(1, '2026-01-01')], 'low', '2026-03-01', '2026-06-30').after).toEqual([low(1, '2026-01-01', '2026-06-30')]);
    // The backfilled period began when the person was registered; the list knows the real start.
    expect(planIncomeChange([low(1, '2026-05-10')], 'low', '2026-01-01', null).after).toEqual([low(1, '2026-01-01')]);
    const clipped = planIncomeChange([mid(1, '2026-05-10')], 'low', '2026-01-01', null);
    expect(clipped.after).toEqual([{ id: -1, status: 'low', validFrom: '2026-01-01', validTo: '2026-05-09' }, mid(1, '2026-05-10')]);
    expect(clipped.clipped).toBe(false);
  });

  it('an import takes over the periods recorded up to its day, reusing one in place; a second one clips it', () => {
    // Registered 中低收 on 115/03/05; the 公所's list imported on 115/03/20 says 低收 from 115/03/01.
    const one = planIncomeChange([mid(1, '2026-03-05')], 'low', '2026-03-01', null, '2026-03-20');
    expect(one.steps).toEqual([{ op: 'update', id: 1, set: { status: 'low', validFrom: '2026-03-01' }, before: { status: 'mid-low', validFrom: '2026-03-05' } }]);
    expect(one.after).toEqual([low(1, '2026-03-01')]);
    // A status dated after the import day stays.
    expect(planIncomeChange([mid(1, '2026-04-01')], 'low', '2026-03-01', null, '2026-03-20').after).toEqual([
      { id: -1, status: 'low', validFrom: '2026-03-01', validTo: '2026-03-31' },
      mid(1, '2026-04-01'),
    ]);
    const two = planIncomeChange([mid(1, '2026-03-05', '2026-03-09'), mid(2, '2026-03-10')], 'low', '2026-03-01', null, '2026-03-20');
    expect(two.after).toEqual([low(1, '2026-03-01', '2026-03-09'), mid(2, '2026-03-10')]);
    expect(two.clipped).toBe(true);
    expect(two.steps.some((s) => s.op === 'delete')).toBe(false);
  });

  it('never leaves overlapping periods, whatever the order of changes', () => {
    const statuses = ['low', 'mid-low', null] as const;
    let periods: IncomePeriod[] = [];
    let nextId = 1;
    for (let i = 0; i < 200; i++) {
      const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10);
      const a = (i * 37) % 300;
      const len = (i * 11) % 5 === 0 ? null : (i * 13) % 90;
      const status = statuses[i % 3] ?? null;
      const plan = planIncomeChange(periods, status, day(a), len === null ? null : day(a + len), i % 2 === 0 ? day(a + ((i * 7) % 60)) : undefined);
      if (i % 2 === 0) expect(plan.steps.some((s) => s.op === 'delete'), `step ${i}`).toBe(status === null && plan.steps.some((s) => s.op === 'delete'));
      periods = plan.after.map((p) => (p.id === -1 ? { ...p, id: nextId++ } : p));
      for (let k = 1; k < periods.length; k++) {
        const prev = periods[k - 1] as IncomePeriod;
        expect(prev.validTo, `step ${i}`).not.toBeNull();
        expect((prev.validTo as string) < (periods[k] as IncomePeriod).validFrom, `step ${i}`).toBe(true);
      }
      for (const p of periods) expect(p.validTo === null || p.validTo >= p.validFrom).toBe(true);
    }
  });
});

describe('the status history in the database: a past quarter’s eligibility', () => {
  let c: Center;
  const p: Record<string, number> = {};
  const value = async (id: string, period: { from: string; to: string }) => (await getIndicator(id)!.compute(c.t.app.ctx.db, { period })).total;
  const periods = (personId: number) =>
    c.t.app.ctx.db.selectFrom('person_income_status').select(['status', 'valid_from', 'valid_to', 'source']).where('person_id', '=', personId).orderBy('valid_from').execute();
  const cache = async (personId: number) => (await c.t.app.ctx.db.selectFrom('persons').select('income_status').where('id', '=', personId).executeTakeFirstOrThrow()).income_status;

  beforeAll(async () => {
    c = await createCenter();
    await setIdleLockMinutes(c.t.app, 365 * 24 * 60);
    const tok = c.w1.token;
    await setToday(c, '2025-12-01');
    // HA: no status yet; its child KA. HB: 低收 since registration (114/12/01); its child KB.
    const ha = await household(c, tok, { name: '林志明', birthDate: '1985-02-01' }, { others: [{ person: { name: '林小安', birthDate: '2019-05-01' }, relation: '子女' }] });
    const hb = await household(c, tok, { name: '陳美玲', birthDate: '1988-03-01', incomeStatus: 'low' }, {
      street: '民族路5號',
      others: [{ person: { name: '陳小華', birthDate: '2020-01-01' }, relation: '子女' }],
    });
    const id = (hh: typeof ha, name: string) => hh.members.find((m) => m.name === name)!.personId;
    Object.assign(p, { ha: ha.id, hb: hb.id, pa: id(ha, '林志明'), ka: id(ha, '林小安'), pb: id(hb, '陳美玲'), kb: id(hb, '陳小華') });
    await setToday(c, '2026-01-20');
    await c.t.call('childAccounts.open', { personId: p.kb as number, openedOn: '2026-01-20', monthlyAmount: 500 }, tok);
  }, 60_000);
  afterAll(async () => c?.t.close());

  it('a person registered with a status gets an open period from that day', async () => {
    expect(await periods(p.pb as number)).toEqual([{ status: 'low', valid_from: '2025-12-01', valid_to: null, source: '手動' }]);
  });

  it('editing the status closes the open period and opens a new one, in the edit’s transaction', async () => {
    const tok = c.w1.token;
    await setToday(c, '2026-02-15');
    let v = (await c.t.call('persons.get', { id: p.pb as number }, tok)).version;
    // A stale save is refused and writes no period.
    const stale = await c.t.raw('persons.update', { id: p.pb, version: v - 1, incomeStatus: null }, tok);
    expect(stale.ok).toBe(false);
    expect(await periods(p.pb as number)).toEqual([{ status: 'low', valid_from: '2025-12-01', valid_to: null, source: '手動' }]);
    await c.t.call('persons.update', { id: p.pb as number, version: v, incomeStatus: null }, tok);
    expect(await periods(p.pb as number)).toEqual([{ status: 'low', valid_from: '2025-12-01', valid_to: '2026-02-14', source: '手動' }]);
    expect(await cache(p.pb as number)).toBeNull();

    await setToday(c, '2026-04-10');
    v = (await c.t.call('persons.get', { id: p.pa as number }, tok)).version;
    await c.t.call('persons.update', { id: p.pa as number, version: v, incomeStatus: 'mid-low' }, tok);
    v = (await c.t.call('persons.get', { id: p.pa as number }, tok)).version;
    // A second change the same day replaces the day's period instead of leaving a one-day-less-than-nothing one.
    await c.t.call('persons.update', { id: p.pa as number, version: v, incomeStatus: 'low' }, tok);
    expect(await periods(p.pa as number)).toEqual([{ status: 'low', valid_from: '2026-04-10', valid_to: null, source: '手動' }]);
    expect(await cache(p.pa as number)).toBe('low');
  });

  it('115 Q1 counts KB (低收 until 115/02/14) and not KA (低收 from 115/04/10); Q2 the other way round', async () => {
    // Today's status alone (the old rule) would have said KA in both quarters and KB in neither.
    expect((await value('childAccounts.eligible', Q1)).value).toBe(1);
    expect(await value('childAccounts.openingRate', Q1)).toEqual({ value: 100, numerator: 1, denominator: 1 });
    expect((await value('childAccounts.eligible', Q2)).value).toBe(1);
    expect(await value('childAccounts.openingRate', Q2)).toEqual({ value: 0, numerator: 0, denominator: 1 });
    const q3 = { from: '2026-07-01', to: '2026-09-30' };
    expect((await value('childAccounts.eligible', q3)).value).toBe(1);
    // The eligible list of today (115/04/10): KA by 低收入戶; KB only for the account it already has.
    const list = await c.t.call('childAccounts.eligible', {}, c.w1.token);
    expect(list.map((k) => [k.name, k.basis])).toEqual([
      ['林小安', '低收入戶'],
      ['陳小華', '（已不符資格）'],
    ]);
  });

  it('food-bank eligibility on a date reads the history', async () => {
    const db = c.t.app.ctx.db;
    expect((await eligibilityOf(db, [p.hb as number], '2026-01-31')).get(p.hb as number)?.incomeStatus).toBe('low');
    expect((await eligibilityOf(db, [p.hb as number], '2026-02-15')).get(p.hb as number)?.incomeStatus).toBeNull();
    expect((await eligibilityOf(db, [p.ha as number], '2026-04-09')).get(p.ha as number)?.incomeStatus).toBeNull();
    expect((await eligibilityOf(db, [p.ha as number], '2026-04-10')).get(p.ha as number)?.incomeStatus).toBe('low');
  });

  it('the database refuses a second open period, a period ending before it starts and two periods from one day', async () => {
    const db = c.t.app.ctx.db;
    const row = (over: Record<string, unknown>) => ({
      person_id: p.pa as number, status: 'low', valid_from: '2027-01-01', valid_to: null as string | null, source: '手動', household_id: null, created_at: 'x', created_by: null, updated_at: null, updated_by: null, version: 1, ...over,
    });
    await expect(db.insertInto('person_income_status').values(row({})).execute()).rejects.toThrow();
    await expect(db.insertInto('person_income_status').values(row({ valid_from: '2026-04-10', valid_to: '2026-04-30' })).execute()).rejects.toThrow();
    await expect(db.insertInto('person_income_status').values(row({ valid_from: '2026-03-01', valid_to: '2026-02-01' })).execute()).rejects.toThrow();
    await expect(db.insertInto('person_income_status').values(row({ status: '低收入戶', valid_from: '2026-01-01', valid_to: '2026-01-31' })).execute()).rejects.toThrow();
    // No overlapping pair anywhere.
    const all = await db.selectFrom('person_income_status').selectAll().orderBy('person_id').orderBy('valid_from').execute();
    for (let i = 1; i < all.length; i++) {
      const a = all[i - 1]!;
      const b = all[i]!;
      if (a.person_id === b.person_id) expect(a.valid_to !== null && a.valid_to < b.valid_from).toBe(true);
    }
  });
});
