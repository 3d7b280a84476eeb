import type { HandlerTable } from '../../api/registry';

/** Assessment instruments, assessments and visit-frequency rules (issue 14 §1). */
export const assessmentHandlers: HandlerTable<never> = {};
