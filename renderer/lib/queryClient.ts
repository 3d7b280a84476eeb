import { QueryClient } from '@tanstack/react-query';
import type { MethodName } from '../../main/contract/api';
import { isWriteMethod, onApiError, onApiSuccess } from './api';

/**
 * The renderer's one cache of read results (TanStack Query), behind useApiQuery (lib/useApi.ts).
 * - No retries here: lib/api.ts already retries what may be retried.
 * - No refresh on window focus for every query: screens that others change poll (usePolling), and a
 *   refresh must never land under someone typing.
 * - After any successful write (`write: true` in the contract) every cached read is stale and the
 *   mounted ones load again (not after a write that a screen loads as its data, such as a print view that
 *   audits itself: reloading would cancel that very load, again and again), so a list on the screen reflects a change made elsewhere. Reads still
 *   under way are cancelled first: an answer that left the server before the write is never shown.
 * - Signing in, out or being signed out empties the cache: one person's data never shows to the next.
 */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: { retry: false, refetchOnWindowFocus: false, refetchOnReconnect: false, staleTime: 0, gcTime: 5 * 60_000 },
  },
});

const CLEARS_CACHE: ReadonlySet<MethodName> = new Set<MethodName>(['auth.login', 'auth.setup', 'auth.logout']);
/**
 * Writes after which nothing on the screen needs loading again: the lock (the lock screen covers it), the
 * draft key (created once), and the audit rows written before a print or an export (a reload then would
 * cancel the very list being exported).
 */
const NO_REFRESH: ReadonlySet<MethodName> = new Set<MethodName>(['auth.lock', 'auth.draftKey', 'audit.recordPrint', 'audit.recordExport']);

/** Marks every cached read stale and loads the mounted ones again, dropping answers still on their way. */
export async function refreshAfterWrite(): Promise<void> {
  await queryClient.cancelQueries();
  await queryClient.invalidateQueries();
}

onApiSuccess((method, loadedAsRead) => {
  if (CLEARS_CACHE.has(method)) queryClient.clear();
  else if (loadedAsRead) return;
  else if (method === 'auth.unlock' || (isWriteMethod(method) && !NO_REFRESH.has(method))) void refreshAfterWrite();
});
onApiError((err) => {
  if (err.code === 'UNAUTHENTICATED') queryClient.clear();
});
