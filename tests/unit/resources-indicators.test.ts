/**
 * Resource-map indicators (issue 14 §3): 資源使用 (referrals by resource) and 轉介結果 (by resource and
 * status at the period's end), and the acceptance rate; referrals to units typed by hand are not counted;
 * the `resource` dimension's values and labels; a non-numeric resource filter is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getIndicator } from '../../main/services/reports/indicators';
import { filterProblems } from '../../main/services/reports/filters';
import { createFixture, type Fixture } from './cases-fixture';

describe('resource indicators', () => {
  let f: Fixture;
  let a = 0;
  let b = 0;
  let day = '';
  beforeAll(async () => {
    f = await createFixture();
    const base = { services: ['就業' as const], targets: ['一般' as const], districts: [] };
    a = (await f.call(f.admin, 'resources.create', { ...base, name: '甲就業中心', unitKind: '勞政' })).id;
    b = (await f.call(f.admin, 'resources.create', { ...base, name: '乙協會', unitKind: '民間團體' })).id;
    const refer = async (resourceId?: number) => {
      const c = await f.caseIn('處遇中');
      const rec = await f.call(f.w1, 'records.create', {
        householdId: c.householdId,
        caseId: c.id,
        occurredAt: f.ago(30),
        method: '面訪家庭',
        participants: [],
        minutes: 30,
        items: ['資源轉介'],
        narrative: '',
        referral: { unitKind: '其他', unitName: '手填單位', reason: '求職', ...(resourceId ? { resourceId } : {}) },
      });
      return rec.referralIds[0] as number;
    };
    const a1 = await refer(a);
    const a2 = await refer(a);
    await refer(a);
    const b1 = await refer(b);
    await refer(undefined);
    await f.call(f.w1, 'referrals.updateStatus', { id: a1, status: '受案' });
    await f.call(f.w1, 'referrals.updateStatus', { id: a1, status: '轉介完成' });
    await f.call(f.w1, 'referrals.updateStatus', { id: a2, status: '不受案' });
    await f.call(f.w1, 'referrals.updateStatus', { id: b1, status: '受案' });
    day = (await f.t.app.ctx.db.selectFrom('referrals').select('referred_on').where('id', '=', a1).executeTakeFirstOrThrow()).referred_on;
  }, 60_000);
  afterAll(async () => {
    await f.close();
  });

  it('資源使用 and 轉介結果: referrals from the map by resource and by status; hand-typed units left out', async () => {
    const ind = getIndicator('resources.referrals');
    if (!ind) throw new Error('missing');
    const period = { from: day, to: day };
    const db = f.t.app.ctx.db;
    expect((await ind.compute(db, { period })).total.value).toBe(4);
    const byResource = await ind.compute(db, { period, breakdown: ['resource'] });
    expect(byResource.rows.map((r) => [r.keys.resource, r.value])).toEqual(
      [
        [String(a), 3],
        [String(b), 1],
      ].sort(),
    );
    const outcome = await ind.compute(db, { period, breakdown: ['resource', 'referralStatus'] });
    const cells = Object.fromEntries(outcome.rows.map((r) => [`${r.keys.resource}|${r.keys.referralStatus}`, r.value]));
    expect(cells).toEqual({ [`${a}|轉介完成`]: 1, [`${a}|不受案`]: 1, [`${a}|轉介等待中`]: 1, [`${b}|受案`]: 1 });
    // The day before: nothing.
    expect((await ind.compute(db, { period: { from: '2026-01-01', to: '2026-01-31' } })).total.value).toBe(0);

    const rate = getIndicator('resources.acceptRate');
    const r = await rate?.compute(db, { period, breakdown: ['resource'] });
    expect(r?.total).toMatchObject({ numerator: 2, denominator: 4, value: 50 });
    expect(r?.rows.find((x) => x.keys.resource === String(a))).toMatchObject({ numerator: 1, denominator: 3 });

    expect(filterProblems(ind, { resource: String(a) })).toEqual([]);
    expect(filterProblems(ind, { resource: '甲' })).toHaveLength(1);
  });
});
