/**
 * The import pipeline's contract between its core (reading, mapping, dry run, commit, undo, progress) and
 * each kind of list it brings in (caseload, 低收/中低收, 派案, 村里, code lists). The core owns files,
 * batches and rows; a kind owns what a row means. Every kind is a plain object registered in kinds/index.ts.
 *
 * Flow: file → sheet + header row → mapping (field key → column letter) → for each data row the core builds
 * a SourceRow → kind.parse → kind.classify (all rows, against the database) → the user excludes rows or
 * decides flagged ones → kind.commit inside ONE transaction with an EffectLog → undo replays the log
 * backwards after kind.undoBlockers found nothing built on the batch since.
 */
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { Database } from '../../../db/schema';
import type { Role } from '../../contract/roles';

export type ImportKindName = 'caseload' | 'income-status' | 'dispatch' | 'villages' | 'codelist' | 'external-aid';

/** One cell as read from the file, already normalised by the reader. */
export interface SourceCell {
  /** Column letter(s) in the sheet: 'C', 'AB'. */
  col: string;
  /** The text as shown in the sheet, trimmed, full-width ASCII and ideographic spaces folded to half-width. '' when empty. */
  text: string;
  /** Set when the cell is a real date in the file (an Excel date serial or a typed date cell): ISO 'YYYY-MM-DD'. */
  date?: string;
  /** Set when the cell holds a number in the file (not text that looks like one). */
  number?: number;
}

/** One data row of the sheet with the mapped fields' cells. Unmapped or missing fields are absent. */
export interface SourceRow {
  /** The row number in the sheet as Excel shows it (1-based): messages say 「第 {line} 列」. */
  line: number;
  cells: Partial<Record<string, SourceCell>>;
}

/** A field a kind can take from a column. */
export interface ImportField {
  key: string;
  /** zh-TW label shown in the mapping step. */
  label: string;
  required: boolean;
  /** Header texts that suggest this field (compared after removing spaces and punctuation), e.g. ['身分證字號', '身分證號', '統一證號']. */
  headers: readonly string[];
  /** One line of help for the mapping step, e.g. '民國或西元日期皆可'. */
  hint?: string;
}

/** A problem with one row: the zh-TW reason and, when it is one cell's fault, the field (the core adds 「第 12 列 C 欄：」). */
export interface RowProblem {
  field?: string;
  message: string;
}

export type ParseResult<P> = { ok: true; value: P } | { ok: false; problems: RowProblem[] };

/** A field that would change on an existing record: labels and values as the user reads them (ROC dates, zh-TW). */
export interface FieldChange {
  field: string;
  from: string;
  to: string;
}

/**
 * What one row would do.
 * - new: creates a record.
 * - match: an existing record; `changes` lists what would be updated (empty: nothing to change).
 * - duplicate: the same record as an earlier row of the file (`ofLine`); never written.
 * - decide: needs the user's choice among `options` before commit (e.g. same name and birth date as a known
 *   person: 視為同一人 / 建立新的個人); undecided rows are skipped at commit.
 * - followup: valid but not written; listed for follow-up (e.g. a 低收 household unknown to the center).
 * - error: cannot be imported; `problems` says why.
 * `flags` are warnings shown beside the row that do not stop it (e.g. 「此案中心已結案」).
 * `summary` is a short zh-TW description of the record for the dry-run table (no national ID in it;
 * use maskNationalId when an ID helps).
 */
export type Classification =
  | { status: 'new'; summary: string; flags?: string[] }
  | { status: 'match'; summary: string; targetId: number; changes: FieldChange[]; flags?: string[] }
  | { status: 'duplicate'; summary: string; ofLine: number }
  | { status: 'decide'; summary: string; question: string; options: readonly DecisionOption[]; flags?: string[] }
  | { status: 'followup'; summary: string; reason: string }
  | { status: 'error'; summary: string; problems: RowProblem[] };

export interface DecisionOption {
  /** Stored with the row when chosen, passed back to commit as `decision`. */
  value: string;
  label: string;
}

export interface ParsedRow<P> {
  line: number;
  value: P;
}

/** A row going into commit: parsed value, its dry-run classification and the user's decision, if any. */
export interface CommitRow<P> {
  line: number;
  value: P;
  classification: Classification;
  decision: string | null;
}

/** What commit says it did with one row (shown in the result report). */
export interface RowOutcome {
  line: number;
  /** zh-TW: 「新增家戶 #812、個人 3 位、個案 115-000321」, 「更新低收入戶身分（115/01/01 起）」, 「略過：未決定」. */
  result: string;
  /** The main record the row created or updated, for the result report's link. */
  targetId?: number;
}

/** Every row a commit inserted or changed, so undo can put the database back. */
export interface EffectLog {
  /** A row inserted by this batch; `key` is its primary key (e.g. { id: 812 } or { case_id: 5, code: '1-3' }). */
  inserted(table: keyof Database & string, key: Record<string, string | number>): void;
  /** A row updated by this batch: `before` holds the old values of exactly the columns the batch changed. */
  updated(table: keyof Database & string, key: Record<string, string | number>, before: Record<string, unknown>): void;
}

export interface KindContext {
  /** The caller (for created_by/updated_by and scope). */
  actor: { id: number; role: Role; teamId: number | null };
  /** 'YYYY-MM-DD' in Asia/Taipei, from the app's injected clock. */
  today: string;
  /** ISO timestamp now (the injected clock). */
  now: string;
  /** The batch's options, already validated by the kind's `options` schema. */
  options: Record<string, unknown>;
}

export interface ImportKind<P = unknown> {
  name: ImportKindName;
  /** zh-TW: 「個案名冊」, 「低收入戶／中低收入戶名冊」, 「派案清單」, 「村里代碼」, 「代碼表」. */
  label: string;
  /** Who may run it (checked by the core on every call). */
  roles: readonly Role[];
  fields: readonly ImportField[];
  /** Options asked before the dry run (effective date, list name, the 公所's period...), validated by the core. */
  options: z.ZodType<Record<string, unknown>>;
  /** Checks one row on its own (formats, required fields, IDs, dates): no database. */
  parse(row: SourceRow, ctx: KindContext): ParseResult<P>;
  /**
   * Classifies every parsed row against the database (read-only handle) and against the other rows
   * (duplicates within the file). Must query in batches (e.g. IN lists of ≤ 500), never once per row:
   * 50,000 rows are dry-run in under 10 s. Returns one classification per row, same order.
   */
  classify(db: Kysely<Database>, rows: readonly ParsedRow<P>[], ctx: KindContext): Promise<Classification[]>;
  /**
   * Writes the rows inside the transaction the core opened (it commits or rolls back everything), recording
   * every insert and update in `effects`. Rows classified new/match, or decide with a decision, arrive here;
   * duplicates, errors, followups and excluded rows do not. `progress(done)` may be called as rows are written;
   * it throws when the user cancelled, which rolls everything back.
   */
  commit(trx: Kysely<Database>, rows: readonly CommitRow<P>[], ctx: KindContext, effects: EffectLog, progress: (done: number) => Promise<void>): Promise<RowOutcome[]>;
  /**
   * Why the batch can no longer be undone, in zh-TW, one line per reason (empty: it can). The core already
   * refuses after 7 days and when a row the batch inserted or updated has a different `version` now; the kind
   * adds what was built on the batch since: 「家戶 #812 已有 2 筆服務紀錄」, 「個案 115-000321 已變更狀態」.
   */
  undoBlockers(db: Kysely<Database>, effects: readonly RecordedEffect[]): Promise<string[]>;
}

export interface RecordedEffect {
  table: string;
  key: Record<string, string | number>;
  action: 'insert' | 'update';
  before: Record<string, unknown> | null;
}
