import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { api, type MethodName } from '../contract/api';
import { DEFAULT_MAX_BYTES, type Access } from '../contract/define';
import { ApiError, type Envelope } from '../contract/envelope';
import { ROLE_LABELS } from '../contract/roles';
import { fieldLabel } from '../contract/field-labels';
import { zhTWErrorMap } from '../contract/zod-zh';
import { createLogger } from '../lib/logger';
import { withQueryName } from '../../db/connection';
import { writeTransaction } from '../../db/tx';
import { appendAudit, recordAudit } from '../services/audit/log';
import { MIN_IDLE_LOCK_MINUTES } from '../contract/methods/settings';
import { readSettings } from '../services/settings/service';
import type { AppContext, Transport } from '../services/context';
import type { Session } from '../services/auth/sessions';
import { scopeOf, type Scope } from '../services/access/scope';
import { newCallHooks, withCallHooks, type CallHooks } from '../services/call-hooks';
import type { Database } from '../../db/schema';
import { ReadOnlyPlugin } from './read-only';
import type { HandlerTable } from './registry';

const log = createLogger('dispatch');

export interface Call {
  method: string;
  payload: unknown;
  /** The session token (HTTP header) or the session bound to the window (IPC). */
  token: string | null;
  transport: Transport;
  /** Where the call came from as the transport saw it (the HTTP host's remote address); throttles guessing per source. */
  source?: string;
  /**
   * The client's id for this write (a UUID; HTTP header `X-Welfare-Request`, an IPC field). A write
   * method called again with the same id by the same user is answered with the first call's result
   * instead of being applied twice. Ignored by read methods.
   */
  requestId?: string | null;
}

/** A request id: a UUID as crypto.randomUUID() makes it (any version, lower or upper case). */
const REQUEST_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** How long a write's answer is kept for a retry. */
export const REQUEST_RESULT_TTL_MS = 24 * 3_600_000;
/** Old answers are purged at most this often, inside a write that happens anyway. */
const PURGE_EVERY_MS = 3_600_000;

/** Methods that a locked session or one that must change its password may still call. */
const ALLOWED_WHILE_PASSWORD_CHANGE: ReadonlySet<MethodName> = new Set(['auth.changePassword', 'settings.get']);

/** Only a missing payload means "no arguments"; null, strings, arrays and numbers are malformed. */
function payloadOrEmpty(payload: unknown): unknown {
  return payload === undefined ? {} : payload;
}

/** zod's built-in messages in plain zh-TW (main/contract/zod-zh.ts); the contract's own messages take precedence. */

function payloadBytes(payload: unknown): number {
  try {
    const json = JSON.stringify(payloadOrEmpty(payload));
    return json === undefined ? Number.POSITIVE_INFINITY : Buffer.byteLength(json, 'utf8');
  } catch {
    return Number.POSITIVE_INFINITY; // cyclic or BigInt: not a payload we accept
  }
}

function validationError(error: z.ZodError): ApiError {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    // An unknown key is reported on the key itself (its path is the object's), so the caller learns which.
    const paths = issue.code === 'unrecognized_keys' ? issue.keys.map((k) => [...issue.path, k]) : [issue.path];
    for (const p of paths) fields[p.map(String).join('.') || '_'] ??= issue.message;
  }
  // The paths travel in `fields` (the form puts each message beside its field); the message names a field only
  // by its label from the one registry, never by an internal path.
  const first = error.issues[0];
  const where = first ? fieldLabel(first.path.map(String).join('.')) : null;
  return new ApiError('VALIDATION', `輸入資料有誤${where ? `（${where}）` : ''}：${first?.message ?? '格式不正確'}`, { fields });
}

/**
 * Checks who is calling against the method's access rule. Returns the session
 * (null for public calls). The session is read from the database on every call,
 * with its user's current role and state, so a change made by another process
 * applies here at once. Idle sessions become locked here, on the server,
 * whatever the client's own timer did.
 */
async function authorize(app: AppContext, name: MethodName, access: Access, token: string | null): Promise<Session | null> {
  const now = app.now();
  const session = (await app.sessions.resolve(token, now)) ?? null;
  // Also on public calls, so auth.status reports an idle session as locked.
  // The setting is read only for a session idle longer than the shortest limit allowed: not on every call.
  if (
    session &&
    app.sessions.idleExpired(session, now, MIN_IDLE_LOCK_MINUTES) &&
    app.sessions.idleExpired(session, now, (await readSettings(app.db)).idleLockMinutes)
  ) {
    await writeTransaction(app.db, async (trx) => {
      // Only the process whose update locked it writes the audit row.
      if (await app.sessions.lock(trx, session)) {
        await appendAudit(trx, { actor: session.actor, action: 'lock', entity: 'session', detail: { reason: 'idle' } }, now);
      }
    });
  }
  if (access === 'public') return session;
  if (!session) throw new ApiError('UNAUTHENTICATED', '尚未登入或登入已逾時，請重新登入。');
  if (access === 'session') return session;
  if (session.locked) throw new ApiError('SESSION_LOCKED', '畫面已因閒置而鎖定，請輸入密碼解鎖。');
  if (session.mustChangePassword && !ALLOWED_WHILE_PASSWORD_CHANGE.has(name)) {
    throw new ApiError('FORBIDDEN', '請先變更密碼後再繼續使用。');
  }
  if (!access.includes(session.actor.role)) {
    await recordAudit(
      app.db,
      { actor: session.actor, action: 'denied', entity: 'api', entityId: name },
      app.now(),
    );
    throw new ApiError('FORBIDDEN', `您的角色（${ROLE_LABELS[session.actor.role]}）沒有權限執行此操作。`);
  }
  return session;
}

/** The body a public method (sign-in, first-run setup, status) may send: small, read before anyone is known. */
export const PUBLIC_BODY_BYTES = 8 * 1024;

export type Admission =
  | { ok: true; maxBodyBytes: number }
  | { ok: false; error: ApiError };

export interface Dispatcher {
  dispatch(call: Call): Promise<Envelope<unknown>>;
  /**
   * What a transport asks before it reads a request's body: whether the method exists and the caller may
   * send one (a public method, or a live session), and how many bytes of JSON the method accepts.
   * Changes nothing (no idle lock, no audit): dispatch() checks everything again.
   */
  admit(method: string, token: string | null): Promise<Admission>;
}

function sourceOf(call: Call): string {
  return `${call.transport}:${call.source ?? 'local'}`;
}

/** The request id of a call, or null; a malformed one is refused rather than ignored. */
function requestIdOf(call: Call): string | null {
  const id = call.requestId;
  if (id === undefined || id === null || id === '') return null;
  if (typeof id !== 'string' || !REQUEST_ID.test(id)) {
    throw new ApiError('VALIDATION', '請求識別碼格式不正確，請重新整理後再試。', { fields: { requestId: '格式不正確' } });
  }
  return id.toLowerCase();
}

function payloadHash(payload: unknown): string {
  return createHash('sha256').update(JSON.stringify(payloadOrEmpty(payload))).digest('hex');
}

/** The caller's scope for one call: computed on first use, through the call's own handle, then kept. */
function scopeFn(db: Kysely<Database>, session: Session | null): () => Promise<Scope> {
  let memo: Promise<Scope> | null = null;
  return () => {
    if (!session) return Promise.reject(new Error('scope() needs a signed-in caller'));
    memo ??= scopeOf(db, session.actor);
    return memo;
  };
}

export function createDispatcher(app: AppContext, handlers: HandlerTable): Dispatcher {
  /** What read methods get as `app.db`: the same handle, refusing writes (see read-only.ts). */
  const readDb = app.db.withPlugin(new ReadOnlyPlugin());
  let lastPurge = Number.NEGATIVE_INFINITY;

  /** Writes the audit rows a call left for after it (services/call-hooks.ts), in a transaction of their own. */
  async function writeQueuedAudits(hooks: CallHooks, succeeded: boolean): Promise<void> {
    const rows = hooks.audits.filter((a) => succeeded || a.always);
    if (rows.length === 0) return;
    await writeTransaction(app.db, async (trx) => {
      for (const r of rows) await appendAudit(trx, r.entry, r.now);
    });
  }

  /** Runs a call, then writes what it queued (`hooks` is asked after the call: a retried write's last attempt). */
  async function afterCall<T>(hooks: () => CallHooks, fn: () => Promise<T>): Promise<T> {
    let value: T;
    try {
      value = await fn();
    } catch (err) {
      await writeQueuedAudits(hooks(), false);
      throw err;
    }
    await writeQueuedAudits(hooks(), true);
    return value;
  }

  /**
   * A `write: true` method: one write transaction around the handler (writeTransaction may run the
   * attempt again where the engine asks, so each attempt starts with fresh hooks and a fresh scope),
   * the answer kept by request id, then the post-commit hooks.
   */
  async function declaredWrite(
    name: MethodName,
    session: Session | null,
    requestId: string | null,
    hash: string,
    handler: (trx: Kysely<Database>) => Promise<unknown>,
  ): Promise<unknown> {
    let hooks = newCallHooks('write');
    const value = await afterCall(
      () => hooks,
      () =>
        writeTransaction(app.db, (trx) => {
          hooks = newCallHooks('write');
          return withCallHooks(hooks, async () => {
            const now = app.now();
            if (now.getTime() - lastPurge >= PURGE_EVERY_MS) {
              await trx.deleteFrom('request_results').where('at', '<', new Date(now.getTime() - REQUEST_RESULT_TTL_MS).toISOString()).execute();
              lastPurge = now.getTime();
            }
            const userId = session?.actor.userId ?? null;
            if (requestId !== null) {
              const done = await trx.selectFrom('request_results').selectAll().where('request_id', '=', requestId).executeTakeFirst();
              if (done) {
                if (done.user_id !== userId || done.method !== name || done.payload_hash !== hash) {
                  throw new ApiError('VALIDATION', '這個請求識別碼已用於另一個操作，請重新整理後再試。', { fields: { requestId: '已使用過' } });
                }
                // Answered before: the first result, nothing run again.
                return JSON.parse(done.result) as unknown;
              }
            }
            const result = (await handler(trx)) ?? null;
            if (requestId !== null) {
              await trx
                .insertInto('request_results')
                .values({ request_id: requestId, user_id: userId, method: name, payload_hash: hash, result: JSON.stringify(result), at: now.toISOString() })
                .execute();
            }
            return result;
          });
        }),
    );
    for (const fn of hooks.afterCommit) {
      try {
        await fn();
      } catch (err) {
        log.error(`after-commit work of ${name} failed`, err instanceof Error ? { name: err.name } : undefined);
      }
    }
    return value;
  }

  return {
    async admit(method, token) {
      if (!Object.hasOwn(api, method)) return { ok: false, error: new ApiError('UNKNOWN_METHOD', '無此操作，請更新程式後再試。') };
      const spec = api[method as MethodName];
      const limit = spec.maxBytes ?? DEFAULT_MAX_BYTES;
      if (spec.access === 'public') return { ok: true, maxBodyBytes: Math.min(limit, PUBLIC_BODY_BYTES) };
      if (!(await app.sessions.resolve(token, app.now()))) {
        return { ok: false, error: new ApiError('UNAUTHENTICATED', '尚未登入或登入已逾時，請重新登入。') };
      }
      // Raw JSON may escape what the measure above counts once (\u4e2d for 中): twice the limit, then dispatch() measures exactly.
      return { ok: true, maxBodyBytes: 2 * limit + 16 * 1024 };
    },
    async dispatch(call) {
      try {
        if (typeof call.method !== 'string' || !Object.hasOwn(api, call.method)) {
          throw new ApiError('UNKNOWN_METHOD', '無此操作，請更新程式後再試。');
        }
        const name = call.method as MethodName;
        const spec = api[name];
        if (payloadBytes(call.payload) > (spec.maxBytes ?? DEFAULT_MAX_BYTES)) {
          throw new ApiError('PAYLOAD_TOO_LARGE', '送出的資料過大，請縮小內容後再試。');
        }
        const session = await authorize(app, name, spec.access, call.token);
        const parsed = spec.input.safeParse(payloadOrEmpty(call.payload), { error: zhTWErrorMap });
        if (!parsed.success) throw validationError(parsed.error);
        if (session && spec.access !== 'public') await app.sessions.touch(session, app.now());

        const handler = handlers[name] as unknown as (c: object, i: unknown) => Promise<unknown>;
        const base = { actor: session?.actor ?? null, session, transport: call.transport, source: sourceOf(call) };
        const run = (db: Kysely<Database>, extra: object) => Promise.resolve(handler({ ...base, ...extra, scope: scopeFn(db, session) }, parsed.data));
        let value: unknown;
        if (spec.write === true) {
          const requestId = requestIdOf(call);
          value = await withQueryName(name, () =>
            declaredWrite(name, session, requestId, requestId === null ? '' : payloadHash(call.payload), (trx) => run(trx, { app: { ...app, db: trx }, trx })),
          );
        } else if (spec.ownTransactions === true) {
          value = await withQueryName(name, () => run(app.db, { app }));
        } else {
          const hooks = newCallHooks('read');
          const readApp = { ...app, db: readDb };
          value = await withQueryName(name, () => afterCall(() => hooks, () => withCallHooks(hooks, () => run(readDb, { app: readApp }))));
        }
        return { ok: true, value: value ?? null };
      } catch (err) {
        if (err instanceof ApiError) return { ok: false, error: err.toBody() };
        const code = (err as { code?: unknown } | null)?.code;
        if (code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT') {
          // Another process held the write lock past the busy timeout: the write transaction rolled back whole.
          return { ok: false, error: { code: 'CONFLICT', message: '另一位同仁正在同時異動資料，這次沒有寫入任何資料；請重新查詢後再試一次。' } };
        }
        if (err instanceof Error && /SQLITE_BUSY/.test(err.message)) {
          return { ok: false, error: { code: 'INTERNAL', message: '資料庫忙碌中，請稍後再試一次。' } };
        }
        // Only the method name and error class: messages may carry personal data.
        log.error(`method ${String(call.method)} failed`, err instanceof Error ? { name: err.name, message: err.message.slice(0, 200) } : undefined);
        return { ok: false, error: { code: 'INTERNAL', message: '系統發生錯誤，請稍後再試；若持續發生，請洽管理者。' } };
      }
    },
  };
}
