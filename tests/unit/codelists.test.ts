import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, refused, type Fixture } from './cases-fixture';

describe('vulnerability factors, versioned by effective date', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture();
  });
  afterAll(async () => {
    await f.close();
  });

  it('ships the 2021 list and the 114-07-01 revision, each with the six 面向', async () => {
    const versions = await f.call(f.w1, 'codelists.versions', { list: 'vulnerability' });
    expect(versions.map((v) => [v.effectiveFrom, v.effectiveTo])).toEqual([
      ['2021-01-01', '2025-06-30'],
      ['2025-07-01', null],
    ]);
    const old = await f.call(f.w1, 'codelists.get', { list: 'vulnerability', onDate: '2025-06-30' });
    const current = await f.call(f.w1, 'codelists.get', { list: 'vulnerability', onDate: '2025-07-01' });
    expect(old.version.effectiveFrom).toBe('2021-01-01');
    expect(current.version.effectiveFrom).toBe('2025-07-01');
    for (const list of [old, current]) {
      expect(list.groups.map((g) => g.label)).toEqual([
        '家庭經濟陷困',
        '家庭遭逢變故致功能受損',
        '家庭關係衝突或疏離',
        '兒少發展不利處境',
        '家庭成員身心障礙或傷病失能',
        '個人生活適應困難',
      ]);
      for (const g of list.groups) expect(g.items.length).toBeGreaterThanOrEqual(3);
    }
    const codes = (l: typeof old) => l.groups.flatMap((g) => g.items.map((i) => i.code));
    expect(codes(old)).toContain('2-04');
    expect(codes(current)).not.toContain('2-04');
    expect(codes(current)).toContain('6-06');
    // Without a date: today's list (the clock is in 2026).
    expect((await f.call(f.w1, 'codelists.get', { list: 'vulnerability' })).version.effectiveFrom).toBe('2025-07-01');
    const before = await refused(f.call(f.w1, 'codelists.get', { list: 'vulnerability', onDate: '2020-12-31' }));
    expect(before.code).toBe('NOT_FOUND');
    expect(before.message).toContain('110/01/01');
  });

  it('codes a case with the version in force on its received date (Taipei), and it keeps it', async () => {
    // 2025-06-30 17:00 UTC is already 07-01 in Taipei: the revision applies, and 2-04 is gone from it.
    const refusedOld = await refused(f.intake(f.w1, { receivedAt: '2025-06-30T17:00:00.000Z', factors: ['2-04'] }));
    expect(refusedOld.code).toBe('RULE');
    expect(refusedOld.message).toContain('2-04');
    expect(refusedOld.message).toContain('114/07/01');

    const oldCase = await f.intake(f.w1, { receivedAt: '2025-06-30T15:00:00.000Z', factors: ['2-04', '1-04'] });
    expect(oldCase.codeListVersion?.effectiveFrom).toBe('2021-01-01');
    expect(oldCase.factors).toEqual([
      { code: '1-04', label: '居住環境不佳或面臨無處可住', group: '1', groupLabel: '家庭經濟陷困' },
      { code: '2-04', label: '家庭成員有自殺風險或自殺行為', group: '2', groupLabel: '家庭遭逢變故致功能受損' },
    ]);
    const newCase = await f.intake(f.w1, { receivedAt: '2025-08-01T02:00:00.000Z', factors: ['6-06', '1-04'] });
    expect(newCase.codeListVersion?.effectiveFrom).toBe('2025-07-01');
    expect(newCase.factors.find((x) => x.code === '1-04')?.label).toBe('居住環境不佳或居家安全堪虞');
    // A 面向 is not a factor.
    expect((await refused(f.intake(f.w1, { factors: ['1'] }))).code).toBe('RULE');

    // An administrator adds a later revision: old cases keep their version and labels, and edits check against it.
    await f.call(f.admin, 'codelists.addVersion', {
      list: 'vulnerability',
      effectiveFrom: '2026-01-01',
      note: '測試修正版',
      items: [
        { code: '1', group: null, label: '家庭經濟陷困' },
        { code: '1-99', group: '1', label: '新增因子' },
      ],
    });
    const again = await f.call(f.w1, 'cases.get', { id: oldCase.id });
    expect(again.codeListVersion?.effectiveFrom).toBe('2021-01-01');
    expect(again.factors.map((x) => x.label)).toEqual(['居住環境不佳或面臨無處可住', '家庭成員有自殺風險或自殺行為']);
    const edited = await f.call(f.w1, 'cases.update', {
      id: oldCase.id,
      version: again.version,
      source: 'A',
      referringUnit: null,
      dispatchedAt: again.dispatchedAt,
      caseType: '脆弱家庭',
      factors: ['2-04', '5-01'],
      riskLevel: '中',
      summary: null,
    });
    expect(edited.factors.map((x) => x.code)).toEqual(['2-04', '5-01']);
    expect((await refused(f.call(f.w1, 'cases.update', { ...{ id: oldCase.id, version: edited.version, source: 'A', referringUnit: null, dispatchedAt: edited.dispatchedAt, caseType: '脆弱家庭', riskLevel: '中', summary: null }, factors: ['1-99'] }))).code).toBe('RULE');
    const today = await f.intake(f.w1, { factors: ['1-99'] });
    expect(today.codeListVersion?.effectiveFrom).toBe('2026-01-01');
  });

  it('reopening re-codes the factors with the list in force on the new date and reports what dropped', async () => {
    const hh = await f.household(f.w1);
    const old = await f.intake(f.w1, { householdId: hh.id, receivedAt: '2025-03-01T02:00:00.000Z', factors: ['2-04', '3-01'], caseType: '脆弱家庭' });
    const asked = await f.call(f.w1, 'cases.request', { caseId: old.id, kind: 'not-open', reason: '案家拒絕服務' });
    await f.call(f.sup1, 'cases.decide', { requestId: asked.pendingRequest!.id, approve: true });
    const { case: fresh, droppedFactors } = await f.call(f.w1, 'cases.reopen', {
      caseId: old.id,
      reason: '再次通報',
      receivedAt: '2025-09-01T02:00:00.000Z',
      source: 'D',
      caseType: '脆弱家庭',
      riskLevel: '中',
    });
    expect(fresh.codeListVersion?.effectiveFrom).toBe('2025-07-01');
    expect(fresh.factors.map((x) => x.code)).toEqual(['3-01']);
    expect(droppedFactors.map((d) => [d.code, d.label])).toEqual([['2-04', '家庭成員有自殺風險或自殺行為']]);
  });

  it('a new version must take effect after the newest; only an administrator adds one', async () => {
    const item = [{ code: '1', group: null, label: '家庭經濟陷困' }];
    const same = await refused(f.call(f.admin, 'codelists.addVersion', { list: 'vulnerability', effectiveFrom: '2026-01-01', items: item }));
    expect(same.code).toBe('RULE');
    expect(same.message).toContain('115/01/01');
    expect(same.message).toContain('115/01/02');
    const earlier = await refused(f.call(f.admin, 'codelists.addVersion', { list: 'vulnerability', effectiveFrom: '2025-01-01', items: item }));
    expect(earlier.code).toBe('RULE');
    const orphan = await refused(f.call(f.admin, 'codelists.addVersion', { list: 'vulnerability', effectiveFrom: '2027-01-01', items: [{ code: '9-01', group: '9', label: '沒有面向' }] }));
    expect(orphan.code).toBe('RULE');
    const dup = await refused(f.call(f.admin, 'codelists.addVersion', { list: 'vulnerability', effectiveFrom: '2027-01-01', items: [...item, ...item] }));
    expect(dup.code).toBe('RULE');
    for (const who of [f.w1, f.sup1, f.clerk, f.auditor]) {
      expect((await refused(f.call(who, 'codelists.addVersion', { list: 'vulnerability', effectiveFrom: '2027-01-01', items: item }))).code).toBe('FORBIDDEN');
    }
    const versions = await f.call(f.sup1, 'codelists.versions', { list: 'vulnerability' });
    expect(versions).toHaveLength(3);
    expect(versions[2]?.createdBy?.name).toBe('林管理');
    const audit = await f.t.app.ctx.db.selectFrom('audit_log').select(['action', 'entity']).where('entity', '=', 'code_list_version').execute();
    expect(audit).toEqual([{ action: 'create', entity: 'code_list_version' }]);
  });
});
