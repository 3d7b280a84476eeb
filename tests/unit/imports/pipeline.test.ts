/**
 * The import pipeline's core through the real dispatcher, on a real database (SQLite, or PostgreSQL under
 * scripts/with-postgres.mjs), with a small kind of its own defined here (people: 姓名, 出生日期, 電話 → persons):
 * dry run classifies and places problems in their cells, exclusions and decisions are honoured, commit writes
 * in one transaction and records its effects, cancel leaves nothing, undo restores and is refused after 7 days
 * or after a change, progress advances, the result report is an xlsx with ROC dates, audit rows hold counts only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import * as XLSX from 'xlsx';
import type { ImportJobProgress } from '../../../main/contract/methods/imports';
import { registerImportKind } from '../../../main/services/imports/registry';
import { cellDate, cellText } from '../../../main/services/imports/cells';
import type { Classification, ImportKind, ImportKindName, RowOutcome, RowProblem } from '../../../main/services/imports/types';
import { createTestApp, onPostgres, openSession, setIdleLockMinutes, type TestApp } from '../../helpers/app';
import { exec, row, rows } from '../../helpers/db';

interface Person {
  name: string;
  birth: string | null;
  phone: string;
}

/** Test hooks: a promise the kind waits on in classify / commit (to cancel at a known point). */
const gates: { classify: Promise<void> | null; commitAtRow: number; commit: Promise<void> | null } = { classify: null, commitAtRow: -1, commit: null };

const peopleKind: ImportKind<Person> = {
  name: 'codelist' as ImportKindName, // a name the contract accepts; the real kind is replaced in this test process only
  label: '測試人員名單',
  roles: ['admin', 'worker'],
  fields: [
    { key: 'name', label: '姓名', required: true, headers: ['姓名', '名字'] },
    { key: 'birth', label: '出生日期', required: false, headers: ['出生日期', '生日'], hint: '民國或西元日期皆可' },
    { key: 'phone', label: '電話', required: false, headers: ['電話', '聯絡電話'] },
  ],
  options: z.strictObject({ note: z.string().max(10).optional() }),
  parse(r) {
    const name = cellText(r, 'name');
    const birth = cellDate(r, 'birth', '出生日期');
    const problems: RowProblem[] = [];
    if (name === '') problems.push({ field: 'name', message: '姓名必填' });
    if (!birth.ok) problems.push(birth.problem);
    if (problems.length > 0 || !birth.ok) return { ok: false, problems };
    return { ok: true, value: { name, birth: birth.value, phone: cellText(r, 'phone') } };
  },
  async classify(db, parsed) {
    if (gates.classify) await gates.classify;
    const names = [...new Set(parsed.map((p) => p.value.name))];
    const known: { id: number; name: string; birth_date: string | null; phone: string | null }[] = [];
    for (let i = 0; i < names.length; i += 500) {
      known.push(...(await db.selectFrom('persons').select(['id', 'name', 'birth_date', 'phone']).where('name', 'in', names.slice(i, i + 500)).execute()));
    }
    const seen = new Map<string, number>();
    return parsed.map((p): Classification => {
      const key = `${p.value.name}|${p.value.birth}`;
      const summary = p.value.name;
      const first = seen.get(key);
      if (first !== undefined) return { status: 'duplicate', summary, ofLine: first };
      seen.set(key, p.line);
      if (p.value.name.startsWith('追蹤')) return { status: 'followup', summary, reason: '名單中的人尚未列管' };
      const same = known.find((k) => k.name === p.value.name && k.birth_date === p.value.birth);
      if (same) {
        const changes = (same.phone ?? '') === p.value.phone ? [] : [{ field: '電話', from: same.phone ?? '', to: p.value.phone }];
        return { status: 'match', summary, targetId: same.id, changes };
      }
      if (known.some((k) => k.name === p.value.name)) {
        return {
          status: 'decide',
          summary,
          question: '已有同名但生日不同的人',
          options: [
            { value: 'same', label: '視為同一人' },
            { value: 'new', label: '建立新的個人' },
          ],
        };
      }
      return { status: 'new', summary };
    });
  },
  async commit(trx, commitRows, ctx, effects, progress) {
    const out: RowOutcome[] = [];
    let i = 0;
    for (const r of commitRows) {
      i++;
      if (i === gates.commitAtRow && gates.commit) await gates.commit;
      const c = r.classification;
      if (c.status === 'match' || (c.status === 'decide' && r.decision === 'same')) {
        const target = c.status === 'match' ? c.targetId : (await trx.selectFrom('persons').select('id').where('name', '=', r.value.name).orderBy('id').executeTakeFirstOrThrow()).id;
        const before = await trx.selectFrom('persons').select(['phone']).where('id', '=', target).executeTakeFirstOrThrow();
        if ((before.phone ?? '') !== r.value.phone) {
          await trx.updateTable('persons').set({ phone: r.value.phone, version: (eb) => eb('version', '+', 1), updated_at: ctx.now }).where('id', '=', target).execute();
          effects.updated('persons', { id: target }, { phone: before.phone });
          out.push({ line: r.line, result: `更新個人 #${target} 電話`, targetId: target });
        } else {
          out.push({ line: r.line, result: `個人 #${target} 無需更新`, targetId: target });
        }
      } else {
        const { id } = await trx
          .insertInto('persons')
          .values({ name: r.value.name, birth_date: r.value.birth, phone: r.value.phone || null, created_at: ctx.now, created_by: ctx.actor.id, updated_at: ctx.now, updated_by: ctx.actor.id })
          .returning('id')
          .executeTakeFirstOrThrow();
        effects.inserted('persons', { id });
        out.push({ line: r.line, result: `新增個人 #${id}`, targetId: id });
      }
      await progress(i);
    }
    return out;
  },
  async undoBlockers(db, recorded) {
    const ids = recorded.filter((e) => e.action === 'insert' && e.table === 'persons').map((e) => Number(e.key.id));
    if (ids.length === 0) return [];
    const members = await db.selectFrom('household_members').select('person_id').where('person_id', 'in', ids).execute();
    return members.map((m) => `個人 #${m.person_id} 已加入家戶`);
  },
};

function xlsxBase64(aoa: (string | number)[][]): string {
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(aoa), '名單');
  return XLSX.write(book, { type: 'base64', bookType: 'xlsx' }) as string;
}

const HEADER = ['姓名', '出生日期', '電話'];

describe('import pipeline core', () => {
  let t: TestApp;
  let admin: string;
  let unregister: () => void;

  async function waitJob(jobId: string, token = admin): Promise<{ last: ImportJobProgress; seen: ImportJobProgress[] }> {
    const seen: ImportJobProgress[] = [];
    for (let i = 0; i < 2000; i++) {
      const p = await t.call('imports.progress', { jobId }, token);
      seen.push(p);
      if (p.state !== 'running') return { last: p, seen };
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error('job did not end');
  }

  async function dryRun(aoa: (string | number)[][], source = '測試來源', token = admin): Promise<number> {
    const { jobId } = await t.call(
      'imports.dryRun',
      { kind: 'codelist', source, fileName: '名單.xlsx', dataBase64: xlsxBase64(aoa), sheet: '名單', headerRow: 1, mapping: { name: 'A', birth: 'B', phone: 'C' }, options: {} },
      token,
    );
    const { last } = await waitJob(jobId, token);
    expect(last.state, last.error ?? '').toBe('done');
    return last.batchId as number;
  }

  async function commit(batchId: number): Promise<ImportJobProgress> {
    const { jobId } = await t.call('imports.commit', { batchId }, admin);
    return (await waitJob(jobId)).last;
  }

  const personCount = async () => Number((await row<{ n: number }>(t.app, 'select count(*) as n from persons'))?.n);

  beforeAll(async () => {
    unregister = registerImportKind(peopleKind);
    t = await createTestApp();
    admin = await t.setupAdmin();
    await setIdleLockMinutes(t.app, 60 * 24 * 60);
    const ts = t.clock.now.toISOString();
    await exec(t.app, "insert into persons (name, birth_date, phone, created_at, updated_at) values ('王大明', '1960-01-02', '02-1111', ?, ?)", ts, ts);
    await exec(t.app, "insert into persons (name, birth_date, phone, created_at, updated_at) values ('李小華', '1970-05-06', '02-2222', ?, ?)", ts, ts);
    await exec(t.app, "insert into persons (name, birth_date, phone, created_at, updated_at) values ('陳同名', '1980-01-01', null, ?, ?)", ts, ts);
  });
  afterAll(async () => {
    unregister?.();
    await t?.close();
  });

  it('inspect suggests the mapping from the headers, then from the saved mapping of the source', async () => {
    const data = xlsxBase64([['聯絡電話', '名字', '生日'], ['02-9', '甲', '115/1/2']]);
    const first = await t.call('imports.inspect', { kind: 'codelist', fileName: 'x.xlsx', dataBase64: data }, admin);
    expect(first.sheets).toEqual([{ name: '名單', hidden: false, rowCount: 2, colCount: 3 }]);
    expect(first.headerRow).toBe(1);
    expect(first.mapping).toEqual({ name: 'B', birth: 'C', phone: 'A' });
    expect(first.mappingFrom).toEqual({ saved: false });
    expect(first.preview[1]).toEqual(['02-9', '甲', '115/1/2']);
    expect(first.dataRowCount).toBe(1);
    const corrupt = await t.raw('imports.inspect', { kind: 'codelist', fileName: 'x.xlsx', dataBase64: Buffer.from('PK\u0003\u0004 broken zip').toString('base64') }, admin);
    expect(corrupt).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    if (!corrupt.ok) expect(corrupt.error.fields?.dataBase64).toMatch(/[\u4e00-\u9fff]/);
    const bad = await t.raw('imports.inspect', { kind: 'codelist', fileName: 'x.xlsx', dataBase64: data, sheet: '沒有這張' }, admin);
    expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { sheet: '找不到這個工作表' } } });
    const unmapped = await t.raw(
      'imports.dryRun',
      { kind: 'codelist', source: 's', fileName: 'x.xlsx', dataBase64: data, sheet: '名單', headerRow: 1, mapping: { phone: 'A' }, options: {} },
      admin,
    );
    expect(unmapped).toMatchObject({ ok: false, error: { code: 'VALIDATION', fields: { 'mapping.name': '請選擇「姓名」在哪一欄' } } });
    const badOption = await t.raw(
      'imports.dryRun',
      { kind: 'codelist', source: 's', fileName: 'x.xlsx', dataBase64: data, sheet: '名單', headerRow: 1, mapping: { name: 'B' }, options: { note: 'x'.repeat(20) } },
      admin,
    );
    expect(badOption).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    if (!badOption.ok) expect(Object.keys(badOption.error.fields ?? {})).toEqual(['options.note']);
  });

  let batchId: number;
  it('dry run: every row classified, problems placed in their cell, progress advancing; nothing written to persons', async () => {
    const before = await personCount();
    const aoa: (string | number)[][] = [
      HEADER,
      ['新甲', '80/1/2', '0911'], // 2 new
      ['王大明', '1960-01-02', '02-9999'], // 3 match, phone changes
      ['李小華', '59/5/6', '02-2222'], // 4 match, no change
      ['新甲', '1991-01-02', '0911'], // 5 duplicate of 2
      ['', '80/1/2', ''], // 6 error: name missing (A)
      ['新乙', '80/13/40', ''], // 7 error: date (B)
      ['陳同名', '1990-09-09', ''], // 8 decide
      ['追蹤者', '', ''], // 9 followup
      ['新丙', '', '0922'], // 10 new
      ['', '', ''], // trailing empty row
    ];
    const { jobId } = await t.call(
      'imports.dryRun',
      { kind: 'codelist', source: '○○區公所', fileName: '名單.xlsx', dataBase64: xlsxBase64(aoa), sheet: '名單', headerRow: 1, mapping: { name: 'A', birth: 'B', phone: 'C' }, options: {} },
      admin,
    );
    const { last } = await waitJob(jobId);
    expect(last.state).toBe('done');
    expect(last.phase).toBe('done');
    expect(last.total).toBe(9);
    expect(last.done).toBe(9);
    batchId = last.batchId as number;
    expect(await personCount()).toBe(before);

    const page = await t.call('imports.rows', { batchId }, admin);
    expect(page.rows.map((r) => [r.line, r.status])).toEqual([
      [2, 'new'],
      [3, 'match'],
      [4, 'match'],
      [5, 'duplicate'],
      [6, 'error'],
      [7, 'error'],
      [8, 'decide'],
      [9, 'followup'],
      [10, 'new'],
    ]);
    expect(page.counts).toMatchObject({ new: 2, match: 2, duplicate: 1, error: 2, decide: 1, followup: 1, total: 9, excluded: 0, undecided: 1, toWrite: 4 });
    const byLine = new Map(page.rows.map((r) => [r.line, r]));
    expect(byLine.get(6)?.problems).toEqual(['第 6 列 A 欄：姓名必填']);
    expect(byLine.get(7)?.problems[0]).toMatch(/^第 7 列 B 欄：出生日期「80\/13\/40」無法辨識/);
    expect(byLine.get(3)?.changes).toEqual([{ field: '電話', from: '02-1111', to: '02-9999' }]);
    expect(byLine.get(5)?.ofLine).toBe(2);
    expect(byLine.get(8)?.options.map((o) => o.value)).toEqual(['same', 'new']);
    expect(byLine.get(9)?.reason).toBe('名單中的人尚未列管');
    const errorsOnly = await t.call('imports.rows', { batchId, status: ['error'] }, admin);
    expect(errorsOnly.rows.map((r) => r.line)).toEqual([6, 7]);

    const batch = await t.call('imports.batch', { batchId }, admin);
    expect(batch.batchNo).toBe('匯入-115-0001');
    expect(batch.state).toBe('dryrun');
    expect(batch.createdAt).toBe('115/03/05 10:00');
    expect(batch.canUndo).toBe(false);

    // The mapping was saved for the source: a file with moved columns maps itself.
    const moved = xlsxBase64([['電話', '出生日期', '姓名'], ['1', '2', '3']]);
    const again = await t.call('imports.inspect', { kind: 'codelist', fileName: 'y.xlsx', dataBase64: moved, source: '○○區公所' }, admin);
    expect(again.mappingFrom).toEqual({ saved: true, source: '○○區公所' });
    expect(again.mapping).toEqual({ name: 'C', birth: 'B', phone: 'A' });
    expect(again.sources).toContain('○○區公所');
  });

  it('progress advances through the phases on a larger file', async () => {
    const aoa: (string | number)[][] = [HEADER];
    for (let i = 0; i < 3000; i++) aoa.push([`大量${i}`, '1990-01-01', '']);
    const { jobId } = await t.call(
      'imports.dryRun',
      { kind: 'codelist', source: '大量', fileName: 'big.xlsx', dataBase64: xlsxBase64(aoa), sheet: '名單', headerRow: 1, mapping: { name: 'A', birth: 'B' }, options: {} },
      admin,
    );
    const { last, seen } = await waitJob(jobId);
    expect(last.state).toBe('done');
    const parse = seen.filter((p) => p.phase === 'parse').map((p) => p.done);
    const phases = new Set(seen.map((p) => p.phase));
    expect(phases.size).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < parse.length; i++) expect(parse[i]).toBeGreaterThanOrEqual(parse[i - 1] as number);
    expect(last.done).toBe(3000);
    expect(last.total).toBe(3000);
  });

  it('cancel during the dry run discards it: no batch stored', async () => {
    const batches = Number((await row<{ n: number }>(t.app, 'select count(*) as n from import_batches'))?.n);
    let release!: () => void;
    gates.classify = new Promise<void>((r) => (release = r));
    const { jobId } = await t.call(
      'imports.dryRun',
      { kind: 'codelist', source: '取消', fileName: 'c.xlsx', dataBase64: xlsxBase64([HEADER, ['取消甲', '', '']]), sheet: '名單', headerRow: 1, mapping: { name: 'A' }, options: {} },
      admin,
    );
    for (let i = 0; i < 500; i++) {
      if ((await t.call('imports.progress', { jobId }, admin)).phase === 'classify') break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const c = await t.call('imports.cancel', { jobId }, admin);
    expect(c.state).toBe('running');
    release();
    gates.classify = null;
    const { last } = await waitJob(jobId);
    expect(last.state).toBe('cancelled');
    expect(last.error).toBe('已取消試匯入。');
    expect(Number((await row<{ n: number }>(t.app, 'select count(*) as n from import_batches'))?.n)).toBe(batches);
  });

  it('a job and a batch are seen by the user who started them (and administrators) only', async () => {
    const other = await t.createUser(admin, 'w-imports', 'worker');
    const { jobId } = await t.call(
      'imports.dryRun',
      { kind: 'codelist', source: '私人', fileName: 'p.xlsx', dataBase64: xlsxBase64([HEADER, ['私人甲', '', '']]), sheet: '名單', headerRow: 1, mapping: { name: 'A' }, options: {} },
      admin,
    );
    expect(await t.raw('imports.progress', { jobId }, other.token)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await t.raw('imports.cancel', { jobId }, other.token)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const { last } = await waitJob(jobId);
    expect(last.state).toBe('done');
    expect(await t.raw('imports.batch', { batchId }, other.token)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect((await t.call('imports.batches', {}, other.token)).rows).toEqual([]);
    expect(await t.raw('imports.commit', { batchId: 999_999 }, admin)).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('cancel mid-commit rolls everything back: nothing written, the batch still a dry run', async () => {
    const persons = await rows(t.app, 'select id, name, phone, version from persons order by id');
    let release!: () => void;
    gates.commitAtRow = 3;
    gates.commit = new Promise<void>((r) => (release = r));
    const { jobId } = await t.call('imports.commit', { batchId }, admin);
    for (let i = 0; i < 500; i++) {
      if ((await t.call('imports.progress', { jobId }, admin)).done >= 2) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    expect((await t.call('imports.progress', { jobId }, admin)).phase).toBe('commit');
    await t.call('imports.cancel', { jobId }, admin);
    release();
    gates.commit = null;
    gates.commitAtRow = -1;
    const { last } = await waitJob(jobId);
    expect(last.state).toBe('cancelled');
    expect(last.error).toBe('已取消匯入，沒有寫入任何資料。');
    expect(await rows(t.app, 'select id, name, phone, version from persons order by id')).toEqual(persons);
    expect(Number((await row<{ n: number }>(t.app, 'select count(*) as n from import_effects'))?.n)).toBe(0);
    expect((await t.call('imports.batch', { batchId }, admin)).state).toBe('dryrun');
  });

  it.skipIf(onPostgres)('while a commit holds the write lock, progress is answered and a write on the same worker is refused at once, not stalled', async () => {
    const other = await dryRun([HEADER, ['鎖甲', '', ''], ['鎖乙', '', ''], ['鎖丙', '', '']], '鎖');
    const spare = await dryRun([HEADER, ['備用甲', '', '']], '備用');
    let release!: () => void;
    gates.commitAtRow = 2;
    gates.commit = new Promise<void>((r) => (release = r));
    const { jobId } = await t.call('imports.commit', { batchId: other }, admin);
    for (let i = 0; i < 500; i++) {
      if ((await t.call('imports.progress', { jobId }, admin)).done >= 1) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    const at = performance.now();
    const write = await t.raw('imports.setRows', { batchId: spare, lines: [2], excluded: true }, admin);
    expect(write).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(performance.now() - at).toBeLessThan(2000);
    expect((await t.call('imports.progress', { jobId }, admin)).state).toBe('running');
    release();
    gates.commit = null;
    gates.commitAtRow = -1;
    const { last } = await waitJob(jobId);
    expect(last.state, last.error ?? '').toBe('done');
    expect(await row(t.app, "select count(*) as n from persons where name like '鎖%'")).toEqual({ n: 3 });
    // The app's connection waits for locks as before once the job is done.
    expect((await t.call('imports.setRows', { batchId: spare, lines: [2], excluded: true }, admin)).counts.excluded).toBe(1);
    await t.call('imports.undo', { batchId: other, reason: '測試用' }, admin);
  });

  it('exclusions and decisions are honoured; commit writes in one go and records its effects', async () => {
    // Exclude line 10 (new), decide line 8 as a new person; a decision that is not an option is refused.
    const badDecision = await t.raw('imports.setRows', { batchId, lines: [8], decision: 'maybe' }, admin);
    expect(badDecision).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const notDecide = await t.raw('imports.setRows', { batchId, lines: [2], decision: 'new' }, admin);
    expect(notDecide).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    let page = await t.call('imports.setRows', { batchId, lines: [10], excluded: true }, admin);
    expect(page.counts).toMatchObject({ excluded: 1, toWrite: 3, undecided: 1 });
    page = await t.call('imports.setRows', { batchId, lines: [8], decision: 'new' }, admin);
    expect(page.counts).toMatchObject({ excluded: 1, toWrite: 4, undecided: 0 });

    const before = await personCount();
    const last = await commit(batchId);
    expect(last.state, last.error ?? '').toBe('done');
    expect(last.total).toBe(4);
    expect(await personCount()).toBe(before + 2); // 新甲, 陳同名 (decided new); 新丙 excluded
    expect(await row(t.app, "select phone, version from persons where name = '王大明'")).toEqual({ phone: '02-9999', version: 2 });
    expect(await row(t.app, "select count(*) as n from persons where name = '新丙'")).toEqual({ n: 0 });

    const effects = await rows<{ table_name: string; action: string; before: string | null; version_after: number | null }>(
      t.app,
      'select table_name, action, before, version_after from import_effects where batch_id = ? order by seq',
      batchId,
    );
    expect(effects.map((e) => e.action).sort()).toEqual(['insert', 'insert', 'update']);
    const update = effects.find((e) => e.action === 'update');
    expect(JSON.parse(update?.before ?? 'null')).toEqual({ phone: '02-1111' });
    expect(update?.version_after).toBe(2);
    expect(effects.every((e) => e.version_after !== null)).toBe(true);

    const result = await t.call('imports.rows', { batchId }, admin);
    const outcome = new Map(result.rows.map((r) => [r.line, r.outcome]));
    expect(outcome.get(2)).toMatch(/^新增個人 #\d+$/);
    expect(outcome.get(3)).toMatch(/^更新個人 #\d+ 電話$/);
    expect(outcome.get(5)).toBe('略過：與檔案中前面的列重複');
    expect(outcome.get(6)).toBe('略過：資料有誤');
    expect(outcome.get(10)).toBe('略過：已排除');
    expect(outcome.get(9)).toBe('列入追蹤（未寫入）');

    const batch = await t.call('imports.batch', { batchId }, admin);
    expect(batch.state).toBe('committed');
    expect(batch.committedAt).toBe('115/03/05 10:00');
    expect(batch.undoDeadline).toBe('115/03/12 10:00');
    expect(batch.canUndo).toBe(true);
    expect(batch.blockers).toEqual([]);
    // A second commit is refused.
    expect(await t.raw('imports.commit', { batchId }, admin)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await t.raw('imports.setRows', { batchId, lines: [2], excluded: true }, admin)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('the result report is an xlsx with a row per line and ROC dates, never a Western year', async () => {
    const file = await t.call('imports.result', { batchId }, admin);
    expect(file.fileName).toBe('匯入結果-匯入-115-0001.xlsx');
    const book = XLSX.read(Buffer.from(file.dataBase64, 'base64'), { type: 'buffer' });
    const aoa = XLSX.utils.sheet_to_json<(string | number)[]>(book.Sheets[book.SheetNames[0] as string] as XLSX.WorkSheet, { header: 1, defval: '' });
    const head = aoa.findIndex((r) => r[0] === '列');
    expect(aoa[head]).toEqual(['列', '狀態', '說明', '結果']);
    const body = aoa.slice(head + 1);
    expect(body.map((r) => r[0])).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(body.find((r) => r[0] === 6)?.[2]).toContain('第 6 列 A 欄：姓名必填');
    expect(body.find((r) => r[0] === 10)?.[1]).toBe('新增（已排除）');
    const text = JSON.stringify(aoa);
    expect(text).toContain('115/03/05 10:00');
    expect(text).not.toMatch(/20\d\d[-/]/);
  });

  it('audit rows of dry run and commit hold counts, never names or cell text', async () => {
    const audits = await rows<{ action: string; entity: string; entity_id: string; detail: string }>(
      t.app,
      "select action, entity, entity_id, detail from audit_log where entity = 'import_batch' order by id",
    );
    const steps = audits.map((a) => (JSON.parse(a.detail) as { step?: string }).step ?? a.action);
    expect(steps).toEqual(expect.arrayContaining(['dryrun', 'commit', 'export']));
    const commitRow = audits.find((a) => a.entity_id === '匯入-115-0001' && (JSON.parse(a.detail) as { step?: string }).step === 'commit');
    expect(JSON.parse(commitRow?.detail ?? '{}')).toMatchObject({ counts: { new: 2, match: 2, total: 9, toWrite: 4 } });
    const all = JSON.stringify(audits);
    for (const text of ['王大明', '新甲', '陳同名', '02-9999', '0911', '名單.xlsx', '○○區公所']) expect(all).not.toContain(text);
  });

  it('undo restores what the batch did, is audited, and cannot run twice', async () => {
    const before = await personCount();
    const undone = await t.call('imports.undo', { batchId, reason: '測試復原' }, admin);
    expect(undone.state).toBe('undone');
    expect(undone.undoneAt).toBe('115/03/05 10:00');
    expect(await personCount()).toBe(before - 2);
    expect(await row(t.app, "select phone from persons where name = '王大明'")).toEqual({ phone: '02-1111' });
    expect(await row(t.app, 'select count(*) as n from import_rows where batch_id = ? and parsed is not null', batchId)).toEqual({ n: 0 });
    const again = await t.raw('imports.undo', { batchId, reason: '再一次' }, admin);
    expect(again).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    if (!again.ok) expect(again.error.message).toContain('已經復原過了');
    const audit = await row<{ detail: string }>(t.app, "select detail from audit_log where entity = 'import_batch' order by id desc limit 1");
    expect(JSON.parse(audit?.detail ?? '{}')).toEqual({ step: 'undo', kind: 'codelist', deleted: 2, restored: 1 });
  });

  it('undo is refused after a recorded row changed since, and the list says why', async () => {
    const id = await dryRun([HEADER, ['改後甲', '1999-09-09', '1'], ['改後乙', '1999-09-10', '2']]);
    expect((await commit(id)).state).toBe('done');
    const person = await row<{ id: number }>(t.app, "select id from persons where name = '改後甲'");
    await exec(t.app, 'update persons set phone = ?, version = version + 1 where id = ?', '3', person?.id);
    const list = await t.call('imports.batches', {}, admin);
    const view = list.rows.find((b) => b.id === id);
    expect(view?.canUndo).toBe(false);
    expect(view?.blockers).toEqual([`個人 #${person?.id} 已在匯入後修改。`]);
    const env = await t.raw('imports.undo', { batchId: id, reason: '測試' }, admin);
    expect(env).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await row(t.app, "select count(*) as n from persons where name like '改後%'")).toEqual({ n: 2 });
  });

  it('undo is refused after 7 days (injected clock)', async () => {
    const id = await dryRun([HEADER, ['七天甲', '1999-01-01', '']]);
    expect((await commit(id)).state).toBe('done');
    t.clock.advanceMinutes(7 * 24 * 60 - 1);
    let token = await openSession(t.app, 1, t.clock.now);
    expect((await t.call('imports.batch', { batchId: id }, token)).canUndo).toBe(true);
    t.clock.advanceMinutes(2);
    token = await openSession(t.app, 1, t.clock.now);
    const view = await t.call('imports.batch', { batchId: id }, token);
    expect(view.canUndo).toBe(false);
    expect(view.blockers).toEqual(['已超過 7 天的復原期限（115/03/12 10:00 止）。']);
    expect(await t.raw('imports.undo', { batchId: id, reason: '太晚了' }, token)).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(await row(t.app, "select count(*) as n from persons where name = '七天甲'")).toEqual({ n: 1 });

    // The parsed rows (personal data from the file) of batches past their window are cleared by the next dry run.
    expect(await row(t.app, 'select count(*) as n from import_rows where batch_id = ? and parsed is not null', id)).toEqual({ n: 1 });
    const { jobId } = await t.call(
      'imports.dryRun',
      { kind: 'codelist', source: '之後', fileName: 'l.xlsx', dataBase64: xlsxBase64([HEADER, ['之後甲', '', '']]), sheet: '名單', headerRow: 1, mapping: { name: 'A' }, options: {} },
      token,
    );
    expect((await waitJob(jobId, token)).last.state).toBe('done');
    expect(await row(t.app, 'select count(*) as n from import_rows where batch_id = ? and parsed is not null', id)).toEqual({ n: 0 });
    expect(await row(t.app, 'select count(*) as n from import_rows where parsed is not null and batch_id in (select id from import_batches where created_at < ?)', '2026-03-06')).toEqual({ n: 0 });
  });
});
