import { sql, type Kysely, type SqlBool } from 'kysely';

/**
 * 福利諮詢 by period (issue 13 §8, the speed of indicators): a partial index of the service records whose
 * item list (JSON text) names 福利諮詢, by time, covering the columns a breakdown reads (method, case,
 * household, worker). `services.consultations` used to read every record of the period from the table to
 * look into its JSON (a quarter at city scale: 157k records read at random, 1.4 s); with this index the
 * quarter's count reads its 26k entries alone (a few ms). The indicator's condition repeats the index's
 * predicate as the same literal (a bound parameter would not match it). Portable: a partial index with
 * LIKE in SQLite and PostgreSQL alike.
 * Frozen: never edit after release; add a new migration.
 */
export const CONSULTATION_PREDICATE = `items like '%"福利諮詢"%'`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('service_records_consultation_idx')
    .on('service_records')
    .columns(['occurred_at', 'method', 'case_id', 'household_id', 'worker_id'])
    .where(sql.raw<SqlBool>(CONSULTATION_PREDICATE))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('service_records_consultation_idx').execute();
}
