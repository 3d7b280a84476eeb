import type { Kysely } from 'kysely';

/**
 * Report periods (issue 13 §2): a definition says how often its form is due
 * (report_definitions.frequency: month, quarter, halfYear or year; existing
 * definitions are quarterly), each mapped cell which period it counts relative to
 * the report's (report_mappings.period: report, month1..12, ytd, sameLastYear,
 * previous; existing cells count the whole period), and the template's 編製日期
 * cell, filled with the generation date (compiled_sheet/_cell/_fingerprint, like
 * the period cell's three columns; absent on existing definitions).
 * Portable: ADD COLUMN with constant defaults only (SQLite and PostgreSQL alike).
 * Frozen: never edit after release; add a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('report_definitions').addColumn('frequency', 'text', (c) => c.notNull().defaultTo('quarter')).execute();
  await db.schema.alterTable('report_definitions').addColumn('compiled_sheet', 'text').execute();
  await db.schema.alterTable('report_definitions').addColumn('compiled_cell', 'text').execute();
  await db.schema.alterTable('report_definitions').addColumn('compiled_fingerprint', 'text').execute();
  await db.schema.alterTable('report_mappings').addColumn('period', 'text', (c) => c.notNull().defaultTo('report')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('report_mappings').dropColumn('period').execute();
  await db.schema.alterTable('report_definitions').dropColumn('compiled_fingerprint').execute();
  await db.schema.alterTable('report_definitions').dropColumn('compiled_cell').execute();
  await db.schema.alterTable('report_definitions').dropColumn('compiled_sheet').execute();
  await db.schema.alterTable('report_definitions').dropColumn('frequency').execute();
}
