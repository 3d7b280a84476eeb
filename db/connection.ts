import { AsyncLocalStorage } from 'node:async_hooks';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type LogEvent } from 'kysely';
import { migrationProvider } from './migrations/index';
import type { Database } from './schema';

export const DB_FILE_NAME = 'welfare-desk.db';

/** Queries slower than this are logged with their name and duration, never their parameters. */
export const SLOW_QUERY_MS = 40;

export interface SlowQuery {
  name: string;
  ms: number;
}

export interface OpenOptions {
  /** Path to a better_sqlite3.node built for the running runtime (Electron keeps its own). */
  nativeBinding?: string;
  readonly?: boolean;
  onSlowQuery?: (q: SlowQuery) => void;
}

export interface DatabaseHandle {
  db: Kysely<Database>;
  sqlite: BetterSqlite3.Database;
  close(): Promise<void>;
}

/** The name of the operation in flight (an API method, a CLI command), for the slow-query log. */
const queryNameStore = new AsyncLocalStorage<string>();
export function withQueryName<T>(name: string, fn: () => Promise<T>): Promise<T> {
  return queryNameStore.run(name, fn);
}

/** A parameter-free label: the statement kind and its main table, e.g. "select users". */
function describeQuery(event: LogEvent): string {
  const sqlText = event.query.sql;
  const kind = /^\s*(\w+)/.exec(sqlText)?.[1]?.toLowerCase() ?? 'query';
  const table = /\b(?:from|into|update|table)\s+"?([A-Za-z_][\w]*)"?/i.exec(sqlText)?.[1] ?? '';
  return `${kind} ${table}`.trim();
}

export function openDatabase(file: string, opts: OpenOptions = {}): DatabaseHandle {
  const sqlite = new BetterSqlite3(file, {
    readonly: opts.readonly ?? false,
    ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
  });
  if (!opts.readonly) sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');

  const onSlow =
    opts.onSlowQuery ??
    ((q: SlowQuery) => {
      process.stderr.write(`[db] slow query ${q.name}: ${q.ms.toFixed(1)} ms\n`);
    });

  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: sqlite }),
    log(event) {
      if (event.queryDurationMillis < SLOW_QUERY_MS) return;
      const op = queryNameStore.getStore();
      const name = op ? `${op} (${describeQuery(event)})` : describeQuery(event);
      onSlow({ name, ms: event.queryDurationMillis });
    },
  });

  return {
    db,
    sqlite,
    async close() {
      await db.destroy();
    },
  };
}

/** Brings the schema to the newest migration. Throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: migrationProvider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
