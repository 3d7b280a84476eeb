import type { HandlerTable } from '../../api/registry';
import { todayIso } from '../../contract/roc-date';
import { addVersion, getCodeList, listVersions } from './service';

type CodeListMethods = 'codelists.versions' | 'codelists.get' | 'codelists.addVersion';

export const codeListHandlers: HandlerTable<CodeListMethods> = {
  'codelists.versions': (ctx, input) => listVersions(ctx.app.db, input.list),

  'codelists.get': (ctx, input) =>
    getCodeList(ctx.app.db, input.list, input.versionId !== undefined ? { versionId: input.versionId } : { onDate: input.onDate ?? todayIso(ctx.app.now()) }),

  'codelists.addVersion': async (ctx, input) => {
    const now = ctx.app.now();
    const id = await addVersion(ctx.trx, ctx.actor, input, now);
    return getCodeList(ctx.trx, input.list, { versionId: id });
  },
};
