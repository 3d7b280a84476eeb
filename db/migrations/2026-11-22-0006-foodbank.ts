import { sql, type Kysely } from 'kysely';

/**
 * The food bank (issue 5): catalogue, locations, donors, receipts (donation / purchase / rescue),
 * lots, the append-only movements ledger, transfers, hand-outs and stocktakes.
 * Frozen: never edit after release; add a new migration.
 *
 * - fb_movements is the truth: stock on hand of a lot at a location is the sum of its rows.
 *   Triggers refuse UPDATE and DELETE on it.
 * - fb_balances is a cache of that sum per (lot, location), kept only by the AFTER INSERT trigger on
 *   fb_movements, so it changes in the very statement (and transaction) that writes the movement.
 *   tests/unit/foodbank*.test.ts check cache = sum.
 * - Donation receipts are numbered per ROC year without gaps: (roc_year, seq) unique, allotted as
 *   max + 1 inside the BEGIN IMMEDIATE write transaction (a rolled-back receipt takes no number).
 * Triggers are SQLite syntax; the PostgreSQL twin will be written with that dialect.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('fb_items')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('by_weight', 'integer', (c) => c.notNull().defaultTo(0)) // 1: quantity in kg, fractions allowed
    .addColumn('value', 'real', (c) => c.notNull().defaultTo(0)) // NT$ per unit
    .addColumn('kg_per_unit', 'real', (c) => c.notNull().defaultTo(0))
    .addColumn('perishable', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('shelf_life_days', 'integer')
    .addColumn('min_level', 'real', (c) => c.notNull().defaultTo(0))
    .addColumn('points', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();

  await db.schema
    .createTable('fb_locations')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('kind', 'text', (c) => c.notNull()) // hub | point
    .addColumn('address', 'text')
    .addColumn('staff', 'text') // free text: who works there
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addCheckConstraint('fb_locations_kind_check', sql`kind in ('hub', 'point')`)
    .execute();
  await sql`create unique index fb_locations_one_hub on fb_locations (kind) where kind = 'hub'`.execute(db);

  await db.schema
    .createTable('fb_donors')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('kind', 'text', (c) => c.notNull()) // person | company | group
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('contact', 'text')
    .addColumn('phone', 'text')
    .addColumn('address', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('fb_receipts')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('kind', 'text', (c) => c.notNull()) // donation | purchase | rescue
    .addColumn('receipt_no', 'text', (c) => c.unique())
    .addColumn('roc_year', 'integer')
    .addColumn('seq', 'integer')
    .addColumn('donor_id', 'integer', (c) => c.references('fb_donors.id'))
    .addColumn('supplier', 'text')
    .addColumn('location_id', 'integer', (c) => c.notNull().references('fb_locations.id'))
    .addColumn('received_on', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addUniqueConstraint('fb_receipts_year_seq_unique', ['roc_year', 'seq'])
    .addCheckConstraint('fb_receipts_no_check', sql`(kind = 'donation') = (receipt_no is not null)`)
    .execute();
  await db.schema.createIndex('fb_receipts_donor_idx').on('fb_receipts').columns(['donor_id', 'received_on']).execute();
  await db.schema.createIndex('fb_receipts_on_idx').on('fb_receipts').column('received_on').execute();

  await db.schema
    .createTable('fb_lots')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('item_id', 'integer', (c) => c.notNull().references('fb_items.id'))
    .addColumn('receipt_id', 'integer', (c) => c.references('fb_receipts.id'))
    .addColumn('quantity', 'real', (c) => c.notNull()) // as received
    .addColumn('expiry', 'text')
    .addColumn('received_on', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('fb_lots_item_idx').on('fb_lots').columns(['item_id', 'expiry']).execute();

  await db.schema
    .createTable('fb_transfers')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('from_location_id', 'integer', (c) => c.notNull().references('fb_locations.id'))
    .addColumn('to_location_id', 'integer', (c) => c.notNull().references('fb_locations.id'))
    .addColumn('status', 'text', (c) => c.notNull()) // sent | received
    .addColumn('sent_on', 'text', (c) => c.notNull())
    .addColumn('sent_by', 'integer', (c) => c.references('users.id'))
    .addColumn('received_on', 'text')
    .addColumn('received_by', 'integer', (c) => c.references('users.id'))
    .addColumn('note', 'text')
    .execute();
  await db.schema
    .createTable('fb_transfer_lines')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('transfer_id', 'integer', (c) => c.notNull().references('fb_transfers.id'))
    .addColumn('lot_id', 'integer', (c) => c.notNull().references('fb_lots.id'))
    .addColumn('quantity', 'real', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('fb_transfer_lines_transfer_idx').on('fb_transfer_lines').column('transfer_id').execute();

  await db.schema
    .createTable('fb_handouts')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('household_id', 'integer', (c) => c.notNull().references('households.id'))
    .addColumn('location_id', 'integer', (c) => c.notNull().references('fb_locations.id'))
    .addColumn('handed_on', 'text', (c) => c.notNull())
    .addColumn('household_size', 'integer', (c) => c.notNull())
    .addColumn('allowance_used', 'real', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .execute();
  await db.schema.createIndex('fb_handouts_household_idx').on('fb_handouts').columns(['household_id', 'handed_on']).execute();
  await db.schema.createIndex('fb_handouts_on_idx').on('fb_handouts').columns(['handed_on', 'location_id']).execute();
  await db.schema
    .createTable('fb_handout_lines')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('handout_id', 'integer', (c) => c.notNull().references('fb_handouts.id'))
    .addColumn('item_id', 'integer', (c) => c.notNull().references('fb_items.id'))
    .addColumn('lot_id', 'integer', (c) => c.notNull().references('fb_lots.id'))
    .addColumn('quantity', 'real', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('fb_handout_lines_handout_idx').on('fb_handout_lines').column('handout_id').execute();

  await db.schema
    .createTable('fb_stocktakes')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('location_id', 'integer', (c) => c.notNull().references('fb_locations.id'))
    .addColumn('status', 'text', (c) => c.notNull()) // counting | posted
    .addColumn('started_on', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id'))
    .addColumn('counted_by', 'integer', (c) => c.references('users.id'))
    .addColumn('confirmed_by', 'integer', (c) => c.references('users.id'))
    .addColumn('posted_at', 'text')
    .execute();
  await db.schema
    .createTable('fb_stocktake_lines')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('stocktake_id', 'integer', (c) => c.notNull().references('fb_stocktakes.id'))
    .addColumn('lot_id', 'integer', (c) => c.notNull().references('fb_lots.id'))
    .addColumn('expected', 'real', (c) => c.notNull())
    .addColumn('counted', 'real')
    .addUniqueConstraint('fb_stocktake_lines_unique', ['stocktake_id', 'lot_id'])
    .execute();

  await db.schema
    .createTable('fb_movements')
    .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
    .addColumn('lot_id', 'integer', (c) => c.notNull().references('fb_lots.id'))
    .addColumn('location_id', 'integer', (c) => c.notNull().references('fb_locations.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('quantity', 'real', (c) => c.notNull()) // signed: + in, - out
    .addColumn('on_date', 'text', (c) => c.notNull())
    .addColumn('ref_id', 'integer') // receipt, transfer, hand-out or stocktake id, by kind
    .addColumn('reason', 'text')
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('by', 'integer', (c) => c.references('users.id'))
    .addCheckConstraint(
      'fb_movements_kind_check',
      sql`kind in ('donation', 'purchase', 'rescue', 'transfer_out', 'transfer_in', 'distribution', 'spoilage', 'count_diff')`,
    )
    .execute();
  await db.schema.createIndex('fb_movements_lot_loc_idx').on('fb_movements').columns(['lot_id', 'location_id']).execute();
  await db.schema.createIndex('fb_movements_kind_date_idx').on('fb_movements').columns(['kind', 'on_date']).execute();

  await db.schema
    .createTable('fb_balances')
    .addColumn('lot_id', 'integer', (c) => c.notNull().references('fb_lots.id'))
    .addColumn('location_id', 'integer', (c) => c.notNull().references('fb_locations.id'))
    .addColumn('item_id', 'integer', (c) => c.notNull().references('fb_items.id'))
    .addColumn('quantity', 'real', (c) => c.notNull())
    .addPrimaryKeyConstraint('fb_balances_pk', ['lot_id', 'location_id'])
    .execute();
  await db.schema.createIndex('fb_balances_loc_item_idx').on('fb_balances').columns(['location_id', 'item_id']).execute();
  // Stock on hand reads only the lots still on a shelf: a covering partial index keeps that fast at 1M movements.
  await sql`create index fb_balances_on_hand_idx on fb_balances (location_id, item_id, lot_id, quantity) where quantity <> 0`.execute(db);

  await sql`create trigger fb_movements_no_update before update on fb_movements
    begin select raise(abort, 'fb_movements is append-only'); end`.execute(db);
  await sql`create trigger fb_movements_no_delete before delete on fb_movements
    begin select raise(abort, 'fb_movements is append-only'); end`.execute(db);
  await sql`create trigger fb_movements_balance after insert on fb_movements
    begin
      insert into fb_balances (lot_id, location_id, item_id, quantity)
        values (new.lot_id, new.location_id, (select item_id from fb_lots where id = new.lot_id), new.quantity)
        on conflict (lot_id, location_id) do update set quantity = round(quantity + excluded.quantity, 3);
    end`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger fb_movements_balance`.execute(db);
  await sql`drop trigger fb_movements_no_delete`.execute(db);
  await sql`drop trigger fb_movements_no_update`.execute(db);
  for (const t of [
    'fb_balances', 'fb_movements', 'fb_stocktake_lines', 'fb_stocktakes', 'fb_handout_lines', 'fb_handouts',
    'fb_transfer_lines', 'fb_transfers', 'fb_lots', 'fb_receipts', 'fb_donors', 'fb_locations', 'fb_items',
  ]) {
    await db.schema.dropTable(t).execute();
  }
}
