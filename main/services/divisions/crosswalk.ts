/**
 * The crosswalk from old division codes to their successors (division_code_changes, migration 0020):
 * 桃園縣 10003 → 桃園市 68000 from 2014-12-25, its towns 10003010 → 68000010, villages 10003010001 →
 * 68000010001. An old record keeps its code; whoever counts by division asks for the code current on a
 * date. A code may be renumbered more than once: the mapping follows up to MAX_HOPS successive changes.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../../db/schema';

/** How many successive renumberings of one division the mapping follows. */
export const MAX_HOPS = 3;

export interface CodeChange {
  oldCode: string;
  newCode: string;
  /** ISO date from which newCode replaces oldCode. */
  effectiveFrom: string;
  note: string | null;
}

/**
 * The code current on `onDate` for each of `codes` (batched: one query per hop, IN lists of ≤ 500).
 * Codes without a change in effect map to themselves.
 */
export async function currentCodes(db: Kysely<Database>, codes: readonly string[], onDate: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const c of codes) out.set(c, c);
  let frontier = [...new Set(codes)];
  for (let hop = 0; hop < MAX_HOPS && frontier.length > 0; hop++) {
    const next = new Map<string, string>();
    for (let i = 0; i < frontier.length; i += 500) {
      const part = frontier.slice(i, i + 500);
      const rows = await db
        .selectFrom('division_code_changes')
        .select(['old_code', 'new_code', 'effective_from'])
        .where('old_code', 'in', part)
        .where('effective_from', '<=', onDate)
        .orderBy('effective_from')
        .execute();
      for (const r of rows) next.set(r.old_code, r.new_code); // the latest change in effect wins
    }
    if (next.size === 0) break;
    for (const [from, to] of out) {
      const n = next.get(to);
      if (n !== undefined) out.set(from, n);
    }
    frontier = [...new Set(next.values())];
  }
  return out;
}

/** The code current on `onDate` for one code (itself when no change is in effect). */
export async function currentCode(db: Kysely<Database>, code: string, onDate: string): Promise<string> {
  return (await currentCodes(db, [code], onDate)).get(code) ?? code;
}

/**
 * The same mapping as an SQL expression over a column (e.g. `h.town_code`), for GROUP BY and WHERE in
 * reports, portable to SQLite and PostgreSQL: a correlated sub-select that follows up to MAX_HOPS changes
 * by primary-key lookups (division_code_changes (old_code, effective_from)), the column itself when none is
 * in effect, NULL when the column is NULL.
 */
export function currentCodeSql(column: string, onDate: string): RawBuilder<string | null> {
  const col = sql.ref(column);
  return sql<string | null>`coalesce((select coalesce(wd_x3.new_code, wd_x2.new_code, wd_x1.new_code) from division_code_changes wd_x1 left join division_code_changes wd_x2 on wd_x2.old_code = wd_x1.new_code and wd_x2.effective_from <= ${onDate} left join division_code_changes wd_x3 on wd_x3.old_code = wd_x2.new_code and wd_x3.effective_from <= ${onDate} where wd_x1.old_code = ${col} and wd_x1.effective_from <= ${onDate} order by wd_x1.effective_from desc, wd_x2.effective_from desc, wd_x3.effective_from desc limit 1), ${col})`;
}

/** Every change in effect on `onDate` (for a report's notes or an export). */
export async function codeChanges(db: Kysely<Database>, onDate: string): Promise<CodeChange[]> {
  const rows = await db.selectFrom('division_code_changes').selectAll().where('effective_from', '<=', onDate).orderBy('old_code').orderBy('effective_from').execute();
  return rows.map((r) => ({ oldCode: r.old_code, newCode: r.new_code, effectiveFrom: r.effective_from, note: r.note }));
}
