/**
 * Retrying a call whose answer the network lost (issue 10, "Writes survive a flaky network"). Pure:
 * the renderer's client (renderer/lib/api.ts) and the Node tests run exactly this code.
 *
 * A write carries a request id (one UUID per user action, the same on every retry), so a retry of a
 * write the server already committed is answered with the first result instead of being applied
 * again (main/api/dispatch.ts). Only a failure of the transport is retried: the request did not
 * arrive, or its answer did not (fetch rejected, the connection was reset, the body broke off, or a
 * proxy answered 502/503/504 without an envelope). Any envelope, ok or not, is the answer.
 */
import type { Envelope } from './envelope';

/** The header that carries a write's request id over HTTP. */
export const REQUEST_ID_HEADER = 'X-Welfare-Request';
/** Waits before the 1st and 2nd retry: two retries, short backoff. */
export const RETRY_DELAYS_MS: readonly number[] = [200, 800];
/** Gateway answers that mean "the server was not reached or did not answer", when they carry no envelope. */
const GATEWAY_STATUSES: ReadonlySet<number> = new Set([502, 503, 504]);

/** What one attempt got: an envelope, or nothing usable from the transport (status when there was one). */
export type Attempt = { kind: 'answer'; envelope: Envelope<unknown> } | { kind: 'transport'; status: number | null };

function isEnvelope(v: unknown): v is Envelope<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { ok?: unknown }).ok === 'boolean';
}

/**
 * One POST of a contract call. `fetchFn` is the platform's fetch (the browser's, or Node's in tests).
 * An answer that is not an envelope and not a gateway error becomes an INTERNAL envelope, as before.
 */
export async function postOnce(fetchFn: typeof fetch, url: string, headers: Record<string, string>, body: string): Promise<Attempt> {
  let res: Response;
  try {
    res = await fetchFn(url, { method: 'POST', headers, body });
  } catch {
    return { kind: 'transport', status: null };
  }
  let text: string;
  try {
    text = await res.text();
  } catch {
    return { kind: 'transport', status: null }; // the body broke off
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (isEnvelope(parsed)) return { kind: 'answer', envelope: parsed };
  if (GATEWAY_STATUSES.has(res.status)) return { kind: 'transport', status: res.status };
  return { kind: 'answer', envelope: { ok: false, error: { code: 'INTERNAL', message: `本機服務回應異常（HTTP ${res.status}），請重新整理畫面。` } } };
}

export interface RetryOptions {
  delaysMs?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` (which must send the same request, same request id, each time) until it gets an
 * answer, at most 1 + delaysMs.length times. Returns the answer, or the last transport failure.
 */
export async function withRetries(attempt: (n: number) => Promise<Attempt>, opts: RetryOptions = {}): Promise<Attempt> {
  const delays = opts.delaysMs ?? RETRY_DELAYS_MS;
  const sleep = opts.sleep ?? defaultSleep;
  let last: Attempt = { kind: 'transport', status: null };
  for (let n = 0; n <= delays.length; n++) {
    if (n > 0) await sleep(delays[n - 1] ?? 0);
    last = await attempt(n);
    if (last.kind === 'answer') return last;
  }
  return last;
}

export interface ContractPost {
  fetch: typeof fetch;
  /** Where the contract is served, without the trailing slash ('' for the page's own origin). */
  baseUrl: string;
  method: string;
  payload: unknown;
  headers?: Record<string, string>;
  /** A write's request id; null for a read (sent without one). */
  requestId: string | null;
}

/** A contract call over HTTP with its retries: POST `${baseUrl}/api/${method}`, the request id in its header every time. */
export function postContractCall(call: ContractPost, opts: RetryOptions = {}): Promise<Attempt> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', ...(call.headers ?? {}) };
  if (call.requestId !== null) headers[REQUEST_ID_HEADER] = call.requestId;
  const body = JSON.stringify(call.payload ?? {});
  return withRetries(() => postOnce(call.fetch, `${call.baseUrl}/api/${call.method}`, headers, body), opts);
}
