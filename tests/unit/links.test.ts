/**
 * Issue 14 §5: linked families, through the real dispatcher with real sessions, on SQLite and (in the
 * PostgreSQL run) PostgreSQL. Who sees what of a linked household (a name and household when it is in
 * the caller's scope, otherwise only 另一戶（非本人轄區） and the relation: the JSON holds nothing else of
 * it), the inverse relation from the other side, the refusals (self-link, a person out of scope, same
 * household, duplicates, an older version), a lookup by 身分證字號 (a miss is an answer and stays counted),
 * and the ecomap's nodes and edges from referrals, aid, programmes and links.
 */
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/schema';
import { makeNationalId } from '../../main/contract/national-id';
import { OUT_OF_SCOPE_LABEL, type EcomapView, type HouseholdLinksView } from '../../main/contract/types-links';
import { createTestApp, type TestApp } from '../helpers/app';

const TS = '2026-01-01T00:00:00.000Z';
const ID_C1 = makeNationalId('M', '1', '2345670');
const ID_A1 = makeNationalId('M', '2', '7654321');
const ID_NOBODY = makeNationalId('M', '1', '1111112');

let t: TestApp;
let db: Kysely<Database>;
let adminToken: string;
const u = {} as Record<'w1' | 'w2' | 'clerk', { id: number; token: string }>;
const hh: Record<string, number> = {};
const ps: Record<string, number> = {};

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    return (e as { body?: { code: string } }).body?.code ?? String(e);
  }
}

beforeAll(async () => {
  t = await createTestApp();
  db = t.app.database.db;
  adminToken = await t.setupAdmin();
  const team = async (name: string) => (await db.insertInto('teams').values({ name, supervisor_id: null, created_at: TS }).returning('id').executeTakeFirstOrThrow()).id;
  const t1 = await team('第一組');
  const t2 = await team('第二組');
  u.w1 = await t.createUser(adminToken, 'lw1', 'worker', t1);
  u.w2 = await t.createUser(adminToken, 'lw2', 'worker', t2);
  u.clerk = await t.createUser(adminToken, 'lclerk', 'foodbank', null);
  // Scope through "households they created themselves" (services/access/scope.ts).
  const household = async (key: string, owner: number) => {
    hh[key] = (
      await db
        .insertInto('households')
        .values({ county_code: null, town_code: null, village_code: null, neighborhood: null, street: `${key}秘密路${key.length}號`, household_type: '雙親', phone: null, notes: null, created_at: TS, created_by: owner, updated_at: TS, updated_by: owner, version: 1 })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  };
  await household('HA', u.w1.id);
  await household('HB', u.w1.id);
  await household('HC', u.w2.id);
  const person = async (key: string, name: string, sex: 'M' | 'F', householdKey: string, relation: string, nationalId: string | null = null) => {
    ps[key] = (
      await db
        .insertInto('persons')
        .values({ name, national_id: nationalId, birth_date: '1980-01-01', sex, phone: null, disability_level: null, income_status: null, notes: null, created_at: TS, created_by: null, updated_at: TS, updated_by: null, version: 1 })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    await db.insertInto('household_members').values({ household_id: hh[householdKey] as number, person_id: ps[key], relation, joined_on: '2020-01-01', left_on: null, left_reason: null, created_at: TS, created_by: null }).execute();
  };
  await person('a1', '林雅婷', 'F', 'HA', '戶長', ID_A1);
  await person('a2', '林小宇', 'M', 'HA', '子女');
  await person('b1', '林正雄', 'M', 'HB', '戶長');
  await person('c1', '隱藏外公', 'M', 'HC', '戶長', ID_C1);
  await person('c2', '隱藏外婆', 'F', 'HC', '配偶');
});

afterAll(async () => {
  await t?.close();
});

describe('links across households', () => {
  let linkAB = 0;
  let linkAC = 0;

  it('links a member to a person of another household in scope; both sides see it, the other with the inverse relation', async () => {
    const r = await t.call('links.create', { personId: ps.a1 as number, target: { personId: ps.b1 as number }, relation: '父母', note: '住在隔壁村' }, u.w1.token);
    expect(r.created?.relation).toBe('父母');
    expect(r.created?.other).toEqual({ inScope: true, personId: ps.b1, name: '林正雄', sex: 'M', householdId: hh.HB, householdLabel: '林正雄戶・HB秘密路2號' });
    linkAB = r.created?.id ?? 0;

    const a = await t.call('links.list', { householdId: hh.HA as number }, u.w1.token);
    const a1 = a.members.find((m) => m.personId === ps.a1);
    expect(a1?.links.map((l) => [l.relation, l.other.inScope && l.other.name, l.note])).toEqual([['父母', '林正雄', '住在隔壁村']]);
    expect(a.members.find((m) => m.personId === ps.a2)?.links).toEqual([]);

    const b = await t.call('links.list', { householdId: hh.HB as number }, u.w1.token);
    // b1 is a1's 父母, so a1 is b1's 子女.
    expect(b.members[0]?.links.map((l) => [l.relation, l.other.inScope && l.other.name])).toEqual([['子女', '林雅婷']]);
  });

  it('a link to a household of another team shows only 另一戶（非本人轄區）, the relation and the sex', async () => {
    const before = Number((await db.selectFrom('id_lookups').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const r = await t.call('links.create', { personId: ps.a2 as number, target: { nationalId: ID_C1 }, relation: '祖父母', note: null }, u.w1.token);
    linkAC = r.created?.id ?? 0;
    expect(r.created?.other).toEqual({ inScope: false, label: OUT_OF_SCOPE_LABEL, sex: 'M' });
    const after = Number((await db.selectFrom('id_lookups').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect(after).toBe(before + 1);

    const list: HouseholdLinksView = await t.call('links.list', { householdId: hh.HA as number }, u.w1.token);
    const link = list.members.find((m) => m.personId === ps.a2)?.links[0];
    expect(link?.relation).toBe('祖父母');
    expect(link?.other).toEqual({ inScope: false, label: '另一戶（非本人轄區）', sex: 'M' });
    expect(Object.keys(link?.other ?? {}).sort()).toEqual(['inScope', 'label', 'sex']);
    const json = JSON.stringify(list);
    for (const secret of ['隱藏外公', '隱藏外婆', 'HC秘密路', ID_C1, `"personId":${ps.c1}`, `"householdId":${hh.HC}`]) expect(json).not.toContain(secret);

    // The other team's worker sees the link from c1's side, inverse, with a1's household out of their scope.
    const c = await t.call('links.list', { householdId: hh.HC as number }, u.w2.token);
    const cl = c.members.find((m) => m.personId === ps.c1)?.links ?? [];
    expect(cl.map((l) => [l.relation, l.other])).toEqual([['孫子女', { inScope: false, label: OUT_OF_SCOPE_LABEL, sex: 'M' }]]);
    expect(JSON.stringify(c)).not.toContain('林小宇');

    // The administrator sees both sides by name.
    const asAdmin = await t.call('links.list', { householdId: hh.HA as number }, adminToken);
    expect(asAdmin.members.find((m) => m.personId === ps.a2)?.links[0]?.other).toMatchObject({ inScope: true, name: '隱藏外公', householdId: hh.HC });

    // The audit log keeps the lookup's keyed hash and the link, never the ID.
    const audit = await db.selectFrom('audit_log').select(['entity', 'detail']).where('entity', 'in', ['person_link', 'national_id_lookup']).execute();
    expect(audit.some((r) => r.entity === 'person_link')).toBe(true);
    expect(audit.some((r) => r.entity === 'national_id_lookup' && (r.detail ?? '').includes('"via":"links.create"'))).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(ID_C1);
  });

  it('an ID nobody has is an answer, not an error, and its lookup stays counted', async () => {
    const before = Number((await db.selectFrom('id_lookups').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const r = await t.call('links.create', { personId: ps.a1 as number, target: { nationalId: ID_NOBODY }, relation: '手足' }, u.w1.token);
    expect(r).toEqual({ created: null, nationalIdNotFound: true });
    const after = Number((await db.selectFrom('id_lookups').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect(after).toBe(before + 1);
  });

  it('refuses a self-link, a person out of scope, the same household, a duplicate, other roles and an older version', async () => {
    expect(await code(t.call('links.create', { personId: ps.a1 as number, target: { personId: ps.a1 as number }, relation: '手足' }, u.w1.token))).toBe('VALIDATION');
    expect(await code(t.call('links.create', { personId: ps.a1 as number, target: { nationalId: ID_A1 }, relation: '手足' }, u.w1.token))).toBe('VALIDATION');
    // c2's household is another team's: not by person id.
    expect(await code(t.call('links.create', { personId: ps.a1 as number, target: { personId: ps.c2 as number }, relation: '手足' }, u.w1.token))).toBe('NOT_FOUND');
    // A member of a household out of scope cannot be the one linked from.
    expect(await code(t.call('links.create', { personId: ps.a1 as number, target: { personId: ps.c1 as number }, relation: '手足' }, u.w2.token))).toBe('NOT_FOUND');
    expect(await code(t.call('links.create', { personId: ps.a1 as number, target: { personId: ps.a2 as number }, relation: '子女' }, u.w1.token))).toBe('RULE');
    // The same relation, given from the other side (a1 is b1's 子女 = b1 is a1's 父母).
    expect(await code(t.call('links.create', { personId: ps.b1 as number, target: { personId: ps.a1 as number }, relation: '子女' }, u.w1.token))).toBe('RULE');
    expect(await code(t.call('links.list', { householdId: hh.HA as number }, u.clerk.token))).toBe('FORBIDDEN');
    expect(await code(t.call('links.list', { householdId: hh.HA as number }, u.w2.token))).toBe('NOT_FOUND');
    expect(await code(t.call('links.update', { id: linkAC, version: 1, fromPersonId: ps.c1 as number, relation: '其他親屬' }, u.w1.token))).toBe('NOT_FOUND');
    // The database refuses a self-link and a relation outside the list on its own too.
    const row = { note: null, created_at: TS, created_by: null, updated_at: TS, updated_by: null, version: 1 };
    await expect(db.insertInto('person_links').values({ person_a: ps.a1 as number, person_b: ps.a1 as number, relation: '手足', ...row }).execute()).rejects.toThrow();
    await expect(db.insertInto('person_links').values({ person_a: ps.a1 as number, person_b: ps.b1 as number, relation: '子女', ...row }).execute()).rejects.toThrow();
  });

  it('updates the relation from either side and ends a link', async () => {
    const v = await t.call('links.update', { id: linkAB, version: 1, fromPersonId: ps.b1 as number, relation: '受照顧者' }, u.w1.token);
    expect(v.relation).toBe('受照顧者');
    const a = await t.call('links.list', { householdId: hh.HA as number }, u.w1.token);
    expect(a.members.find((m) => m.personId === ps.a1)?.links[0]?.relation).toBe('照顧者');
    expect(await code(t.call('links.update', { id: linkAB, version: 1, fromPersonId: ps.a1 as number, relation: '手足' }, u.w1.token))).toBe('CONFLICT');
    expect(await code(t.call('links.end', { id: linkAB, version: 2, endedOn: '2026-12-31', reason: '關係已結束' }, u.w1.token))).toBe('VALIDATION');
    await t.call('links.end', { id: linkAB, version: 2, endedOn: '2026-03-01', reason: '資料誤植' }, u.w1.token);
    const after = await t.call('links.list', { householdId: hh.HA as number }, u.w1.token);
    expect(after.members.find((m) => m.personId === ps.a1)?.links).toEqual([]);
    // Ended, the same relation may be recorded again.
    const again = await t.call('links.create', { personId: ps.a1 as number, target: { personId: ps.b1 as number }, relation: '父母' }, u.w1.token);
    expect(again.created?.other).toMatchObject({ inScope: true, name: '林正雄' });
  });
});

describe('ecomap', () => {
  it('draws referrals by status, aid, programmes and linked households, in scope', async () => {
    const stamp = { created_at: TS, created_by: u.w1.id, updated_at: TS, updated_by: u.w1.id, version: 1 };
    const referral = (unit: string, status: string, on: string) =>
      db.insertInto('referrals').values({ household_id: hh.HA as number, case_id: null, service_id: null, unit_kind: '衛政', unit_name: unit, reason: '需要', status, referred_on: on, ...stamp }).execute();
    await referral('南投醫院', '轉介等待中', '2026-01-05');
    await referral('南投醫院', '受案', '2026-02-10');
    await referral('心理衛生中心', '轉介等待中', '2026-02-01');
    await referral('就業服務站', '不受案', '2026-02-03');
    await db
      .insertInto('external_aid')
      .values([
        { household_id: hh.HA as number, person_id: null, source_kind: '慈善團體', source_name: '南投慈善會', kind: '現金', amount: 3000, items: null, received_on: '2026-02-01', note: null, created_at: TS, created_by: u.w1.id, updated_at: TS, updated_by: u.w1.id, deleted_at: null, deleted_by: null, delete_reason: null },
        { household_id: hh.HA as number, person_id: null, source_kind: '慈善團體', source_name: '南投慈善會', kind: '物資', amount: 2000, items: '米', received_on: '2026-02-20', note: null, created_at: TS, created_by: u.w1.id, updated_at: TS, updated_by: u.w1.id, deleted_at: null, deleted_by: null, delete_reason: null },
        { household_id: hh.HA as number, person_id: null, source_kind: '公所', source_name: '已刪除公所', kind: '現金', amount: 1, items: null, received_on: '2026-02-20', note: null, created_at: TS, created_by: u.w1.id, updated_at: TS, updated_by: u.w1.id, deleted_at: TS, deleted_by: u.w1.id, delete_reason: '誤植' },
      ])
      .execute();
    const programme = (
      await db
        .insertInto('programmes')
        .values({ name: '親子共學團體', programme_type: '親職教育', starts_on: '2026-01-01', ends_on: '2026-06-30', funder: null, partner: null, target_people: null, target_sessions: null, worker_id: null, status: 'active', notes: null, ...stamp })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    await db.insertInto('programme_enrolments').values({ programme_id: programme, person_id: ps.a2 as number, household_id: hh.HA as number, enrolled_on: '2026-01-10', ended_on: null, status: 'enrolled', outcome: null, created_at: TS, created_by: null, updated_at: TS, updated_by: null }).execute();

    const map: EcomapView = await t.call('links.ecomap', { householdId: hh.HA as number }, u.w1.token);
    const edgeTo = (label: string) => {
      const node = map.nodes.find((n) => n.label === label);
      return map.edges.find((e) => e.to === node?.id || e.from === node?.id);
    };
    expect(map.nodes.find((n) => n.kind === 'household')?.label).toBe('林雅婷戶・HA秘密路2號');
    // The latest referral to a unit decides its line.
    expect(edgeTo('南投醫院')).toMatchObject({ style: 'solid', label: '受案（115/02/10，共 2 次）' });
    expect(edgeTo('心理衛生中心')).toMatchObject({ style: 'dashed', label: '轉介等待中（115/02/01）' });
    expect(edgeTo('就業服務站')).toMatchObject({ style: 'broken' });
    expect(map.nodes.find((n) => n.label === '南投慈善會')?.detail).toBe('慈善團體・5,000 元');
    expect(edgeTo('南投慈善會')).toMatchObject({ style: 'solid', label: '現金、物資（115/02/20，共 2 次）' });
    expect(map.nodes.some((n) => n.label === '已刪除公所')).toBe(false);
    expect(edgeTo('親子共學團體')).toMatchObject({ style: 'solid', label: '林小宇參加中' });
    // Linked: HB by name (openable), HC only as the placeholder.
    const linked = map.nodes.filter((n) => n.kind === 'linked');
    expect(linked.map((n) => [n.label, n.householdId ?? null])).toEqual(
      expect.arrayContaining([
        ['林正雄戶・HB秘密路2號', hh.HB],
        [OUT_OF_SCOPE_LABEL, null],
      ]),
    );
    expect(edgeTo(OUT_OF_SCOPE_LABEL)?.label).toBe('林小宇的祖父母');
    const json = JSON.stringify(map);
    for (const secret of ['隱藏外公', 'HC秘密路', `"householdId":${hh.HC}`]) expect(json).not.toContain(secret);

    expect(await code(t.call('links.ecomap', { householdId: hh.HA as number }, u.w2.token))).toBe('NOT_FOUND');
  });
});
