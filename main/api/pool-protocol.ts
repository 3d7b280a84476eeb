/**
 * The messages between the app pool (main/api/pool.ts, on the thread that serves requests) and its
 * workers (main/api/pool-worker.ts). Everything here crosses a `postMessage`, so it is plain data:
 * errors travel as envelopes or as `{ name, message }`, never as thrown objects.
 */
import type { ApiErrorBody, Envelope } from '../contract/envelope';
import type { Call } from './dispatch';

/** What a worker needs to open the data folder. The key material stays in memory (workerData), never on disk. */
export interface PoolWorkerData {
  index: number;
  dataDir: string;
  nativeBinding?: string;
  /** How keys.json is protected (`plain`, `passphrase`, `safeStorage`): the worker checks the file says the same. */
  keyKind: string;
  /** The master secret, already unwrapped by the main thread (a passphrase prompt or safeStorage works only there). */
  master: Uint8Array;
  /** The app's clock as an offset from the real one (0, or the test clock of `--test-now`). */
  clockOffsetMs: number;
  /** Only worker 0 runs the scheduled backups. */
  scheduleBackups: boolean;
  quiet: boolean;
}

export type PoolRequest =
  | { id: number; op: 'dispatch'; call: Call }
  | { id: number; op: 'admit'; method: string; token: string | null }
  | { id: number; op: 'issueSetupCode' }
  | { id: number; op: 'needsSetup' }
  | { id: number; op: 'close' };

export type PoolAdmission = { ok: true; maxBodyBytes: number } | { ok: false; error: ApiErrorBody };

export type PoolReply =
  | { type: 'ready' }
  | { type: 'init-failed'; name: string; message: string }
  /** Worker 0 runs (or ends) a scheduled backup check: while busy it gets no calls it need not take. */
  | { type: 'background'; busy: boolean }
  | { type: 'reply'; id: number; op: 'dispatch'; envelope: Envelope<unknown> }
  | { type: 'reply'; id: number; op: 'admit'; admission: PoolAdmission }
  | { type: 'reply'; id: number; op: 'issueSetupCode'; code: string }
  | { type: 'reply'; id: number; op: 'needsSetup'; needsSetup: boolean }
  | { type: 'reply'; id: number; op: 'close' }
  | { type: 'failed'; id: number; name: string; message: string };
