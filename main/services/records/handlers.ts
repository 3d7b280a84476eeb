import type { HandlerTable } from '../../api/registry';
import { scopeOf } from '../access/scope';
import { createRecord, getRecordView, getReferral, listRecords, listReferrals, readNarrative, updateRecord, updateReferralStatus } from './service';

type RecordMethods = 'records.create' | 'records.update' | 'records.list' | 'records.narrative' | 'referrals.updateStatus' | 'referrals.list';

export const recordHandlers: HandlerTable<RecordMethods> = {
  'records.create': async (ctx, input) => {
    const id = await createRecord(ctx.app.db, ctx.actor, input, ctx.app.now());
    return getRecordView(ctx.app.db, await scopeOf(ctx.app.db, ctx.actor), id);
  },
  'records.update': async (ctx, input) => {
    await updateRecord(ctx.app.db, ctx.actor, input, ctx.app.now());
    return getRecordView(ctx.app.db, await scopeOf(ctx.app.db, ctx.actor), input.id);
  },
  'records.list': async (ctx, input) => listRecords(ctx.app.db, await scopeOf(ctx.app.db, ctx.actor), input, input.offset, input.limit),
  'records.narrative': (ctx, input) => readNarrative(ctx.app.db, ctx.actor, input.id, ctx.app.now()),
  'referrals.updateStatus': async (ctx, input) => {
    await updateReferralStatus(ctx.app.db, ctx.actor, input, ctx.app.now());
    return getReferral(ctx.app.db, await scopeOf(ctx.app.db, ctx.actor), input.id);
  },
  'referrals.list': async (ctx, input) => listReferrals(ctx.app.db, await scopeOf(ctx.app.db, ctx.actor), input),
};
