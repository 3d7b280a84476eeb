import type { HandlerTable } from '../../api/registry';
import { endSession, listActiveSessions } from './service';

type SessionMethods = 'sessions.list' | 'sessions.end';

export const sessionHandlers: HandlerTable<SessionMethods> = {
  'sessions.list': (ctx) => listActiveSessions(ctx.app.db, ctx.app.now(), ctx.session.id),

  'sessions.end': async (ctx, input) => {
    await endSession(ctx.trx, ctx.actor, ctx.session.id, input.id, ctx.app.now());
    return null;
  },
};
