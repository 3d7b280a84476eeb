import type { Generated } from 'kysely';

/** A signed-in session (migration 0008). The token itself is never stored, only its SHA-256. */
export interface SessionsTable {
  id: Generated<number>;
  token_hash: string;
  user_id: number;
  transport: string;
  source: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  locked: number; // 0/1
}

/** Counts of sign-in attempts per account at a source, per account, and per source (migration 0008). */
export interface AuthThrottleTable {
  key: string;
  account: string | null;
  failures: number;
  window_start: string;
  locked_until: string | null;
}

export interface AuthTables {
  sessions: SessionsTable;
  auth_throttle: AuthThrottleTable;
}
