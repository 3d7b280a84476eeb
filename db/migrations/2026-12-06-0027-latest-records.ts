import { sql, type Kysely } from 'kysely';

/**
 * Speed of the worklists and the monthly report at city scale (issue 13, item 8).
 *
 * - case_latest_records / household_latest_records: the newest service record (by occurred_at, then id) of
 *   each case and of each household, with its follow-up date: what "overdue follow-ups" asks of every active
 *   case and every concern household. The list read one index probe per active case for it (31,550 at city
 *   scale: 0.2-0.5 s for the administrator); now it reads these rows. Kept only by the triggers on
 *   service_records below, in the statement (and transaction) that writes the record: an insert, a delete, or
 *   an update of the case, household, time or follow-up date recomputes the newest record of the case(s) and
 *   household(s) concerned (old and new), one index probe each. No foreign keys: a row of a case or household
 *   that no longer exists is never joined (the lists start from cases and long_term_concerns).
 *   tests/unit/latest-records.test.ts compares both tables with the service records after every kind of write.
 * - persons_birth_date_idx: the child-account figures start from the children born since 2016 (~8% of persons)
 *   instead of reading every person.
 *
 * Triggers are SQLite syntax; their PL/pgSQL twins are in db/migrations/forms.ts.
 * Frozen: never edit after release; add a new migration.
 */
const REFRESH = (ref: 'new' | 'old') => `
    delete from case_latest_records where case_id = ${ref}.case_id;
    insert into case_latest_records (case_id, service_id, occurred_at, next_follow_up)
      select case_id, id, occurred_at, next_follow_up from service_records where case_id = ${ref}.case_id order by occurred_at desc, id desc limit 1;
    delete from household_latest_records where household_id = ${ref}.household_id;
    insert into household_latest_records (household_id, service_id, occurred_at, next_follow_up, case_id)
      select household_id, id, occurred_at, next_follow_up, case_id from service_records where household_id = ${ref}.household_id order by occurred_at desc, id desc limit 1;`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('case_latest_records')
    .addColumn('case_id', 'integer', (c) => c.primaryKey())
    .addColumn('service_id', 'integer', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('next_follow_up', 'text')
    .execute();
  await db.schema.createIndex('case_latest_records_follow_up_idx').on('case_latest_records').columns(['next_follow_up', 'case_id', 'service_id']).execute();
  await db.schema
    .createTable('household_latest_records')
    .addColumn('household_id', 'integer', (c) => c.primaryKey())
    .addColumn('service_id', 'integer', (c) => c.notNull())
    .addColumn('occurred_at', 'text', (c) => c.notNull())
    .addColumn('next_follow_up', 'text')
    .addColumn('case_id', 'integer')
    .execute();

  // Backfill: one probe per case and per household that has records.
  await sql`insert into case_latest_records (case_id, service_id, occurred_at, next_follow_up)
    select sr.case_id, sr.id, sr.occurred_at, sr.next_follow_up
    from cases c inner join service_records sr on sr.id = (select x.id from service_records x where x.case_id = c.id order by x.occurred_at desc, x.id desc limit 1)`.execute(db);
  await sql`insert into household_latest_records (household_id, service_id, occurred_at, next_follow_up, case_id)
    select sr.household_id, sr.id, sr.occurred_at, sr.next_follow_up, sr.case_id
    from households h inner join service_records sr on sr.id = (select x.id from service_records x where x.household_id = h.id order by x.occurred_at desc, x.id desc limit 1)`.execute(db);

  await sql.raw(`create trigger service_records_latest_insert after insert on service_records
    begin${REFRESH('new')}
    end`).execute(db);
  await sql.raw(`create trigger service_records_latest_update after update of case_id, household_id, occurred_at, next_follow_up on service_records
    begin${REFRESH('old')}${REFRESH('new')}
    end`).execute(db);
  await sql.raw(`create trigger service_records_latest_delete after delete on service_records
    begin${REFRESH('old')}
    end`).execute(db);

  await db.schema.createIndex('persons_birth_date_idx').on('persons').column('birth_date').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('persons_birth_date_idx').execute();
  await sql.raw('drop trigger service_records_latest_delete').execute(db);
  await sql.raw('drop trigger service_records_latest_update').execute(db);
  await sql.raw('drop trigger service_records_latest_insert').execute(db);
  await db.schema.dropTable('household_latest_records').execute();
  await db.schema.dropTable('case_latest_records').execute();
}
