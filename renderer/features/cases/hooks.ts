import { useCallback, useEffect, useState, type KeyboardEvent } from 'react';
import type { ApiInput, ApiOutput, MethodName } from '../../../main/contract/api';
import { call } from '../../lib/api';

/**
 * Like useApiQuery, but the input may be null (nothing to load yet): then data stays null
 * and no call is made.
 */
export function useMaybeQuery<N extends MethodName>(method: N, input: ApiInput<N> | null) {
  const [data, setData] = useState<ApiOutput<N> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(input !== null);
  const key = input === null ? null : JSON.stringify(input);
  const reload = useCallback(async () => {
    if (key === null) {
      setData(null);
      setLoading(false);
      return;
    }
    setLoading(true);
    try {
      setData(await call(method, JSON.parse(key) as ApiInput<N>));
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setLoading(false);
    }
  }, [method, key]);
  useEffect(() => {
    void reload();
  }, [reload]);
  return { data, error, loading, reload, setData };
}

/**
 * For long forms: Enter in a one-line field (a date being normalised, a time) must not send the
 * whole form half-filled. Buttons and text areas keep their usual Enter.
 */
export function stopEnterSubmit(e: KeyboardEvent<HTMLElement>): void {
  const t = e.target;
  if (e.key === 'Enter' && t instanceof HTMLInputElement && t.type !== 'submit' && t.type !== 'button' && t.type !== 'checkbox' && t.type !== 'radio') e.preventDefault();
}
