import type { Kysely } from 'kysely';

/**
 * Imports (issue 12): one pipeline for every kind of list.
 * - import_batches: one dry run or commit of one file. `batch_no` 「匯入-115-0007」 is numbered per ROC year
 *   (`roc_year`, `seq`). The uploaded file itself is NOT kept: only its name and SHA-256, and the rows the
 *   dry run parsed. `mapping` (field → column letter) places each problem in its cell; `counts` holds the
 *   rows per status; `state` is 'dryrun' | 'committed' | 'undone' | 'cancelled' | 'failed'.
 * - import_rows: one row per data row of the file (line = the sheet's row number): its classification
 *   (status, summary, problems, flags, changes, detail), the user's `excluded` / `decision`, the kind's parsed
 *   value (`parsed`, needed by commit; cleared to null when the batch is undone or its 7-day undo window has
 *   passed, so personal data from the file does not linger), and after commit `outcome` / `target_id`.
 * - import_effects: every row a commit inserted or updated (table, primary key, the old values of the
 *   changed columns, the row's `version` after the commit where the table has one), replayed backwards by undo.
 * - import_mappings: the mapping last used per kind and source (「○○區公所」), with the header signature
 *   of the file it was made on, so next month's list maps itself.
 * Only the schema builder, so the same migration runs on PostgreSQL.
 * Frozen: never edit after release; add a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('import_batches')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('batch_no', 'text', (c) => c.notNull().unique())
    .addColumn('roc_year', 'integer', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('file_sha256', 'text', (c) => c.notNull())
    .addColumn('sheet', 'text', (c) => c.notNull())
    .addColumn('header_row', 'integer', (c) => c.notNull())
    .addColumn('mapping', 'text', (c) => c.notNull())
    .addColumn('options', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('counts', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('committed_by', 'integer', (c) => c.references('users.id'))
    .addColumn('committed_at', 'text')
    .addColumn('undone_by', 'integer', (c) => c.references('users.id'))
    .addColumn('undone_at', 'text')
    .addColumn('undo_reason', 'text')
    .addColumn('parsed_cleared_at', 'text')
    .execute();
  await db.schema.createIndex('import_batches_year_seq_uq').on('import_batches').columns(['roc_year', 'seq']).unique().execute();
  await db.schema.createIndex('import_batches_kind_idx').on('import_batches').columns(['kind', 'id']).execute();

  await db.schema
    .createTable('import_rows')
    .addColumn('batch_id', 'integer', (c) => c.notNull().references('import_batches.id').onDelete('cascade'))
    .addColumn('line', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('problems', 'text')
    .addColumn('flags', 'text')
    .addColumn('changes', 'text')
    .addColumn('detail', 'text')
    .addColumn('decision', 'text')
    .addColumn('excluded', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('parsed', 'text')
    .addColumn('outcome', 'text')
    .addColumn('target_id', 'integer')
    .addPrimaryKeyConstraint('import_rows_pk', ['batch_id', 'line'])
    .execute();
  await db.schema.createIndex('import_rows_status_idx').on('import_rows').columns(['batch_id', 'status', 'line']).execute();

  await db.schema
    .createTable('import_effects')
    .addColumn('batch_id', 'integer', (c) => c.notNull().references('import_batches.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('table_name', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('before', 'text')
    .addColumn('version_after', 'integer')
    .addPrimaryKeyConstraint('import_effects_pk', ['batch_id', 'seq'])
    .execute();

  await db.schema
    .createTable('import_mappings')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('header_signature', 'text', (c) => c.notNull())
    .addColumn('mapping', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('import_mappings_kind_source_uq').on('import_mappings').columns(['kind', 'source']).unique().execute();
  await db.schema.createIndex('import_mappings_signature_idx').on('import_mappings').columns(['kind', 'header_signature']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('import_mappings_signature_idx').execute();
  await db.schema.dropIndex('import_mappings_kind_source_uq').execute();
  await db.schema.dropTable('import_mappings').execute();
  await db.schema.dropTable('import_effects').execute();
  await db.schema.dropIndex('import_rows_status_idx').execute();
  await db.schema.dropTable('import_rows').execute();
  await db.schema.dropIndex('import_batches_kind_idx').execute();
  await db.schema.dropIndex('import_batches_year_seq_uq').execute();
  await db.schema.dropTable('import_batches').execute();
}
