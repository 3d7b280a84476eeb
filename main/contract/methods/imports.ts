import { z } from 'zod';
import { method } from '../define';
import { idSchema } from '../schemas';

/**
 * Imports (匯入, issue 12): one pipeline for every kind of list (個案名冊, 低收/中低收 名冊, 派案清單, 村里代碼,
 * 代碼表). inspect → dryRun (a job) → rows / setRows (exclude, decide) → commit (a job) → result (xlsx) → undo.
 * Long work runs as a job in the server process: the call returns a job id at once and `imports.progress`
 * reports rows done / total until the job ends. Each kind says who may run it; the core checks it on every call.
 * Dates shown to users are ROC (115/05/20); `...At` fields without a ROC form are ISO for sorting only.
 */

/** The kinds of list (same names as main/services/imports/types.ts ImportKindName). */
export const IMPORT_KIND_NAMES = ['caseload', 'income-status', 'dispatch', 'villages', 'codelist', 'external-aid'] as const;

export const IMPORT_ROW_STATUSES = ['new', 'match', 'duplicate', 'decide', 'followup', 'error'] as const;
export type ImportRowStatus = (typeof IMPORT_ROW_STATUSES)[number];

export const IMPORT_ROW_STATUS_LABELS: Record<ImportRowStatus, string> = {
  new: '新增',
  match: '已存在',
  duplicate: '檔案內重複',
  decide: '待決定',
  followup: '列入追蹤',
  error: '錯誤',
};

export const IMPORT_BATCH_STATES = ['dryrun', 'committed', 'undone', 'cancelled', 'failed'] as const;
export type ImportBatchState = (typeof IMPORT_BATCH_STATES)[number];

export const IMPORT_BATCH_STATE_LABELS: Record<ImportBatchState, string> = {
  dryrun: '試匯入（尚未寫入）',
  committed: '已匯入',
  undone: '已復原',
  cancelled: '已取消',
  failed: '失敗',
};

/** Text encodings a CSV may be read as; omitted: detected (UTF-8 with or without BOM, else Big5/CP950). */
export const IMPORT_ENCODINGS = ['utf-8', 'big5'] as const;
export type ImportEncoding = (typeof IMPORT_ENCODINGS)[number];

/** Largest file accepted: 20 MB (its base64 is about 26.7 MB). */
export const IMPORT_MAX_FILE_BYTES = 20 * 1024 * 1024;
/** The JSON payload limit of the methods that carry a file. */
export const IMPORT_MAX_PAYLOAD_BYTES = 28 * 1024 * 1024;

/** Rows of the sheet shown in the inspect step's preview. */
export const IMPORT_PREVIEW_ROWS = 30;
/** Rows per page of `imports.rows`. */
export const IMPORT_ROWS_PAGE_SIZE = 100;
/** A committed batch may be undone for this many days. */
export const IMPORT_UNDO_DAYS = 7;

export interface ImportFieldView {
  key: string;
  label: string;
  required: boolean;
  headers: string[];
  hint: string | null;
}

export interface ImportKindView {
  name: ImportKindName;
  label: string;
  fields: ImportFieldView[];
  /** The kind's options (effective date, period...) as JSON Schema (zod's toJSONSchema), for the options step. */
  optionsSchema: unknown;
  /** Sources this center has imported this kind from before (saved mappings), newest first. */
  sources: string[];
}

export type ImportKindName = (typeof IMPORT_KIND_NAMES)[number];

export interface ImportSheetView {
  name: string;
  hidden: boolean;
  rowCount: number;
  colCount: number;
}

export interface ImportColumnView {
  /** Column letter(s): 'C', 'AB'. */
  col: string;
  /** The header text (merged header cells already spread), '' when the column has none. */
  header: string;
}

export interface ImportInspection {
  /** 'xlsx' | 'xls' | 'ods' | 'csv' ... as the reader says. */
  format: string;
  /** For CSV: the encoding used; `encodingGuessed` true when it was detected rather than chosen. */
  encoding: string | null;
  encodingGuessed: boolean;
  sheets: ImportSheetView[];
  /** The sheet the preview shows (the one asked for, else the first visible one). */
  sheet: string;
  /** The first IMPORT_PREVIEW_ROWS rows of the sheet as text, row 1 first; `previewColumns` are their letters. */
  preview: string[][];
  previewColumns: string[];
  /** 1-based header row (the one asked for, else detected). */
  headerRow: number;
  detectedHeaderRow: number;
  columns: ImportColumnView[];
  /** Suggested mapping, field key → column letter. */
  mapping: Record<string, string>;
  /** Where the suggestion came from: a saved mapping of this kind (its source name), or the fields' header texts. */
  mappingFrom: { saved: true; source: string } | { saved: false };
  /** Saved source names for this kind (to pick 「來源」 from). */
  sources: string[];
  /** Data rows below the header (trailing empty rows not counted). */
  dataRowCount: number;
}

export type ImportJobPhase = 'read' | 'parse' | 'classify' | 'save' | 'commit' | 'done';
export type ImportJobState = 'running' | 'done' | 'cancelled' | 'failed';

export interface ImportJobProgress {
  jobId: string;
  /** 'dryrun' or 'commit'. */
  job: 'dryrun' | 'commit';
  phase: ImportJobPhase;
  /** zh-TW phase label: 讀取檔案 / 檢查各列 / 比對資料庫 / 儲存試匯入結果 / 寫入資料 / 完成. */
  phaseLabel: string;
  done: number;
  total: number;
  state: ImportJobState;
  batchId: number | null;
  /** zh-TW, when failed or cancelled. */
  error: string | null;
}

export interface ImportDecisionOption {
  value: string;
  label: string;
}

export interface ImportFieldChangeView {
  field: string;
  from: string;
  to: string;
}

export interface ImportRowView {
  line: number;
  status: ImportRowStatus;
  statusLabel: string;
  summary: string;
  /** 「第 12 列 C 欄：身分證字號檢查碼錯誤」 (the column from the batch's mapping; 「第 12 列：...」 when no one cell). */
  problems: string[];
  flags: string[];
  changes: ImportFieldChangeView[];
  /** A decide row's question and options. */
  question: string | null;
  options: ImportDecisionOption[];
  decision: string | null;
  excluded: boolean;
  /** A duplicate's earlier line. */
  ofLine: number | null;
  /** A followup row's reason. */
  reason: string | null;
  /** After commit: what was done (zh-TW), and the main record's id. */
  outcome: string | null;
  targetId: number | null;
}

export type ImportCounts = Record<ImportRowStatus, number> & {
  total: number;
  excluded: number;
  /** decide rows without a decision (skipped at commit). */
  undecided: number;
  /** Rows that commit would write (new + match + decided, not excluded), or wrote. */
  toWrite: number;
};

export interface ImportRowsPage {
  batchId: number;
  counts: ImportCounts;
  total: number;
  page: number;
  pageSize: number;
  rows: ImportRowView[];
}

export interface ImportBatchView {
  id: number;
  /** 「匯入-115-0007」 */
  batchNo: string;
  kind: ImportKindName;
  kindLabel: string;
  source: string;
  fileName: string;
  sheet: string;
  headerRow: number;
  state: ImportBatchState;
  stateLabel: string;
  counts: ImportCounts;
  createdBy: string;
  /** ROC: 「115/05/20 10:03」; `createdAtIso` for sorting. */
  createdAt: string;
  createdAtIso: string;
  committedBy: string | null;
  committedAt: string | null;
  undoneBy: string | null;
  undoneAt: string | null;
  undoReason: string | null;
  /** ROC date-time until which a committed batch may be undone; null unless committed. */
  undoDeadline: string | null;
  canUndo: boolean;
  /** zh-TW reasons the batch cannot be undone (empty when canUndo, or when it is not committed). */
  blockers: string[];
  /** A job of this batch still running (dry run saving or commit), to resume its progress bar. */
  jobId: string | null;
}

export interface ImportResultFile {
  /** 「匯入結果-匯入-115-0007.xlsx」 */
  fileName: string;
  dataBase64: string;
}

const STAFF = ['worker', 'supervisor', 'admin'] as const;

const kindSchema = z.enum(IMPORT_KIND_NAMES, { error: '請選擇匯入的清單種類' });
const fileNameSchema = z.string({ error: '請選擇檔案' }).trim().min(1, '請選擇檔案').max(255, '檔名過長');
const dataSchema = z
  .string({ error: '請選擇檔案' })
  .min(1, '檔案是空的')
  .max(Math.ceil((IMPORT_MAX_FILE_BYTES * 4) / 3) + 8, '檔案超過 20 MB，請分成較小的檔案再匯入')
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, '檔案內容無法讀取');
const encodingSchema = z.enum(IMPORT_ENCODINGS, { error: '編碼不正確' }).optional();
const sheetSchema = z.string({ error: '請選擇工作表' }).min(1, '請選擇工作表').max(100, '工作表名稱過長');
const headerRowSchema = z.number({ error: '請輸入標題列' }).int('標題列須為整數').min(1, '標題列須大於 0').max(1000, '標題列不得超過第 1000 列');
const columnSchema = z.string().regex(/^[A-Z]{1,3}$/, '欄位代號不正確');
const sourceSchema = z.string({ error: '請輸入來源' }).trim().min(1, '請輸入來源（例如：○○區公所）').max(60, '來源最多 60 個字');
const jobIdSchema = z.string().min(1).max(64);
const linesSchema = z.array(z.number().int().positive()).min(1, '請選擇列').max(100_000);

export const importsMethods = {
  /** The kinds the caller may import, with their fields and options. */
  'imports.kinds': method<ImportKindView[]>()({ input: z.strictObject({}), access: STAFF }),
  /** Reads the file (nothing is kept): sheets, preview, header row, columns, suggested mapping. */
  'imports.inspect': method<ImportInspection>()({
    input: z.strictObject({
      kind: kindSchema,
      fileName: fileNameSchema,
      dataBase64: dataSchema,
      encoding: encodingSchema,
      sheet: sheetSchema.optional(),
      headerRow: headerRowSchema.optional(),
      source: sourceSchema.optional(),
    }),
    access: STAFF,
    maxBytes: IMPORT_MAX_PAYLOAD_BYTES,
  }),
  /** Starts a dry run (a job): reads, parses and classifies every row, then stores the batch as 'dryrun'. */
  'imports.dryRun': method<{ jobId: string }>()({
    input: z.strictObject({
      kind: kindSchema,
      source: sourceSchema,
      fileName: fileNameSchema,
      dataBase64: dataSchema,
      encoding: encodingSchema,
      sheet: sheetSchema,
      headerRow: headerRowSchema,
      mapping: z.record(z.string().min(1).max(60), columnSchema),
      options: z.record(z.string(), z.unknown()).default({}),
    }),
    access: STAFF,
    maxBytes: IMPORT_MAX_PAYLOAD_BYTES,
    ownTransactions: true,
  }),
  'imports.progress': method<ImportJobProgress>()({ input: z.strictObject({ jobId: jobIdSchema }), access: STAFF }),
  /** Cancels a running job: a dry run is discarded, a commit rolls back (nothing written). */
  'imports.cancel': method<ImportJobProgress>()({ input: z.strictObject({ jobId: jobIdSchema }), access: STAFF }),
  /** One batch. */
  'imports.batch': method<ImportBatchView>()({ input: z.strictObject({ batchId: idSchema }), access: STAFF }),
  /** A batch's rows, by status, a page at a time (line order). */
  'imports.rows': method<ImportRowsPage>()({
    input: z.strictObject({
      batchId: idSchema,
      status: z.array(z.enum(IMPORT_ROW_STATUSES)).optional(),
      excluded: z.boolean().optional(),
      page: z.number().int().min(1).default(1),
      pageSize: z.number().int().min(1).max(500).default(IMPORT_ROWS_PAGE_SIZE),
    }),
    access: STAFF,
  }),
  /** Excludes / includes rows or records a decision on decide rows, before commit. */
  'imports.setRows': method<ImportRowsPage>()({
    write: true,
    input: z.strictObject({
      batchId: idSchema,
      lines: linesSchema,
      excluded: z.boolean().optional(),
      decision: z.string().max(60).nullable().optional(),
    }),
    access: STAFF,
    maxBytes: 1024 * 1024,
  }),
  /** Starts the commit (a job): one transaction for the whole batch. */
  'imports.commit': method<{ jobId: string }>()({ input: z.strictObject({ batchId: idSchema }), access: STAFF, ownTransactions: true }),
  /** The per-row result report (xlsx). */
  'imports.result': method<ImportResultFile>()({ input: z.strictObject({ batchId: idSchema }), access: STAFF }),
  /** Batches of the kinds the caller may import, newest first. */
  'imports.batches': method<{ rows: ImportBatchView[]; total: number }>()({
    input: z.strictObject({
      kind: kindSchema.optional(),
      offset: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(100).default(30),
    }),
    access: STAFF,
  }),
  /** Undoes a committed batch (within 7 days, when nothing was built on it since). */
  'imports.undo': method<ImportBatchView>()({
    write: true,
    input: z.strictObject({ batchId: idSchema, reason: z.string({ error: '請輸入復原原因' }).trim().min(2, '請輸入復原原因').max(200, '原因最多 200 個字') }),
    access: STAFF,
  }),
} as const;
