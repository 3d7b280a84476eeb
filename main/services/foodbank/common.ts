import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { ApiError } from '../../contract/envelope';
import { addDays, todayIso } from '../../contract/roc-date';
import type { FbAllowanceSettings, FbMovementKind } from '../../contract/types-foodbank';

export type Db = Kysely<Database>;

export const rule = (message: string, details?: Record<string, unknown>) => new ApiError('RULE', message, details ? { details } : undefined);

/** Rounds away float noise (kg can be fractional): 3 decimals. */
export const r3 = (n: number) => Math.round(n * 1000) / 1000;
export const fmtQty = (n: number) => String(r3(n));

export const today = (now: Date) => todayIso(now);
export { addDays };

export interface MovementInput {
  lotId: number;
  locationId: number;
  kind: FbMovementKind;
  quantity: number;
  on: string;
  refId?: number | null;
  reason?: string | null;
  by: number | null;
}

/** The only way stock changes: one append-only row (its trigger updates the fb_balances cache in the same statement). */
export async function insertMovement(trx: Db, m: MovementInput, now: Date): Promise<number> {
  const row = await trx
    .insertInto('fb_movements')
    .values({ lot_id: m.lotId, location_id: m.locationId, kind: m.kind, quantity: r3(m.quantity), on_date: m.on, ref_id: m.refId ?? null, reason: m.reason ?? null, at: now.toISOString(), by: m.by })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function balanceOf(db: Db, lotId: number, locationId: number): Promise<number> {
  const r = await db.selectFrom('fb_balances').select('quantity').where('lot_id', '=', lotId).where('location_id', '=', locationId).executeTakeFirst();
  return r3(r?.quantity ?? 0);
}

export interface ItemRow {
  id: number;
  name: string;
  unit: string;
  by_weight: number;
  value: number;
  kg_per_unit: number;
  perishable: number;
  shelf_life_days: number | null;
  points: number;
  min_level: number;
  category: string;
  active: number;
}

export async function itemsById(db: Db, ids: number[]): Promise<Map<number, ItemRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('fb_items')
    .select(['id', 'name', 'unit', 'by_weight', 'value', 'kg_per_unit', 'perishable', 'shelf_life_days', 'points', 'min_level', 'category', 'active'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

export async function requireItem(db: Db, items: Map<number, ItemRow>, id: number): Promise<ItemRow> {
  const it = items.get(id);
  if (!it) {
    const n = await db.selectFrom('fb_items').select((eb) => eb.fn.countAll<number>().as('n')).where('active', '=', 1).executeTakeFirstOrThrow();
    throw new ApiError('NOT_FOUND', `找不到品項（編號 ${id}）。目前有 ${Number(n.n)} 個品項可選，請從品項清單選擇。`);
  }
  return it;
}

/** A unit item (包, 罐, 箱) is counted in whole units; by-weight items (公斤) may be fractional. */
export function checkQuantity(item: ItemRow, quantity: number): void {
  if (!(quantity > 0)) throw rule(`「${item.name}」的數量須大於 0（您輸入 ${quantity}）。`);
  if (!item.by_weight && !Number.isInteger(quantity)) {
    throw rule(`「${item.name}」以「${item.unit}」計，數量須為整數（您輸入 ${quantity}）。`);
  }
}

export async function requireLocation(db: Db, id: number): Promise<{ id: number; name: string; kind: string; active: number }> {
  const loc = await db.selectFrom('fb_locations').select(['id', 'name', 'kind', 'active']).where('id', '=', id).executeTakeFirst();
  if (!loc || !loc.active) {
    const names = (await db.selectFrom('fb_locations').select('name').where('active', '=', 1).orderBy('id').execute()).map((r) => r.name);
    throw new ApiError('NOT_FOUND', `找不到這個據點（編號 ${id}）。可選的據點：${names.join('、') || '（尚未設定）'}。`);
  }
  return loc;
}

export async function userNames(db: Db, ids: (number | null)[]): Promise<Map<number, string>> {
  const list = [...new Set(ids.filter((x): x is number => x !== null))];
  if (list.length === 0) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', list).execute();
  return new Map(rows.map((r) => [r.id, r.display_name]));
}

export async function centerName(db: Db): Promise<string> {
  const r = await db.selectFrom('settings').select('value').where('key', '=', 'center.name').executeTakeFirst();
  const v = r ? (JSON.parse(r.value) as unknown) : null;
  return typeof v === 'string' ? v : '社會福利服務中心';
}

/** The center's address (系統設定), '' when not set. */
export async function centerAddress(db: Db): Promise<string> {
  const r = await db.selectFrom('settings').select('value').where('key', '=', 'center.address').executeTakeFirst();
  const v = r ? (JSON.parse(r.value) as unknown) : null;
  return typeof v === 'string' ? v : '';
}

const ALLOWANCE_KEY = 'foodbank.allowance';
export const DEFAULT_ALLOWANCE: FbAllowanceSettings = { mode: 'items', bySize: [6, 10, 14, 18] };

export async function readAllowance(db: Db): Promise<FbAllowanceSettings> {
  const r = await db.selectFrom('settings').select('value').where('key', '=', ALLOWANCE_KEY).executeTakeFirst();
  if (!r) return DEFAULT_ALLOWANCE;
  const v = JSON.parse(r.value) as FbAllowanceSettings;
  return v && Array.isArray(v.bySize) && v.bySize.length > 0 ? v : DEFAULT_ALLOWANCE;
}

export async function writeAllowance(trx: Db, a: FbAllowanceSettings): Promise<void> {
  const json = JSON.stringify(a);
  await trx.insertInto('settings').values({ key: ALLOWANCE_KEY, value: json }).onConflict((oc) => oc.column('key').doUpdateSet({ value: json })).execute();
}

export function allowanceFor(a: FbAllowanceSettings, size: number): number {
  const i = Math.max(1, size) - 1;
  return a.bySize[Math.min(i, a.bySize.length - 1)] ?? 0;
}

/** What one picked line uses of the allowance: points × quantity, or items (a by-weight line counts as one). */
export function allowanceUse(a: FbAllowanceSettings, item: ItemRow, quantity: number): number {
  if (a.mode === 'points') return r3(item.points * (item.by_weight ? 1 : quantity));
  return item.by_weight ? 1 : quantity;
}
