/**
 * The resource map (issue 14 §3): maintenance by 督導/管理者 only, search filters (service, target,
 * district with "no district = every district", text, archived), per-resource figures by outcome over a
 * period, a referral picking its unit from the map (exists and active), the 轉介單 (masked ID only, no
 * narrative, no other members, scope: the standard not-found), its view and export audited without
 * personal data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiInput } from '../../main/contract/api';
import { upsertDivisions } from '../../main/services/divisions/service';
import { createFixture, refused, type Fixture } from './cases-fixture';

const TOWN_A = '10008010';
const TOWN_B = '10008020';

describe('resource map and referral forms', () => {
  let f: Fixture;
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    f = await createFixture();
    await upsertDivisions(f.t.app.ctx.db, [
      { code: '10008', level: 'county', name: '南投縣', parentCode: null },
      { code: TOWN_A, level: 'town', name: '南投市', parentCode: '10008' },
      { code: TOWN_B, level: 'town', name: '埔里鎮', parentCode: '10008' },
    ]);
  });
  afterAll(async () => {
    await f.close();
  });

  const resource = (extra: Partial<ApiInput<'resources.create'>>): ApiInput<'resources.create'> => ({
    name: '某單位',
    unitKind: '民間團體',
    services: ['物資'],
    targets: ['一般'],
    districts: [],
    contactPerson: '王小姐',
    phone: '049-2201234',
    waitDays: 7,
    ...extra,
  });

  it('督導 and 管理者 maintain the map; a 社工 reads it; bad input names its field', async () => {
    const denied = await f.raw(f.w1, 'resources.create', resource({ name: '社工不能建' }));
    expect(denied).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const clerk = await f.raw(f.clerk, 'resources.search', {});
    expect(clerk).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    ids.job = (await f.call(f.sup1, 'resources.create', resource({ name: '南投就業中心', unitKind: '勞政', services: ['就業'], targets: ['一般', '婦女'], districts: [TOWN_A] }))).id;
    ids.mind = (await f.call(f.admin, 'resources.create', resource({ name: '社區心理衛生中心', unitKind: '衛政', services: ['心理諮商', '醫療'], targets: ['兒少', '婦女'], districts: [], notes: '自殺防治專線' }))).id;
    ids.puli = (await f.call(f.admin, 'resources.create', resource({ name: '埔里就業服務台', unitKind: '勞政', services: ['就業'], targets: ['一般'], districts: [TOWN_B] }))).id;
    const old = await f.call(f.admin, 'resources.create', resource({ name: '已停辦的協會', services: ['就業'], districts: [TOWN_A] }));
    ids.old = (await f.call(f.admin, 'resources.archive', { id: old.id, version: old.version, active: false })).id;

    const got = await f.call(f.w1, 'resources.get', { id: ids.job });
    expect(got).toMatchObject({ name: '南投就業中心', services: ['就業'], targets: ['婦女', '一般'], districts: [{ code: TOWN_A, name: '南投市' }], active: true });

    const bad = await f.raw(f.admin, 'resources.create', { ...resource({ name: '' }), services: [], waitDays: -1 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('VALIDATION');
      expect(bad.error.fields?.name).toBe('請填寫單位名稱');
      expect(bad.error.fields?.services).toBe('請至少選擇一種服務類型');
      expect(bad.error.fields?.waitDays).toBe('等候天數不可為負數');
    }
    const dup = await refused(f.call(f.admin, 'resources.create', resource({ name: '南投就業中心' })));
    expect(dup.fields?.name).toBe('已有同名的單位');
    const village = await refused(f.call(f.admin, 'resources.create', resource({ name: '里', districts: ['10008099'] })));
    expect(village.fields?.districts).toBe('行政區不正確');
    const stale = await refused(f.call(f.sup1, 'resources.update', { ...resource({ name: '南投就業中心', unitKind: '勞政', services: ['就業'], targets: ['一般'] }), id: ids.job, version: 0 }));
    expect(stale.code).toBe('CONFLICT');
  });

  it('search by need, target group, district (a resource without districts serves all) and text', async () => {
    const names = async (input: ApiInput<'resources.search'>) => (await f.call(f.w1, 'resources.search', input)).rows.map((r) => r.name).sort();
    expect(await names({ service: '就業' })).toEqual(['南投就業中心', '埔里就業服務台'].sort());
    expect(await names({ service: '就業', district: TOWN_A })).toEqual(['南投就業中心']);
    expect(await names({ service: '心理諮商', district: TOWN_B })).toEqual(['社區心理衛生中心']);
    expect(await names({ district: TOWN_B })).toEqual(['埔里就業服務台', '社區心理衛生中心'].sort());
    expect(await names({ target: '兒少' })).toEqual(['社區心理衛生中心']);
    expect(await names({ text: '自殺' })).toEqual(['社區心理衛生中心']);
    expect(await names({ text: '100%' })).toEqual([]);
    expect(await names({ service: '就業', includeArchived: true })).toContain('已停辦的協會');
    const page = await f.call(f.w1, 'resources.search', { limit: 2, offset: 0 });
    expect(page.total).toBe(3);
    expect(page.rows).toHaveLength(2);
  });

  const visit = (householdId: number, caseId: number, participants: number[], referral: NonNullable<ApiInput<'records.create'>['referral']>): ApiInput<'records.create'> => ({
    householdId,
    caseId,
    occurredAt: f.ago(30),
    method: '面訪家庭',
    participants,
    minutes: 60,
    items: ['資源轉介'],
    narrative: '案母近日失業，情緒低落，家中經濟困難。',
    referral,
  });

  it('a referral picks its unit from the map; figures count sent, accepted, completed and failed per resource', async () => {
    const db = f.t.app.ctx.db;
    const open = await f.caseIn('處遇中');
    const archived = await refused(f.call(f.w1, 'records.create', visit(open.householdId, open.id, [], { unitKind: '其他', unitName: 'x', reason: '求職', resourceId: ids.old as number })));
    expect(archived.fields?.['referral.resourceId']).toBe('資源已停用');
    expect(archived.message).toBe('「已停辦的協會」已停用，請改選其他資源。');
    expect((await f.call(f.w1, 'records.list', { caseId: open.id })).total).toBe(0);

    const make = async (resourceId: number | undefined) => {
      const c = await f.caseIn('處遇中');
      const rec = await f.call(f.w1, 'records.create', visit(c.householdId, c.id, [], { unitKind: '其他', unitName: '隨便寫的名稱', reason: '協助求職', ...(resourceId !== undefined ? { resourceId } : {}) }));
      const [refId] = rec.referralIds;
      return (await db.selectFrom('referrals').selectAll().where('id', '=', refId as number).executeTakeFirstOrThrow());
    };
    const r1 = await make(ids.job);
    expect(r1).toMatchObject({ resource_id: ids.job, unit_name: '南投就業中心', unit_kind: '勞政' });
    const r2 = await make(ids.job);
    const r3 = await make(ids.job);
    const r4 = await make(ids.job);
    const free = await make(undefined);
    expect(free).toMatchObject({ resource_id: null, unit_name: '隨便寫的名稱' });
    const gone = await refused(f.call(f.w1, 'records.create', visit(r1.household_id, r1.case_id as number, [], { unitKind: '其他', unitName: 'x', reason: 'y', resourceId: 99999 })));
    expect(gone.fields?.['referral.resourceId']).toBe('資源不存在');

    await f.call(f.w1, 'referrals.updateStatus', { id: r2.id, status: '受案' });
    await f.call(f.w1, 'referrals.updateStatus', { id: r3.id, status: '受案' });
    await f.call(f.w1, 'referrals.updateStatus', { id: r3.id, status: '轉介完成' });
    await f.call(f.w1, 'referrals.updateStatus', { id: r4.id, status: '受案' });
    await f.call(f.w1, 'referrals.updateStatus', { id: r4.id, status: '轉介失敗' });
    // An old referral outside the period.
    await db.updateTable('referrals').set({ referred_on: '2024-01-01' }).where('id', '=', r1.id).execute();

    const day = r2.referred_on;
    const stats = await f.call(f.w1, 'resources.stats', { resourceIds: [ids.job as number, ids.mind as number], from: day, to: day });
    expect(stats.rows.find((r) => r.resourceId === ids.job)?.figures).toEqual({ sent: 3, accepted: 3, completed: 1, failed: 1, waiting: 0 });
    expect(stats.rows.find((r) => r.resourceId === ids.mind)?.figures).toEqual({ sent: 0, accepted: 0, completed: 0, failed: 0, waiting: 0 });
    const wide = await f.call(f.w1, 'resources.stats', { resourceIds: [ids.job as number], from: '2023-01-01', to: day });
    expect(wide.rows[0]?.figures.sent).toBe(4);
    const search = await f.call(f.w1, 'resources.search', { service: '就業', district: TOWN_A, from: day, to: day });
    expect(search.rows[0]?.figures).toMatchObject({ sent: 3, completed: 1 });
  });

  it('the 轉介單: masked ID, only the persons referred, no narrative; out of scope = not found; view and export audited', async () => {
    const db = f.t.app.ctx.db;
    const c = await f.caseIn('處遇中');
    const members = await db.selectFrom('household_members').select(['person_id', 'relation']).where('household_id', '=', c.householdId).orderBy('id').execute();
    const child = members[2]?.person_id as number;
    const spouse = members[1]?.person_id as number;
    await db.updateTable('persons').set({ national_id: 'A123456789', sex: 'F', birth_date: '2012-03-04', phone: '0912-345-678' }).where('id', '=', child).execute();
    await db.updateTable('persons').set({ national_id: 'B223456780', phone: '0988-000-111' }).where('id', '=', spouse).execute();
    await db.updateTable('households').set({ county_code: '10008', town_code: TOWN_A, street: '中山路 10 號' }).where('id', '=', c.householdId).execute();
    const rec = await f.call(f.w1, 'records.create', visit(c.householdId, c.id, [child], { unitKind: '其他', unitName: 'x', reason: '兒少情緒困擾需諮商', resourceId: ids.mind as number }));
    const referralId = rec.referralIds[0] as number;

    const form = await f.call(f.w1, 'referrals.form', { referralId });
    expect(form.receiving).toMatchObject({ name: '社區心理衛生中心', unitKind: '衛政', contactPerson: '王小姐', phone: '049-2201234', resourceId: ids.mind });
    expect(form.persons).toEqual([{ name: expect.stringMatching(/^子女/), sex: '女', birthDate: '2012-03-04', nationalIdMasked: 'A12****789', phone: '0912-345-678', address: '南投縣南投市中山路 10 號' }]);
    expect(form.worker.name).toBe('張社工');
    expect(form.requestedServices).toEqual(['心理諮商', '醫療']);
    const text = JSON.stringify(form);
    expect(text).not.toContain('A123456789');
    expect(text).not.toContain('失業');
    expect(text).not.toContain('B22');
    expect(text).not.toContain('0988');

    // Another team's worker: the standard not-found, for the view and the export alike.
    const other = await refused(f.call(f.w3, 'referrals.form', { referralId }));
    expect(other).toMatchObject({ code: 'NOT_FOUND', message: '找不到這筆轉介，或您沒有權限檢視。' });
    const otherExport = await refused(f.call(f.w3, 'referrals.exportForm', { referralId }));
    expect(otherExport.code).toBe('NOT_FOUND');

    const file = await f.call(f.w1, 'referrals.exportForm', { referralId });
    expect(file.fileName).toMatch(/^轉介單_社區心理衛生中心_\d{7}\.xlsx$/);
    const { sheetJs } = await import('../../main/lib/sheet-libraries');
    const XLSX = sheetJs();
    const wb = XLSX.read(Buffer.from(file.fileBase64 ?? '', 'base64'));
    const csv = XLSX.utils.sheet_to_csv(wb.Sheets['轉介單'] as never);
    expect(csv).toContain('A12****789');
    expect(csv).toContain('社區心理衛生中心');
    expect(csv).toMatch(/轉介日期,1\d\d\/\d\d\/\d\d/);
    expect(csv).not.toContain('A123456789');
    expect(csv).not.toContain('失業');

    const audit = await db.selectFrom('audit_log').selectAll().where('entity', '=', 'referral_form').orderBy('id').execute();
    expect(audit.map((a) => [a.action, a.actor_id, a.entity_id])).toEqual([
      ['view', f.w1.id, String(referralId)],
      ['export', f.w1.id, String(referralId)],
    ]);
    const logged = JSON.stringify(audit);
    expect(logged).not.toContain('A12');
    expect(logged).not.toContain('子女');
    expect(logged).not.toContain('情緒困擾');
  });
});
