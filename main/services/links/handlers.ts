import type { HandlerTable } from '../../api/registry';

/** Linked families: relations across households, ecomap (issue 14 §5). */
export const linkHandlers: HandlerTable<never> = {};
