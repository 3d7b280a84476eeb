import type { HandlerTable } from '../../api/registry';
import type { MethodName } from '../../contract/api';
import { scopeOf } from '../access/scope';
import { appendAudit } from '../audit/log';
import { fbWrite, readAllowance, writeAllowance } from './common';
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
  'foodbank.saveItem': async (ctx, input) => fbWrite(ctx.app.db, (trx) => saveItem(trx, ctx.actor, input, ctx.app.now())),
  'foodbank.locations': async (ctx) => listLocations(ctx.app.db),
  'foodbank.saveLocation': async (ctx, input) => fbWrite(ctx.app.db, (trx) => saveLocation(trx, ctx.actor, input, ctx.app.now())),
  'foodbank.donors': async (ctx, input) => listDonors(ctx.app.db, input.q),
  'foodbank.saveDonor': async (ctx, input) => fbWrite(ctx.app.db, (trx) => saveDonor(trx, ctx.actor, input, ctx.app.now())),
  'foodbank.donorStatement': async (ctx, input) => donorStatement(ctx.app.db, input.donorId, input.year),
  'foodbank.receive': async (ctx, input) => {
    const id = await fbWrite(ctx.app.db, (trx) => receive(trx, ctx.actor, input, ctx.app.now()));
    return receiptView(ctx.app.db, id);
  },
  'foodbank.receipt': async (ctx, input) => receiptView(ctx.app.db, input.id),
  'foodbank.receipts': async (ctx, input) => listReceipts(ctx.app.db, input),
  'foodbank.stock': async (ctx, input) => stockView(ctx.app.db, input, ctx.app.now()),
  'foodbank.sendTransfer': async (ctx, input) => {
    const id = await fbWrite(ctx.app.db, (trx) => sendTransfer(trx, ctx.actor, input, ctx.app.now()));
    return (await transferViews(ctx.app.db, { ids: [id] }))[0] as never;
  },
  'foodbank.receiveTransfer': async (ctx, input) => {
    await fbWrite(ctx.app.db, (trx) => receiveTransfer(trx, ctx.actor, input, ctx.app.now()));
    return (await transferViews(ctx.app.db, { ids: [input.transferId] }))[0] as never;
  },
  'foodbank.transfers': async (ctx, input) => transferViews(ctx.app.db, { status: input.status }),
  'foodbank.spoil': async (ctx, input) => ({ movementId: await fbWrite(ctx.app.db, (trx) => spoil(trx, ctx.actor, input, ctx.app.now())) }),
  'foodbank.startStocktake': async (ctx, input) => {
    const id = await fbWrite(ctx.app.db, (trx) => startStocktake(trx, ctx.actor, input, ctx.app.now()));
    return stocktakeView(ctx.app.db, id);
  },
  'foodbank.stocktake': async (ctx, input) => stocktakeView(ctx.app.db, input.id),
  'foodbank.stocktakes': async (ctx) => stocktakeViews(ctx.app.db),
  'foodbank.enterCounts': async (ctx, input) => {
    await fbWrite(ctx.app.db, (trx) => enterCounts(trx, ctx.actor, input, ctx.app.now()));
    return stocktakeView(ctx.app.db, input.id);
  },
  'foodbank.confirmStocktake': async (ctx, input) => {
    await fbWrite(ctx.app.db, (trx) => confirmStocktake(trx, ctx.actor, input.id, ctx.app.now()));
    return stocktakeView(ctx.app.db, input.id);
  },
  'foodbank.eligibility': async (ctx, input) => eligibilityView(ctx.app.db, await scopeOf(ctx.app.db, ctx.actor), input.householdId, ctx.app.now()),
  'foodbank.previewHandout': async (ctx, input) => planHandout(ctx.app.db, await scopeOf(ctx.app.db, ctx.actor), input, ctx.app.now()),
  'foodbank.handout': async (ctx, input) => {
    const scope = await scopeOf(ctx.app.db, ctx.actor);
    const id = await fbWrite(ctx.app.db, (trx) => handout(trx, scope, ctx.actor, input, ctx.app.now()));
    return handoutView(ctx.app.db, scope, id);
  },
  'foodbank.handoutReceipt': async (ctx, input) => handoutView(ctx.app.db, await scopeOf(ctx.app.db, ctx.actor), input.id),
  'foodbank.householdHistory': async (ctx, input) => householdHistory(ctx.app.db, await scopeOf(ctx.app.db, ctx.actor), input.householdId),
  'foodbank.allowance': async (ctx) => readAllowance(ctx.app.db),
  'foodbank.setAllowance': async (ctx, input) => {
    await fbWrite(ctx.app.db, async (trx) => {
      await writeAllowance(trx, input);
      await appendAudit(trx, { actor: ctx.actor, action: 'update', entity: 'fb_allowance', detail: { ...input } }, ctx.app.now());
    });
    return readAllowance(ctx.app.db);
  },
  'foodbank.alerts': async (ctx, input) => alerts(ctx.app.db, input, ctx.app.now()),
  'foodbank.figures': async (ctx, input) => figures(ctx.app.db, input.from, input.to),
};
