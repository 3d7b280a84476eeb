/** Kysely types for the programme tables (migration 2026-11-22-0007-programmes). */
import type { Generated } from 'kysely';

interface Stamped {
  created_at: string;
  created_by: number | null;
  updated_at: string;
  updated_by: number | null;
  version: Generated<number>;
}

export interface ProgrammesTable extends Stamped {
  id: Generated<number>;
  name: string;
  programme_type: string;
  starts_on: string;
  ends_on: string;
  funder: string | null;
  partner: string | null;
  target_people: number | null;
  target_sessions: number | null;
  worker_id: number | null;
  status: string;
  notes: string | null;
}

export interface ProgrammeEnrolmentsTable {
  id: Generated<number>;
  programme_id: number;
  person_id: number;
  household_id: number | null;
  enrolled_on: string;
  ended_on: string | null;
  status: string;
  outcome: string | null;
  created_at: string;
  created_by: number | null;
  updated_at: string;
  updated_by: number | null;
  /** Migration 0015. */
  version: Generated<number>;
}

export interface ProgrammeSessionsTable {
  id: Generated<number>;
  programme_id: number;
  held_on: string;
  place: string;
  topic: string;
  hours: number;
  facilitator: string | null;
  created_at: string;
  created_by: number | null;
}

export interface ProgrammeAttendanceTable {
  session_id: number;
  enrolment_id: number;
  status: string;
  recorded_at: string;
  recorded_by: number | null;
}

export interface ChildPlacementsTable {
  person_id: number;
  placed_on: string;
  created_at: string;
  created_by: number | null;
  /** Migration 0015 (version, updated_at, updated_by). */
  version: Generated<number>;
  updated_at: string | null;
  updated_by: number | null;
}

export interface ChildAccountsTable extends Stamped {
  id: Generated<number>;
  person_id: number;
  household_id: number | null;
  opened_on: string;
  monthly_amount: number;
  account_no: string | null;
  closed_on: string | null;
  /** Migration 0015: one of CLOSE_REASONS, while closed. */
  close_reason: string | null;
}

export interface ChildDepositsTable {
  id: Generated<number>;
  account_id: number;
  month: string;
  deposited_on: string;
  amount: number;
  source: string;
  created_at: string;
  created_by: number | null;
}

export interface ChildAccountFollowupsTable {
  id: Generated<number>;
  account_id: number;
  household_id: number | null;
  raised_on: string;
  last_deposit_month: string | null;
  months_without: number;
  resolved_on: string | null;
  created_at: string;
  created_by: number | null;
}

export interface ChildImportMappingsTable {
  name: string;
  mapping: string;
  updated_at: string;
  updated_by: number | null;
}

export interface MeetingsTable extends Stamped {
  id: Generated<number>;
  kind: string;
  held_on: string;
  title: string;
  units: string; // JSON string[]
  cases_discussed: string; // JSON string[] (case numbers)
  decisions: string | null;
}

export interface OutreachEventsTable extends Stamped {
  id: Generated<number>;
  held_on: string;
  place: string;
  topic: string;
  attendees: number;
  partner: string | null;
}

/** Migration 0015: the previous values of an edited record whose history matters. */
export interface ProgrammeEditsTable {
  id: Generated<number>;
  /** 'programme' | 'enrolment' | 'placement' | 'account'. */
  entity: string;
  entity_id: number;
  /** 'update' | 'close' | 'reopen' | 'place' | 'unplace'. */
  action: string;
  /** JSON of the changed fields before and after. */
  before: string | null;
  after: string | null;
  reason: string | null;
  changed_at: string;
  changed_by: number | null;
}

export interface ProgrammeTables {
  programmes: ProgrammesTable;
  programme_enrolments: ProgrammeEnrolmentsTable;
  programme_sessions: ProgrammeSessionsTable;
  programme_attendance: ProgrammeAttendanceTable;
  child_placements: ChildPlacementsTable;
  child_accounts: ChildAccountsTable;
  child_deposits: ChildDepositsTable;
  child_account_followups: ChildAccountFollowupsTable;
  child_import_mappings: ChildImportMappingsTable;
  meetings: MeetingsTable;
  outreach_events: OutreachEventsTable;
  programme_edits: ProgrammeEditsTable;
}
