import type { HandlerTable } from '../../api/registry';
import { todayIso } from '../../contract/roc-date';
import { listNotifications, markAllRead, markRead, returnedRequests, unreadCount } from './service';

type NotificationMethods = 'notifications.list' | 'notifications.unreadCount' | 'notifications.markRead' | 'notifications.markAllRead' | 'notifications.returned';

/** Every method answers for the caller (ctx.actor) only: no input names a user. */
export const notificationHandlers: HandlerTable<NotificationMethods> = {
  'notifications.list': (ctx, input) => listNotifications(ctx.app.db, ctx.actor.userId, input, todayIso(ctx.app.now())),
  'notifications.unreadCount': async (ctx) => ({ count: await unreadCount(ctx.app.db, ctx.actor.userId, todayIso(ctx.app.now())) }),
  'notifications.markRead': async (ctx, input) => {
    const now = ctx.app.now();
    return { count: await markRead(ctx.trx, ctx.actor.userId, input, now, todayIso(now)) };
  },
  'notifications.markAllRead': async (ctx) => {
    const now = ctx.app.now();
    return { count: await markAllRead(ctx.trx, ctx.actor.userId, now, todayIso(now)) };
  },
  'notifications.returned': async (ctx) => returnedRequests(ctx.app.db, await ctx.scope()),
};
