/** Kysely types for the food-bank tables (migration 2026-11-22-0006-foodbank). */
import type { Generated } from 'kysely';

export interface FbItemsTable {
  id: Generated<number>;
  name: string;
  category: string;
  unit: string;
  by_weight: number;
  value: number;
  kg_per_unit: number;
  perishable: number;
  shelf_life_days: number | null;
  min_level: number;
  points: number;
  active: number;
  created_at: string;
  updated_at: string;
  /** Migration 0015. */
  updated_by: number | null;
  version: Generated<number>;
}

export interface FbLocationsTable {
  id: Generated<number>;
  name: string;
  kind: string; // hub | point
  address: string | null;
  staff: string | null;
  active: number;
  created_at: string;
  version: Generated<number>;
}

export interface FbDonorsTable {
  id: Generated<number>;
  kind: string; // person | company | group
  name: string;
  contact: string | null;
  phone: string | null;
  address: string | null;
  /** 統一編號 (company / group) or 身分證字號 (person), normalized; never in logs. */
  tax_id: string | null;
  version: Generated<number>;
  created_at: string;
}

export interface FbReceiptsTable {
  id: Generated<number>;
  kind: string; // donation | purchase | rescue
  receipt_no: string | null;
  roc_year: number | null;
  seq: number | null;
  donor_id: number | null;
  supplier: string | null;
  location_id: number;
  received_on: string;
  note: string | null;
  created_at: string;
  created_by: number | null;
}

export interface FbLotsTable {
  id: Generated<number>;
  item_id: number;
  receipt_id: number | null;
  quantity: number;
  expiry: string | null;
  received_on: string;
}

export interface FbTransfersTable {
  id: Generated<number>;
  from_location_id: number;
  to_location_id: number;
  status: string; // sent | received
  sent_on: string;
  sent_by: number | null;
  received_on: string | null;
  received_by: number | null;
  note: string | null;
}

export interface FbTransferLinesTable {
  id: Generated<number>;
  transfer_id: number;
  lot_id: number;
  quantity: number;
}

export interface FbHandoutsTable {
  id: Generated<number>;
  household_id: number;
  location_id: number;
  handed_on: string;
  household_size: number;
  allowance_used: number;
  note: string | null;
  created_at: string;
  created_by: number | null;
}

export interface FbHandoutLinesTable {
  id: Generated<number>;
  handout_id: number;
  item_id: number;
  lot_id: number;
  quantity: number;
}

export interface FbStocktakesTable {
  id: Generated<number>;
  location_id: number;
  status: string; // counting | posted
  started_on: string;
  created_by: number | null;
  counted_by: number | null;
  confirmed_by: number | null;
  posted_at: string | null;
}

export interface FbStocktakeLinesTable {
  id: Generated<number>;
  stocktake_id: number;
  lot_id: number;
  expected: number;
  counted: number | null;
}

export interface FbMovementsTable {
  id: Generated<number>;
  lot_id: number;
  location_id: number;
  kind: string;
  quantity: number;
  on_date: string;
  ref_id: number | null;
  reason: string | null;
  at: string;
  by: number | null;
}

/** Cache of sum(fb_movements.quantity) per lot and location; written only by the insert trigger. */
export interface FbBalancesTable {
  lot_id: number;
  location_id: number;
  item_id: number;
  quantity: number;
}

export interface FoodbankTables {
  fb_items: FbItemsTable;
  fb_locations: FbLocationsTable;
  fb_donors: FbDonorsTable;
  fb_receipts: FbReceiptsTable;
  fb_lots: FbLotsTable;
  fb_transfers: FbTransfersTable;
  fb_transfer_lines: FbTransferLinesTable;
  fb_handouts: FbHandoutsTable;
  fb_handout_lines: FbHandoutLinesTable;
  fb_stocktakes: FbStocktakesTable;
  fb_stocktake_lines: FbStocktakeLinesTable;
  fb_movements: FbMovementsTable;
  fb_balances: FbBalancesTable;
}
