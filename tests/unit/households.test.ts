import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditRows, createCenter, domainCounts, errorOf, household, insertCase, person, VILLAGE, VILLAGE2, type Center } from './households-fixture';

describe('persons: national IDs and duplicates', () => {
  let c: Center;
  beforeEach(async () => {
    c = await createCenter();
  });
  afterEach(async () => c.t.close());

  it('a new household with a new 戶長 is one transaction: a refused head leaves no household behind', async () => {
    await person(c, c.w1.token, { name: '陳志明', nationalId: 'A123456789', birthDate: '1980-05-01' });
    const before = await domainCounts(c);
    const err = errorOf(await c.t.raw('households.create', { address: { townCode: '10008010', villageCode: VILLAGE }, head: { newPerson: { name: '陳志民', nationalId: 'A123456789' } } }, c.w1.token));
    expect(err.code).toBe('RULE');
    expect(await domainCounts(c)).toEqual(before);
    const ok = await c.t.call('households.create', { address: { townCode: '10008010', villageCode: VILLAGE }, head: { newPerson: { name: '林美玲', birthDate: '1975-02-03' } } }, c.w1.token);
    const members = await c.t.app.ctx.db.selectFrom('household_members').innerJoin('persons', 'persons.id', 'household_members.person_id').select(['persons.name', 'household_members.relation']).where('household_id', '=', ok.id).execute();
    expect(members).toEqual([{ name: '林美玲', relation: '戶長' }]);
  });

  it('the members list carries the 原住民 and 新住民 flags', async () => {
    const h = await c.t.call('households.create', { address: { townCode: '10008010', villageCode: VILLAGE }, head: { newPerson: { name: '高美華', indigenous: true, newImmigrant: false } } }, c.w1.token);
    const page = await c.t.call('households.page', { id: h.id }, c.w1.token);
    expect(page.members.map((m) => [m.name, m.indigenous, m.newImmigrant])).toEqual([['高美華', true, false]]);
  });

  it('stores the ID normalised and upper case, and lists it masked', async () => {
    const p = await person(c, c.w1.token, { name: '陳志明', nationalId: ' ａ１２３４５６７８９ ', birthDate: '1980-05-01' });
    expect(p.maskedNationalId).toBe('A12****789');
    expect(p.hasNationalId).toBe(true);
    const row = await c.t.app.ctx.db.selectFrom('persons').select('national_id').where('id', '=', p.id).executeTakeFirstOrThrow();
    expect(row.national_id).toBe('A123456789');
    expect(JSON.stringify(p)).not.toContain('A123456789');
  });

  it('refuses an ID with a wrong check digit, with the field message', async () => {
    const err = errorOf(await c.t.raw('persons.create', { name: '王小明', nationalId: 'A123456788' }, c.w1.token));
    expect(err.code).toBe('VALIDATION');
    expect(err.fields?.nationalId).toContain('檢查碼錯誤');
  });

  it('refuses the same ID twice and offers the existing person', async () => {
    const first = await person(c, c.w1.token, { name: '陳志明', nationalId: 'A123456789', birthDate: '1980-05-01' });
    const before = await domainCounts(c);
    const err = errorOf(await c.t.raw('persons.create', { name: '陳志民', nationalId: 'a123456789' }, c.w1.token));
    expect(err.code).toBe('RULE');
    expect(err.details?.existingPersonId).toBe(first.id);
    expect(err.message).toContain('陳志明');
    expect(err.message).toContain('A12****789');
    expect(err.message).not.toContain('A123456789');
    expect(await domainCounts(c)).toEqual(before);
  });

  it('warns about the same name and birth date until the user confirms a different person', async () => {
    const first = await person(c, c.w1.token, { name: '林美玲', birthDate: '1975-02-03' });
    const check = await c.t.call('persons.checkDuplicates', { name: '林美玲', birthDate: '1975-02-03' }, c.w1.token);
    expect(check.sameId).toBeNull();
    expect(check.sameNameBirth.map((x) => x.personId)).toEqual([first.id]);
    const err = errorOf(await c.t.raw('persons.create', { name: '林美玲', birthDate: '1975-02-03' }, c.w1.token));
    expect(err.code).toBe('RULE');
    expect((err.details?.candidates as { personId: number }[])[0]?.personId).toBe(first.id);
    const second = await person(c, c.w1.token, { name: '林美玲', birthDate: '1975-02-03', confirmDuplicate: true });
    expect(second.id).not.toBe(first.id);
    const audit = (await auditRows(c)).filter((r) => r.entity === 'person' && r.action === 'create');
    expect(JSON.parse(audit.at(-1)?.detail ?? '{}')).toMatchObject({ confirmedDuplicate: true });
  });

  it('does not warn when both persons carry different IDs: they are different people', async () => {
    await person(c, c.w1.token, { name: '張家豪', birthDate: '1990-01-01', nationalId: 'A123456789' });
    const p = await person(c, c.w1.token, { name: '張家豪', birthDate: '1990-01-01', nationalId: 'A800000014' });
    expect(p.maskedNationalId).toBe('A80****014');
  });

  it('a duplicate held by another team says only that it exists and which team to ask', async () => {
    const { makeNationalId } = await import('../../main/contract/national-id');
    const id = makeNationalId('B', '2', '2000000');
    const other = await household(c, c.w3.token, { name: '黃淑芬', nationalId: id, birthDate: '1970-01-01' });
    const check = await c.t.call('persons.checkDuplicates', { name: '黃淑芬', birthDate: '1970-01-01', nationalId: id }, c.w1.token);
    expect(check).toEqual({ sameId: { visible: false, responsibleTeam: '第二組' }, sameNameBirth: [] });
    // w1 cannot open the person...
    expect(errorOf(await c.t.raw('persons.get', { id: other.members[0]?.personId as number }, c.w1.token)).code).toBe('NOT_FOUND');
  });

  it('persons.update: patches fields, audits field names only, and keeps national IDs out of the log', async () => {
    const p = await person(c, c.w1.token, { name: '陳志明', nationalId: 'A123456789', birthDate: '1980-05-01', notes: '案主有債務問題' });
    const u = await c.t.call('persons.update', { id: p.id, version: p.version, phone: '0912-345-678', notes: '已協助申請補助' }, c.w1.token);
    expect(u.version).toBe(2);
    expect(u.phone).toBe('0912-345-678');
    expect(u.name).toBe('陳志明');
    const rows = await auditRows(c);
    const upd = rows.filter((r) => r.entity === 'person' && r.action === 'update').at(-1);
    expect(JSON.parse(upd?.detail ?? '{}')).toEqual({ fields: ['phone', 'notes'] });
    const all = rows.map((r) => r.detail ?? '').join('\n');
    expect(all).not.toContain('A123456789');
    expect(all).not.toContain('債務');
    expect(all).not.toContain('補助');
  });

  it('refuses a stale version with who changed it and when (ROC time)', async () => {
    const p = await person(c, c.w1.token, { name: '陳志明', birthDate: '1980-05-01' });
    c.t.clock.advanceMinutes(90);
    await c.t.call('persons.update', { id: p.id, version: p.version, phone: '049-2222333' }, c.w1.token);
    const before = await domainCounts(c);
    const env = await c.t.raw('persons.update', { id: p.id, version: p.version, phone: '049-9999999' }, c.w1.token);
    const err = errorOf(env);
    expect(err.code).toBe('CONFLICT');
    expect(err.message).toContain('sw1姓名');
    // 2026-03-05T03:30Z = 115/03/05 11:30 in Taipei
    expect(err.message).toContain('115/03/05 11:30');
    expect(err.details).toMatchObject({ updatedBy: 'sw1姓名', updatedAt: '2026-03-05T03:30:00.000Z' });
    expect(await domainCounts(c)).toEqual(before);
  });

  it('reveals one full ID on request and audits it as a view of nationalId', async () => {
    const p = await person(c, c.w1.token, { name: '陳志明', nationalId: 'A123456789' });
    const r = await c.t.call('persons.revealId', { personId: p.id }, c.w1.token);
    expect(r.nationalId).toBe('A123456789');
    const last = (await auditRows(c)).at(-1);
    expect(last).toMatchObject({ action: 'view', entity: 'person', entity_id: String(p.id) });
    expect(JSON.parse(last?.detail ?? '{}')).toEqual({ fields: ['nationalId'] });
  });
});

describe('households: address, members and moves', () => {
  let c: Center;
  beforeEach(async () => {
    c = await createCenter();
  });
  afterEach(async () => c.t.close());

  it('creates a household from a village code, filling in town and county names', async () => {
    const hh = await household(c, c.w1.token, { name: '陳志明', birthDate: '1980-05-01' }, { street: '中山路100號' });
    expect(hh.address).toMatchObject({ countyCode: '10008', countyName: '南投縣', townCode: '10008010', townName: '南投市', villageCode: VILLAGE, villageName: '中興里' });
    expect(hh.address.text).toBe('南投縣南投市中興里5鄰中山路100號');
    expect(hh.members.map((m) => m.relation)).toEqual(['戶長']);
    const divisions = await c.t.call('divisions.list', { parentCode: '10008010' }, c.w1.token);
    expect(divisions.length).toBeGreaterThan(20);
    expect(await c.t.call('divisions.list', {}, c.w1.token)).toEqual([{ code: '10008', level: 'county', name: '南投縣', parentCode: null }]);
  });

  it('refuses a village that is not in the chosen town', async () => {
    const err = errorOf(await c.t.raw('households.create', { address: { townCode: '10008020', villageCode: VILLAGE } }, c.w1.token));
    expect(err.code).toBe('VALIDATION');
  });

  it('allows one 戶長 at a time, and one current household per person', async () => {
    const a = await household(c, c.w1.token, { name: '陳志明' });
    const b = await household(c, c.w1.token, { name: '林美玲' });
    const kid = await person(c, c.w1.token, { name: '陳小明', birthDate: '2015-01-01' });
    const head2 = errorOf(await c.t.raw('households.addMember', { householdId: a.id, personId: kid.id, relation: '戶長', joinedOn: '2025-02-01' }, c.w1.token));
    expect(head2.code).toBe('RULE');
    expect(head2.message).toContain('陳志明');
    await c.t.call('households.addMember', { householdId: a.id, personId: kid.id, relation: '子女', joinedOn: '2025-02-01' }, c.w1.token);
    const twice = errorOf(await c.t.raw('households.addMember', { householdId: b.id, personId: kid.id, relation: '子女', joinedOn: '2025-02-01' }, c.w1.token));
    expect(twice.code).toBe('RULE');
    expect(twice.details?.currentHouseholdId).toBe(a.id);
  });

  it('moves a person to another household and keeps the history on both', async () => {
    const a = await household(c, c.w1.token, { name: '陳志明' }, { others: [{ person: { name: '陳小華', birthDate: '2010-01-01' }, relation: '子女' }] });
    const b = await household(c, c.w1.token, { name: '林春嬌', birthDate: '1950-01-01' }, { village: VILLAGE2, street: '民族路3號' });
    const kid = a.members.find((m) => m.name === '陳小華');
    const moved = await c.t.call('households.moveMember', { personId: kid?.personId as number, toHouseholdId: b.id, relation: '孫子女', movedOn: '2026-02-01', reason: '父親入監，改由祖母照顧' }, c.w1.token);
    expect(moved.members.map((m) => m.name)).toEqual(['林春嬌', '陳小華']);
    const pageA = await c.t.call('households.page', { id: a.id }, c.w1.token);
    expect(pageA.household.members.map((m) => m.name)).toEqual(['陳志明']);
    const past = pageA.members.find((m) => m.name === '陳小華');
    expect(past).toMatchObject({ leftOn: '2026-02-01', leftReason: '父親入監，改由祖母照顧', joinedOn: '2025-01-01' });
    const p = await c.t.call('persons.get', { id: kid?.personId as number }, c.w1.token);
    expect(p.currentHousehold).toMatchObject({ householdId: b.id, relation: '孫子女', joinedOn: '2026-02-01' });
    expect(p.memberships.map((m) => [m.householdId, m.leftOn])).toEqual([[b.id, null], [a.id, '2026-02-01']]);
    // The database itself refuses two current memberships.
    await expect(
      c.t.app.ctx.db.insertInto('household_members').values({ household_id: a.id, person_id: kid?.personId as number, relation: '子女', joined_on: '2026-03-01', left_on: null, left_reason: null, created_at: 'x', created_by: null }).execute(),
    ).rejects.toThrow(/UNIQUE|duplicate key/); // SQLite's wording, PostgreSQL's
  });

  it('refuses a move dated before the person joined the old household', async () => {
    const a = await household(c, c.w1.token, { name: '陳志明' });
    const b = await household(c, c.w1.token, { name: '林春嬌' });
    const err = errorOf(await c.t.raw('households.moveMember', { personId: a.members[0]?.personId as number, toHouseholdId: b.id, relation: '配偶', movedOn: '2024-01-01', reason: '結婚' }, c.w1.token));
    expect(err.code).toBe('VALIDATION');
    expect(err.message).toContain('114/01/01');
  });

  it('ends a membership (死亡) and keeps it as past', async () => {
    const a = await household(c, c.w1.token, { name: '陳志明' }, { others: [{ person: { name: '陳阿公', birthDate: '1930-01-01' }, relation: '父母' }] });
    const m = a.members.find((x) => x.name === '陳阿公');
    const after = await c.t.call('households.endMembership', { membershipId: m?.membershipId as number, leftOn: '2026-03-01', reason: '死亡' }, c.w1.token);
    expect(after.members.map((x) => x.name)).toEqual(['陳志明']);
    const again = errorOf(await c.t.raw('households.endMembership', { membershipId: m?.membershipId as number, leftOn: '2026-03-02', reason: '死亡' }, c.w1.token));
    expect(again.code).toBe('RULE');
  });

  it('a person another team registered cannot be added, even with their ID: the duplicate check names the team to ask', async () => {
    const { makeNationalId } = await import('../../main/contract/national-id');
    const id = makeNationalId('M', '2', '1234567');
    const stranger = await person(c, c.w3.token, { name: '吳雅惠', nationalId: id });
    const mine = await household(c, c.w1.token, { name: '陳志明' });
    const blind = errorOf(await c.t.raw('households.addMember', { householdId: mine.id, personId: stranger.id, relation: '配偶', joinedOn: '2026-01-01' }, c.w1.token));
    expect(blind.code).toBe('NOT_FOUND');
    const withId = errorOf(await c.t.raw('households.addMember', { householdId: mine.id, personId: stranger.id, relation: '配偶', joinedOn: '2026-01-01', knownIdentity: { nationalId: id } }, c.w1.token));
    expect(withId.code).toBe('VALIDATION');
    const dup = errorOf(await c.t.raw('persons.create', { name: '吳雅惠', nationalId: id }, c.w1.token));
    expect(dup.message).toContain('由「第二組」負責');
    // Their own worker adds them as before.
    const theirs = await household(c, c.w3.token, { name: '吳建宏' });
    const ok = await c.t.call('households.addMember', { householdId: theirs.id, personId: stranger.id, relation: '配偶', joinedOn: '2026-01-01' }, c.w3.token);
    expect(ok.members.map((m) => m.name)).toContain('吳雅惠');
  });

  it('households.update: version check, field names audited, address re-resolved', async () => {
    const hh = await household(c, c.w1.token, { name: '陳志明' });
    const u = await c.t.call('households.update', { id: hh.id, version: hh.version, address: { villageCode: VILLAGE2, street: '民族路8號' }, notes: '屋況不佳' }, c.w1.token);
    expect(u.address.villageName).toBe('平和里');
    expect(u.version).toBe(2);
    const last = (await auditRows(c)).filter((r) => r.entity === 'household').at(-1);
    expect(JSON.parse(last?.detail ?? '{}')).toEqual({ fields: ['address', 'notes'] });
    const err = errorOf(await c.t.raw('households.update', { id: hh.id, version: hh.version, phone: '049-2000000' }, c.w1.token));
    expect(err.code).toBe('CONFLICT');
    expect(err.details?.updatedBy).toBe('sw1姓名');
  });
});

describe('household page', () => {
  let c: Center;
  beforeEach(async () => {
    c = await createCenter();
  });
  afterEach(async () => c.t.close());

  async function withHistory() {
    const hh = await household(c, c.w1.token, { name: '陳志明', nationalId: 'A123456789', birthDate: '1980-05-01', incomeStatus: 'mid-low' }, { others: [{ person: { name: '陳小華', birthDate: '2012-01-01' }, relation: '子女' }] });
    const db = c.t.app.ctx.db;
    const mine = await insertCase(c, hh.id, c.w1.id, c.team1, '處遇中', '115-000001');
    const theirs = await insertCase(c, hh.id, c.w3.id, c.team2, '已結案', '114-000009');
    const ts = (d: string) => `${d}T02:00:00.000Z`;
    await db.insertInto('case_status_history').values([
      { case_id: mine.id, from_status: null, to_status: '待分派', action: 'intake', reason: null, at: ts('2026-01-10'), by_user: c.w1.id },
      { case_id: mine.id, from_status: '開案審查中', to_status: '處遇中', action: 'approve', reason: '同意開案', at: ts('2026-01-20'), by_user: c.sup1.id },
      { case_id: theirs.id, from_status: '結案審查中', to_status: '已結案', action: 'approve', reason: '他組機密', at: ts('2025-12-01'), by_user: c.sup2.id },
    ]).execute();
    const svc = (caseId: number | null, at: string, narrative: string) => ({
      household_id: hh.id, case_id: caseId, concern_id: null, occurred_at: ts(at), method: '面訪家庭', minutes: 60, items: JSON.stringify(['福利諮詢']),
      narrative, next_follow_up: null, worker_id: c.w1.id, created_at: ts(at), created_by: c.w1.id, updated_at: ts(at), updated_by: c.w1.id, version: 1,
    });
    const s1 = await db.insertInto('service_records').values(svc(mine.id, '2026-02-01', '家中狀況機密敘述')).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('service_records').values(svc(theirs.id, '2025-11-01', '他組機密紀錄')).execute();
    await db.insertInto('referrals').values({
      household_id: hh.id, case_id: mine.id, service_id: s1.id, unit_kind: '勞政', unit_name: '南投就業中心', reason: '協助就業', status: '受案',
      referred_on: '2026-02-02', created_at: ts('2026-02-02'), created_by: c.w1.id, updated_at: ts('2026-02-02'), updated_by: c.w1.id, version: 1,
    }).execute();
    return { hh, mine, theirs };
  }

  it('shows members masked, own cases, eligibility and a newest-first timeline without narratives; audits the view', async () => {
    const { hh, mine } = await withHistory();
    const page = await c.t.call('households.page', { id: hh.id }, c.w1.token);
    expect(page.view).toBe('full');
    expect(page.members.map((m) => m.maskedNationalId)).toEqual(['A12****789', '']);
    expect(page.eligibility).toEqual({ incomeStatus: 'mid-low', activeCase: true, activeConcern: false });
    expect(page.cases?.map((x) => x.caseNo)).toEqual(['115-000001']);
    expect(page.cases?.[0]).toMatchObject({ id: mine.id, status: '處遇中', leadWorkerName: 'sw1姓名' });
    expect(page.otherCasesCount).toBe(1);
    expect(page.timeline?.rows.map((e) => e.kind)).toEqual(['referral', 'service', 'case-status', 'case-status']);
    expect(page.timeline?.total).toBe(4);
    expect(page.timeline?.rows[0]).toMatchObject({ kind: 'referral', status: '受案', unitName: '南投就業中心', caseNo: '115-000001' });
    expect(page.timeline?.rows[1]).toMatchObject({ kind: 'service', method: '面訪家庭', items: ['福利諮詢'], workerName: 'sw1姓名' });
    const text = JSON.stringify(page);
    expect(text).not.toContain('機密');
    expect(text).not.toContain('A123456789');
    const last = (await auditRows(c)).at(-1);
    expect(last).toMatchObject({ action: 'view', entity: 'household', entity_id: String(hh.id) });
    // paging
    const p2 = await c.t.call('households.timeline', { id: hh.id, offset: 2, limit: 2 }, c.w1.token);
    expect(p2.rows.map((e) => e.kind)).toEqual(['case-status', 'case-status']);
  });

  it('an administrator sees every case and its events', async () => {
    const { hh } = await withHistory();
    const page = await c.t.call('households.page', { id: hh.id }, c.admin);
    expect(page.cases?.map((x) => x.caseNo)).toEqual(['115-000001', '114-000009']);
    expect(page.otherCasesCount).toBe(0);
    expect(page.timeline?.total).toBe(6);
  });

  it('實物銀行 sees household, members, address and eligibility only', async () => {
    const { hh } = await withHistory();
    const page = await c.t.call('households.page', { id: hh.id }, c.clerk.token);
    expect(page.view).toBe('eligibility');
    expect(page.members.length).toBe(2);
    expect(page.household.address.villageName).toBe('中興里');
    expect(page.eligibility.activeCase).toBe(true);
    expect(page.cases).toBeNull();
    expect(page.timeline).toBeNull();
    expect(page.care).toBeNull();
    expect(page.concerns).toBeNull();
    expect(JSON.stringify(page)).not.toContain('115-000001');
    expect(errorOf(await c.t.raw('households.timeline', { id: hh.id }, c.clerk.token)).code).toBe('FORBIDDEN');
  });

  it('a worker of another team gets NOT_FOUND and no view is logged', async () => {
    const { hh } = await withHistory();
    const n = (await auditRows(c)).length;
    expect(errorOf(await c.t.raw('households.page', { id: hh.id }, c.w2.token)).code).toBe('NOT_FOUND');
    expect((await auditRows(c)).length).toBe(n);
  });

  it('a supervisor sees the team’s case household; the other team’s supervisor sees their own case only', async () => {
    const { hh } = await withHistory();
    const s1 = await c.t.call('households.page', { id: hh.id }, c.sup1.token);
    expect(s1.cases?.map((x) => x.caseNo)).toEqual(['115-000001']);
    const s2 = await c.t.call('households.page', { id: hh.id }, c.sup2.token);
    expect(s2.cases?.map((x) => x.caseNo)).toEqual(['114-000009']);
    expect(s2.timeline?.rows.map((e) => e.kind)).toEqual(['case-status', 'service']);
  });
});
