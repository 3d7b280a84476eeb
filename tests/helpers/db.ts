/**
 * Raw SQL on a test app's database, the same on SQLite and PostgreSQL: `?` placeholders are bound
 * in order (as better-sqlite3 did), counts come back as numbers on both engines.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema';
import type { App } from '../../main/api/app';

type Target = App | Kysely<Database>;
const dbOf = (t: Target): Kysely<Database> => ('database' in t ? t.database.db : t);

function build(text: string, params: unknown[]) {
  const parts = text.split('?');
  if (parts.length - 1 !== params.length) throw new Error(`expected ${parts.length - 1} parameters, got ${params.length}: ${text}`);
  const chunks = [sql.raw(parts[0]!)];
  params.forEach((p, i) => chunks.push(sql`${p}`, sql.raw(parts[i + 1]!)));
  return sql.join(chunks, sql.raw(''));
}

/** Every row of a query. */
export async function rows<T = Record<string, unknown>>(t: Target, text: string, ...params: unknown[]): Promise<T[]> {
  return (await sql<T>`${build(text, params)}`.execute(dbOf(t))).rows;
}

/** The first row of a query, or undefined. */
export async function row<T = Record<string, unknown>>(t: Target, text: string, ...params: unknown[]): Promise<T | undefined> {
  return (await rows<T>(t, text, ...params))[0];
}

/** A statement whose result does not matter. */
export async function exec(t: Target, text: string, ...params: unknown[]): Promise<void> {
  await sql`${build(text, params)}`.execute(dbOf(t));
}
