import type { Kysely } from 'kysely';

/**
 * The local resource map (資源地圖, issue 14 §3).
 *
 * - resources: one organisation or unit a center refers people to: name, unit kind (a
 *   REFERRAL_UNIT_KINDS value), contact person, phone, address, email, capacity (free text, e.g.
 *   「每月 20 案」), waiting time in days (等候天數, null = unknown), notes, active (0/1: an archived
 *   resource stays for the referrals that name it but is no longer offered).
 * - resource_services / resource_targets / resource_districts: the multi-valued fields as join tables
 *   (service type, target group, town-level division code), so a search by any of them is an indexed
 *   `exists` on both SQLite and PostgreSQL. No district rows = serves every district (縣內不限).
 * - referrals.resource_id: the resource a referral was sent to when it was picked from the map
 *   (nullable: free-text receiving units stay possible), indexed for the per-resource figures.
 *
 * Seeds nothing (the demo adds its resources in main/demo/resources.ts).
 * Portable: the schema builder only (SQLite and PostgreSQL alike).
 * Frozen: never edit after release; add a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('resources')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('unit_kind', 'text', (c) => c.notNull())
    .addColumn('contact_person', 'text')
    .addColumn('phone', 'text')
    .addColumn('address', 'text')
    .addColumn('email', 'text')
    .addColumn('capacity', 'text')
    .addColumn('wait_days', 'integer')
    .addColumn('notes', 'text')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema.createIndex('resources_active_name_idx').on('resources').columns(['active', 'name']).execute();
  for (const [table, column] of [
    ['resource_services', 'service_type'],
    ['resource_targets', 'target_group'],
    ['resource_districts', 'division_code'],
  ] as const) {
    await db.schema
      .createTable(table)
      .addColumn('resource_id', 'integer', (c) => c.notNull().references('resources.id'))
      .addColumn(column, 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['resource_id', column])
      .execute();
    await db.schema.createIndex(`${table}_value_idx`).on(table).columns([column, 'resource_id']).execute();
  }
  await db.schema.alterTable('referrals').addColumn('resource_id', 'integer', (c) => c.references('resources.id')).execute();
  await db.schema.createIndex('referrals_resource_idx').on('referrals').columns(['resource_id', 'referred_on']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('referrals_resource_idx').execute();
  await db.schema.alterTable('referrals').dropColumn('resource_id').execute();
  for (const table of ['resource_districts', 'resource_targets', 'resource_services']) {
    await db.schema.dropIndex(`${table}_value_idx`).execute();
    await db.schema.dropTable(table).execute();
  }
  await db.schema.dropIndex('resources_active_name_idx').execute();
  await db.schema.dropTable('resources').execute();
}
