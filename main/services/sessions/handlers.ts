import { writeTransaction } from '../../../db/tx';
import type { HandlerTable } from '../../api/registry';
import { endSession, listActiveSessions } from './service';

type SessionMethods = 'sessions.list' | 'sessions.end';

export const sessionHandlers: HandlerTable<SessionMethods> = {
  'sessions.list': (ctx) => listActiveSessions(ctx.app.db, ctx.app.now(), ctx.session.id),

  'sessions.end': async (ctx, input) => {
    const now = ctx.app.now();
    await writeTransaction(ctx.app.db, (trx) => endSession(trx, ctx.actor, ctx.session.id, input.id, now));
    return null;
  },
};
