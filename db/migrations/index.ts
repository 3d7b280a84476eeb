import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './2026-11-22-0001-foundation';
import * as m0002 from './2026-11-22-0002-caseload';

/**
 * Every migration, listed by hand: a bundled main process cannot scan a folder.
 * Names sort by date; append new ones at the end.
 */
export const MIGRATIONS: Record<string, Migration> = {
  '2026-11-22-0001-foundation': m0001,
  '2026-11-22-0002-caseload': m0002,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => MIGRATIONS,
};
