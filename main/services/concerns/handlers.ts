import { writeTransaction } from '../../../db/tx';
import type { HandlerTable } from '../../api/registry';
import { scopeOf } from '../access/scope';
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
    const scope = await scopeOf(ctx.app.db, ctx.actor);
    const now = ctx.app.now();
    const id = await writeTransaction(ctx.app.db, (trx) => designateConcern(trx, scope, ctx.actor, input, now));
    return getConcernView(ctx.app.db, scope, id, now);
  },

  'concerns.update': async (ctx, input) => {
    const scope = await scopeOf(ctx.app.db, ctx.actor);
    const now = ctx.app.now();
    await writeTransaction(ctx.app.db, (trx) => updateConcern(trx, scope, ctx.actor, input, now));
    return getConcernView(ctx.app.db, scope, input.id, now);
  },

  'concerns.end': async (ctx, input) => {
    const scope = await scopeOf(ctx.app.db, ctx.actor);
    const now = ctx.app.now();
    await writeTransaction(ctx.app.db, (trx) => endConcern(trx, scope, ctx.actor, input, now));
    return getConcernView(ctx.app.db, scope, input.id, now);
  },

  'concerns.get': async (ctx, input) => getConcernView(ctx.app.db, await scopeOf(ctx.app.db, ctx.actor), input.id, ctx.app.now()),

  'concerns.list': async (ctx, input) => listConcerns(ctx.app.db, await scopeOf(ctx.app.db, ctx.actor), input, ctx.app.now()),

  'care.get': async (ctx, input) => getCareLoad(ctx.app.db, await scopeOf(ctx.app.db, ctx.actor), input.householdId),

  'care.update': async (ctx, input) => {
    const scope = await scopeOf(ctx.app.db, ctx.actor);
    await writeTransaction(ctx.app.db, (trx) => saveCareLoad(trx, scope, ctx.actor, input, ctx.app.now()));
    return getCareLoad(ctx.app.db, scope, input.householdId);
  },

  'care.highBurdenList': async (ctx, input) => highBurdenList(ctx.app.db, await scopeOf(ctx.app.db, ctx.actor), input),
};
