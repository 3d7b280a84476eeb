import type { HandlerTable } from '../../api/registry';
import { getCareLoad, highBurdenList, saveCareLoad } from './care';
import { designateConcern, endConcern, getConcernView, listConcerns, updateConcern } from './service';

type ConcernMethods =
  | 'concerns.designate'
  | 'concerns.update'
  | 'concerns.end'
  | 'concerns.get'
  | 'concerns.list'
  | 'care.get'
  | 'care.update'
  | 'care.highBurdenList';

export const concernHandlers: HandlerTable<ConcernMethods> = {
  'concerns.designate': async (ctx, input) => {
    const scope = await ctx.scope();
    const now = ctx.app.now();
    const id = await designateConcern(ctx.trx, scope, ctx.actor, input, now);
    return getConcernView(ctx.trx, scope, id, now);
  },

  'concerns.update': async (ctx, input) => {
    const scope = await ctx.scope();
    const now = ctx.app.now();
    await updateConcern(ctx.trx, scope, ctx.actor, input, now);
    return getConcernView(ctx.trx, scope, input.id, now);
  },

  'concerns.end': async (ctx, input) => {
    const scope = await ctx.scope();
    const now = ctx.app.now();
    await endConcern(ctx.trx, scope, ctx.actor, input, now);
    return getConcernView(ctx.trx, scope, input.id, now);
  },

  'concerns.get': async (ctx, input) => getConcernView(ctx.app.db, await ctx.scope(), input.id, ctx.app.now()),

  'concerns.list': async (ctx, input) => listConcerns(ctx.app.db, await ctx.scope(), input, ctx.app.now()),

  'care.get': async (ctx, input) => getCareLoad(ctx.app.db, await ctx.scope(), input.householdId),

  'care.update': async (ctx, input) => {
    const scope = await ctx.scope();
    await saveCareLoad(ctx.trx, scope, ctx.actor, input, ctx.app.now());
    return getCareLoad(ctx.trx, scope, input.householdId);
  },

  'care.highBurdenList': async (ctx, input) => highBurdenList(ctx.app.db, await ctx.scope(), input),
};
