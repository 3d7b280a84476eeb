/**
 * The core's own cost on a 50,000-row list, with a minimal kind (one person per row, looked up by name in
 * IN lists of 500): dry run, commit and undo times and the peak memory of the process. Run on demand:
 * IMPORT_BENCH=1 npx vitest run tests/unit/imports/pipeline-bench.test.ts (skipped otherwise: timing is not a test).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { z } from 'zod';
import type { ImportJobProgress } from '../../../main/contract/methods/imports';
import { cellText } from '../../../main/services/imports/cells';
import { registerImportKind } from '../../../main/services/imports/registry';
import type { ImportKind, ImportKindName, RowOutcome } from '../../../main/services/imports/types';
import { createTestApp, type TestApp } from '../../helpers/app';
import { row } from '../../helpers/db';

const ROWS = Number(process.env.IMPORT_BENCH_ROWS ?? 50_000);

const benchKind: ImportKind<{ name: string; phone: string }> = {
  name: 'codelist' as ImportKindName,
  label: '效能測試名單',
  roles: ['admin'],
  fields: [
    { key: 'name', label: '姓名', required: true, headers: ['姓名'] },
    { key: 'phone', label: '電話', required: false, headers: ['電話'] },
  ],
  options: z.strictObject({}),
  parse: (r) => (cellText(r, 'name') === '' ? { ok: false, problems: [{ field: 'name', message: '姓名必填' }] } : { ok: true, value: { name: cellText(r, 'name'), phone: cellText(r, 'phone') } }),
  async classify(db, parsed) {
    const known = new Set<string>();
    for (let i = 0; i < parsed.length; i += 500) {
      const names = parsed.slice(i, i + 500).map((p) => p.value.name);
      for (const r of await db.selectFrom('persons').select('name').where('name', 'in', names).execute()) known.add(r.name);
    }
    return parsed.map((p) => (known.has(p.value.name) ? { status: 'duplicate' as const, summary: p.value.name, ofLine: 0 } : { status: 'new' as const, summary: p.value.name }));
  },
  async commit(trx, rows, ctx, effects, progress) {
    const out: RowOutcome[] = [];
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      const ids = await trx
        .insertInto('persons')
        .values(chunk.map((r) => ({ name: r.value.name, phone: r.value.phone, created_at: ctx.now, updated_at: ctx.now, created_by: ctx.actor.id, updated_by: ctx.actor.id })))
        .returning('id')
        .execute();
      ids.forEach(({ id }, k) => {
        effects.inserted('persons', { id });
        out.push({ line: (chunk[k] as { line: number }).line, result: `新增個人 #${id}`, targetId: id });
      });
      await progress(i + chunk.length);
    }
    return out;
  },
  undoBlockers: () => Promise.resolve([]),
};

describe.skipIf(!process.env.IMPORT_BENCH)('import pipeline core, 50,000 rows', () => {
  let t: TestApp;
  let admin: string;
  let unregister: () => void;
  let peakRss = 0;
  const sample = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));

  async function waitJob(jobId: string): Promise<ImportJobProgress> {
    for (;;) {
      sample();
      const p = await t.call('imports.progress', { jobId }, admin);
      if (p.state !== 'running') return p;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  beforeAll(async () => {
    unregister = registerImportKind(benchKind);
    t = await createTestApp();
    admin = await t.setupAdmin();
  });
  afterAll(async () => {
    unregister?.();
    await t?.close();
  });

  it('dry run, commit and undo', async () => {
    const aoa: string[][] = [['姓名', '電話', '地址', '備註']];
    for (let i = 0; i < ROWS; i++) aoa.push([`測試${i}`, `09${String(i).padStart(8, '0')}`, `某市某區某路 ${i} 號`, '']);
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(aoa), '名單');
    const dataBase64 = XLSX.write(book, { type: 'base64', bookType: 'xlsx', compression: true }) as string;
    const rssStart = process.memoryUsage().rss;
    peakRss = rssStart;

    let at = performance.now();
    const { jobId } = await t.call('imports.dryRun', { kind: 'codelist', source: '效能', fileName: 'bench.xlsx', dataBase64, sheet: '名單', headerRow: 1, mapping: { name: 'A', phone: 'B' }, options: {} }, admin);
    const dry = await waitJob(jobId);
    const dryMs = performance.now() - at;
    expect(dry.state, dry.error ?? '').toBe('done');

    at = performance.now();
    const c = await t.call('imports.commit', { batchId: dry.batchId as number }, admin);
    const committed = await waitJob(c.jobId);
    const commitMs = performance.now() - at;
    expect(committed.state, committed.error ?? '').toBe('done');
    expect(Number((await row<{ n: number }>(t.app, 'select count(*) as n from persons'))?.n)).toBe(ROWS);

    at = performance.now();
    const listed = await t.call('imports.batches', {}, admin);
    const listMs = performance.now() - at;
    expect(listed.rows[0]?.canUndo).toBe(true);

    at = performance.now();
    await t.call('imports.undo', { batchId: dry.batchId as number, reason: '效能測試' }, admin);
    const undoMs = performance.now() - at;
    expect(Number((await row<{ n: number }>(t.app, 'select count(*) as n from persons'))?.n)).toBe(0);

    const mb = (n: number) => Math.round(n / 1048576);
    process.stdout.write(
      `[bench] ${ROWS} rows, file ${mb(dataBase64.length * 0.75)} MB: dry run ${Math.round(dryMs)} ms, commit ${Math.round(commitMs)} ms, batches list ${Math.round(listMs)} ms, undo ${Math.round(undoMs)} ms; rss start ${mb(rssStart)} MB, peak ${mb(peakRss)} MB\n`,
    );
  }, 300_000);
});
