import type { HandlerTable } from '../../api/registry';
import { createRecord, getRecordView, getReferral, listRecords, listReferrals, readNarrative, recordHistory, updateRecord, updateReferralStatus } from './service';

type RecordMethods = 'records.create' | 'records.update' | 'records.list' | 'records.narrative' | 'records.history' | 'records.get' | 'referrals.updateStatus' | 'referrals.list';

export const recordHandlers: HandlerTable<RecordMethods> = {
  'records.create': async (ctx, input) => {
    const id = await createRecord(ctx.trx, ctx.actor, input, ctx.app.now());
    return getRecordView(ctx.trx, await ctx.scope(), id);
  },
  'records.update': async (ctx, input) => {
    await updateRecord(ctx.trx, ctx.actor, input, ctx.app.now());
    return getRecordView(ctx.trx, await ctx.scope(), input.id);
  },
  'records.list': async (ctx, input) => listRecords(ctx.app.db, await ctx.scope(), input, input.offset, input.limit),
  'records.narrative': (ctx, input) => readNarrative(ctx.app.db, ctx.actor, input.id, ctx.app.now()),
  'records.get': async (ctx, input) => getRecordView(ctx.app.db, await ctx.scope(), input.id),
  'records.history': (ctx, input) => recordHistory(ctx.app.db, ctx.actor, input.id, ctx.app.now()),
  'referrals.updateStatus': async (ctx, input) => {
    await updateReferralStatus(ctx.trx, ctx.actor, input, ctx.app.now());
    return getReferral(ctx.trx, await ctx.scope(), input.id);
  },
  'referrals.list': async (ctx, input) => listReferrals(ctx.app.db, await ctx.scope(), input),
};
