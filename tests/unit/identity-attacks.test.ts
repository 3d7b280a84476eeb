/**
 * Issue 9 §2: a 社工 of another team, or the 實物銀行 clerk, tries to recover a person's full national
 * ID (or pull the person into their own scope) through the duplicate check, the search box and
 * households.moveMember. Each attack is run as an attacker would run it, counting tries and reading
 * every answer for anything about the person. Run twice: straight at the dispatcher, and through the
 * center server over TLS (issue 10: the server must close every attack the previous issue closed).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeNationalId, maskNationalId, nationalIdCheckDigit } from '../../main/contract/national-id';
import { ID_LOOKUPS_PER_DAY, ID_LOOKUPS_PER_HOUR } from '../../main/services/households/id-lookups';
import { overServer } from '../helpers/fronts';
import { auditRows, createCenter, errorOf, household, insertCase, type Center } from './households-fixture';

const TARGET_ID = makeNationalId('B', '2', '2345678');
const MASK = maskNationalId(TARGET_ID); // B22****78x

/** Every checksum-valid ID that fits the mask: what an attacker holding the masked form must try. */
function candidatesFor(mask: string): string[] {
  const head = mask.slice(0, 3);
  const tail = mask.slice(-3);
  const out: string[] = [];
  for (let n = 0; n < 10_000; n++) {
    const first9 = `${head}${String(n).padStart(4, '0')}${tail.slice(0, 2)}`;
    const id = `${first9}${nationalIdCheckDigit(first9)}`;
    if (id.endsWith(tail)) out.push(id);
  }
  return out;
}

describe.each(['dispatcher', 'center server'])('issue 9 §2: recovering a team-1 person\'s national ID from another team, through the %s', (via) => {
  let c: Center;
  let target: { personId: number; householdId: number };
  beforeEach(async () => {
    c = await createCenter();
    if (via === 'center server') await overServer(c.t);
    const hh = await household(c, c.w1.token, { name: '黃淑芬', nationalId: TARGET_ID, birthDate: '1970-01-01' });
    await insertCase(c, hh.id, c.w1.id, c.team1);
    target = { personId: hh.members[0]?.personId as number, householdId: hh.id };
  });
  afterEach(async () => {
    await c.t.close();
  });

  /** Anything in an answer that tells the attacker more than "a record exists with team 1". */
  const leaks = (answer: unknown): string[] => {
    const s = JSON.stringify(answer);
    const found: string[] = [];
    if (s.includes(TARGET_ID)) found.push('full ID');
    if (s.includes('黃淑芬')) found.push('name');
    if (s.includes('1970-01-01') || s.includes('59/01/01')) found.push('birth date');
    if (s.includes(MASK)) found.push('masked ID');
    if (new RegExp(`"(personId|existingPersonId)":${target.personId}\\b`).test(s)) found.push('person id');
    return found;
  };

  it('the duplicate check by name and birth date says nothing about a person out of scope', async () => {
    const answer = await c.t.call('persons.checkDuplicates', { name: '黃淑芬', birthDate: '1970-01-01' }, c.w3.token);
    expect(leaks(answer)).toEqual([]);
    expect(answer.sameNameBirth).toEqual([]);
  });

  it('walking the ~1,000 IDs that fit the mask through the duplicate check is stopped and finds nothing', async () => {
    const candidates = candidatesFor(MASK);
    expect(candidates).toContain(TARGET_ID);
    let tries = 0;
    let refused = 0;
    let foundAt: number | null = null;
    const leaked = new Set<string>();
    for (const id of candidates) {
      const env = await c.t.raw('persons.checkDuplicates', { name: '某某某', nationalId: id }, c.w3.token);
      tries++;
      if (!env.ok) {
        refused++;
        for (const l of leaks(env.error)) leaked.add(l);
        continue;
      }
      for (const l of leaks(env.value)) leaked.add(l);
      if ((env.value as { sameId: unknown }).sameId !== null && foundAt === null) foundAt = tries;
    }
    console.info(`[attack checkDuplicates] ${candidates.length} candidates, ${tries} tries, ${tries - refused} answered, ${refused} refused, hit at ${foundAt ?? 'never'}, leaked: ${[...leaked].join(', ') || 'nothing'}`);
    expect([...leaked]).toEqual([]);
    expect(tries - refused).toBe(ID_LOOKUPS_PER_HOUR);
    expect(foundAt).toBeNull(); // the target sorts after the first allowed tries
    // Every answered lookup is audited, and the log holds no ID in any form.
    const audit = (await auditRows(c)).filter((r) => r.entity === 'national_id_lookup' && r.actor_id === c.w3.id);
    expect(audit.filter((r) => r.action === 'view').length).toBe(ID_LOOKUPS_PER_HOUR);
    expect(audit.filter((r) => r.action === 'denied').length).toBe(refused);
    expect(JSON.parse(audit[0]?.detail ?? '{}')).toMatchObject({ via: 'checkDuplicates', found: 'none', idHash: expect.stringMatching(/^[a-p]{24}$/) });
    const all = (await auditRows(c)).map((r) => `${r.actor_name} ${r.entity_id ?? ''} ${r.detail ?? ''}`).join('\n');
    expect(all).not.toMatch(/[A-Z][12]\d{8}/);
    // An hour later the worker may look up IDs again (intake goes on), still counted.
    c.t.clock.advanceMinutes(61);
    expect((await c.t.raw('persons.checkDuplicates', { name: '某某某', nationalId: candidates[500] as string }, c.w3.token)).ok).toBe(true);
  });

  it('a lucky exact guess learns only that the record exists and whom to ask', async () => {
    const answer = await c.t.call('persons.checkDuplicates', { name: '某某某', nationalId: TARGET_ID }, c.w3.token);
    expect(leaks(answer)).toEqual([]);
    expect(answer.sameId).toEqual({ visible: false, responsibleTeam: '第一組' });
    const refused = errorOf(await c.t.raw('persons.create', { name: '某某某', nationalId: TARGET_ID }, c.w3.token));
    expect(refused.code).toBe('RULE');
    expect(refused.message).toContain('第一組');
    expect(leaks(refused)).toEqual([]);
  });

  it('the clerk cannot walk a masked ID to the full one by 4-character prefixes, nor guess it whole', async () => {
    let searches = 0;
    let known = MASK.slice(0, 3);
    for (let pos = 3; pos < 7; pos++) {
      let next: string | null = null;
      for (let d = 0; d <= 9 && next === null; d++) {
        const q = `${known}${d}`;
        if (q.length < 4) continue;
        searches++;
        const hits = (await c.t.call('search.query', { q }, c.clerk.token)).hits;
        if (hits.some((h) => h.members.some((m) => m.personId === target.personId))) next = q;
      }
      if (next === null) break;
      known = next;
    }
    console.info(`[attack search prefix, clerk] ${searches} searches, recovered ${known.length - 3} of 4 hidden digits (${known.length === 7 ? 'full ID' : 'nothing'})`);
    expect(known).toBe(MASK.slice(0, 3));
    // The whole ID, guessed: rate limited like the duplicate check.
    let answered = 0;
    let found = false;
    for (const id of candidatesFor(MASK)) {
      const env = await c.t.raw('search.query', { q: id }, c.clerk.token);
      if (!env.ok) continue;
      answered++;
      if ((env.value as { hits: unknown[] }).hits.length > 0) found = true;
    }
    console.info(`[attack search full ID, clerk] answered ${answered}, found ${found}`);
    expect(answered).toBe(ID_LOOKUPS_PER_HOUR);
    expect(found).toBe(false);
  });

  it('a 社工 of team 2 finds nothing by prefix or full ID of a team-1 person', async () => {
    for (const q of [MASK.slice(0, 3) + '2', TARGET_ID]) {
      expect((await c.t.call('search.query', { q }, c.w3.token)).hits).toEqual([]);
    }
  });

  it('households.moveMember with the right ID does not pull the person into team 2', async () => {
    const mine = await household(c, c.w3.token, { name: '吳建宏' });
    let tries = 0;
    let pulled: number | null = null;
    for (let personId = 1; personId <= 20; personId++) {
      tries++;
      const env = await c.t.raw(
        'households.moveMember',
        { personId, toHouseholdId: mine.id, relation: '配偶', movedOn: '2026-03-01', reason: '遷入', knownIdentity: { nationalId: TARGET_ID } },
        c.w3.token,
      );
      if (env.ok) {
        pulled = personId;
        break;
      }
    }
    const view = await c.t.raw('persons.get', { id: target.personId }, c.w3.token);
    console.info(`[attack moveMember] ${tries} tries, pulled person ${pulled ?? 'none'}, team 2 can now open the person: ${view.ok}`);
    expect(pulled).toBeNull();
    expect(view.ok).toBe(false);
    const stillThere = await c.t.call('households.get', { id: target.householdId }, c.w1.token);
    expect(stillThere.members.map((m) => m.personId)).toContain(target.personId);
    // addMember and a new household with the person as 戶長 are the same door.
    expect(errorOf(await c.t.raw('households.addMember', { householdId: mine.id, personId: target.personId, relation: '配偶', joinedOn: '2026-03-01' }, c.w3.token)).code).toBe('NOT_FOUND');
  });

  it('intake is not slowed by re-checking one ID, and a day allows ID_LOOKUPS_PER_DAY distinct IDs', async () => {
    const ids = candidatesFor(MASK).filter((id) => id !== TARGET_ID);
    // The screen re-checks the same ID as the name and birth date are typed: that costs nothing.
    for (let i = 0; i < 3 * ID_LOOKUPS_PER_HOUR; i++) {
      expect((await c.t.raw('persons.checkDuplicates', { name: `某${i}`, nationalId: ids[0] as string }, c.w3.token)).ok).toBe(true);
    }
    let next = 1;
    const hours = Math.ceil(ID_LOOKUPS_PER_DAY / ID_LOOKUPS_PER_HOUR);
    for (let h = 0; h < hours; h++) {
      while (next < Math.min((h + 1) * ID_LOOKUPS_PER_HOUR, ID_LOOKUPS_PER_DAY)) {
        const env = await c.t.raw('persons.checkDuplicates', { name: '某某某', nationalId: ids[next] as string }, c.w3.token);
        expect(env.ok, `lookup ${next + 1}`).toBe(true);
        next++;
      }
      c.t.clock.advanceMinutes(61);
    }
    const refused = errorOf(await c.t.raw('persons.checkDuplicates', { name: '某某某', nationalId: ids[next] as string }, c.w3.token));
    expect(refused.code).toBe('RULE');
    expect(refused.message).toContain('一天內');
    expect(refused.fields?.nationalId).toBeDefined();
    // Registering a person by ID is the same lookup and meets the same limit.
    expect(errorOf(await c.t.raw('persons.create', { name: '某某某', nationalId: ids[next + 1] as string }, c.w3.token)).message).toContain('一天內');
    // Another worker is not affected, and once the day's lookups are over 24 hours old the worker may go on
    // (the rows are aged instead of the clock, which would outlive the session).
    expect((await c.t.raw('persons.checkDuplicates', { name: '某某某', nationalId: ids[next] as string }, c.w1.token)).ok).toBe(true);
    await c.t.app.ctx.db.updateTable('id_lookups').set({ at: new Date(c.t.clock.now.getTime() - 25 * 3_600_000).toISOString() }).where('user_id', '=', c.w3.id).execute();
    const later = await c.t.raw('persons.checkDuplicates', { name: '某某某', nationalId: ids[next] as string }, c.w3.token);
    expect(later.ok, JSON.stringify(later)).toBe(true);
  });
});
