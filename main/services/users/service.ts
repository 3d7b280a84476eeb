import { sql, type Kysely } from 'kysely';
import type { Database, UserRow } from '../../../db/schema';
import { ApiError } from '../../contract/envelope';
import type { Role } from '../../contract/roles';
import type { TeamView, UserView } from '../../contract/types';

/** Staff accounts and teams. Users are never deleted: records keep their author. */

interface UserWithTeam extends UserRow {
  team_name: string | null;
}

export function toUserView(u: UserWithTeam): UserView {
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role as Role,
    teamId: u.team_id,
    teamName: u.team_name,
    disabled: u.disabled_at !== null,
    lockedUntil: u.locked_until,
    mustChangePassword: u.must_change_password === 1,
    version: u.version,
    updatedAt: u.updated_at,
  };
}

function userQuery(db: Kysely<Database>) {
  return db
    .selectFrom('users')
    .leftJoin('teams', 'teams.id', 'users.team_id')
    .selectAll('users')
    .select('teams.name as team_name');
}

export async function findUserByUsername(db: Kysely<Database>, username: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('username', '=', username.trim().toLowerCase()).executeTakeFirst();
}

export async function getUserView(db: Kysely<Database>, id: number): Promise<UserView> {
  const row = await userQuery(db).where('users.id', '=', id).executeTakeFirst();
  if (!row) throw new ApiError('NOT_FOUND', '找不到這位使用者，可能已被其他人變更，請重新整理。');
  return toUserView(row);
}

export async function listUsers(db: Kysely<Database>, includeDisabled: boolean): Promise<UserView[]> {
  let q = userQuery(db).orderBy('users.role').orderBy('users.display_name');
  if (!includeDisabled) q = q.where('users.disabled_at', 'is', null);
  return (await q.execute()).map(toUserView);
}

export async function countUsers(db: Kysely<Database>): Promise<number> {
  const r = await db.selectFrom('users').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function assertTeamExists(db: Kysely<Database>, teamId: number | null): Promise<void> {
  if (teamId === null) return;
  const t = await db.selectFrom('teams').select('id').where('id', '=', teamId).executeTakeFirst();
  if (!t) throw new ApiError('VALIDATION', '所選的組別不存在，請重新選擇。', { fields: { teamId: '組別不存在' } });
}

export async function assertUsernameFree(db: Kysely<Database>, username: string): Promise<void> {
  if (await findUserByUsername(db, username)) {
    throw new ApiError('RULE', `帳號「${username}」已有人使用，請換一個。`, { fields: { username: '帳號已存在' } });
  }
}

export async function listTeams(db: Kysely<Database>): Promise<TeamView[]> {
  const rows = await db
    .selectFrom('teams')
    .leftJoin('users as sup', 'sup.id', 'teams.supervisor_id')
    .select([
      'teams.id',
      'teams.name',
      'teams.supervisor_id',
      'sup.display_name as supervisor_name',
      (eb) =>
        eb
          .selectFrom('users')
          .select(sql<number>`count(*)`.as('n'))
          .whereRef('users.team_id', '=', 'teams.id')
          .where('users.disabled_at', 'is', null)
          .as('member_count'),
    ])
    .orderBy('teams.name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    supervisorId: r.supervisor_id,
    supervisorName: r.supervisor_name ?? null,
    memberCount: Number(r.member_count ?? 0),
  }));
}

export async function assertSupervisor(db: Kysely<Database>, supervisorId: number | null): Promise<void> {
  if (supervisorId === null) return;
  const u = await db.selectFrom('users').select(['role', 'disabled_at']).where('id', '=', supervisorId).executeTakeFirst();
  if (!u || u.disabled_at) throw new ApiError('VALIDATION', '所選的督導不存在或已停用。', { fields: { supervisorId: '督導不存在' } });
  if (u.role !== 'supervisor') {
    throw new ApiError('RULE', '組別的督導必須是「督導」角色的使用者。', { fields: { supervisorId: '不是督導' } });
  }
}
