import { Alert, Anchor, Group, SegmentedControl, Switch, Text, Title, Stack } from '@mantine/core';
import { useState } from 'react';
import { formatRocDate } from '../../../main/contract/roc-date';
import type { ConcernListRow } from '../../../main/contract/types-households';
import { DataTable, type DataColumn } from '../../components/DataTable';
import { call } from '../../lib/api';
import { msg } from '../../lib/messages';
import { useUser } from '../../lib/session';
import { useAllRows } from '../../lib/useAllRows';
import { DueBadge, frequencyText } from './ConcernPanel';

type Filter = 'mine' | 'team' | 'all';

/** The scopes a role may pick (a 社工 has no team view of others' households; an admin no team). */
function filtersFor(role: string): Filter[] {
  if (role === 'supervisor') return ['team', 'mine', 'all'];
  if (role === 'admin') return ['all', 'mine'];
  return ['mine', 'all'];
}

const columns: DataColumn<ConcernListRow>[] = [
  {
    id: 'household',
    header: msg.concernList.household,
    accessor: (r) => r.addressText || '（未填地址）',
    cell: (r) => (
      <Anchor href={`#/households/${r.householdId}`} size="sm">
        {r.addressText || '（未填地址）'}
      </Anchor>
    ),
    hideable: false,
  },
  { id: 'head', header: msg.concernList.head, accessor: (r) => r.headName ?? '' },
  { id: 'reason', header: msg.concernList.reason, accessor: (r) => r.reason },
  { id: 'frequency', header: msg.concernList.frequency, accessor: (r) => frequencyText(r) },
  { id: 'worker', header: msg.concernList.worker, accessor: (r) => r.workerName ?? '' },
  { id: 'lastVisit', header: msg.concernList.lastVisit, accessor: (r) => r.lastVisitOn, kind: 'date', exportValue: (r) => r.lastVisitOn ?? msg.concern.noVisit, cell: (r) => (r.lastVisitOn ? formatRocDate(r.lastVisitOn) : msg.concern.noVisit) },
  {
    id: 'nextDue',
    header: msg.concernList.nextDue,
    accessor: (r) => r.nextDue,
    kind: 'date',
    cell: (r) => (
      <Text size="sm" fw={r.overdue ? 700 : undefined} c={r.overdue ? 'red' : undefined}>
        {formatRocDate(r.nextDue)}
      </Text>
    ),
  },
  {
    id: 'overdue',
    header: msg.concernList.overdueDays,
    accessor: (r) => (r.overdue ? r.daysOverdue : null),
    exportValue: (r) => (r.overdue ? msg.concern.overdue(r.daysOverdue) : ''),
    cell: (r) => (r.overdue ? <DueBadge daysOverdue={r.daysOverdue} /> : <Text size="sm" c="dimmed">—</Text>),
  },
];

/** `#/concerns`: active long-term concern households by next visit due. */
export function ConcernListScreen() {
  const user = useUser();
  const filters = filtersFor(user.role);
  const [filter, setFilter] = useState<Filter>(filters[0] ?? 'mine');
  const [overdueOnly, setOverdueOnly] = useState(false);
  const list = useAllRows(`${filter}-${overdueOnly}`, (offset, limit) => call('concerns.list', { filter, overdueOnly, offset, limit }), 500);
  const rows = list.rows ?? [];

  return (
    <Stack>
      <Title order={2}>{msg.concernList.title}</Title>
      <Group justify="space-between">
        <Group>
          <SegmentedControl
            aria-label={msg.concernList.filter}
            value={filter}
            onChange={(f) => setFilter(f as Filter)}
            data={filters.map((f) => ({ value: f, label: msg.concernList[f] }))}
          />
          <Switch label={msg.concernList.overdueOnly} checked={overdueOnly} onChange={(e) => setOverdueOnly(e.currentTarget.checked)} />
        </Group>
        <Text size="sm" c="dimmed">{msg.concernList.total(rows.length)}</Text>
      </Group>
      {list.error && <Alert color="red" role="alert">{list.error}</Alert>}
      <DataTable
        tableId="concerns"
        auditEntity="concerns.list"
        listName={msg.concernList.title}
        filters={[
          { label: msg.concernList.filter, value: msg.concernList[filter] },
          { label: msg.concernList.overdueOnly, value: overdueOnly ? '是' : '' },
        ]}
        columns={columns}
        rows={rows}
        rowKey={(r) => r.id}
        rowTestId={(r) => `concern-row-${r.householdId}`}
        emptyText={msg.concernList.none}
        loading={list.loading}
        minWidth={820}
      />
    </Stack>
  );
}
