import type { Kysely } from 'kysely';

/**
 * Results of write calls by request id (issue 10, "Writes survive a flaky network"): a client whose
 * answer was lost retries with the same id, and the dispatcher answers from here instead of writing
 * twice. One row per id: who sent it, for which method, a hash of the payload, the ok envelope's value
 * as JSON, and when (rows older than a day are purged). Only the schema builder, so the same migration
 * runs on PostgreSQL.
 * Frozen: never edit after release; add a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('request_results')
    .addColumn('request_id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer')
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('payload_hash', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('request_results_at_idx').on('request_results').column('at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('request_results_at_idx').execute();
  await db.schema.dropTable('request_results').execute();
}
