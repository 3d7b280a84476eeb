/**
 * Demo aid from other units (issue 14 §4): for every 7th household with an open case, one or two
 * receipts from the charities, the 急難救助 of the 公所 and schools of the district over the three
 * months before `now` (115年第1季 at the e2e clock and the weeks after it), so the household page, the
 * warning and the coordination report have something to show. Deterministic (no draw from the shared
 * random stream, so the other seeders' data stay the same). Names of units are fictional.
 */
import { addDays, todayIso } from '../contract/roc-date';
import type { AidKind, AidSourceKind } from '../contract/types-aid';
import type { DemoContext } from './index';

const SOURCES: { kind: AidSourceKind; name: string; aid: AidKind; amount: number | null; items: string | null }[] = [
  { kind: '慈善團體', name: '南投慈心會', aid: '現金', amount: 3000, items: null },
  { kind: '急難救助（公所／民政）', name: '南投市公所急難救助', aid: '現金', amount: 5000, items: null },
  { kind: '宗教團體', name: '配天宮', aid: '物資', amount: null, items: '白米 2 包、食用油 1 瓶' },
  { kind: '學校', name: '南投國小', aid: '代金券', amount: 1000, items: null },
  { kind: '企業', name: '中興超市', aid: '物資', amount: null, items: '民生物資箱 1 箱' },
];

export async function seedAid(ctx: DemoContext): Promise<void> {
  const { db, now, staff } = ctx;
  const today = todayIso(now);
  const ts = now.toISOString();
  const by = staff.workers[0] ?? staff.admins[0] ?? null;
  const households = await db.selectFrom('cases').select('household_id').distinct().where('closed_on', 'is', null).orderBy('household_id').execute();
  const values = [];
  for (let i = 0; i < households.length; i += 7) {
    const householdId = (households[i] as { household_id: number }).household_id;
    const n = (i / 7) % 3 === 0 ? 2 : 1;
    for (let k = 0; k < n; k++) {
      const s = SOURCES[(i / 7 + k * 2) % SOURCES.length]!;
      values.push({
        household_id: householdId,
        person_id: null,
        source_kind: s.kind,
        source_name: s.name,
        kind: s.aid,
        amount: s.amount,
        items: s.items,
        received_on: addDays(today, -(20 + ((i * 13 + k * 31) % 70))),
        note: null,
        origin: '手動',
        created_at: ts,
        created_by: by,
        updated_at: ts,
        updated_by: by,
        deleted_at: null,
        deleted_by: null,
        delete_reason: null,
      });
    }
  }
  for (let i = 0; i < values.length; i += 500) await db.insertInto('external_aid').values(values.slice(i, i + 500)).execute();
}
