import type { Kysely } from 'kysely';

/**
 * Donors fit for tax receipts (issue 11): each donor's 統一編號 (organisations) or 身分證字號
 * (people), stored normalized like persons.national_id (the database itself is encrypted; lists and
 * prints mask a person's ID), and a version for the stale-save protection of the donor edit.
 * Portable: two plain ADD COLUMNs (SQLite and PostgreSQL alike).
 * Frozen: never edit after release; add a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('fb_donors').addColumn('tax_id', 'text').execute();
  await db.schema.alterTable('fb_donors').addColumn('version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('fb_donors').dropColumn('version').execute();
  await db.schema.alterTable('fb_donors').dropColumn('tax_id').execute();
}
