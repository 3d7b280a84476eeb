import { Anchor } from '@mantine/core';
import type { ReassessDueRow, VisitDueRow } from '../../../main/contract/types-visits';
import { type DataColumn } from '../../components/DataTable';
import { msgVisitsDue } from '../../lib/messages-instruments';
import { Overdue, PagedWorklist } from './PagedWorklist';
import { RiskBadge } from '../cases/labels';
import { formatRocDate } from '../../../main/contract/roc-date';

const householdCol = <T extends { householdId: number; headName: string | null }>(): DataColumn<T> => ({
  id: 'household',
  header: msgVisitsDue.cols.household,
  accessor: (r) => r.headName ?? '',
  cell: (r) => (
    <Anchor fz="sm" href={`#/households/${r.householdId}`} c="dark">
      {r.headName ?? '—'}
    </Anchor>
  ),
});

const caseCol = <T extends { caseId: number; caseNo: string }>(): DataColumn<T> => ({
  id: 'case',
  header: msgVisitsDue.cols.case,
  accessor: (r) => r.caseNo,
  cell: (r) => (
    <Anchor fz="sm" href={`#/cases/${r.caseId}`}>
      {r.caseNo}
    </Anchor>
  ),
});

const visitColumns: DataColumn<VisitDueRow>[] = [
  { id: 'nextVisit', header: msgVisitsDue.cols.nextVisit, accessor: (r) => r.nextVisitOn, kind: 'date' },
  { id: 'overdue', header: msgVisitsDue.cols.overdue, accessor: (r) => r.daysOverdue, exportValue: (r) => msgVisitsDue.daysOverdue(r.daysOverdue), cell: (r) => <Overdue text={msgVisitsDue.daysOverdue} days={r.daysOverdue} /> },
  householdCol<VisitDueRow>(),
  caseCol<VisitDueRow>(),
  {
    id: 'level',
    header: msgVisitsDue.cols.level,
    accessor: (r) => `${r.level}風險（${msgVisitsDue.levelFrom[r.levelSource]}）`,
    cell: (r) => <RiskBadge level={r.level} />,
  },
  { id: 'every', header: msgVisitsDue.cols.every, accessor: (r) => r.visitEveryDays, exportValue: (r) => msgVisitsDue.everyDays(r.visitEveryDays), cell: (r) => msgVisitsDue.everyDays(r.visitEveryDays) },
  { id: 'lastVisit', header: msgVisitsDue.cols.lastVisit, accessor: (r) => r.lastVisitOn, kind: 'date', cell: (r) => formatRocDate(r.lastVisitOn) || '—' },
  { id: 'worker', header: msgVisitsDue.cols.worker, accessor: (r) => r.lead?.name ?? '' },
];

/** 待追蹤 › 訪視到期. */
export function VisitsDueList() {
  return (
    <PagedWorklist
      method="worklists.visitsDue"
      tableId="visits-due"
      auditEntity="worklists.visits_due"
      listName={msgVisitsDue.tabVisits}
      columns={visitColumns}
      rowKey={(r) => r.caseId}
      rowTestId={(r) => `visit-due-${r.caseId}`}
      emptyText={msgVisitsDue.visitsEmpty}
      minWidth={900}
    />
  );
}

const reassessColumns: DataColumn<ReassessDueRow>[] = [
  { id: 'reassessDue', header: msgVisitsDue.cols.reassessDue, accessor: (r) => r.reassessDue, kind: 'date' },
  { id: 'overdue', header: msgVisitsDue.cols.overdue, accessor: (r) => r.daysOverdue, exportValue: (r) => msgVisitsDue.daysOverdue(r.daysOverdue), cell: (r) => <Overdue text={msgVisitsDue.daysOverdue} days={r.daysOverdue} /> },
  householdCol<ReassessDueRow>(),
  caseCol<ReassessDueRow>(),
  { id: 'level', header: msgVisitsDue.cols.level, accessor: (r) => (r.confirmedLevel ? `${r.confirmedLevel}風險` : ''), cell: (r) => <RiskBadge level={r.confirmedLevel} /> },
  { id: 'assessedOn', header: msgVisitsDue.cols.assessedOn, accessor: (r) => r.assessedOn, kind: 'date' },
  { id: 'worker', header: msgVisitsDue.cols.worker, accessor: (r) => r.worker?.name ?? '' },
];

/** 待追蹤 › 再評估到期. */
export function ReassessDueList() {
  return (
    <PagedWorklist
      method="worklists.reassessmentsDue"
      tableId="reassess-due"
      auditEntity="worklists.reassess_due"
      listName={msgVisitsDue.tabReassess}
      columns={reassessColumns}
      rowKey={(r) => r.assessmentId}
      rowTestId={(r) => `reassess-due-${r.caseId}`}
      emptyText={msgVisitsDue.reassessEmpty}
      minWidth={800}
    />
  );
}
