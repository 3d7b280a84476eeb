import type { Kysely } from 'kysely';

/**
 * Lookups by national ID (issue 9 §2): one row per lookup a user makes through the duplicate check,
 * person registration or the search box, holding a keyed hash of the ID (never the ID), so the number
 * of distinct IDs a user has tried in the last hour and day can be counted across processes.
 * Frozen: never edit after release; add a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('id_lookups')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('id_hash', 'text', (c) => c.notNull())
    .addColumn('via', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('id_lookups_user_at_idx').on('id_lookups').columns(['user_id', 'at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('id_lookups_user_at_idx').execute();
  await db.schema.dropTable('id_lookups').execute();
}
