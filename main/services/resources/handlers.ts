import type { HandlerTable } from '../../api/registry';
import { exportReferralForm, viewReferralForm } from './form';
import { archiveResource, createResource, getResource, listDistricts, resourceStats, searchResources, updateResource } from './service';

type ResourceMethods =
  | 'resources.search'
  | 'resources.get'
  | 'resources.districts'
  | 'resources.create'
  | 'resources.update'
  | 'resources.archive'
  | 'resources.stats'
  | 'referrals.form'
  | 'referrals.exportForm';

/** The local resource map and referrals to it (issue 14 §3). */
export const resourceHandlers: HandlerTable<ResourceMethods> = {
  'resources.search': (ctx, input) => searchResources(ctx.app.db, input, ctx.app.now()),
  'resources.get': (ctx, input) => getResource(ctx.app.db, input.id),
  'resources.districts': (ctx) => listDistricts(ctx.app.db),
  'resources.create': async (ctx, input) => getResource(ctx.trx, await createResource(ctx.trx, ctx.actor, input, ctx.app.now())),
  'resources.update': async (ctx, input) => {
    await updateResource(ctx.trx, ctx.actor, input, ctx.app.now());
    return getResource(ctx.trx, input.id);
  },
  'resources.archive': async (ctx, input) => {
    await archiveResource(ctx.trx, ctx.actor, input, ctx.app.now());
    return getResource(ctx.trx, input.id);
  },
  'resources.stats': (ctx, input) => resourceStats(ctx.app.db, input, ctx.app.now()),
  'referrals.form': async (ctx, input) => viewReferralForm(ctx.app.db, await ctx.scope(), ctx.actor, input.referralId, ctx.app.now()),
  'referrals.exportForm': async (ctx, input) => exportReferralForm(ctx.app.db, await ctx.scope(), ctx.actor, input.referralId, ctx.app.now()),
};
