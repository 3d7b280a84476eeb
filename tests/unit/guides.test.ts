/**
 * Work guides in context (作業指引, issue 14 §2): the seeded first versions, the version in effect by
 * date (a later version, a future one, a same-day correction), the history with who wrote what, the
 * 管理者-only save with its rules and zh-TW messages beside the fields (nothing written when refused),
 * the audit row without the text, and the body's plain-text blocks. Runs on SQLite and, in the
 * PostgreSQL run, on PostgreSQL. The test clock is 2026-03-05 10:00 in Taipei (115/03/05).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUIDE_KEYS, parseGuideBody } from '../../main/contract/types-guides';
import { assertGuideAccess, saveGuide } from '../../main/services/guides/service';
import { createCenter, type Center } from './households-fixture';
import { refusal } from './programmes-fixture';

const TODAY = '2026-03-05';

describe('work guides: versions by date, history, the 管理者 save', () => {
  let c: Center;
  const counts = async () => {
    const db = c.t.app.ctx.db;
    const n = async (table: 'work_guide_versions' | 'audit_log') => Number((await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    return { versions: await n('work_guide_versions'), audit: await n('audit_log') };
  };

  beforeAll(async () => {
    c = await createCenter();
  }, 60_000);
  afterAll(async () => c?.t.close());

  it('lists every step and service item; the app comes with a first version of each step and five items, from 115/01/01', async () => {
    const list = await c.t.call('guides.list', {}, c.w1.token);
    expect(list.map((g) => g.key)).toEqual([...GUIDE_KEYS]);
    expect(list.slice(0, 4).map((g) => g.label)).toEqual(['受案／開案前評估', '24 小時內聯繫', '開案評估', '結案']);
    expect(list.find((g) => g.key === 'item:福利諮詢')?.label).toBe('服務項目：福利諮詢');
    const seeded = list.filter((g) => g.current !== null).map((g) => g.key);
    expect(seeded).toEqual(['intake', 'contact24h', 'openAssessment', 'closing', 'item:福利諮詢', 'item:資源轉介', 'item:經濟補助', 'item:實物給付', 'item:情緒支持']);
    const contact = list.find((g) => g.key === 'contact24h');
    expect(contact).toMatchObject({ kind: 'step', versionCount: 1, upcoming: null, current: { effectiveFrom: '2026-01-01', effectiveTo: null, createdBy: null } });
    expect(contact?.current?.body).toContain('接案後 24 小時內以電話或面訪聯繫案家');
    expect(list.find((g) => g.key === 'item:其他')).toMatchObject({ kind: 'item', current: null, versionCount: 0 });
  });

  it('gives the version in effect on a day, or null before the first one', async () => {
    expect((await c.t.call('guides.get', { key: 'closing' }, c.w1.token))?.effectiveFrom).toBe('2026-01-01');
    expect(await c.t.call('guides.get', { key: 'closing', on: '2025-12-31' }, c.w1.token)).toBeNull();
    expect(await c.t.call('guides.get', { key: 'item:其他' }, c.w1.token)).toBeNull();
  });

  it('the 管理者 writes a version from today, one from next month and a same-day correction; each day shows its own; the history keeps them all', async () => {
    const before = await counts();
    const v2 = await c.t.call('guides.save', { key: 'contact24h', body: '  接案後 24 小時內聯繫案家。\r\n- 先確認安全\n- 記錄每次嘗試  ', effectiveFrom: TODAY, note: '加上嘗試紀錄' }, c.admin);
    expect(v2).toMatchObject({ key: 'contact24h', effectiveFrom: TODAY, effectiveTo: null, note: '加上嘗試紀錄', createdBy: { id: c.adminId }, body: '接案後 24 小時內聯繫案家。\n- 先確認安全\n- 記錄每次嘗試' });
    const v3 = await c.t.call('guides.save', { key: 'contact24h', body: '四月起的版本', effectiveFrom: '2026-04-01' }, c.admin);
    const v4 = await c.t.call('guides.save', { key: 'contact24h', body: '四月起的版本（更正錯字）', effectiveFrom: '2026-04-01' }, c.admin);
    expect(await counts()).toEqual({ versions: before.versions + 3, audit: before.audit + 3 });

    const on = async (day?: string) => (await c.t.call('guides.get', { key: 'contact24h', ...(day ? { on: day } : {}) }, c.w1.token))?.id;
    expect(await on('2026-03-04')).not.toBe(v2.id); // yesterday: the seeded version
    expect(await on()).toBe(v2.id);
    expect(await on('2026-03-31')).toBe(v2.id);
    expect(await on('2026-04-01')).toBe(v4.id); // the same-day correction wins
    expect(await on('2027-01-01')).toBe(v4.id);

    const history = await c.t.call('guides.history', { key: 'contact24h' }, c.sup1.token);
    expect(history.map((h) => [h.effectiveFrom, h.effectiveTo, h.createdBy?.id ?? null])).toEqual([
      ['2026-01-01', '2026-03-04', null],
      [TODAY, '2026-03-31', c.adminId],
      ['2026-04-01', '2026-03-31', c.adminId], // replaced on its first day
      ['2026-04-01', null, c.adminId],
    ]);
    expect(history[2]?.id).toBe(v3.id);
    const admin = await c.t.app.ctx.db.selectFrom('users').select('display_name').where('id', '=', c.adminId).executeTakeFirstOrThrow();
    expect(history[1]?.createdBy?.name).toBe(admin.display_name);

    const summary = (await c.t.call('guides.list', {}, c.w1.token)).find((g) => g.key === 'contact24h');
    expect(summary).toMatchObject({ versionCount: 4, current: { id: v2.id }, upcoming: { effectiveFrom: '2026-04-01' } });
    // Other keys are untouched.
    expect((await c.t.call('guides.history', { key: 'intake' }, c.w1.token)).length).toBe(1);

    const audit = await c.t.app.ctx.db.selectFrom('audit_log').select(['action', 'entity', 'entity_id', 'detail', 'actor_id']).where('entity', '=', 'work_guide_version').orderBy('id').execute();
    expect(audit.map((a) => [a.action, a.entity_id, a.actor_id])).toEqual([
      ['create', String(v2.id), c.adminId],
      ['create', String(v3.id), c.adminId],
      ['create', String(v4.id), c.adminId],
    ]);
    expect(JSON.parse(audit[0]?.detail ?? '{}')).toEqual({ key: 'contact24h', effectiveFrom: TODAY, chars: v2.body.length });
    expect(audit.map((a) => a.detail).join()).not.toContain('四月起');
  });

  it('refuses a date in the past, a date before the newest version and an unchanged text, beside the field, writing nothing', async () => {
    const before = await counts();
    const past = refusal(await c.t.raw('guides.save', { key: 'closing', body: '新的結案指引', effectiveFrom: '2026-03-04' }, c.admin));
    expect(past).toMatchObject({ code: 'RULE', fields: { effectiveFrom: '不可早於 115/03/05' } });
    expect(past.message).toContain('生效日不可早於今天（115/03/05）');
    const early = refusal(await c.t.raw('guides.save', { key: 'contact24h', body: '新的', effectiveFrom: '2026-03-20' }, c.admin));
    expect(early).toMatchObject({ code: 'RULE', fields: { effectiveFrom: '不可早於 115/04/01' } });
    expect(early.message).toBe('已有自 115/04/01 起生效的版本，新版本的生效日不可早於它。');
    const seeded = await c.t.call('guides.get', { key: 'intake' }, c.admin);
    const same = refusal(await c.t.raw('guides.save', { key: 'intake', body: `${seeded?.body ?? ''}\n`, effectiveFrom: TODAY }, c.admin));
    expect(same).toMatchObject({ code: 'RULE', fields: { body: '內容未修改' } });
    expect(await counts()).toEqual(before);
  });

  it('checks the input: zh-TW messages by field', async () => {
    const v = async (payload: unknown) => refusal(await c.t.raw('guides.save', payload, c.admin));
    expect(await v({ key: 'closing', body: '   ', effectiveFrom: TODAY })).toMatchObject({ code: 'VALIDATION', fields: { body: '請填寫指引內容' } });
    expect(await v({ key: 'closing', effectiveFrom: TODAY })).toMatchObject({ code: 'VALIDATION', fields: { body: '請填寫指引內容' } });
    expect(await v({ key: 'closing', body: '字'.repeat(2001), effectiveFrom: TODAY })).toMatchObject({ fields: { body: '指引內容最多 2000 個字' } });
    expect(await v({ key: 'closing', body: Array(41).fill('- 一行').join('\n'), effectiveFrom: TODAY })).toMatchObject({ fields: { body: '指引內容最多 40 行，請精簡' } });
    expect(await v({ key: 'item:不存在', body: '內容', effectiveFrom: TODAY })).toMatchObject({ fields: { key: '作業指引的項目不正確' } });
    expect(await v({ key: 'closing', body: '內容' })).toMatchObject({ fields: { effectiveFrom: '請填寫生效日' } });
    expect(await v({ key: 'closing', body: '內容', effectiveFrom: '2026-02-30' })).toMatchObject({ fields: { effectiveFrom: '生效日格式不正確' } });
    expect(await v({ key: 'closing', body: '內容', effectiveFrom: TODAY, note: '長'.repeat(201) })).toMatchObject({ fields: { note: '修訂說明最多 200 個字' } });
    expect(refusal(await c.t.raw('guides.get', { key: 'closing', on: '115/03/05' }, c.w1.token))).toMatchObject({ code: 'VALIDATION', fields: { on: '日期格式應為 YYYY-MM-DD，且須為有效日期' } });
  });

  it('only the 管理者 saves; staff read; the food bank clerk and the auditor do not see guides', async () => {
    const before = await counts();
    for (const token of [c.w1.token, c.sup1.token]) {
      expect(refusal(await c.t.raw('guides.save', { key: 'closing', body: '社工自己改', effectiveFrom: TODAY }, token)).code).toBe('FORBIDDEN');
    }
    for (const token of [c.clerk.token, c.auditor.token]) {
      expect(refusal(await c.t.raw('guides.list', {}, token)).code).toBe('FORBIDDEN');
      expect(refusal(await c.t.raw('guides.get', { key: 'closing' }, token)).code).toBe('FORBIDDEN');
    }
    // The service's own gate, behind the contract's.
    await expect(saveGuide(c.t.app.ctx.db, { userId: c.w1.id, username: 'sw1', displayName: 'sw1', role: 'worker', teamId: c.team1 }, { key: 'closing', body: 'x', effectiveFrom: TODAY }, c.t.clock.now)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: '只有管理者可以編寫作業指引。',
    });
    expect(() => assertGuideAccess({ role: 'foodbank' }, false)).toThrow('您的角色不能檢視作業指引。');
    expect(() => assertGuideAccess({ role: 'supervisor' }, false)).not.toThrow();
    const counted = await counts();
    expect(counted.versions).toBe(before.versions);
  });
});

describe('parseGuideBody: plain text into paragraphs and bullet lists, never markup', () => {
  it('splits lines, bullets and blank lines', () => {
    expect(parseGuideBody('第一行\n第二行\n\n- 甲\n・乙\n* 丙\n1. 編號照打\n<b>不是粗體</b>\n\n\n')).toEqual([
      { kind: 'paragraph', lines: ['第一行', '第二行'] },
      { kind: 'bullets', items: ['甲', '乙', '丙'] },
      { kind: 'paragraph', lines: ['1. 編號照打', '<b>不是粗體</b>'] },
    ]);
    expect(parseGuideBody('\r\n  \r\n- 只有項目\r\n-\r\n')).toEqual([{ kind: 'bullets', items: ['只有項目'] }, { kind: 'paragraph', lines: ['-'] }]);
    expect(parseGuideBody('')).toEqual([]);
  });
});
