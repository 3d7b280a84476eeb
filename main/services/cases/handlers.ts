import type { HandlerTable } from '../../api/registry';
import { auditOutsideCall } from '../call-hooks';
import {
  assignCase,
  caseDetail,
  decideRequest,
  withdrawRequest,
  intakeCase,
  listCasesOfHousehold,
  recordFirstContact,
  reopenCase,
  requestOnCase,
  updateCase,
} from './service';

type CaseMethods =
  | 'cases.intake'
  | 'cases.get'
  | 'cases.listByHousehold'
  | 'cases.update'
  | 'cases.assign'
  | 'cases.request'
  | 'cases.decide'
  | 'cases.withdraw'
  | 'cases.reopen'
  | 'cases.recordFirstContact';

export const caseHandlers: HandlerTable<CaseMethods> = {
  'cases.intake': async (ctx, input) => {
    const id = await intakeCase(ctx.trx, ctx.actor, input, ctx.app.now());
    // The intake's author sees the result even when the case waits for dispatch outside their own caseload.
    return caseDetail(ctx.trx, await ctx.scope(), id, { justChanged: true });
  },

  'cases.get': async (ctx, input) => {
    const detail = await caseDetail(ctx.app.db, await ctx.scope(), input.id);
    // Opening a case shows its household's people: kept for "who saw this person" (issue 11 §6).
    await auditOutsideCall(ctx.app.db, { actor: ctx.actor, action: 'view', entity: 'case', entityId: input.id, detail: { householdId: detail.householdId } }, ctx.app.now());
    return detail;
  },

  'cases.listByHousehold': async (ctx, input) => listCasesOfHousehold(ctx.app.db, await ctx.scope(), input.householdId),

  'cases.update': async (ctx, input) => {
    await updateCase(ctx.trx, ctx.actor, input, ctx.app.now());
    return caseDetail(ctx.trx, await ctx.scope(), input.id);
  },

  'cases.assign': async (ctx, input) => {
    await assignCase(ctx.trx, ctx.actor, input, ctx.app.now());
    return caseDetail(ctx.trx, await ctx.scope(), input.id);
  },

  'cases.request': async (ctx, input) => {
    await requestOnCase(ctx.trx, ctx.actor, input, ctx.app.now());
    return caseDetail(ctx.trx, await ctx.scope(), input.caseId);
  },

  'cases.decide': async (ctx, input) => {
    const caseId = await decideRequest(ctx.trx, ctx.actor, input, ctx.app.now());
    // An approved transfer to another team takes the case out of this supervisor's sight; they still get the outcome.
    return caseDetail(ctx.trx, await ctx.scope(), caseId, { justChanged: true });
  },

  'cases.withdraw': async (ctx, input) => {
    const caseId = await withdrawRequest(ctx.trx, ctx.actor, input, ctx.app.now());
    return caseDetail(ctx.trx, await ctx.scope(), caseId, { justChanged: true });
  },

  'cases.reopen': async (ctx, input) => {
    const { id, dropped } = await reopenCase(ctx.trx, ctx.actor, input, ctx.app.now());
    return { case: await caseDetail(ctx.trx, await ctx.scope(), id), droppedFactors: dropped };
  },

  'cases.recordFirstContact': async (ctx, input) => {
    await recordFirstContact(ctx.trx, ctx.actor, input.caseId, input.at, ctx.app.now());
    return caseDetail(ctx.trx, await ctx.scope(), input.caseId);
  },
};
