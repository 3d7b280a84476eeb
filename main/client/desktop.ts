/**
 * Everything the desktop main process decides about where contract calls go, without electron, so it
 * is tested on Node. main/electron/main.ts only checks the IPC sender and hands calls over.
 *
 * - connection.json says `local`: the local App (SQLite in the user-data folder) answers, as before.
 * - It says `server`: calls go to the center server through the pinned remote dispatcher; the local
 *   database is never opened.
 * - No file: nothing answers until the first-run screen records a choice; except on a PC that already
 *   has a local database (an app from before the center server): it stays local, without asking.
 *
 * Either way the session token stays here, per window, and never reaches the renderer.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DB_FILE_NAME } from '../../db/connection';
import type { Call } from '../api/dispatch';
import {
  CONNECTION_MESSAGES,
  CONNECTION_OPERATIONS,
  confirmInputSchema,
  normalizeFingerprint,
  parseServerUrl,
  probeInputSchema,
  type ConnectionConfig,
  type ConnectionState,
} from '../contract/connection';
import type { ApiErrorBody, Envelope } from '../contract/envelope';
import { createLogger } from '../lib/logger';
import { readConnectionConfig, removeConnectionConfig, writeConnectionConfig } from './connection-config';
import { ConnectionError, createRemoteDispatcher, probeServer, ServerUrlError, type RemoteDispatcher, type RemoteOptions } from './remote';

const log = createLogger('desktop');

/** What the desktop needs of the local App (main/api/app.ts). */
export interface LocalApp {
  dispatcher: { dispatch(call: Call): Promise<Envelope<unknown>> };
  close(): Promise<void>;
}

export interface DesktopBackendOptions {
  dataDir: string;
  /** Opens the local App on dataDir (Electron passes its native binding and key protection). */
  openLocal: () => Promise<LocalApp>;
  now?: () => Date;
  /** Timeouts and retries of the remote dispatcher (tests shorten them). */
  remote?: Omit<RemoteOptions, 'url' | 'fingerprint'>;
  probeTimeoutMs?: number;
}

export interface DesktopBackend {
  /** Reads connection.json and opens what it names. Errors opening the local App propagate (the caller shows them). */
  start(): Promise<ConnectionState>;
  state(): ConnectionState;
  /** A contract call from window `windowId` (already checked to be the app's own window). */
  api(windowId: number, method: unknown, payload: unknown, requestId?: string | null): Promise<Envelope<unknown>>;
  /** The connection-setup channel: `state`, `probe`, `confirm`, `reset`. */
  connection(operation: unknown, input?: unknown): Promise<Envelope<unknown>>;
  forgetWindow(windowId: number): void;
  close(): Promise<void>;
}

const fail = (error: ApiErrorBody): Envelope<never> => ({ ok: false, error });
const rule = (message: string): Envelope<never> => fail({ code: 'RULE', message });

/** Key and conversion errors of openApp carry a zh-TW message meant for the user. */
const USER_FACING_ERRORS = ['KeyRingError', 'DatabaseKeyError', 'ConversionError'];

export function createDesktopBackend(opts: DesktopBackendOptions): DesktopBackend {
  const now = opts.now ?? (() => new Date());
  let config: ConnectionConfig | null = null;
  let local: LocalApp | null = null;
  let remote: RemoteDispatcher | null = null;
  let certificateChanged = false;
  const tokens = new Map<number, string>();

  function state(): ConnectionState {
    if (!config) return { mode: 'unconfigured' };
    if (config.mode === 'local') return { mode: 'local' };
    return { mode: 'server', url: config.url, fingerprint: config.fingerprint, pinnedAt: config.pinnedAt, problem: certificateChanged ? 'certificate-changed' : null };
  }

  async function activate(next: ConnectionConfig): Promise<void> {
    config = next;
    certificateChanged = false;
    if (next.mode === 'local') {
      local = await opts.openLocal();
    } else {
      remote = createRemoteDispatcher({ ...opts.remote, url: next.url, fingerprint: next.fingerprint });
    }
  }

  async function deactivate(): Promise<void> {
    tokens.clear();
    remote?.close();
    remote = null;
    const app = local;
    local = null;
    await app?.close();
  }

  async function dispatch(method: string, payload: unknown, token: string | null, requestId: string | null): Promise<Envelope<unknown>> {
    if (remote) {
      if (certificateChanged) return fail(new ConnectionError('certificate-changed', CONNECTION_MESSAGES.certificateChanged).toBody());
      const envelope = await remote.dispatch({ method, payload, token, ...(requestId ? { requestId } : {}) });
      if (!envelope.ok && envelope.error.details?.connection === 'certificate-changed') {
        // Sticky until the user resets the connection: no further attempt reaches the changed server.
        certificateChanged = true;
        log.warn('the center server presented a certificate other than the pinned one; calls refused until the connection is set up again');
      }
      return envelope;
    }
    if (local) return local.dispatcher.dispatch({ method, payload, token, transport: 'ipc', requestId });
    return fail({ code: 'INTERNAL', message: CONNECTION_MESSAGES.notConfigured, details: { connection: 'unconfigured' } });
  }

  async function probe(input: unknown): Promise<Envelope<unknown>> {
    const parsed = probeInputSchema.safeParse(input);
    if (!parsed.success) return fail({ code: 'VALIDATION', message: CONNECTION_MESSAGES.urlInvalid, fields: { url: CONNECTION_MESSAGES.urlInvalid } });
    const url = parseServerUrl(parsed.data.url);
    if (!url.ok) return fail({ code: 'VALIDATION', message: url.message, fields: { url: url.message } });
    try {
      return { ok: true, value: await probeServer(url.url, { timeoutMs: opts.probeTimeoutMs ?? 10_000 }) };
    } catch (err) {
      if (err instanceof ServerUrlError) return fail({ code: 'VALIDATION', message: err.message, fields: { url: err.message } });
      if (err instanceof ConnectionError) return fail(err.toBody());
      throw err;
    }
  }

  async function confirm(input: unknown): Promise<Envelope<unknown>> {
    // Only a PC that has not chosen may choose: a page script cannot move a configured PC to another server.
    if (config) return rule('這台電腦已設定使用方式；如需變更，請洽系統管理者。');
    const parsed = confirmInputSchema.safeParse(input);
    if (!parsed.success) return fail({ code: 'VALIDATION', message: '連線設定資料不正確，請重新操作。' });
    if (parsed.data.mode === 'local') {
      const chosen = writeConnectionConfig(opts.dataDir, { mode: 'local' });
      try {
        await activate(chosen);
      } catch (err) {
        log.error('opening the local data failed', err);
        if (err instanceof Error && USER_FACING_ERRORS.includes(err.name)) return fail({ code: 'INTERNAL', message: err.message });
        return fail({ code: 'INTERNAL', message: '無法開啟本機資料，請重新啟動程式；若持續發生，請洽系統管理者。' });
      }
      return { ok: true, value: state() };
    }
    const url = parseServerUrl(parsed.data.url);
    if (!url.ok) return fail({ code: 'VALIDATION', message: url.message, fields: { url: url.message } });
    const confirmed = normalizeFingerprint(parsed.data.fingerprint);
    if (!confirmed) return fail({ code: 'VALIDATION', message: '憑證指紋格式不正確，請重新檢查。' });
    // Check again now: what is pinned is what the server presents at this moment and what the user compared.
    const seen = await probe({ url: url.url });
    if (!seen.ok) return seen;
    const presented = (seen.value as { fingerprint: string }).fingerprint;
    if (presented !== confirmed) {
      return rule('伺服器出示的憑證與剛才顯示的不同，請按「檢查」重新取得憑證指紋，並再次與系統管理者核對。');
    }
    const chosen = writeConnectionConfig(opts.dataDir, { mode: 'server', url: url.url, fingerprint: confirmed, pinnedAt: now().toISOString() });
    await activate(chosen);
    log.info(`connected to the center server ${url.url}`);
    return { ok: true, value: state() };
  }

  async function reset(): Promise<Envelope<unknown>> {
    // Only a server whose certificate changed can be forgotten from the screen; anything else is the administrator's.
    if (config?.mode !== 'server' || !certificateChanged) return rule('目前的連線設定不能在這裡變更；如需變更，請洽系統管理者。');
    await deactivate();
    removeConnectionConfig(opts.dataDir);
    config = null;
    certificateChanged = false;
    return { ok: true, value: state() };
  }

  return {
    async start() {
      let stored = readConnectionConfig(opts.dataDir, now);
      if (!stored && existsSync(join(opts.dataDir, DB_FILE_NAME))) {
        // Upgraded from the single-PC app: its data is here, so it keeps working as before.
        stored = writeConnectionConfig(opts.dataDir, { mode: 'local' });
        log.info('a local database exists and no connection was chosen: staying local');
      }
      if (stored) await activate(stored);
      return state();
    },
    state,
    async api(windowId, method, payload, requestId = null) {
      const name = String(method);
      const token = tokens.get(windowId) ?? null;
      const envelope = await dispatch(name, payload, token, requestId);
      // Sign-in, setup and unlock hand back a session: keep its token here, bound to this
      // window, and never give it to the renderer.
      if (envelope.ok && envelope.value && typeof envelope.value === 'object' && 'token' in envelope.value) {
        const view = envelope.value as { token: string | null };
        if (view.token) tokens.set(windowId, view.token);
        return { ok: true, value: { ...view, token: null } };
      }
      if (envelope.ok && name === 'auth.logout') tokens.delete(windowId);
      return envelope;
    },
    async connection(operation, input) {
      if (typeof operation !== 'string' || !(CONNECTION_OPERATIONS as readonly string[]).includes(operation)) {
        return fail({ code: 'UNKNOWN_METHOD', message: '無此操作，請更新程式後再試。' });
      }
      try {
        if (operation === 'state') return { ok: true, value: state() };
        if (operation === 'probe') {
          if (config && !certificateChanged) return rule('這台電腦已設定使用方式；如需變更，請洽系統管理者。');
          return await probe(input);
        }
        if (operation === 'confirm') return await confirm(input);
        return await reset();
      } catch (err) {
        log.error(`connection ${operation} failed`, err);
        return fail({ code: 'INTERNAL', message: '連線設定時發生錯誤，請稍後再試；若持續發生，請洽系統管理者。' });
      }
    },
    forgetWindow(windowId) {
      tokens.delete(windowId);
    },
    async close() {
      await deactivate();
    },
  };
}
