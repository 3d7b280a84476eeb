/** Kysely types for lookups by national ID (migration 2026-12-06-0009-id-lookups). */
import type { Generated } from 'kysely';

/** One lookup by ID: who, when, through what, and a keyed hash of the ID (never the ID). */
export interface IdLookupsTable {
  id: Generated<number>;
  user_id: number;
  at: string;
  id_hash: string;
  via: string;
}

export interface IdentityTables {
  id_lookups: IdLookupsTable;
}
