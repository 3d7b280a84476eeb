import { Anchor, Badge, Stack } from '@mantine/core';
import { useState } from 'react';
import type { ReassessDueRow, VisitDueRow } from '../../../main/contract/types-visits';
import { DataTable, fetchAllPages, type DataColumn } from '../../components/DataTable';
import { FormError } from '../../components/FormError';
import { call } from '../../lib/api';
import { msgVisitsDue } from '../../lib/messages-instruments';
import { useApiQuery } from '../../lib/useApi';
import { RiskBadge } from '../cases/labels';
import { formatRocDate } from '../../../main/contract/roc-date';

const PAGE = 50;

function Overdue({ days }: { days: number }) {
  return (
    <Badge color={days > 30 ? 'red' : days > 7 ? 'orange' : 'yellow'} variant="light">
      {msgVisitsDue.daysOverdue(days)}
    </Badge>
  );
}

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
  { id: 'overdue', header: msgVisitsDue.cols.overdue, accessor: (r) => r.daysOverdue, exportValue: (r) => msgVisitsDue.daysOverdue(r.daysOverdue), cell: (r) => <Overdue days={r.daysOverdue} /> },
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
  const [page, setPage] = useState(1);
  const list = useApiQuery('worklists.visitsDue', { offset: (page - 1) * PAGE, limit: PAGE });
  return (
    <Stack>
      <FormError message={list.error} />
      <DataTable
        tableId="visits-due"
        auditEntity="worklists.visits_due"
        listName={msgVisitsDue.tabVisits}
        columns={visitColumns}
        rows={list.data?.rows ?? []}
        rowKey={(r) => r.caseId}
        rowTestId={(r) => `visit-due-${r.caseId}`}
        emptyText={msgVisitsDue.visitsEmpty}
        loading={list.loading}
        minWidth={900}
        server={{
          total: list.data?.total ?? 0,
          page,
          pageSize: PAGE,
          onPage: setPage,
          fetchAll: (progress) => fetchAllPages((offset, limit) => call('worklists.visitsDue', { offset, limit }), progress),
        }}
      />
    </Stack>
  );
}

const reassessColumns: DataColumn<ReassessDueRow>[] = [
  { id: 'reassessDue', header: msgVisitsDue.cols.reassessDue, accessor: (r) => r.reassessDue, kind: 'date' },
  { id: 'overdue', header: msgVisitsDue.cols.overdue, accessor: (r) => r.daysOverdue, exportValue: (r) => msgVisitsDue.daysOverdue(r.daysOverdue), cell: (r) => <Overdue days={r.daysOverdue} /> },
  householdCol<ReassessDueRow>(),
  caseCol<ReassessDueRow>(),
  { id: 'level', header: msgVisitsDue.cols.level, accessor: (r) => (r.confirmedLevel ? `${r.confirmedLevel}風險` : ''), cell: (r) => <RiskBadge level={r.confirmedLevel} /> },
  { id: 'assessedOn', header: msgVisitsDue.cols.assessedOn, accessor: (r) => r.assessedOn, kind: 'date' },
  { id: 'worker', header: msgVisitsDue.cols.worker, accessor: (r) => r.worker?.name ?? '' },
];

/** 待追蹤 › 再評估到期. */
export function ReassessDueList() {
  const [page, setPage] = useState(1);
  const list = useApiQuery('worklists.reassessmentsDue', { offset: (page - 1) * PAGE, limit: PAGE });
  return (
    <Stack>
      <FormError message={list.error} />
      <DataTable
        tableId="reassess-due"
        auditEntity="worklists.reassess_due"
        listName={msgVisitsDue.tabReassess}
        columns={reassessColumns}
        rows={list.data?.rows ?? []}
        rowKey={(r) => r.assessmentId}
        rowTestId={(r) => `reassess-due-${r.caseId}`}
        emptyText={msgVisitsDue.reassessEmpty}
        loading={list.loading}
        minWidth={800}
        server={{
          total: list.data?.total ?? 0,
          page,
          pageSize: PAGE,
          onPage: setPage,
          fetchAll: (progress) => fetchAllPages((offset, limit) => call('worklists.reassessmentsDue', { offset, limit }), progress),
        }}
      />
    </Stack>
  );
}
