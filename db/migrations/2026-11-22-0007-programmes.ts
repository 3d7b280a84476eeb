import type { CreateTableBuilder, Kysely } from 'kysely';

/**
 * Programmes and child development accounts (issue 6). Frozen: never edit after
 * release; add a new migration.
 *
 * - programmes, programme_enrolments (a person, with the household they belonged
 *   to when enrolled), programme_sessions and programme_attendance (one row per
 *   session and enrolment: 出席 / 請假 / 缺席).
 * - child_placements: children in long-term placement (長期安置), who are eligible
 *   for a development account whatever their household's income status.
 * - child_accounts (one per child), child_deposits (several in a month are allowed: families catch up
 *   missed months; the yearly cap is checked by the service),
 *   child_account_followups (a no-deposit alert turned into a follow-up on the
 *   household) and child_import_mappings (a bank spreadsheet's columns, mapped once).
 * - meetings (聯繫會議 / 個案研討) and outreach_events (社區宣導).
 */
export async function up(db: Kysely<any>): Promise<void> {
  const stamped = (t: CreateTableBuilder<any, any>) =>
    t
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'integer', (c) => c.references('users.id'))
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1));

  await stamped(
    db.schema
      .createTable('programmes')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('programme_type', 'text', (c) => c.notNull())
      .addColumn('starts_on', 'text', (c) => c.notNull())
      .addColumn('ends_on', 'text', (c) => c.notNull())
      .addColumn('funder', 'text')
      .addColumn('partner', 'text')
      .addColumn('target_people', 'integer')
      .addColumn('target_sessions', 'integer')
      .addColumn('worker_id', 'integer', (c) => c.references('users.id'))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('notes', 'text'),
  ).execute();
  await db.schema.createIndex('programmes_period_idx').on('programmes').columns(['starts_on', 'ends_on']).execute();

  await db.schema
    .createTable('programme_enrolments')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('programme_id', 'integer', (c) => c.notNull().references('programmes.id'))
    .addColumn('person_id', 'integer', (c) => c.notNull().references('persons.id'))
    .addColumn('household_id', 'integer', (c) => c.references('households.id'))
    .addColumn('enrolled_on', 'text', (c) => c.notNull())
    .addColumn('ended_on', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('outcome', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addUniqueConstraint('programme_enrolments_person_uq', ['programme_id', 'person_id'])
    .execute();
  await db.schema.createIndex('programme_enrolments_household_idx').on('programme_enrolments').column('household_id').execute();
  await db.schema.createIndex('programme_enrolments_person_idx').on('programme_enrolments').column('person_id').execute();

  await db.schema
    .createTable('programme_sessions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('programme_id', 'integer', (c) => c.notNull().references('programmes.id'))
    .addColumn('held_on', 'text', (c) => c.notNull())
    .addColumn('place', 'text', (c) => c.notNull())
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('hours', 'real', (c) => c.notNull())
    .addColumn('facilitator', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('programme_sessions_programme_idx').on('programme_sessions').columns(['programme_id', 'held_on']).execute();
  await db.schema.createIndex('programme_sessions_held_idx').on('programme_sessions').column('held_on').execute();

  await db.schema
    .createTable('programme_attendance')
    .addColumn('session_id', 'integer', (c) => c.notNull().references('programme_sessions.id'))
    .addColumn('enrolment_id', 'integer', (c) => c.notNull().references('programme_enrolments.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'integer', (c) => c.references('users.id'))
    .addPrimaryKeyConstraint('programme_attendance_pk', ['session_id', 'enrolment_id'])
    .execute();

  await db.schema
    .createTable('child_placements')
    .addColumn('person_id', 'integer', (c) => c.primaryKey().references('persons.id'))
    .addColumn('placed_on', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .execute();

  await stamped(
    db.schema
      .createTable('child_accounts')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('person_id', 'integer', (c) => c.notNull().unique().references('persons.id'))
      .addColumn('household_id', 'integer', (c) => c.references('households.id'))
      .addColumn('opened_on', 'text', (c) => c.notNull())
      .addColumn('monthly_amount', 'integer', (c) => c.notNull())
      .addColumn('account_no', 'text')
      .addColumn('closed_on', 'text'),
  ).execute();

  await db.schema
    .createTable('child_deposits')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('account_id', 'integer', (c) => c.notNull().references('child_accounts.id'))
    .addColumn('month', 'text', (c) => c.notNull())
    .addColumn('deposited_on', 'text', (c) => c.notNull())
    .addColumn('amount', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('child_deposits_account_idx').on('child_deposits').columns(['account_id', 'month']).execute();
  await db.schema.createIndex('child_deposits_date_idx').on('child_deposits').column('deposited_on').execute();

  await db.schema
    .createTable('child_account_followups')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('account_id', 'integer', (c) => c.notNull().references('child_accounts.id'))
    .addColumn('household_id', 'integer', (c) => c.references('households.id'))
    .addColumn('raised_on', 'text', (c) => c.notNull())
    .addColumn('last_deposit_month', 'text')
    .addColumn('months_without', 'integer', (c) => c.notNull())
    .addColumn('resolved_on', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('child_account_followups_household_idx').on('child_account_followups').column('household_id').execute();
  await db.schema.createIndex('child_account_followups_account_idx').on('child_account_followups').column('account_id').execute();

  await db.schema
    .createTable('child_import_mappings')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('mapping', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .execute();

  await stamped(
    db.schema
      .createTable('meetings')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('held_on', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('units', 'text', (c) => c.notNull())
      .addColumn('cases_discussed', 'text', (c) => c.notNull())
      .addColumn('decisions', 'text'),
  ).execute();
  await db.schema.createIndex('meetings_held_idx').on('meetings').column('held_on').execute();

  await stamped(
    db.schema
      .createTable('outreach_events')
      .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
      .addColumn('held_on', 'text', (c) => c.notNull())
      .addColumn('place', 'text', (c) => c.notNull())
      .addColumn('topic', 'text', (c) => c.notNull())
      .addColumn('attendees', 'integer', (c) => c.notNull())
      .addColumn('partner', 'text'),
  ).execute();
  await db.schema.createIndex('outreach_events_held_idx').on('outreach_events').column('held_on').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'outreach_events',
    'meetings',
    'child_import_mappings',
    'child_account_followups',
    'child_deposits',
    'child_accounts',
    'child_placements',
    'programme_attendance',
    'programme_sessions',
    'programme_enrolments',
    'programmes',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
