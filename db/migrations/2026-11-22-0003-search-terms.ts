import type { Kysely } from 'kysely';

/**
 * The search index (issue 3 §7) and one missing index for access checks.
 * Frozen: never edit after release; add a new migration.
 *
 * `search_terms` holds one row per (term, ref). A term is a kind prefix and a
 * normalised piece of text, so one B-tree serves every kind of query with
 * equality or range scans (portable: no FTS, no trigram extension):
 *   pn:<bigram of a person's name>            ref = persons.id
 *   pt:<phone digits> / pr:<reversed digits>  ref = persons.id   (prefix / suffix search)
 *   hs:<bigram of a household's street>       ref = households.id
 *   ht:<phone digits> / hr:<reversed digits>  ref = households.id
 * The services keep it current in the same transaction as the row it indexes.
 * This migration fills it for rows that already exist, with its own frozen copy
 * of the term rules (a migration never imports app code).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('search_terms')
    .addColumn('term', 'text', (c) => c.notNull())
    .addColumn('ref', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('search_terms_pk', ['term', 'ref'])
    .execute();
  // Deleting a person's or household's terms before re-indexing it.
  await db.schema.createIndex('search_terms_ref_idx').on('search_terms').columns(['ref', 'term']).execute();

  // scope.ts asks "does this household have a concern of mine?" for every household it filters; the
  // partial unique index only covers active concerns, so ended ones forced a table scan.
  await db.schema.createIndex('long_term_concerns_household_idx').on('long_term_concerns').column('household_id').execute();
  await db.schema.createIndex('persons_created_by_idx').on('persons').column('created_by').execute();
  await db.schema.createIndex('households_created_by_idx').on('households').column('created_by').execute();

  const persons = await db.selectFrom('persons').select(['id', 'name', 'phone']).execute();
  const households = await db.selectFrom('households').select(['id', 'street', 'phone']).execute();
  const rows: { term: string; ref: number }[] = [];
  for (const p of persons as { id: number; name: string; phone: string | null }[]) {
    for (const t of frozenTerms('p', p.name, p.phone)) rows.push({ term: t, ref: p.id });
  }
  for (const h of households as { id: number; street: string | null; phone: string | null }[]) {
    for (const t of frozenTerms('h', h.street, h.phone)) rows.push({ term: t, ref: h.id });
  }
  for (let i = 0; i < rows.length; i += 500) {
    await db.insertInto('search_terms').values(rows.slice(i, i + 500)).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('households_created_by_idx').execute();
  await db.schema.dropIndex('persons_created_by_idx').execute();
  await db.schema.dropIndex('long_term_concerns_household_idx').execute();
  await db.schema.dropTable('search_terms').execute();
}

// --- frozen copy of the term rules of 2026-11-22 (main/services/search/terms.ts) ---

function norm(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

function bigrams(s: string): string[] {
  const chars = Array.from(norm(s));
  if (chars.length === 1) return chars;
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(`${chars[i]}${chars[i + 1]}`);
  return [...out];
}

function frozenTerms(kind: 'p' | 'h', text: string | null, phone: string | null): string[] {
  const out = new Set<string>();
  if (text) for (const g of bigrams(text)) out.add(`${kind === 'p' ? 'pn' : 'hs'}:${g}`);
  const digits = (phone ?? '').normalize('NFKC').replace(/\D/g, '');
  if (digits.length >= 4) {
    out.add(`${kind}t:${digits}`);
    out.add(`${kind}r:${[...digits].reverse().join('')}`);
  }
  return [...out];
}
