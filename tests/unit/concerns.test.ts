import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeTransaction } from '../../db/tx';
import { advanceConcernAfterVisit, linkConcernToCase, nextDueAfter } from '../../main/services/concerns/service';
import { auditRows, createCenter, domainCounts, errorOf, household, insertCase, type Center } from './households-fixture';

describe('next due date per visit frequency', () => {
  it('adds calendar months, clamped to the month end, or the custom number of days', () => {
    expect(nextDueAfter('2026-01-31', 'monthly', null)).toBe('2026-02-28');
    expect(nextDueAfter('2026-03-05', 'monthly', null)).toBe('2026-04-05');
    expect(nextDueAfter('2026-03-05', 'bimonthly', null)).toBe('2026-05-05');
    expect(nextDueAfter('2025-11-30', 'quarterly', null)).toBe('2026-02-28');
    expect(nextDueAfter('2026-08-31', 'half-yearly', null)).toBe('2027-02-28');
    expect(nextDueAfter('2026-12-20', 'custom', 45)).toBe('2027-02-03');
    expect(() => nextDueAfter('2026-01-01', 'custom', null)).toThrow(/間隔天數/);
  });
});

describe('long-term concern households (長期關懷戶)', () => {
  let c: Center;
  beforeEach(async () => {
    c = await createCenter();
  });
  afterEach(async () => c.t.close());

  it('designates a household: next visit one interval after the start, audited, and not a case', async () => {
    const hh = await household(c, c.w1.token, { name: '林春嬌', birthDate: '1940-01-01' });
    const cn = await c.t.call('concerns.designate', { householdId: hh.id, reason: '獨居長者', startDate: '2026-03-01', frequency: 'monthly', workerId: c.w1.id }, c.w1.token);
    expect(cn).toMatchObject({ nextDue: '2026-04-01', lastVisitOn: null, active: true, workerName: 'sw1姓名', teamId: c.team1, daysOverdue: -27 });
    const audit = (await auditRows(c)).at(-1);
    expect(audit).toMatchObject({ action: 'create', entity: 'concern', entity_id: String(cn.id) });
    const cases = await c.t.app.ctx.db.selectFrom('cases').select('id').execute();
    expect(cases).toEqual([]);
    const page = await c.t.call('households.page', { id: hh.id }, c.w1.token);
    expect(page.eligibility.activeConcern).toBe(true);
    expect(page.concerns?.[0]?.id).toBe(cn.id);
    expect(page.timeline?.rows.map((e) => e.kind)).toEqual(['concern-start']);
  });

  it('one active concern per household', async () => {
    const hh = await household(c, c.w1.token, { name: '林春嬌' });
    await c.t.call('concerns.designate', { householdId: hh.id, reason: '獨居長者', startDate: '2026-03-01', frequency: 'monthly', workerId: c.w1.id }, c.w1.token);
    const err = errorOf(await c.t.raw('concerns.designate', { householdId: hh.id, reason: '身障', startDate: '2026-03-02', frequency: 'quarterly', workerId: c.w1.id }, c.w1.token));
    expect(err.code).toBe('RULE');
    expect(err.message).toContain('115/03/01');
  });

  it('custom frequency needs the interval; a worker can only make themself responsible; a supervisor assigns within the team', async () => {
    const hh = await household(c, c.w1.token, { name: '林春嬌' });
    expect(errorOf(await c.t.raw('concerns.designate', { householdId: hh.id, reason: '其他', startDate: '2026-03-01', frequency: 'custom', workerId: c.w1.id }, c.w1.token)).code).toBe('VALIDATION');
    expect(errorOf(await c.t.raw('concerns.designate', { householdId: hh.id, reason: '其他', startDate: '2026-03-01', frequency: 'monthly', workerId: c.w2.id }, c.w1.token)).code).toBe('RULE');
    await insertCase(c, hh.id, c.w1.id, c.team1); // so the supervisors' scope reaches the household
    expect(errorOf(await c.t.raw('concerns.designate', { householdId: hh.id, reason: '其他', startDate: '2026-03-01', frequency: 'monthly', workerId: c.w3.id }, c.sup1.token)).code).toBe('RULE');
    const cn = await c.t.call('concerns.designate', { householdId: hh.id, reason: '其他', startDate: '2026-03-01', frequency: 'custom', intervalDays: 21, workerId: c.w2.id }, c.sup1.token);
    expect(cn.nextDue).toBe('2026-03-22');
  });

  it('comes from a case without re-typing, and ends as 轉為個案 linked to the new case', async () => {
    const hh = await household(c, c.w1.token, { name: '陳志明' });
    const old = await insertCase(c, hh.id, c.w1.id, c.team1, '已結案', '114-000100');
    const cn = await c.t.call('concerns.designate', { householdId: hh.id, reason: '長期經濟弱勢', startDate: '2026-01-05', frequency: 'quarterly', workerId: c.w1.id, fromCaseId: old.id }, c.w1.token);
    expect(cn).toMatchObject({ fromCaseId: old.id, fromCaseNo: '114-000100', nextDue: '2026-04-05' });
    const ended = await c.t.call('concerns.end', { id: cn.id, version: cn.version, endDate: '2026-03-01', endReason: '轉為個案' }, c.w1.token);
    expect(ended).toMatchObject({ active: false, endReason: '轉為個案', toCaseId: null, daysOverdue: null });
    // The intake creates the case and links it, in its own transaction.
    const fresh = await insertCase(c, hh.id, c.w1.id, c.team1, '待分派', '115-000200');
    await writeTransaction(c.t.app.ctx.db, (trx) => linkConcernToCase(trx, cn.id, fresh.id));
    const page = await c.t.call('households.page', { id: hh.id }, c.w1.token);
    expect(page.concerns?.[0]).toMatchObject({ toCaseNo: '115-000200' });
    expect(page.timeline?.rows.map((e) => e.kind)).toEqual(['concern-end', 'concern-start']);
    // A new concern may start again later.
    const again = await c.t.call('concerns.designate', { householdId: hh.id, reason: '其他', startDate: '2026-03-03', frequency: 'monthly', workerId: c.w1.id }, c.w1.token);
    expect(again.active).toBe(true);
  });

  it('advanceConcernAfterVisit moves last visit and next due; a back-dated visit and an ended concern stay put', async () => {
    const hh = await household(c, c.w1.token, { name: '林春嬌' });
    const cn = await c.t.call('concerns.designate', { householdId: hh.id, reason: '獨居長者', startDate: '2026-01-01', frequency: 'bimonthly', workerId: c.w1.id }, c.w1.token);
    const db = c.t.app.ctx.db;
    expect(await writeTransaction(db, (trx) => advanceConcernAfterVisit(trx, cn.id, '2026-02-10T03:00:00.000Z'))).toEqual({ lastVisitOn: '2026-02-10', nextDue: '2026-04-10' });
    expect(await writeTransaction(db, (trx) => advanceConcernAfterVisit(trx, cn.id, '2026-01-20'))).toBeNull();
    const now = await c.t.call('concerns.get', { id: cn.id }, c.w1.token);
    expect(now).toMatchObject({ lastVisitOn: '2026-02-10', nextDue: '2026-04-10', version: 1 });
    await c.t.call('concerns.end', { id: cn.id, version: 1, endDate: '2026-03-01', endReason: '死亡' }, c.w1.token);
    expect(await writeTransaction(db, (trx) => advanceConcernAfterVisit(trx, cn.id, '2026-03-02'))).toBeNull();
  });

  it('changing the frequency moves the next due from the last visit; a stale version is refused', async () => {
    const hh = await household(c, c.w1.token, { name: '林春嬌' });
    const cn = await c.t.call('concerns.designate', { householdId: hh.id, reason: '獨居長者', startDate: '2026-01-01', frequency: 'monthly', workerId: c.w1.id }, c.w1.token);
    await writeTransaction(c.t.app.ctx.db, (trx) => advanceConcernAfterVisit(trx, cn.id, '2026-02-15'));
    const u = await c.t.call('concerns.update', { id: cn.id, version: cn.version, frequency: 'quarterly' }, c.w1.token);
    expect(u).toMatchObject({ frequency: 'quarterly', nextDue: '2026-05-15', version: 2 });
    const last = (await auditRows(c)).at(-1);
    expect(JSON.parse(last?.detail ?? '{}')).toEqual({ fields: ['frequency', 'nextDue'] });
    const err = errorOf(await c.t.raw('concerns.update', { id: cn.id, version: cn.version, reason: '身障' }, c.w1.token));
    expect(err.code).toBe('CONFLICT');
    expect(err.details?.updatedBy).toBe('sw1姓名');
    const end = errorOf(await c.t.raw('concerns.end', { id: cn.id, version: 2, endDate: '2025-12-01', endReason: '遷出' }, c.w1.token));
    expect(end.code).toBe('VALIDATION');
  });

  it('lists mine, team and overdue concerns with days overdue, within scope', async () => {
    // Today in the test clock is 2026-03-05 (Taipei).
    const a = await household(c, c.w1.token, { name: '甲戶長' });
    const b = await household(c, c.w2.token, { name: '乙戶長' });
    const d = await household(c, c.w3.token, { name: '丙戶長' });
    await c.t.call('concerns.designate', { householdId: a.id, reason: '獨居長者', startDate: '2026-01-01', frequency: 'monthly', workerId: c.w1.id }, c.w1.token); // due 02-01: 32 days overdue
    await c.t.call('concerns.designate', { householdId: b.id, reason: '身障', startDate: '2026-02-20', frequency: 'monthly', workerId: c.w2.id }, c.w2.token); // due 03-20
    await c.t.call('concerns.designate', { householdId: d.id, reason: '身障', startDate: '2025-10-01', frequency: 'quarterly', workerId: c.w3.id }, c.w3.token); // due 2026-01-01
    const mine = await c.t.call('concerns.list', { filter: 'mine' }, c.w1.token);
    expect(mine.rows.map((r) => [r.headName, r.daysOverdue, r.overdue])).toEqual([['甲戶長', 32, true]]);
    expect(mine.rows[0]?.addressText).toContain('中興里');
    const w1all = await c.t.call('concerns.list', { filter: 'all' }, c.w1.token);
    expect(w1all.total).toBe(1); // a worker never sees a colleague's household
    const team = await c.t.call('concerns.list', { filter: 'team' }, c.sup1.token);
    expect(team.rows.map((r) => r.headName)).toEqual(['甲戶長', '乙戶長']);
    const overdue = await c.t.call('concerns.list', { filter: 'all', overdueOnly: true }, c.admin);
    expect(overdue.rows.map((r) => [r.headName, r.daysOverdue])).toEqual([['丙戶長', 63], ['甲戶長', 32]]);
  });
});

describe('care load (照顧負荷)', () => {
  let c: Center;
  beforeEach(async () => {
    c = await createCenter();
  });
  afterEach(async () => c.t.close());

  it('saves needs, caregiver and services in one go, audits field names, and lists high-burden households', async () => {
    const hh = await household(c, c.w1.token, { name: '陳志明', birthDate: '1970-01-01' }, { others: [{ person: { name: '陳阿嬤', birthDate: '1935-01-01' }, relation: '父母' }] });
    const grandma = hh.members.find((m) => m.name === '陳阿嬤')?.personId as number;
    const son = hh.members.find((m) => m.name === '陳志明')?.personId as number;
    const empty = await c.t.call('care.get', { householdId: hh.id }, c.w1.token);
    expect(empty).toMatchObject({ version: 0, needs: [], services: [], caregiver: null, highBurden: false });
    const saved = await c.t.call('care.update', {
      householdId: hh.id,
      version: 0,
      needs: [{ personId: grandma, kind: '失智', cmsLevel: 6, assessedOn: '2025-12-01' }],
      caregiverPersonId: son,
      caregiverNote: '獨子，夜間照顧',
      highBurden: true,
      services: [{ personId: grandma, service: '日間照顧', provider: '南投日照中心', since: '2026-01-01' }, { personId: grandma, service: '喘息服務' }],
    }, c.w1.token);
    expect(saved).toMatchObject({ version: 1, highBurden: true, caregiver: { personId: son, name: '陳志明' } });
    expect(saved.needs).toMatchObject([{ personName: '陳阿嬤', kind: '失智', cmsLevel: 6 }]);
    expect(saved.services.map((s) => s.service)).toEqual(['日間照顧', '喘息服務']);
    const audit = (await auditRows(c)).at(-1);
    expect(audit).toMatchObject({ action: 'create', entity: 'care_load', entity_id: String(hh.id) });
    expect(JSON.parse(audit?.detail ?? '{}')).toEqual({ fields: ['needs', 'services', 'caregiver', 'caregiverNote', 'highBurden'] });
    expect(audit?.detail).not.toContain('夜間');

    const list = await c.t.call('care.highBurdenList', {}, c.sup1.token);
    expect(list.total).toBe(0); // the supervisor's scope has no case or concern of this household yet
    const adminList = await c.t.call('care.highBurdenList', {}, c.admin);
    expect(adminList.rows).toMatchObject([{ householdId: hh.id, caregiverName: '陳志明', needKinds: ['失智'], maxCmsLevel: 6, services: ['日間照顧', '喘息服務'], headName: '陳志明' }]);
    expect((await c.t.call('care.highBurdenList', {}, c.w1.token)).total).toBe(1);
    expect((await c.t.call('care.highBurdenList', {}, c.w3.token)).total).toBe(0);
  });

  it('refuses a caregiver who is not a member, and a stale version, writing nothing', async () => {
    const hh = await household(c, c.w1.token, { name: '陳志明' });
    const other = await household(c, c.w1.token, { name: '外人' });
    const before = await domainCounts(c);
    const bad = errorOf(await c.t.raw('care.update', { householdId: hh.id, version: 0, needs: [], caregiverPersonId: other.members[0]?.personId as number, highBurden: false, services: [] }, c.w1.token));
    expect(bad.code).toBe('VALIDATION');
    expect(bad.fields?.caregiverPersonId).toBeDefined();
    expect(await domainCounts(c)).toEqual(before);
    await c.t.call('care.update', { householdId: hh.id, version: 0, needs: [], caregiverPersonId: null, highBurden: true, services: [] }, c.w1.token);
    const stale = errorOf(await c.t.raw('care.update', { householdId: hh.id, version: 0, needs: [], caregiverPersonId: null, highBurden: false, services: [] }, c.w1.token));
    expect(stale.code).toBe('CONFLICT');
    const cms = errorOf(await c.t.raw('care.update', { householdId: hh.id, version: 1, needs: [{ personId: hh.members[0]?.personId as number, kind: '失能', cmsLevel: 9 }], caregiverPersonId: null, highBurden: true, services: [] }, c.w1.token));
    expect(cms.code).toBe('VALIDATION');
  });
});
