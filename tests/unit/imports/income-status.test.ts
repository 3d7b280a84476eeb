/**
 * The 低收入戶／中低收入戶名冊 import kind (issue 12 §3) against a real database (SQLite, and
 * PostgreSQL in that run): parse (IDs, 類別 forms, ROC dates, errors with their field), classify
 * (change, 不變, follow-up for unknown people, duplicates in the file), commit (periods, the current
 * value, every write recorded for undo), an undo replayed from the recorded effects puts the
 * database back, and a later change of the same person blocks the undo. People absent from the list
 * keep their status.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { writeTransaction } from '../../../db/tx';
import { categoryOf, incomeStatusKind as kind, type IncomeStatusRow } from '../../../main/services/imports/kinds/income-status';
import { importKind } from '../../../main/services/imports/kinds';
import type { CommitRow, KindContext, ParsedRow, RecordedEffect, SourceRow } from '../../../main/services/imports/types';
import { createCenter, household, type Center } from '../households-fixture';
import { setToday } from '../programmes-fixture';

const IDS = { lin: 'A123456789', chen: 'B120000008', huang: 'F131104093', chang: 'C220000001', stranger: 'D120000000' };

/** A row as the reader would hand it over: column letters in the order of the fields given. */
function src(line: number, cells: Record<string, string | { text: string; date?: string; number?: number }>): SourceRow {
  const out: SourceRow = { line, cells: {} };
  Object.entries(cells).forEach(([k, v], i) => {
    out.cells[k] = typeof v === 'string' ? { col: String.fromCharCode(65 + i), text: v } : { col: String.fromCharCode(65 + i), ...v };
  });
  return out;
}

describe('income-status kind', () => {
  let c: Center;
  let db: Kysely<Database>;
  const p: Record<string, number> = {};
  const ctx: KindContext = { actor: { id: 0, role: 'admin', teamId: null }, today: '2026-03-20', now: '2026-03-20T02:00:00.000Z', options: { period: '2026-03-01' } };
  const periods = async (personId: number) =>
    db.selectFrom('person_income_status').select(['status', 'valid_from', 'valid_to', 'source']).where('person_id', '=', personId).orderBy('valid_from').execute();
  const snapshot = async () => ({
    periods: await db.selectFrom('person_income_status').selectAll().orderBy('id').execute(),
    persons: await db.selectFrom('persons').select(['id', 'income_status', 'version', 'updated_at', 'updated_by']).orderBy('id').execute(),
  });

  beforeAll(async () => {
    c = await createCenter();
    db = c.t.app.ctx.db;
    ctx.actor.id = c.adminId;
    const tok = c.admin;
    await setToday(c, '2026-03-05');
    // 林 no status; 陳 低收 since registration (115/03/05); 黃 中低收 since 115/03/05; 張 低收 since 115/03/05 (absent from the list).
    const h = await household(c, tok, { name: '林志明', nationalId: IDS.lin, birthDate: '1985-02-01' }, { others: [{ person: { name: '林小安', birthDate: '2019-05-01' }, relation: '子女' }] });
    p.lin = h.members.find((m) => m.name === '林志明')!.personId;
    p.chen = (await c.t.call('persons.create', { name: '陳美玲', nationalId: IDS.chen, incomeStatus: 'low' }, tok)).id;
    p.huang = (await c.t.call('persons.create', { name: '黃建國', nationalId: IDS.huang, incomeStatus: 'mid-low' }, tok)).id;
    p.chang = (await c.t.call('persons.create', { name: '張淑芬', nationalId: IDS.chang, incomeStatus: 'low' }, tok)).id;
    await setToday(c, '2026-03-20');
  }, 60_000);
  afterAll(async () => c?.t.close());

  it('is registered with its label and admin-only role; reads 類別 in its common forms', () => {
    expect(importKind('income-status')?.label).toBe('低收入戶／中低收入戶名冊');
    expect(kind.roles).toEqual(['admin']);
    expect(['低收入戶', '低收', '第一款', '第 三 款', '第4類', '低收入戶第二款'].map(categoryOf)).toEqual(['low', 'low', 'low', 'low', 'low', 'low']);
    expect(['中低收入戶', '中低收', '中低'].map(categoryOf)).toEqual(['mid-low', 'mid-low', 'mid-low']);
    expect(['一般戶', '第五款', ''].map(categoryOf)).toEqual([null, null, null]);
    expect(kind.options.safeParse({ period: '2026-03-01' }).success).toBe(true);
    expect(kind.options.safeParse({}).success).toBe(false);
  });

  it('parses dates in ROC forms and date cells, the list period when 核定日期 is empty; errors name their field', () => {
    const ok = kind.parse(src(2, { nationalId: IDS.lin.toLowerCase(), name: '林志明', category: '第二款', from: '115/3/1', to: '1150630' }), ctx);
    expect(ok).toEqual({ ok: true, value: { nationalId: IDS.lin, name: '林志明', status: 'low', from: '2026-03-01', to: '2026-06-30' } });
    const cell = kind.parse(src(3, { nationalId: IDS.chen, name: '陳美玲', category: '中低收入戶', from: { text: '46082', date: '2026-03-01', number: 46082 } }), ctx);
    expect(cell).toMatchObject({ ok: true, value: { status: 'mid-low', from: '2026-03-01', to: null } });
    expect(kind.parse(src(4, { nationalId: IDS.chen, name: '陳美玲', category: '低收' }), ctx)).toMatchObject({ ok: true, value: { from: '2026-03-01' } });
    const bad = kind.parse(src(5, { nationalId: 'A123456788', name: '', category: '一般戶', from: '115/13/01', headNationalId: 'Z999' }), ctx);
    expect(bad.ok).toBe(false);
    const fields = bad.ok ? [] : bad.problems.map((x) => x.field);
    expect(fields).toEqual(['nationalId', 'name', 'category', 'from', 'headNationalId']);
    if (!bad.ok) {
      expect(bad.problems[0]!.message).toContain('檢查碼');
      expect(bad.problems[2]!.message).toContain('類別「一般戶」無法辨識');
      expect(bad.problems[3]!.message).toContain('核定日期「115/13/01」');
    }
    const backwards = kind.parse(src(6, { nationalId: IDS.lin, name: '林志明', category: '低收', from: '115/05/01', to: '115/04/30' }), ctx);
    expect(backwards).toEqual({ ok: false, problems: [{ field: 'to', message: '截止日期 115/04/30 早於核定日期 115/05/01' }] });
  });

  let parsed: ParsedRow<IncomeStatusRow>[];
  let effects: RecordedEffect[];

  it('classifies: a change with its from/to, 不變, a taken-over registration, a follow-up, a duplicate', async () => {
    const rows = [
      src(2, { nationalId: IDS.lin, name: '林志明', category: '低收入戶', from: '115/03/01' }),
      src(3, { nationalId: IDS.chen, name: '陳美玲', category: '第一款', from: '115/03/05' }),
      src(4, { nationalId: IDS.huang, name: '黃建國', category: '低收入戶', from: '115/03/01', to: '115/06/30' }),
      src(5, { nationalId: IDS.stranger, name: '吳明', category: '中低收入戶' }),
      src(6, { nationalId: IDS.lin, name: '林志明', category: '中低收入戶' }),
      src(7, { nationalId: IDS.chen, name: '陳美鈴', category: '低收', from: '115/03/05' }),
    ];
    parsed = rows.map((r) => {
      const v = kind.parse(r, ctx);
      if (!v.ok) throw new Error(JSON.stringify(v.problems));
      return { line: r.line, value: v.value };
    });
    const before = await snapshot();
    const cls = await kind.classify(db, parsed, ctx);
    expect(await snapshot()).toEqual(before); // read-only
    expect(cls[0]).toEqual({ status: 'match', summary: '林志明（A12****789）低收入戶', targetId: p.lin, changes: [{ field: '福利身分', from: '無', to: '低收入戶（115/03/01 起）' }] });
    expect(cls[1]).toEqual({ status: 'match', summary: '陳美玲（B12****008）低收入戶', targetId: p.chen, changes: [] });
    expect(cls[2]).toMatchObject({ status: 'match', targetId: p.huang, changes: [{ field: '福利身分', from: '中低收入戶（115/03/05 起）', to: '低收入戶（115/03/01 至 115/06/30）' }] });
    expect(cls[3]).toEqual({ status: 'followup', summary: '吳明（D12****000）中低收入戶', reason: '中心無此人，列入追蹤名單' });
    expect(cls[4]).toMatchObject({ status: 'duplicate', ofLine: 2 });
    expect(cls[5]).toMatchObject({ status: 'duplicate', ofLine: 3 });
  });

  it('commits periods and the current value in one transaction, recording every write; absent people keep their status', async () => {
    const cls = await kind.classify(db, parsed, ctx);
    const personsBefore = await db.selectFrom('persons').select(['id', 'version']).orderBy('id').execute();
    const before = await snapshot();
    const recorded: RecordedEffect[] = [];
    const progress: number[] = [];
    const commitRows: CommitRow<IncomeStatusRow>[] = parsed
      .map((r, i) => ({ line: r.line, value: r.value, classification: cls[i]!, decision: null }))
      .filter((r) => r.classification.status === 'match');
    const outcomes = await writeTransaction(db, (trx) =>
      kind.commit(
        trx,
        commitRows,
        ctx,
        {
          inserted: (table, key) => recorded.push({ table, key, action: 'insert', before: null }),
          updated: (table, key, b) => recorded.push({ table, key, action: 'update', before: b }),
        },
        async (n) => {
          progress.push(n);
        },
      ),
    );
    effects = recorded;
    expect(outcomes).toEqual([
      { line: 2, result: '更新福利身分：低收入戶（115/03/01 起）', targetId: p.lin },
      { line: 3, result: '不變', targetId: p.chen },
      { line: 4, result: '更新福利身分：低收入戶（115/03/01 至 115/06/30）', targetId: p.huang },
    ]);
    expect(progress).toEqual([3]);
    expect(await periods(p.lin as number)).toEqual([{ status: 'low', valid_from: '2026-03-01', valid_to: null, source: '匯入' }]);
    // 黃's registration period (中低收 from 115/03/05) is taken over by the list's 低收 from 115/03/01 to 115/06/30.
    expect(await periods(p.huang as number)).toEqual([{ status: 'low', valid_from: '2026-03-01', valid_to: '2026-06-30', source: '匯入' }]);
    expect(await periods(p.chang as number)).toEqual([{ status: 'low', valid_from: '2026-03-05', valid_to: null, source: '手動' }]);
    const cache = await db.selectFrom('persons').select(['id', 'income_status']).where('id', 'in', [p.lin!, p.huang!, p.chen!, p.chang!]).orderBy('id').execute();
    expect(Object.fromEntries(cache.map((r) => [r.id, r.income_status]))).toEqual({ [p.lin!]: 'low', [p.chen!]: 'low', [p.huang!]: 'low', [p.chang!]: 'low' });
    // The persons whose current value changed got a new version (a form opened before is refused).
    const after = new Map((await db.selectFrom('persons').select(['id', 'version']).execute()).map((r) => [r.id, r.version]));
    for (const r of personsBefore) expect(after.get(r.id)).toBe(r.id === p.lin || r.id === p.huang ? r.version + 1 : r.version);
    expect(recorded.map((e) => `${e.action} ${e.table}`).sort()).toEqual(['insert person_income_status', 'update person_income_status', 'update persons', 'update persons']);
    expect(await kind.undoBlockers(db, recorded)).toEqual([]);

    // Undo as the core does it: the log backwards; the database is as before.
    await writeTransaction(db, async (trx) => {
      for (const e of [...recorded].reverse()) {
        const where = Object.entries(e.key);
        if (e.action === 'insert') {
          let q = trx.deleteFrom(e.table as 'person_income_status');
          for (const [k, v] of where) q = q.where(k as 'id', '=', v as number);
          await q.execute();
        } else {
          let q = trx.updateTable(e.table as 'persons').set(e.before as never);
          for (const [k, v] of where) q = q.where(k as 'id', '=', v as number);
          await q.execute();
        }
      }
    });
    const back = await snapshot();
    expect(back.persons).toEqual(before.persons);
    expect(back.periods).toEqual(before.periods);
  });

  it('a later change of the same person blocks the undo: an edit in the app, or another list', async () => {
    const cls = await kind.classify(db, parsed, ctx);
    const run = async (rows: CommitRow<IncomeStatusRow>[], at: KindContext) => {
      const recorded: RecordedEffect[] = [];
      await writeTransaction(db, (trx) =>
        kind.commit(trx, rows, at, { inserted: (table, key) => recorded.push({ table, key, action: 'insert', before: null }), updated: (table, key, b) => recorded.push({ table, key, action: 'update', before: b }) }, async () => undefined),
      );
      return recorded;
    };
    const rows = parsed.map((r, i) => ({ line: r.line, value: r.value, classification: cls[i]!, decision: null })).filter((r) => r.classification.status === 'match');
    const first = await run(rows, ctx);
    expect(await kind.undoBlockers(db, first)).toEqual([]);
    // 林's status is edited in the app a day later.
    await setToday(c, '2026-03-21');
    const v = (await c.t.call('persons.get', { id: p.lin as number }, c.admin)).version;
    await c.t.call('persons.update', { id: p.lin as number, version: v, incomeStatus: 'mid-low' }, c.admin);
    expect(await kind.undoBlockers(db, first)).toEqual([`個人 #${p.lin} 的福利身分在本批匯入之後已有變更`]);
    // Next month's list ends 黃's status: the first batch is blocked for 黃 too.
    const later: KindContext = { ...ctx, today: '2026-04-02', now: '2026-04-02T02:00:00.000Z', options: { period: '2026-04-01' } };
    const row = kind.parse(src(2, { nationalId: IDS.huang, name: '黃建國', category: '低收入戶', from: '115/03/01', to: '115/03/31' }), later);
    if (!row.ok) throw new Error('parse');
    const [cl] = await kind.classify(db, [{ line: 2, value: row.value }], later);
    expect(cl).toMatchObject({ status: 'match', changes: [{ field: '福利身分', from: '低收入戶（115/03/01 至 115/06/30）', to: '低收入戶（115/03/01 至 115/03/31）' }] });
    const second = await run([{ line: 2, value: row.value, classification: cl!, decision: null }], later);
    expect(await kind.undoBlockers(db, first)).toEqual([`個人 #${p.lin} 的福利身分在本批匯入之後已有變更`, `個人 #${p.huang} 的福利身分在本批匯入之後已有變更`]);
    expect(await kind.undoBlockers(db, second)).toEqual([]);
    expect(effects.length).toBeGreaterThan(0);
  });
});
