import type { Kysely } from 'kysely';

/**
 * Corrections keep what was there before (issue 11 §1, "Correct what was typed"):
 *
 * - service_record_versions: every earlier state of a service record (服務紀錄), one row per edit: the
 *   fields as they were (version N), who wrote that state and when, and who replaced it, when and why
 *   (修改原因, required). The narrative of an earlier state lives here too; the services show it only
 *   to the record's author and the team's 督導.
 * - household_members gains version / updated_at / updated_by, so an edit of the relation to the 戶長
 *   is refused over a newer one, like every other edit; household_member_relations keeps each earlier
 *   relation (from, to, who, when, why) for the membership's history and the household timeline.
 *
 * Only the schema builder, so the same migration runs on PostgreSQL.
 * Frozen: never edit after release; add a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('service_record_versions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('record_id', 'integer', (c) => c.notNull().references('service_records.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('minutes', 'integer', (c) => c.notNull())
    .addColumn('items', 'text', (c) => c.notNull())
    .addColumn('participants', 'text', (c) => c.notNull())
    .addColumn('next_follow_up', 'text')
    .addColumn('narrative', 'text')
    .addColumn('state_at', 'text', (c) => c.notNull())
    .addColumn('state_by', 'integer', (c) => c.references('users.id'))
    .addColumn('replaced_at', 'text', (c) => c.notNull())
    .addColumn('replaced_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('service_record_versions_record_idx').on('service_record_versions').columns(['record_id', 'version']).unique().execute();

  await db.schema.alterTable('household_members').addColumn('version', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('household_members').addColumn('updated_at', 'text').execute();
  await db.schema.alterTable('household_members').addColumn('updated_by', 'integer', (c) => c.references('users.id')).execute();

  await db.schema
    .createTable('household_member_relations')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('membership_id', 'integer', (c) => c.notNull().references('household_members.id'))
    .addColumn('household_id', 'integer', (c) => c.notNull().references('households.id'))
    .addColumn('from_relation', 'text', (c) => c.notNull())
    .addColumn('to_relation', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .addColumn('changed_by', 'integer', (c) => c.notNull().references('users.id'))
    .execute();
  await db.schema.createIndex('household_member_relations_household_idx').on('household_member_relations').columns(['household_id', 'changed_at']).execute();
  await db.schema.createIndex('household_member_relations_membership_idx').on('household_member_relations').column('membership_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('household_member_relations_membership_idx').execute();
  await db.schema.dropIndex('household_member_relations_household_idx').execute();
  await db.schema.dropTable('household_member_relations').execute();
  await db.schema.alterTable('household_members').dropColumn('updated_by').execute();
  await db.schema.alterTable('household_members').dropColumn('updated_at').execute();
  await db.schema.alterTable('household_members').dropColumn('version').execute();
  await db.schema.dropIndex('service_record_versions_record_idx').execute();
  await db.schema.dropTable('service_record_versions').execute();
}
