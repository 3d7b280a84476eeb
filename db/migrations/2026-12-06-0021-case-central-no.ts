import type { Kysely } from 'kysely';

/**
 * The central platform's case number (派案編號 of 社安網 / 保護資訊系統) on a case (issue 12): the dispatch
 * list import stores it so that next month's list finds the same case again. Unique where given (NULLs
 * are distinct on both engines); a case the center opened itself has none.
 * Portable: one ADD COLUMN and one plain unique index (SQLite and PostgreSQL alike).
 * Frozen: never edit after release; add a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('cases').addColumn('central_no', 'text').execute();
  await db.schema.createIndex('cases_central_no').unique().on('cases').column('central_no').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('cases_central_no').execute();
  await db.schema.alterTable('cases').dropColumn('central_no').execute();
}
