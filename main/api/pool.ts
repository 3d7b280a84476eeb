/**
 * The app off the thread that serves requests: a pool of worker threads, each with its own `openApp` on
 * the same data folder and the real dispatcher (main/api/pool-worker.ts). The pool is itself a
 * `Dispatcher`, so the browser host and Electron's main process only swap which object they pass.
 *
 * - SQLite in WAL mode lets the workers read in parallel; writes take turns on the write lock
 *   (`BEGIN IMMEDIATE` and the 5 s busy timeout), exactly as two processes on one folder always have.
 * - A call goes to the least busy worker. What lives in one worker's memory is reached through worker 0
 *   only ("sticky"): the first-run setup code (`auth.setup`) and the backup runtime with its busy flag and
 *   staged restores (`backup.*`), the import jobs and their progress (`imports.*`); the scheduled backups run
 *   there too, and nowhere else. See ARCHITECTURE.md.
 * - The key ring is opened once, here on the main thread (a passphrase prompt and Electron's safeStorage
 *   exist only here), and the unwrapped master secret reaches the workers in memory (workerData).
 * - A worker that dies is replaced; the calls it held are answered with an error envelope, never left hanging.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { build as EsbuildBuild } from 'esbuild';
import { ApiError, type Envelope } from '../contract/envelope';
import { deriveKeyRing, plainProtector, type KeyProtector } from '../lib/keystore';
import { createLogger } from '../lib/logger';
import { projectRoot } from '../lib/root';
import { openApp, type OpenAppOptions } from './app';
import type { Admission, Call, Dispatcher } from './dispatch';
import type { PoolReply, PoolRequest, PoolWorkerData } from './pool-protocol';

const log = createLogger('pool');

/**
 * Three workers: worker 0 may be busy with a scheduled backup (tens of seconds on a 1 GB file) and another with
 * a city-wide report while the third still answers at once. More buys little on a 2-4 core office PC: each
 * worker is a V8 isolate and a SQLite page cache of its own.
 */
export const DEFAULT_POOL_SIZE = 3;

export interface AppPoolOptions extends Pick<OpenAppOptions, 'dataDir' | 'nativeBinding' | 'keyProtector' | 'upgradeFrom' | 'scheduleBackups'> {
  /**
   * The app's clock. It must advance with real time (the real clock, or `clockStartingAt` for `--test-now`):
   * it reaches the workers as its offset from the real clock, measured once here, so every worker (and every
   * replacement) reads the same time.
   */
  now?: () => Date;
  /** Worker threads; 0 runs everything on the calling thread, as before the pool. Default DEFAULT_POOL_SIZE. */
  size?: number;
  /** Silences the workers' routine log lines (tests). */
  quiet?: boolean;
}

export interface PoolWorkerInfo {
  index: number;
  state: 'starting' | 'ready' | 'down' | 'closed';
  threadId: number | null;
  /** Calls sent to this worker and not yet answered (or waiting for it to be ready). */
  load: number;
  /** How many times this slot's worker was started. */
  starts: number;
}

export interface AppPool {
  dispatcher: Dispatcher;
  /** Worker threads (0: everything runs on this thread). */
  size: number;
  /** True while no user exists: the first-run screen will show. */
  needsSetup(): Promise<boolean>;
  /** Issues the browser host's one-time setup code, in the worker that answers `auth.setup`. */
  issueSetupCode(): Promise<string>;
  workers(): PoolWorkerInfo[];
  /** Resolves when every worker's first start has ended (worker 0 is ready when openAppPool resolves). */
  ready(): Promise<void>;
  /** Tests: ends worker `index` abruptly, as a crash would; it is replaced. */
  crashWorker(index: number): Promise<void>;
  close(): Promise<void>;
}

/** Methods whose state lives in one worker's memory: always worker 0. */
export function isStickyMethod(method: string): boolean {
  return method === 'auth.setup' || method.startsWith('backup.') || method.startsWith('imports.');
}

const CRASHED_MESSAGE = '系統處理此操作時意外中止，請重新整理畫面確認結果後再試一次。';
const CRASHED: Envelope<never> = { ok: false, error: { code: 'INTERNAL', message: CRASHED_MESSAGE } };

const CLOSED: Envelope<never> = { ok: false, error: { code: 'INTERNAL', message: '系統正在關閉，請稍後再試。' } };

/** The app's clock as a whole-millisecond offset from the real one (read when the real clock did not tick in between). */
function clockOffset(now: (() => Date) | undefined): number {
  if (!now) return 0;
  for (let i = 0; i < 10; i++) {
    const before = Date.now();
    const at = now().getTime();
    if (Date.now() === before) return at - before;
  }
  return now().getTime() - Date.now();
}

/** Modules the bundles leave in node_modules (as scripts/build.mjs does). */
const EXTERNAL = ['better-sqlite3-multiple-ciphers', 'electron', 'exceljs', 'xlsx', 'playwright-core'];
let devBundle: Promise<URL> | null = null;

/**
 * From source (vitest, tsx) the worker is bundled once per process with esbuild, as scripts/build.mjs bundles
 * it for the host and Electron: a TypeScript loader in every worker compiles each module again (10-20 s per worker
 * on a busy 2-core machine). Written under dist/dev/ (by content hash, so parallel test files share it) for
 * node_modules to resolve from there.
 */
function devWorkerScript(here: string): Promise<URL> {
  devBundle ??= (async () => {
    const esbuildName = 'esbuild'; // a dev dependency: kept out of the bundles
    const esbuild = (await import(esbuildName)) as { build: typeof EsbuildBuild };
    const out = await esbuild.build({
      entryPoints: [fileURLToPath(new URL('./pool-worker.ts', here))],
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      external: EXTERNAL,
      write: false,
      logLevel: 'warning',
      banner: { js: "import { createRequire as __wdCreateRequire } from 'node:module';\nconst require = __wdCreateRequire(import.meta.url);" },
    });
    const code = out.outputFiles[0]?.contents;
    if (!code) throw new Error('esbuild produced no worker bundle');
    const dir = join(projectRoot(here), 'dist', 'dev');
    const file = join(dir, `pool-worker-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`);
    if (!existsSync(file)) {
      mkdirSync(dir, { recursive: true });
      const tmp = `${file}.${process.pid}-${randomBytes(4).toString('hex')}`;
      writeFileSync(tmp, code);
      renameSync(tmp, file);
    }
    return pathToFileURL(file);
  })();
  return devBundle;
}

/** The worker's script: next to this module's bundle (dist/host/, dist/main/electron/), or bundled from source. */
async function workerScript(): Promise<URL> {
  const here = import.meta.url;
  return here.endsWith('.ts') ? devWorkerScript(here) : new URL('./pool-worker.mjs', here);
}

interface Pending {
  resolve(reply: PoolReply): void;
  reject(err: Error): void;
}

class Slot {
  worker: Worker | null = null;
  state: PoolWorkerInfo['state'] = 'starting';
  starts = 0;
  /** Consecutive starts that never became ready: the next one waits longer. */
  failedStarts = 0;
  waiting = 0;
  /** Busy with work of its own (worker 0's scheduled backup): counts as much load as a long call. */
  background = false;
  readonly inflight = new Map<number, Pending>();
  ready: Promise<void> = Promise.resolve();
  lastStartError: Error | null = null;
  constructor(readonly index: number) {}
  get load(): number {
    return this.inflight.size + this.waiting + (this.background ? 1 : 0);
  }
}

/** Opens the app on `size` worker threads (or, with size 0, on this thread). */
export async function openAppPool(opts: AppPoolOptions): Promise<AppPool> {
  const size = opts.size ?? DEFAULT_POOL_SIZE;
  if (!Number.isInteger(size) || size < 0) throw new Error(`pool size must be a whole number ≥ 0 (got ${size})`);
  if (size === 0) return inProcess(opts);

  // 1. Open the folder once here, as the app always has: the key ring (prompted or from safeStorage, moved to the
  // preferred protection), the conversion of a plain database, migrations, the audit seal. Errors keep their
  // names and zh-TW messages. The master secret is captured on its way through the protector.
  let master: Buffer | null = null;
  const capture = (p: KeyProtector): KeyProtector => ({
    kind: p.kind,
    wrap(secret) {
      master = Buffer.from(secret);
      return p.wrap(secret);
    },
    unwrap(wrapped) {
      const secret = p.unwrap(wrapped);
      master = Buffer.from(secret);
      return secret;
    },
  });
  const preferred = opts.keyProtector ?? plainProtector;
  const first = await openApp({
    dataDir: opts.dataDir,
    ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
    keyProtector: capture(preferred),
    upgradeFrom: (opts.upgradeFrom ?? []).map(capture),
    ...(opts.now ? { now: opts.now } : {}),
    scheduleBackups: false,
  });
  const expectedDbKey = first.keyRing.dbKey;
  await first.close();
  const secret = master as Buffer | null;
  if (!secret || !deriveKeyRing(secret).dbKey.equals(expectedDbKey)) throw new Error('unreachable: the key ring was opened without its master secret');

  const clockOffsetMs = clockOffset(opts.now);
  const script = await workerScript();
  const slots = Array.from({ length: size }, (_, i) => new Slot(i));
  let nextId = 0;
  let closing = false;

  function spawn(slot: Slot): void {
    slot.starts++;
    slot.state = 'starting';
    const data: PoolWorkerData = {
      index: slot.index,
      dataDir: opts.dataDir,
      ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
      keyKind: preferred.kind,
      master: new Uint8Array(secret as Buffer),
      clockOffsetMs,
      scheduleBackups: slot.index === 0 && opts.scheduleBackups === true,
      quiet: opts.quiet === true,
    };
    const worker = new Worker(script, { workerData: data });
    slot.worker = worker;
    let markReady!: () => void;
    let failStart!: (err: Error) => void;
    slot.ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failStart = reject;
    });
    slot.ready.catch(() => {}); // observed by whoever waits on it; never an unhandled rejection

    worker.on('message', (m: PoolReply) => {
      if (m.type === 'ready') {
        slot.state = 'ready';
        slot.failedStarts = 0;
        slot.lastStartError = null;
        markReady();
        return;
      }
      if (m.type === 'background') {
        slot.background = m.busy;
        return;
      }
      if (m.type === 'init-failed') {
        slot.lastStartError = Object.assign(new Error(m.message), { name: m.name });
        return; // the worker ends itself; 'exit' follows
      }
      const pending = slot.inflight.get(m.id);
      if (!pending) return;
      slot.inflight.delete(m.id);
      if (m.type === 'failed') pending.reject(Object.assign(new Error(m.message), { name: m.name }));
      else pending.resolve(m);
    });
    worker.on('error', (err) => log.error(`worker ${slot.index} failed`, err));
    worker.on('exit', (code) => {
      if (slot.worker !== worker) return;
      slot.worker = null;
      slot.background = false;
      const wasReady = slot.state === 'ready';
      const err = new Error(`worker ${slot.index} exited with code ${code}`);
      for (const p of slot.inflight.values()) p.reject(err);
      slot.inflight.clear();
      if (!wasReady) {
        slot.lastStartError ??= err;
        failStart(slot.lastStartError);
      }
      if (closing) {
        slot.state = 'closed';
        return;
      }
      slot.state = 'down';
      if (wasReady) {
        log.warn(`worker ${slot.index} stopped unexpectedly (code ${code}); starting a new one`);
        spawn(slot);
      } else {
        // Failing at start (a locked or damaged file?): calls get an error at once until the next try.
        slot.failedStarts++;
        const delay = Math.min(5_000, 250 * 2 ** (slot.failedStarts - 1));
        log.warn(`worker ${slot.index} could not start (${slot.lastStartError?.name ?? 'error'}); trying again in ${delay} ms`);
        setTimeout(() => {
          if (!closing && slot.state === 'down') spawn(slot);
        }, delay).unref();
      }
    });
  }

  /** Waits until the slot's worker is ready (through replacements), or throws when it could not start. */
  async function whenReady(slot: Slot): Promise<Worker> {
    for (;;) {
      if (closing) throw new Error('pool closing');
      if (slot.state === 'ready' && slot.worker) return slot.worker;
      if (slot.state === 'down') throw slot.lastStartError ?? new Error(`worker ${slot.index} is down`);
      await slot.ready;
    }
  }

  type Op<R extends PoolRequest> = R extends unknown ? Omit<R, 'id'> : never;
  async function send(slot: Slot, req: Op<PoolRequest>): Promise<PoolReply> {
    slot.waiting++;
    let worker: Worker;
    try {
      worker = await whenReady(slot);
    } finally {
      slot.waiting--;
    }
    const id = ++nextId;
    return new Promise<PoolReply>((resolve, reject) => {
      slot.inflight.set(id, { resolve, reject });
      try {
        worker.postMessage({ ...req, id });
      } catch (err) {
        slot.inflight.delete(id);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  /** The least busy live worker; on a tie the highest index, which keeps worker 0 free for its sticky calls. */
  function pick(method: string | null): Slot {
    const primary = slots[0] as Slot;
    if (method !== null && isStickyMethod(method)) return primary;
    const live = slots.filter((s) => s.state === 'ready');
    const pool = live.length > 0 ? live : slots.filter((s) => s.state === 'starting');
    let best: Slot = pool[0] ?? primary;
    for (const s of pool) if (s.load <= best.load) best = s;
    return best;
  }

  // Worker 0 first (the setup code and the backups live there, and the host asks for them at once); the others
  // start when it is ready, so a busy machine is not asked to load every worker at the same moment. Calls go to
  // the workers that are ready.
  const primary = slots[0] as Slot;
  spawn(primary);
  try {
    await primary.ready;
  } catch (err) {
    closing = true;
    await primary.worker?.terminate();
    throw err;
  }
  for (const slot of slots.slice(1)) spawn(slot);
  const allReady = Promise.all(slots.map((s) => s.ready.catch(() => undefined))).then(() => {
    log.info(`${slots.filter((s) => s.state === 'ready').length} of ${size} workers ready`);
  });

  const dispatcher: Dispatcher = {
    async dispatch(call: Call): Promise<Envelope<unknown>> {
      if (closing) return CLOSED;
      const method = typeof call.method === 'string' ? call.method : null;
      const plain: Call = { method: call.method, payload: call.payload, token: call.token, transport: call.transport, ...(call.source === undefined ? {} : { source: call.source }) };
      try {
        const reply = await send(pick(method), { op: 'dispatch', call: plain });
        return reply.type === 'reply' && reply.op === 'dispatch' ? reply.envelope : CRASHED;
      } catch (err) {
        if (closing) return CLOSED;
        log.error(`method ${String(method)} got no answer from its worker`, err instanceof Error ? { name: err.name, message: err.message.slice(0, 200) } : undefined);
        return CRASHED;
      }
    },
    async admit(method: string, token: string | null): Promise<Admission> {
      try {
        const reply = await send(pick(null), { op: 'admit', method, token });
        if (reply.type === 'reply' && reply.op === 'admit') {
          const a = reply.admission;
          return a.ok ? a : { ok: false, error: new ApiError(a.error.code, a.error.message, { ...(a.error.fields ? { fields: a.error.fields } : {}), ...(a.error.details ? { details: a.error.details } : {}) }) };
        }
      } catch {
        // answered below
      }
      return { ok: false, error: new ApiError('INTERNAL', CRASHED_MESSAGE) };
    },
  };

  async function onPrimary<T>(req: Op<PoolRequest>, read: (r: PoolReply) => T | undefined): Promise<T> {
    const reply = await send(slots[0] as Slot, req);
    const value = read(reply);
    if (value === undefined) throw new Error(`unexpected reply to ${req.op}`);
    return value;
  }

  return {
    dispatcher,
    size,
    needsSetup: () => onPrimary({ op: 'needsSetup' }, (r) => (r.type === 'reply' && r.op === 'needsSetup' ? r.needsSetup : undefined)),
    issueSetupCode: () => onPrimary({ op: 'issueSetupCode' }, (r) => (r.type === 'reply' && r.op === 'issueSetupCode' ? r.code : undefined)),
    ready: () => allReady,
    workers: () => slots.map((s) => ({ index: s.index, state: s.state, threadId: s.worker?.threadId ?? null, load: s.load, starts: s.starts })),
    async crashWorker(index) {
      const slot = slots[index];
      if (!slot?.worker) throw new Error(`no worker ${index}`);
      await slot.worker.terminate();
    },
    async close() {
      if (closing) return;
      closing = true;
      await Promise.all(
        slots.map(async (slot) => {
          const worker = slot.worker;
          if (!worker) return;
          const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
          if (slot.state === 'ready') {
            // Calls in flight finish first (the worker answers them before it reads 'close'); then the audit checkpoint
            // is flushed and the database closed. A worker that does not finish in time is stopped.
            const id = ++nextId;
            const closed = new Promise<void>((resolve) => slot.inflight.set(id, { resolve: () => resolve(), reject: () => resolve() }));
            worker.postMessage({ op: 'close', id } satisfies PoolRequest);
            await Promise.race([Promise.all([closed, exited]), new Promise((r) => setTimeout(r, 10_000).unref())]);
          }
          if (slot.worker) await worker.terminate();
          await exited;
        }),
      );
    },
  };
}

/** size 0: the app on this thread, behind the same interface (the pool's fallback and the benchmark's baseline). */
async function inProcess(opts: AppPoolOptions): Promise<AppPool> {
  const app = await openApp({
    dataDir: opts.dataDir,
    ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}),
    ...(opts.keyProtector ? { keyProtector: opts.keyProtector } : {}),
    ...(opts.upgradeFrom ? { upgradeFrom: opts.upgradeFrom } : {}),
    ...(opts.now ? { now: opts.now } : {}),
    scheduleBackups: opts.scheduleBackups === true,
  });
  return {
    dispatcher: app.dispatcher,
    size: 0,
    needsSetup: () => app.needsSetup(),
    issueSetupCode: () => Promise.resolve(app.ctx.setupGate.issue()),
    workers: () => [],
    ready: () => Promise.resolve(),
    crashWorker: () => Promise.reject(new Error('no workers: the app runs on this thread')),
    close: () => app.close(),
  };
}
