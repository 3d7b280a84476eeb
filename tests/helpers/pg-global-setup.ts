/**
 * Vitest global setup: in the PostgreSQL run (WELFARE_DESK_TEST_PG set), creates and migrates the
 * template database every test app's database is copied from, and drops it at the end.
 */
import { randomBytes } from 'node:crypto';
import type { TestProject } from 'vitest/node';
import { migrateToLatest } from '../../db/connection';
import { openPostgres } from '../../db/postgres';
import { adminQuery, CREATE_OPTIONS, dropDatabase, onPostgres, PG_URL, pgUrlFor } from './pg';

declare module 'vitest' {
  export interface ProvidedContext {
    pgTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (!onPostgres) return undefined;
  const name = `wd_tpl_${process.pid}_${randomBytes(3).toString('hex')}`;
  await adminQuery(`create database ${name} template template0 ${CREATE_OPTIONS}`);
  const h = openPostgres(pgUrlFor(PG_URL, name), { max: 1, onSlowQuery: () => undefined });
  try {
    await migrateToLatest(h.db);
  } finally {
    await h.close();
  }
  project.provide('pgTemplate', name);
  return () => dropDatabase(name);
}
