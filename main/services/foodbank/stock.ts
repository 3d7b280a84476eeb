/**
 * Catalogue, locations, donors, receiving (donation / purchase / 盛食), stock on hand, transfers,
 * spoilage and stocktakes. Every change of stock is an append-only fb_movements row; the fb_balances
 * cache is kept by that table's insert trigger, so it cannot drift from the sum.
 */
import { likeContains } from '../../../db/like';
import type { ApiParsed } from '../../contract/api';
import { ApiError } from '../../contract/envelope';
import { formatRocDate, toRocYear } from '../../contract/roc-date';
import { displayTaxId, validateDonorTaxId, type TaxIdHolder } from '../../contract/tax-id';
import type {
  FbDonorKind,
  FbDonorStatement,
  FbDonorView,
  FbItemView,
  FbLocationKind,
  FbLocationView,
  FbLotLine,
  FbReceiptKind,
  FbReceiptRow,
  FbReceiptView,
  FbStockView,
  FbStocktakeView,
  FbTransferView,
} from '../../contract/types-foodbank';
import { appendAudit } from '../audit/log';
import type { Actor } from '../context';
import { assertVersion } from '../households/common';
import {
  addDays,
  balanceOf,
  centerAddress,
  centerName,
  checkQuantity,
  fmtQty,
  insertMovement,
  itemsById,
  r3,
  requireItem,
  requireLocation,
  rule,
  today,
  userNames,
  type Db,
} from './common';

// --- 品項 ---------------------------------------------------------------------------------

function itemView(r: {
  id: number; name: string; category: string; unit: string; by_weight: number; value: number; kg_per_unit: number; perishable: number;
  shelf_life_days: number | null; min_level: number; points: number; active: number; version: number;
}): FbItemView {
  return {
    id: r.id, name: r.name, category: r.category, unit: r.unit, byWeight: !!r.by_weight, value: r.value, kgPerUnit: r.kg_per_unit,
    perishable: !!r.perishable, shelfLifeDays: r.shelf_life_days, minLevel: r.min_level, points: r.points, active: !!r.active, version: r.version,
  };
}

export async function listItems(db: Db, includeInactive = false): Promise<FbItemView[]> {
  let q = db.selectFrom('fb_items').selectAll().orderBy('category').orderBy('name');
  if (!includeInactive) q = q.where('active', '=', 1);
  return (await q.execute()).map(itemView);
}

export async function saveItem(trx: Db, actor: Actor, input: ApiParsed<'foodbank.saveItem'>, now: Date): Promise<FbItemView> {
  const ts = now.toISOString();
  const dup = await trx.selectFrom('fb_items').select('id').where('name', '=', input.name).executeTakeFirst();
  if (dup && dup.id !== input.id) throw rule(`品項「${input.name}」已經存在，請改用原品項或換個名稱。`);
  const fields = {
    name: input.name, category: input.category, unit: input.unit, by_weight: input.byWeight ? 1 : 0, value: input.value, kg_per_unit: input.kgPerUnit,
    perishable: input.perishable ? 1 : 0, shelf_life_days: input.shelfLifeDays ?? null, min_level: input.minLevel, points: input.points, active: input.active ? 1 : 0,
  };
  let id: number;
  if (input.id === undefined) {
    id = (await trx.insertInto('fb_items').values({ ...fields, created_at: ts, updated_at: ts, updated_by: actor.userId }).returning('id').executeTakeFirstOrThrow()).id;
  } else {
    const cur = await trx.selectFrom('fb_items').selectAll().where('id', '=', input.id).executeTakeFirst();
    if (!cur) throw new ApiError('NOT_FOUND', '找不到這個品項。');
    // The app's stale-save check (who changed it, when); the contract requires the version with an id.
    await assertVersion(trx, '品項', cur, input.version ?? -1);
    const changed = Object.fromEntries(
      Object.entries(fields).filter(([k, v]) => cur[k as keyof typeof fields] !== v).map(([k, v]) => [k, { from: cur[k as keyof typeof fields], to: v }]),
    );
    if (Object.keys(changed).length === 0) return itemView(cur);
    await trx.updateTable('fb_items').set({ ...fields, updated_at: ts, updated_by: actor.userId, version: cur.version + 1 }).where('id', '=', input.id).execute();
    await appendAudit(trx, { actor, action: 'update', entity: 'fb_item', entityId: input.id, detail: { changes: changed } }, now);
    return itemView(await trx.selectFrom('fb_items').selectAll().where('id', '=', input.id).executeTakeFirstOrThrow());
  }
  await appendAudit(trx, { actor, action: 'create', entity: 'fb_item', entityId: id, detail: fields }, now);
  return itemView(await trx.selectFrom('fb_items').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
}

// --- 據點 ---------------------------------------------------------------------------------

function locationView(r: { id: number; name: string; kind: string; address: string | null; staff: string | null; active: number; version: number }): FbLocationView {
  return { id: r.id, name: r.name, kind: r.kind as FbLocationKind, address: r.address, staff: r.staff, active: !!r.active, version: r.version };
}

export async function listLocations(db: Db): Promise<FbLocationView[]> {
  return (await db.selectFrom('fb_locations').selectAll().orderBy('kind').orderBy('id').execute()).map(locationView);
}

export async function saveLocation(trx: Db, actor: Actor, input: ApiParsed<'foodbank.saveLocation'>, now: Date): Promise<FbLocationView> {
  if (input.kind === 'hub') {
    const hub = await trx.selectFrom('fb_locations').select(['id', 'name']).where('kind', '=', 'hub').executeTakeFirst();
    if (hub && hub.id !== input.id) throw rule(`總行只能有一個，目前是「${hub.name}」。其他據點請設為發放站。`);
  }
  const dup = await trx.selectFrom('fb_locations').select('id').where('name', '=', input.name).executeTakeFirst();
  if (dup && dup.id !== input.id) throw rule(`據點「${input.name}」已經存在。`);
  const fields = { name: input.name, kind: input.kind, address: input.address ?? null, staff: input.staff ?? null, active: input.active ? 1 : 0 };
  let id: number;
  if (input.id === undefined) {
    id = (await trx.insertInto('fb_locations').values({ ...fields, created_at: now.toISOString() }).returning('id').executeTakeFirstOrThrow()).id;
  } else {
    const cur = await trx.selectFrom('fb_locations').select(['id', 'version']).where('id', '=', input.id).executeTakeFirst();
    if (!cur) throw new ApiError('NOT_FOUND', '找不到這個據點。');
    if (input.version !== undefined && input.version !== cur.version) throw new ApiError('CONFLICT', '這個據點剛被其他人修改過，請重新整理後再改。');
    await trx.updateTable('fb_locations').set({ ...fields, version: cur.version + 1 }).where('id', '=', input.id).execute();
    id = input.id;
  }
  await appendAudit(trx, { actor, action: input.id ? 'update' : 'create', entity: 'fb_location', entityId: id, detail: fields }, now);
  return locationView(await trx.selectFrom('fb_locations').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
}

// --- 捐贈者 -------------------------------------------------------------------------------

type DonorRow = { id: number; kind: string; name: string; contact: string | null; phone: string | null; address: string | null; tax_id: string | null; version: number };

const taxHolder = (kind: string): TaxIdHolder => (kind === 'person' ? 'person' : 'organisation');

/** A donor as screens and receipts see it: a person's national ID only ever masked. */
function donorView(r: DonorRow): FbDonorView {
  return {
    id: r.id, kind: r.kind as FbDonorKind, name: r.name, contact: r.contact, phone: r.phone, address: r.address,
    taxId: displayTaxId(taxHolder(r.kind), r.tax_id) || null, version: r.version,
  };
}

const DONOR_COLUMNS = ['id', 'kind', 'name', 'contact', 'phone', 'address', 'tax_id', 'version'] as const;

export async function listDonors(db: Db, q?: string): Promise<FbDonorView[]> {
  let query = db.selectFrom('fb_donors').select(DONOR_COLUMNS).orderBy('name').limit(500);
  if (q && q.trim()) query = query.where(likeContains('name', q.trim()));
  return (await query.execute()).map(donorView);
}

/** The stored tax ID for the input: checked for the donor's kind; undefined keeps the current one. */
function taxIdFor(kind: string, input: string | null | undefined, current: string | null): string | null {
  if (input === undefined) return current;
  if (input === null) return null;
  const r = validateDonorTaxId(taxHolder(kind), input);
  if (!r.ok) throw new ApiError('VALIDATION', r.message, { fields: { taxId: r.message } });
  return r.id;
}

export async function saveDonor(trx: Db, actor: Actor, input: ApiParsed<'foodbank.saveDonor'>, now: Date): Promise<FbDonorView> {
  const fields = { kind: input.kind, name: input.name, contact: input.contact ?? null, phone: input.phone ?? null, address: input.address ?? null };
  let id: number;
  let changed: string[];
  if (input.id === undefined) {
    const taxId = taxIdFor(input.kind, input.taxId, null);
    id = (await trx.insertInto('fb_donors').values({ ...fields, tax_id: taxId, created_at: now.toISOString() }).returning('id').executeTakeFirstOrThrow()).id;
    changed = Object.keys(fields).concat(taxId ? ['taxId'] : []);
  } else {
    const cur = await trx.selectFrom('fb_donors').select(DONOR_COLUMNS).where('id', '=', input.id).executeTakeFirst();
    if (!cur) throw new ApiError('NOT_FOUND', '找不到這位捐贈者。');
    if (input.version !== undefined && input.version !== cur.version) throw new ApiError('CONFLICT', '這位捐贈者的資料剛被其他人修改過，請重新整理後再改。');
    // A person's ID is never sent back in full: changing the kind between a person and an organisation needs a new tax ID.
    if (input.taxId === undefined && cur.tax_id && taxHolder(cur.kind) !== taxHolder(input.kind)) {
      const message = input.kind === 'person' ? '改為個人時，請輸入身分證字號（或清除原統一編號）。' : '改為機關團體或公司時，請輸入統一編號（或清除原身分證字號）。';
      throw new ApiError('VALIDATION', message, { fields: { taxId: message } });
    }
    const taxId = taxIdFor(input.kind, input.taxId, cur.tax_id);
    const before: Record<string, unknown> = { kind: cur.kind, name: cur.name, contact: cur.contact, phone: cur.phone, address: cur.address, taxId: cur.tax_id };
    const after: Record<string, unknown> = { ...fields, taxId };
    changed = Object.keys(after).filter((k) => before[k] !== after[k]);
    await trx.updateTable('fb_donors').set({ ...fields, tax_id: taxId, version: cur.version + 1 }).where('id', '=', input.id).execute();
    id = input.id;
  }
  // Which fields changed, never their values: a tax ID may be a national ID.
  await appendAudit(trx, { actor, action: input.id ? 'update' : 'create', entity: 'fb_donor', entityId: id, detail: { kind: fields.kind, changed } }, now);
  return donorView(await trx.selectFrom('fb_donors').select(DONOR_COLUMNS).where('id', '=', id).executeTakeFirstOrThrow());
}

// --- 收物 ---------------------------------------------------------------------------------

/** Allots the next donation receipt number of the ROC year: max + 1 inside the write transaction, so no gaps. */
async function nextReceiptNo(trx: Db, rocYear: number): Promise<{ seq: number; no: string }> {
  const r = await trx.selectFrom('fb_receipts').select((eb) => eb.fn.max<number>('seq').as('m')).where('roc_year', '=', rocYear).executeTakeFirst();
  const seq = Number(r?.m ?? 0) + 1;
  return { seq, no: `${rocYear}-${String(seq).padStart(6, '0')}` };
}

export async function receive(trx: Db, actor: Actor, input: ApiParsed<'foodbank.receive'>, now: Date): Promise<number> {
  const loc = await requireLocation(trx, input.locationId);
  const items = await itemsById(trx, input.lots.map((l) => l.itemId));
  if (input.kind === 'donation') {
    if (!input.donorId) throw rule('捐贈須選擇捐贈者（個人、公司或團體），收據才能開立給對方。');
    const d = await trx.selectFrom('fb_donors').select('id').where('id', '=', input.donorId).executeTakeFirst();
    if (!d) throw new ApiError('NOT_FOUND', '找不到這位捐贈者，請先新增捐贈者。');
  } else if (input.donorId) {
    throw rule('只有捐贈需要捐贈者；採購請填供應商。');
  }
  const lots: { itemId: number; quantity: number; expiry: string | null }[] = [];
  for (const [i, l] of input.lots.entries()) {
    const item = await requireItem(trx, items, l.itemId);
    checkQuantity(item, l.quantity);
    if (input.kind === 'rescue' && !item.by_weight) throw rule(`盛食以重量（公斤）登錄；「${item.name}」以「${item.unit}」計。請選擇以公斤計的品項（第 ${i + 1} 列）。`);
    let expiry = l.expiry ?? null;
    if (!expiry && item.perishable) {
      if (item.shelf_life_days) expiry = addDays(input.receivedOn, item.shelf_life_days);
      else throw rule(`「${item.name}」是易腐品項，須輸入有效日期（第 ${i + 1} 列）。`);
    }
    if (expiry && expiry < input.receivedOn) throw rule(`「${item.name}」的有效日期 ${formatRocDate(expiry)} 早於收物日 ${formatRocDate(input.receivedOn)}，已過期的物資不能入庫（第 ${i + 1} 列）。`);
    lots.push({ itemId: item.id, quantity: l.quantity, expiry });
  }
  const numbering = input.kind === 'donation' ? await nextReceiptNo(trx, toRocYear(Number(input.receivedOn.slice(0, 4)))) : null;
  const receipt = await trx
    .insertInto('fb_receipts')
    .values({
      kind: input.kind, receipt_no: numbering?.no ?? null, roc_year: numbering ? toRocYear(Number(input.receivedOn.slice(0, 4))) : null, seq: numbering?.seq ?? null,
      donor_id: input.donorId ?? null, supplier: input.supplier ?? null, location_id: loc.id, received_on: input.receivedOn, note: input.note ?? null,
      created_at: now.toISOString(), created_by: actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const l of lots) {
    const lot = await trx.insertInto('fb_lots').values({ item_id: l.itemId, receipt_id: receipt.id, quantity: l.quantity, expiry: l.expiry, received_on: input.receivedOn }).returning('id').executeTakeFirstOrThrow();
    await insertMovement(trx, { lotId: lot.id, locationId: loc.id, kind: input.kind, quantity: l.quantity, on: input.receivedOn, refId: receipt.id, by: actor.userId }, now);
  }
  await appendAudit(trx, { actor, action: 'create', entity: 'fb_receipt', entityId: receipt.id, detail: { kind: input.kind, receiptNo: numbering?.no ?? null, lots: lots.length, locationId: loc.id } }, now);
  return receipt.id;
}

async function lotLines(db: Db, where: { receiptIds?: number[] }): Promise<(FbLotLine & { receiptId: number })[]> {
  if (!where.receiptIds || where.receiptIds.length === 0) return [];
  const rows = await db
    .selectFrom('fb_lots as l')
    .innerJoin('fb_items as i', 'i.id', 'l.item_id')
    .select(['l.id', 'l.receipt_id', 'l.item_id', 'i.name', 'i.unit', 'l.quantity', 'l.expiry', 'i.value', 'i.kg_per_unit', 'i.by_weight'])
    .where('l.receipt_id', 'in', where.receiptIds)
    .orderBy('l.id')
    .execute();
  return rows.map((r) => ({
    receiptId: r.receipt_id as number, lotId: r.id, itemId: r.item_id, itemName: r.name, unit: r.unit, quantity: r.quantity, expiry: r.expiry,
    value: r3(r.quantity * r.value), kg: r3(r.by_weight ? r.quantity : r.quantity * r.kg_per_unit),
  }));
}

export async function receiptViews(db: Db, ids: number[]): Promise<FbReceiptView[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('fb_receipts as r')
    .innerJoin('fb_locations as loc', 'loc.id', 'r.location_id')
    .leftJoin('fb_donors as d', 'd.id', 'r.donor_id')
    .leftJoin('users as u', 'u.id', 'r.created_by')
    .select(['r.id', 'r.kind', 'r.receipt_no', 'r.supplier', 'r.location_id', 'loc.name as loc_name', 'r.received_on', 'r.note', 'u.display_name as by_name',
      'd.id as d_id', 'd.kind as d_kind', 'd.name as d_name', 'd.contact as d_contact', 'd.phone as d_phone', 'd.address as d_address', 'd.tax_id as d_tax_id', 'd.version as d_version'])
    .where('r.id', 'in', ids)
    .orderBy('r.received_on')
    .orderBy('r.id')
    .execute();
  const lines = await lotLines(db, { receiptIds: ids });
  const center = await centerName(db);
  const address = await centerAddress(db);
  return rows.map((r) => {
    const mine = lines.filter((l) => l.receiptId === r.id).map(({ receiptId: _omit, ...l }) => l);
    return {
      id: r.id, kind: r.kind as FbReceiptKind, receiptNo: r.receipt_no, supplier: r.supplier, locationId: r.location_id, locationName: r.loc_name,
      receivedOn: r.received_on, note: r.note, createdByName: r.by_name, centerName: center, centerAddress: address,
      donor: r.d_id ? donorView({ id: r.d_id, kind: r.d_kind as string, name: r.d_name as string, contact: r.d_contact, phone: r.d_phone, address: r.d_address, tax_id: r.d_tax_id, version: r.d_version as number }) : null,
      lines: mine, totalValue: r3(mine.reduce((a, l) => a + l.value, 0)), totalKg: r3(mine.reduce((a, l) => a + l.kg, 0)),
    };
  });
}

export async function receiptView(db: Db, id: number): Promise<FbReceiptView> {
  const [v] = await receiptViews(db, [id]);
  if (!v) throw new ApiError('NOT_FOUND', '找不到這張收物單。');
  return v;
}

export async function listReceipts(db: Db, input: ApiParsed<'foodbank.receipts'>): Promise<FbReceiptRow[]> {
  let q = db.selectFrom('fb_receipts').select('id').orderBy('received_on', 'desc').orderBy('id', 'desc').limit(input.limit);
  if (input.from) q = q.where('received_on', '>=', input.from);
  if (input.to) q = q.where('received_on', '<=', input.to);
  const ids = (await q.execute()).map((r) => r.id);
  const views = await receiptViews(db, ids);
  return views
    .map((v) => ({ id: v.id, kind: v.kind, receiptNo: v.receiptNo, donorName: v.donor?.name ?? null, supplier: v.supplier, locationName: v.locationName, receivedOn: v.receivedOn, totalValue: v.totalValue, totalKg: v.totalKg }))
    .reverse();
}

export async function donorStatement(db: Db, donorId: number, year: number): Promise<FbDonorStatement> {
  const d = await db.selectFrom('fb_donors').select(DONOR_COLUMNS).where('id', '=', donorId).executeTakeFirst();
  if (!d) throw new ApiError('NOT_FOUND', '找不到這位捐贈者。');
  const ids = (
    await db.selectFrom('fb_receipts').select('id').where('donor_id', '=', donorId).where('received_on', '>=', `${year}-01-01`).where('received_on', '<=', `${year}-12-31`).execute()
  ).map((r) => r.id);
  const receipts = await receiptViews(db, ids);
  return {
    donor: donorView(d), year, receipts, centerName: await centerName(db), centerAddress: await centerAddress(db),
    totalValue: r3(receipts.reduce((a, r) => a + r.totalValue, 0)), totalKg: r3(receipts.reduce((a, r) => a + r.totalKg, 0)),
  };
}

// --- 庫存 ---------------------------------------------------------------------------------

export const EXPIRY_WINDOW_DAYS = 14;

/** Stock on hand per item and location (sum over the lots' cached balances), with what of it is expired. */
export async function stockTotals(db: Db, input: { locationId?: number | undefined; itemId?: number | undefined }, t: string): Promise<FbStockView['totals']> {
  let q = db
    .selectFrom('fb_balances as b')
    .innerJoin('fb_lots as l', 'l.id', 'b.lot_id')
    .select((eb) => [
      'b.location_id',
      'b.item_id',
      eb.fn.sum<number>('b.quantity').as('q'),
      eb.fn.sum<number>(eb.case().when('l.expiry', '<', t).then(eb.ref('b.quantity')).else(0).end()).as('expired'),
    ])
    .where('b.quantity', '<>', 0)
    .groupBy(['b.location_id', 'b.item_id']);
  if (input.locationId) q = q.where('b.location_id', '=', input.locationId);
  if (input.itemId) q = q.where('b.item_id', '=', input.itemId);
  const [rows, items, locs] = await Promise.all([
    q.execute(),
    db.selectFrom('fb_items').select(['id', 'name', 'unit', 'category']).execute(),
    db.selectFrom('fb_locations').select(['id', 'name', 'kind']).execute(),
  ]);
  const im = new Map(items.map((i) => [i.id, i]));
  const lm = new Map(locs.map((l) => [l.id, l]));
  return rows
    .map((r) => ({
      itemId: r.item_id, itemName: im.get(r.item_id)?.name ?? '', unit: im.get(r.item_id)?.unit ?? '', locationId: r.location_id,
      locationName: lm.get(r.location_id)?.name ?? '', quantity: r3(Number(r.q)), expired: r3(Number(r.expired)),
    }))
    .sort((a, b) => (lm.get(a.locationId)?.kind ?? '').localeCompare(lm.get(b.locationId)?.kind ?? '') || a.locationId - b.locationId || a.itemName.localeCompare(b.itemName, 'zh-Hant'));
}

export async function stockView(db: Db, input: { locationId?: number | undefined; itemId?: number | undefined; totalsOnly?: boolean | undefined }, now: Date): Promise<FbStockView> {
  const t = today(now);
  if (input.totalsOnly) return { today: t, lots: [], totals: await stockTotals(db, input, t), inTransit: [] };
  const soon = addDays(t, EXPIRY_WINDOW_DAYS);
  let q = db
    .selectFrom('fb_balances as b')
    .innerJoin('fb_lots as l', 'l.id', 'b.lot_id')
    .innerJoin('fb_items as i', 'i.id', 'b.item_id')
    .innerJoin('fb_locations as loc', 'loc.id', 'b.location_id')
    .select(['b.lot_id', 'b.item_id', 'i.name', 'i.category', 'i.unit', 'b.location_id', 'loc.name as loc_name', 'b.quantity', 'l.expiry', 'l.received_on'])
    .where('b.quantity', '<>', 0)
    .orderBy('loc.kind')
    .orderBy('b.location_id')
    .orderBy('i.category')
    .orderBy('i.name')
    .orderBy('l.expiry')
    .orderBy('b.lot_id');
  if (input.locationId) q = q.where('b.location_id', '=', input.locationId);
  if (input.itemId) q = q.where('b.item_id', '=', input.itemId);
  const rows = await q.execute();
  const lots = rows.map((r) => ({
    lotId: r.lot_id, itemId: r.item_id, itemName: r.name, category: r.category, unit: r.unit, locationId: r.location_id, locationName: r.loc_name,
    quantity: r3(r.quantity), expiry: r.expiry, receivedOn: r.received_on,
    expiryState: (r.expiry && r.expiry < t ? 'expired' : r.expiry && r.expiry <= soon ? 'soon' : 'ok') as 'expired' | 'soon' | 'ok',
  }));
  const totals = new Map<string, FbStockView['totals'][number]>();
  for (const l of lots) {
    const k = `${l.locationId}:${l.itemId}`;
    const cur = totals.get(k) ?? { itemId: l.itemId, itemName: l.itemName, unit: l.unit, locationId: l.locationId, locationName: l.locationName, quantity: 0, expired: 0 };
    cur.quantity = r3(cur.quantity + l.quantity);
    if (l.expiryState === 'expired') cur.expired = r3(cur.expired + l.quantity);
    totals.set(k, cur);
  }
  let tq = db
    .selectFrom('fb_transfers as t')
    .innerJoin('fb_transfer_lines as tl', 'tl.transfer_id', 't.id')
    .innerJoin('fb_lots as l', 'l.id', 'tl.lot_id')
    .innerJoin('fb_items as i', 'i.id', 'l.item_id')
    .innerJoin('fb_locations as f', 'f.id', 't.from_location_id')
    .innerJoin('fb_locations as to', 'to.id', 't.to_location_id')
    .select(['t.id', 'i.name', 'i.unit', 'tl.quantity', 'f.name as from_name', 'to.name as to_name', 't.sent_on'])
    .where('t.status', '=', 'sent')
    .orderBy('t.id');
  if (input.itemId) tq = tq.where('l.item_id', '=', input.itemId);
  const transit = await tq.execute();
  return {
    today: t, lots, totals: [...totals.values()],
    inTransit: transit.map((r) => ({ transferId: r.id, itemName: r.name, unit: r.unit, quantity: r.quantity, fromName: r.from_name, toName: r.to_name, sentOn: r.sent_on })),
  };
}

// --- 調撥 ---------------------------------------------------------------------------------

async function lotInfo(db: Db, lotIds: number[]) {
  if (lotIds.length === 0) return new Map<number, { id: number; item_id: number; name: string; unit: string; expiry: string | null; value: number; kg_per_unit: number; by_weight: number }>();
  const rows = await db
    .selectFrom('fb_lots as l')
    .innerJoin('fb_items as i', 'i.id', 'l.item_id')
    .select(['l.id', 'l.item_id', 'i.name', 'i.unit', 'l.expiry', 'i.value', 'i.kg_per_unit', 'i.by_weight'])
    .where('l.id', 'in', [...new Set(lotIds)])
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

export async function sendTransfer(trx: Db, actor: Actor, input: ApiParsed<'foodbank.sendTransfer'>, now: Date): Promise<number> {
  if (input.fromLocationId === input.toLocationId) throw rule('調出與調入據點不能相同。');
  const from = await requireLocation(trx, input.fromLocationId);
  await requireLocation(trx, input.toLocationId);
  const lots = await lotInfo(trx, input.lines.map((l) => l.lotId));
  const items = await itemsById(trx, [...lots.values()].map((l) => l.item_id));
  const perLot = new Map<number, number>();
  for (const l of input.lines) {
    const lot = lots.get(l.lotId);
    if (!lot) throw new ApiError('NOT_FOUND', `找不到批號 #${l.lotId}。`);
    checkQuantity(items.get(lot.item_id) as never, l.quantity);
    perLot.set(l.lotId, r3((perLot.get(l.lotId) ?? 0) + l.quantity));
  }
  for (const [lotId, qty] of perLot) {
    const lot = lots.get(lotId) as { name: string; unit: string };
    const onHand = await balanceOf(trx, lotId, from.id);
    if (qty > onHand) throw rule(`「${from.name}」的「${lot.name}」批號 #${lotId} 只有 ${fmtQty(onHand)} ${lot.unit}，不能調出 ${fmtQty(qty)} ${lot.unit}。`, { lotId, available: onHand });
  }
  const t = await trx
    .insertInto('fb_transfers')
    .values({ from_location_id: from.id, to_location_id: input.toLocationId, status: 'sent', sent_on: input.sentOn, sent_by: actor.userId, received_on: null, received_by: null, note: input.note ?? null })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const [lotId, qty] of perLot) {
    await trx.insertInto('fb_transfer_lines').values({ transfer_id: t.id, lot_id: lotId, quantity: qty }).execute();
    await insertMovement(trx, { lotId, locationId: from.id, kind: 'transfer_out', quantity: -qty, on: input.sentOn, refId: t.id, by: actor.userId }, now);
  }
  await appendAudit(trx, { actor, action: 'create', entity: 'fb_transfer', entityId: t.id, detail: { from: from.id, to: input.toLocationId, lines: perLot.size } }, now);
  return t.id;
}

export async function receiveTransfer(trx: Db, actor: Actor, input: ApiParsed<'foodbank.receiveTransfer'>, now: Date): Promise<void> {
  const t = await trx.selectFrom('fb_transfers').selectAll().where('id', '=', input.transferId).executeTakeFirst();
  if (!t) throw new ApiError('NOT_FOUND', '找不到這筆調撥。');
  if (t.status !== 'sent') throw rule(`這筆調撥已於 ${formatRocDate(t.received_on)} 點收，不能重複點收。`);
  if (input.receivedOn < t.sent_on) throw rule(`點收日不能早於調出日 ${formatRocDate(t.sent_on)}。`);
  const lines = await trx.selectFrom('fb_transfer_lines').select(['lot_id', 'quantity']).where('transfer_id', '=', t.id).execute();
  for (const l of lines) {
    await insertMovement(trx, { lotId: l.lot_id, locationId: t.to_location_id, kind: 'transfer_in', quantity: l.quantity, on: input.receivedOn, refId: t.id, by: actor.userId }, now);
  }
  await trx.updateTable('fb_transfers').set({ status: 'received', received_on: input.receivedOn, received_by: actor.userId }).where('id', '=', t.id).execute();
  await appendAudit(trx, { actor, action: 'update', entity: 'fb_transfer', entityId: t.id, detail: { status: 'received' } }, now);
}

export async function transferViews(db: Db, opts: { ids?: number[]; status?: 'sent' | 'received' | undefined }): Promise<FbTransferView[]> {
  let q = db
    .selectFrom('fb_transfers as t')
    .innerJoin('fb_locations as f', 'f.id', 't.from_location_id')
    .innerJoin('fb_locations as to', 'to.id', 't.to_location_id')
    .select(['t.id', 't.from_location_id', 'f.name as from_name', 't.to_location_id', 'to.name as to_name', 't.status', 't.sent_on', 't.received_on', 't.note'])
    .orderBy('t.id', 'desc')
    .limit(200);
  if (opts.ids) q = q.where('t.id', 'in', opts.ids.length ? opts.ids : [0]);
  if (opts.status) q = q.where('t.status', '=', opts.status);
  const rows = await q.execute();
  const ids = rows.map((r) => r.id);
  const lines = ids.length
    ? await db
        .selectFrom('fb_transfer_lines as tl')
        .innerJoin('fb_lots as l', 'l.id', 'tl.lot_id')
        .innerJoin('fb_items as i', 'i.id', 'l.item_id')
        .select(['tl.transfer_id', 'tl.lot_id', 'l.item_id', 'i.name', 'i.unit', 'tl.quantity', 'l.expiry', 'i.value', 'i.kg_per_unit', 'i.by_weight'])
        .where('tl.transfer_id', 'in', ids)
        .orderBy('tl.id')
        .execute()
    : [];
  return rows.map((r) => ({
    id: r.id, fromLocationId: r.from_location_id, fromName: r.from_name, toLocationId: r.to_location_id, toName: r.to_name, status: r.status as 'sent' | 'received',
    sentOn: r.sent_on, receivedOn: r.received_on, note: r.note,
    lines: lines
      .filter((l) => l.transfer_id === r.id)
      .map((l) => ({ lotId: l.lot_id, itemId: l.item_id, itemName: l.name, unit: l.unit, quantity: l.quantity, expiry: l.expiry, value: r3(l.quantity * l.value), kg: r3(l.by_weight ? l.quantity : l.quantity * l.kg_per_unit) })),
  }));
}

// --- 報廢 ---------------------------------------------------------------------------------

export async function spoil(trx: Db, actor: Actor, input: ApiParsed<'foodbank.spoil'>, now: Date): Promise<number> {
  const loc = await requireLocation(trx, input.locationId);
  const lot = (await lotInfo(trx, [input.lotId])).get(input.lotId);
  if (!lot) throw new ApiError('NOT_FOUND', `找不到批號 #${input.lotId}。`);
  const items = await itemsById(trx, [lot.item_id]);
  checkQuantity(items.get(lot.item_id) as never, input.quantity);
  const onHand = await balanceOf(trx, input.lotId, loc.id);
  if (input.quantity > onHand) throw rule(`「${loc.name}」的「${lot.name}」批號 #${input.lotId} 只有 ${fmtQty(onHand)} ${lot.unit}，不能報廢 ${fmtQty(input.quantity)} ${lot.unit}。`);
  const id = await insertMovement(trx, { lotId: input.lotId, locationId: loc.id, kind: 'spoilage', quantity: -input.quantity, on: input.on, reason: input.reason, by: actor.userId }, now);
  await appendAudit(trx, { actor, action: 'create', entity: 'fb_spoilage', entityId: id, detail: { lotId: input.lotId, locationId: loc.id, quantity: input.quantity, reason: input.reason } }, now);
  return id;
}

// --- 盤點 ---------------------------------------------------------------------------------

export async function startStocktake(trx: Db, actor: Actor, input: ApiParsed<'foodbank.startStocktake'>, now: Date): Promise<number> {
  const loc = await requireLocation(trx, input.locationId);
  const open = await trx.selectFrom('fb_stocktakes').select(['id', 'started_on']).where('location_id', '=', loc.id).where('status', '=', 'counting').executeTakeFirst();
  if (open) throw rule(`「${loc.name}」已有一張 ${formatRocDate(open.started_on)} 開立、尚未過帳的盤點單（#${open.id}），請先完成它。`);
  const st = await trx
    .insertInto('fb_stocktakes')
    .values({ location_id: loc.id, status: 'counting', started_on: input.on, created_by: actor.userId, counted_by: null, confirmed_by: null, posted_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  const bal = await trx.selectFrom('fb_balances').select(['lot_id', 'quantity']).where('location_id', '=', loc.id).where('quantity', '<>', 0).orderBy('lot_id').execute();
  for (const b of bal) await trx.insertInto('fb_stocktake_lines').values({ stocktake_id: st.id, lot_id: b.lot_id, expected: r3(b.quantity), counted: null }).execute();
  await appendAudit(trx, { actor, action: 'create', entity: 'fb_stocktake', entityId: st.id, detail: { locationId: loc.id, lines: bal.length } }, now);
  return st.id;
}

export async function stocktakeViews(db: Db, ids?: number[]): Promise<FbStocktakeView[]> {
  let q = db
    .selectFrom('fb_stocktakes as s')
    .innerJoin('fb_locations as loc', 'loc.id', 's.location_id')
    .select(['s.id', 's.location_id', 'loc.name', 's.status', 's.started_on', 's.created_by', 's.counted_by', 's.confirmed_by', 's.posted_at'])
    .orderBy('s.id', 'desc')
    .limit(100);
  if (ids) q = q.where('s.id', 'in', ids.length ? ids : [0]);
  const rows = await q.execute();
  const names = await userNames(db, rows.flatMap((r) => [r.created_by, r.counted_by, r.confirmed_by]));
  const lines = rows.length
    ? await db
        .selectFrom('fb_stocktake_lines as sl')
        .innerJoin('fb_lots as l', 'l.id', 'sl.lot_id')
        .innerJoin('fb_items as i', 'i.id', 'l.item_id')
        .select(['sl.id', 'sl.stocktake_id', 'sl.lot_id', 'i.name', 'i.unit', 'l.expiry', 'sl.expected', 'sl.counted'])
        .where('sl.stocktake_id', 'in', rows.map((r) => r.id))
        .orderBy('i.category')
        .orderBy('i.name')
        .orderBy('l.expiry')
        .orderBy('sl.lot_id')
        .execute()
    : [];
  const nm = (id: number | null) => (id === null ? null : (names.get(id) ?? null));
  return rows.map((r) => ({
    id: r.id, locationId: r.location_id, locationName: r.name, status: r.status as 'counting' | 'posted', startedOn: r.started_on,
    createdByName: nm(r.created_by), countedByName: nm(r.counted_by), confirmedByName: nm(r.confirmed_by), postedAt: r.posted_at,
    lines: lines
      .filter((l) => l.stocktake_id === r.id)
      .map((l) => ({ lineId: l.id, lotId: l.lot_id, itemName: l.name, unit: l.unit, expiry: l.expiry, expected: l.expected, counted: l.counted, difference: l.counted === null ? null : r3(l.counted - l.expected) })),
  }));
}

export async function stocktakeView(db: Db, id: number): Promise<FbStocktakeView> {
  const [v] = await stocktakeViews(db, [id]);
  if (!v) throw new ApiError('NOT_FOUND', '找不到這張盤點單。');
  return v;
}

export async function enterCounts(trx: Db, actor: Actor, input: ApiParsed<'foodbank.enterCounts'>, now: Date): Promise<void> {
  const st = await trx.selectFrom('fb_stocktakes').selectAll().where('id', '=', input.id).executeTakeFirst();
  if (!st) throw new ApiError('NOT_FOUND', '找不到這張盤點單。');
  if (st.status !== 'counting') throw rule('這張盤點單已經過帳，不能再修改數量。');
  const lines = await trx
    .selectFrom('fb_stocktake_lines as sl')
    .innerJoin('fb_lots as l', 'l.id', 'sl.lot_id')
    .innerJoin('fb_items as i', 'i.id', 'l.item_id')
    .select(['sl.id', 'i.name', 'i.unit', 'i.by_weight'])
    .where('sl.stocktake_id', '=', st.id)
    .execute();
  const byId = new Map(lines.map((l) => [l.id, l]));
  for (const c of input.counts) {
    const line = byId.get(c.lineId);
    if (!line) throw new ApiError('NOT_FOUND', `盤點單 #${st.id} 沒有第 ${c.lineId} 列。`);
    if (!line.by_weight && !Number.isInteger(c.counted)) throw rule(`「${line.name}」以「${line.unit}」計，盤點數量須為整數（您輸入 ${c.counted}）。`);
    await trx.updateTable('fb_stocktake_lines').set({ counted: c.counted }).where('id', '=', c.lineId).execute();
  }
  await trx.updateTable('fb_stocktakes').set({ counted_by: actor.userId }).where('id', '=', st.id).execute();
  await appendAudit(trx, { actor, action: 'update', entity: 'fb_stocktake', entityId: st.id, detail: { counts: input.counts.length } }, now);
}

/** The second person confirms; each difference (counted − expected) becomes a 盤差 movement. */
export async function confirmStocktake(trx: Db, actor: Actor, id: number, now: Date, reasons: readonly { lineId: number; reason: string }[] = []): Promise<void> {
  const st = await trx.selectFrom('fb_stocktakes').selectAll().where('id', '=', id).executeTakeFirst();
  if (!st) throw new ApiError('NOT_FOUND', '找不到這張盤點單。');
  if (st.status !== 'counting') throw rule('這張盤點單已經過帳。');
  const lines = await trx.selectFrom('fb_stocktake_lines').selectAll().where('stocktake_id', '=', id).execute();
  const missing = lines.filter((l) => l.counted === null).length;
  if (missing > 0) throw rule(`還有 ${missing} 批尚未輸入盤點數量，請先輸入再確認。`);
  if (st.counted_by === null) throw rule('尚未輸入盤點數量。');
  if (st.counted_by === actor.userId) {
    const names = await userNames(trx, [st.counted_by]);
    throw rule(`盤點須由另一位同仁確認：數量是「${names.get(st.counted_by) ?? ''}」輸入的，請其他同仁登入後確認。`);
  }
  // Every line with a difference carries its 盤差 reason (issue 11 §7), kept on the movement it posts.
  const reasonOf = new Map(reasons.map((r) => [r.lineId, r.reason.trim()]));
  const fields: Record<string, string> = {};
  lines.forEach((l) => {
    if (r3((l.counted as number) - l.expected) !== 0 && !reasonOf.get(l.id)) fields[`reasons.${l.id}`] = '請填寫盤差原因';
  });
  const missingReasons = Object.keys(fields).length;
  if (missingReasons > 0) throw new ApiError('VALIDATION', `還有 ${missingReasons} 筆盤差未填寫原因，請逐筆填寫後再過帳。`, { fields });
  let posted = 0;
  for (const l of lines) {
    const diff = r3((l.counted as number) - l.expected);
    if (diff === 0) continue;
    const onHand = await balanceOf(trx, l.lot_id, st.location_id);
    if (onHand + diff < 0) throw rule(`批號 #${l.lot_id} 盤點後會變成負數（帳上現有 ${fmtQty(onHand)}，盤差 ${fmtQty(diff)}）；開單後可能已有發放，請重新開盤點單。`);
    await insertMovement(trx, { lotId: l.lot_id, locationId: st.location_id, kind: 'count_diff', quantity: diff, on: today(now), refId: id, reason: `盤點單 #${id}：${reasonOf.get(l.id) ?? ''}`, by: actor.userId }, now);
    posted++;
  }
  await trx.updateTable('fb_stocktakes').set({ status: 'posted', confirmed_by: actor.userId, posted_at: now.toISOString() }).where('id', '=', id).execute();
  await appendAudit(trx, { actor, action: 'update', entity: 'fb_stocktake', entityId: id, detail: { status: 'posted', differences: posted } }, now);
}
