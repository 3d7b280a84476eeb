import type { HandlerTable } from '../../api/registry';
import { aidReport, deleteAid, getAid, listAid, readAidSettings, recentAid, recordAid, updateAid, updateAidSettings } from './service';

type AidMethods = 'aid.list' | 'aid.record' | 'aid.update' | 'aid.delete' | 'aid.recent' | 'aid.report' | 'aid.settings' | 'aid.updateSettings';

/** Aid from other units (issue 14 §4). */
export const aidHandlers: HandlerTable<AidMethods> = {
  'aid.list': async (ctx, input) => listAid(ctx.app.db, await ctx.scope(), input.householdId),

  'aid.record': async (ctx, input) => {
    const scope = await ctx.scope();
    const id = await recordAid(ctx.trx, scope, ctx.actor, input, ctx.app.now());
    return getAid(ctx.trx, scope, id);
  },

  'aid.update': async (ctx, input) => {
    const scope = await ctx.scope();
    await updateAid(ctx.trx, scope, ctx.actor, input, ctx.app.now());
    return getAid(ctx.trx, scope, input.id);
  },

  'aid.delete': async (ctx, input) => {
    await deleteAid(ctx.trx, await ctx.scope(), ctx.actor, input, ctx.app.now());
    return { deleted: true as const };
  },

  'aid.recent': async (ctx, input) => recentAid(ctx.app.db, await ctx.scope(), input, ctx.app.now()),

  'aid.report': async (ctx, input) => aidReport(ctx.app.db, await ctx.scope(), input, ctx.app.now()),

  'aid.settings': async (ctx) => readAidSettings(ctx.app.db),

  'aid.updateSettings': async (ctx, input) => updateAidSettings(ctx.trx, ctx.actor, input, ctx.app.now()),
};
