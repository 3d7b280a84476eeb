/**
 * Import jobs: a dry run or a commit runs in this process after its call has answered with a job id, and
 * `imports.progress` / `imports.cancel` reach it here. Jobs live in this process's memory (the app pool routes
 * every `imports.*` call to worker 0, see main/api/pool.ts), are visible to the user who started them only,
 * and are forgotten an hour after they end. A job yields to the event loop between chunks of rows
 * (`tick`), so progress and cancel calls are answered while it runs; `tick` throws ImportCancelled once the
 * user cancelled, which rolls back the transaction it runs in.
 */
import { randomUUID } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3-multiple-ciphers';
import { Kysely, SqliteDialect } from 'kysely';
import type { ImportJobPhase, ImportJobProgress, ImportJobState } from '../../contract/methods/imports';
import { ApiError } from '../../contract/envelope';
import { openSecondConnection } from '../../../db/connection';
import { engineOf } from '../../../db/engine';
import type { Database } from '../../../db/schema';
import { createLogger } from '../../lib/logger';

const log = createLogger('imports');

/** Rows between two yields to the event loop. */
export const CHUNK_ROWS = 500;
const KEEP_ENDED_MS = 3_600_000;

export const PHASE_LABELS: Record<ImportJobPhase, string> = {
  read: '讀取檔案',
  parse: '檢查各列',
  classify: '比對資料庫',
  save: '儲存試匯入結果',
  commit: '寫入資料',
  done: '完成',
};

export class ImportCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'ImportCancelled';
  }
}

export interface Job {
  id: string;
  job: 'dryrun' | 'commit';
  userId: number;
  phase: ImportJobPhase;
  done: number;
  total: number;
  state: ImportJobState;
  batchId: number | null;
  error: string | null;
  cancelRequested: boolean;
  endedAt: number | null;
  /** Resolves when the job has ended (tests, shutdown). */
  ended: Promise<void>;
}

const jobs = new Map<string, Job>();
let running = 0;
const runningListeners = new Set<(running: number) => void>();

/** Tells `fn` how many jobs run in this process each time a job starts or ends (the pool worker's busy flag). */
export function onRunningJobs(fn: (running: number) => void): () => void {
  runningListeners.add(fn);
  return () => runningListeners.delete(fn);
}

function setRunning(delta: number): void {
  running += delta;
  for (const fn of runningListeners) fn(running);
}

function prune(): void {
  const now = Date.now();
  for (const [id, j] of jobs) if (j.endedAt !== null && now - j.endedAt > KEEP_ENDED_MS) jobs.delete(id);
}

/** Lets progress and cancel calls in; throws when the user cancelled. */
export async function tick(job: Job, done?: number): Promise<void> {
  if (done !== undefined) job.done = done;
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (job.cancelRequested) throw new ImportCancelled();
}

export function setPhase(job: Job, phase: ImportJobPhase, total: number): void {
  job.phase = phase;
  job.total = total;
  job.done = 0;
}

/**
 * Starts `run` as a job of `userId`; `run` returns the batch id. A thrown ApiError's message is the job's
 * error (zh-TW); ImportCancelled ends it as cancelled; anything else as failed with a generic message.
 */
export function startJob(kind: Job['job'], userId: number, batchId: number | null, run: (job: Job) => Promise<number>): Job {
  prune();
  let markEnded!: () => void;
  const job: Job = {
    id: randomUUID(),
    job: kind,
    userId,
    phase: 'read',
    done: 0,
    total: 0,
    state: 'running',
    batchId,
    error: null,
    cancelRequested: false,
    endedAt: null,
    ended: new Promise<void>((r) => (markEnded = r)),
  };
  jobs.set(job.id, job);
  setRunning(1);
  // Started on the next turn: the call that starts it answers first.
  setImmediate(() => {
    run(job)
      .then((id) => {
        job.batchId = id;
        job.phase = 'done';
        job.done = job.total;
        job.state = 'done';
      })
      .catch((err: unknown) => {
        if (err instanceof ImportCancelled) {
          job.state = 'cancelled';
          job.error = job.job === 'commit' ? '已取消匯入，沒有寫入任何資料。' : '已取消試匯入。';
        } else if (err instanceof ApiError) {
          job.state = 'failed';
          job.error = err.message;
        } else {
          job.state = 'failed';
          job.error = job.job === 'commit' ? '匯入時發生錯誤，沒有寫入任何資料；請稍後再試或洽管理者。' : '試匯入時發生錯誤，請確認檔案後再試；若持續發生，請洽管理者。';
          log.error(`import ${job.job} failed`, err instanceof Error ? { name: err.name, message: err.message.slice(0, 200) } : undefined);
        }
      })
      .finally(() => {
        job.endedAt = Date.now();
        setRunning(-1);
        markEnded();
      });
  });
  return job;
}

export function findJob(jobId: string, userId: number): Job {
  const job = jobs.get(jobId);
  if (!job || job.userId !== userId) throw new ApiError('NOT_FOUND', '找不到這項匯入作業（可能已結束超過一小時，或系統已重新啟動）；請到匯入紀錄查看結果。');
  return job;
}

/** The running job of a batch, if any (a second commit of the same batch is refused while one runs). */
export function runningJobOf(batchId: number): Job | null {
  for (const j of jobs.values()) if (j.batchId === batchId && j.state === 'running') return j;
  return null;
}

export function cancelJob(job: Job): void {
  if (job.state === 'running') job.cancelRequested = true;
}

export function progressOf(job: Job): ImportJobProgress {
  return {
    jobId: job.id,
    job: job.job,
    phase: job.phase,
    phaseLabel: PHASE_LABELS[job.phase],
    done: job.done,
    total: job.total,
    state: job.state,
    batchId: job.batchId,
    error: job.error,
  };
}

/**
 * The handle a job works on. SQLite: a second connection on the same file (same key, same plugins, so the
 * audit seal signs its rows): Kysely's SQLite driver runs one statement at a time per handle, and a job's
 * long write transaction on the app's own handle would hold every other call of this process (the session
 * check of `imports.progress` included) until it ends. PostgreSQL: the app's pool as it is.
 *
 * `locked(fn)` runs the job's write transaction. Meanwhile the app's own connection (`mainSqlite`, same thread)
 * gets busy_timeout 0: a write of another call of this thread would otherwise sleep on the job's lock
 * synchronously, stopping the very thread that has to finish the job, for the whole 5 s timeout; now it is
 * refused at once (CONFLICT, nothing written) and the job goes on. Other processes and workers wait as usual.
 */
let writeTurn: Promise<void> = Promise.resolve();

export function jobDatabase(db: Kysely<Database>, mainSqlite: BetterSqlite3.Database | null): { db: Kysely<Database>; close(): Promise<void>; locked<T>(fn: () => Promise<T>): Promise<T> } {
  if (engineOf(db) === 'sqlite') {
    try {
      const raw = openSecondConnection(db);
      const second = new Kysely<Database>({ dialect: new SqliteDialect({ database: raw }), plugins: [...db.getExecutor().plugins] });
      return {
        db: second,
        close: () => second.destroy(),
        locked(fn) {
          // One job's write transaction at a time in this process: a second one would sleep on the first's lock
          // on this very thread.
          const run = writeTurn.then(async () => {
            const before = mainSqlite?.open ? Number(mainSqlite.pragma('busy_timeout', { simple: true })) : null;
            if (before !== null) mainSqlite?.pragma('busy_timeout = 0');
            try {
              return await fn();
            } finally {
              if (before !== null && mainSqlite?.open) mainSqlite.pragma(`busy_timeout = ${before}`);
            }
          });
          writeTurn = run.then(
            () => undefined,
            () => undefined,
          );
          return run;
        },
      };
    } catch {
      // Not opened by openDatabase (no file to open again): work on the handle itself.
    }
  }
  return { db, close: () => Promise.resolve(), locked: (fn) => fn() };
}
