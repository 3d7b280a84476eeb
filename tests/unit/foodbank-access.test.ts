/**
 * Food bank access per role, and two clerks on two connections to the same file handing out the last
 * 5 bags of rice at once: exactly one succeeds, the other gets a clear message, the shelf never goes negative.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type App } from '../../main/api/app';
import { openSession, testDatabaseFor } from '../helpers/app';
import { row as dbRow } from '../helpers/db';
import { errorOf, household } from './households-fixture';
import { cache, createFoodBank, ledger, type FoodBank } from './foodbank-fixture';

let fb: FoodBank;
beforeAll(async () => {
  fb = await createFoodBank();
  await fb.c.t.call('foodbank.receive', { kind: 'purchase', locationId: fb.hub, receivedOn: '2026-03-05', lots: [{ itemId: fb.rice, quantity: 5 }] }, fb.clerk);
});
afterAll(async () => {
  await fb.c.t.close();
});

describe('access per role', () => {
  it('the auditor reaches nothing of the food bank', async () => {
    for (const [m, input] of [
      ['foodbank.stock', {}], ['foodbank.items', {}], ['foodbank.eligibility', { householdId: fb.family3 }], ['foodbank.figures', { from: '2026-03-01', to: '2026-03-31' }],
      ['foodbank.handout', { householdId: fb.family3, locationId: fb.hub, lines: [{ itemId: fb.rice, quantity: 1 }] }],
    ] as const) {
      expect(errorOf(await fb.c.t.raw(m, input, fb.c.auditor.token)).code, m).toBe('FORBIDDEN');
    }
  });

  it('workers hand out (to households in their scope) but do not receive, move or count stock', async () => {
    const w1 = fb.c.w1.token;
    expect(errorOf(await fb.c.t.raw('foodbank.receive', { kind: 'purchase', locationId: fb.hub, receivedOn: '2026-03-05', lots: [{ itemId: fb.rice, quantity: 1 }] }, w1)).code).toBe('FORBIDDEN');
    expect(errorOf(await fb.c.t.raw('foodbank.startStocktake', { locationId: fb.hub, on: '2026-03-05' }, w1)).code).toBe('FORBIDDEN');
    expect(errorOf(await fb.c.t.raw('foodbank.setAllowance', { mode: 'items', bySize: [1] }, fb.clerk)).code).toBe('FORBIDDEN');
    // family3 was created by the admin and has no case of w1: outside w1's scope.
    expect(errorOf(await fb.c.t.raw('foodbank.eligibility', { householdId: fb.family3 }, w1)).code).toBe('NOT_FOUND');
    const own = await household(fb.c, w1, { name: '林小姐', incomeStatus: 'low' }, { street: '光明路8號' });
    const h = await fb.c.t.call('foodbank.handout', { householdId: own.id, locationId: fb.hub, lines: [{ itemId: fb.rice, quantity: 1 }] }, w1);
    expect(h.picks).toHaveLength(1);
    expect((await fb.c.t.call('foodbank.householdHistory', { householdId: own.id }, fb.clerk))[0]?.handoutId).toBe(h.id);
    // Supervisors and admins hand out too, and see the figures.
    expect((await fb.c.t.call('foodbank.figures', { from: '2026-03-01', to: '2026-03-31' }, fb.c.sup1.token)).total.parcels).toBe(1);
  });

  it('the clerk sees eligibility reasons but no case content', async () => {
    const e = await fb.c.t.call('foodbank.eligibility', { householdId: fb.family3 }, fb.clerk);
    expect(Object.keys(e).sort()).toEqual(['allowance', 'eligible', 'headName', 'householdId', 'householdSize', 'lastHandedOn', 'mode', 'month', 'reasons', 'remaining', 'used']);
    expect(errorOf(await fb.c.t.raw('households.timeline', { householdId: fb.family3 }, fb.clerk)).code).toMatch(/FORBIDDEN|VALIDATION/);
  });
});

describe('two clerks, two connections, the last bags of rice', () => {
  let app2: App;
  beforeAll(async () => {
    app2 = await openApp({ dataDir: fb.c.t.dataDir, now: () => fb.c.t.clock.now, ...(await testDatabaseFor(fb.c.t.dataDir)) });
    // The second connection gives up waiting for the write lock quickly (same thread: it cannot wait for the first).
    if (app2.database.engine === 'sqlite') app2.database.sqlite.pragma('busy_timeout = 200');
  });
  afterAll(async () => {
    await app2.close();
  });

  it('exactly one succeeds; the other is told why; stock never goes below zero', async () => {
    const left = (await fb.c.t.call('foodbank.stock', { itemId: fb.rice, locationId: fb.hub }, fb.clerk)).totals[0]?.quantity ?? 0;
    expect(left).toBe(4);
    await fb.c.t.call('foodbank.setAllowance', { mode: 'items', bySize: [10] }, fb.c.admin);
    const s2 = { token: await openSession(app2, fb.clerk2.id, fb.c.t.clock.now) };
    const a = fb.c.t.raw('foodbank.handout', { householdId: fb.family3, locationId: fb.hub, lines: [{ itemId: fb.rice, quantity: 4 }] }, fb.clerk);
    const b = app2.dispatcher.dispatch({ method: 'foodbank.handout', payload: { householdId: fb.single, locationId: fb.hub, lines: [{ itemId: fb.rice, quantity: 4 }] }, token: s2.token, transport: 'test' });
    const results = await Promise.all([a, b]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const refused = results.find((r) => !r.ok);
    const msg = refused && !refused.ok ? refused.error.message : '';
    expect(msg).toMatch(/可發放的只有 0 包|另一位同仁正在同時異動資料/);
    // Run again after both settled: the loser now gets the shelf message on either connection.
    const again = await app2.dispatcher.dispatch({ method: 'foodbank.handout', payload: { householdId: fb.single, locationId: fb.hub, lines: [{ itemId: fb.rice, quantity: 4 }] }, token: s2.token, transport: 'test' });
    expect(again.ok ? '' : again.error.message).toBe('「白米」在「總行」可發放的只有 0 包，不足您要的 4 包。');
    const bal = (await dbRow<{ m: number; s: number }>(fb.c.t.app, 'select min(quantity) as m, sum(quantity) as s from fb_balances'))!;
    expect(bal.m).toBeGreaterThanOrEqual(0);
    expect(bal.s).toBe(0);
    expect(await cache(fb)).toEqual(await ledger(fb));
  });
});
