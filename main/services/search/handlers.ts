import type { HandlerTable } from '../../api/registry';
import { search } from './service';

export const searchHandlers: HandlerTable<'search.query'> = {
  'search.query': async (ctx, input) => search(ctx.app.db, await ctx.scope(), input.q, input.limit, ctx.app.now()),
};
