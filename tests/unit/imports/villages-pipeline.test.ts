/**
 * The real 村里 list (../shared/corpus/tw/twgeojson__village-list.csv) through the pipeline core and the
 * dispatcher, on SQLite and, in the PostgreSQL run, on PostgreSQL: the mapping is suggested from the kind's
 * header hints, a worker is refused, the dry run reports the list's defects with their cells, the commit
 * writes the 7,776 村里 with their towns and counties, a household on one of them blocks the undo, and
 * once it is gone undo removes them again.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportJobProgress } from '../../../main/contract/methods/imports';
import { createTestApp, type TestApp } from '../../helpers/app';

const FILE = join(__dirname, '../../../../shared/corpus/tw/twgeojson__village-list.csv');

let t: TestApp;
let admin: string;
let worker: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.setupAdmin();
  worker = (await t.createUser(admin, 'vworker', 'worker')).token;
});
afterAll(async () => {
  await t?.close();
});

async function waitJob(jobId: string): Promise<ImportJobProgress> {
  for (let i = 0; i < 6000; i++) {
    const p = await t.call('imports.progress', { jobId }, admin);
    if (p.state !== 'running') return p;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('job did not end');
}

const villages = async () => Number((await t.app.ctx.db.selectFrom('divisions').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe('the village list through the pipeline', () => {
  it('dry run, commit and undo', async () => {
    const dataBase64 = readFileSync(FILE).toString('base64');
    const fileName = 'twgeojson__village-list.csv';
    const seen = await t.call('imports.inspect', { kind: 'villages', fileName, dataBase64 }, admin);
    expect(seen.headerRow).toBe(1);
    expect(seen.dataRowCount).toBe(7855);
    expect(seen.mapping).toEqual({ countyName: 'B', countyCode: 'C', townName: 'D', townCode: 'E', villageName: 'F', villageCode: 'G' });

    const input = { kind: 'villages' as const, source: '內政部', fileName, dataBase64, sheet: seen.sheets[0]!.name, headerRow: 1, mapping: seen.mapping, options: { effectiveFrom: '2013-01-01' } };
    expect(await t.raw('imports.dryRun', input, worker)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const t0 = performance.now();
    const dry = await waitJob((await t.call('imports.dryRun', input, admin)).jobId);
    const dryMs = performance.now() - t0;
    expect(dry.state, dry.error ?? '').toBe('done');
    const batchId = dry.batchId as number;
    const errors = await t.call('imports.rows', { batchId, status: ['error'], pageSize: 500 }, admin);
    expect(errors.counts).toMatchObject({ total: 7855, new: 7776, error: 76, duplicate: 3, toWrite: 7776 });
    expect(errors.rows.find((r) => r.line === 7804)?.problems).toEqual(['第 7804 列 E 欄：缺少鄉鎮市區代碼', '第 7804 列 G 欄：缺少村里代碼']);
    const kinmen = errors.rows.filter((r) => r.problems.includes(`第 ${r.line} 列 C 欄：缺少縣市代碼`));
    expect(kinmen).toHaveLength(52);
    const dups = await t.call('imports.rows', { batchId, status: ['duplicate'] }, admin);
    expect(dups.rows.map((r) => [r.line, r.ofLine])).toEqual([
      [4266, 4265],
      [6750, 6675],
      [7046, 6733],
    ]);

    const t1 = performance.now();
    const done = await waitJob((await t.call('imports.commit', { batchId }, admin)).jobId);
    const commitMs = performance.now() - t1;
    expect(done.state, done.error ?? '').toBe('done');
    expect(await villages()).toBe(20 + 358 + 7776);
    const after = await t.call('imports.rows', { batchId, pageSize: 1 }, admin);
    expect(after.rows[0]?.outcome).toBe('新增村里 中山里（10020010061）');

    // A household placed on a 村里 the batch created blocks the undo.
    const db = t.app.ctx.db;
    const ts = '2026-05-20T02:00:00.000Z';
    const hh = (await db.insertInto('households').values({ county_code: '10020', town_code: '10020010', village_code: '10020010061', neighborhood: null, street: null, household_type: null, phone: null, notes: null, created_at: ts, created_by: null, updated_at: ts, updated_by: null, version: 1 }).returning('id').executeTakeFirstOrThrow()).id;
    const blocked = await t.call('imports.batch', { batchId }, admin);
    expect(blocked.canUndo).toBe(false);
    expect(blocked.blockers).toContain(`家戶 #${hh} 位於本批新增的行政區 中山里（10020010061）`);
    expect(await t.raw('imports.undo', { batchId, reason: '測試復原' }, admin)).toMatchObject({ ok: false });
    await db.deleteFrom('households').where('id', '=', hh).execute();

    const t2 = performance.now();
    const undone = await t.call('imports.undo', { batchId, reason: '測試復原' }, admin);
    const undoMs = performance.now() - t2;
    expect(undone.state).toBe('undone');
    expect(await villages()).toBe(0);
    console.log(`villages pipeline: dry run ${Math.round(dryMs)} ms, commit ${Math.round(commitMs)} ms, undo ${Math.round(undoMs)} ms`);
  });
});
