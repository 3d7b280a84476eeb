import { useEffect, useState } from 'react';
import { call } from '../../lib/api';
import { useUser } from '../../lib/session';

export interface WorkerOption {
  value: string;
  label: string;
}

/**
 * The staff a caller can name as 主責 / 協力 / 接案社工: every active 社工 and 督導
 * (users.assignable). The service decides who may actually be named (a 社工 only
 * themselves as 主責, a 督導 their own teams), and says so when refused.
 */
export function useAssignableWorkers(): { options: WorkerOption[]; limited: boolean; loading: boolean } {
  const user = useUser();
  const [state, setState] = useState<{ options: WorkerOption[]; limited: boolean; loading: boolean }>({
    options: [{ value: String(user.id), label: user.displayName }],
    limited: false,
    loading: true,
  });

  useEffect(() => {
    let live = true;
    call('users.assignable', {})
      .then((users) => {
        const options = users.map((u) => ({ value: String(u.id), label: u.teamName ? `${u.displayName}（${u.teamName}）` : u.displayName }));
        if (live) setState({ options, limited: false, loading: false });
      })
      .catch(() => {
        if (live) setState((s) => ({ ...s, loading: false }));
      });
    return () => {
      live = false;
    };
  }, [user.id]);

  return state;
}
