/** Tables of migration 0014: earlier states kept when what was typed is corrected (issue 11 §1). */
import type { Generated } from 'kysely';

/** One earlier state of a service record, and the edit that replaced it. */
export interface ServiceRecordVersionsTable {
  id: Generated<number>;
  record_id: number;
  /** The version number the record had in this state. */
  version: number;
  occurred_at: string;
  method: string;
  minutes: number;
  /** JSON array of service items. */
  items: string;
  /** JSON array of person ids. */
  participants: string;
  next_follow_up: string | null;
  /** Sensitive: shown only to the author and the team's 督導. */
  narrative: string | null;
  /** When and by whom this state was written (the record's updated_at / updated_by then). */
  state_at: string;
  state_by: number | null;
  replaced_at: string;
  replaced_by: number;
  /** 修改原因 */
  reason: string;
}

/** An earlier relation to the 戶長 of one membership. */
export interface HouseholdMemberRelationsTable {
  id: Generated<number>;
  membership_id: number;
  household_id: number;
  from_relation: string;
  to_relation: string;
  reason: string | null;
  changed_at: string;
  changed_by: number;
}

export interface CorrectionTables {
  service_record_versions: ServiceRecordVersionsTable;
  household_member_relations: HouseholdMemberRelationsTable;
}
