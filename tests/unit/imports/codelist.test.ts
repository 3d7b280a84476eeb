/**
 * The code list import (代碼表, kinds/codelist.ts) against a real database (SQLite, and PostgreSQL through
 * scripts/with-postgres.mjs): the 脆弱性因子 list as the central level sends it, compared with the newest
 * version (new / same / changed label / dropped / duplicate / error), committed as a new version with an
 * effective date, undone by replaying its effects, and no longer undoable once a case is coded with it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codelistKind, type CodeRow } from '../../../main/services/imports/kinds/codelist';
import { importKind } from '../../../main/services/imports/kinds/index';
import type { KindContext } from '../../../main/services/imports/types';
import { ApiError } from '../../../main/contract/envelope';
import { createFixture, type Fixture } from '../cases-fixture';
import { commitAll, parseAll, replayBackwards, snapshot, sourceRow } from './import-harness';

const TABLES = ['code_list_versions', 'code_list_items', 'cases'] as const;

describe('code list import (代碼表)', () => {
  let f: Fixture;
  let items: { code: string; group_code: string | null; label: string }[];
  const ctxFor = (effectiveFrom: string): KindContext => ({
    actor: { id: f.admin.id, role: 'admin', teamId: null },
    today: '2026-03-05',
    now: f.t.clock.now.toISOString(),
    options: { list: 'vulnerability', effectiveFrom, note: '中央 115 年修訂' },
  });
  /** The newest version as the central sheet lists it: 代碼, 名稱, 面向, 排序 (from line 2). */
  const sheet = (rows: { code: string; label: string; group: string | null; sort?: string }[]) =>
    rows.map((r, i) => sourceRow(i + 2, { code: r.code, label: r.label, group: r.group ?? '', sort: r.sort ?? '' }));

  beforeAll(async () => {
    f = await createFixture();
    const v = await f.t.app.ctx.db.selectFrom('code_list_versions').select('id').where('list', '=', 'vulnerability').orderBy('effective_from', 'desc').limit(1).executeTakeFirstOrThrow();
    items = await f.t.app.ctx.db.selectFrom('code_list_items').select(['code', 'group_code', 'label']).where('version_id', '=', v.id).orderBy('sort').execute();
  });
  afterAll(async () => {
    await f?.close();
  });

  it('is registered for 管理者 only, with the lists the app knows as an option', () => {
    expect(importKind('codelist')).toBe(codelistKind);
    expect(codelistKind.roles).toEqual(['admin']);
    expect(codelistKind.options.safeParse({ list: 'vulnerability', effectiveFrom: '2026-03-01' }).success).toBe(true);
    const bad = codelistKind.options.safeParse({ list: 'nope', effectiveFrom: '115/03/01' });
    expect(bad.success ? [] : bad.error.issues.map((i) => i.message)).toEqual(['請選擇代碼表', '生效日期格式應為 YYYY-MM-DD，且須為有效日期']);
  });

  it('parses codes, labels, 面向 and 排序 with the field at fault', () => {
    const ok = codelistKind.parse(sourceRow(2, { code: ' 1-01 ', label: '失業', group: '1', sort: { text: '3', number: 3 } }), ctxFor('2026-03-01'));
    expect(ok).toEqual({ ok: true, value: { code: '1-01', label: '失業', group: '1', sort: 3 } });
    const bad = codelistKind.parse(sourceRow(3, { code: '', label: '', group: '1', sort: 'x' }), ctxFor('2026-03-01'));
    expect(bad.ok ? [] : bad.problems.map((p) => [p.field, p.message])).toEqual([
      ['code', '代碼不可空白'],
      ['label', '名稱不可空白'],
      ['sort', '排序須為整數，檔案中是「x」'],
    ]);
    const self = codelistKind.parse(sourceRow(4, { code: '7', label: '自己', group: '7' }), ctxFor('2026-03-01'));
    expect(self.ok ? [] : self.problems.map((p) => p.field)).toEqual(['group']);
  });

  it('refuses an effective date not after the newest version, beside 生效日期', async () => {
    const parsed = parseAll(codelistKind, sheet([{ code: '1', label: '家庭經濟陷困', group: null }]), ctxFor('2025-07-01'));
    const err = (await codelistKind.classify(f.t.app.ctx.db, parsed.ok, ctxFor('2025-07-01')).catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'RULE', fields: { effectiveFrom: '須晚於最新版本' } });
    expect(err.message).toContain('114/07/01');
    expect(err.message).toContain('114/07/02');
  });

  it('classifies against the newest version, commits a new version, undoes by replaying the effects, then refuses once a case uses it', async () => {
    const d = f.t.app.ctx.db;
    const dropped = items.find((i) => i.code === '1-03') as (typeof items)[number];
    const rows = items
      .filter((i) => i !== dropped)
      .map((i) => ({ code: i.code, label: i.code === '1-04' ? '居住環境不佳' : i.label, group: i.group_code }));
    rows.push({ code: '6-99', label: '其他個人生活適應困難', group: '6' });
    rows.push({ code: '1-04', label: '重複的列', group: '1' });
    rows.push({ code: '', label: '沒有代碼', group: '1' });
    rows.push({ code: '9-01', label: '不存在的面向', group: '9' });
    const ctx = ctxFor('2026-03-01');
    const file = sheet(rows);
    const parsed = parseAll(codelistKind, file, ctx);
    expect(parsed.errors).toEqual([{ line: file.length, problems: [{ field: 'code', message: '代碼不可空白' }] }]);
    const classes = await codelistKind.classify(d, parsed.ok, ctx);
    const by = (code: string) => classes[parsed.ok.findIndex((r) => r.value.code === code)];
    expect(by('1')).toMatchObject({ status: 'match', changes: [] });
    expect(by('2-01')).toMatchObject({ status: 'match', changes: [] });
    expect(by('1-04')).toMatchObject({ status: 'match', changes: [{ field: '名稱', from: '居住環境不佳或居家安全堪虞', to: '居住環境不佳' }] });
    expect(by('6-99')).toMatchObject({ status: 'new', summary: '6-99 其他個人生活適應困難（6）' });
    expect(classes.filter((c) => c.status === 'duplicate')).toEqual([{ status: 'duplicate', summary: '1-04 重複的列（1）', ofLine: parsed.ok.find((r) => r.value.code === '1-04')?.line }]);
    expect(by('9-01')).toMatchObject({ status: 'error', problems: [{ field: 'group', message: expect.stringContaining('面向「9」不在檔案中') }] });
    // The dropped code is shown on the first importable row.
    expect(classes[0]?.status === 'match' && classes[0].flags).toEqual([`新版本不含目前版本（114/07/01 起）的 1 個代碼：1-03 ${dropped.label}`]);

    const before = await snapshot(d, TABLES);
    const { outcomes, effects } = await commitAll(d, codelistKind, parsed.ok, classes, ctx);
    const version = await d.selectFrom('code_list_versions').selectAll().where('effective_from', '=', '2026-03-01').executeTakeFirstOrThrow();
    expect(version).toMatchObject({ list: 'vulnerability', note: '中央 115 年修訂', created_by: f.admin.id });
    const stored = await d.selectFrom('code_list_items').select(['code', 'label', 'group_code', 'sort']).where('version_id', '=', version.id).orderBy('sort').execute();
    expect(stored.map((s) => s.code)).toEqual([...items.filter((i) => i !== dropped).map((i) => i.code), '6-99']);
    expect(stored.find((s) => s.code === '1-04')?.label).toBe('居住環境不佳');
    expect(stored.map((s) => s.sort)).toEqual(stored.map((_, i) => i + 1));
    expect(outcomes.find((o) => o.line === parsed.ok.find((r) => r.value.code === '1-04')?.line)?.result).toBe('115/03/01 起版本：沿用代碼，變更名稱 1-04');
    expect((await f.call(f.w1, 'codelists.get', { list: 'vulnerability', onDate: '2026-03-01' })).version.id).toBe(version.id);
    expect((await f.call(f.w1, 'codelists.get', { list: 'vulnerability', onDate: '2026-02-28' })).version.effectiveFrom).toBe('2025-07-01');

    expect(await codelistKind.undoBlockers(d, effects)).toEqual([]);
    await replayBackwards(d, effects);
    expect(await snapshot(d, TABLES)).toEqual(before);

    // Again; this time a case is coded with the new version and a later version follows: no undo.
    const again = await commitAll(d, codelistKind, parsed.ok, await codelistKind.classify(d, parsed.ok, ctx), ctx);
    const coded = await f.intake(f.w1, { receivedAt: f.ago(30), factors: ['6-99'] });
    expect(coded.factors.map((x) => x.code)).toEqual(['6-99']);
    const later = ctxFor('2026-03-04');
    const next = await commitAll(d, codelistKind, parsed.ok, await codelistKind.classify(d, parsed.ok, later), later);
    expect(await codelistKind.undoBlockers(d, again.effects)).toEqual([
      `已有 1 個個案以此版本（115/03/01 起）登錄脆弱性因子，例如 ${coded.caseNo}`,
      '此後已新增更新的版本（115/03/04 起）',
    ]);
    expect(await codelistKind.undoBlockers(d, next.effects)).toEqual([]);
  });

  it('orders by 排序 when the file gives it', async () => {
    const d = f.t.app.ctx.db;
    const ctx = ctxFor('2026-03-05');
    const parsed = parseAll<CodeRow>(codelistKind, sheet([
      { code: 'B', label: '乙', group: null, sort: '2' },
      { code: 'A', label: '甲', group: null, sort: '1' },
      { code: 'A-1', label: '甲一', group: 'A' },
    ]), ctx);
    const classes = await codelistKind.classify(d, parsed.ok, ctx);
    // Everything the current version has is dropped: the flag says how many.
    expect(classes[0]?.status === 'new' && classes[0].flags?.[0]).toMatch(/^新版本不含目前版本（115\/03\/04 起）的 \d+ 個代碼：1 家庭經濟陷困、/);
    await commitAll(d, codelistKind, parsed.ok, classes, ctx);
    const v = await d.selectFrom('code_list_versions').select('id').where('effective_from', '=', '2026-03-05').executeTakeFirstOrThrow();
    expect((await d.selectFrom('code_list_items').select('code').where('version_id', '=', v.id).orderBy('sort').execute()).map((r) => r.code)).toEqual(['A', 'B', 'A-1']);
  });
});
