/**
 * Issue 9 §6: what a person types in a search box. `%` and `_` are LIKE's wildcards and matched
 * everything; a zero-width space (pasted from a chat or a web page) broke a name search. Every
 * search box (households, caseload worklists, food-bank donors) is tried with both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeLike } from '../../db/like';
import { createCenter, household, insertCase, type Center } from './households-fixture';

const ZWSP = '\u200B';

describe('search boxes take wildcards literally and ignore invisible characters', () => {
  let c: Center;
  beforeAll(async () => {
    c = await createCenter();
    const chen = await household(c, c.w1.token, { name: '陳志明' }, { street: '中山路100號' });
    const lin = await household(c, c.w1.token, { name: '林美玲' }, { street: '民族路5號' });
    await insertCase(c, chen.id, c.w1.id, c.team1);
    await insertCase(c, lin.id, c.w1.id, c.team1);
    await c.t.call('foodbank.saveDonor', { kind: 'company', name: '好鄰居超市', contact: null, phone: null, address: null }, c.clerk.token);
    await c.t.call('foodbank.saveDonor', { kind: 'person', name: '王大同', contact: null, phone: null, address: null }, c.clerk.token);
  });
  afterAll(async () => {
    await c.t.close();
  });

  const households = async (q: string) => (await c.t.call('search.query', { q }, c.w1.token)).hits.map((h) => h.headName);
  const caseload = async (search: string) => (await c.t.call('worklists.myCaseload', { search }, c.w1.token)).rows.map((r) => r.headName ?? r.caseNo);
  const donors = async (q: string) => (await c.t.call('foodbank.donors', { q }, c.clerk.token)).map((d) => d.name);

  it.each(['%', '%%', '_', '__', '%_', '\\', '陳%', '%明'])('"%s" matches nothing anywhere', async (q) => {
    expect(await households(q)).toEqual([]);
    expect(await caseload(q)).toEqual([]);
    expect(await donors(q)).toEqual([]);
  });

  it('the same boxes still find what was typed', async () => {
    expect(await households('志明')).toEqual(['陳志明']);
    expect(await caseload('志明')).toEqual(['陳志明']);
    expect(await caseload('陳')).toEqual(['陳志明']);
    expect(await donors('鄰居')).toEqual(['好鄰居超市']);
  });

  it('a zero-width space, full-width letters or extra spaces do not break a search', async () => {
    expect(await households(`陳${ZWSP}志明`)).toEqual(['陳志明']);
    expect(await households(`${ZWSP}林美玲\u3000`)).toEqual(['林美玲']);
    expect(await households(`民族${ZWSP}路`)).toEqual(['林美玲']);
    expect(await caseload(`志${ZWSP}明`)).toEqual(['陳志明']);
    expect(await donors(`好鄰${ZWSP}居`)).toEqual(['好鄰居超市']);
  });

  it('escapeLike makes every character match itself', () => {
    expect(escapeLike('a%b_c\\d')).toBe('a\\%b\\_c\\\\d');
    expect(escapeLike('陳志明')).toBe('陳志明');
  });
});
