import type { HandlerTable } from '../../api/registry';

/** Work guides in context (issue 14 §2). */
export const guideHandlers: HandlerTable<never> = {};
