/**
 * The benchmarks measure each call twice in one run: on the database without planner statistics
 * (as every database was before the app ran PRAGMA optimize) and after the statistics the app
 * gathers itself (db/connection.ts maintainStatistics: PRAGMA optimize=0x10002 with its analysis
 * limit), since a plan that is fast only without statistics is a plan the app no longer runs.
 */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { DB_FILE_NAME, sqliteOf } from '../db/connection';
import { openDataFolder } from '../main/api/data-folder';

export type StatisticsMode = 'none' | 'analyzed';
export const MODES: readonly StatisticsMode[] = ['none', 'analyzed'];

/** Removes the planner statistics (ANALYZE writes them again). */
export function dropStatistics(sqlite: BetterSqlite3.Database): void {
  for (const t of ['sqlite_stat1', 'sqlite_stat4']) sqlite.exec(`drop table if exists ${t}`);
}

/** `sqlite_stat1: 96 rows, sqlite_stat4: 1,904 rows` or `no statistics`. */
export function describeStatistics(sqlite: BetterSqlite3.Database): string {
  const parts = ['sqlite_stat1', 'sqlite_stat4'].flatMap((t) =>
    sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = ?").get(t) === undefined
      ? []
      : [`${t}: ${(sqlite.prepare(`select count(*) as n from ${t}`).get() as { n: number }).n.toLocaleString('en')} rows`],
  );
  return parts.length > 0 ? parts.join(', ') : 'no statistics';
}

/**
 * Brings `dataDir`'s database into the given state: `none` drops the statistics (the connection is
 * opened without PRAGMA optimize), `analyzed` opens it as the app does, which analyzes it. Returns the
 * time the analysis took and what is stored.
 */
export async function prepareStatistics(dataDir: string, mode: StatisticsMode): Promise<{ ms: number; stored: string }> {
  const t0 = performance.now();
  const { handle } = await openDataFolder({ dataDir, maintainStatistics: mode === 'analyzed' });
  try {
    if (mode === 'none') dropStatistics(sqliteOf(handle));
    const ms = performance.now() - t0;
    return { ms, stored: describeStatistics(sqliteOf(handle)) };
  } finally {
    await handle.close();
  }
}

/** Copies a data folder (database after a checkpoint, its keys, the audit checkpoint) to `to`. */
export async function copyDataFolder(from: string, to: string): Promise<void> {
  const { handle } = await openDataFolder({ dataDir: from, maintainStatistics: false });
  try {
    sqliteOf(handle).pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    await handle.close();
  }
  mkdirSync(to, { recursive: true });
  for (const f of [DB_FILE_NAME, 'keys.json', 'audit-checkpoint.json']) if (existsSync(join(from, f))) copyFileSync(join(from, f), join(to, f));
}
