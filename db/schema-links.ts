/** Kysely types for linked families (migration 2026-12-07-0032-person-links). */
import type { Generated } from 'kysely';

export interface PersonLinksTable {
  id: Generated<number>;
  person_a: number;
  person_b: number;
  /** What person_b is to person_a: 父母 | 手足 | 祖父母 | 配偶 | 前配偶 | 照顧者 | 其他親屬. */
  relation: string;
  note: string | null;
  created_at: string;
  created_by: number | null;
  updated_at: string;
  updated_by: number | null;
  ended_on: string | null;
  end_reason: string | null;
  ended_by: number | null;
  version: Generated<number>;
}

export interface LinkTables {
  person_links: PersonLinksTable;
}
