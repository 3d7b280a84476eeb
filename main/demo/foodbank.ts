/**
 * Demo food bank (issue 5 §8): a catalogue, a hub and distribution points, donors, and two years of
 * weekly receipts (donations with numbered receipts, purchases, 盛食 by weight), transfers to the
 * points, monthly hand-outs to eligible households (first-expiry-first-out, within the allowance),
 * spoilage of what expired, and one posted stocktake at the hub.
 *
 * Everything goes through a raw better-sqlite3 connection with prepared statements (as the cases
 * seeder does): the `city` scale writes about 1M movements. The fb_balances cache is still kept by
 * the movements' insert trigger, so the seeded data obeys the same rule as the app.
 */
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { openSecondConnection } from '../../db/connection';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import { addDays, todayIso, toRocYear } from '../contract/roc-date';
import { createLogger } from '../lib/logger';
import type { DemoContext } from './index';

const log = createLogger('demo-foodbank');

type ItemDef = [name: string, category: string, unit: string, value: number, kg: number, perishable: boolean, shelfDays: number, byWeight?: boolean];
const ITEMS: ItemDef[] = [
  ['白米', '米糧', '包', 250, 3, false, 365],
  ['糙米', '米糧', '包', 280, 3, false, 300],
  ['麵條', '米糧', '包', 45, 0.6, false, 365],
  ['泡麵', '米糧', '箱', 300, 2.5, false, 180],
  ['燕麥片', '米糧', '罐', 150, 0.8, false, 365],
  ['沙拉油', '油品調味', '瓶', 180, 2.6, false, 540],
  ['醬油', '油品調味', '瓶', 90, 1.2, false, 540],
  ['鹽', '油品調味', '包', 20, 1, false, 720],
  ['鮪魚罐頭', '罐頭', '罐', 45, 0.2, false, 720],
  ['肉醬罐頭', '罐頭', '罐', 50, 0.2, false, 720],
  ['玉米罐頭', '罐頭', '罐', 35, 0.3, false, 720],
  ['奶粉', '乳品', '罐', 420, 1.5, false, 365],
  ['鮮奶', '乳品', '瓶', 95, 1, true, 10],
  ['雞蛋', '生鮮', '盒', 70, 0.6, true, 21],
  ['吐司', '生鮮', '條', 55, 0.5, true, 5],
  ['蔬菜', '盛食', '公斤', 40, 1, true, 5, true],
  ['水果', '盛食', '公斤', 60, 1, true, 7, true],
  ['衛生紙', '生活用品', '串', 200, 4, false, 1800],
  ['洗衣精', '生活用品', '瓶', 180, 2, false, 1080],
  ['牙膏', '生活用品', '條', 60, 0.2, false, 1080],
  ['尿布', '生活用品', '包', 350, 1.5, false, 1080],
  ['餅乾', '零食', '盒', 80, 0.4, false, 180],
];

interface Lot {
  id: number;
  item: number;
  expiry: string;
}

const PLAN = {
  small: { points: 2, donors: 12, served: 30, linesPerHandout: 3 },
  center: { points: 4, donors: 60, served: 400, linesPerHandout: 4 },
  city: { points: 20, donors: 400, served: 10_000, linesPerHandout: 4 },
} as const;

async function rawConnection(db: Kysely<Database>): Promise<BetterSqlite3.Database> {
  // The same file and key as the handle (the database is encrypted).
  return Promise.resolve(openSecondConnection(db));
}

export async function seedFoodbank(ctx: DemoContext): Promise<void> {
  const { db, rng, now, scale } = ctx;
  const started = Date.now();
  const plan = PLAN[scale.name];
  const today = todayIso(now);
  const start = addDays(today, -728);
  const ts = now.toISOString();
  const clerk = (await db.selectFrom('users').select('id').where('role', '=', 'foodbank').orderBy('id').executeTakeFirst())?.id ?? null;

  const eligibleRows = await sql<{ household_id: number }>`
    select hm.household_id from household_members hm join persons p on p.id = hm.person_id where hm.left_on is null and p.income_status is not null
    union select household_id from cases where status not in ('不開案', '已結案')
    union select household_id from long_term_concerns where end_date is null`.execute(db);
  const sizes = new Map(
    (await sql<{ household_id: number; n: number }>`select household_id, count(*) as n from household_members where left_on is null group by household_id`.execute(db)).rows.map((r) => [r.household_id, Number(r.n)]),
  );
  const eligible = eligibleRows.rows.map((r) => r.household_id).sort((a, b) => a - b);
  const served = eligible.filter(() => rng.chance(Math.min(1, plan.served / Math.max(1, eligible.length)))).slice(0, plan.served);

  const raw = await rawConnection(db);
  let movements = 0;
  try {
    const insItem = raw.prepare(`insert into fb_items (name, category, unit, by_weight, value, kg_per_unit, perishable, shelf_life_days, min_level, points, active, created_at, updated_at, version)
      values (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1, ?, ?, 1)`);
    const insLoc = raw.prepare('insert into fb_locations (name, kind, address, staff, active, created_at, version) values (?, ?, ?, ?, 1, ?, 1)');
    const insDonor = raw.prepare('insert into fb_donors (kind, name, contact, phone, address, created_at) values (?, ?, ?, ?, ?, ?)');
    const insReceipt = raw.prepare(`insert into fb_receipts (kind, receipt_no, roc_year, seq, donor_id, supplier, location_id, received_on, note, created_at, created_by)
      values (?, ?, ?, ?, ?, ?, ?, ?, null, ?, ?)`);
    const insLot = raw.prepare('insert into fb_lots (item_id, receipt_id, quantity, expiry, received_on) values (?, ?, ?, ?, ?)');
    const insMove = raw.prepare('insert into fb_movements (lot_id, location_id, kind, quantity, on_date, ref_id, reason, at, by) values (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const insTransfer = raw.prepare(`insert into fb_transfers (from_location_id, to_location_id, status, sent_on, sent_by, received_on, received_by, note) values (?, ?, ?, ?, ?, ?, ?, null)`);
    const insTLine = raw.prepare('insert into fb_transfer_lines (transfer_id, lot_id, quantity) values (?, ?, ?)');
    const insHandout = raw.prepare(`insert into fb_handouts (household_id, location_id, handed_on, household_size, allowance_used, note, created_at, created_by) values (?, ?, ?, ?, ?, null, ?, ?)`);
    const insHLine = raw.prepare('insert into fb_handout_lines (handout_id, item_id, lot_id, quantity) values (?, ?, ?, ?)');
    const move = (lot: number, loc: number, kind: string, q: number, on: string, ref: number | null, reason: string | null = null) => {
      insMove.run(lot, loc, kind, q, on, ref, reason, ts, clerk);
      movements++;
    };

    const items: { id: number; def: ItemDef }[] = [];
    let hub = 0;
    const points: number[] = [];
    const donors: number[] = [];
    raw.transaction(() => {
      for (const d of ITEMS) {
        const id = Number(insItem.run(d[0], d[1], d[2], d[7] ? 1 : 0, d[3], d[4], d[5] ? 1 : 0, d[6], d[5] ? 0 : 20, ts, ts).lastInsertRowid);
        items.push({ id, def: d });
      }
      hub = Number(insLoc.run('總行（南投市實物銀行）', 'hub', '南投縣南投市中興路100號', '倉管 2 名', ts).lastInsertRowid);
      const villages = ['中興', '平和', '三和', '康壽', '新興', '彰仁', '內新', '漳和', '振興', '營南', '光華', '光明', '南投', '三興', '東山', '仁和', '龍泉', '福山', '鳳山', '千秋'];
      for (let i = 0; i < plan.points; i++) points.push(Number(insLoc.run(`${villages[i % villages.length]}${i >= villages.length ? i : ''}發放站`, 'point', null, '志工', ts).lastInsertRowid));
      const kinds = ['company', 'group', 'person'];
      const names = ['好鄰居超市', '南投農會', '慈善會', '扶輪社', '獅子會', '家樂商行', '永豐米行', '善心人士', '福德宮', '宏大食品'];
      for (let i = 0; i < plan.donors; i++) {
        const kind = kinds[i % 3] as string;
        donors.push(Number(insDonor.run(kind, `${names[i % names.length]}${i >= names.length ? `（${i}）` : ''}`, kind === 'person' ? null : '聯絡人', `049-22${String(10000 + i).slice(-5)}`, null, ts).lastInsertRowid));
      }
    })();

    // In-memory shelves: location -> item -> lots with quantities, oldest expiry first.
    const shelf = new Map<number, Map<number, { lot: Lot; q: number }[]>>();
    const slot = (loc: number, item: number) => {
      let m = shelf.get(loc);
      if (!m) shelf.set(loc, (m = new Map()));
      let l = m.get(item);
      if (!l) m.set(item, (l = []));
      return l;
    };
    const put = (loc: number, lot: Lot, q: number) => {
      const l = slot(loc, lot.item);
      const e = l.find((x) => x.lot.id === lot.id);
      if (e) e.q += q;
      else {
        l.push({ lot, q });
        l.sort((a, b) => a.lot.expiry.localeCompare(b.lot.expiry) || a.lot.id - b.lot.id);
      }
    };
    const onHand = (loc: number, item: number, on: string) => slot(loc, item).reduce((s, x) => s + (x.lot.expiry >= on ? x.q : 0), 0);
    /** Takes q FEFO from non-expired lots; returns [lot, q] pairs. */
    const take = (loc: number, item: number, q: number, on: string): [Lot, number][] => {
      const out: [Lot, number][] = [];
      const l = slot(loc, item);
      for (const x of l) {
        if (q <= 0) break;
        if (x.lot.expiry < on || x.q <= 0) continue;
        const t = Math.min(q, x.q);
        x.q = Math.round((x.q - t) * 1000) / 1000;
        q = Math.round((q - t) * 1000) / 1000;
        out.push([x.lot, t]);
      }
      const rest = l.filter((x) => x.q > 0);
      l.length = 0;
      l.push(...rest);
      return out;
    };

    const seqByYear = new Map<number, number>();
    const pointOf = new Map(served.map((h, i) => [h, points[i % points.length] as number]));
    const weeklyNeed = Math.max(5, Math.ceil((served.length * plan.linesPerHandout * 1.5) / 4.3 / items.length));
    let handouts = 0;
    const allLocs = [hub, ...points];

    for (let week = 0; week < 104; week++) {
      const ws = addDays(start, week * 7);
      if (ws > today) break;
      raw.transaction(() => {
        // Receiving at the hub: top up each item to two weeks of need.
        for (const it of items) {
          const have = allLocs.reduce((s, loc) => s + onHand(loc, it.id, ws), 0);
          const want = weeklyNeed * 2.2 - have;
          if (want <= 0) continue;
          const on = ws; // one receiving day a week, so receipt numbers follow the dates
          if (on > today) continue;
          const byWeight = !!it.def[7];
          const kind = byWeight ? 'rescue' : rng.chance(0.65) ? 'donation' : 'purchase';
          let receiptNo: string | null = null;
          let year: number | null = null;
          let seq: number | null = null;
          if (kind === 'donation') {
            year = toRocYear(Number(on.slice(0, 4)));
            seq = (seqByYear.get(year) ?? 0) + 1;
            seqByYear.set(year, seq);
            receiptNo = `${year}-${String(seq).padStart(6, '0')}`;
          }
          const rid = Number(insReceipt.run(kind, receiptNo, year, seq, kind === 'donation' ? rng.pick(donors) : null, kind === 'purchase' ? '南投農會' : null, hub, on, ts, clerk).lastInsertRowid);
          const q = byWeight ? Math.round(want * 10) / 10 : Math.ceil(want);
          const expiry = addDays(on, it.def[6] - (it.def[5] ? 0 : rng.int(0, 60)));
          const lotId = Number(insLot.run(it.id, rid, q, expiry, on).lastInsertRowid);
          const lot = { id: lotId, item: it.id, expiry };
          move(lotId, hub, kind, q, on, rid);
          put(hub, lot, q);
        }
        // Transfers: each point gets a week of its share, sent Tuesday, received Wednesday (the last may still be in transit).
        const tOn = addDays(ws, 2);
        if (tOn <= today) {
          for (const p of points) {
            const recvOn = addDays(tOn, 1);
            const received = recvOn <= today;
            const tid = Number(insTransfer.run(hub, p, received ? 'received' : 'sent', tOn, clerk, received ? recvOn : null, received ? clerk : null).lastInsertRowid);
            for (const it of items) {
              const share = Math.ceil((weeklyNeed * 1.3) / points.length) - onHand(p, it.id, tOn);
              if (share <= 0) continue;
              for (const [lot, q] of take(hub, it.id, share, tOn)) {
                insTLine.run(tid, lot.id, q);
                move(lot.id, hub, 'transfer_out', -q, tOn, tid);
                if (received) {
                  move(lot.id, p, 'transfer_in', q, recvOn, tid);
                  put(p, lot, q);
                }
              }
            }
          }
        }
        // Hand-outs: each served household once a month, in the week of its turn.
        for (const h of served) {
          if ((h + week) % 4 !== 0) continue;
          const on = addDays(ws, 3 + (h % 3));
          if (on > today) continue;
          const loc = pointOf.get(h) as number;
          const picks: [Lot, number][] = [];
          const chosen = new Set<number>();
          for (let n = 0; n < plan.linesPerHandout; n++) {
            const it = rng.pick(items);
            if (chosen.has(it.id)) continue;
            chosen.add(it.id);
            const q = it.def[7] ? 1 + rng.int(0, 4) / 2 : rng.int(1, 2);
            picks.push(...take(loc, it.id, q, on));
          }
          if (picks.length === 0) continue;
          const size = sizes.get(h) ?? 1;
          const used = picks.reduce((s, [lot, q]) => s + (ITEMS[items.findIndex((x) => x.id === lot.item)]?.[7] ? 1 : q), 0);
          const hid = Number(insHandout.run(h, loc, on, size, used, ts, clerk).lastInsertRowid);
          handouts++;
          for (const [lot, q] of picks) {
            insHLine.run(hid, lot.item, lot.id, q);
            move(lot.id, loc, 'distribution', -q, on, hid);
          }
        }
        // Spoilage: whatever expired this week leaves the shelf.
        const wEnd = addDays(ws, 6);
        if (wEnd <= today) {
          for (const loc of allLocs) {
            for (const list of shelf.get(loc)?.values() ?? []) {
              for (const x of list) {
                if (x.lot.expiry < wEnd && x.q > 0) {
                  move(x.lot.id, loc, 'spoilage', -x.q, wEnd, null, '過期');
                  x.q = 0;
                }
              }
            }
          }
        }
      })();
    }

    // One stocktake at the hub, a week ago: two differences, confirmed by a second person (the admin).
    const admin = (await db.selectFrom('users').select('id').where('role', '=', 'admin').orderBy('id').executeTakeFirst())?.id ?? null;
    raw.transaction(() => {
      const on = addDays(today, -7);
      const st = Number(raw.prepare("insert into fb_stocktakes (location_id, status, started_on, created_by, counted_by, confirmed_by, posted_at) values (?, 'posted', ?, ?, ?, ?, ?)").run(hub, on, clerk, clerk, admin, ts).lastInsertRowid);
      const bal = raw.prepare('select lot_id, quantity from fb_balances where location_id = ? and quantity > 0 order by lot_id').all(hub) as { lot_id: number; quantity: number }[];
      const insLine = raw.prepare('insert into fb_stocktake_lines (stocktake_id, lot_id, expected, counted) values (?, ?, ?, ?)');
      bal.forEach((b, i) => {
        const diff = i < 2 && b.quantity >= 2 ? -1 : 0;
        insLine.run(st, b.lot_id, b.quantity, b.quantity + diff);
        if (diff !== 0) move(b.lot_id, hub, 'count_diff', diff, on, st, `盤點單 #${st}`);
      });
    })();
    raw.prepare("insert into settings (key, value) values ('foodbank.allowance', ?) on conflict (key) do update set value = excluded.value").run(JSON.stringify({ mode: 'items', bySize: [6, 10, 14, 18] }));
    log.info(`food bank: ${items.length} items, ${allLocs.length} locations, ${handouts} hand-outs, ${movements} movements in ${Date.now() - started} ms`);
  } finally {
    raw.close();
  }
}
