/**
 * The center server's database: PostgreSQL 15 or newer through a `pg` pool (issue 10). The same
 * Kysely<Database> as the single-PC SQLite file; db/engine.ts tells the two apart where SQL must differ.
 */
import { Kysely, PostgresDialect, type KyselyPlugin } from 'kysely';
import pg from 'pg';
import { PostgresIlike } from './like';
import { slowQueryLog, type PostgresHandle, type SlowQuery } from './connection';
import type { Database } from './schema';

export interface PostgresOptions {
  onSlowQuery?: (q: SlowQuery) => void;
  /** Carried by the handle into every transaction (e.g. the audit seal). */
  plugins?: KyselyPlugin[];
  /** Pool size (default 10). */
  max?: number;
}

const INT8 = 20;
const NUMERIC = 1700;

/**
 * Type parsers for this pool only (not pg's global table): bigint (count(*), sum of integers) and
 * numeric come back as JS numbers, so counts and sums are numbers on both engines. The values this
 * app counts and sums stay far below 2^53.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8 || oid === NUMERIC) return (v: string) => (v === null ? null : Number(v));
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export function openPostgres(url: string, opts: PostgresOptions = {}): PostgresHandle {
  const pool = new pg.Pool({ connectionString: url, max: opts.max ?? 10, types });
  // An idle client losing its server connection must not crash the process; the next checkout reconnects.
  pool.on('error', () => undefined);
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    plugins: [new PostgresIlike(), ...(opts.plugins ?? [])],
    log: slowQueryLog(opts.onSlowQuery),
  });
  return {
    engine: 'postgres',
    db,
    async close() {
      await db.destroy();
    },
  };
}
