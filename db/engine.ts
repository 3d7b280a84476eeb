/**
 * Which engine a Kysely instance (or a transaction or connection made from it) talks to. The few
 * statements that must differ between SQLite and PostgreSQL branch on this; everything else is the
 * same SQL on both.
 */
import { PostgresAdapter } from 'kysely';

export type Engine = 'sqlite' | 'postgres';

/** Any Kysely instance, transaction or connection (structurally, so every schema type fits). */
export function engineOf(db: { getExecutor(): { readonly adapter: unknown } }): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
