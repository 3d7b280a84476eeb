/**
 * The dispatch list and code list kinds through the pipeline core and the real dispatcher: a 派案清單 xlsx
 * dry-run by an administrator (a worker is refused), the closed case decided as 重新派案, committed, then
 * undone, which leaves the cases as they were; a code list version refused with its effective date beside
 * the option and imported with a later one.
 */
import * as XLSX from 'xlsx';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportJobProgress } from '../../../main/contract/methods/imports';
import { makeNationalId } from '../../../main/contract/national-id';
import { openSession } from '../../helpers/app';
import { createFixture, type Fixture, type Staff } from '../cases-fixture';

function xlsxBase64(aoa: (string | number)[][]): string {
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(aoa), '清單');
  return XLSX.write(book, { type: 'base64', bookType: 'xlsx' }) as string;
}

describe('dispatch and code list imports through the pipeline', () => {
  let f: Fixture;
  /** One session per user: the fixture's call opens a session per call, a write that would wait on a running job. */
  const tokens = new Map<number, string>();
  const call: Fixture['call'] = async (who, method, input) => f.t.call(method, input, tokens.get(who.id));
  const raw: Fixture['raw'] = async (who, method, input) => f.t.raw(method, input, tokens.get(who.id));
  beforeAll(async () => {
    f = await createFixture();
    for (const s of [f.admin, f.sup1, f.w1]) tokens.set(s.id, await openSession(f.t.app, s.id, f.t.clock.now));
  });
  afterAll(async () => {
    await f?.close();
  });

  async function waitJob(who: Staff, jobId: string): Promise<ImportJobProgress> {
    for (let i = 0; i < 2000; i++) {
      const p = await call(who, 'imports.progress', { jobId });
      if (p.state !== 'running') return p;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error('job did not end');
  }

  it('dispatch: dry run, 重新派案 decided, commit, undo', async () => {
    const d = f.t.app.ctx.db;
    const closed = await f.caseIn('已結案');
    await d.updateTable('cases').set({ central_no: 'P-CLOSED' }).where('id', '=', closed.id).execute();
    const id = makeNationalId('H', '2', '2468024');
    const file = {
      kind: 'dispatch' as const,
      source: '社安網',
      fileName: '派案清單.xlsx',
      dataBase64: xlsxBase64([
        ['派案編號', '案主姓名', '身分證字號', '通報時間', '派案時間'],
        ['P-NEW', '鄭新案', id, '115/03/04 08:00', '115/03/04 09:00'],
        ['P-CLOSED', '舊案主', '', '115/03/01', '115/03/02 10:00'],
        ['P-NEW', '鄭新案', id, '115/03/04 08:00', '115/03/04 09:00'],
        ['', '無編號', '', '115/03/04', ''],
      ]),
      sheet: '清單',
      headerRow: 1,
      mapping: { centralNo: 'A', name: 'B', nationalId: 'C', receivedAt: 'D', dispatchedAt: 'E' },
      options: { teamId: f.team1 },
    };
    expect(await raw(f.w1, 'imports.dryRun', file)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    const dry = await waitJob(f.admin, (await call(f.admin, 'imports.dryRun', file)).jobId);
    expect(dry.state, dry.error ?? '').toBe('done');
    const batchId = dry.batchId as number;
    const page = await call(f.admin, 'imports.rows', { batchId });
    expect(page.rows.map((r) => [r.line, r.status, r.problems, r.flags])).toEqual([
      [2, 'new', [], []],
      [3, 'decide', [], ['此案中心已結案']],
      [4, 'duplicate', [], []],
      [5, 'error', ['第 5 列 A 欄：派案編號不可空白'], []],
    ]);
    await call(f.admin, 'imports.setRows', { batchId, lines: [3], decision: `reopen:${closed.id}` });

    const done = await waitJob(f.admin, (await call(f.admin, 'imports.commit', { batchId })).jobId);
    expect(done.state, done.error ?? '').toBe('done');
    const after = await call(f.admin, 'imports.rows', { batchId });
    expect(after.rows[0]?.outcome).toMatch(/^新增家戶 #\d+、個人 1 位、個案 115-\d{6}（待分派）$/);
    expect(after.rows[1]?.outcome).toMatch(new RegExp(`^再開案：新增個案 115-\\d{6}（待分派，前案 ${closed.caseNo}）$`));
    const created = await d.selectFrom('cases').select(['id', 'central_no', 'previous_case_id']).where('central_no', 'in', ['P-NEW', 'P-CLOSED']).orderBy('central_no').execute();
    expect(created.map((c) => [c.central_no, c.previous_case_id])).toEqual([
      ['P-CLOSED', closed.id],
      ['P-NEW', null],
    ]);

    const undone = await call(f.admin, 'imports.undo', { batchId, reason: '測試復原' });
    expect(undone.state).toBe('undone');
    expect(await d.selectFrom('cases').select('id').where('id', 'in', created.map((c) => c.id)).execute()).toEqual([]);
    expect(await d.selectFrom('persons').select('id').where('national_id', '=', id).execute()).toEqual([]);
    expect((await d.selectFrom('cases').select('central_no').where('id', '=', closed.id).executeTakeFirstOrThrow()).central_no).toBe('P-CLOSED');
  });

  it('code list: an effective date not after the newest version is refused; a later one imports', async () => {
    const aoa = [
      ['代碼', '名稱', '面向'],
      ['1', '家庭經濟陷困', ''],
      ['1-01', '家庭主要收入者失業', '1'],
    ];
    const input = (effectiveFrom: string) => ({
      kind: 'codelist' as const,
      source: '衛福部',
      fileName: '脆弱性因子.xlsx',
      dataBase64: xlsxBase64(aoa),
      sheet: '清單',
      headerRow: 1,
      mapping: { code: 'A', label: 'B', group: 'C' },
      options: { list: 'vulnerability', effectiveFrom },
    });
    expect(await raw(f.sup1, 'imports.dryRun', input('2026-03-01'))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const early = await waitJob(f.admin, (await call(f.admin, 'imports.dryRun', input('2025-07-01'))).jobId);
    expect(early.state).toBe('failed');
    expect(early.error).toContain('114/07/02 以後');
    const dry = await waitJob(f.admin, (await call(f.admin, 'imports.dryRun', input('2026-03-01'))).jobId);
    expect(dry.state, dry.error ?? '').toBe('done');
    const page = await call(f.admin, 'imports.rows', { batchId: dry.batchId as number });
    expect(page.rows.map((r) => r.status)).toEqual(['match', 'match']);
    expect(page.rows[0]?.flags[0]).toMatch(/^新版本不含目前版本（114\/07\/01 起）的 \d+ 個代碼：/);
    expect(page.rows[1]?.changes).toEqual([{ field: '名稱', from: '家庭主要收入者失業、待業或工作不穩定', to: '家庭主要收入者失業' }]);
    const done = await waitJob(f.admin, (await call(f.admin, 'imports.commit', { batchId: dry.batchId as number })).jobId);
    expect(done.state, done.error ?? '').toBe('done');
    const list = await call(f.w1, 'codelists.get', { list: 'vulnerability', onDate: '2026-03-01' });
    expect(list.groups).toEqual([{ code: '1', label: '家庭經濟陷困', items: [{ code: '1-01', group: '1', label: '家庭主要收入者失業', sort: 2 }] }]);
  });
});
