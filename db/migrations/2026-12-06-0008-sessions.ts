import type { Kysely } from 'kysely';

/**
 * Sessions and sign-in throttling in the database (issue 9), so that every process on the same
 * database (the desktop window and the browser host today, several server processes in issue 10)
 * sees the same sessions and the same count of wrong passwords.
 * Frozen: never edit after release; add a new migration.
 *
 * - sessions keeps the SHA-256 of the token, never the token. A row is the session: deleting it signs
 *   the person out everywhere on their next call.
 * - auth_throttle counts sign-in attempts per key (an account at one source, an account, a source).
 *   `account` is the SHA-256 of the normalised username, never the name as typed: a national ID typed
 *   into the username box must not be stored.
 * Plain portable DDL, no triggers: the PostgreSQL form is the same statements.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sessions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('transport', 'text', (c) => c.notNull()) // ipc | http | cli | test
    .addColumn('source', 'text', (c) => c.notNull()) // e.g. http:127.0.0.1, ipc:local
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_seen_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();
  await db.schema.createIndex('sessions_expires_idx').on('sessions').column('expires_at').execute();

  await db.schema
    .createTable('auth_throttle')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('account', 'text') // SHA-256 of the normalised username; null for a source's own counter
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('window_start', 'text', (c) => c.notNull())
    .addColumn('locked_until', 'text')
    .execute();
  await db.schema.createIndex('auth_throttle_account_idx').on('auth_throttle').column('account').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('auth_throttle').execute();
  await db.schema.dropTable('sessions').execute();
}
