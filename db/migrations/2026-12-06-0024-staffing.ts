import type { Kysely } from 'kysely';

/**
 * Staffing (人力, issue 13 §6): the center's approved positions (核定員額) per funding line and who
 * filled them when (進用), for 人員進用率 and the central forms' 人力 sheet.
 *
 * - staff_positions: one approved position: funding line (經費來源, a code of
 *   main/contract/types-staffing.ts), title (職稱), an optional label telling it apart
 *   (e.g. 埔里區), approved from / to (to null: still approved; a date: the position was cut).
 * - staff_fills: one person in one position for a span: a user of the app (user_id) or a name typed
 *   for staff without an account (staff_name), never a national ID; ended_on null = still in post.
 *   The service keeps a position's fills from overlapping and inside the position's approval.
 *
 * Portable: the schema builder only (SQLite and PostgreSQL alike).
 * Frozen: never edit after release; add a new migration.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('staff_positions')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('funding_line', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('label', 'text')
    .addColumn('approved_from', 'text', (c) => c.notNull())
    .addColumn('approved_to', 'text')
    .addColumn('notes', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('staff_positions_line_idx').on('staff_positions').columns(['funding_line', 'approved_from']).execute();
  await db.schema
    .createTable('staff_fills')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('position_id', 'integer', (c) => c.notNull().references('staff_positions.id'))
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('staff_name', 'text')
    .addColumn('started_on', 'text', (c) => c.notNull())
    .addColumn('ended_on', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'integer', (c) => c.references('users.id'))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('staff_fills_position_idx').on('staff_fills').columns(['position_id', 'started_on']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('staff_fills_position_idx').execute();
  await db.schema.dropTable('staff_fills').execute();
  await db.schema.dropIndex('staff_positions_line_idx').execute();
  await db.schema.dropTable('staff_positions').execute();
}
