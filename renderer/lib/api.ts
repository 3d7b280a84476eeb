import { api, type ApiInput, type ApiOutput, type MethodName } from '../../main/contract/api';
import type { WelfareDeskBridge } from '../../main/contract/bridge';
import type { ApiErrorBody, ApiErrorCode, Envelope } from '../../main/contract/envelope';
import { postContractCall } from '../../main/contract/retry';

/**
 * The renderer's one way to the main process: Electron's preload bridge when
 * present, otherwise the browser host's HTTP endpoint with the session token
 * in a header. Both carry the same envelopes.
 */
declare global {
  interface Window {
    welfareDesk?: WelfareDeskBridge;
  }
}

export const SESSION_HEADER = 'X-Welfare-Session';
const TOKEN_KEY = 'welfare-desk.session';

export class ApiCallError extends Error {
  readonly code: ApiErrorCode;
  readonly fields: Record<string, string>;
  readonly details: Record<string, unknown>;
  constructor(body: ApiErrorBody) {
    super(body.message);
    this.name = 'ApiCallError';
    this.code = body.code;
    this.fields = body.fields ?? {};
    this.details = body.details ?? {};
  }
}

type Listener = (err: ApiCallError) => void;
const listeners = new Set<Listener>();
/** Called for every failed call; the session layer reacts to SESSION_LOCKED and UNAUTHENTICATED. */
export function onApiError(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** `loadedAsRead`: the call loaded a screen's data through useApiQuery (a print view that audits itself). */
type SuccessListener = (method: MethodName, loadedAsRead: boolean) => void;
const successListeners = new Set<SuccessListener>();
/** Called after every call that succeeded (lib/queryClient.ts refreshes cached reads after a write). */
export function onApiSuccess(fn: SuccessListener): () => void {
  successListeners.add(fn);
  return () => successListeners.delete(fn);
}

/** True for a method the contract declares `write: true` (it changes data). */
export function isWriteMethod(method: MethodName): boolean {
  return api[method].write === true;
}

export function isElectron(): boolean {
  return typeof window !== 'undefined' && window.welfareDesk?.kind === 'electron';
}

export function setSessionToken(token: string | null): void {
  if (isElectron()) return; // Electron keeps the session in the main process
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

async function send(method: MethodName, payload: unknown): Promise<Envelope<unknown>> {
  // A write gets one id for all its attempts: the server applies it once and answers a retry with the first result.
  const requestId = api[method].write === true ? crypto.randomUUID() : null;
  const bridge = window.welfareDesk;
  if (bridge) return requestId === null ? bridge.api[method](payload) : bridge.api[method](payload, requestId);
  const headers: Record<string, string> = {};
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers[SESSION_HEADER] = token;
  // Sign-in and the like keep their own bookkeeping (ownTransactions): sent once, never retried.
  const retry = api[method].ownTransactions === true ? { delaysMs: [] } : {};
  const attempt = await postContractCall({ fetch: (...a) => fetch(...a), baseUrl: '', method, payload, headers, requestId }, retry);
  if (attempt.kind === 'answer') return attempt.envelope;
  return { ok: false, error: { code: 'INTERNAL', message: '無法連線到本機服務，請確認社福中心工作台仍在執行。' } };
}

/**
 * Calls a contract method; resolves with its result or rejects with ApiCallError (message in zh-TW).
 * `options.loadedAsRead`: set by useApiQuery, so a write loaded as a screen's data (the sign-in sheet audits
 * its print) does not refresh the cache - that refresh would cancel and reload the very query, for ever.
 */
export async function call<N extends MethodName>(method: N, input: ApiInput<N>, options: { loadedAsRead?: boolean } = {}): Promise<ApiOutput<N>> {
  const envelope = await send(method, input);
  if (envelope.ok) {
    for (const fn of successListeners) fn(method, options.loadedAsRead === true);
    return envelope.value as ApiOutput<N>;
  }
  const err = new ApiCallError(envelope.error);
  for (const fn of listeners) fn(err);
  throw err;
}
