/** Tables of migration 0025: protection reports (保護通報) on households (issue 13 §6). */
import type { Generated } from 'kysely';

export interface ProtectionReportsTable {
  id: Generated<number>;
  household_id: number;
  /** ISO date (Taipei calendar). */
  reported_on: string;
  source: string;
  kind: string;
  created_at: string;
  created_by: number | null;
  updated_at: string;
  updated_by: number | null;
  version: Generated<number>;
}

export interface ProtectionReportPersonsTable {
  report_id: number;
  person_id: number;
}

export interface OutcomeTables {
  protection_reports: ProtectionReportsTable;
  protection_report_persons: ProtectionReportPersonsTable;
}
