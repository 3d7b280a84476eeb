import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../../main/services/search/service';
import { createCenter, household, insertCase, VILLAGE2, type Center } from './households-fixture';

const NOW = new Date('2026-03-05T02:00:00.000Z');

describe('what a query means', () => {
  it('tells case numbers, IDs, phones and text apart', () => {
    expect(parseQuery('115-123', NOW).caseNos).toEqual(['115-000123']);
    expect(parseQuery('a1234', NOW)).toMatchObject({ idPrefix: 'A1234', text: null });
    expect(parseQuery('A123456789', NOW).idExact).toBe('A123456789');
    expect(parseQuery('A12', NOW)).toMatchObject({ idPrefix: null, idExact: null, text: null });
    expect(parseQuery('0912-345-678', NOW)).toMatchObject({ phone: '0912345678', caseNos: [] });
    const seq = parseQuery('000123', NOW);
    expect(seq.phone).toBe('000123');
    expect(seq.caseNos).toContain('115-000123');
    expect(seq.caseNos).toContain('100-000123');
    expect(parseQuery(' 志明 ', NOW).text).toBe('志明');
    expect(parseQuery('陳', NOW).text).toBe('陳');
    expect(parseQuery('x', NOW).text).toBeNull();
  });
});

describe('search.query', () => {
  let c: Center;
  let chen: Awaited<ReturnType<typeof household>>;
  let lin: Awaited<ReturnType<typeof household>>;
  let other: Awaited<ReturnType<typeof household>>;
  const search = async (token: string, q: string) => (await c.t.call('search.query', { q }, token)).hits;

  beforeAll(async () => {
    c = await createCenter();
    chen = await household(
      c,
      c.w1.token,
      { name: '陳志明', nationalId: 'A123456789', birthDate: '1980-05-01', phone: '0912-345-678' },
      { street: '中山路二段100號', others: [{ person: { name: '陳小華', birthDate: '2012-01-01' }, relation: '子女' }] },
    );
    lin = await household(c, c.w1.token, { name: '林美玲', birthDate: '1975-02-03' }, { street: '民族路8號', village: VILLAGE2, phone: '049-2223333' });
    other = await household(c, c.w3.token, { name: '王志明', nationalId: 'A800000014', phone: '0911-000-111' }, { street: '中山路5號' });
    await insertCase(c, chen.id, c.w1.id, c.team1, '處遇中', '115-000123');
    await insertCase(c, other.id, c.w3.id, c.team2, '評估中', '115-000124');
  });
  afterAll(async () => c.t.close());

  it('finds a name by any two characters, grouped by household, members masked', async () => {
    const hits = await search(c.admin, '志明');
    expect(hits.map((h) => h.householdId).sort()).toEqual([chen.id, other.id].sort());
    const h = hits.find((x) => x.householdId === chen.id);
    expect(h).toMatchObject({ matchedBy: ['name'], headName: '陳志明', cases: [{ caseNo: '115-000123', status: '處遇中' }] });
    expect(h?.members).toEqual([{ personId: chen.members[0]?.personId, name: '陳志明', maskedNationalId: 'A12****789', relation: '戶長', birthDate: '1980-05-01' }]);
    expect(h?.addressText).toBe('南投縣南投市中興里5鄰中山路二段100號');
    expect((await search(c.admin, '陳志明')).map((x) => x.householdId)).toEqual([chen.id]);
    expect(await search(c.admin, '明志陳')).toEqual([]); // all the pieces, but not in that order
    expect((await search(c.admin, '陳')).map((x) => x.householdId)).toEqual([chen.id]); // a surname
  });

  it('finds a national ID exactly or by its start, in any case', async () => {
    expect((await search(c.admin, 'a123456789')).map((x) => [x.householdId, x.matchedBy])).toEqual([[chen.id, ['nationalId']]]);
    expect((await search(c.admin, 'A1234')).map((x) => x.householdId)).toEqual([chen.id]);
    expect((await search(c.admin, 'A8000')).map((x) => x.householdId)).toEqual([other.id]);
  });

  it('finds a phone by its digits, dashes ignored, from the end (4+) or the start (6+), person or household', async () => {
    expect((await search(c.admin, '0912345678')).map((x) => x.householdId)).toEqual([chen.id]);
    expect((await search(c.admin, '5678')).map((x) => x.householdId)).toEqual([chen.id]);
    expect((await search(c.admin, '0912-345')).map((x) => x.householdId)).toEqual([chen.id]);
    expect((await search(c.admin, '2223333')).map((x) => [x.householdId, x.matchedBy])).toEqual([[lin.id, ['phone']]]);
  });

  it('finds an address by street or village name', async () => {
    expect((await search(c.admin, '中山路')).map((x) => x.householdId).sort()).toEqual([chen.id, other.id].sort());
    expect((await search(c.admin, '民族路8')).map((x) => [x.householdId, x.matchedBy])).toEqual([[lin.id, ['address']]]);
    expect((await search(c.admin, '平和里')).map((x) => x.householdId)).toEqual([lin.id]);
  });

  it('finds a case number in full or by its serial part', async () => {
    expect((await search(c.admin, '115-000123')).map((x) => [x.householdId, x.matchedBy])).toEqual([[chen.id, ['caseNo']]]);
    expect((await search(c.admin, '115-123')).map((x) => x.householdId)).toEqual([chen.id]);
    expect((await search(c.admin, '000124')).map((x) => x.householdId)).toEqual([other.id]);
  });

  it('a worker never sees a household they may not: not by name, ID, phone, address or case number', async () => {
    expect((await search(c.w1.token, '志明')).map((x) => x.householdId)).toEqual([chen.id]);
    expect(await search(c.w1.token, 'A8000')).toEqual([]);
    expect(await search(c.w1.token, '0911000111')).toEqual([]);
    expect((await search(c.w1.token, '中山路')).map((x) => x.householdId)).toEqual([chen.id]);
    expect(await search(c.w1.token, '115-000124')).toEqual([]);
    expect(await search(c.w2.token, '陳志明')).toEqual([]); // same team, but not their case
    expect((await search(c.sup1.token, '陳志明')).map((x) => x.householdId)).toEqual([chen.id]); // the team's case
    expect((await search(c.w3.token, '志明')).map((x) => x.householdId)).toEqual([other.id]);
  });

  it('實物銀行 finds households and members, but no case numbers', async () => {
    const hits = await search(c.clerk.token, '志明');
    expect(hits.length).toBe(2);
    expect(hits.every((h) => h.cases.length === 0)).toBe(true);
    expect(await search(c.clerk.token, '115-000123')).toEqual([]);
  });

  it('keeps the index current when a name, phone or street changes', async () => {
    const p = await c.t.call('persons.get', { id: lin.members[0]?.personId as number }, c.w1.token);
    await c.t.call('persons.update', { id: p.id, version: p.version, name: '林雅婷', phone: '0933-111-222' }, c.w1.token);
    expect(await search(c.admin, '美玲')).toEqual([]);
    expect((await search(c.admin, '雅婷')).map((x) => x.householdId)).toEqual([lin.id]);
    expect((await search(c.admin, '1222')).map((x) => x.householdId)).toEqual([lin.id]);
    const hh = await c.t.call('households.get', { id: lin.id }, c.w1.token);
    await c.t.call('households.update', { id: lin.id, version: hh.version, address: { villageCode: VILLAGE2, street: '復興路77號' } }, c.w1.token);
    expect(await search(c.admin, '民族路')).toEqual([]);
    expect((await search(c.admin, '復興路77')).map((x) => x.householdId)).toEqual([lin.id]);
    expect((await search(c.admin, '2223333')).map((x) => x.householdId)).toEqual([lin.id]); // the household phone is still indexed
  });

  it('says how to search when the query is too short', async () => {
    const r = await c.t.call('search.query', { q: 'x' }, c.w1.token);
    expect(r.hits).toEqual([]);
    expect(r.hint).toContain('至少');
  });
});
