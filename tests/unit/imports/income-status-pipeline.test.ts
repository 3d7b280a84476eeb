/**
 * The 公所's 低收入戶／中低收入戶名冊 through the real import pipeline and dispatcher (SQLite, and
 * PostgreSQL under scripts/with-postgres.mjs): an xlsx with ROC dates, a 第二款 row, an unknown person,
 * a duplicate and a bad ID; the dry run shows each row as the kind classified it, with the cell of the
 * error; the commit writes the periods and the current value; a past quarter's figure follows the list;
 * undo puts everything back; a later edit of the person blocks the undo of the next batch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import type { ImportJobProgress } from '../../../main/contract/methods/imports';
import { getIndicator } from '../../../main/services/reports/indicators';
import { createCenter, household, type Center } from '../households-fixture';
import { setToday } from '../programmes-fixture';

const LIN = 'A123456789';
const CHEN = 'B120000008';
const STRANGER = 'D120000000';

function xlsxBase64(aoa: (string | number)[][]): string {
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(aoa), '名冊');
  return XLSX.write(book, { type: 'base64', bookType: 'xlsx' }) as string;
}

describe('低收入戶／中低收入戶名冊 through the pipeline', () => {
  let c: Center;
  const p: Record<string, number> = {};
  const periods = (personId: number) =>
    c.t.app.ctx.db.selectFrom('person_income_status').select(['status', 'valid_from', 'valid_to', 'source']).where('person_id', '=', personId).orderBy('valid_from').execute();
  const status = async (personId: number) => (await c.t.app.ctx.db.selectFrom('persons').select('income_status').where('id', '=', personId).executeTakeFirstOrThrow()).income_status;
  const eligibleQ1 = async () => (await getIndicator('childAccounts.eligible')!.compute(c.t.app.ctx.db, { period: { from: '2026-01-01', to: '2026-03-31' } })).total.value;

  async function waitJob(jobId: string): Promise<ImportJobProgress> {
    for (let i = 0; i < 4000; i++) {
      const pr = await c.t.call('imports.progress', { jobId }, c.admin);
      if (pr.state !== 'running') return pr;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error('job did not end');
  }
  async function dryRun(aoa: (string | number)[][], period: string): Promise<number> {
    const { jobId } = await c.t.call(
      'imports.dryRun',
      { kind: 'income-status', source: '○○區公所', fileName: '名冊.xlsx', dataBase64: xlsxBase64(aoa), sheet: '名冊', headerRow: 1, mapping: { nationalId: 'A', name: 'B', category: 'C', from: 'D', to: 'E' }, options: { period } },
      c.admin,
    );
    const last = await waitJob(jobId);
    expect(last.state, last.error ?? '').toBe('done');
    return last.batchId as number;
  }
  async function commit(batchId: number): Promise<void> {
    const { jobId } = await c.t.call('imports.commit', { batchId }, c.admin);
    const last = await waitJob(jobId);
    expect(last.state, last.error ?? '').toBe('done');
  }

  beforeAll(async () => {
    c = await createCenter();
    await setToday(c, '2026-04-15');
    // 林's household has a child born 2019; nobody has a status yet.
    const h = await household(c, c.admin, { name: '林志明', nationalId: LIN, birthDate: '1985-02-01' }, { others: [{ person: { name: '林小安', birthDate: '2019-05-01' }, relation: '子女' }] });
    p.lin = h.members.find((m) => m.name === '林志明')!.personId;
    p.chen = (await c.t.call('persons.create', { name: '陳美玲', nationalId: CHEN, incomeStatus: 'mid-low' }, c.admin)).id;
  }, 60_000);
  afterAll(async () => c?.t.close());

  let batchId: number;

  it('the dry run classifies each row and names the cell of an error; nothing is written', async () => {
    expect(await eligibleQ1()).toBe(0);
    batchId = await dryRun(
      [
        ['身分證字號', '姓名', '類別', '核定日期', '截止日期'],
        [LIN, '林志明', '第二款', '115/1/15', ''],
        [CHEN, '陳美玲', '中低收入戶', '1150101', ''],
        [STRANGER, '吳明', '低收入戶', '115.02.01', ''],
        [LIN, '林志明', '低收入戶', '115/1/15', ''],
        ['A123456788', '王小明', '低收入戶', '115/1/15', ''],
      ],
      '2026-03-01',
    );
    const page = await c.t.call('imports.rows', { batchId }, c.admin);
    expect(page.rows.map((r) => [r.line, r.status])).toEqual([
      [2, 'match'],
      [3, 'match'],
      [4, 'followup'],
      [5, 'duplicate'],
      [6, 'error'],
    ]);
    const by = new Map(page.rows.map((r) => [r.line, r]));
    expect(by.get(2)?.changes).toEqual([{ field: '福利身分', from: '無', to: '低收入戶（115/01/15 起）' }]);
    // 陳 registered 中低收 on 115/04/15; the list says so from 115/01/01: the start moves back.
    expect(by.get(3)?.changes).toEqual([{ field: '福利身分', from: '中低收入戶（115/04/15 起）', to: '中低收入戶（115/01/01 起）' }]);
    expect(by.get(4)?.reason).toBe('中心無此人，列入追蹤名單');
    expect(by.get(5)?.ofLine).toBe(2);
    expect(by.get(6)?.problems[0]).toMatch(/^第 6 列 A 欄：.*檢查碼/);
    expect(await periods(p.lin as number)).toEqual([]);
    expect(await c.t.app.ctx.db.selectFrom('persons').select('id').where('national_id', '=', STRANGER).execute()).toEqual([]);
  });

  it('commit writes the periods and the current value; the past quarter counts the child; undo puts it back', async () => {
    await commit(batchId);
    expect(await periods(p.lin as number)).toEqual([{ status: 'low', valid_from: '2026-01-15', valid_to: null, source: '匯入' }]);
    expect(await periods(p.chen as number)).toEqual([{ status: 'mid-low', valid_from: '2026-01-01', valid_to: null, source: '匯入' }]);
    expect(await status(p.lin as number)).toBe('low');
    expect(await eligibleQ1()).toBe(1);
    const result = await c.t.call('imports.rows', { batchId }, c.admin);
    expect(result.rows.find((r) => r.line === 2)?.outcome).toBe('更新福利身分：低收入戶（115/01/15 起）');

    const undone = await c.t.call('imports.undo', { batchId, reason: '測試復原' }, c.admin);
    expect(undone.state).toBe('undone');
    expect(await periods(p.lin as number)).toEqual([]);
    expect(await periods(p.chen as number)).toEqual([{ status: 'mid-low', valid_from: '2026-04-15', valid_to: null, source: '手動' }]);
    expect(await status(p.lin as number)).toBeNull();
    expect(await eligibleQ1()).toBe(0);
  });

  it('a later edit of the person blocks the undo, and says whom', async () => {
    const id = await dryRun([['身分證字號', '姓名', '類別', '核定日期', '截止日期'], [LIN, '林志明', '低收入戶', '115/03/01', '']], '2026-03-01');
    await commit(id);
    await setToday(c, '2026-04-16');
    const v = (await c.t.call('persons.get', { id: p.lin as number }, c.admin)).version;
    await c.t.call('persons.update', { id: p.lin as number, version: v, incomeStatus: null }, c.admin);
    const view = (await c.t.call('imports.batches', {}, c.admin)).rows.find((b) => b.id === id);
    expect(view?.canUndo).toBe(false);
    expect(view?.blockers).toContain(`個人 #${p.lin} 的福利身分在本批匯入之後已有變更`);
    expect((await c.t.raw('imports.undo', { batchId: id, reason: '測試' }, c.admin)).ok).toBe(false);
  });
});
