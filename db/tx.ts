import { sql, type Kysely, type Transaction } from 'kysely';
import { engineOf } from './engine';
import type { Database } from './schema';

export type Tx = Transaction<Database> | Kysely<Database>;

/** The advisory lock every write transaction takes on PostgreSQL (any constant; "wd" + 1). */
export const WRITE_LOCK_KEY = 0x7764_0000;

/** How often a PostgreSQL write is tried when the engine asks for a retry (serialization failure, deadlock). */
const MAX_ATTEMPTS = 5;

/** The SQLSTATEs after which PostgreSQL says the whole transaction may simply be run again. */
function isRetryable(err: unknown): boolean {
  const code = err && typeof err === 'object' && 'code' in err ? (err as { code: unknown }).code : undefined;
  return code === '40001' || code === '40P01';
}

/**
 * A write transaction that takes the write lock up front (SQLite's BEGIN IMMEDIATE),
 * so two processes racing for the last bag of rice serialise instead of one of
 * them failing half-way on a lock upgrade. This is the one place that knows the difference.
 *
 * On PostgreSQL: BEGIN, then `pg_advisory_xact_lock(WRITE_LOCK_KEY)`, which every write
 * transaction takes, so writes are serialised exactly as on SQLite while reads never wait
 * (MVCC). Every write appends to the hash-chained audit log, each row linking the previous
 * one, so writes are totally ordered anyway; the one lock gives case numbers, receipt
 * numbers, FEFO picking and stock balances SQLite's semantics with many writers and several
 * server processes. Should the engine still report a serialization failure or a deadlock,
 * the whole `fn` runs again (up to 5 times, with jittered backoff).
 */
export async function writeTransaction<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  const postgres = engineOf(db) === 'postgres';
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.connection().execute(async (conn) => {
        if (postgres) {
          await sql`begin`.execute(conn);
        } else {
          await sql`begin immediate`.execute(conn);
        }
        try {
          if (postgres) await sql`select pg_advisory_xact_lock(${sql.lit(WRITE_LOCK_KEY)})`.execute(conn);
          const result = await fn(conn);
          await sql`commit`.execute(conn);
          return result;
        } catch (err) {
          await sql`rollback`.execute(conn);
          throw err;
        }
      });
    } catch (err) {
      if (!postgres || attempt >= MAX_ATTEMPTS || !isRetryable(err)) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * 2 ** attempt));
    }
  }
}
