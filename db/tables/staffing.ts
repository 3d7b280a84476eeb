/** Kysely types for the staffing tables (migration 2026-12-06-0024-staffing). */
import type { Generated } from 'kysely';

interface Stamped {
  created_at: string;
  created_by: number | null;
  updated_at: string;
  updated_by: number | null;
  version: Generated<number>;
}

/** 核定員額: one approved position. */
export interface StaffPositionsTable extends Stamped {
  id: Generated<number>;
  /** A FUNDING_LINES code (main/contract/types-staffing.ts). */
  funding_line: string;
  /** A POSITION_TITLES value. */
  title: string;
  label: string | null;
  approved_from: string;
  /** Last approved day; null while approved. */
  approved_to: string | null;
  notes: string | null;
}

/** 進用: a person in a position for a span. */
export interface StaffFillsTable extends Stamped {
  id: Generated<number>;
  position_id: number;
  /** A user of the app, or null with staff_name typed. */
  user_id: number | null;
  staff_name: string | null;
  started_on: string;
  /** Last day in post; null while in post. */
  ended_on: string | null;
}

export interface StaffingTables {
  staff_positions: StaffPositionsTable;
  staff_fills: StaffFillsTable;
}
