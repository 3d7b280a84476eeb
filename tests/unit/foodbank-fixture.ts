/**
 * A small food bank on top of the households fixture: items, a hub and a distribution point, a donor,
 * eligible and ineligible households, and helpers that read the ledger directly.
 */
import { rows as dbRows } from '../helpers/db';
import type { ApiInput } from '../../main/contract/api';
import { openSession } from '../helpers/app';
import { createCenter, household, type Center } from './households-fixture';

export interface FoodBank {
  c: Center;
  clerk: string;
  clerk2: { id: number; token: string };
  rice: number; // 白米, 包, unit item
  milk: number; // 牛奶, 瓶, perishable
  veg: number; // 蔬菜, 公斤, by weight, perishable (5 days)
  noodles: number;
  hub: number;
  point: number;
  donor: number;
  /** Eligible (低收), 3 persons, created by the admin. */
  family3: number;
  /** Eligible (中低收), 1 person. */
  single: number;
  /** Not eligible: no case, no concern, no income status. */
  plain: number;
}

export async function createFoodBank(): Promise<FoodBank> {
  const c = await createCenter();
  const clerk = c.clerk.token;
  const ts = c.t.clock.now.toISOString();
  const row = await c.t.app.ctx.db
    .insertInto('users')
    .values({ username: 'clerk2', display_name: '第二位倉管', role: 'foodbank', team_id: null, password_hash: 'unused', must_change_password: 0, failed_logins: 0, locked_until: null, disabled_at: null, created_at: ts, updated_at: ts, version: 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
  const s2 = { token: await openSession(c.t.app, row.id, c.t.clock.now) };
  const item = (i: Omit<ApiInput<'foodbank.saveItem'>, 'category'> & { category?: string }) => c.t.call('foodbank.saveItem', { category: '食品', ...i }, clerk);
  const rice = (await item({ name: '白米', unit: '包', value: 250, kgPerUnit: 3, perishable: false, minLevel: 10 })).id;
  const milk = (await item({ name: '牛奶', unit: '瓶', value: 60, kgPerUnit: 1, perishable: true })).id;
  const veg = (await item({ name: '蔬菜', unit: '公斤', byWeight: true, value: 40, kgPerUnit: 1, perishable: true, shelfLifeDays: 5 })).id;
  const noodles = (await item({ name: '麵條', unit: '包', value: 30, kgPerUnit: 0.5, perishable: false })).id;
  const hub = (await c.t.call('foodbank.saveLocation', { name: '總行', kind: 'hub', address: '南投市中山路1號', staff: '王倉管' }, clerk)).id;
  const point = (await c.t.call('foodbank.saveLocation', { name: '中興發放站', kind: 'point' }, clerk)).id;
  const donor = (await c.t.call('foodbank.saveDonor', { kind: 'company', name: '好鄰居超市', contact: '林經理', phone: '049-2222222' }, clerk)).id;
  const family3 = (
    await household(c, c.admin, { name: '陳大明', incomeStatus: 'low' }, { others: [{ person: { name: '陳小華' }, relation: '子女' }, { person: { name: '陳小玉' }, relation: '子女' }] })
  ).id;
  const single = (await household(c, c.admin, { name: '李阿嬤', incomeStatus: 'mid-low' }, { street: '民族路9號' })).id;
  const plain = (await household(c, c.admin, { name: '張先生' }, { street: '復興路3號' })).id;
  return { c, clerk, clerk2: { id: row.id, token: s2.token }, rice, milk, veg, noodles, hub, point, donor, family3, single, plain };
}

export async function counts(fb: FoodBank): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of ['fb_movements', 'fb_handouts', 'fb_handout_lines', 'fb_receipts', 'fb_lots', 'fb_transfers', 'fb_stocktakes', 'audit_log'] as const) {
    const r = await fb.c.t.app.ctx.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    out[t] = Number(r.n);
  }
  return out;
}

/** Stock on hand from the ledger itself (sum of movements), per lot and location. */
export async function ledger(fb: FoodBank): Promise<Map<string, number>> {
  const rows = await dbRows<{ lot_id: number; location_id: number; q: number }>(fb.c.t.app, 'select lot_id, location_id, round(sum(quantity), 3) as q from fb_movements group by lot_id, location_id');
  return new Map(rows.filter((r) => r.q !== 0).map((r) => [`${r.lot_id}@${r.location_id}`, r.q]));
}

export async function cache(fb: FoodBank): Promise<Map<string, number>> {
  const rows = await dbRows<{ lot_id: number; location_id: number; q: number }>(fb.c.t.app, 'select lot_id, location_id, quantity as q from fb_balances where quantity <> 0');
  return new Map(rows.map((r) => [`${r.lot_id}@${r.location_id}`, r.q]));
}

/** Moves the clock by days and signs the clerk in again (sessions do not live for months). */
export async function advanceDays(fb: FoodBank, days: number): Promise<void> {
  fb.c.t.clock.advanceMinutes(days * 24 * 60);
  const u = fb.c.clerk.id;
  fb.clerk = await openSession(fb.c.t.app, u, fb.c.t.clock.now);
}
