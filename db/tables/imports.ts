/** Kysely types for imports (migration 2026-12-06-0018-imports). */
import type { Generated } from 'kysely';

export interface ImportBatchesTable {
  id: Generated<number>;
  /** 「匯入-115-0007」 */
  batch_no: string;
  roc_year: number;
  seq: number;
  /** ImportKindName */
  kind: string;
  /** Where the list came from (「○○區公所」), the key of the saved mapping. */
  source: string;
  file_name: string;
  /** SHA-256 of the uploaded file (the file itself is not kept). */
  file_sha256: string;
  sheet: string;
  header_row: number;
  /** JSON: field key → column letter. */
  mapping: string;
  /** JSON: the kind's options, validated. */
  options: string;
  /** 'dryrun' | 'committed' | 'undone' | 'cancelled' | 'failed' */
  state: string;
  /** JSON: rows per status (ImportCounts). */
  counts: string;
  created_by: number;
  created_at: string;
  committed_by: number | null;
  committed_at: string | null;
  undone_by: number | null;
  undone_at: string | null;
  undo_reason: string | null;
  /** When the rows' parsed values were cleared (undo, or the undo window's end). */
  parsed_cleared_at: string | null;
}

export interface ImportRowsTable {
  batch_id: number;
  /** The sheet's row number (1-based). */
  line: number;
  /** 'new' | 'match' | 'duplicate' | 'decide' | 'followup' | 'error' */
  status: string;
  summary: string;
  /** JSON RowProblem[] */
  problems: string | null;
  /** JSON string[] */
  flags: string | null;
  /** JSON FieldChange[] */
  changes: string | null;
  /** JSON: { question, options } of a decide row, { ofLine } of a duplicate, { reason } of a followup. */
  detail: string | null;
  decision: string | null;
  excluded: number;
  /** JSON: the kind's parsed value; null once cleared. */
  parsed: string | null;
  outcome: string | null;
  target_id: number | null;
}

export interface ImportEffectsTable {
  batch_id: number;
  seq: number;
  table_name: string;
  /** JSON primary key */
  key: string;
  /** 'insert' | 'update' */
  action: string;
  /** JSON: the old values of the changed columns (updates). */
  before: string | null;
  /** The row's `version` right after the commit, where the table has one. */
  version_after: number | null;
}

export interface ImportMappingsTable {
  id: Generated<number>;
  kind: string;
  source: string;
  header_signature: string;
  /** JSON: field key → column letter. */
  mapping: string;
  updated_by: number;
  updated_at: string;
}

export interface ImportTables {
  import_batches: ImportBatchesTable;
  import_rows: ImportRowsTable;
  import_effects: ImportEffectsTable;
  import_mappings: ImportMappingsTable;
}
