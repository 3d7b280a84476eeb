import type { Kysely } from 'kysely';

/**
 * Versioned 行政區 (issue 12): 內政部 renumbers divisions when counties merge or are upgraded (桃園縣 10003 →
 * 桃園市 68000 from 103/12/25, its towns 10003010 → 68000010, its villages likewise). An old household keeps
 * the code it was recorded with; `valid_from` / `valid_to` (ISO dates, null = open) say when a code was in
 * use, and `division_code_changes` says which code replaced which from when, so reports can count an old
 * record under its current division. `version` lets an import batch's undo see a later change.
 * Portable: plain ADD COLUMNs and a plain table (SQLite and PostgreSQL alike).
 * Frozen: never edit after release; add a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('divisions').addColumn('valid_from', 'text').execute();
  await db.schema.alterTable('divisions').addColumn('valid_to', 'text').execute();
  await db.schema.alterTable('divisions').addColumn('version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema
    .createTable('division_code_changes')
    .addColumn('old_code', 'text', (c) => c.notNull())
    .addColumn('new_code', 'text', (c) => c.notNull().references('divisions.code'))
    .addColumn('effective_from', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('division_code_changes_pk', ['old_code', 'effective_from'])
    .execute();
  await db.schema.createIndex('division_code_changes_new_idx').on('division_code_changes').column('new_code').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('division_code_changes').execute();
  await db.schema.alterTable('divisions').dropColumn('version').execute();
  await db.schema.alterTable('divisions').dropColumn('valid_to').execute();
  await db.schema.alterTable('divisions').dropColumn('valid_from').execute();
}
