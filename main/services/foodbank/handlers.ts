import type { HandlerTable } from '../../api/registry';
import { inDeclaredWrite } from '../call-hooks';
import type { MethodName } from '../../contract/api';
import { appendAudit } from '../audit/log';
import { readAllowance, writeAllowance } from './common';
import { alerts, eligibilityView, figures, handout, handoutView, householdHistory, planHandout } from './handout';
import {
  confirmStocktake,
  donorStatement,
  enterCounts,
  listDonors,
  listItems,
  listLocations,
  listReceipts,
  receiptView,
  receive,
  receiveTransfer,
  saveDonor,
  saveItem,
  saveLocation,
  sendTransfer,
  spoil,
  startStocktake,
  stocktakeView,
  stocktakeViews,
  stockView,
  transferViews,
} from './stock';

type FoodbankMethods = Extract<MethodName, `foodbank.${string}`>;

export const foodbankHandlers: HandlerTable<FoodbankMethods> = {
  'foodbank.items': async (ctx, input) => listItems(ctx.app.db, input.includeInactive ?? false),
  'foodbank.saveItem': async (ctx, input) => saveItem(ctx.trx, ctx.actor, input, ctx.app.now()),
  'foodbank.locations': async (ctx) => listLocations(ctx.app.db),
  'foodbank.saveLocation': async (ctx, input) => saveLocation(ctx.trx, ctx.actor, input, ctx.app.now()),
  'foodbank.donors': async (ctx, input) => listDonors(ctx.app.db, input.q),
  'foodbank.saveDonor': async (ctx, input) => saveDonor(ctx.trx, ctx.actor, input, ctx.app.now()),
  'foodbank.donorStatement': async (ctx, input) => donorStatement(ctx.app.db, input.donorId, input.year),
  'foodbank.receive': async (ctx, input) => {
    const id = await receive(ctx.trx, ctx.actor, input, ctx.app.now());
    return receiptView(ctx.trx, id);
  },
  'foodbank.receipt': async (ctx, input) => receiptView(ctx.app.db, input.id),
  'foodbank.receipts': async (ctx, input) => listReceipts(ctx.app.db, input),
  'foodbank.stock': async (ctx, input) => stockView(ctx.app.db, input, ctx.app.now()),
  'foodbank.sendTransfer': async (ctx, input) => {
    const id = await sendTransfer(ctx.trx, ctx.actor, input, ctx.app.now());
    return (await transferViews(ctx.trx, { ids: [id] }))[0] as never;
  },
  'foodbank.receiveTransfer': async (ctx, input) => {
    await receiveTransfer(ctx.trx, ctx.actor, input, ctx.app.now());
    return (await transferViews(ctx.trx, { ids: [input.transferId] }))[0] as never;
  },
  'foodbank.transfers': async (ctx, input) => transferViews(ctx.app.db, { status: input.status }),
  'foodbank.spoil': async (ctx, input) => ({ movementId: await spoil(ctx.trx, ctx.actor, input, ctx.app.now()) }),
  'foodbank.startStocktake': async (ctx, input) => {
    const id = await startStocktake(ctx.trx, ctx.actor, input, ctx.app.now());
    return stocktakeView(ctx.trx, id);
  },
  'foodbank.stocktake': async (ctx, input) => stocktakeView(ctx.app.db, input.id),
  'foodbank.stocktakes': async (ctx) => stocktakeViews(ctx.app.db),
  'foodbank.enterCounts': async (ctx, input) => {
    await enterCounts(ctx.trx, ctx.actor, input, ctx.app.now());
    return stocktakeView(ctx.trx, input.id);
  },
  'foodbank.confirmStocktake': async (ctx, input) => {
    await confirmStocktake(ctx.trx, ctx.actor, input.id, ctx.app.now(), input.reasons);
    return stocktakeView(ctx.trx, input.id);
  },
  'foodbank.eligibility': async (ctx, input) => eligibilityView(ctx.app.db, await ctx.scope(), input.householdId, ctx.app.now()),
  'foodbank.previewHandout': async (ctx, input) => planHandout(ctx.app.db, await ctx.scope(), input, ctx.app.now()),
  'foodbank.handout': async (ctx, input) => {
    const scope = await ctx.scope();
    const id = await handout(ctx.trx, scope, ctx.actor, input, ctx.app.now());
    return handoutView(ctx.trx, scope, id);
  },
  'foodbank.handoutReceipt': async (ctx, input) => handoutView(ctx.app.db, await ctx.scope(), input.id),
  'foodbank.householdHistory': async (ctx, input) => householdHistory(ctx.app.db, await ctx.scope(), input.householdId),
  'foodbank.allowance': async (ctx) => readAllowance(ctx.app.db),
  'foodbank.setAllowance': async (ctx, input) => {
    await inDeclaredWrite(ctx.trx, async (trx) => {
      await writeAllowance(trx, input);
      await appendAudit(trx, { actor: ctx.actor, action: 'update', entity: 'fb_allowance', detail: { ...input } }, ctx.app.now());
    });
    return readAllowance(ctx.trx);
  },
  'foodbank.alerts': async (ctx, input) => alerts(ctx.app.db, input, ctx.app.now()),
  'foodbank.figures': async (ctx, input) => figures(ctx.app.db, input.from, input.to),
};
