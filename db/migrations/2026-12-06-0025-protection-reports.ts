import { sql, type Kysely } from 'kysely';

/**
 * Protection reports (保護通報) on a household (issue 13 §6), for 脆弱家庭服務後3個月內被通報保護案件比率:
 * - protection_reports: the household, the report date (ISO date, Taipei), its source (113保護專線, 學校,
 *   醫療院所, 警政, 社福中心社工, 其他) and kind (兒少保護, 家庭暴力, 成人保護, 性侵害, 其他), who recorded it and
 *   when, versioned for corrections. No narrative: the report's content stays in the protection system.
 * - protection_report_persons: optionally the household's person(s) concerned.
 * A report is deleted outright (the audit row keeps who, when and the reason's code).
 * Only the schema builder: portable to SQLite and PostgreSQL.
 * Frozen: never edit after release; add a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('protection_reports')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('household_id', 'integer', (c) => c.notNull().references('households.id'))
    .addColumn('reported_on', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addCheckConstraint('protection_reports_source_ck', sql`source in ('113保護專線', '學校', '醫療院所', '警政', '社福中心社工', '其他')`)
    .addCheckConstraint('protection_reports_kind_ck', sql`kind in ('兒少保護', '家庭暴力', '成人保護', '性侵害', '其他')`)
    .execute();
  await db.schema.createIndex('protection_reports_household_idx').on('protection_reports').columns(['household_id', 'reported_on']).execute();
  await db.schema
    .createTable('protection_report_persons')
    .addColumn('report_id', 'integer', (c) => c.notNull().references('protection_reports.id').onDelete('cascade'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('persons.id'))
    .addPrimaryKeyConstraint('protection_report_persons_pk', ['report_id', 'person_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('protection_report_persons').execute();
  await db.schema.dropIndex('protection_reports_household_idx').execute();
  await db.schema.dropTable('protection_reports').execute();
}
