import type { Kysely } from 'kysely';

/**
 * The audit screen's filters (issue 11 §6): by user and by action, each over a day range, newest first.
 * The foundation indexed only `at` and `(entity, entity_id)`; a user's or an action's rows in a month
 * were found by walking every row of that month (or, without a range, the whole log). `(actor_id, at)`
 * and `(action, at)` answer the filter, its count and the newest-first page from the index, on SQLite and
 * PostgreSQL alike. `(entity, entity_id, at)` replaces `(entity, entity_id)` so "who saw this person"
 * (each record of the person, within their membership's dates) is one index range per record; and
 * `household_members (person_id)` finds every household a person ever belonged to (the foundation's
 * index covered current memberships only: 57 ms per question at the city scale, a scan).
 * Frozen: never edit after release; add a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('audit_log_actor_at_idx').on('audit_log').columns(['actor_id', 'at']).execute();
  await db.schema.createIndex('audit_log_action_at_idx').on('audit_log').columns(['action', 'at']).execute();
  await db.schema.createIndex('audit_log_entity_at_idx').on('audit_log').columns(['entity', 'entity_id', 'at']).execute();
  await db.schema.dropIndex('audit_log_entity_idx').execute();
  await db.schema.createIndex('household_members_person_idx').on('household_members').column('person_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('household_members_person_idx').execute();
  await db.schema.createIndex('audit_log_entity_idx').on('audit_log').columns(['entity', 'entity_id']).execute();
  await db.schema.dropIndex('audit_log_entity_at_idx').execute();
  await db.schema.dropIndex('audit_log_action_at_idx').execute();
  await db.schema.dropIndex('audit_log_actor_at_idx').execute();
}
