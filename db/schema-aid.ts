/** Kysely types of migration 0031 (external_aid): aid a household received from other units (issue 14 §4). */
import type { Generated } from 'kysely';

export interface ExternalAidTable {
  id: Generated<number>;
  household_id: number;
  person_id: number | null;
  /** AidSourceKind (zh-TW label): 慈善團體, 急難救助（公所／民政）, 公所, 學校, 宗教團體, 企業, 其他政府單位, 其他. */
  source_kind: string;
  /** The unit: 「○○慈善會」. */
  source_name: string;
  /** AidKind (zh-TW label): 現金, 物資, 餐食, 代金券, 其他. */
  kind: string;
  /** NT$, integer; null when only items were given. */
  amount: number | null;
  /** What was given, as text; null when only an amount. */
  items: string | null;
  /** ISO date (Taipei calendar). */
  received_on: string;
  note: string | null;
  /** '手動' | '匯入' */
  origin: Generated<string>;
  created_at: string;
  created_by: number | null;
  updated_at: string;
  updated_by: number | null;
  /** Set when deleted (the row is kept with its reason); every reader filters deleted_at is null. */
  deleted_at: string | null;
  deleted_by: number | null;
  delete_reason: string | null;
  version: Generated<number>;
}

export interface AidTables {
  external_aid: ExternalAidTable;
}
