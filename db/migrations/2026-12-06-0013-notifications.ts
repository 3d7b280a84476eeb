import { sql, type Kysely } from 'kysely';

/**
 * Notifications (issue 11, "Know what needs you"): one row per thing a user should know about, written
 * in the same transaction as the event that causes it (a request returned or approved, a referral's
 * status changed, a case assigned). `summary` is a short zh-TW line with the case number or the
 * referral unit, never a national ID or narrative; `comment` is the supervisor's comment of a 退回.
 * `case_id` / `household_id` say where the notification leads (the record stays access-checked there).
 * Follow-ups due today are computed when read; a row of kind 'follow-up' is written only when the user
 * marks one read, once per service record and day (`day`, the partial unique index).
 * Only the schema builder, so the same migration runs on PostgreSQL.
 * Frozen: never edit after release; add a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'integer', (c) => c.notNull())
    .addColumn('case_id', 'integer')
    .addColumn('household_id', 'integer')
    .addColumn('summary', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('day', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .execute();
  await db.schema.createIndex('notifications_user_idx').on('notifications').columns(['user_id', 'created_at', 'id']).execute();
  await db.schema
    .createIndex('notifications_user_unread_idx')
    .on('notifications')
    .columns(['user_id', 'id'])
    .where(sql.ref('read_at'), 'is', null)
    .execute();
  await db.schema
    .createIndex('notifications_daily_uq')
    .on('notifications')
    .columns(['user_id', 'kind', 'entity_id', 'day'])
    .unique()
    .where(sql.ref('day'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('notifications_daily_uq').execute();
  await db.schema.dropIndex('notifications_user_unread_idx').execute();
  await db.schema.dropIndex('notifications_user_idx').execute();
  await db.schema.dropTable('notifications').execute();
}
