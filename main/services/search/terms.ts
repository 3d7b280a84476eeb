/**
 * The terms the search index holds for a person or a household, and the writers
 * that keep `search_terms` in step with them. Every write to a person's name or
 * phone, or a household's street or phone, must call indexPerson / indexHousehold
 * in the same transaction (the household and person services do; another domain
 * that inserts persons or households directly must too).
 *
 * Why bigrams: Chinese names are 2-4 characters and people search by any two of
 * them (「志明」), which a trigram index cannot answer. A posting per 2-character
 * piece answers a 2-character query with one equality lookup, and a longer one by
 * intersecting its pieces and checking the candidates. Portable SQL: equality and
 * range scans on one B-tree.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';

/** NFKC (full-width → half-width), lower case, no whitespace. */
export function normalizeText(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

/** Digits only (dashes, spaces, brackets and full-width digits dropped). */
export function phoneDigits(s: string | null | undefined): string {
  return (s ?? '').normalize('NFKC').replace(/\D/g, '');
}

/** Distinct 2-character pieces, by code point (names may hold characters outside the BMP). */
export function bigrams(text: string): string[] {
  const chars = Array.from(normalizeText(text));
  if (chars.length === 1) return chars;
  const out = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) out.add(`${chars[i]}${chars[i + 1]}`);
  return [...out];
}

export const MIN_PHONE_DIGITS = 4;

function phoneTerms(prefix: 'p' | 'h', phone: string | null): string[] {
  const digits = phoneDigits(phone);
  if (digits.length < MIN_PHONE_DIGITS) return [];
  return [`${prefix}t:${digits}`, `${prefix}r:${[...digits].reverse().join('')}`];
}

export function personTerms(p: { name: string; phone: string | null }): string[] {
  return [...new Set([...bigrams(p.name).map((g) => `pn:${g}`), ...phoneTerms('p', p.phone)])];
}

export function householdTerms(h: { street: string | null; phone: string | null }): string[] {
  return [...new Set([...(h.street ? bigrams(h.street).map((g) => `hs:${g}`) : []), ...phoneTerms('h', h.phone)])];
}

const PERSON_KINDS = ['pn:', 'pt:', 'pr:'];
const HOUSEHOLD_KINDS = ['hs:', 'ht:', 'hr:'];

async function replaceTerms(trx: Kysely<Database>, ref: number, kinds: string[], terms: string[]): Promise<void> {
  // Person and household ids share the `ref` column, so only this kind's terms are replaced.
  await trx
    .deleteFrom('search_terms')
    .where('ref', '=', ref)
    .where((eb) => eb.or(kinds.map((k) => eb.and([eb('term', '>=', k), eb('term', '<', `${k.slice(0, -1)};`)]))))
    .execute();
  for (let i = 0; i < terms.length; i += 200) {
    await trx.insertInto('search_terms').values(terms.slice(i, i + 200).map((term) => ({ term, ref }))).execute();
  }
}

/** Re-indexes one person from its stored row. Call inside the writing transaction. */
export async function indexPerson(trx: Kysely<Database>, personId: number): Promise<void> {
  const p = await trx.selectFrom('persons').select(['name', 'phone']).where('id', '=', personId).executeTakeFirst();
  await replaceTerms(trx, personId, PERSON_KINDS, p ? personTerms(p) : []);
}

/** Re-indexes one household from its stored row. Call inside the writing transaction. */
export async function indexHousehold(trx: Kysely<Database>, householdId: number): Promise<void> {
  const h = await trx.selectFrom('households').select(['street', 'phone']).where('id', '=', householdId).executeTakeFirst();
  await replaceTerms(trx, householdId, HOUSEHOLD_KINDS, h ? householdTerms(h) : []);
}
