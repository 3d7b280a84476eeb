/** Kysely types for the caseload tables (migration 2026-11-22-0002-caseload). */
import type { Generated } from 'kysely';

interface Stamped {
  created_at: string;
  created_by: number | null;
  updated_at: string;
  updated_by: number | null;
  version: Generated<number>;
}

export interface DivisionsTable {
  code: string;
  level: 'county' | 'town' | 'village';
  name: string;
  parent_code: string | null;
  /** Since migration 0020: the first day the code is in use (ISO date), null = since before the app knew. */
  valid_from: Generated<string | null>;
  /** Since migration 0020: the day the code stopped being used (ISO date, exclusive), null = current. */
  valid_to: Generated<string | null>;
  version: Generated<number>;
}

/** Since migration 0020: old division code → its successor from `effective_from` (e.g. 10003010 → 68000010 from 2014-12-25). */
export interface DivisionCodeChangesTable {
  old_code: string;
  new_code: string;
  effective_from: string;
  note: string | null;
  version: Generated<number>;
}

export interface PersonsTable extends Stamped {
  id: Generated<number>;
  name: string;
  national_id: string | null;
  birth_date: string | null;
  sex: string | null;
  phone: string | null;
  indigenous: Generated<number>;
  new_immigrant: Generated<number>;
  disability_level: string | null;
  income_status: string | null;
  notes: string | null;
}

/** A person's 低收 / 中低收 status by period (migration 0019); dates inclusive, valid_to null = open. */
export interface PersonIncomeStatusTable {
  id: Generated<number>;
  person_id: number;
  status: string; // low | mid-low
  valid_from: string;
  valid_to: string | null;
  source: string; // 手動 | 匯入
  household_id: number | null;
  created_at: string;
  created_by: number | null;
  updated_at: string | null;
  updated_by: number | null;
  version: Generated<number>;
}

export interface HouseholdsTable extends Stamped {
  id: Generated<number>;
  county_code: string | null;
  town_code: string | null;
  village_code: string | null;
  neighborhood: string | null;
  street: string | null;
  household_type: string | null;
  phone: string | null;
  notes: string | null;
}

export interface HouseholdMembersTable {
  id: Generated<number>;
  household_id: number;
  person_id: number;
  relation: string;
  joined_on: string;
  left_on: string | null;
  left_reason: string | null;
  created_at: string;
  created_by: number | null;
  /** Since migration 0014: bumped by each edit of the relation (stale-save protection). */
  version: Generated<number>;
  updated_at: Generated<string | null>;
  updated_by: Generated<number | null>;
}

export interface CodeListVersionsTable {
  id: Generated<number>;
  list: string;
  effective_from: string;
  note: string | null;
  created_at: string;
  created_by: number | null;
}

export interface CodeListItemsTable {
  id: Generated<number>;
  version_id: number;
  code: string;
  group_code: string | null;
  label: string;
  sort: Generated<number>;
}

export interface CasesTable extends Stamped {
  id: Generated<number>;
  case_no: string;
  roc_year: number;
  seq: number;
  household_id: number;
  previous_case_id: number | null;
  source: string;
  referring_unit: string | null;
  received_at: string;
  dispatched_at: string | null;
  first_contact_at: string | null;
  case_type: string;
  risk_level: string | null;
  code_list_version_id: number | null;
  status: string;
  lead_worker_id: number | null;
  team_id: number | null;
  opened_on: string | null;
  closed_on: string | null;
  close_reason: string | null;
  summary: string | null;
  /** The central platform's 派案編號 (migration 0021): set by the dispatch list import; unique where given. */
  central_no: Generated<string | null>;
}

export interface CaseAssistantsTable {
  case_id: number;
  user_id: number;
}

export interface CaseFactorsTable {
  case_id: number;
  code: string;
}

export interface CaseStatusHistoryTable {
  id: Generated<number>;
  case_id: number;
  from_status: string | null;
  to_status: string;
  action: string;
  reason: string | null;
  at: string;
  by_user: number;
}

export interface CaseRequestsTable {
  id: Generated<number>;
  case_id: number;
  kind: string;
  reason: string;
  transfer_to: number | null;
  requested_by: number;
  requested_at: string;
  state: string;
  decided_by: number | null;
  decided_at: string | null;
  decision_comment: string | null;
  /** The case status the request was made from (migration 0004): where a 退回 puts the case back. */
  from_status: string | null;
}

export interface LongTermConcernsTable extends Stamped {
  id: Generated<number>;
  household_id: number;
  reason: string;
  reason_note: string | null;
  start_date: string;
  frequency: string;
  interval_days: number | null;
  worker_id: number;
  team_id: number | null;
  next_due: string;
  last_visit_on: string | null;
  from_case_id: number | null;
  end_date: string | null;
  end_reason: string | null;
  to_case_id: number | null;
}

export interface ServiceRecordsTable extends Stamped {
  id: Generated<number>;
  household_id: number;
  case_id: number | null;
  concern_id: number | null;
  occurred_at: string;
  method: string;
  minutes: number;
  items: string;
  narrative: string | null;
  next_follow_up: string | null;
  worker_id: number;
}

/** The newest service record of a case (migration 0027; kept by triggers on service_records, never written by the services). */
export interface CaseLatestRecordsTable {
  case_id: number;
  service_id: number;
  occurred_at: string;
  next_follow_up: string | null;
}

/** The newest service record of a household (migration 0027; kept by triggers on service_records). */
export interface HouseholdLatestRecordsTable {
  household_id: number;
  service_id: number;
  occurred_at: string;
  next_follow_up: string | null;
  case_id: number | null;
}

export interface ServiceParticipantsTable {
  service_id: number;
  person_id: number;
}

export interface ReferralsTable extends Stamped {
  id: Generated<number>;
  household_id: number;
  case_id: number | null;
  service_id: number | null;
  unit_kind: string;
  unit_name: string;
  reason: string;
  status: string;
  referred_on: string;
  /** The resource-map entry it was sent to (migration 0030); null for a unit typed by hand. */
  resource_id: number | null;
}

export interface ReferralStatusHistoryTable {
  id: Generated<number>;
  referral_id: number;
  status: string;
  note: string | null;
  at: string;
  by_user: number;
}

export interface CareNeedsTable {
  id: Generated<number>;
  household_id: number;
  person_id: number;
  kind: string;
  cms_level: number | null;
  assessed_on: string | null;
  note: string | null;
  updated_at: string;
  updated_by: number | null;
}

export interface CareArrangementsTable {
  household_id: number;
  caregiver_person_id: number | null;
  caregiver_note: string | null;
  high_burden: Generated<number>;
  updated_at: string;
  updated_by: number | null;
  version: Generated<number>;
}

export interface LtcServicesTable {
  id: Generated<number>;
  household_id: number;
  person_id: number | null;
  service: string;
  provider: string | null;
  since: string | null;
  until: string | null;
  updated_at: string;
  updated_by: number | null;
}

export interface CaseloadTables {
  divisions: DivisionsTable;
  division_code_changes: DivisionCodeChangesTable;
  persons: PersonsTable;
  person_income_status: PersonIncomeStatusTable;
  households: HouseholdsTable;
  household_members: HouseholdMembersTable;
  code_list_versions: CodeListVersionsTable;
  code_list_items: CodeListItemsTable;
  cases: CasesTable;
  case_assistants: CaseAssistantsTable;
  case_factors: CaseFactorsTable;
  case_status_history: CaseStatusHistoryTable;
  case_requests: CaseRequestsTable;
  long_term_concerns: LongTermConcernsTable;
  service_records: ServiceRecordsTable;
  service_participants: ServiceParticipantsTable;
  case_latest_records: CaseLatestRecordsTable;
  household_latest_records: HouseholdLatestRecordsTable;
  referrals: ReferralsTable;
  referral_status_history: ReferralStatusHistoryTable;
  care_needs: CareNeedsTable;
  care_arrangements: CareArrangementsTable;
  ltc_services: LtcServicesTable;
}
