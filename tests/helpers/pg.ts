/**
 * The PostgreSQL half of the unit suite (issue 10). With WELFARE_DESK_TEST_PG set to the URL of a
 * server where the tests may create databases (scripts/with-postgres.mjs starts a throwaway one),
 * every test app gets a database of its own, copied from a template migrated once per run
 * (tests/helpers/pg-global-setup.ts), and dropped when the app closes.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const PG_URL = process.env.WELFARE_DESK_TEST_PG ?? '';
/** True in the PostgreSQL run of the suite. */
export const onPostgres = PG_URL !== '';

/** The same server, another database. */
export function pgUrlFor(base: string, database: string): string {
  const m = /^(postgres(?:ql)?:\/\/[^/?]*)(\/[^?]*)?(\?.*)?$/.exec(base);
  if (!m) throw new Error('WELFARE_DESK_TEST_PG is not a postgres:// URL');
  return `${m[1]}/${database}${m[3] ?? ''}`;
}

export async function adminQuery(text: string): Promise<void> {
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

/** Databases are created with the C collation, so text orders as in SQLite (binary). */
export const CREATE_OPTIONS = "encoding 'UTF8' lc_collate 'C' lc_ctype 'C'";

/** A fresh, migrated database for one test app; returns its URL. */
export async function createTestDatabase(template: string | undefined): Promise<{ name: string; url: string }> {
  if (!template) throw new Error('the PostgreSQL template database is missing: run the suite through vitest (tests/helpers/pg-global-setup.ts)');
  const name = `wd_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database ${name} template ${template} ${CREATE_OPTIONS}`);
  return { name, url: pgUrlFor(PG_URL, name) };
}

/** An empty database (no migrations), for tests of the migrations themselves. */
export async function createEmptyDatabase(): Promise<{ name: string; url: string }> {
  const name = `wd_e_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database ${name} template template0 ${CREATE_OPTIONS}`);
  return { name, url: pgUrlFor(PG_URL, name) };
}

export async function dropDatabase(name: string): Promise<void> {
  await adminQuery(`drop database if exists ${name} with (force)`);
}
