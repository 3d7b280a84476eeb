/** Kysely types for the work guides (作業指引, migration 2026-12-07-0029-work-guides). */
import type { Generated } from 'kysely';

/** One version of one guide; never updated or deleted. */
export interface WorkGuideVersionsTable {
  id: Generated<number>;
  /** A GUIDE_KEYS value (main/contract/types-guides.ts). */
  guide_key: string;
  body: string;
  effective_from: string;
  note: string | null;
  created_at: string;
  /** null: a version the app came with. */
  created_by: number | null;
}

export interface GuideTables {
  work_guide_versions: WorkGuideVersionsTable;
}
