import type { Kysely } from 'kysely';

/**
 * Correcting what was typed in programmes, child accounts and the food-bank catalogue (issue 11 §1):
 *
 * - programme_enrolments.version and child_placements.version (+ updated_at / updated_by): the
 *   stale-save check (households/common.ts assertVersion) for enrolment outcomes and placements;
 * - child_accounts.close_reason: why an account was closed (closed_on already exists);
 * - fb_items.updated_by: who changed an item last, for the stale-save message;
 * - programme_edits: the previous values of a record whose history matters (an enrolment's outcome,
 *   a child's placement, closing / reopening an account, a programme's status, dates and targets),
 *   one row per edit with the values before and after (JSON) and the reason given. Kept in the
 *   database, not the audit log, because an outcome is case content; the audit row names the fields.
 *
 * The added user columns carry no foreign key: SQLite cannot drop a column that has one (down).
 * Only the schema builder, so the same migration runs on PostgreSQL.
 * Frozen: never edit after release; add a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('programme_enrolments').addColumn('version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('child_placements').addColumn('version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('child_placements').addColumn('updated_at', 'text').execute();
  await db.schema.alterTable('child_placements').addColumn('updated_by', 'integer').execute();
  await db.schema.alterTable('child_accounts').addColumn('close_reason', 'text').execute();
  await db.schema.alterTable('fb_items').addColumn('updated_by', 'integer').execute();
  await db.schema
    .createTable('programme_edits')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'integer', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('before', 'text')
    .addColumn('after', 'text')
    .addColumn('reason', 'text')
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .addColumn('changed_by', 'integer', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('programme_edits_entity_idx').on('programme_edits').columns(['entity', 'entity_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('programme_edits_entity_idx').execute();
  await db.schema.dropTable('programme_edits').execute();
  await db.schema.alterTable('fb_items').dropColumn('updated_by').execute();
  await db.schema.alterTable('child_accounts').dropColumn('close_reason').execute();
  await db.schema.alterTable('child_placements').dropColumn('updated_by').execute();
  await db.schema.alterTable('child_placements').dropColumn('updated_at').execute();
  await db.schema.alterTable('child_placements').dropColumn('version').execute();
  await db.schema.alterTable('programme_enrolments').dropColumn('version').execute();
}
