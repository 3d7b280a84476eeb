/** Kysely types for the report tables (migration 2026-11-22-0005-reports). */
import type { Generated } from 'kysely';

export interface ReportTemplatesTable {
  id: Generated<number>;
  file_name: string;
  sha256: string;
  size: number;
  bytes: Uint8Array;
  /** JSON: the inspected workbook (the mapping screen's grid). */
  model: string;
  imported_at: string;
  imported_by: number | null;
}

export interface ReportDefinitionsTable {
  id: Generated<number>;
  template_id: number;
  name: string;
  form_no: string;
  agency: string;
  deadline: string;
  period_sheet: string | null;
  period_cell: string | null;
  /** JSON fingerprint of the period cell. */
  period_fingerprint: string | null;
  /** How often the form is due (migration 0022): month, quarter, halfYear, year. */
  frequency: Generated<string>;
  /** The template's 編製日期 cell (migration 0022), filled with the generation date. */
  compiled_sheet: string | null;
  compiled_cell: string | null;
  /** JSON fingerprint of the 編製日期 cell. */
  compiled_fingerprint: string | null;
  created_at: string;
  created_by: number | null;
  updated_at: string;
  updated_by: number | null;
  version: Generated<number>;
}

export interface ReportMappingsTable {
  id: Generated<number>;
  definition_id: number;
  seq: number;
  sheet: string;
  cell: string;
  indicator_id: string;
  /** JSON: equality filters, e.g. {"dimension":"2"}. */
  filters: Generated<string>;
  /** JSON: the cell's fingerprint when saved. */
  fingerprint: string;
  /** The period the cell counts relative to the report's (migration 0022): report, month1..12, ytd, sameLastYear, previous. */
  period: Generated<string>;
}

export interface ReportSubmissionsTable {
  id: Generated<number>;
  definition_id: number;
  /** `2026Q1` */
  period: string;
  period_from: string;
  period_to: string;
  /** JSON: the figures as generated. */
  figures: string;
  file: Uint8Array;
  sha256: string;
  template_sha256: string;
  submitted_at: string;
  submitted_by: number;
  unlocked_at: string | null;
  unlocked_by: number | null;
  unlock_reason: string | null;
}

export interface MonthlyRemarksTable {
  id: Generated<number>;
  /** `2026-03` */
  month: string;
  /** teams.id, or 0 for the whole center. */
  team_key: number;
  remark: string;
  updated_at: string;
  updated_by: number | null;
  version: Generated<number>;
}

export interface ReportTables {
  report_templates: ReportTemplatesTable;
  report_definitions: ReportDefinitionsTable;
  report_mappings: ReportMappingsTable;
  report_submissions: ReportSubmissionsTable;
  monthly_remarks: MonthlyRemarksTable;
}
