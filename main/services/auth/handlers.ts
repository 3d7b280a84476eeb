import type { HandlerTable } from '../../api/registry';
import { appendAudit } from '../audit/log';
import { readSettings } from '../settings/service';
import { countUsers } from '../users/service';
import { changePassword, login, sessionView, setup, unlock } from './service';
import { inDeclaredWrite } from '../call-hooks';
import { draftKeyFor } from './draft-key';

type AuthMethods = 'auth.status' | 'auth.setup' | 'auth.login' | 'auth.logout' | 'auth.lock' | 'auth.unlock' | 'auth.changePassword' | 'auth.draftKey';

export const authHandlers: HandlerTable<AuthMethods> = {
  'auth.status': async (ctx) => {
    const settings = await readSettings(ctx.app.db);
    const needsSetup = (await countUsers(ctx.app.db)) === 0;
    return {
      needsSetup,
      // Electron's window is the only caller over IPC; the browser host needs the printed code.
      setupCodeRequired: needsSetup && ctx.transport !== 'ipc',
      centerName: settings.centerName,
      // The caller already holds its token; status never hands one out.
      session: ctx.session ? { ...sessionView(ctx.session, settings.idleLockMinutes), token: null } : null,
    };
  },
  'auth.setup': async (ctx, input) => {
    const session = await setup(ctx.app, input, ctx.transport !== 'ipc', { transport: ctx.transport, source: ctx.source });
    return sessionView(session, (await readSettings(ctx.app.db)).idleLockMinutes);
  },
  'auth.login': async (ctx, input) => {
    const session = await login(ctx.app, input.username, input.password, { transport: ctx.transport, source: ctx.source });
    return sessionView(session, (await readSettings(ctx.app.db)).idleLockMinutes);
  },
  'auth.logout': async (ctx) => {
    await inDeclaredWrite(ctx.trx, async (trx) => {
      await ctx.app.sessions.end(trx, ctx.session);
      await appendAudit(trx, { actor: ctx.actor, action: 'logout', entity: 'session' }, ctx.app.now());
    });
    return null;
  },
  'auth.lock': async (ctx) => {
    await inDeclaredWrite(ctx.trx, async (trx) => {
      if (await ctx.app.sessions.lock(trx, ctx.session)) {
        await appendAudit(trx, { actor: ctx.actor, action: 'lock', entity: 'session', detail: { reason: 'user' } }, ctx.app.now());
      }
    });
    return null;
  },
  'auth.unlock': async (ctx, input) => {
    await unlock(ctx.app, ctx.session, input.password, ctx.source);
    return sessionView(ctx.session, (await readSettings(ctx.app.db)).idleLockMinutes);
  },
  'auth.changePassword': async (ctx, input) => {
    await changePassword(ctx.app, ctx.session, input.currentPassword, input.newPassword, ctx.source);
    return null;
  },
  'auth.draftKey': async (ctx) => ({ key: await inDeclaredWrite(ctx.trx, (trx) => draftKeyFor(trx, ctx.actor.userId)) }),
};
