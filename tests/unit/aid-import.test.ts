/**
 * 外單位救助名冊 through the real import pipeline and dispatcher (SQLite, and PostgreSQL under
 * scripts/with-postgres.mjs): a person found by ID, one by 姓名 + 出生日期, an unknown person (listed for
 * follow-up, not created), a duplicate row, a bad row; commit writes the aid to the persons' households
 * in one batch; undo removes it; a correction in the app blocks the undo of the next batch.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import type { ImportJobProgress } from '../../main/contract/methods/imports';
import { createCenter, household, type Center } from './households-fixture';
import { setToday } from './programmes-fixture';

const LIN = 'A123456789';
const STRANGER = 'D120000000';

function xlsxBase64(aoa: (string | number)[][]): string {
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(aoa), '名冊');
  return XLSX.write(book, { type: 'base64', bookType: 'xlsx' }) as string;
}

const HEAD = ['身分證字號', '姓名', '出生日期', '來源單位', '類別', '金額', '物品', '日期'];
const MAPPING = { nationalId: 'A', name: 'B', birthDate: 'C', sourceName: 'D', kind: 'E', amount: 'F', items: 'G', receivedOn: 'H' };

describe('外單位救助名冊 through the pipeline', () => {
  let c: Center;
  let A: number;
  let B: number;
  const aid = () => c.t.app.ctx.db.selectFrom('external_aid').select(['household_id', 'person_id', 'source_kind', 'source_name', 'kind', 'amount', 'items', 'received_on', 'origin']).where('deleted_at', 'is', null).orderBy('id').execute();

  async function waitJob(jobId: string): Promise<ImportJobProgress> {
    for (let i = 0; i < 4000; i++) {
      const pr = await c.t.call('imports.progress', { jobId }, c.admin);
      if (pr.state !== 'running') return pr;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error('job did not end');
  }
  async function dryRun(aoa: (string | number)[][]): Promise<number> {
    const { jobId } = await c.t.call(
      'imports.dryRun',
      { kind: 'external-aid', source: '慈心會', fileName: '救助名冊.xlsx', dataBase64: xlsxBase64(aoa), sheet: '名冊', headerRow: 1, mapping: MAPPING, options: { sourceKind: '慈善團體', sourceName: '慈心會' } },
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
    await setToday(c, '2026-05-20');
    A = (await household(c, c.w1.token, { name: '林志明', nationalId: LIN, birthDate: '1985-02-01' })).id;
    B = (await household(c, c.w1.token, { name: '陳美玲', birthDate: '1975-03-04' }, { street: '中山路200號' })).id;
  }, 60_000);
  afterAll(async () => c?.t.close());

  let batchId: number;

  it('the dry run matches by ID or name + birth date, lists unknown people for follow-up, and writes nothing', async () => {
    batchId = await dryRun([
      HEAD,
      [LIN, '林志明', '', '', '現金', '3,000', '', '115/05/02'],
      ['', '陳美玲', '64/3/4', '', '物資', '', '白米 2 包', '1150503'],
      [STRANGER, '吳明', '', '', '現金', 1000, '', '115/05/04'],
      [LIN, '林志明', '', '', '現金', 3000, '', '115/5/2'],
      ['', '林小安', '', '', '現金', 500, '', '115/05/04'],
      [LIN, '林志明', '', '', '機票', 500, '', '115/05/40'],
    ]);
    const page = await c.t.call('imports.rows', { batchId }, c.admin);
    expect(page.rows.map((r) => [r.line, r.status])).toEqual([
      [2, 'new'],
      [3, 'new'],
      [4, 'followup'],
      [5, 'duplicate'],
      [6, 'error'],
      [7, 'error'],
    ]);
    const by = new Map(page.rows.map((r) => [r.line, r]));
    expect(by.get(4)?.reason).toBe('中心無此人，列入追蹤名單');
    expect(by.get(5)?.ofLine).toBe(2);
    expect(by.get(6)?.problems[0]).toMatch(/身分證字號或出生日期至少要有一項/);
    expect(by.get(7)?.problems.join()).toMatch(/類別「機票」無法辨識/);
    expect(await aid()).toEqual([]);
    expect(await c.t.app.ctx.db.selectFrom('persons').select('id').where('national_id', '=', STRANGER).execute()).toEqual([]);
  });

  it('commit writes the aid to the households; the window shows it; undo removes it', async () => {
    await commit(batchId);
    const rows = await aid();
    expect(rows.map((r) => [r.household_id, r.source_kind, r.source_name, r.kind, r.amount, r.items, r.received_on, r.origin])).toEqual([
      [A, '慈善團體', '慈心會', '現金', 3000, null, '2026-05-02', '匯入'],
      [B, '慈善團體', '慈心會', '物資', null, '白米 2 包', '2026-05-03', '匯入'],
    ]);
    expect(rows.every((r) => r.person_id !== null)).toBe(true);
    expect((await c.t.call('aid.recent', { householdId: A }, c.clerk.token)).entries.map((e) => e.source)).toEqual(['慈心會（慈善團體）']);

    // The same list again: already recorded, nothing new.
    const again = await dryRun([HEAD, [LIN, '林志明', '', '慈心會', '現金', 3000, '', '115/05/02']]);
    const page = await c.t.call('imports.rows', { batchId: again }, c.admin);
    expect(page.rows.map((r) => [r.status, r.flags])).toEqual([['match', ['中心已有相同的救助紀錄，不重複登錄']]]);

    const undone = await c.t.call('imports.undo', { batchId, reason: '名冊有誤' }, c.admin);
    expect(undone.state).toBe('undone');
    expect(await aid()).toEqual([]);
  });

  it('a correction in the app blocks the undo of the batch', async () => {
    const id = await dryRun([HEAD, [LIN, '林志明', '', '', '代金券', 800, '', '115/05/06']]);
    await commit(id);
    const [view] = await c.t.call('aid.list', { householdId: A }, c.w1.token);
    await c.t.call('aid.update', { id: view!.id, version: view!.version, reason: '來源單位更正', sourceKind: '慈善團體', sourceName: '慈心會', kind: '代金券', amount: 900, receivedOn: '2026-05-06' }, c.w1.token);
    const refused = await c.t.raw('imports.undo', { batchId: id, reason: '測試' }, c.admin);
    expect(refused).toMatchObject({ ok: false });
    expect(JSON.stringify(refused)).toContain('外單位救助紀錄');
    expect((await aid()).map((r) => r.amount)).toEqual([900]);
  });
});
