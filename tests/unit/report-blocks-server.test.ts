/**
 * Issue 13, the server side of block mapping: the pick lists (reports.dimensionValues) per role,
 * filter values refused at save when they match no value, several filters and values kept
 * through save and load, the template's own data recognised, a mapping on a hidden sheet warned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DACHENG, KANGSHOU, NANTOU, PULI, SANMIN, createReportsApp, type ReportsApp } from './reports-fixture';

let r: ReportsApp;
beforeAll(async () => {
  r = await createReportsApp();
});
afterAll(async () => {
  await r?.close();
});

describe('reports.dimensionValues', () => {
  it('lists districts and 村里 by name with the code, current first', async () => {
    await r.db.insertInto('divisions').values({ code: '10008010099', level: 'village', name: '舊里', parent_code: NANTOU, valid_to: '2024-01-01' }).execute();
    const districts = await r.call(r.d.admin, 'reports.dimensionValues', { dimension: 'district' });
    expect(districts).toEqual([
      { value: NANTOU, label: '南投市', code: NANTOU, group: '南投縣' },
      { value: PULI, label: '埔里鎮', code: PULI, group: '南投縣' },
    ]);
    const villages = await r.call(r.d.admin, 'reports.dimensionValues', { dimension: 'village' });
    expect(villages.map((v) => [v.value, v.label, v.group, v.retired ?? false])).toEqual([
      [SANMIN, '三民里', '南投市', false],
      [KANGSHOU, '康壽里', '南投市', false],
      [DACHENG, '大城里', '埔里鎮', false],
      ['10008010099', '舊里', '南投市', true],
    ]);
  });

  it('lists the closed lists and no months', async () => {
    const facets = await r.call(r.d.admin, 'reports.dimensionValues', { dimension: 'dimension' });
    expect(facets.map((f) => f.label)).toEqual(['家庭經濟陷困', '家庭遭逢變故致功能受損', '家庭關係衝突或疏離', '兒少發展不利處境', '家庭成員身心障礙或傷病失能', '個人生活適應困難']);
    expect((await r.call(r.d.admin, 'reports.dimensionValues', { dimension: 'method' })).slice(0, 2)).toEqual([
      { value: '電訪家庭', label: '電訪家庭' },
      { value: '面訪家庭', label: '面訪家庭' },
    ]);
    expect(await r.call(r.d.admin, 'reports.dimensionValues', { dimension: 'sex' })).toEqual([
      { value: 'M', label: '男' },
      { value: 'F', label: '女' },
      { value: 'X', label: '其他' },
    ]);
    expect((await r.call(r.d.admin, 'reports.dimensionValues', { dimension: 'ageBand' }))[0]).toEqual({ value: '0-5', label: '未滿6歲' });
    expect(await r.call(r.d.admin, 'reports.dimensionValues', { dimension: 'month' })).toEqual([]);
  });

  it('shows a supervisor only the workers and teams of their teams; refuses workers', async () => {
    const all = await r.call(r.d.admin, 'reports.dimensionValues', { dimension: 'worker' });
    expect(all.map((w) => w.label)).toEqual(['王督導', '陳督導', '張社工', '李社工', '黃社工']);
    expect(all.find((w) => w.value === String(r.d.w1))).toEqual({ value: String(r.d.w1), label: '張社工', group: '第一組' });
    const mine = await r.call(r.d.sup1, 'reports.dimensionValues', { dimension: 'worker' });
    expect(mine.map((w) => w.label)).toEqual(['王督導', '張社工', '李社工']);
    expect(await r.call(r.d.sup2, 'reports.dimensionValues', { dimension: 'team' })).toEqual([{ value: String(r.d.team2), label: '第二組' }]);
    expect((await r.call(r.d.admin, 'reports.dimensionValues', { dimension: 'team' })).length).toBe(2);
    const refused = await r.raw(r.d.w1, 'reports.dimensionValues', { dimension: 'worker' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('FORBIDDEN');
    const clerk = await r.raw(r.d.clerk, 'reports.dimensionValues', { dimension: 'method' });
    expect(clerk.ok).toBe(false);
    const bad = await r.raw(r.d.admin, 'reports.dimensionValues', { dimension: 'colour' });
    expect(bad.ok).toBe(false);
  });
});
