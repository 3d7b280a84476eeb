import { sql, type Kysely } from 'kysely';

/**
 * Reports (issue 4): central xlsx templates, report definitions (cell mappings),
 * quarterly submissions (locked snapshots) and the supervisors' monthly remarks.
 * Frozen: never edit after release; add a new migration.
 *
 * - report_templates: the template file exactly as imported (bytes, SHA-256) and the
 *   inspected grid (JSON) for the mapping screen. One row per distinct file.
 * - report_definitions / report_mappings: a form (表號, 編製機關, deadline, period cell)
 *   over one template, and its mapped cells with the fingerprint taken when saved.
 * - report_submissions: one row per submission of a quarter; the row without
 *   unlocked_at is the lock (at most one per definition and quarter: partial unique
 *   index, which PostgreSQL accepts as written).
 * - monthly_remarks: the supervisor's remark per month and team (team_key 0 = whole center).
 *
 * Files are `blob` (SQLite); the PostgreSQL twin will say `bytea`.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('report_templates')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull().unique())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('bytes', 'blob', (c) => c.notNull())
    .addColumn('model', 'text', (c) => c.notNull()) // JSON: the inspected workbook
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .addColumn('imported_by', 'integer', (c) => c.references('users.id'))
    .execute();

  await db.schema
    .createTable('report_definitions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('template_id', 'integer', (c) => c.notNull().references('report_templates.id'))
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('form_no', 'text', (c) => c.notNull()) // 表號
    .addColumn('agency', 'text', (c) => c.notNull()) // 編製機關
    .addColumn('deadline', 'text', (c) => c.notNull()) // e.g. 次季終了後20日內編報
    .addColumn('period_sheet', 'text')
    .addColumn('period_cell', 'text')
    .addColumn('period_fingerprint', 'text') // JSON
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addCheckConstraint('report_definitions_period_cell_check', sql`(period_sheet is null) = (period_cell is null)`)
    .execute();
  await db.schema.createIndex('report_definitions_template_idx').on('report_definitions').column('template_id').execute();

  await db.schema
    .createTable('report_mappings')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('definition_id', 'integer', (c) => c.notNull().references('report_definitions.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('sheet', 'text', (c) => c.notNull())
    .addColumn('cell', 'text', (c) => c.notNull())
    .addColumn('indicator_id', 'text', (c) => c.notNull())
    .addColumn('filters', 'text', (c) => c.notNull().defaultTo('{}')) // JSON
    .addColumn('fingerprint', 'text', (c) => c.notNull()) // JSON
    .addUniqueConstraint('report_mappings_cell_unique', ['definition_id', 'sheet', 'cell'])
    .execute();
  await db.schema.createIndex('report_mappings_indicator_idx').on('report_mappings').column('indicator_id').execute();

  await db.schema
    .createTable('report_submissions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('definition_id', 'integer', (c) => c.notNull().references('report_definitions.id'))
    .addColumn('period', 'text', (c) => c.notNull()) // 2026Q1
    .addColumn('period_from', 'text', (c) => c.notNull())
    .addColumn('period_to', 'text', (c) => c.notNull())
    .addColumn('figures', 'text', (c) => c.notNull()) // JSON
    .addColumn('file', 'blob', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('template_sha256', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('submitted_by', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('unlocked_at', 'text')
    .addColumn('unlocked_by', 'integer', (c) => c.references('users.id'))
    .addColumn('unlock_reason', 'text')
    .addCheckConstraint('report_submissions_unlock_check', sql`(unlocked_at is null) = (unlock_reason is null)`)
    .execute();
  await db.schema.createIndex('report_submissions_period_idx').on('report_submissions').columns(['definition_id', 'period']).execute();
  await sql`create unique index report_submissions_one_lock on report_submissions (definition_id, period) where unlocked_at is null`.execute(db);

  await db.schema
    .createTable('monthly_remarks')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('month', 'text', (c) => c.notNull()) // 2026-03
    .addColumn('team_key', 'integer', (c) => c.notNull()) // teams.id, or 0 for the whole center
    .addColumn('remark', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('monthly_remarks_unique', ['month', 'team_key'])
    .execute();

  // Indicator queries. A period's service records with the columns the figures group by (method,
  // case for 面向, household, concern, worker), so a quarter's figures read the index alone instead of
  // one table row per record; a long-term concern's visits by time (its last visit before a period's
  // end); cases by the dates the quarterly figures filter on.
  await db.schema
    .createIndex('service_records_report_idx')
    .on('service_records')
    .columns(['occurred_at', 'method', 'case_id', 'household_id', 'concern_id', 'worker_id'])
    .execute();
  await db.schema.createIndex('service_records_concern_time_idx').on('service_records').columns(['concern_id', 'occurred_at']).execute();
  await db.schema.createIndex('cases_dispatched_idx').on('cases').column('dispatched_at').execute();
  await db.schema.createIndex('cases_opened_idx').on('cases').columns(['opened_on', 'closed_on']).execute();
  await db.schema.createIndex('cases_closed_idx').on('cases').columns(['closed_on', 'status']).execute();
  await db.schema.createIndex('referrals_referred_idx').on('referrals').column('referred_on').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('referrals_referred_idx').ifExists().execute();
  await db.schema.dropIndex('cases_closed_idx').ifExists().execute();
  await db.schema.dropIndex('cases_opened_idx').ifExists().execute();
  await db.schema.dropIndex('cases_dispatched_idx').ifExists().execute();
  await db.schema.dropIndex('service_records_concern_time_idx').ifExists().execute();
  await db.schema.dropIndex('service_records_report_idx').ifExists().execute();
  for (const t of ['monthly_remarks', 'report_submissions', 'report_mappings', 'report_definitions', 'report_templates']) {
    await db.schema.dropTable(t).execute();
  }
}
