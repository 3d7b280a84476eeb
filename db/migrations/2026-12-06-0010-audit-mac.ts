import type { Kysely } from 'kysely';

/**
 * The audit chain gets a keyed seal: `mac` is HMAC-SHA256 of the row's hash with
 * a key kept outside the database. Rows written before this migration keep a
 * null mac (their SHA-256 chain is unchanged); the first sealed row links to
 * them, so they are covered by it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_log').addColumn('mac', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('audit_log').dropColumn('mac').execute();
}
