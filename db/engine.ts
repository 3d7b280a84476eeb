/**
 * Which engine a Kysely instance (or a transaction or connection made from it) talks to. The few
 * statements that must differ between SQLite and PostgreSQL branch on this; everything else is the
 * same SQL on both.
 */
import { PostgresAdapter, type Kysely } from 'kysely';

export type Engine = 'sqlite' | 'postgres';

export function engineOf(db: Kysely<unknown> | Kysely<any>): Engine {
  return (db as Kysely<unknown>).getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
