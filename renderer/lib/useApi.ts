import { useCallback, useEffect, useState } from 'react';
import type { ApiInput, ApiOutput, MethodName } from '../../main/contract/api';
import { call } from './api';

/** Loads a method's result for a screen, with loading and zh-TW error state and a reload. */
export function useApiQuery<N extends MethodName>(method: N, input: ApiInput<N>, deps: unknown[] = []) {
  const [data, setData] = useState<ApiOutput<N> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const key = JSON.stringify(input);
  const reload = useCallback(async () => {
    setLoading(true);
    try {
      setData(await call(method, JSON.parse(key) as ApiInput<N>));
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setLoading(false);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [method, key, ...deps]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, loading, reload, setData };
}
