import { useEffect, useState } from 'react';
import { call } from '../../lib/api';
import { useUser } from '../../lib/session';

export interface WorkerOption {
  value: string;
  label: string;
}

/**
 * The staff a caller can name as 主責 / 協力 / 接案社工.
 *
 * The contract has no "assignable workers" method, so this is pieced together from what each
 * role may read: 管理者 → users.list (every active 社工 and 督導); 督導 → the staff of the teams
 * they supervise, as worklists.teamCaseload reports them (perWorker), plus themselves; 社工 →
 * only themselves (the service lets a 社工 name only themselves as 主責 at intake anyway).
 * `limited` tells the screen the list may leave people out (other teams).
 */
export function useAssignableWorkers(): { options: WorkerOption[]; limited: boolean; loading: boolean } {
  const user = useUser();
  const self: WorkerOption = { value: String(user.id), label: user.displayName };
  const [state, setState] = useState<{ options: WorkerOption[]; limited: boolean; loading: boolean }>({
    options: user.role === 'admin' ? [] : [self],
    limited: user.role !== 'admin',
    loading: user.role !== 'worker',
  });

  useEffect(() => {
    let live = true;
    async function load() {
      if (user.role === 'admin') {
        const users = await call('users.list', {});
        const options = users
          .filter((u) => !u.disabled && (u.role === 'worker' || u.role === 'supervisor'))
          .map((u) => ({ value: String(u.id), label: u.teamName ? `${u.displayName}（${u.teamName}）` : u.displayName }));
        if (live) setState({ options, limited: false, loading: false });
      } else if (user.role === 'supervisor') {
        const page = await call('worklists.teamCaseload', { status: 'all', limit: 1 });
        const seen = new Map<string, WorkerOption>([[String(user.id), { value: String(user.id), label: user.displayName }]]);
        for (const w of page.perWorker) seen.set(String(w.worker.id), { value: String(w.worker.id), label: w.worker.name });
        if (live) setState({ options: [...seen.values()], limited: true, loading: false });
      }
    }
    load().catch(() => {
      if (live) setState((s) => ({ ...s, loading: false }));
    });
    return () => {
      live = false;
    };
  }, [user.role, user.id, user.displayName]);

  return state;
}
