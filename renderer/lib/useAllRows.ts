import { useCallback, useEffect, useRef, useState } from 'react';
import { fetchAllPages } from '../components/DataTable';

/**
 * Every row of a paged list method, page after page (for a DataTable that sorts and pages on the screen).
 * `key` names the query: a new key loads again, and only the latest load's answer counts.
 */
export function useAllRows<T>(key: string, fetchPage: (offset: number, limit: number) => Promise<{ rows: T[]; total: number }>, limit = 200) {
  const [rows, setRows] = useState<T[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const latest = useRef(0);
  const fetcher = useRef(fetchPage);
  fetcher.current = fetchPage;
  const reload = useCallback(async () => {
    const mine = ++latest.current;
    setLoading(true);
    try {
      const all = await fetchAllPages((o, l) => fetcher.current(o, l), () => undefined, limit);
      if (mine !== latest.current) return;
      setRows(all);
      setError(null);
    } catch (e) {
      if (mine !== latest.current) return;
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      if (mine === latest.current) setLoading(false);
    }
  }, [key, limit]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    void reload();
  }, [reload]);
  return { rows, error, loading, reload };
}
