/**
 * The food bank (issue 5): receipts numbered without gaps, FEFO picking with expired lots blocked,
 * the allowance by household size, bad input refused with nothing written, transfers in transit,
 * stocktake posting by a second person, the balance cache = the sum of movements, and the figures
 * against hand-counted data.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getIndicator } from '../../main/services/reports/indicators';
import { errorOf } from './households-fixture';
import { advanceDays, cache, counts, createFoodBank, ledger, type FoodBank } from './foodbank-fixture';
import { rows as dbRows } from '../helpers/db';

let fb: FoodBank;
beforeEach(async () => {
  fb = await createFoodBank();
});
afterEach(async () => {
  await fb.c.t.close();
});

const call = <N extends Parameters<FoodBank['c']['t']['call']>[0]>(m: N, input: Parameters<FoodBank['c']['t']['call']>[1] & object, token?: string) =>
  fb.c.t.call(m, input as never, token ?? fb.clerk);
const raw = (m: string, input: unknown, token?: string) => fb.c.t.raw(m, input, token ?? fb.clerk);

/** Today is 2026-03-05 (the test clock). */
async function stockRice() {
  // Lots: expired (03-01, 5), soon (04-01, 2), later (06-01, 3), none (10), all at the hub.
  const r1 = await call('foodbank.receive', { kind: 'purchase', supplier: '農會', locationId: fb.hub, receivedOn: '2026-02-20', lots: [{ itemId: fb.rice, quantity: 5, expiry: '2026-03-01' }] });
  const r2 = await call('foodbank.receive', {
    kind: 'donation', donorId: fb.donor, locationId: fb.hub, receivedOn: '2026-03-05',
    lots: [
      { itemId: fb.rice, quantity: 3, expiry: '2026-06-01' },
      { itemId: fb.rice, quantity: 2, expiry: '2026-04-01' },
      { itemId: fb.rice, quantity: 10 },
    ],
  });
  return { expired: r1.lines[0]!.lotId, later: r2.lines[0]!.lotId, soon: r2.lines[1]!.lotId, none: r2.lines[2]!.lotId };
}

describe('receiving', () => {
  it('numbers donation receipts per ROC year without gaps; refused receipts take no number; purchases have none', async () => {
    const d = (on: string, lots: { itemId: number; quantity: number; expiry?: string | null }[]) =>
      raw('foodbank.receive', { kind: 'donation', donorId: fb.donor, locationId: fb.hub, receivedOn: on, lots });
    const a = await d('2026-03-01', [{ itemId: fb.rice, quantity: 4 }]);
    const bad = errorOf(await d('2026-03-02', [{ itemId: fb.milk, quantity: 4 }])); // perishable without expiry
    expect(bad.message).toContain('「牛奶」是易腐品項，須輸入有效日期');
    const p = await call('foodbank.receive', { kind: 'purchase', supplier: '農會', locationId: fb.hub, receivedOn: '2026-03-02', lots: [{ itemId: fb.noodles, quantity: 10 }] });
    const b = await d('2026-03-03', [{ itemId: fb.milk, quantity: 4, expiry: '2026-03-20' }]);
    const next = await d('2027-01-02', [{ itemId: fb.rice, quantity: 1 }]);
    const c = await d('2026-12-31', [{ itemId: fb.rice, quantity: 1 }]);
    const nos = [a, b, next, c].map((e) => (e.ok ? (e.value as { receiptNo: string }).receiptNo : e.error.message));
    expect(nos).toEqual(['115-000001', '115-000002', '116-000001', '115-000003']);
    expect(p.receiptNo).toBeNull();
    const rocket = await call('foodbank.receipt', { id: (b.ok ? (b.value as { id: number }).id : 0) });
    expect(rocket.donor?.name).toBe('好鄰居超市');
    expect(rocket.lines).toMatchObject([{ itemName: '牛奶', quantity: 4, expiry: '2026-03-20', value: 240, kg: 4 }]);
    const st = await call('foodbank.donorStatement', { donorId: fb.donor, year: 2026 });
    expect(st.receipts.map((r) => r.receiptNo)).toEqual(['115-000001', '115-000002', '115-000003']);
    expect(st.totalValue).toBe(4 * 250 + 4 * 60 + 250);
  });

  it('fills a perishable expiry from the default shelf life; 盛食 is by weight; a donation needs a donor', async () => {
    const r = await call('foodbank.receive', { kind: 'rescue', locationId: fb.hub, receivedOn: '2026-03-05', lots: [{ itemId: fb.veg, quantity: 12.5 }] });
    expect(r.lines[0]).toMatchObject({ quantity: 12.5, expiry: '2026-03-10', kg: 12.5 });
    expect(errorOf(await raw('foodbank.receive', { kind: 'rescue', locationId: fb.hub, receivedOn: '2026-03-05', lots: [{ itemId: fb.rice, quantity: 2 }] })).message).toContain('盛食以重量（公斤）登錄');
    expect(errorOf(await raw('foodbank.receive', { kind: 'donation', locationId: fb.hub, receivedOn: '2026-03-05', lots: [{ itemId: fb.rice, quantity: 2 }] })).message).toContain('捐贈須選擇捐贈者');
  });
});

describe('hand-out', () => {
  it('picks first-expiry-first-out, skips expired lots, and refuses an expired lot chosen by hand', async () => {
    const lots = await stockRice();
    const p = await call('foodbank.previewHandout', { householdId: fb.family3, locationId: fb.hub, lines: [{ itemId: fb.rice, quantity: 4 }] });
    expect(p.picks.map((x) => [x.lotId, x.quantity])).toEqual([
      [lots.soon, 2],
      [lots.later, 2],
    ]);
    const h = await call('foodbank.handout', { householdId: fb.family3, locationId: fb.hub, lines: [{ itemId: fb.rice, quantity: 4 }] });
    expect(h.picks.map((x) => [x.lotId, x.quantity])).toEqual([[lots.soon, 2], [lots.later, 2]]);
    expect(h.totalValue).toBe(1000);
    const next = await call('foodbank.previewHandout', { householdId: fb.single, locationId: fb.hub, lines: [{ itemId: fb.rice, quantity: 2 }] });
    expect(next.picks.map((x) => [x.lotId, x.quantity])).toEqual([[lots.later, 1], [lots.none, 1]]);
    const e = errorOf(await raw('foodbank.handout', { householdId: fb.single, locationId: fb.hub, lines: [{ itemId: fb.rice, quantity: 1, lotId: lots.expired }] }));
    expect(e.code).toBe('RULE');
    expect(e.message).toContain('已於 115/03/01 過期，不能發放');
  });

  it('a hand-out appears in the household timeline, for staff who see the household', async () => {
    await stockRice();
    const h = await call('foodbank.handout', { householdId: fb.family3, locationId: fb.hub, lines: [{ itemId: fb.rice, quantity: 2 }] });
    const page = await call('households.timeline', { id: fb.family3, offset: 0, limit: 10 }, fb.c.admin);
    const entry = page.rows.find((r) => r.kind === 'handout');
    expect(entry).toMatchObject({ kind: 'handout', id: h.id, locationName: '總行', lines: 1 });
  });

  it("the month's hand-outs appear in the monthly report's food-bank section", async () => {
    await stockRice();
    await call('foodbank.handout', { householdId: fb.family3, locationId: fb.hub, lines: [{ itemId: fb.rice, quantity: 2 }] });
    const month = fb.c.t.clock.now.toISOString().slice(0, 7);
    const report = await call('reports.monthly', { month }, fb.c.admin);
    const section = report.tables.find((t) => t.id === 'foodbank');
    const value = (label: string) => section?.rows.find((r) => r.label.startsWith(label))?.values[0];
    expect(value('服務戶數')).toBe(1);
    expect(value('服務人次')).toBe(3);
    expect(value('發放件數')).toBe(2);
  });

  it('refuses more than on the shelf, saying what is available and what is expired; nothing is written', async () => {
    await stockRice();
    const before = await counts(fb);
    const e = errorOf(await raw('foodbank.handout', { householdId: fb.family3, locationId: fb.hub, lines: [{ itemId: fb.rice, quantity: 16 }] }));
    expect(e.message).toBe('「白米」在「總行」可發放的只有 15 包（另有 5 包已過期，不能發放），不足您要的 16 包。');
    const atPoint = errorOf(await raw('foodbank.handout', { householdId: fb.family3, locationId: fb.point, lines: [{ itemId: fb.rice, quantity: 1 }] }));
    expect(atPoint.message).toContain('在「中興發放站」可發放的只有 0 包');
    expect(await counts(fb)).toEqual(before);
  });

  it('applies the allowance by household size (the last size covers larger households) and refuses beyond it', async () => {
    await stockRice();
    await call('foodbank.receive', { kind: 'purchase', locationId: fb.hub, receivedOn: '2026-03-05', lots: [{ itemId: fb.noodles, quantity: 50 }] });
    expect(errorOf(await raw('foodbank.setAllowance', { mode: 'items', bySize: [2, 4, 6] })).code).toBe('FORBIDDEN');
    await call('foodbank.setAllowance', { mode: 'items', bySize: [2, 4, 6] }, fb.c.admin);
    const single = await call('foodbank.eligibility', { householdId: fb.single });
    expect(single).toMatchObject({ householdSize: 1, eligible: true, allowance: 2, used: 0, remaining: 2, reasons: ['中低收入戶'] });
    const fam = await call('foodbank.eligibility', { householdId: fb.family3 });
    expect(fam).toMatchObject({ householdSize: 3, allowance: 6, remaining: 6, reasons: ['低收入戶'] });
    await call('foodbank.handout', { householdId: fb.family3, locationId: fb.hub, lines: [{ itemId: fb.rice, quantity: 2 }, { itemId: fb.noodles, quantity: 2 }] });
    expect((await call('foodbank.eligibility', { householdId: fb.family3 })).remaining).toBe(2);
    const before = await counts(fb);
    const e = errorOf(await raw('foodbank.handout', { householdId: fb.family3, locationId: fb.hub, lines: [{ itemId: fb.noodles, quantity: 3 }] }));
    expect(e.message).toBe('超過本月額度：此戶 3 人，每月 6 件，本月已用 4 件，尚餘 2 件；這次選了 3 件。');
    expect(await counts(fb)).toEqual(before);
    // Points: rice 5 points, noodles 1.
    await call('foodbank.saveItem', { id: fb.rice, version: (await call('foodbank.items', {})).find((i) => i.id === fb.rice)?.version ?? 0, name: '白米', category: '食品', unit: '包', value: 250, kgPerUnit: 3, perishable: false, minLevel: 10, points: 5 });
    await call('foodbank.setAllowance', { mode: 'points', bySize: [10, 20, 30, 40, 50] }, fb.c.admin);
    const pts = await call('foodbank.previewHandout', { householdId: fb.single, locationId: fb.hub, lines: [{ itemId: fb.rice, quantity: 1 }, { itemId: fb.noodles, quantity: 5 }] });
    expect(pts.allowanceUsed).toBe(10);
    expect(pts.remainingAfter).toBe(0);
    // A new month starts afresh.
    await advanceDays(fb, 30);
    expect((await call('foodbank.eligibility', { householdId: fb.family3 })).used).toBe(0);
  });

  it('refuses an ineligible household, negative and fractional counts of unit items; 8 lines are all or none', async () => {
    await stockRice();
    await call('foodbank.receive', { kind: 'purchase', locationId: fb.hub, receivedOn: '2026-03-05', lots: [{ itemId: fb.noodles, quantity: 50 }, { itemId: fb.milk, quantity: 5, expiry: '2026-03-09' }] });
    await call('foodbank.receive', { kind: 'rescue', locationId: fb.hub, receivedOn: '2026-03-05', lots: [{ itemId: fb.veg, quantity: 3 }] });
    await call('foodbank.setAllowance', { mode: 'items', bySize: [30] }, fb.c.admin);
    const before = await counts(fb);
    const inel = errorOf(await raw('foodbank.handout', { householdId: fb.plain, locationId: fb.hub, lines: [{ itemId: fb.rice, quantity: 1 }] }));
    expect(inel.message).toContain('此戶目前不符發放資格');
    expect(errorOf(await raw('foodbank.handout', { householdId: fb.family3, locationId: fb.hub, lines: [{ itemId: fb.rice, quantity: -1 }] })).code).toBe('VALIDATION');
    const frac = errorOf(await raw('foodbank.handout', { householdId: fb.family3, locationId: fb.hub, lines: [{ itemId: fb.rice, quantity: 1.5 }] }));
    expect(frac.message).toBe('「白米」以「包」計，數量須為整數（您輸入 1.5）。');
    const eight = [
      { itemId: fb.rice, quantity: 1 }, { itemId: fb.noodles, quantity: 2 }, { itemId: fb.milk, quantity: 1 }, { itemId: fb.veg, quantity: 1.5 },
      { itemId: fb.rice, quantity: 1 }, { itemId: fb.noodles, quantity: 1 }, { itemId: fb.milk, quantity: 1 }, { itemId: fb.milk, quantity: 4 },
    ];
    const e8 = errorOf(await raw('foodbank.handout', { householdId: fb.family3, locationId: fb.hub, lines: eight }));
    expect(e8.message).toContain('「牛奶」在「總行」可發放的只有 3 瓶');
    expect(await counts(fb)).toEqual(before);
    eight[7] = { itemId: fb.milk, quantity: 3 };
    const ok = await call('foodbank.handout', { householdId: fb.family3, locationId: fb.hub, lines: eight });
    expect(ok.picks.reduce((s, p) => s + p.quantity, 0)).toBe(1 + 2 + 1 + 1.5 + 1 + 1 + 1 + 3);
    const after = await counts(fb);
    expect(after.fb_handouts).toBe((before.fb_handouts ?? 0) + 1);
    expect(after.fb_movements).toBe((before.fb_movements ?? 0) + ok.picks.length);
    const hist = await call('foodbank.householdHistory', { householdId: fb.family3 });
    expect(hist).toHaveLength(1);
    expect(hist[0]!.items).toContain('牛奶 5 瓶');
    expect(await cache(fb)).toEqual(await ledger(fb));
  });
});

describe('moving and counting', () => {
  it('keeps a transfer in transit off both shelves until received', async () => {
    const lots = await stockRice();
    const t = await call('foodbank.sendTransfer', { fromLocationId: fb.hub, toLocationId: fb.point, sentOn: '2026-03-05', lines: [{ lotId: lots.none, quantity: 4 }] });
    let s = await call('foodbank.stock', { itemId: fb.rice });
    expect(s.totals.find((x) => x.locationId === fb.hub)?.quantity).toBe(16);
    expect(s.totals.find((x) => x.locationId === fb.point)).toBeUndefined();
    expect(s.inTransit).toMatchObject([{ transferId: t.id, quantity: 4, fromName: '總行', toName: '中興發放站' }]);
    expect(errorOf(await raw('foodbank.sendTransfer', { fromLocationId: fb.hub, toLocationId: fb.point, sentOn: '2026-03-05', lines: [{ lotId: lots.none, quantity: 7 }] })).message).toContain('只有 6 包');
    await call('foodbank.receiveTransfer', { transferId: t.id, receivedOn: '2026-03-06' });
    s = await call('foodbank.stock', { itemId: fb.rice });
    expect(s.totals.find((x) => x.locationId === fb.point)?.quantity).toBe(4);
    expect(s.inTransit).toEqual([]);
    expect(errorOf(await raw('foodbank.receiveTransfer', { transferId: t.id, receivedOn: '2026-03-06' })).message).toContain('不能重複點收');
    expect(await cache(fb)).toEqual(await ledger(fb));
  });

  it('posts stocktake differences only after a second person confirms', async () => {
    const lots = await stockRice();
    await call('foodbank.spoil', { lotId: lots.expired, locationId: fb.hub, quantity: 5, on: '2026-03-05', reason: '過期' });
    const st = await call('foodbank.startStocktake', { locationId: fb.hub, on: '2026-03-05' });
    expect(st.lines.map((l) => [l.lotId, l.expected])).toEqual(expect.arrayContaining([[lots.soon, 2], [lots.later, 3], [lots.none, 10]]));
    expect(st.lines).toHaveLength(3);
    const lineOf = (lot: number) => st.lines.find((l) => l.lotId === lot)!.lineId;
    expect(errorOf(await raw('foodbank.confirmStocktake', { id: st.id })).message).toContain('還有 3 批尚未輸入');
    await call('foodbank.enterCounts', { id: st.id, counts: [{ lineId: lineOf(lots.soon), counted: 2 }, { lineId: lineOf(lots.later), counted: 3 }, { lineId: lineOf(lots.none), counted: 8 }] });
    expect(errorOf(await raw('foodbank.confirmStocktake', { id: st.id })).message).toContain('盤點須由另一位同仁確認');
    // Each line with a difference needs its 盤差 reason (issue 11 §7); the refusal names the line by its id in fields.
    const noReason = await raw('foodbank.confirmStocktake', { id: st.id }, fb.clerk2.token);
    expect(errorOf(noReason).message).toContain('1 筆盤差未填寫原因');
    expect(errorOf(noReason).fields).toEqual({ [`reasons.${lineOf(lots.none)}`]: '請填寫盤差原因' });
    const done = await call('foodbank.confirmStocktake', { id: st.id, reasons: [{ lineId: lineOf(lots.none), reason: '受潮報廢未登記' }] }, fb.clerk2.token);
    expect(done).toMatchObject({ status: 'posted', confirmedByName: '第二位倉管' });
    expect(done.lines.find((l) => l.lotId === lots.none)?.difference).toBe(-2);
    const s = await call('foodbank.stock', { locationId: fb.hub });
    expect(s.totals.find((x) => x.itemId === fb.rice)?.quantity).toBe(13);
    const diffs = (await dbRows(fb.c.t.app, "select lot_id, quantity from fb_movements where kind = 'count_diff'"));
    expect(diffs).toEqual([{ lot_id: lots.none, quantity: -2 }]);
    expect(await dbRows(fb.c.t.app, "select reason from fb_movements where kind = 'count_diff'")).toEqual([{ reason: `盤點單 #${st.id}：受潮報廢未登記` }]);
    expect(await cache(fb)).toEqual(await ledger(fb));
  });
});

describe('alerts and figures', () => {
  it('lists expiring lots, items below minimum, households not served, today by point', async () => {
    const lots = await stockRice();
    await call('foodbank.handout', { householdId: fb.single, locationId: fb.hub, lines: [{ itemId: fb.rice, quantity: 1 }] });
    const a = await call('foodbank.alerts', { days: 30 });
    expect(a.expiring.map((x) => [x.lotId, x.expired])).toEqual([[lots.expired, true], [lots.soon, false]]);
    expect(a.belowMinimum).toEqual([{ itemId: fb.rice, itemName: '白米', unit: '包', onHand: 19, minLevel: 10 }].filter((x) => x.onHand < x.minLevel));
    expect(a.todayByLocation).toEqual([{ locationId: fb.hub, locationName: '總行', handouts: 1, households: 1 }, { locationId: fb.point, locationName: '中興發放站', handouts: 0, households: 0 }]);
    await advanceDays(fb, 70);
    const later = await call('foodbank.alerts', { months: 2 });
    expect(later.notServed).toEqual([{ householdId: fb.single, headName: '李阿嬤', lastHandedOn: '2026-03-05' }]);
  });

  it('figures match hand-counted data: households, person-visits, parcels, items, kg, value, donations, spoilage', async () => {
    const lots = await stockRice(); // donation 115-000001: 15 包 = 3750 元, 45 kg
    await call('foodbank.receive', { kind: 'rescue', locationId: fb.hub, receivedOn: '2026-03-05', lots: [{ itemId: fb.veg, quantity: 4 }] });
    await call('foodbank.setAllowance', { mode: 'items', bySize: [20] }, fb.c.admin);
    await call('foodbank.handout', { householdId: fb.family3, locationId: fb.hub, lines: [{ itemId: fb.rice, quantity: 2 }, { itemId: fb.veg, quantity: 1.5 }] });
    await call('foodbank.handout', { householdId: fb.family3, locationId: fb.hub, lines: [{ itemId: fb.rice, quantity: 1 }] });
    await call('foodbank.handout', { householdId: fb.single, locationId: fb.hub, lines: [{ itemId: fb.rice, quantity: 3 }] });
    await call('foodbank.spoil', { lotId: lots.expired, locationId: fb.hub, quantity: 5, on: '2026-03-05', reason: '過期' });
    const f = await call('foodbank.figures', { from: '2026-03-01', to: '2026-03-31' });
    // Hand count: households 2; person-visits 3 + 3 + 1 = 7; parcels 3; items (unit) 2 + 1 + 3 = 6;
    // kg 6×3 + 1.5 = 19.5; value 6×250 + 1.5×40 = 1560; donations 1 receipt, 3750 元, 45 kg; spoilage 5 包, 15 kg, 1250 元.
    expect(f.total).toMatchObject({ households: 2, personVisits: 7, parcels: 3, items: 6, kg: 19.5, value: 1560, donations: 1, donationValue: 3750, donationKg: 45, spoilageItems: 5, spoilageKg: 15, spoilageValue: 1250 });
    expect(f.rows).toHaveLength(1);
    expect(f.rows[0]).toMatchObject({ month: '2026-03', locationName: '總行', households: 2, parcels: 3 });
    const empty = await call('foodbank.figures', { from: '2026-04-01', to: '2026-04-30' });
    expect(empty.total).toMatchObject({ households: 0, parcels: 0, kg: 0 });
    // The same figures through the report library's registry, by month.
    const db = fb.c.t.app.ctx.db;
    const period = { from: '2026-02-01', to: '2026-03-31' };
    const ind = async (id: string) => {
      const r = await getIndicator(id)!.compute(db, { period, breakdown: ['month'] });
      return [r.total.value, Object.fromEntries(r.rows.map((x) => [x.keys.month, x.value]))];
    };
    expect(await ind('foodbank.households')).toEqual([2, { '2026-02': 0, '2026-03': 2 }]);
    expect(await ind('foodbank.personVisits')).toEqual([7, { '2026-02': 0, '2026-03': 7 }]);
    expect(await ind('foodbank.parcels')).toEqual([3, { '2026-02': 0, '2026-03': 3 }]);
    expect(await ind('foodbank.items')).toEqual([6, { '2026-02': 0, '2026-03': 6 }]);
    expect(await ind('foodbank.kg')).toEqual([19.5, { '2026-02': 0, '2026-03': 19.5 }]);
    expect(await ind('foodbank.value')).toEqual([1560, { '2026-02': 0, '2026-03': 1560 }]);
    expect(await ind('foodbank.donations')).toEqual([1, { '2026-02': 0, '2026-03': 1 }]);
    expect(await ind('foodbank.donationValue')).toEqual([3750, { '2026-02': 0, '2026-03': 3750 }]);
    expect(await ind('foodbank.donationKg')).toEqual([45, { '2026-02': 0, '2026-03': 45 }]);
    expect(await ind('foodbank.spoilageKg')).toEqual([15, { '2026-02': 0, '2026-03': 15 }]);
    await expect(getIndicator('foodbank.kg')!.compute(db, { period, breakdown: ['district'] })).rejects.toThrow(/只能依「月份」分類/);
  });
});
