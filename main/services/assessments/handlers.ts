import type { HandlerTable } from '../../api/registry';
import { ApiError } from '../../contract/envelope';

// TEMPORARY (lead, issue 14): the methods are declared on main before helper A's services land; until then
// each answers a refusal so the app still starts. Helper A's handlers.ts replaces this file whole.
const pending = async (): Promise<never> => {
  throw new ApiError('FORBIDDEN', '評估功能尚未啟用。');
};

/** Assessment instruments, assessments and visit-frequency rules (issue 14 §1). */
export const assessmentHandlers: HandlerTable<
  | 'instruments.list'
  | 'instruments.version'
  | 'instruments.create'
  | 'instruments.saveVersion'
  | 'instruments.archive'
  | 'instruments.exportQuestionnaire'
  | 'assessments.save'
  | 'assessments.confirm'
  | 'assessments.delete'
  | 'assessments.list'
  | 'assessments.get'
  | 'assessments.compare'
  | 'assessments.exportFhir'
  | 'visitRules.list'
  | 'visitRules.save'
> = {
  'instruments.list': pending,
  'instruments.version': pending,
  'instruments.create': pending,
  'instruments.saveVersion': pending,
  'instruments.archive': pending,
  'instruments.exportQuestionnaire': pending,
  'assessments.save': pending,
  'assessments.confirm': pending,
  'assessments.delete': pending,
  'assessments.list': pending,
  'assessments.get': pending,
  'assessments.compare': pending,
  'assessments.exportFhir': pending,
  'visitRules.list': pending,
  'visitRules.save': pending,
};
