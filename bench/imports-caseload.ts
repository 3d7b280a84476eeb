/**
 * Benchmark: a 50,000-row 個案名冊 through the import's reader, dry run (parse + classify) and commit,
 * then the undo replay, with time and peak RSS per phase, beside baselines measured in the same run on the
 * same database: the plain multi-row INSERT of the same persons (rolled back) and a plain read of their IDs.
 *
 *   npx tsx bench/imports-caseload.ts [--rows 50000] [--dir DIR]
 *   node scripts/with-postgres.mjs npx tsx bench/imports-caseload.ts      (PostgreSQL)
 *
 * The file is made by tests/fixtures/imports/caseload-file.ts (households of 1-4 people, 60% with a case,
 * mixed ROC date forms and Excel date cells). The database is a fresh data folder with the demo district's
 * divisions, three teams of 社工 and 500 persons already known (so classify has something to match).
 * Target (issue 12): dry run < 10 s, commit < 30 s on this machine. Not part of the test suite.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { writeTransaction } from '../db/tx';
import { openApp } from '../main/api/app';
import { seedDemoDivisions } from '../main/demo/households';
import { setQuiet } from '../main/lib/logger';
import { caseloadKind } from '../main/services/imports/kinds/caseload';
import type { CaseloadRow } from '../main/services/imports/kinds/caseload-parse';
import { startCommit, startDryRun, undoBatch } from '../main/services/imports/pipeline';
import { findJob } from '../main/services/imports/jobs';
import { dataRows, detectHeaderRow, headerColumns, readWorkbook, sheetRows } from '../main/services/imports/read';
import type { Classification, CommitRow, EffectLog, KindContext, ParsedRow, RecordedEffect } from '../main/services/imports/types';
import { buildCaseloadFile, CASELOAD_MAPPING } from '../tests/fixtures/imports/caseload-file';
import { createEmptyDatabase, dropDatabase, PG_URL } from '../tests/helpers/pg';

setQuiet(true);

const { values } = parseArgs({ args: process.argv.slice(2), options: { rows: { type: 'string', default: '50000' }, dir: { type: 'string' } } });
const TARGET_ROWS = Number(values.rows);
const NOW = new Date('2026-05-20T02:00:00.000Z');
const TODAY = '2026-05-20';

/** Runs `fn`, sampling RSS every 20 ms; returns its result, seconds and the peak RSS (MiB) seen while it ran. */
async function measure<T>(label: string, fn: () => Promise<T> | T): Promise<{ value: T; s: number; peakMiB: number }> {
  global.gc?.();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const t0 = performance.now();
  const value = await fn();
  const s = (performance.now() - t0) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  const peakMiB = peak / 2 ** 20;
  console.log(`${label.padEnd(44)} ${s.toFixed(2).padStart(7)} s   peak RSS ${peakMiB.toFixed(0).padStart(5)} MiB`);
  return { value, s, peakMiB };
}

async function main(): Promise<void> {
  const dataDir = values.dir ?? mkdtempSync(join(tmpdir(), 'wd-bench-imports-'));
  const pgDb = PG_URL ? await createEmptyDatabase() : null;
  const app = await openApp({ dataDir, now: () => NOW, ...(pgDb ? { database: { engine: 'postgres' as const, url: pgDb.url } } : {}) });
  const db: Kysely<Database> = app.ctx.db;
  console.log(`engine: ${pgDb ? 'PostgreSQL' : 'SQLite (SQLCipher)'}; rows wanted: ${TARGET_ROWS}`);
  try {
    // A center: divisions, an administrator, 社工 in three teams, 500 known persons.
    await seedDemoDivisions(db);
    const ts = NOW.toISOString();
    const user = async (username: string, role: string, teamId: number | null) =>
      (
        await db
          .insertInto('users')
          .values({ username, display_name: `${username}姓名`, role, team_id: teamId, password_hash: 'unused', must_change_password: 0, failed_logins: 0, locked_until: null, disabled_at: null, created_at: ts, updated_at: ts, version: 1 })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const adminId = await user('admin', 'admin', null);
    const workers: string[] = [];
    for (let t = 1; t <= 3; t++) {
      const team = (await db.insertInto('teams').values({ name: `第${t}組`, supervisor_id: null, created_at: ts }).returning('id').executeTakeFirstOrThrow()).id;
      for (let w = 1; w <= 5; w++) {
        await user(`sw${t}${w}`, 'worker', team);
        workers.push(`sw${t}${w}`);
      }
    }
    const households = Math.round(TARGET_ROWS / 2.5);
    const known = Array.from({ length: 500 }, (_, i) => ({ name: `舊檜${i}`, nationalId: '', birthDate: '1960-01-01' }));
    const { value: file } = await measure('generate the xlsx (SheetJS)', () => buildCaseloadFile({ households, workers, today: TODAY, seed: 50, caseShare: 0.6 }));
    // The 500 known persons are the file's first 500 heads-of-household with their IDs (→ match).
    const heads = file.rows.filter((r) => r.cells.relation?.text === '戶長').slice(0, known.length);
    for (let i = 0; i < heads.length; i += 250) {
      await db
        .insertInto('persons')
        .values(heads.slice(i, i + 250).map((r) => ({ name: r.cells.name?.text ?? '', national_id: r.cells.nationalId?.text ?? null, birth_date: null, sex: null, phone: null, indigenous: 0, new_immigrant: 0, disability_level: null, income_status: null, notes: null, created_at: ts, created_by: adminId, updated_at: ts, updated_by: adminId, version: 1 })))
        .execute();
    }
    console.log(`file: ${(file.bytes.length / 2 ** 20).toFixed(1)} MiB, ${file.rows.length} rows, ${households} households; ${heads.length} persons already known`);

    const ctx: KindContext = { actor: { id: adminId, role: 'admin', teamId: null }, today: TODAY, now: ts, options: {} };

    // Read the file as the pipeline does.
    const { value: rows } = await measure('read: xlsx → SourceRows', () => {
      const read = readWorkbook(file.bytes, 'caseload.xlsx');
      if (!read.ok) throw new Error(read.error.message);
      const grid = sheetRows(read.book, read.book.sheets[0]?.name as string);
      const header = detectHeaderRow(grid);
      return [...dataRows(grid, header, headerColumns(grid, header), CASELOAD_MAPPING)];
    });

    // Dry run: parse every row, classify them all against the database.
    const { value: dry, s: dryS } = await measure('dry run: parse + classify', async () => {
      const parsed: ParsedRow<CaseloadRow>[] = [];
      let parseErrors = 0;
      const t0 = performance.now();
      for (const r of rows) {
        const p = caseloadKind.parse(r, ctx);
        if (p.ok) parsed.push({ line: r.line, value: p.value });
        else parseErrors += 1;
      }
      const t1 = performance.now();
      const cls = await caseloadKind.classify(db, parsed, ctx);
      console.log(`  parse ${((t1 - t0) / 1000).toFixed(2)} s, classify ${((performance.now() - t1) / 1000).toFixed(2)} s`);
      return { parsed, cls, parseErrors };
    });
    const tally: Record<string, number> = {};
    for (const c of dry.cls) tally[c.status] = (tally[c.status] ?? 0) + 1;
    console.log(`  classified: ${JSON.stringify(tally)}, parse errors ${dry.parseErrors}`);

    await measure('baseline: read the IDs (IN lists of 500)', async () => {
      const ids = dry.parsed.map((p) => p.value.person.nationalId).filter((x): x is string => x !== null);
      let n = 0;
      for (let i = 0; i < ids.length; i += 500) n += (await db.selectFrom('persons').select('id').where('national_id', 'in', ids.slice(i, i + 500)).execute()).length;
      return n;
    });

    // Baseline: the same persons as plain multi-row INSERTs, rolled back.
    await measure('baseline: plain INSERT of the persons (rolled back)', async () => {
      await writeTransaction(db, async (trx) => {
        const vals = dry.parsed.map((p) => ({ name: p.value.person.name, national_id: null, birth_date: p.value.person.birthDate, sex: p.value.person.sex, phone: p.value.person.phone, indigenous: 0, new_immigrant: 0, disability_level: null, income_status: null, notes: null, created_at: ts, created_by: adminId, updated_at: ts, updated_by: adminId, version: 1 }));
        for (let i = 0; i < vals.length; i += 400) await trx.insertInto('persons').values(vals.slice(i, i + 400)).execute();
        throw Object.assign(new Error('rollback'), { rollback: true });
      }).catch((e: { rollback?: boolean }) => {
        if (!e.rollback) throw e;
      });
    });

    // Commit: every new / match row, in one transaction, with its effects.
    const effects: RecordedEffect[] = [];
    const log: EffectLog = {
      inserted: (table, key) => effects.push({ table, key, action: 'insert', before: null }),
      updated: (table, key, before) => effects.push({ table, key, action: 'update', before }),
    };
    const commitRows: CommitRow<CaseloadRow>[] = dry.parsed
      .map((p, i) => ({ ...p, classification: dry.cls[i] as Classification, decision: null }))
      .filter((r) => r.classification.status === 'new' || r.classification.status === 'match');
    const { s: commitS } = await measure(`commit: ${commitRows.length} rows`, () => writeTransaction(db, (trx) => caseloadKind.commit(trx, commitRows, ctx, log, async () => {})));
    const byTable: Record<string, number> = {};
    for (const e of effects) byTable[`${e.table}.${e.action}`] = (byTable[`${e.table}.${e.action}`] ?? 0) + 1;
    console.log(`  effects: ${effects.length} ${JSON.stringify(byTable)}`);

    await measure('undo blockers', () => caseloadKind.undoBlockers(db, effects));
    await measure('undo: effects replayed backwards (bench copy)', () =>
      writeTransaction(db, async (trx) => {
        // Grouped per table, as a core can: one DELETE ... WHERE id IN (...) per 500 keys.
        const rev = [...effects].reverse();
        let i = 0;
        while (i < rev.length) {
          const e = rev[i] as RecordedEffect;
          if (e.action === 'insert' && Object.keys(e.key).length === 1 && 'id' in e.key) {
            const ids: number[] = [];
            while (i < rev.length && rev[i]?.table === e.table && rev[i]?.action === 'insert' && ids.length < 500) ids.push(rev[i++]?.key.id as number);
            await trx.deleteFrom(e.table as 'persons').where('id', 'in', ids).execute();
          } else if (e.action === 'insert') {
            let q = trx.deleteFrom(e.table as 'search_terms');
            for (const [k, v] of Object.entries(e.key)) q = q.where(k as 'ref', '=', v as number);
            await q.execute();
            i++;
          } else {
            let q = trx.updateTable(e.table as 'persons').set(e.before as never);
            for (const [k, v] of Object.entries(e.key)) q = q.where(k as 'id', '=', v as number);
            await q.execute();
            i++;
          }
        }
      }),
    );
    // The same file through the pipeline core (main/services/imports/pipeline.ts): a dry-run job (read, parse,
    // classify, save the batch's rows), a commit job (the kind's commit, the effect log stored, outcomes), undo.
    const actor = { userId: adminId, username: 'admin', displayName: 'admin姓名', role: 'admin' as const, teamId: null };
    const appRef = { db, now: () => NOW, backup: { sqlite: app.database.engine === 'sqlite' ? app.database.sqlite : null } };
    const { value: batchId, s: coreDryS } = await measure('core: dry-run job (read → classify → save)', async () => {
      const { jobId } = startDryRun(appRef, actor, {
        kind: 'caseload',
        source: '效能測試',
        fileName: 'caseload.xlsx',
        dataBase64: Buffer.from(file.bytes).toString('base64'),
        sheet: '個案名冊',
        headerRow: 1,
        mapping: CASELOAD_MAPPING,
        options: {},
      });
      const job = findJob(jobId, adminId);
      await job.ended;
      if (job.state !== 'done') throw new Error(`dry run ${job.state}: ${job.error}`);
      return job.batchId as number;
    });
    const { s: coreCommitS } = await measure('core: commit job (kind commit + effect log)', async () => {
      const { jobId } = await startCommit(appRef, actor, batchId);
      const job = findJob(jobId, adminId);
      await job.ended;
      if (job.state !== 'done') throw new Error(`commit ${job.state}: ${job.error}`);
    });
    await measure('core: undo (blockers + replay)', () => writeTransaction(db, (trx) => undoBatch(trx, actor, { batchId, reason: '效能測試' }, NOW)));
    console.log(`core: dry run ${coreDryS.toFixed(2)} s, commit ${coreCommitS.toFixed(2)} s`);
    console.log(`\ntargets: dry run ${dryS.toFixed(2)} s (< 10 s: ${dryS < 10 ? 'met' : 'NOT met'}), commit ${commitS.toFixed(2)} s (< 30 s: ${commitS < 30 ? 'met' : 'NOT met'})`);
  } finally {
    await app.close();
    if (pgDb) await dropDatabase(pgDb.name);
    if (!values.dir) rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
