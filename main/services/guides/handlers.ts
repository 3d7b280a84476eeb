import type { HandlerTable } from '../../api/registry';
import { todayIso } from '../../contract/roc-date';
import { assertGuideAccess, getGuide, guideHistory, guideVersion, listGuides, saveGuide } from './service';

type GuideMethods = 'guides.list' | 'guides.get' | 'guides.history' | 'guides.save';

/** Work guides in context (issue 14 §2). */
export const guideHandlers: HandlerTable<GuideMethods> = {
  'guides.list': (ctx) => {
    assertGuideAccess(ctx.actor, false);
    return listGuides(ctx.app.db, todayIso(ctx.app.now()));
  },
  'guides.get': (ctx, input) => {
    assertGuideAccess(ctx.actor, false);
    return getGuide(ctx.app.db, input.key, input.on ?? todayIso(ctx.app.now()));
  },
  'guides.history': (ctx, input) => {
    assertGuideAccess(ctx.actor, false);
    return guideHistory(ctx.app.db, input.key);
  },
  'guides.save': async (ctx, input) => {
    const id = await saveGuide(ctx.trx, ctx.actor, input, ctx.app.now());
    return guideVersion(ctx.trx, input.key, id);
  },
};
