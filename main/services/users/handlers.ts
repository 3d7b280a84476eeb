import { ApiError } from '../../contract/envelope';
import { inDeclaredWrite } from '../call-hooks';
import type { Role } from '../../contract/roles';
import type { HandlerTable } from '../../api/registry';
import { appendAudit } from '../audit/log';
import { hashPassword } from '../auth/passwords';
import { clearAccount } from '../auth/throttle';
import {
  assertSupervisor,
  assertTeamExists,
  assertUsernameFree,
  getUserView,
  listTeams,
  listUsers,
} from './service';

type UserMethods =
  | 'users.list'
  | 'users.create'
  | 'users.update'
  | 'users.setDisabled'
  | 'users.resetPassword'
  | 'users.unlock'
  | 'users.assignable'
  | 'teams.list'
  | 'teams.create'
  | 'teams.update';

export const userHandlers: HandlerTable<UserMethods> = {
  'users.list': (ctx, input) => listUsers(ctx.app.db, input.includeDisabled ?? true),

  'users.create': async (ctx, input) => {
    await assertUsernameFree(ctx.trx, input.username);
    await assertTeamExists(ctx.trx, input.teamId);
    const hash = await hashPassword(input.initialPassword);
    const now = ctx.app.now();
    const id = await inDeclaredWrite(ctx.trx, async (trx) => {
      // Again inside the write lock: two administrators creating the same username at once.
      await assertUsernameFree(trx, input.username);
      const ts = now.toISOString();
      const row = await trx
        .insertInto('users')
        .values({
          username: input.username.toLowerCase(),
          display_name: input.displayName,
          role: input.role,
          team_id: input.teamId,
          password_hash: hash,
          must_change_password: 1,
          failed_logins: 0,
          locked_until: null,
          disabled_at: null,
          created_at: ts,
          updated_at: ts,
          version: 1,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await appendAudit(
        trx,
        { actor: ctx.actor, action: 'create', entity: 'user', entityId: row.id, detail: { username: input.username.toLowerCase(), role: input.role, teamId: input.teamId } },
        now,
      );
      return row.id;
    });
    return getUserView(ctx.trx, id);
  },

  'users.update': async (ctx, input) => {
    const before = await getUserView(ctx.trx, input.id);
    if (before.version !== input.version) {
      throw new ApiError('CONFLICT', `這位使用者的資料已於 ${before.updatedAt.slice(0, 16).replace('T', ' ')}（UTC）被其他人修改，請重新整理後再改。`);
    }
    if (input.id === ctx.actor.userId && input.role !== 'admin') {
      throw new ApiError('RULE', '不能移除自己的管理者角色，請由另一位管理者操作。');
    }
    await assertTeamExists(ctx.trx, input.teamId);
    const now = ctx.app.now();
    await inDeclaredWrite(ctx.trx, async (trx) => {
      await trx
        .updateTable('users')
        .set({ display_name: input.displayName, role: input.role, team_id: input.teamId, updated_at: now.toISOString(), version: before.version + 1 })
        .where('id', '=', input.id)
        .execute();
      await appendAudit(
        trx,
        {
          actor: ctx.actor,
          action: 'update',
          entity: 'user',
          entityId: input.id,
          detail: {
            before: { displayName: before.displayName, role: before.role, teamId: before.teamId },
            after: { displayName: input.displayName, role: input.role, teamId: input.teamId },
          },
        },
        now,
      );
      // A changed role or team takes effect at once, in every process: the user signs in again.
      if (before.role !== input.role || before.teamId !== input.teamId) await ctx.app.sessions.endAllFor(trx, input.id);
    });
    return getUserView(ctx.trx, input.id);
  },

  'users.setDisabled': async (ctx, input) => {
    if (input.id === ctx.actor.userId && input.disabled) throw new ApiError('RULE', '不能停用自己的帳號。');
    const before = await getUserView(ctx.trx, input.id);
    const now = ctx.app.now();
    await inDeclaredWrite(ctx.trx, async (trx) => {
      await trx
        .updateTable('users')
        .set({ disabled_at: input.disabled ? now.toISOString() : null, updated_at: now.toISOString(), version: before.version + 1 })
        .where('id', '=', input.id)
        .execute();
      await appendAudit(trx, { actor: ctx.actor, action: 'update', entity: 'user', entityId: input.id, detail: { disabled: input.disabled } }, now);
      if (input.disabled) await ctx.app.sessions.endAllFor(trx, input.id);
    });
    return getUserView(ctx.trx, input.id);
  },

  'users.resetPassword': async (ctx, input) => {
    const before = await getUserView(ctx.trx, input.id);
    const hash = await hashPassword(input.newPassword);
    const now = ctx.app.now();
    await inDeclaredWrite(ctx.trx, async (trx) => {
      await trx
        .updateTable('users')
        .set({ password_hash: hash, must_change_password: 1, failed_logins: 0, locked_until: null, updated_at: now.toISOString(), version: before.version + 1 })
        .where('id', '=', input.id)
        .execute();
      await appendAudit(trx, { actor: ctx.actor, action: 'update', entity: 'user', entityId: input.id, detail: { passwordReset: true } }, now);
      await ctx.app.sessions.endAllFor(trx, input.id);
      await clearAccount(trx, before.username);
    });
    return getUserView(ctx.trx, input.id);
  },

  'users.unlock': async (ctx, input) => {
    const before = await getUserView(ctx.trx, input.id);
    const now = ctx.app.now();
    await inDeclaredWrite(ctx.trx, async (trx) => {
      await trx.updateTable('users').set({ failed_logins: 0, locked_until: null, version: before.version + 1, updated_at: now.toISOString() }).where('id', '=', input.id).execute();
      // Every count and lock on the account, from every source (not the sources' own counts).
      await clearAccount(trx, before.username);
      await appendAudit(trx, { actor: ctx.actor, action: 'update', entity: 'user', entityId: input.id, detail: { unlocked: true } }, now);
    });
    return getUserView(ctx.trx, input.id);
  },

  'users.assignable': async (ctx, input) => {
    let q = ctx.app.db
      .selectFrom('users')
      .leftJoin('teams', 'teams.id', 'users.team_id')
      .select(['users.id', 'users.display_name', 'users.role', 'users.team_id', 'teams.name as team_name'])
      .where('users.disabled_at', 'is', null)
      .where('users.role', 'in', ['worker', 'supervisor'])
      .orderBy('teams.name')
      .orderBy('users.display_name');
    if (input.teamId !== undefined) q = q.where('users.team_id', '=', input.teamId);
    const rows = await q.execute();
    return rows.map((r) => ({ id: r.id, displayName: r.display_name, role: r.role as Role, teamId: r.team_id, teamName: r.team_name ?? null }));
  },

  'teams.list': (ctx) => listTeams(ctx.app.db),

  'teams.create': async (ctx, input) => {
    await assertSupervisor(ctx.trx, input.supervisorId);
    const now = ctx.app.now();
    const exists = await ctx.trx.selectFrom('teams').select('id').where('name', '=', input.name).executeTakeFirst();
    if (exists) throw new ApiError('RULE', `組別「${input.name}」已存在。`, { fields: { name: '名稱重複' } });
    const id = await inDeclaredWrite(ctx.trx, async (trx) => {
      const row = await trx
        .insertInto('teams')
        .values({ name: input.name, supervisor_id: input.supervisorId, created_at: now.toISOString() })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (input.supervisorId !== null) await trx.updateTable('users').set({ team_id: row.id }).where('id', '=', input.supervisorId).execute();
      await appendAudit(trx, { actor: ctx.actor, action: 'create', entity: 'team', entityId: row.id, detail: { name: input.name, supervisorId: input.supervisorId } }, now);
      return row.id;
    });
    const team = (await listTeams(ctx.trx)).find((t) => t.id === id);
    if (!team) throw new ApiError('INTERNAL', '組別建立後讀取失敗。');
    return team;
  },

  'teams.update': async (ctx, input) => {
    await assertSupervisor(ctx.trx, input.supervisorId);
    const now = ctx.app.now();
    const before = await ctx.trx.selectFrom('teams').selectAll().where('id', '=', input.id).executeTakeFirst();
    if (!before) throw new ApiError('NOT_FOUND', '找不到這個組別。');
    const clash = await ctx.trx.selectFrom('teams').select('id').where('name', '=', input.name).where('id', '!=', input.id).executeTakeFirst();
    if (clash) throw new ApiError('RULE', `組別「${input.name}」已存在。`, { fields: { name: '名稱重複' } });
    await inDeclaredWrite(ctx.trx, async (trx) => {
      await trx.updateTable('teams').set({ name: input.name, supervisor_id: input.supervisorId }).where('id', '=', input.id).execute();
      if (input.supervisorId !== null) await trx.updateTable('users').set({ team_id: input.id }).where('id', '=', input.supervisorId).execute();
      await appendAudit(
        trx,
        { actor: ctx.actor, action: 'update', entity: 'team', entityId: input.id, detail: { before: { name: before.name, supervisorId: before.supervisor_id }, after: input } },
        now,
      );
    });
    const team = (await listTeams(ctx.trx)).find((t) => t.id === input.id);
    if (!team) throw new ApiError('NOT_FOUND', '找不到這個組別。');
    return team;
  },
};
