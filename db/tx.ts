import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema';

export type Tx = Transaction<Database> | Kysely<Database>;

/**
 * A write transaction that takes the write lock up front (SQLite's BEGIN IMMEDIATE),
 * so two processes racing for the last bag of rice serialise instead of one of
 * them failing half-way on a lock upgrade. On PostgreSQL this becomes a plain
 * transaction; this is the one place that knows the difference.
 */
export async function writeTransaction<T>(db: Kysely<Database>, fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (err) {
      await sql`rollback`.execute(conn);
      throw err;
    }
  });
}
