import type { HandlerTable } from '../../api/registry';
import { appendAudit } from '../audit/log';
import { readSettings, writeSettings } from './service';
import { inDeclaredWrite } from '../call-hooks';

export const settingsHandlers: HandlerTable<'settings.get' | 'settings.update'> = {
  'settings.get': (ctx) => readSettings(ctx.app.db),
  'settings.update': async (ctx, input) => {
    const before = await readSettings(ctx.trx);
    await inDeclaredWrite(ctx.trx, async (trx) => {
      await writeSettings(trx, input);
      await appendAudit(trx, { actor: ctx.actor, action: 'update', entity: 'settings', detail: { before, after: input } }, ctx.app.now());
    });
    return readSettings(ctx.trx);
  },
};
