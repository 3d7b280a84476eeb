import { Anchor, Badge, Button, Stack, Tabs, Title } from '@mantine/core';
import { formatRocDate, formatRocDateTime } from '../../../main/contract/roc-date';
import type { ConcernVisitRow, FollowUpRow, UncontactedRow } from '../../../main/contract/types-cases';
import { DataTable, type DataColumn } from '../../components/DataTable';
import { FormError } from '../../components/FormError';
import { msgWorklists } from '../../lib/messages';
import { navigate, useRoute } from '../../lib/router';
import { useApiQuery } from '../../lib/useApi';
import { Overdue, PagedWorklist } from './PagedWorklist';
import { routeQuery } from '../../lib/router';
import { CaseStatusBadge, RiskBadge } from '../cases/labels';
import { msgVisitsDue } from '../../lib/messages-instruments';
import { ReassessDueList, VisitsDueList } from './VisitsDueLists';

const TABS = ['follow-ups', 'concerns', 'uncontacted', 'visits', 'reassess'] as const;
type Tab = (typeof TABS)[number];

/** 待追蹤 `#/follow-ups[?tab=concerns|uncontacted|visits|reassess]`: the lists of what is late. */
export function FollowUpsScreen() {
  const q = routeQuery(useRoute());
  const requested = q.get('tab');
  const tab: Tab = TABS.includes(requested as Tab) ? (requested as Tab) : 'follow-ups';
  const followUps = useApiQuery('worklists.overdueFollowUps', { limit: 1 });
  const concerns = useApiQuery('worklists.overdueConcernVisits', { limit: 1 });
  const uncontacted = useApiQuery('worklists.uncontacted24h', {});
  const visits = useApiQuery('worklists.visitsDue', { limit: 1 });
  const reassess = useApiQuery('worklists.reassessmentsDue', { limit: 1 });
  const count = (n: number | undefined) => (n === undefined ? '' : `（${n}）`);

  return (
    <Stack>
      <Title order={2}>{msgWorklists.followUpsTitle}</Title>
      <Tabs value={tab} onChange={(t) => navigate(t === 'follow-ups' ? '/follow-ups' : `/follow-ups?tab=${t}`)} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="follow-ups">{`${msgWorklists.tabFollowUps}${count(followUps.data?.total)}`}</Tabs.Tab>
          <Tabs.Tab value="concerns">{`${msgWorklists.tabConcerns}${count(concerns.data?.total)}`}</Tabs.Tab>
          <Tabs.Tab value="uncontacted">{`${msgWorklists.tabUncontacted}${count(uncontacted.data?.length)}`}</Tabs.Tab>
          <Tabs.Tab value="visits">{`${msgVisitsDue.tabVisits}${count(visits.data?.total)}`}</Tabs.Tab>
          <Tabs.Tab value="reassess">{`${msgVisitsDue.tabReassess}${count(reassess.data?.total)}`}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="follow-ups" pt="md">
          <FollowUpList />
        </Tabs.Panel>
        <Tabs.Panel value="concerns" pt="md">
          <ConcernList />
        </Tabs.Panel>
        <Tabs.Panel value="uncontacted" pt="md">
          <FormError message={uncontacted.error} />
          <DataTable
            tableId="uncontacted"
            auditEntity="worklists.uncontacted"
            listName={msgWorklists.tabUncontacted}
            columns={uncontactedColumns}
            rows={uncontacted.data ?? []}
            rowKey={(r) => r.caseId}
            emptyText={msgWorklists.uncontactedEmpty}
            loading={uncontacted.loading}
            minWidth={800}
          />
        </Tabs.Panel>
        <Tabs.Panel value="visits" pt="md">
          <VisitsDueList />
        </Tabs.Panel>
        <Tabs.Panel value="reassess" pt="md">
          <ReassessDueList />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

const ROC = (iso: string | null) => formatRocDate(iso);

const uncontactedColumns: DataColumn<UncontactedRow>[] = [
  { id: 'case', header: msgWorklists.cols.case, accessor: (r) => r.caseNo, cell: (r) => <Anchor fz="sm" href={`#/cases/${r.caseId}`}>{r.caseNo}</Anchor>, hideable: false },
  {
    id: 'household',
    header: msgWorklists.cols.household,
    accessor: (r) => r.headName ?? '',
    cell: (r) => (
      <Anchor fz="sm" href={`#/households/${r.householdId}`} c="dark">
        {r.headName ?? '—'}
      </Anchor>
    ),
  },
  { id: 'status', header: msgWorklists.cols.status, accessor: (r) => r.status, cell: (r) => <CaseStatusBadge status={r.status} size="sm" /> },
  { id: 'risk', header: msgWorklists.cols.risk, accessor: (r) => (r.riskLevel ? `${r.riskLevel}風險` : ''), cell: (r) => <RiskBadge level={r.riskLevel} /> },
  { id: 'dispatchedAt', header: msgWorklists.cols.dispatchedAt, accessor: (r) => r.dispatchedAt, kind: 'datetime' },
  {
    id: 'hours',
    header: msgWorklists.cols.hours,
    accessor: (r) => r.hoursSinceDispatch,
    exportValue: (r) => msgWorklists.hours(r.hoursSinceDispatch),
    cell: (r) => (
      <Badge color="red" variant="light">
        {msgWorklists.hours(r.hoursSinceDispatch)}
      </Badge>
    ),
  },
  { id: 'worker', header: msgWorklists.cols.worker, accessor: (r) => r.lead?.name ?? '' },
];

const followUpColumns: DataColumn<FollowUpRow>[] = [
  { id: 'due', header: msgWorklists.cols.due, accessor: (r) => r.nextFollowUp, kind: 'date' },
  { id: 'overdue', header: msgWorklists.cols.overdue, accessor: (r) => r.daysOverdue, exportValue: (r) => msgWorklists.daysOverdue(r.daysOverdue), cell: (r) => <Overdue text={msgWorklists.daysOverdue} days={r.daysOverdue} /> },
  {
    id: 'household',
    header: msgWorklists.cols.household,
    accessor: (r) => r.headName ?? '',
    cell: (r) => (
      <Anchor fz="sm" href={`#/households/${r.householdId}`} c="dark">
        {r.headName ?? '—'}
      </Anchor>
    ),
  },
  {
    id: 'case',
    header: msgWorklists.cols.case,
    accessor: (r) => (r.caseId ? r.caseNo : r.concernId ? msgWorklists.concernLabel : ''),
    cell: (r) => (r.caseId ? <Anchor fz="sm" href={`#/cases/${r.caseId}`}>{r.caseNo}</Anchor> : r.concernId ? msgWorklists.concernLabel : '—'),
  },
  { id: 'lastService', header: msgWorklists.cols.lastService, accessor: (r) => `${formatRocDateTime(r.occurredAt)} ${r.method}`, nowrap: true },
  { id: 'worker', header: msgWorklists.cols.worker, accessor: (r) => r.worker.name },
];

function FollowUpList() {
  return (
    <PagedWorklist
      method="worklists.overdueFollowUps"
      tableId="follow-ups"
      auditEntity="worklists.follow_ups"
      listName={msgWorklists.tabFollowUps}
      columns={followUpColumns}
      rowKey={(r) => r.serviceId}
      emptyText={msgWorklists.followUpsEmpty}
      minWidth={800}
    />
  );
}

const concernColumns: DataColumn<ConcernVisitRow>[] = [
  { id: 'nextDue', header: msgWorklists.cols.nextDue, accessor: (r) => r.nextDue, kind: 'date' },
  { id: 'overdue', header: msgWorklists.cols.overdue, accessor: (r) => r.daysOverdue, exportValue: (r) => msgWorklists.daysOverdue(r.daysOverdue), cell: (r) => <Overdue text={msgWorklists.daysOverdue} days={r.daysOverdue} /> },
  {
    id: 'household',
    header: msgWorklists.cols.household,
    accessor: (r) => r.headName ?? '',
    cell: (r) => (
      <Anchor fz="sm" href={`#/households/${r.householdId}`} c="dark">
        {r.headName ?? '—'}
      </Anchor>
    ),
  },
  { id: 'reason', header: msgWorklists.cols.reason, accessor: (r) => r.reason },
  { id: 'lastVisit', header: msgWorklists.cols.lastVisit, accessor: (r) => r.lastVisitOn, kind: 'date', cell: (r) => ROC(r.lastVisitOn) || '—' },
  { id: 'worker', header: msgWorklists.cols.worker, accessor: (r) => r.worker.name },
  {
    id: 'actions',
    header: '',
    accessor: () => null,
    screenOnly: true,
    hideable: false,
    sortable: false,
    cell: (r) => (
      <Button size="compact-xs" variant="light" onClick={() => navigate(`/records/new?householdId=${r.householdId}&concernId=${r.concernId}`)}>
        {msgWorklists.recordVisit}
      </Button>
    ),
  },
];

function ConcernList() {
  return (
    <PagedWorklist
      method="worklists.overdueConcernVisits"
      tableId="overdue-concerns"
      auditEntity="worklists.overdue_concerns"
      listName={msgWorklists.tabConcerns}
      columns={concernColumns}
      rowKey={(r) => r.concernId}
      rowTestId={(r) => `concern-overdue-${r.concernId}`}
      emptyText={msgWorklists.concernsEmpty}
      minWidth={800}
    />
  );
}
