/** Kysely types for write results kept by request id (migration 2026-12-06-0011-request-results). */

/** One write call's answer, kept a day so a retry with the same request id gets it instead of a second write. */
export interface RequestResultsTable {
  request_id: string;
  user_id: number | null;
  method: string;
  /** SHA-256 of the call's payload as JSON: the same id with another payload is refused. */
  payload_hash: string;
  /** The ok envelope's value, JSON. */
  result: string;
  at: string;
}

export interface RequestTables {
  request_results: RequestResultsTable;
}
