import type { HandlerTable } from '../../api/registry';
import { scopeOf } from '../access/scope';
import { search } from './service';

export const searchHandlers: HandlerTable<'search.query'> = {
  'search.query': async (ctx, input) => search(ctx.app.db, await scopeOf(ctx.app.db, ctx.actor), input.q, input.limit, ctx.app.now()),
};
