import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase, type SqliteHandle } from '../../db/connection';
import { OUT_OF_SCOPE_LABEL } from '../../main/contract/types-links';
import { seedDemo } from '../../main/demo/index';
import { SCALES } from '../../main/demo/scale';
import { setQuiet } from '../../main/lib/logger';
import { scopeOf } from '../../main/services/access/scope';
import type { Actor } from '../../main/services/context';
import { listHouseholdLinks } from '../../main/services/links/service';
import { onPostgres } from '../helpers/pg';

setQuiet(true);

/**
 * The demo's linked families (main/demo/links.ts): sw01 made a few links between households of their
 * own and one to a household of another team, which sw01's view shows only as 另一戶（非本人轄區）; that
 * team's worker sees the same link from their side.
 */
// Skipped on PostgreSQL: the demo seeder writes through a raw SQLite connection (seeding PostgreSQL is the bench's).
describe.skipIf(onPostgres)('demo links (small scale)', () => {
  let dir: string;
  let h: SqliteHandle;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'wd-demo-links-'));
    h = openDatabase(join(dir, 'demo.db'), { onSlowQuery: () => undefined });
    await migrateToLatest(h.db);
    await seedDemo(h.db, SCALES.small, new Date('2026-03-05T02:00:00.000Z'));
  });
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const actor = async (username: string): Promise<Actor> => {
    const u = await h.db.selectFrom('users').select(['id', 'username', 'display_name', 'role', 'team_id']).where('username', '=', username).executeTakeFirstOrThrow();
    return { userId: u.id, username: u.username, displayName: u.display_name, role: u.role as Actor['role'], teamId: u.team_id };
  };

  it('links households of sw01 and one of another team, which sw01 sees only as the placeholder', async () => {
    const rows = await h.db.selectFrom('person_links').selectAll().execute();
    expect(rows.length).toBeGreaterThanOrEqual(3);
    const sw01 = await scopeOf(h.db, await actor('sw01'));
    const sw04 = await scopeOf(h.db, await actor('sw04'));
    let hidden = 0;
    let named = 0;
    for (const r of rows) {
      for (const side of [r.person_a, r.person_b]) {
        const m = await h.db.selectFrom('household_members').select('household_id').where('person_id', '=', side).where('left_on', 'is', null).executeTakeFirstOrThrow();
        const view = await listHouseholdLinks(h.db, sw01, m.household_id).catch(() => null);
        for (const l of view?.members.flatMap((x) => x.links) ?? []) {
          if (l.other.inScope) named++;
          else {
            hidden++;
            expect(l.other).toEqual({ inScope: false, label: OUT_OF_SCOPE_LABEL, sex: l.other.sex });
            // The other team's worker sees the same link from their side (where sw01's household is the hidden one).
            const row = rows.find((x) => x.id === l.id)!;
            const mine = new Set(view!.members.map((x) => x.personId));
            const otherPerson = mine.has(row.person_a) ? row.person_b : row.person_a;
            const homes = await h.db.selectFrom('household_members').select('household_id').where('person_id', '=', otherPerson).where('left_on', 'is', null).execute();
            const views = await Promise.all(homes.map((x) => listHouseholdLinks(h.db, sw04, x.household_id).catch(() => null)));
            expect(views.some((v) => v?.members.flatMap((x) => x.links).some((x) => x.id === l.id && !x.other.inScope))).toBe(true);
          }
        }
      }
    }
    expect(hidden).toBeGreaterThanOrEqual(1);
    expect(named).toBeGreaterThanOrEqual(4);
  });
});
