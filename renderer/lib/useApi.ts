import { useCallback, useEffect, useRef, useState } from 'react';
import type { ApiInput, ApiOutput, MethodName } from '../../main/contract/api';
import { call } from './api';

/** Loads a method's result for a screen, with loading and zh-TW error state and a reload. */
export function useApiQuery<N extends MethodName>(method: N, input: ApiInput<N>, deps: unknown[] = []) {
  const [data, setData] = useState<ApiOutput<N> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const key = JSON.stringify(input);
  // Only the latest load's answer counts (a poll answered after a newer reload must not undo it).
  const latest = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++latest.current;
    setLoading(true);
    try {
      const value = await call(method, JSON.parse(key) as ApiInput<N>);
      if (mine !== latest.current) return;
      setData(value);
      setError(null);
    } catch (e) {
      if (mine !== latest.current) return;
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      if (mine === latest.current) setLoading(false);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [method, key, ...deps]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, loading, reload, setData };
}
