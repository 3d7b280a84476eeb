import { useEffect, useState } from 'react';
import type { SearchResult } from '../../../main/contract/types-households';
import { call } from '../../lib/api';

export interface SearchState {
  result: SearchResult | null;
  loading: boolean;
  error: string | null;
  /** The query the result answers (results of older keystrokes are dropped). */
  answered: string;
}

/** search.query as the user types, debounced; an empty box clears the result. */
export function useSearch(q: string, limit = 20, delayMs = 200): SearchState {
  const [state, setState] = useState<SearchState>({ result: null, loading: false, error: null, answered: '' });
  const query = q.trim();
  useEffect(() => {
    if (query === '') {
      setState({ result: null, loading: false, error: null, answered: '' });
      return;
    }
    let alive = true;
    setState((s) => ({ ...s, loading: true }));
    const t = setTimeout(() => {
      call('search.query', { q: query, limit })
        .then((result) => alive && setState({ result, loading: false, error: null, answered: query }))
        .catch((e: unknown) => alive && setState({ result: null, loading: false, error: e instanceof Error ? e.message : String(e), answered: query }));
    }, delayMs);
    return () => {
      alive = false;
      clearTimeout(t);
    };
  }, [query, limit, delayMs]);
  return state;
}
