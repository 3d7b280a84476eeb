import type { Kysely } from 'kysely';

/**
 * Deleting what was made (issue 13 §7). A report definition that a submitted quarter used cannot go:
 * its snapshots are the center's record of what it sent. "Delete" then archives it: archived_at and
 * archived_by are set, the lists hide it and its snapshots stay downloadable. A template used only by
 * archived definitions is kept the same way (report_templates.archived_at), hidden from the list.
 *
 * The definition's name stays unique at the table level (0005 made it a column UNIQUE, which SQLite
 * cannot drop without rebuilding the table and its two child tables); the service frees the name of
 * an archived definition by suffixing its stored name with its id (definitions.ts archivedName).
 * Portable: ADD COLUMN of nullable columns (SQLite and PostgreSQL alike).
 * Frozen: never edit after release; add a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('report_definitions').addColumn('archived_at', 'text').execute();
  // A users.id, without a REFERENCES clause: SQLite cannot DROP a column that a foreign key uses, and down must work.
  await db.schema.alterTable('report_definitions').addColumn('archived_by', 'integer').execute();
  await db.schema.alterTable('report_templates').addColumn('archived_at', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('report_templates').dropColumn('archived_at').execute();
  await db.schema.alterTable('report_definitions').dropColumn('archived_by').execute();
  await db.schema.alterTable('report_definitions').dropColumn('archived_at').execute();
}
