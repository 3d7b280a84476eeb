/**
 * The import pipeline's core: inspect a file, dry-run it (a job), commit a dry run (a job, one transaction),
 * list batches, undo. What a row means belongs to the kind (./types.ts); reading files to ./source.ts.
 * The uploaded file is never kept: a dry run stores the rows it parsed (import_rows.parsed) and the file's
 * SHA-256; commit works from those.
 */
import { createHash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { sql, type Kysely } from 'kysely';
import { z } from 'zod';
import {
  IMPORT_PREVIEW_ROWS,
  type ImportBatchView,
  type ImportEncoding,
  type ImportInspection,
  type ImportKindView,
} from '../../contract/methods/imports';
import { ApiError } from '../../contract/envelope';
import { todayIso, toRocYear } from '../../contract/roc-date';
import { writeTransaction } from '../../../db/tx';
import type { Database } from '../../../db/schema';
import { appendAudit } from '../audit/log';
import type { Actor } from '../context';
import { batchView, classificationOf, countRows, emptyCounts, loadBatch, rowColumns, UNDO_WINDOW_MS, userNames, writes, type BatchRow, type RowRecord } from './batches';
import { collectEffects, replayBackwards, storeEffects, undoBlockers } from './effects';
import { CHUNK_ROWS, jobDatabase, runningJobOf, setPhase, startJob, tick, type Job } from './jobs';
import { savedSources, saveMapping, suggestMapping } from './mapping';
import { allKinds, kindFor } from './registry';
import { dataRows, detectHeaderRow, headerColumns, readWorkbook, sheetRows, type HeaderColumn, type SourceBook, type SourceGrid } from './source';
import type { Classification, CommitRow, ImportKind, KindContext, ParsedRow } from './types';

const AUDIT_ENTITY = 'import_batch';

/** What a job needs of the app: the database, the clock, and (SQLite) the app's own raw connection. */
export type JobApp = { db: Kysely<Database>; now: () => Date; backup: { sqlite: BetterSqlite3.Database | null } };

function kindContext(actor: Actor, now: Date, options: Record<string, unknown>): KindContext {
  return { actor: { id: actor.userId, role: actor.role, teamId: actor.teamId }, today: todayIso(now), now: now.toISOString(), options };
}

// ---------------------------------------------------------------------------
// Kinds

function optionsSchemaOf(kind: ImportKind<unknown>): unknown {
  try {
    return z.toJSONSchema(kind.options, { unrepresentable: 'any', io: 'input' });
  } catch {
    return null;
  }
}

export async function listKinds(db: Kysely<Database>, actor: Actor): Promise<ImportKindView[]> {
  const out: ImportKindView[] = [];
  for (const k of allKinds()) {
    if (!k.roles.includes(actor.role)) continue;
    out.push({
      name: k.name,
      label: k.label,
      fields: k.fields.map((f) => ({ key: f.key, label: f.label, required: f.required, headers: [...f.headers], hint: f.hint ?? null })),
      optionsSchema: optionsSchemaOf(k),
      sources: await savedSources(db, k.name),
    });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Reading

function decodeFile(dataBase64: string): Buffer {
  return Buffer.from(dataBase64, 'base64');
}

function openBook(bytes: Uint8Array, fileName: string, encoding: ImportEncoding | undefined): SourceBook {
  const r = readWorkbook(bytes, fileName, encoding ? { encoding } : {});
  if (!r.ok) throw new ApiError('VALIDATION', r.error.message, { fields: { dataBase64: r.error.message }, details: { readError: r.error.code } });
  return r.book;
}

function pickSheet(book: SourceBook, sheet: string | undefined): string {
  if (sheet !== undefined) {
    if (!book.sheets.some((s) => s.name === sheet)) throw new ApiError('VALIDATION', `檔案中沒有名為「${sheet}」的工作表。`, { fields: { sheet: '找不到這個工作表' } });
    return sheet;
  }
  const first = book.sheets.find((s) => !s.hidden && s.rowCount > 0) ?? book.sheets.find((s) => !s.hidden) ?? book.sheets[0];
  if (!first) throw new ApiError('VALIDATION', '檔案中沒有任何工作表。', { fields: { dataBase64: '沒有工作表' } });
  return first.name;
}

function countDataRows(grid: SourceGrid, headerRow: number): number {
  let n = 0;
  for (let r = headerRow; r < grid.rows.length; r++) if ((grid.rows[r] ?? []).some((c) => c.text !== '')) n++;
  return n;
}

export async function inspect(
  db: Kysely<Database>,
  actor: Actor,
  input: { kind: string; fileName: string; dataBase64: string; encoding?: ImportEncoding | undefined; sheet?: string | undefined; headerRow?: number | undefined; source?: string | undefined },
): Promise<ImportInspection> {
  const kind = kindFor(input.kind, actor);
  const book = openBook(decodeFile(input.dataBase64), input.fileName, input.encoding);
  const sheet = pickSheet(book, input.sheet);
  const grid = sheetRows(book, sheet);
  const detected = detectHeaderRow(grid);
  const headerRow = input.headerRow ?? detected;
  const columns = headerColumns(grid, headerRow);
  const suggestion = await suggestMapping(db, kind.name, input.source, kind.fields, columns);
  const previewRows = grid.rows.slice(0, IMPORT_PREVIEW_ROWS);
  const width = Math.min(Math.max(0, ...previewRows.map((r) => r.length)), 60);
  return {
    format: book.format,
    encoding: book.encoding ?? null,
    encodingGuessed: book.encodingGuessed === true,
    sheets: book.sheets.map((s) => ({ name: s.name, hidden: s.hidden, rowCount: s.rowCount, colCount: s.colCount })),
    sheet,
    preview: previewRows.map((r) => r.slice(0, width).map((c) => c.text)),
    previewColumns: (previewRows.find((r) => r.length >= width) ?? []).slice(0, width).map((c) => c.col),
    headerRow,
    detectedHeaderRow: detected,
    columns: columns.map((c) => ({ col: c.col, header: c.header })),
    mapping: suggestion.mapping,
    mappingFrom: suggestion.savedSource === null ? { saved: false } : { saved: true, source: suggestion.savedSource },
    sources: await savedSources(db, kind.name),
    dataRowCount: countDataRows(grid, headerRow),
  };
}

// ---------------------------------------------------------------------------
// Dry run

export interface DryRunInput {
  kind: string;
  source: string;
  fileName: string;
  dataBase64: string;
  encoding?: ImportEncoding | undefined;
  sheet: string;
  headerRow: number;
  mapping: Record<string, string>;
  options: Record<string, unknown>;
}

/** Checks what can be checked at once (kind, options, required fields mapped), then starts the job. */
export function startDryRun(app: JobApp, actor: Actor, input: DryRunInput): { jobId: string } {
  const kind = kindFor(input.kind, actor);
  const options = kind.options.safeParse(input.options);
  if (!options.success) {
    const fields: Record<string, string> = {};
    for (const issue of options.error.issues) fields[['options', ...issue.path.map(String)].join('.')] ??= issue.message;
    throw new ApiError('VALIDATION', `選項有誤：${options.error.issues[0]?.message ?? '格式不正確'}`, { fields });
  }
  const fieldKeys = new Set(kind.fields.map((f) => f.key));
  const mapping: Record<string, string> = {};
  for (const [field, col] of Object.entries(input.mapping)) {
    if (!fieldKeys.has(field)) throw new ApiError('VALIDATION', `沒有「${field}」這個欄位。`, { fields: { [`mapping.${field}`]: '沒有這個欄位' } });
    mapping[field] = col;
  }
  const missing = kind.fields.filter((f) => f.required && !mapping[f.key]);
  if (missing.length > 0) {
    const fields = Object.fromEntries(missing.map((f) => [`mapping.${f.key}`, `請選擇「${f.label}」在哪一欄`]));
    throw new ApiError('VALIDATION', `請選擇必填欄位的對應欄：${missing.map((f) => f.label).join('、')}`, { fields });
  }
  const job = startJob('dryrun', actor.userId, null, (j) => runDryRun(app, actor, kind, { ...input, mapping }, options.data, j));
  return { jobId: job.id };
}

interface Classified<P> {
  line: number;
  parsed: P | null;
  classification: Classification;
}

async function runDryRun(
  app: JobApp,
  actor: Actor,
  kind: ImportKind<unknown>,
  input: DryRunInput,
  options: Record<string, unknown>,
  job: Job,
): Promise<number> {
  const started = app.now();
  const ctx = kindContext(actor, started, options);
  // 1. Read.
  setPhase(job, 'read', 1);
  const bytes = decodeFile(input.dataBase64);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const book = openBook(bytes, input.fileName, input.encoding);
  const sheet = pickSheet(book, input.sheet);
  const grid = sheetRows(book, sheet);
  const columns: HeaderColumn[] = headerColumns(grid, input.headerRow);
  for (const [field, col] of Object.entries(input.mapping)) {
    if (!columns.some((c) => c.col === col)) throw new ApiError('VALIDATION', `「${kind.fields.find((f) => f.key === field)?.label ?? field}」對應的 ${col} 欄不在標題列中。`);
  }
  await tick(job, 1);

  // 2. Parse, row by row.
  setPhase(job, 'parse', countDataRows(grid, input.headerRow));
  const rows: Classified<unknown>[] = [];
  const parsed: ParsedRow<unknown>[] = [];
  for (const row of dataRows(grid, input.headerRow, columns, input.mapping)) {
    const r = kind.parse(row, ctx);
    if (r.ok) {
      rows.push({ line: row.line, parsed: r.value, classification: { status: 'new', summary: '' } });
      parsed.push({ line: row.line, value: r.value });
    } else {
      rows.push({ line: row.line, parsed: null, classification: { status: 'error', summary: '（資料有誤）', problems: r.problems } });
    }
    if (rows.length % CHUNK_ROWS === 0) await tick(job, rows.length);
  }
  if (rows.length === 0) throw new ApiError('VALIDATION', '標題列以下沒有任何資料列。');
  job.total = rows.length;
  await tick(job, rows.length);

  // 3. Classify every parsed row against the database (read only), in one call of the kind.
  setPhase(job, 'classify', parsed.length);
  const handle = jobDatabase(app.db, app.backup.sqlite);
  try {
    const classes = parsed.length > 0 ? await kind.classify(handle.db, parsed, ctx) : [];
    if (classes.length !== parsed.length) throw new Error(`classify returned ${classes.length} classifications for ${parsed.length} rows`);
    let k = 0;
    for (const r of rows) if (r.parsed !== null || r.classification.status !== 'error') r.classification = classes[k++] as Classification;
    await tick(job, parsed.length);

    // 4. Save the batch, its rows and the mapping in one transaction; cancel rolls it back.
    setPhase(job, 'save', rows.length);
    return await handle.locked(() => writeTransaction(handle.db, async (trx) => {
      const now = app.now();
      await clearExpiredParsed(trx, now);
      const rocYear = toRocYear(Number(todayIso(now).slice(0, 4)));
      const last = await trx.selectFrom('import_batches').select(sql<number>`max(seq)`.as('seq')).where('roc_year', '=', rocYear).executeTakeFirst();
      const seq = Number(last?.seq ?? 0) + 1;
      const batchNo = `匯入-${rocYear}-${String(seq).padStart(4, '0')}`;
      const { id } = await trx
        .insertInto('import_batches')
        .values({
          batch_no: batchNo,
          roc_year: rocYear,
          seq,
          kind: kind.name,
          source: input.source,
          file_name: input.fileName,
          file_sha256: sha256,
          sheet,
          header_row: input.headerRow,
          mapping: JSON.stringify(input.mapping),
          options: JSON.stringify(options),
          state: 'dryrun',
          counts: JSON.stringify(emptyCounts()),
          created_by: actor.userId,
          created_at: now.toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      job.batchId = id;
      for (let i = 0; i < rows.length; i += 200) {
        await trx
          .insertInto('import_rows')
          .values(
            rows.slice(i, i + 200).map((r) => ({
              batch_id: id,
              line: r.line,
              ...rowColumns(r.classification),
              decision: null,
              excluded: 0,
              parsed: r.parsed === null ? null : JSON.stringify(r.parsed),
              outcome: null,
            })),
          )
          .execute();
        if ((i + 200) % 1000 === 0) await tick(job, Math.min(i + 200, rows.length));
      }
      const counts = await countRows(trx, id);
      await trx.updateTable('import_batches').set({ counts: JSON.stringify(counts) }).where('id', '=', id).execute();
      await saveMapping(trx, { kind: kind.name, source: input.source, mapping: input.mapping, columns, userId: actor.userId, now: now.toISOString() });
      await appendAudit(trx, { actor, action: 'import', entity: AUDIT_ENTITY, entityId: batchNo, detail: { step: 'dryrun', kind: kind.name, counts } }, now);
      await tick(job, rows.length);
      return id;
    }));
  } finally {
    await handle.close();
  }
}

/**
 * Clears the parsed values (personal data from the file) of batches past their undo window: committed ones
 * 7 days after the commit, dry runs never committed 7 days after they were made.
 */
export async function clearExpiredParsed(trx: Kysely<Database>, now: Date): Promise<void> {
  const cutoff = new Date(now.getTime() - UNDO_WINDOW_MS).toISOString();
  const ids = await trx
    .selectFrom('import_batches')
    .select('id')
    .where('parsed_cleared_at', 'is', null)
    .where((eb) => eb.or([eb.and([eb('state', '=', 'committed'), eb('committed_at', '<', cutoff)]), eb.and([eb('state', '!=', 'committed'), eb('created_at', '<', cutoff)])]))
    .execute();
  for (const { id } of ids) {
    await trx.updateTable('import_rows').set({ parsed: null }).where('batch_id', '=', id).execute();
    await trx.updateTable('import_batches').set({ parsed_cleared_at: now.toISOString() }).where('id', '=', id).execute();
  }
}

// ---------------------------------------------------------------------------
// Commit

export async function startCommit(app: JobApp, actor: Actor, batchId: number): Promise<{ jobId: string }> {
  const { batch, kind } = await loadBatch(app.db, batchId, actor);
  assertCommittable(batch, app.now());
  if (runningJobOf(batch.id)) throw new ApiError('CONFLICT', '這批資料正在匯入中。');
  const job = startJob('commit', actor.userId, batch.id, (j) => runCommit(app, actor, kind, batch.id, j));
  return { jobId: job.id };
}

function assertCommittable(batch: BatchRow, now: Date): void {
  if (batch.state === 'committed') throw new ApiError('CONFLICT', `這批資料（${batch.batch_no}）已經匯入過了。`);
  if (batch.state !== 'dryrun') throw new ApiError('CONFLICT', `這批資料（${batch.batch_no}）的狀態不能匯入。`);
  if (batch.parsed_cleared_at !== null || now.getTime() - Date.parse(batch.created_at) > UNDO_WINDOW_MS) {
    throw new ApiError('CONFLICT', '這次試匯入已超過 7 天，請重新選擇檔案試匯入。');
  }
}

const SKIPPED: Record<string, string> = {
  duplicate: '略過：與檔案中前面的列重複',
  error: '略過：資料有誤',
  decide: '略過：未決定處理方式',
};

async function runCommit(app: JobApp, actor: Actor, kind: ImportKind<unknown>, batchId: number, job: Job): Promise<number> {
  const handle = jobDatabase(app.db, app.backup.sqlite);
  try {
    return await handle.locked(() => writeTransaction(handle.db, async (trx) => {
      const now = app.now();
      const batch = await trx.selectFrom('import_batches').selectAll().where('id', '=', batchId).executeTakeFirstOrThrow();
      assertCommittable(batch, now);
      const options = kind.options.parse(JSON.parse(batch.options));
      const ctx = kindContext(actor, now, options);
      const stored: RowRecord[] = await trx.selectFrom('import_rows').selectAll().where('batch_id', '=', batchId).orderBy('line').execute();
      const rows: CommitRow<unknown>[] = stored
        .filter((r) => writes(r) && r.parsed !== null)
        .map((r) => ({ line: r.line, value: JSON.parse(r.parsed as string) as unknown, classification: classificationOf(r), decision: r.status === 'decide' ? r.decision : null }));
      setPhase(job, 'commit', rows.length);
      await tick(job, 0);
      const effects = collectEffects();
      const outcomes = await kind.commit(trx, rows, ctx, effects.log, (done) => tick(job, done));
      await tick(job, rows.length);
      await storeEffects(trx, batchId, effects.list, () => tick(job));

      // Each row's outcome: one UPDATE ... FROM (VALUES ...) per 500 rows (SQLite ≥ 3.33 and PostgreSQL alike; the
      // VALUES columns are column1..3 on both); rows not written get the reason they were skipped.
      for (let i = 0; i < outcomes.length; i += 500) {
        const values = sql.join(
          outcomes.slice(i, i + 500).map((o) => sql`(cast(${o.line} as integer), cast(${o.result} as text), cast(${o.targetId ?? null} as integer))`),
        );
        await sql`update import_rows set outcome = v.column2, target_id = coalesce(v.column3, import_rows.target_id)
          from (values ${values}) as v where import_rows.batch_id = ${batchId} and import_rows.line = v.column1`.execute(trx);
      }
      await trx.updateTable('import_rows').set({ outcome: '略過：已排除' }).where('batch_id', '=', batchId).where('excluded', '=', 1).where('outcome', 'is', null).execute();
      for (const [status, text] of Object.entries(SKIPPED)) {
        await trx.updateTable('import_rows').set({ outcome: text }).where('batch_id', '=', batchId).where('status', '=', status).where('outcome', 'is', null).execute();
      }
      await trx.updateTable('import_rows').set({ outcome: '列入追蹤（未寫入）' }).where('batch_id', '=', batchId).where('status', '=', 'followup').where('outcome', 'is', null).execute();
      await trx.updateTable('import_rows').set({ outcome: '未寫入' }).where('batch_id', '=', batchId).where('outcome', 'is', null).execute();

      const counts = { ...(await countRows(trx, batchId)), toWrite: outcomes.length };
      await trx
        .updateTable('import_batches')
        .set({ state: 'committed', counts: JSON.stringify(counts), committed_by: actor.userId, committed_at: now.toISOString() })
        .where('id', '=', batchId)
        .execute();
      await appendAudit(
        trx,
        { actor, action: 'import', entity: AUDIT_ENTITY, entityId: batch.batch_no, detail: { step: 'commit', kind: kind.name, counts, effects: effects.list.length } },
        now,
      );
      return batchId;
    }));
  } finally {
    await handle.close();
  }
}

// ---------------------------------------------------------------------------
// Batches and undo

export async function oneBatch(db: Kysely<Database>, actor: Actor, batchId: number, now: Date): Promise<ImportBatchView> {
  const { batch, kind } = await loadBatch(db, batchId, actor);
  const names = await userNames(db, [batch.created_by, batch.committed_by, batch.undone_by]);
  const blockers = batch.state === 'committed' ? await undoBlockers(db, batch, kind, now) : null;
  return batchView(batch, names, blockers);
}

export async function listBatches(
  db: Kysely<Database>,
  actor: Actor,
  input: { kind?: string | undefined; offset: number; limit: number },
  now: Date,
): Promise<{ rows: ImportBatchView[]; total: number }> {
  const kinds = allKinds()
    .filter((k) => k.roles.includes(actor.role))
    .map((k) => k.name as string)
    .filter((k) => input.kind === undefined || k === input.kind);
  if (kinds.length === 0) return { rows: [], total: 0 };
  let q = db.selectFrom('import_batches').where('kind', 'in', kinds);
  if (actor.role !== 'admin') q = q.where('created_by', '=', actor.userId);
  const total = Number((await q.select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
  const batches = await q.selectAll().orderBy('id', 'desc').limit(input.limit).offset(input.offset).execute();
  const names = await userNames(db, batches.flatMap((b) => [b.created_by, b.committed_by, b.undone_by]));
  const rows: ImportBatchView[] = [];
  for (const b of batches) {
    const kind = allKinds().find((k) => k.name === b.kind) as ImportKind<unknown>;
    rows.push(batchView(b, names, b.state === 'committed' ? await undoBlockers(db, b, kind, now) : null));
  }
  return { rows, total };
}

/** Undoes a committed batch in the caller's transaction (the dispatcher's declared write). */
export async function undoBatch(trx: Kysely<Database>, actor: Actor, input: { batchId: number; reason: string }, now: Date): Promise<ImportBatchView> {
  const { batch, kind } = await loadBatch(trx, input.batchId, actor);
  if (runningJobOf(batch.id)) throw new ApiError('CONFLICT', '這批資料正在匯入中。');
  const blockers = await undoBlockers(trx, batch, kind, now);
  if (blockers.length > 0) throw new ApiError('CONFLICT', `這批資料不能復原：${blockers.join('；')}`, { details: { blockers } });
  const { deleted, restored } = await replayBackwards(trx, batch.id);
  await trx
    .updateTable('import_batches')
    .set({ state: 'undone', undone_by: actor.userId, undone_at: now.toISOString(), undo_reason: input.reason, parsed_cleared_at: now.toISOString() })
    .where('id', '=', batch.id)
    .execute();
  await trx.updateTable('import_rows').set({ parsed: null }).where('batch_id', '=', batch.id).execute();
  await appendAudit(trx, { actor, action: 'import', entity: AUDIT_ENTITY, entityId: batch.batch_no, detail: { step: 'undo', kind: kind.name, deleted, restored } }, now);
  return oneBatch(trx, actor, batch.id, now);
}
