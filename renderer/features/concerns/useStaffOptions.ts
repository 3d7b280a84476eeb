import { useEffect, useState } from 'react';
import type { AssignableUser } from '../../../main/contract/types';
import { call } from '../../lib/api';
import { useUser } from '../../lib/session';

export interface StaffOption {
  value: string;
  label: string;
}

const label = (u: AssignableUser) => (u.teamName ? `${u.displayName}（${u.teamName}）` : u.displayName);

/**
 * Who may be made responsible for a long-term concern (users.assignable), narrowed to whom the
 * caller may name: a 社工 only themself, a 督導 the members of the teams they lead or belong to, a
 * 管理者 anyone. The server applies the same rule and explains a refusal.
 */
export function useStaffOptions(current?: { id: number; name: string | null }): StaffOption[] {
  const user = useUser();
  const [list, setList] = useState<StaffOption[] | null>(null);
  useEffect(() => {
    if (user.role === 'worker') return;
    let alive = true;
    (async () => {
      const people = await call('users.assignable', {});
      let teamIds: Set<number | null> | null = null;
      if (user.role === 'supervisor') {
        const led = (await call('teams.list', {})).filter((t) => t.supervisorId === user.id).map((t) => t.id);
        teamIds = new Set<number | null>([...led, user.teamId]);
      }
      const mine = people.filter((u) => u.id === user.id || !teamIds || (u.teamId !== null && teamIds.has(u.teamId)));
      if (alive) setList(mine.map((u) => ({ value: String(u.id), label: label(u) })));
    })().catch(() => alive && setList([]));
    return () => {
      alive = false;
    };
  }, [user.id, user.role, user.teamId]);

  const options = list && list.length > 0 ? [...list] : [{ value: String(user.id), label: user.displayName }];
  if (current && !options.some((o) => o.value === String(current.id))) options.push({ value: String(current.id), label: current.name ?? String(current.id) });
  return options;
}
