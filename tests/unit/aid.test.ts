/**
 * Aid from other units (issue 14 §4) through the dispatcher on a real database (SQLite, and PostgreSQL
 * under scripts/with-postgres.mjs): the window of aid.recent at an injected today (today - N included,
 * today - N - 1 excluded, a date after today excluded), other units' aid, the food bank's hand-outs and
 * the center's 經濟補助 / 實物給付 records combined; the window setting; who may see and write what;
 * corrections and deletions with a reason, audited without values; the coordination report's grouping
 * and its scope; the indicators by source kind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getIndicator } from '../../main/services/reports/indicators';
import { auditRows, createCenter, household, type Center } from './households-fixture';
import { setToday } from './programmes-fixture';

const TODAY = '2026-05-20';

describe('aid from other units', () => {
  let c: Center;
  let A: number; // w1's household (team 1): 林
  let B: number; // w1's household: 陳
  let C: number; // w3's household (team 2): 王
  let linId: number;
  const db = () => c.t.app.ctx.db;

  /** A row written as the service would, for dates the API refuses (after today). */
  async function insertAid(householdId: number, on: string, sourceName = '慈心會', amount: number | null = 1000) {
    const ts = c.t.clock.now.toISOString();
    await db()
      .insertInto('external_aid')
      .values({ household_id: householdId, person_id: null, source_kind: '慈善團體', source_name: sourceName, kind: '現金', amount, items: null, received_on: on, note: null, created_at: ts, created_by: c.adminId, updated_at: ts, updated_by: c.adminId, deleted_at: null, deleted_by: null, delete_reason: null })
      .execute();
  }

  beforeAll(async () => {
    c = await createCenter();
    await setToday(c, TODAY);
    const a = await household(c, c.w1.token, { name: '林志明', nationalId: 'A123456789', birthDate: '1980-01-02' });
    A = a.id;
    linId = a.members[0]!.personId;
    B = (await household(c, c.w1.token, { name: '陳美玲', birthDate: '1975-03-04' }, { street: '中山路200號' })).id;
    C = (await household(c, c.w3.token, { name: '王大同' }, { street: '中山路300號' })).id;
  }, 60_000);
  afterAll(async () => c?.t.close());

  it('records aid with a reason-coded correction and deletion; the audit keeps ids and field names, never values', async () => {
    const rec = await c.t.call('aid.record', { householdId: A, personId: linId, sourceKind: '慈善團體', sourceName: '慈心會', kind: '現金', amount: 3000, receivedOn: '2026-05-10', note: '急用' }, c.w1.token);
    expect(rec).toMatchObject({ householdId: A, personName: '林志明', sourceName: '慈心會', amount: 3000, items: null, origin: '手動', createdByName: 'sw1姓名', version: 1 });
    // An amount or items; not in the future; a member of the household.
    expect(await c.t.raw('aid.record', { householdId: A, sourceKind: '慈善團體', sourceName: '慈心會', kind: '物資', receivedOn: '2026-05-10' }, c.w1.token)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', fields: { amount: '請填寫金額或物品（至少一項）' } },
    });
    expect(await c.t.raw('aid.record', { householdId: A, sourceKind: '慈善團體', sourceName: '慈心會', kind: '現金', amount: 1, receivedOn: '2026-05-21' }, c.w1.token)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: '受助日期不能晚於今天' },
    });
    const other = (await c.t.call('households.get', { id: B }, c.w1.token)).members[0]!.personId;
    expect(await c.t.raw('aid.record', { householdId: A, personId: other, sourceKind: '公所', sourceName: '中正區公所', kind: '現金', amount: 1, receivedOn: '2026-05-10' }, c.w1.token)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: '受助人須為本戶的成員' },
    });

    const fixed = await c.t.call('aid.update', { id: rec.id, version: 1, reason: '登錄錯誤', personId: linId, sourceKind: '慈善團體', sourceName: '慈心會', kind: '現金', amount: 2500, receivedOn: '2026-05-10', note: '急用' }, c.w1.token);
    expect(fixed).toMatchObject({ amount: 2500, version: 2 });
    expect(await c.t.raw('aid.update', { id: rec.id, version: 1, reason: '登錄錯誤', sourceKind: '慈善團體', sourceName: '慈心會', kind: '現金', amount: 1, receivedOn: '2026-05-10' }, c.w1.token)).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    const gone = await c.t.call('aid.record', { householdId: A, sourceKind: '企業', sourceName: '好公司', kind: '物資', items: '白米 2 包', receivedOn: '2026-05-01' }, c.w1.token);
    await c.t.call('aid.delete', { id: gone.id, version: 1, reason: '重複登錄' }, c.w1.token);
    expect((await c.t.call('aid.list', { householdId: A }, c.w1.token)).map((v) => v.sourceName)).toEqual(['慈心會']);
    const row = await db().selectFrom('external_aid').select(['deleted_at', 'delete_reason']).where('id', '=', gone.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ deleted_at: c.t.clock.now.toISOString(), delete_reason: '重複登錄' });

    const audit = (await auditRows(c)).filter((r) => r.entity === 'external_aid');
    expect(audit.map((r) => [r.action, JSON.parse(r.detail ?? '{}')])).toEqual([
      ['create', { householdId: A }],
      ['update', { householdId: A, fields: ['amount'], reason: '登錄錯誤' }],
      ['create', { householdId: A }],
      ['delete', { householdId: A, reason: '重複登錄' }],
    ]);
    expect(JSON.stringify(audit)).not.toMatch(/慈心會|急用|白米|2500/);
    // Clean slate for the window below.
    await db().deleteFrom('external_aid').execute();
  });

  it('the window: today - N included, today - N - 1 and after today excluded; other units, the food bank and the center records combined', async () => {
    await insertAid(A, '2026-02-19', '邊界日會', 100); // 2026-05-20 - 90 days
    await insertAid(A, '2026-02-18', '前一日會', 200); // one day too early
    await insertAid(A, '2026-05-21', '明日會', 400); // after today
    await insertAid(A, '2026-05-10', '慈心會', 3000);
    await insertAid(B, '2026-05-10', '別戶會', 5000); // another household
    const ts = c.t.clock.now.toISOString();
    const loc = await db().insertInto('fb_locations').values({ name: '中心發放點', kind: 'point', address: null, staff: null, active: 1, created_at: ts }).returning('id').executeTakeFirstOrThrow();
    await db().insertInto('fb_handouts').values({ household_id: A, location_id: loc.id, handed_on: '2026-05-01', household_size: 1, allowance_used: 3, note: null, created_at: ts, created_by: c.adminId }).execute();
    await db().insertInto('fb_handouts').values({ household_id: A, location_id: loc.id, handed_on: '2026-01-05', household_size: 1, allowance_used: 3, note: null, created_at: ts, created_by: c.adminId }).execute();
    const sr = (occurred: string, items: string[]) =>
      db()
        .insertInto('service_records')
        .values({ household_id: A, case_id: null, concern_id: null, occurred_at: occurred, method: '電訪家庭', minutes: 10, items: JSON.stringify(items), narrative: '機密敘述', next_follow_up: null, worker_id: c.w1.id, created_at: ts, created_by: c.w1.id, updated_at: ts, updated_by: c.w1.id })
        .execute();
    await sr('2026-04-10T16:30:00.000Z', ['經濟補助', '福利諮詢']); // Taipei 115/04/11
    await sr('2026-04-12T02:00:00.000Z', ['福利諮詢']); // not aid
    await sr('2026-02-18T15:59:00.000Z', ['實物給付']); // Taipei 2026-02-18 23:59: one day too early

    const r = await c.t.call('aid.recent', { householdId: A }, c.w1.token);
    expect(r).toMatchObject({ householdId: A, days: 90, from: '2026-02-19', to: TODAY });
    expect(r.entries).toEqual([
      { origin: 'external', date: '2026-05-10', source: '慈心會（慈善團體）', content: '現金', amount: 3000 },
      { origin: 'foodbank', date: '2026-05-01', source: '本中心實物銀行', content: '物資', amount: null },
      { origin: 'service', date: '2026-04-11', source: '本中心服務（經濟補助）', content: '經濟補助', amount: null },
      { origin: 'external', date: '2026-02-19', source: '邊界日會（慈善團體）', content: '現金', amount: 100 },
    ]);
    expect(r.totals).toEqual({ count: 4, amount: 3100, external: 2, foodbank: 1, service: 1, sources: 3 });
    expect(JSON.stringify(r)).not.toContain('機密敘述');

    // A shorter window by the caller, and by the setting the 管理者 changes.
    expect((await c.t.call('aid.recent', { householdId: A, days: 19 }, c.w1.token)).entries.map((e) => e.date)).toEqual(['2026-05-10', '2026-05-01']);
    expect(await c.t.raw('aid.updateSettings', { windowDays: 30 }, c.w1.token)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await c.t.raw('aid.updateSettings', { windowDays: 0 }, c.admin)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await c.t.call('aid.updateSettings', { windowDays: 30 }, c.admin)).toEqual({ windowDays: 30 });
    expect(await c.t.call('aid.settings', {}, c.clerk.token)).toEqual({ windowDays: 30 });
    const short = await c.t.call('aid.recent', { householdId: A }, c.clerk.token);
    expect([short.days, short.from, short.entries.length]).toEqual([30, '2026-04-20', 2]);
    await c.t.call('aid.updateSettings', { windowDays: 90 }, c.admin);

    // The clock moves: the same data, another window.
    await setToday(c, '2026-05-21');
    expect((await c.t.call('aid.recent', { householdId: A }, c.w1.token)).entries.map((e) => e.date)).toEqual(['2026-05-21', '2026-05-10', '2026-05-01', '2026-04-11']);
    await setToday(c, TODAY);
  });

  it('scope: the food-bank clerk sees the window of any household and nothing else; a 社工 only their households', async () => {
    const clerk = await c.t.call('aid.recent', { householdId: A }, c.clerk.token);
    expect(clerk.entries.length).toBe(4);
    expect((await auditRows(c)).some((r) => r.entity === 'aid_recent' && r.action === 'view' && r.actor_id === c.clerk.id && r.entity_id === String(A))).toBe(true);
    for (const [m, input] of [
      ['aid.list', { householdId: A }],
      ['aid.report', { from: '2026-01-01', to: TODAY, groupBy: 'source' }],
      ['aid.record', { householdId: A, sourceKind: '其他', sourceName: 'x', kind: '現金', amount: 1, receivedOn: TODAY }],
    ] as const) {
      expect(await c.t.raw(m, input, c.clerk.token), m).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(await c.t.raw('aid.recent', { householdId: A }, c.auditor.token)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await c.t.raw('aid.recent', { householdId: A }, c.w3.token)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await c.t.raw('aid.list', { householdId: A }, c.w3.token)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await c.t.raw('aid.record', { householdId: A, sourceKind: '公所', sourceName: 'x', kind: '現金', amount: 1, receivedOn: TODAY }, c.w3.token)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await c.t.raw('aid.recent', { householdId: C }, c.w3.token)).toMatchObject({ ok: true });
  });

  it('the coordination report: by source and by household, 2+ sources flagged 重複受助, within the caller scope', async () => {
    await c.t.call('aid.record', { householdId: A, sourceKind: '公所', sourceName: '中正區公所', kind: '代金券', amount: 1000, receivedOn: '2026-04-01' }, c.w1.token);
    await c.t.call('aid.record', { householdId: C, sourceKind: '慈善團體', sourceName: '慈心會', kind: '現金', amount: 2000, receivedOn: '2026-04-02' }, c.w3.token);
    const period = { from: '2026-04-01', to: '2026-05-20' };

    const bySource = await c.t.call('aid.report', { ...period, groupBy: 'source' }, c.admin);
    expect(bySource.byHousehold).toEqual([]);
    expect(bySource.bySource).toEqual([
      { sourceKind: '慈善團體', sourceName: '慈心會', households: 2, times: 2, amount: 5000 },
      { sourceKind: '公所', sourceName: '中正區公所', households: 1, times: 1, amount: 1000 },
      { sourceKind: '慈善團體', sourceName: '別戶會', households: 1, times: 1, amount: 5000 },
      { sourceKind: '本中心', sourceName: '本中心實物銀行', households: 1, times: 1, amount: 0 },
      { sourceKind: '本中心', sourceName: '本中心服務（經濟補助）', households: 1, times: 1, amount: 0 },
    ]);
    const byHousehold = await c.t.call('aid.report', { ...period, groupBy: 'household' }, c.admin);
    expect(byHousehold.byHousehold).toEqual([
      { householdId: A, headName: '林志明', sources: ['中正區公所', '慈心會', '本中心實物銀行', '本中心服務（經濟補助）'], times: 4, amount: 4000, duplicate: true },
      { householdId: B, headName: '陳美玲', sources: ['別戶會'], times: 1, amount: 5000, duplicate: false },
      { householdId: C, headName: '王大同', sources: ['慈心會'], times: 1, amount: 2000, duplicate: false },
    ]);
    expect(byHousehold.totals).toEqual({ households: 3, times: 6, amount: 11000, duplicates: 1 });

    // A 社工 sees their own households only; a 督導 their team's.
    const w1 = await c.t.call('aid.report', { ...period, groupBy: 'household' }, c.w1.token);
    expect(w1.byHousehold.map((h) => h.householdId)).toEqual([A, B]);
    const w3 = await c.t.call('aid.report', { ...period, groupBy: 'source' }, c.w3.token);
    expect(w3.bySource).toEqual([{ sourceKind: '慈善團體', sourceName: '慈心會', households: 1, times: 1, amount: 2000 }]);
    const sup2 = await c.t.call('aid.report', { ...period, groupBy: 'household' }, c.sup2.token);
    expect(sup2.byHousehold.map((h) => h.householdId)).toEqual([]);
    expect(await c.t.raw('aid.report', { from: '2026-05-01', to: '2026-04-01', groupBy: 'source' }, c.admin)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', fields: { to: '迄日不能早於起日' } },
    });
    expect((await auditRows(c)).filter((r) => r.entity === 'aid_report').length).toBeGreaterThanOrEqual(5);
  });

  it('the indicators count records, households and amounts by source kind and month', async () => {
    const q2 = { period: { from: '2026-04-01', to: '2026-06-30' } };
    const records = await getIndicator('aid.externalRecords')!.compute(db(), { ...q2, breakdown: ['aidSource'] });
    expect(records.total.value).toBe(5); // 04-01, 04-02, 05-10 (A), 05-10 (B), 05-21 (A)
    expect(records.rows).toEqual([
      { keys: { aidSource: '慈善團體' }, value: 4 },
      { keys: { aidSource: '公所' }, value: 1 },
    ]);
    const households = await getIndicator('aid.externalHouseholds')!.compute(db(), { ...q2, breakdown: ['aidSource', 'month'], margins: true });
    expect(households.total.value).toBe(3);
    expect(households.margins?.columns).toEqual([
      { keys: { month: '2026-04' }, value: 2 },
      { keys: { month: '2026-05' }, value: 2 },
    ]);
    const amount = await getIndicator('aid.externalAmount')!.compute(db(), { ...q2, filters: { aidSource: '公所' } });
    expect(amount.total.value).toBe(1000);
    // Deleted records do not count.
    await db().updateTable('external_aid').set({ deleted_at: c.t.clock.now.toISOString() }).where('source_name', '=', '明日會').execute();
    expect((await getIndicator('aid.externalRecords')!.compute(db(), q2)).total.value).toBe(4);
  });
});
