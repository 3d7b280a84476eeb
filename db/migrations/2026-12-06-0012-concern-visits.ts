import { sql, type Kysely } from 'kysely';

/**
 * Long-term concern visits by period (issue 10, plans that hold with statistics): a partial index of
 * the service records that belong to a concern, by time, covering the worker, the household and the
 * concern. The monthly report's concern rows (visits and households visited per worker) and the
 * quarter's concern indicators read it alone. Without it, once ANALYZE has run, SQLite chose a skip
 * scan of service_records_worker_idx for "concern visits in a month by worker" and looked every record
 * up in the table: 0.03 s became 0.6 s per statement on the city demo. Portable (a partial index in
 * SQLite and PostgreSQL alike).
 * Frozen: never edit after release; add a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('service_records_concern_visit_idx')
    .on('service_records')
    .columns(['occurred_at', 'worker_id', 'household_id', 'concern_id'])
    .where(sql.ref('concern_id'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('service_records_concern_visit_idx').execute();
}
