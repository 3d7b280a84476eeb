/**
 * 行政區 reference list (內政部 codes) for address pickers: 縣市 (5 digits, e.g. 10008) →
 * 鄉鎮市區 (8) → 村里 (11). The demo ships its own district; the full list is
 * imported by an administrator (imports kind 'villages').
 *
 * Codes are versioned (migration 0020): a division is in use from `valid_from` until the day before
 * `valid_to` (null = open). Pickers list the divisions in use today; an old household keeps the code it
 * was recorded with and still shows that division's name. Reports count it under the current successor
 * through division_code_changes (see crosswalk.ts).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import type { DivisionView } from '../../contract/types-households';

/** Divisions in use on `onDate` (ISO): counties, or the children of `parentCode`. */
export async function listDivisions(db: Kysely<Database>, parentCode: string | null | undefined, onDate?: string): Promise<DivisionView[]> {
  let q = db.selectFrom('divisions').select(['code', 'level', 'name', 'parent_code']).orderBy('code');
  q = parentCode ? q.where('parent_code', '=', parentCode) : q.where('level', '=', 'county');
  if (onDate) {
    q = q.where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>', onDate)])).where((eb) => eb.or([eb('valid_from', 'is', null), eb('valid_from', '<=', onDate)]));
  } else {
    q = q.where('valid_to', 'is', null);
  }
  return (await q.execute()).map((d) => ({ code: d.code, level: d.level, name: d.name, parentCode: d.parent_code }));
}

/** Inserts divisions that are not there yet (parents before children). For seeding and imports. */
export async function upsertDivisions(db: Kysely<Database>, rows: DivisionView[]): Promise<number> {
  const order = { county: 0, town: 1, village: 2 } as const;
  const sorted = [...rows].sort((a, b) => order[a.level] - order[b.level]);
  let added = 0;
  for (const d of sorted) {
    const r = await db
      .insertInto('divisions')
      .values({ code: d.code, level: d.level, name: d.name, parent_code: d.parentCode })
      .onConflict((oc) => oc.column('code').doNothing())
      .executeTakeFirst();
    added += Number(r.numInsertedOrUpdatedRows ?? 0);
  }
  return added;
}
