import { writeTransaction } from '../../../db/tx';
import type { HandlerTable } from '../../api/registry';
import { appendAudit } from '../audit/log';
import { readSettings, writeSettings } from './service';

export const settingsHandlers: HandlerTable<'settings.get' | 'settings.update'> = {
  'settings.get': (ctx) => readSettings(ctx.app.db),
  'settings.update': async (ctx, input) => {
    const before = await readSettings(ctx.app.db);
    await writeTransaction(ctx.app.db, async (trx) => {
      await writeSettings(trx, input);
      await appendAudit(trx, { actor: ctx.actor, action: 'update', entity: 'settings', detail: { before, after: input } }, ctx.app.now());
    });
    return readSettings(ctx.app.db);
  },
};
