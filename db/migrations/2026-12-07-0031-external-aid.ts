import { sql, type Kysely } from 'kysely';

/**
 * Aid a household received from other units (issue 14 §4: 外單位資源／救助): charities, 急難救助,
 * 公所, schools, religious groups, companies. One row per receipt.
 *
 * - household_id: the household that received it; person_id: the member, when the aid was personal.
 * - source_kind: 慈善團體 | 急難救助（公所／民政） | 公所 | 學校 | 宗教團體 | 企業 | 其他政府單位 | 其他
 *   (the zh-TW label itself, like service_records.items; the services validate the list).
 * - source_name: the unit (「○○慈善會」). kind: 現金 | 物資 | 餐食 | 代金券 | 其他.
 * - amount: NT$ (integer, ≥ 0) or null; items: what was given (text) or null; at least one of them.
 * - received_on: ISO date (Taipei calendar).
 * - origin: '手動' (typed in the app) | '匯入' (an import batch, undone through its effect log).
 * - deleted_*: a deletion keeps the row (with its reason) so the audit trail stays readable; every
 *   reader filters deleted_at is null.
 * - version / updated_*: optimistic edits; an import batch's undo is refused once a row changed.
 *
 * Indexes: (household_id, received_on) for the household's window (aid.recent, the panel) and
 * (received_on) for the coordination report and the indicator by period.
 * Only the schema builder, so it runs on PostgreSQL. Frozen: never edit after release; add a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('external_aid')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('household_id', 'integer', (c) => c.notNull().references('households.id'))
    .addColumn('person_id', 'integer', (c) => c.references('persons.id'))
    .addColumn('source_kind', 'text', (c) => c.notNull())
    .addColumn('source_name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount', 'integer')
    .addColumn('items', 'text')
    .addColumn('received_on', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('origin', 'text', (c) => c.notNull().defaultTo('手動'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('deleted_at', 'text')
    .addColumn('deleted_by', 'integer', (c) => c.references('users.id'))
    .addColumn('delete_reason', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addCheckConstraint('external_aid_amount_ck', sql`amount is null or amount >= 0`)
    .addCheckConstraint('external_aid_what_ck', sql`amount is not null or items is not null`)
    .execute();
  await db.schema.createIndex('external_aid_household_idx').on('external_aid').columns(['household_id', 'received_on']).execute();
  await db.schema.createIndex('external_aid_received_idx').on('external_aid').column('received_on').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('external_aid_received_idx').execute();
  await db.schema.dropIndex('external_aid_household_idx').execute();
  await db.schema.dropTable('external_aid').execute();
}
