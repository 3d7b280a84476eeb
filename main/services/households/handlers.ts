import type { HandlerTable } from '../../api/registry';
import { auditOutsideCall } from '../call-hooks';
import { householdPage, householdTimeline } from './page';
import { checkDuplicates, createPerson, getPersonView, revealNationalId, updatePerson } from './persons';
import { addMember, createHousehold, endMembership, getHouseholdView, moveMember, updateHousehold, updateRelation } from './service';
import { assertHouseholdVisible } from '../access/scope';
import { auditingRefusals } from './id-lookups';

type HouseholdMethods =
  | 'persons.checkDuplicates'
  | 'persons.create'
  | 'persons.update'
  | 'persons.get'
  | 'persons.revealId'
  | 'households.create'
  | 'households.update'
  | 'households.get'
  | 'households.addMember'
  | 'households.moveMember'
  | 'households.endMembership'
  | 'households.updateRelation'
  | 'households.page'
  | 'households.timeline';

export const householdHandlers: HandlerTable<HouseholdMethods> = {
  // A lookup by ID is a write: it is counted against the caller's limit and audited.
  'persons.checkDuplicates': async (ctx, input) => {
    const scope = await ctx.scope();
    const now = ctx.app.now();
    return auditingRefusals(ctx.trx, ctx.actor, 'checkDuplicates', now, () =>
      checkDuplicates(ctx.trx, scope, input, 'checkDuplicates', now),
    );
  },

  'persons.create': async (ctx, input) => {
    const scope = await ctx.scope();
    const now = ctx.app.now();
    const id = await auditingRefusals(ctx.trx, ctx.actor, 'persons.create', now, () => createPerson(ctx.trx, scope, ctx.actor, input, now));
    return getPersonView(ctx.trx, scope, id);
  },

  'persons.update': async (ctx, input) => {
    const scope = await ctx.scope();
    const now = ctx.app.now();
    await auditingRefusals(ctx.trx, ctx.actor, 'persons.update', now, () => updatePerson(ctx.trx, scope, ctx.actor, input, now));
    return getPersonView(ctx.trx, scope, input.id);
  },

  'persons.get': async (ctx, input) => getPersonView(ctx.app.db, await ctx.scope(), input.id),

  'persons.revealId': async (ctx, input) => {
    const scope = await ctx.scope();
    const nationalId = await revealNationalId(ctx.trx, scope, ctx.actor, input.personId, ctx.app.now());
    return { personId: input.personId, nationalId };
  },

  'households.create': async (ctx, input) => {
    const scope = await ctx.scope();
    const now = ctx.app.now();
    const id = await auditingRefusals(ctx.trx, ctx.actor, 'persons.create', now, () => createHousehold(ctx.trx, scope, ctx.actor, input, now));
    return getHouseholdView(ctx.trx, scope, id);
  },

  'households.update': async (ctx, input) => {
    const scope = await ctx.scope();
    await updateHousehold(ctx.trx, scope, ctx.actor, input, ctx.app.now());
    return getHouseholdView(ctx.trx, scope, input.id);
  },

  'households.get': async (ctx, input) => getHouseholdView(ctx.app.db, await ctx.scope(), input.id),

  'households.addMember': async (ctx, input) => {
    const scope = await ctx.scope();
    await addMember(ctx.trx, scope, ctx.actor, input, ctx.app.now());
    return getHouseholdView(ctx.trx, scope, input.householdId);
  },

  'households.moveMember': async (ctx, input) => {
    const scope = await ctx.scope();
    await moveMember(ctx.trx, scope, ctx.actor, input, ctx.app.now());
    return getHouseholdView(ctx.trx, scope, input.toHouseholdId);
  },

  'households.endMembership': async (ctx, input) => {
    const scope = await ctx.scope();
    const householdId = await endMembership(ctx.trx, scope, ctx.actor, input, ctx.app.now());
    return getHouseholdView(ctx.trx, scope, householdId);
  },

  'households.updateRelation': async (ctx, input) => {
    const scope = await ctx.scope();
    const householdId = await updateRelation(ctx.trx, scope, ctx.actor, input, ctx.app.now());
    return getHouseholdView(ctx.trx, scope, householdId);
  },

  'households.page': async (ctx, input) => {
    const scope = await ctx.scope();
    const now = ctx.app.now();
    return householdPage(ctx.app.db, scope, ctx.actor, input.id, input.timelineLimit, now, (entry) =>
      auditOutsideCall(ctx.app.db, entry, now),
    );
  },

  'households.timeline': async (ctx, input) => {
    const scope = await ctx.scope();
    await assertHouseholdVisible(ctx.app.db, scope, input.id);
    return householdTimeline(ctx.app.db, scope, input.id, input.offset, input.limit);
  },
};
