import { sql, type Kysely } from 'kysely';

/**
 * Income status as history (issue 12 §3): person_income_status holds each person's 低收 ('low') /
 * 中低收 ('mid-low') status by period, so "was this child 低收 at the end of 115 Q1" is answered by
 * what was true then, not by today's value. persons.income_status stays as the current value (a
 * cache the services keep in step, in the same transaction as the period they write).
 *
 * - valid_from / valid_to: ISO dates, both inclusive; valid_to null = still open.
 * - No overlapping periods per person: the services write through households/income-status.ts; the
 *   database refuses two open periods (partial unique index), two periods starting the same day and
 *   a period ending before it starts.
 * - source: '手動' (typed in the app, and the backfill below) | '匯入' (a 公所 list).
 * - household_id: the person's household when the period was recorded (informational).
 * - version / updated_*: an import batch's undo is refused once one of its periods changed since.
 *
 * Backfill: one open period per person with a status today, starting on the day the person was
 * registered (the Taipei date of persons.created_at): before that day the center did not know the
 * person, so no earlier status is claimed. Done in chunks from JavaScript (the date arithmetic is
 * the same on SQLite and PostgreSQL). Only the schema builder otherwise, so it runs on PostgreSQL.
 * Frozen: never edit after release; add a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('person_income_status')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('person_id', 'integer', (c) => c.notNull().references('persons.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'text', (c) => c.notNull())
    .addColumn('valid_to', 'text')
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('household_id', 'integer', (c) => c.references('households.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text')
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addCheckConstraint('person_income_status_status_ck', sql`status in ('low', 'mid-low')`)
    .addCheckConstraint('person_income_status_period_ck', sql`valid_to is null or valid_to >= valid_from`)
    .execute();
  await db.schema.createIndex('person_income_status_from_uq').unique().on('person_income_status').columns(['person_id', 'valid_from']).execute();
  await db.schema
    .createIndex('person_income_status_open_uq')
    .unique()
    .on('person_income_status')
    .column('person_id')
    .where(sql.ref('valid_to'), 'is', null)
    .execute();

  const ts = new Date().toISOString();
  let after = 0;
  for (;;) {
    const rows = (await db
      .selectFrom('persons')
      .leftJoin('household_members as hm', (j) => j.onRef('hm.person_id', '=', 'persons.id').on('hm.left_on', 'is', null))
      .select(['persons.id', 'persons.income_status', 'persons.created_at', 'persons.created_by', 'hm.household_id'])
      .where('persons.income_status', 'in', ['low', 'mid-low'])
      .where('persons.id', '>', after)
      .orderBy('persons.id')
      .limit(500)
      .execute()) as { id: number; income_status: string; created_at: string; created_by: number | null; household_id: number | null }[];
    if (rows.length === 0) break;
    const seen = new Set<number>();
    const values = [];
    for (const r of rows) {
      after = Math.max(after, r.id);
      if (seen.has(r.id)) continue; // a person is a current member of one household; guard anyway
      seen.add(r.id);
      values.push({
        person_id: r.id,
        status: r.income_status,
        valid_from: taipeiDate(r.created_at),
        valid_to: null,
        source: '手動',
        household_id: r.household_id,
        created_at: ts,
        created_by: r.created_by,
        updated_at: null,
        updated_by: null,
        version: 1,
      });
    }
    await db.insertInto('person_income_status').values(values).execute();
  }
}

/** The Taipei calendar day of an ISO timestamp (UTC+8, no daylight saving). */
function taipeiDate(isoTimestamp: string): string {
  const t = Date.parse(isoTimestamp);
  if (Number.isNaN(t)) return isoTimestamp.slice(0, 10);
  return new Date(t + 8 * 3600_000).toISOString().slice(0, 10);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('person_income_status_open_uq').execute();
  await db.schema.dropIndex('person_income_status_from_uq').execute();
  await db.schema.dropTable('person_income_status').execute();
}
