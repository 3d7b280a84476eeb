import type { ReactElement } from 'react';
import type { Role } from '../../../main/contract/roles';
import { currentRoute, routeQuery, STAFF_ROLES } from '../../lib/router';
import { AssessmentScreen } from './AssessmentScreen';
import { CompareScreen } from './CompareScreen';
import { NewAssessmentScreen } from './NewAssessmentScreen';

const num = (v: string | null | undefined): number | null => (v && /^\d+$/.test(v) ? Number(v) : null);

/**
 * The worker's assessment screens (issue 14 §1), spread into renderer/routes.tsx's list. 'new' and
 * 'compare' come before ':id'. Typed structurally so this file does not import routes.tsx back.
 */
export const assessmentRoutes: { path: string; roles: readonly Role[]; render(params: Record<string, string>): ReactElement }[] = [
  {
    path: '/assessments/new',
    roles: STAFF_ROLES,
    render: () => {
      const q = routeQuery(currentRoute());
      return <NewAssessmentScreen key={q.toString()} householdId={num(q.get('householdId'))} caseId={num(q.get('caseId'))} concernId={num(q.get('concernId'))} />;
    },
  },
  {
    path: '/assessments/compare',
    roles: STAFF_ROLES,
    render: () => {
      const q = routeQuery(currentRoute());
      return <CompareScreen key={q.toString()} earlierId={num(q.get('earlier'))} laterId={num(q.get('later'))} />;
    },
  },
  { path: '/assessments/:id', roles: STAFF_ROLES, render: (p) => <AssessmentScreen key={p.id} id={Number(p.id)} /> },
];
