/**
 * Who sees which report figures (on top of the contract's role lists):
 * - 管理者: the whole center, any team.
 * - 督導: the teams they supervise (or belong to); asking for another team is refused.
 * - everyone else: nothing (the contract already refuses them; this says so again).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema';
import { ApiError } from '../../contract/envelope';
import { scopeOf } from '../access/scope';
import type { Actor } from '../context';

export interface ReportScope {
  /** null: the whole center. */
  teams: number[] | null;
  /** The one team the figures are for (a team's monthly report), or null for all of `teams`. */
  teamId: number | null;
}

/** The teams whose figures `actor` may see, narrowed to `teamId` when given. */
export async function reportScope(db: Kysely<Database>, actor: Actor, teamId?: number | null): Promise<ReportScope> {
  if (teamId !== undefined && teamId !== null) {
    const team = await db.selectFrom('teams').select('id').where('id', '=', teamId).executeTakeFirst();
    if (!team) throw new ApiError('NOT_FOUND', '找不到這個組別。');
  }
  if (actor.role === 'admin') return { teams: teamId ? [teamId] : null, teamId: teamId ?? null };
  if (actor.role !== 'supervisor') throw new ApiError('FORBIDDEN', '只有督導與管理者可以檢視統計報表。');
  const scope = await scopeOf(db, actor);
  if (teamId) {
    if (!scope.teamIds.includes(teamId)) throw new ApiError('FORBIDDEN', '您只能檢視自己督導組別的報表。');
    return { teams: [teamId], teamId };
  }
  if (scope.teamIds.length === 0) throw new ApiError('RULE', '您目前沒有督導的組別，請洽管理者設定組別的督導。');
  return { teams: [...scope.teamIds].sort((a, b) => a - b), teamId: scope.teamIds.length === 1 ? (scope.teamIds[0] as number) : null };
}
