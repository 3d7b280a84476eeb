import type { HandlerTable } from '../../api/registry';
import { assessmentsMethods } from '../../contract/methods/assessments';
import { ApiError } from '../../contract/envelope';

type AssessmentMethods = keyof typeof assessmentsMethods;

/** Assessment instruments, assessments and visit-frequency rules (issue 14 §1). Placeholders until the services land. */
const notYet = () => {
  throw new ApiError('RULE', '評估功能尚在建置中。');
};
export const assessmentHandlers = Object.fromEntries(Object.keys(assessmentsMethods).map((k) => [k, notYet])) as unknown as HandlerTable<AssessmentMethods>;
