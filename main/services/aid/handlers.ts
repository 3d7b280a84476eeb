import type { HandlerTable } from '../../api/registry';

/** Aid from other units (issue 14 §4). */
export const aidHandlers: HandlerTable<never> = {};
