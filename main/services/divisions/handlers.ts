import type { HandlerTable } from '../../api/registry';
import { todayIso } from '../../contract/roc-date';
import { listDivisions } from './service';

export const divisionHandlers: HandlerTable<'divisions.list'> = {
  'divisions.list': (ctx, input) => listDivisions(ctx.app.db, input.parentCode, todayIso(ctx.app.now())),
};
