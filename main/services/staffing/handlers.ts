import type { HandlerTable } from '../../api/registry';
import { addFill, assertStaffingAccess, closePosition, createPosition, endFill, getPosition, listPositions, monthView, staffUsers, updatePosition } from './service';

type Methods =
  | 'staffing.list'
  | 'staffing.createPosition'
  | 'staffing.updatePosition'
  | 'staffing.closePosition'
  | 'staffing.addFill'
  | 'staffing.endFill'
  | 'staffing.month'
  | 'staffing.users';

export const staffingHandlers: HandlerTable<Methods> = {
  'staffing.list': async (ctx) => {
    assertStaffingAccess(ctx.actor, false);
    return listPositions(ctx.app.db);
  },
  'staffing.createPosition': async (ctx, input) => {
    assertStaffingAccess(ctx.actor, true);
    const id = await createPosition(ctx.trx, ctx.actor, input, ctx.app.now());
    return getPosition(ctx.trx, id);
  },
  'staffing.updatePosition': async (ctx, input) => {
    assertStaffingAccess(ctx.actor, true);
    await updatePosition(ctx.trx, ctx.actor, input, ctx.app.now());
    return getPosition(ctx.trx, input.id);
  },
  'staffing.closePosition': async (ctx, input) => {
    assertStaffingAccess(ctx.actor, true);
    await closePosition(ctx.trx, ctx.actor, input, ctx.app.now());
    return getPosition(ctx.trx, input.id);
  },
  'staffing.addFill': async (ctx, input) => {
    assertStaffingAccess(ctx.actor, true);
    await addFill(ctx.trx, ctx.actor, input, ctx.app.now());
    return getPosition(ctx.trx, input.positionId);
  },
  'staffing.endFill': async (ctx, input) => {
    assertStaffingAccess(ctx.actor, true);
    const positionId = await endFill(ctx.trx, ctx.actor, input, ctx.app.now());
    return getPosition(ctx.trx, positionId);
  },
  'staffing.month': async (ctx, input) => {
    assertStaffingAccess(ctx.actor, false);
    return monthView(ctx.app.db, input.month);
  },
  'staffing.users': async (ctx) => {
    assertStaffingAccess(ctx.actor, true);
    return staffUsers(ctx.app.db);
  },
};
