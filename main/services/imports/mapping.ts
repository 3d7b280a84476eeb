/**
 * Column mapping: which column of the sheet feeds which field of the kind. Suggested from the mapping saved
 * for this kind and source (or for a file with the same headers), else from the fields' `headers`; saved per
 * (kind, source) at each dry run, with each field's header text, so a list whose columns moved still maps.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import type { ImportField } from './types';

export interface Column {
  col: string;
  header: string;
}

/** Header text compared without spaces, punctuation or case: 「身分證 字號：」 = 「身分證字號」. */
export function normalizeHeader(s: string): string {
  return s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]/gu, '');
}

/** The file's header row in one short string: equal headers, equal signature. */
export function headerSignature(columns: readonly Column[]): string {
  const text = columns.map((c) => `${c.col}=${normalizeHeader(c.header)}`).join('|');
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

/** Saved form: field → { col, header } (the header text lets a moved column be found again). */
export type SavedMapping = Record<string, { col: string; header: string }>;

/** From the fields' header texts: exact (normalised) matches first, then a header that contains one. */
export function mappingFromHeaders(fields: readonly ImportField[], columns: readonly Column[]): Record<string, string> {
  const out: Record<string, string> = {};
  const used = new Set<string>();
  const norm = columns.map((c) => ({ col: c.col, h: normalizeHeader(c.header) }));
  for (const pass of ['exact', 'contains'] as const) {
    for (const f of fields) {
      if (out[f.key]) continue;
      const wanted = [f.label, ...f.headers].map(normalizeHeader).filter((w) => w !== '');
      const hit = norm.find((c) => !used.has(c.col) && c.h !== '' && wanted.some((w) => (pass === 'exact' ? c.h === w : c.h.includes(w))));
      if (hit) {
        out[f.key] = hit.col;
        used.add(hit.col);
      }
    }
  }
  return out;
}

/** A saved mapping applied to this file's columns: by header text, else by letter when the headers are the same. */
export function applySaved(saved: SavedMapping, sameHeaders: boolean, fields: readonly ImportField[], columns: readonly Column[]): Record<string, string> {
  const out: Record<string, string> = {};
  const keys = new Set(fields.map((f) => f.key));
  for (const [field, m] of Object.entries(saved)) {
    if (!keys.has(field)) continue;
    const byHeader = columns.find((c) => normalizeHeader(c.header) !== '' && normalizeHeader(c.header) === normalizeHeader(m.header));
    if (byHeader) out[field] = byHeader.col;
    else if (sameHeaders && columns.some((c) => c.col === m.col)) out[field] = m.col;
  }
  return out;
}

export interface Suggestion {
  mapping: Record<string, string>;
  savedSource: string | null;
}

export async function suggestMapping(db: Kysely<Database>, kind: string, source: string | undefined, fields: readonly ImportField[], columns: readonly Column[]): Promise<Suggestion> {
  const signature = headerSignature(columns);
  const bySource = source
    ? await db.selectFrom('import_mappings').selectAll().where('kind', '=', kind).where('source', '=', source).executeTakeFirst()
    : undefined;
  const saved =
    bySource ??
    (await db.selectFrom('import_mappings').selectAll().where('kind', '=', kind).where('header_signature', '=', signature).orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst());
  if (saved) {
    const mapping = applySaved(JSON.parse(saved.mapping) as SavedMapping, saved.header_signature === signature, fields, columns);
    if (Object.keys(mapping).length > 0) {
      // Fields the saved mapping did not cover are still suggested from their headers.
      const rest = mappingFromHeaders(
        fields.filter((f) => !mapping[f.key]),
        columns.filter((c) => !Object.values(mapping).includes(c.col)),
      );
      return { mapping: { ...rest, ...mapping }, savedSource: saved.source };
    }
  }
  return { mapping: mappingFromHeaders(fields, columns), savedSource: null };
}

export async function savedSources(db: Kysely<Database>, kind: string): Promise<string[]> {
  const rows = await db.selectFrom('import_mappings').select('source').where('kind', '=', kind).orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(50).execute();
  return rows.map((r) => r.source);
}

/** Saves the mapping used for (kind, source), replacing the previous one. */
export async function saveMapping(
  trx: Kysely<Database>,
  args: { kind: string; source: string; mapping: Record<string, string>; columns: readonly Column[]; userId: number; now: string },
): Promise<void> {
  const saved: SavedMapping = {};
  for (const [field, col] of Object.entries(args.mapping)) saved[field] = { col, header: args.columns.find((c) => c.col === col)?.header ?? '' };
  const values = { header_signature: headerSignature(args.columns), mapping: JSON.stringify(saved), updated_by: args.userId, updated_at: args.now };
  await trx
    .insertInto('import_mappings')
    .values({ kind: args.kind, source: args.source, ...values })
    .onConflict((oc) => oc.columns(['kind', 'source']).doUpdateSet(values))
    .execute();
}
