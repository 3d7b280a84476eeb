/**
 * One worker of the app pool (main/api/pool.ts): opens the data folder with `openApp`, as the app
 * always has, and runs the real dispatcher on its own thread, so a 1.5 s cross-tab blocks this
 * thread and not the one that serves requests (or Electron's window).
 *
 * The key ring comes unwrapped from the main thread (workerData, in memory): a passphrase prompt or
 * Electron's safeStorage is only available there, and nobody is asked again per worker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { KeyProtector } from '../lib/keystore';
import { createLogger, setQuiet } from '../lib/logger';
import { openApp, type App } from './app';
import { onRunningJobs } from '../services/imports/jobs';
import type { PoolReply, PoolRequest, PoolWorkerData } from './pool-protocol';

const data = workerData as PoolWorkerData;
const port = parentPort;
if (!port) throw new Error('pool-worker.ts runs only as a worker thread');
setQuiet(data.quiet);
const log = createLogger(`worker ${data.index}`);

/** Opens keys.json with the master secret the main thread already unwrapped; never writes keys.json. */
function keyInMemory(kind: string, master: Buffer): KeyProtector {
  return {
    kind,
    wrap() {
      throw new Error('a pool worker never rewrites keys.json: the main thread opened it first');
    },
    unwrap: () => Buffer.from(master),
  };
}

function post(reply: PoolReply): void {
  try {
    port!.postMessage(reply);
  } catch (err) {
    // A value that cannot be cloned (a handler returning a function, say): answer, never leave the call hanging.
    if (reply.type === 'reply' && reply.op === 'dispatch') {
      log.error(`result of ${reply.id} could not be sent`, err);
      port!.postMessage({ type: 'failed', id: reply.id, name: 'DataCloneError', message: 'result not transferable' } satisfies PoolReply);
    } else throw err;
  }
}

async function handle(app: App, req: PoolRequest): Promise<void> {
  try {
    switch (req.op) {
      case 'dispatch':
        post({ type: 'reply', id: req.id, op: 'dispatch', envelope: await app.dispatcher.dispatch(req.call) });
        return;
      case 'admit': {
        const a = await app.dispatcher.admit(req.method, req.token);
        post({ type: 'reply', id: req.id, op: 'admit', admission: a.ok ? a : { ok: false, error: a.error.toBody() } });
        return;
      }
      case 'issueSetupCode':
        post({ type: 'reply', id: req.id, op: 'issueSetupCode', code: app.ctx.setupGate.issue() });
        return;
      case 'needsSetup':
        post({ type: 'reply', id: req.id, op: 'needsSetup', needsSetup: await app.needsSetup() });
        return;
      case 'close':
        // Flushes the audit checkpoint and closes the database before the thread ends.
        await app.close();
        post({ type: 'reply', id: req.id, op: 'close' });
        port!.close();
        return;
    }
  } catch (err) {
    // The dispatcher already turns every error into an envelope; this is the pool's own plumbing failing.
    const e = err instanceof Error ? err : new Error(String(err));
    post({ type: 'failed', id: req.id, name: e.name, message: e.message.slice(0, 200) });
  }
}

async function main(): Promise<void> {
  let app: App;
  try {
    const offset = data.clockOffsetMs;
    app = await openApp({
      dataDir: data.dataDir,
      ...(data.nativeBinding ? { nativeBinding: data.nativeBinding } : {}),
      keyProtector: keyInMemory(data.keyKind, Buffer.from(data.master)),
      ...(offset !== 0 ? { now: () => new Date(Date.now() + offset) } : {}),
      // The scheduled backups are ticked below instead of by openApp's own timer, so the pool hears when this
      // worker is busy with one (minutes on a 1 GB file) and sends other calls elsewhere.
      scheduleBackups: false,
    });
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    post({ type: 'init-failed', name: e.name, message: e.message });
    port!.close();
    return;
  }
  const inflight = new Set<Promise<void>>();
  port!.on('message', (req: PoolRequest) => {
    if (req.op === 'close') {
      // The calls already here are answered before the database closes.
      void Promise.allSettled([...inflight]).then(() => handle(app, req));
      return;
    }
    const done = handle(app, req);
    inflight.add(done);
    void done.finally(() => inflight.delete(done));
  });
  post({ type: 'ready' });
  // Busy with work of its own while a scheduled backup or an import job runs: the pool sends other calls elsewhere.
  const busy = { backup: false, imports: false };
  const postBusy = () => post({ type: 'background', busy: busy.backup || busy.imports });
  onRunningJobs((n) => {
    busy.imports = n > 0;
    postBusy();
  });
  if (data.scheduleBackups) {
    // The scheduler's own cadence (services/backup/scheduler.ts): first look after 2 minutes, then every 15.
    const look = (ms: number) =>
      setTimeout(() => {
        busy.backup = true;
        postBusy();
        void app.backupScheduler
          .tick()
          .catch(() => log.warn('backup check failed'))
          .finally(() => {
            busy.backup = false;
            postBusy();
            look(15 * 60_000);
          });
      }, ms).unref();
    look(2 * 60_000);
  }
}

void main();
