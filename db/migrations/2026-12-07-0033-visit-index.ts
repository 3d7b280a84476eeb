import { sql, type Kysely, type SqlBool } from 'kysely';

/**
 * 訪視到期 (issue 14): the last 家訪／面訪 of each case in service. `worklists.visitsDue` asks, per case, for
 * max(occurred_at) of its records whose method is a visit; with only (case_id, occurred_at) SQLite read every
 * record of every case to test the method (the city's 6.5k cases in service: 290 ms, 10x the overdue list).
 * This partial index holds the visits alone, by case and time, so each case's answer is one seek. The query
 * repeats the predicate as the same literal (a bound parameter would not match it). Portable: a partial
 * index with IN in SQLite and PostgreSQL alike.
 * Frozen: never edit after release; add a new migration.
 */
export const VISIT_PREDICATE = `method in ('面訪家庭', '面談')`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('service_records_case_visit_idx')
    .on('service_records')
    .columns(['case_id', 'occurred_at'])
    .where(sql.raw<SqlBool>(VISIT_PREDICATE))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('service_records_case_visit_idx').execute();
}
