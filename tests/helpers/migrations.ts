/** Shared steps of the one-test-per-migration files (tests/unit/migrations/). */
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { Migrator, type Kysely } from 'kysely';
import { migrationDb } from '../../db/migrations/forms';
import { migrationProvider } from '../../db/migrations/index';
import type { Database } from '../../db/schema';

/** The application's tables, sorted, without SQLite's and Kysely's own. */
export function tableNames(sqlite: BetterSqlite3.Database): string[] {
  const rows = sqlite
    .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%' order by name")
    .all() as { name: string }[];
  return rows.map((r) => r.name);
}

/** Migrates up or down to exactly `target`; returns "direction name status" per step. */
export async function migrateTo(db: Kysely<Database>, target: string): Promise<string[]> {
  const { error, results } = await new Migrator({ db: await migrationDb(db), provider: migrationProvider }).migrateTo(target);
  if (error) throw error;
  return (results ?? []).map((r) => `${r.direction} ${r.migrationName} ${r.status}`);
}
