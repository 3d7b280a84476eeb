import type { HandlerTable } from '../../api/registry';
import { correctProtectionReport, deleteProtectionReport, getProtectionReport, listProtectionReports, recordProtectionReport } from './protection';

type OutcomeMethods = 'protection.list' | 'protection.record' | 'protection.correct' | 'protection.delete';

export const outcomeHandlers: HandlerTable<OutcomeMethods> = {
  'protection.list': async (ctx, input) => listProtectionReports(ctx.app.db, await ctx.scope(), input.householdId),

  'protection.record': async (ctx, input) => {
    const scope = await ctx.scope();
    const id = await recordProtectionReport(ctx.trx, scope, ctx.actor, input, ctx.app.now());
    return getProtectionReport(ctx.trx, scope, id);
  },

  'protection.correct': async (ctx, input) => {
    const scope = await ctx.scope();
    await correctProtectionReport(ctx.trx, scope, ctx.actor, input, ctx.app.now());
    return getProtectionReport(ctx.trx, scope, input.id);
  },

  'protection.delete': async (ctx, input) => {
    await deleteProtectionReport(ctx.trx, await ctx.scope(), ctx.actor, input, ctx.app.now());
    return { deleted: true as const };
  },
};
