import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, type SetStateAction } from 'react';
import type { ApiInput, ApiOutput, MethodName } from '../../main/contract/api';
import { call } from './api';
import { POLL_INTERVAL_MS, usePolling } from './usePolling';

export interface ApiQueryOptions {
  /** Load again every `ms` (true: POLL_INTERVAL_MS) while the window is visible and nobody is typing (usePolling). */
  poll?: number | true;
  /** Polling waits while true (a form on the screen has unsaved input). */
  pollPaused?: boolean;
}

/**
 * Loads a method's result for a screen through the shared cache (lib/queryClient.ts), with loading and
 * zh-TW error state, a reload and a local setData. `input` null: nothing to load yet (data stays null).
 * Each (method, input, deps) is one cache entry: two screens asking the same share it, a write anywhere
 * refreshes it, and only the newest load's answer is ever shown (a newer load cancels an older one).
 */
export function useApiQuery<N extends MethodName>(method: N, input: ApiInput<N> | null, deps: unknown[] = [], options: ApiQueryOptions = {}) {
  const client = useQueryClient();
  const queryKey = [method, input, ...deps] as const;
  const query = useQuery({
    queryKey,
    queryFn: () => call(method, input as ApiInput<N>, { loadedAsRead: true }),
    enabled: input !== null,
    // While the input changes (a filter, a page), the previous result stays on the screen until the new one comes.
    placeholderData: keepPreviousData,
  });
  const { refetch } = query;
  const reload = useCallback(async () => {
    await refetch({ cancelRefetch: true });
  }, [refetch]);
  const keyText = JSON.stringify(queryKey);
  const setData = useCallback(
    (value: SetStateAction<ApiOutput<N> | null>) => {
      client.setQueryData<ApiOutput<N> | null>(JSON.parse(keyText) as unknown[], (prev) =>
        typeof value === 'function' ? (value as (p: ApiOutput<N> | null) => ApiOutput<N> | null)(prev ?? null) : value,
      );
    },
    [client, keyText],
  );
  const poll = options.poll === true ? POLL_INTERVAL_MS : options.poll;
  // A poll joins a load already under way rather than cancelling it.
  usePolling(() => (poll ? refetch({ cancelRefetch: false }) : undefined), poll ?? POLL_INTERVAL_MS, !poll || options.pollPaused === true);
  const error = query.error ? (query.error instanceof Error ? query.error.message : String(query.error)) : null;
  return {
    data: input === null ? null : ((query.data ?? null) as ApiOutput<N> | null),
    error,
    loading: input === null ? false : query.isFetching,
    reload,
    setData,
  };
}
