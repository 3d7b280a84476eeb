import type { HandlerTable } from '../../api/registry';

/** The local resource map and referrals to it (issue 14 §3). */
export const resourceHandlers: HandlerTable<never> = {};
