/**
 * Demo linked families (issue 14 §5): a few relations between persons of different households, made
 * by the first worker (sw01) among households in their own scope, and one to a household of another
 * team, which sw01 sees only as 另一戶（非本人轄區）. Everything fictional. Runs after the cases seeder
 * (scope follows the cases' lead workers).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import type { LinkRelation } from '../contract/types-links';
import { householdVisible, scopeOf } from '../services/access/scope';
import type { Actor } from '../services/context';
import { storedLink } from '../services/links/service';
import type { DemoContext } from './index';

async function actorOf(db: Kysely<Database>, userId: number): Promise<Actor> {
  const u = await db.selectFrom('users').select(['id', 'username', 'display_name', 'role', 'team_id']).where('id', '=', userId).executeTakeFirstOrThrow();
  return { userId: u.id, username: u.username, displayName: u.display_name, role: u.role as Actor['role'], teamId: u.team_id };
}

async function visibleIds(db: Kysely<Database>, userId: number): Promise<number[]> {
  const scope = await scopeOf(db, await actorOf(db, userId));
  return (await db.selectFrom('households').select('id').where(householdVisible(scope)).orderBy('id').execute()).map((r) => r.id);
}

/** Households among `ids` with at least two current members, in id order, with those members. */
async function withMembers(db: Kysely<Database>, ids: number[], limit: number): Promise<{ id: number; persons: number[] }[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('household_members').select(['household_id', 'person_id']).where('household_id', 'in', ids.slice(0, 60)).where('left_on', 'is', null).orderBy('household_id').orderBy('id').execute();
  const out = new Map<number, number[]>();
  for (const r of rows) out.set(r.household_id, [...(out.get(r.household_id) ?? []), r.person_id]);
  return [...out.entries()].filter(([, p]) => p.length >= 2).slice(0, limit).map(([id, persons]) => ({ id, persons }));
}

export async function seedLinks(ctx: DemoContext): Promise<void> {
  const { db, staff, now } = ctx;
  const sw01 = staff.workers[0];
  if (sw01 === undefined) return;
  const own = await visibleIds(db, sw01);
  const mine = await withMembers(db, own, 4);
  // A household of another team's worker that sw01 does not see.
  const otherTeam = [...staff.teams.values()].find((ws) => !ws.includes(sw01))?.[0];
  const seen = new Set(own);
  const candidates = otherTeam === undefined ? [] : await withMembers(db, (await visibleIds(db, otherTeam)).filter((id) => !seen.has(id)), 20);
  // Its head must live in no household sw01 sees (a person may live in two).
  const others: { id: number; persons: number[] }[] = [];
  for (const c of candidates) {
    const homes = await db.selectFrom('household_members').select('household_id').where('person_id', '=', c.persons[0] as number).where('left_on', 'is', null).execute();
    if (homes.every((r) => !seen.has(r.household_id))) {
      others.push(c);
      break;
    }
  }
  const [h1, h2, h3, h4] = mine;
  if (!h1 || !h2 || !h3) return;
  const first = (h: { persons: number[] }) => h.persons[0] as number;
  const links: { member: number; other: number; relation: LinkRelation; note: string | null; daysAgo: number }[] = [
    { member: first(h1), other: first(h2), relation: '父母', note: '每週探視一次', daysAgo: 60 },
    { member: first(h3), other: first(h2), relation: '手足', note: null, daysAgo: 45 },
  ];
  if (h4) links.push({ member: first(h4), other: first(h1), relation: '照顧者', note: '平日接送孫子女上下學', daysAgo: 30 });
  const x = others[0];
  if (x) links.push({ member: h1.persons[1] ?? first(h1), other: first(x), relation: '祖父母', note: null, daysAgo: 20 });
  await db.transaction().execute(async (trx) => {
    for (const l of links) {
      if (l.member === l.other) continue;
      const s = storedLink(l.member, l.other, l.relation);
      const ts = new Date(now.getTime() - l.daysAgo * 86_400_000).toISOString();
      await trx
        .insertInto('person_links')
        .values({ person_a: s.personA, person_b: s.personB, relation: s.relation, note: l.note, created_at: ts, created_by: sw01, updated_at: ts, updated_by: sw01, version: 1 })
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  });
}
