import type { HandlerTable } from '../../api/registry';
import { auditingRefusals } from '../households/id-lookups';
import { householdEcomap } from './ecomap';
import { createLink, endLink, listHouseholdLinks, updateLink } from './service';

type LinkMethods = 'links.list' | 'links.create' | 'links.update' | 'links.end' | 'links.ecomap';

/** Linked families: relations across households, ecomap (issue 14 §5). */
export const linkHandlers: HandlerTable<LinkMethods> = {
  'links.list': async (ctx, input) => listHouseholdLinks(ctx.app.db, await ctx.scope(), input.householdId),

  'links.create': async (ctx, input) => {
    const scope = await ctx.scope();
    const now = ctx.app.now();
    // A lookup by ID refused for the limit stays audited although this call's transaction rolls back.
    return auditingRefusals(ctx.trx, ctx.actor, 'links.create', now, () => createLink(ctx.trx, scope, ctx.actor, input, now));
  },

  'links.update': async (ctx, input) => updateLink(ctx.trx, await ctx.scope(), ctx.actor, input, ctx.app.now()),

  'links.end': async (ctx, input) => {
    await endLink(ctx.trx, await ctx.scope(), ctx.actor, input, ctx.app.now());
    return { ended: true as const };
  },

  'links.ecomap': async (ctx, input) => householdEcomap(ctx.app.db, await ctx.scope(), input.householdId),
};
