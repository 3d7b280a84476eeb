/** Kysely types for the search index (migration 2026-11-22-0003-search-terms). */

/** One posting: a kind-prefixed normalised term and the person or household it points to. */
export interface SearchTermsTable {
  term: string;
  ref: number;
}

export interface SearchTables {
  search_terms: SearchTermsTable;
}
