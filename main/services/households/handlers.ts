import { writeTransaction } from '../../../db/tx';
import type { HandlerTable } from '../../api/registry';
import { scopeOf } from '../access/scope';
import { appendAudit } from '../audit/log';
import { householdPage, householdTimeline } from './page';
import { checkDuplicates, createPerson, getPersonView, revealNationalId, updatePerson } from './persons';
import { addMember, createHousehold, endMembership, getHouseholdView, moveMember, updateHousehold } from './service';
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
  | 'households.page'
  | 'households.timeline';

export const householdHandlers: HandlerTable<HouseholdMethods> = {
  // A lookup by ID is a write: it is counted against the caller's limit and audited.
  'persons.checkDuplicates': async (ctx, input) => {
    const scope = await scopeOf(ctx.app.db, ctx.actor);
    const now = ctx.app.now();
    return auditingRefusals(ctx.app.db, ctx.actor, 'checkDuplicates', now, () =>
      writeTransaction(ctx.app.db, (trx) => checkDuplicates(trx, scope, input, 'checkDuplicates', now)),
    );
  },

  'persons.create': async (ctx, input) => {
    const scope = await scopeOf(ctx.app.db, ctx.actor);
    const now = ctx.app.now();
    const id = await auditingRefusals(ctx.app.db, ctx.actor, 'persons.create', now, () => writeTransaction(ctx.app.db, (trx) => createPerson(trx, scope, ctx.actor, input, now)));
    return getPersonView(ctx.app.db, scope, id);
  },

  'persons.update': async (ctx, input) => {
    const scope = await scopeOf(ctx.app.db, ctx.actor);
    const now = ctx.app.now();
    await auditingRefusals(ctx.app.db, ctx.actor, 'persons.update', now, () => writeTransaction(ctx.app.db, (trx) => updatePerson(trx, scope, ctx.actor, input, now)));
    return getPersonView(ctx.app.db, scope, input.id);
  },

  'persons.get': async (ctx, input) => getPersonView(ctx.app.db, await scopeOf(ctx.app.db, ctx.actor), input.id),

  'persons.revealId': async (ctx, input) => {
    const scope = await scopeOf(ctx.app.db, ctx.actor);
    const nationalId = await writeTransaction(ctx.app.db, (trx) => revealNationalId(trx, scope, ctx.actor, input.personId, ctx.app.now()));
    return { personId: input.personId, nationalId };
  },

  'households.create': async (ctx, input) => {
    const scope = await scopeOf(ctx.app.db, ctx.actor);
    const now = ctx.app.now();
    const id = await auditingRefusals(ctx.app.db, ctx.actor, 'persons.create', now, () => writeTransaction(ctx.app.db, (trx) => createHousehold(trx, scope, ctx.actor, input, now)));
    return getHouseholdView(ctx.app.db, scope, id);
  },

  'households.update': async (ctx, input) => {
    const scope = await scopeOf(ctx.app.db, ctx.actor);
    await writeTransaction(ctx.app.db, (trx) => updateHousehold(trx, scope, ctx.actor, input, ctx.app.now()));
    return getHouseholdView(ctx.app.db, scope, input.id);
  },

  'households.get': async (ctx, input) => getHouseholdView(ctx.app.db, await scopeOf(ctx.app.db, ctx.actor), input.id),

  'households.addMember': async (ctx, input) => {
    const scope = await scopeOf(ctx.app.db, ctx.actor);
    await writeTransaction(ctx.app.db, (trx) => addMember(trx, scope, ctx.actor, input, ctx.app.now()));
    return getHouseholdView(ctx.app.db, scope, input.householdId);
  },

  'households.moveMember': async (ctx, input) => {
    const scope = await scopeOf(ctx.app.db, ctx.actor);
    await writeTransaction(ctx.app.db, (trx) => moveMember(trx, scope, ctx.actor, input, ctx.app.now()));
    return getHouseholdView(ctx.app.db, scope, input.toHouseholdId);
  },

  'households.endMembership': async (ctx, input) => {
    const scope = await scopeOf(ctx.app.db, ctx.actor);
    const householdId = await writeTransaction(ctx.app.db, (trx) => endMembership(trx, scope, ctx.actor, input, ctx.app.now()));
    return getHouseholdView(ctx.app.db, scope, householdId);
  },

  'households.page': async (ctx, input) => {
    const scope = await scopeOf(ctx.app.db, ctx.actor);
    const now = ctx.app.now();
    return householdPage(ctx.app.db, scope, ctx.actor, input.id, input.timelineLimit, now, (entry) =>
      writeTransaction(ctx.app.db, (trx) => appendAudit(trx, entry, now)),
    );
  },

  'households.timeline': async (ctx, input) => {
    const scope = await scopeOf(ctx.app.db, ctx.actor);
    await assertHouseholdVisible(ctx.app.db, scope, input.id);
    return householdTimeline(ctx.app.db, scope, input.id, input.offset, input.limit);
  },
};
