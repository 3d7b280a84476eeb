/** Tables of migration 0028: assessment instruments, their versions, assessments, visit-frequency rules (issue 14 §1). */
import type { Generated } from 'kysely';

export interface InstrumentsTable {
  id: Generated<number>;
  /** Stable key ('six-facets', 'family-assessment', 'welfare-economic-status', ...). */
  code: string;
  name: string;
  description: string | null;
  /** 0/1: archived instruments are not offered for new assessments. */
  archived: Generated<number>;
  created_at: string;
  created_by: number | null;
  updated_at: string;
  updated_by: number | null;
  version: Generated<number>;
}

export interface InstrumentVersionsTable {
  id: Generated<number>;
  instrument_id: number;
  /** 1, 2, ... per instrument. */
  version_no: number;
  /** JSON text of an InstrumentDefinition (main/contract/types-assessments.ts). */
  definition: string;
  /** ISO date of the first day in effect. */
  effective_from: string;
  /** ISO date of the last day in effect; null = open. */
  effective_to: string | null;
  note: string | null;
  created_at: string;
  created_by: number | null;
}

export interface AssessmentsTable {
  id: Generated<number>;
  household_id: number;
  case_id: number | null;
  concern_id: number | null;
  instrument_version_id: number;
  /** 'intake' | 'review' | 'closing'. */
  stage: string;
  /** ISO date. */
  assessed_on: string;
  worker_id: number;
  /** The case's team (or the worker's) when saved: indicators by team. */
  team_id: number | null;
  /** JSON text of ResponseItem[]. */
  answers: string;
  /** JSON text of the ScoreResult when last saved. */
  result: string;
  suggested_level: string | null;
  /** Null while a draft. */
  confirmed_level: string | null;
  override_reason: string | null;
  confirmed_at: string | null;
  confirmed_by: number | null;
  /** ISO date the next assessment is due (confirmed only). */
  reassess_due: string | null;
  created_at: string;
  created_by: number | null;
  updated_at: string;
  updated_by: number | null;
  version: Generated<number>;
}

export interface VisitFrequencyRulesTable {
  /** '低' | '中' | '高'. */
  level: string;
  visit_every_days: number;
  reassess_every_days: number;
  updated_at: string;
  updated_by: number | null;
}

export interface AssessmentTables {
  instruments: InstrumentsTable;
  instrument_versions: InstrumentVersionsTable;
  assessments: AssessmentsTable;
  visit_frequency_rules: VisitFrequencyRulesTable;
}
