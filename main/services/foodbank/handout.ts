/**
 * Hand-outs (發放): eligibility, the monthly allowance by household size, first-expiry-first-out picking
 * (expired lots blocked), all lines in one write transaction; the household's history; alerts; figures.
 * The clerk sees a household's name, size and eligibility, never case content.
 */
import type { ApiParsed } from '../../contract/api';
import { ApiError } from '../../contract/envelope';
import { addMonths, formatRocDate } from '../../contract/roc-date';
import type { FbAlerts, FbEligibilityView, FbFigureRow, FbFigures, FbHandoutPreview, FbHandoutView, FbHistoryRow, FbPick } from '../../contract/types-foodbank';
import { assertHouseholdVisible, type Scope } from '../access/scope';
import { appendAudit } from '../audit/log';
import { eligibilityOf } from '../households/service';
import type { Actor } from '../context';
import {
  addDays,
  allowanceFor,
  allowanceUse,
  centerName,
  checkQuantity,
  fmtQty,
  insertMovement,
  itemsById,
  r3,
  readAllowance,
  requireItem,
  requireLocation,
  rule,
  today,
  type Db,
} from './common';

const INCOME_LABEL: Record<string, string> = { low: '低收入戶', 'mid-low': '中低收入戶' };

async function headOf(db: Db, householdIds: number[]): Promise<Map<number, string>> {
  if (householdIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('household_members as hm')
    .innerJoin('persons as p', 'p.id', 'hm.person_id')
    .select(['hm.household_id', 'p.name'])
    .where('hm.household_id', 'in', householdIds)
    .where('hm.relation', '=', '戶長')
    .where('hm.left_on', 'is', null)
    .execute();
  return new Map(rows.map((r) => [r.household_id, r.name]));
}

export async function eligibilityView(db: Db, scope: Scope, householdId: number, now: Date): Promise<FbEligibilityView> {
  await assertHouseholdVisible(db, scope, householdId);
  // The income status held on the hand-out date (today), from the status history.
  const flags = (await eligibilityOf(db, [householdId], today(now))).get(householdId);
  const size = await db
    .selectFrom('household_members')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('household_id', '=', householdId)
    .where('left_on', 'is', null)
    .executeTakeFirstOrThrow();
  const householdSize = Math.max(1, Number(size.n));
  const reasons: string[] = [];
  if (flags?.activeCase) reasons.push('開案中');
  if (flags?.activeConcern) reasons.push('長期關懷戶');
  if (flags?.incomeStatus) reasons.push(INCOME_LABEL[flags.incomeStatus] ?? flags.incomeStatus);
  const eligible = reasons.length > 0;
  if (!eligible) reasons.push('沒有開案中的個案、不是長期關懷戶，也沒有低收或中低收入戶身分');
  const t = today(now);
  const month = t.slice(0, 7);
  const a = await readAllowance(db);
  const allowance = allowanceFor(a, householdSize);
  const used = await db
    .selectFrom('fb_handouts')
    .select((eb) => eb.fn.sum<number>('allowance_used').as('u'))
    .where('household_id', '=', householdId)
    .where('handed_on', '>=', `${month}-01`)
    .where('handed_on', '<=', `${month}-31`)
    .executeTakeFirst();
  const last = await db.selectFrom('fb_handouts').select((eb) => eb.fn.max<string>('handed_on').as('d')).where('household_id', '=', householdId).executeTakeFirst();
  const u = r3(Number(used?.u ?? 0));
  return {
    householdId, headName: (await headOf(db, [householdId])).get(householdId) ?? null, householdSize, eligible, reasons, month, mode: a.mode,
    allowance, used: u, remaining: r3(Math.max(0, allowance - u)), lastHandedOn: last?.d ?? null,
  };
}

const unitWord = (mode: string) => (mode === 'points' ? '點' : '件');

/** Works out the FEFO picks and checks every rule; throws the refusal. Used by preview and (inside the transaction) hand-out. */
export async function planHandout(db: Db, scope: Scope, input: { householdId: number; locationId: number; lines: { itemId: number; quantity: number; lotId?: number | undefined }[] }, now: Date): Promise<FbHandoutPreview> {
  const elig = await eligibilityView(db, scope, input.householdId, now);
  if (!elig.eligible) throw rule(`此戶目前不符發放資格：${elig.reasons.join('；')}。符合資格的是開案中、長期關懷戶或登記低收／中低收入戶的家戶。`, { reasons: elig.reasons });
  const loc = await requireLocation(db, input.locationId);
  const items = await itemsById(db, input.lines.map((l) => l.itemId));
  const t = today(now);
  const taken = new Map<number, number>(); // lot id -> already picked in this hand-out
  const picks: FbPick[] = [];
  const a = await readAllowance(db);
  for (const line of input.lines) {
    const item = await requireItem(db, items, line.itemId);
    checkQuantity(item, line.quantity);
    const bal = await db
      .selectFrom('fb_balances as b')
      .innerJoin('fb_lots as l', 'l.id', 'b.lot_id')
      .select(['b.lot_id', 'b.quantity', 'l.expiry'])
      .where('b.location_id', '=', loc.id)
      .where('b.item_id', '=', item.id)
      .where('b.quantity', '>', 0)
      .orderBy((eb) => eb.case().when('l.expiry', 'is', null).then(1).else(0).end())
      .orderBy('l.expiry')
      .orderBy('b.lot_id')
      .execute();
    const avail = (b: { lot_id: number; quantity: number }) => r3(b.quantity - (taken.get(b.lot_id) ?? 0));
    let candidates = bal;
    if (line.lotId !== undefined) {
      const chosen = bal.find((b) => b.lot_id === line.lotId);
      if (!chosen) throw rule(`「${loc.name}」沒有「${item.name}」批號 #${line.lotId} 的庫存。`);
      if (chosen.expiry && chosen.expiry < t) throw rule(`「${item.name}」批號 #${line.lotId} 已於 ${formatRocDate(chosen.expiry)} 過期，不能發放；請改選其他批或報廢。`, { lotId: line.lotId });
      candidates = [chosen];
    }
    const usable = candidates.filter((b) => !(b.expiry && b.expiry < t));
    const expiredQty = r3(candidates.filter((b) => b.expiry && b.expiry < t).reduce((s, b) => s + avail(b), 0));
    const total = r3(usable.reduce((s, b) => s + avail(b), 0));
    if (line.quantity > total) {
      throw rule(
        `「${item.name}」在「${loc.name}」可發放的只有 ${fmtQty(total)} ${item.unit}${expiredQty > 0 ? `（另有 ${fmtQty(expiredQty)} ${item.unit}已過期，不能發放）` : ''}，不足您要的 ${fmtQty(line.quantity)} ${item.unit}。`,
        { itemId: item.id, available: total, expired: expiredQty },
      );
    }
    let need = line.quantity;
    for (const b of usable) {
      if (need <= 0) break;
      const q = r3(Math.min(need, avail(b)));
      if (q <= 0) continue;
      taken.set(b.lot_id, r3((taken.get(b.lot_id) ?? 0) + q));
      need = r3(need - q);
      picks.push({
        itemId: item.id, itemName: item.name, unit: item.unit, lotId: b.lot_id, expiry: b.expiry, quantity: q, allowance: 0,
        value: r3(q * item.value), kg: r3(item.by_weight ? q : q * item.kg_per_unit),
      });
    }
  }
  // Allowance per requested line (a by-weight line counts once however it is split across lots).
  let used = 0;
  for (const line of input.lines) {
    const item = items.get(line.itemId);
    if (item) used = r3(used + allowanceUse(a, item, line.quantity));
  }
  for (const p of picks) {
    const item = items.get(p.itemId);
    if (item) p.allowance = item.by_weight ? 0 : allowanceUse(a, item, p.quantity);
  }
  if (used > elig.remaining) {
    const w = unitWord(elig.mode);
    throw rule(
      `超過本月額度：此戶 ${elig.householdSize} 人，每月 ${fmtQty(elig.allowance)} ${w}，本月已用 ${fmtQty(elig.used)} ${w}，尚餘 ${fmtQty(elig.remaining)} ${w}；這次選了 ${fmtQty(used)} ${w}。`,
      { allowance: elig.allowance, used: elig.used, remaining: elig.remaining, requested: used },
    );
  }
  return { eligibility: elig, picks, allowanceUsed: used, remainingAfter: r3(elig.remaining - used) };
}

export async function handout(trx: Db, scope: Scope, actor: Actor, input: ApiParsed<'foodbank.handout'>, now: Date): Promise<number> {
  const plan = await planHandout(trx, scope, input, now);
  const on = today(now);
  const h = await trx
    .insertInto('fb_handouts')
    .values({
      household_id: input.householdId, location_id: input.locationId, handed_on: on, household_size: plan.eligibility.householdSize, allowance_used: plan.allowanceUsed,
      note: input.note ?? null, created_at: now.toISOString(), created_by: actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const p of plan.picks) {
    await trx.insertInto('fb_handout_lines').values({ handout_id: h.id, item_id: p.itemId, lot_id: p.lotId, quantity: p.quantity }).execute();
    await insertMovement(trx, { lotId: p.lotId, locationId: input.locationId, kind: 'distribution', quantity: -p.quantity, on, refId: h.id, by: actor.userId }, now);
  }
  await appendAudit(trx, { actor, action: 'create', entity: 'fb_handout', entityId: h.id, detail: { householdId: input.householdId, locationId: input.locationId, lines: plan.picks.length, allowanceUsed: plan.allowanceUsed } }, now);
  return h.id;
}

export async function handoutView(db: Db, scope: Scope, id: number): Promise<FbHandoutView> {
  const h = await db
    .selectFrom('fb_handouts as h')
    .innerJoin('fb_locations as loc', 'loc.id', 'h.location_id')
    .innerJoin('households as hh', 'hh.id', 'h.household_id')
    .leftJoin('users as u', 'u.id', 'h.created_by')
    .select(['h.id', 'h.household_id', 'h.location_id', 'loc.name as loc_name', 'h.handed_on', 'h.household_size', 'h.allowance_used', 'u.display_name', 'hh.street'])
    .where('h.id', '=', id)
    .executeTakeFirst();
  if (!h) throw new ApiError('NOT_FOUND', '找不到這筆發放。');
  await assertHouseholdVisible(db, scope, h.household_id);
  const lines = await db
    .selectFrom('fb_handout_lines as hl')
    .innerJoin('fb_lots as l', 'l.id', 'hl.lot_id')
    .innerJoin('fb_items as i', 'i.id', 'hl.item_id')
    .select(['hl.item_id', 'i.name', 'i.unit', 'hl.lot_id', 'l.expiry', 'hl.quantity', 'i.value', 'i.kg_per_unit', 'i.by_weight', 'i.points'])
    .where('hl.handout_id', '=', id)
    .orderBy('hl.id')
    .execute();
  const a = await readAllowance(db);
  const picks: FbPick[] = lines.map((l) => ({
    itemId: l.item_id, itemName: l.name, unit: l.unit, lotId: l.lot_id, expiry: l.expiry, quantity: l.quantity,
    allowance: l.by_weight ? 0 : a.mode === 'points' ? l.points * l.quantity : l.quantity,
    value: r3(l.quantity * l.value), kg: r3(l.by_weight ? l.quantity : l.quantity * l.kg_per_unit),
  }));
  return {
    id: h.id, householdId: h.household_id, headName: (await headOf(db, [h.household_id])).get(h.household_id) ?? null, address: h.street,
    householdSize: h.household_size, locationId: h.location_id, locationName: h.loc_name, handedOn: h.handed_on, allowanceUsed: h.allowance_used, mode: a.mode,
    picks, totalValue: r3(picks.reduce((s, p) => s + p.value, 0)), totalKg: r3(picks.reduce((s, p) => s + p.kg, 0)),
    createdByName: h.display_name, centerName: await centerName(db),
  };
}

export async function householdHistory(db: Db, scope: Scope, householdId: number): Promise<FbHistoryRow[]> {
  await assertHouseholdVisible(db, scope, householdId);
  const rows = await db
    .selectFrom('fb_handouts as h')
    .innerJoin('fb_locations as loc', 'loc.id', 'h.location_id')
    .leftJoin('users as u', 'u.id', 'h.created_by')
    .select(['h.id', 'h.handed_on', 'loc.name', 'u.display_name'])
    .where('h.household_id', '=', householdId)
    .orderBy('h.handed_on', 'desc')
    .orderBy('h.id', 'desc')
    .limit(200)
    .execute();
  if (rows.length === 0) return [];
  const lines = await db
    .selectFrom('fb_handout_lines as hl')
    .innerJoin('fb_items as i', 'i.id', 'hl.item_id')
    .select(['hl.handout_id', 'i.name', 'i.unit', 'hl.quantity', 'i.value', 'i.kg_per_unit', 'i.by_weight'])
    .where('hl.handout_id', 'in', rows.map((r) => r.id))
    .orderBy('hl.id')
    .execute();
  return rows.map((r) => {
    const mine = lines.filter((l) => l.handout_id === r.id);
    const byItem = new Map<string, { unit: string; q: number }>();
    for (const l of mine) byItem.set(l.name, { unit: l.unit, q: r3((byItem.get(l.name)?.q ?? 0) + l.quantity) });
    return {
      handoutId: r.id, handedOn: r.handed_on, locationName: r.name, byName: r.display_name,
      items: [...byItem].map(([n, v]) => `${n} ${fmtQty(v.q)} ${v.unit}`).join('、'),
      quantity: r3(mine.reduce((s, l) => s + l.quantity, 0)),
      value: r3(mine.reduce((s, l) => s + l.quantity * l.value, 0)),
      kg: r3(mine.reduce((s, l) => s + (l.by_weight ? l.quantity : l.quantity * l.kg_per_unit), 0)),
    };
  });
}

// --- 提醒 ---------------------------------------------------------------------------------

export async function alerts(db: Db, input: { days: number; months: number }, now: Date): Promise<FbAlerts> {
  const t = today(now);
  const until = addDays(t, input.days);
  const exp = await db
    .selectFrom('fb_balances as b')
    .innerJoin('fb_lots as l', 'l.id', 'b.lot_id')
    .innerJoin('fb_items as i', 'i.id', 'b.item_id')
    .innerJoin('fb_locations as loc', 'loc.id', 'b.location_id')
    .select(['b.location_id', 'loc.name as loc_name', 'b.lot_id', 'i.name', 'i.unit', 'b.quantity', 'l.expiry'])
    .where('b.quantity', '>', 0)
    .where('l.expiry', 'is not', null)
    .where('l.expiry', '<=', until)
    .orderBy('loc.kind')
    .orderBy('b.location_id')
    .orderBy('l.expiry')
    .execute();
  const onHand = await db
    .selectFrom('fb_items as i')
    .leftJoin('fb_balances as b', (j) => j.onRef('b.item_id', '=', 'i.id').on('b.quantity', '>', 0))
    .select((eb) => ['i.id', 'i.name', 'i.unit', 'i.min_level', eb.fn.coalesce(eb.fn.sum<number>('b.quantity'), eb.lit(0)).as('q')])
    .where('i.active', '=', 1)
    .where('i.min_level', '>', 0)
    .groupBy(['i.id', 'i.name', 'i.unit', 'i.min_level'])
    .execute();
  const cutoff = addMonths(t, -input.months);
  const last = await db
    .selectFrom('fb_handouts')
    .select((eb) => ['household_id', eb.fn.max<string>('handed_on').as('last')])
    .groupBy('household_id')
    .having((eb) => eb.fn.max('handed_on'), '<', cutoff)
    .orderBy('last')
    .limit(500)
    .execute();
  const heads = await headOf(db, last.map((r) => r.household_id));
  const todays = await db
    .selectFrom('fb_locations as loc')
    .leftJoin('fb_handouts as h', (j) => j.onRef('h.location_id', '=', 'loc.id').on('h.handed_on', '=', t))
    .select((eb) => ['loc.id', 'loc.name', eb.fn.count<number>('h.id').as('n'), eb.fn.count<number>('h.household_id').distinct().as('hh')])
    .where('loc.active', '=', 1)
    .groupBy(['loc.id', 'loc.name'])
    .orderBy('loc.id')
    .execute();
  return {
    today: t, days: input.days, months: input.months,
    expiring: exp.map((r) => ({ locationId: r.location_id, locationName: r.loc_name, lotId: r.lot_id, itemName: r.name, unit: r.unit, quantity: r3(r.quantity), expiry: r.expiry as string, expired: (r.expiry as string) < t })),
    belowMinimum: onHand.filter((r) => Number(r.q) < r.min_level).map((r) => ({ itemId: r.id, itemName: r.name, unit: r.unit, onHand: r3(Number(r.q)), minLevel: r.min_level })),
    notServed: last.map((r) => ({ householdId: r.household_id, headName: heads.get(r.household_id) ?? null, lastHandedOn: r.last })),
    todayByLocation: todays.map((r) => ({ locationId: r.id, locationName: r.name, handouts: Number(r.n), households: Number(r.hh) })),
  };
}

// --- 統計 ---------------------------------------------------------------------------------

function emptyRow(month: string, locationId: number | null, locationName: string): FbFigureRow {
  return { month, locationId, locationName, households: 0, personVisits: 0, parcels: 0, items: 0, kg: 0, value: 0, donations: 0, donationValue: 0, donationKg: 0, spoilageItems: 0, spoilageKg: 0, spoilageValue: 0 };
}

/**
 * Figures by month and location. 戶數 = distinct households served; 人次 = Σ household size of each hand-out
 * (every member reached each time); 份數 = hand-outs (parcels); items = units of unit items handed out;
 * kg and value of everything handed out. Donations count receipts (by the receiving location); spoilage
 * counts 報廢 movements. The total row counts households once over the whole period.
 */
export async function figures(db: Db, from: string, to: string): Promise<FbFigures> {
  const locs = new Map((await db.selectFrom('fb_locations').select(['id', 'name']).execute()).map((l) => [l.id, l.name]));
  const rows = new Map<string, FbFigureRow & { hh: Set<number> }>();
  const total = { ...emptyRow('', null, '合計'), hh: new Set<number>() };
  const rowOf = (month: string, loc: number) => {
    const k = `${month}|${loc}`;
    let r = rows.get(k);
    if (!r) {
      r = { ...emptyRow(month, loc, locs.get(loc) ?? ''), hh: new Set<number>() };
      rows.set(k, r);
    }
    return r;
  };
  const hs = await db
    .selectFrom('fb_handouts')
    .select(['id', 'household_id', 'location_id', 'handed_on', 'household_size'])
    .where('handed_on', '>=', from)
    .where('handed_on', '<=', to)
    .execute();
  for (const h of hs) {
    for (const r of [rowOf(h.handed_on.slice(0, 7), h.location_id), total]) {
      r.hh.add(h.household_id);
      r.personVisits += h.household_size;
      r.parcels += 1;
    }
  }
  const lines = await db
    .selectFrom('fb_handout_lines as hl')
    .innerJoin('fb_handouts as h', 'h.id', 'hl.handout_id')
    .innerJoin('fb_items as i', 'i.id', 'hl.item_id')
    .select((eb) => [
      eb.fn<string>('substr', ['h.handed_on', eb.val(1), eb.val(7)]).as('month'),
      'h.location_id',
      eb.fn.sum<number>(eb.case().when('i.by_weight', '=', 0).then(eb.ref('hl.quantity')).else(0).end()).as('items'),
      eb.fn.sum<number>(eb.case().when('i.by_weight', '=', 1).then(eb.ref('hl.quantity')).else(eb('hl.quantity', '*', eb.ref('i.kg_per_unit'))).end()).as('kg'),
      eb.fn.sum<number>(eb('hl.quantity', '*', eb.ref('i.value'))).as('value'),
    ])
    .where('h.handed_on', '>=', from)
    .where('h.handed_on', '<=', to)
    .groupBy(['month', 'h.location_id'])
    .execute();
  for (const l of lines) {
    for (const r of [rowOf(l.month, l.location_id), total]) {
      r.items += Number(l.items);
      r.kg += Number(l.kg);
      r.value += Number(l.value);
    }
  }
  const dons = await db
    .selectFrom('fb_receipts as rc')
    .leftJoin('fb_lots as l', 'l.receipt_id', 'rc.id')
    .leftJoin('fb_items as i', 'i.id', 'l.item_id')
    .select((eb) => [
      'rc.id', 'rc.received_on', 'rc.location_id',
      eb.fn.sum<number>(eb('l.quantity', '*', eb.ref('i.value'))).as('value'),
      eb.fn.sum<number>(eb.case().when('i.by_weight', '=', 1).then(eb.ref('l.quantity')).else(eb('l.quantity', '*', eb.ref('i.kg_per_unit'))).end()).as('kg'),
    ])
    .where('rc.kind', '=', 'donation')
    .where('rc.received_on', '>=', from)
    .where('rc.received_on', '<=', to)
    .groupBy(['rc.id', 'rc.received_on', 'rc.location_id'])
    .execute();
  for (const d of dons) {
    for (const r of [rowOf(d.received_on.slice(0, 7), d.location_id), total]) {
      r.donations += 1;
      r.donationValue += Number(d.value ?? 0);
      r.donationKg += Number(d.kg ?? 0);
    }
  }
  const sp = await db
    .selectFrom('fb_movements as m')
    .innerJoin('fb_lots as l', 'l.id', 'm.lot_id')
    .innerJoin('fb_items as i', 'i.id', 'l.item_id')
    .select(['m.on_date', 'm.location_id', 'm.quantity', 'i.by_weight', 'i.kg_per_unit', 'i.value'])
    .where('m.kind', '=', 'spoilage')
    .where('m.on_date', '>=', from)
    .where('m.on_date', '<=', to)
    .execute();
  for (const s of sp) {
    const q = -s.quantity;
    for (const r of [rowOf(s.on_date.slice(0, 7), s.location_id), total]) {
      if (!s.by_weight) r.spoilageItems += q;
      r.spoilageKg += s.by_weight ? q : q * s.kg_per_unit;
      r.spoilageValue += q * s.value;
    }
  }
  const finish = ({ hh, ...r }: FbFigureRow & { hh: Set<number> }): FbFigureRow => ({
    ...r, households: hh.size, items: r3(r.items), kg: r3(r.kg), value: r3(r.value), donationValue: r3(r.donationValue), donationKg: r3(r.donationKg),
    spoilageItems: r3(r.spoilageItems), spoilageKg: r3(r.spoilageKg), spoilageValue: r3(r.spoilageValue),
  });
  const list = [...rows.values()].map(finish).sort((a, b) => a.month.localeCompare(b.month) || (a.locationId ?? 0) - (b.locationId ?? 0));
  return { from, to, rows: list, total: finish(total) };
}
