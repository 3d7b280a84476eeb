import { Alert, Anchor, Button, Group, Paper, SegmentedControl, Switch, Table, Text, Title, Stack } from '@mantine/core';
import { useState } from 'react';
import { formatRocDate } from '../../../main/contract/roc-date';
import type { ConcernListRow } from '../../../main/contract/types-households';
import { call } from '../../lib/api';
import { msg } from '../../lib/messages';
import { useUser } from '../../lib/session';
import { useApiQuery } from '../../lib/useApi';
import { errorText } from '../households/format';
import { DueBadge, frequencyText } from './ConcernPanel';

type Filter = 'mine' | 'team' | 'all';
const PAGE = 100;

/** The scopes a role may pick (a 社工 has no team view of others' households; an admin no team). */
function filtersFor(role: string): Filter[] {
  if (role === 'supervisor') return ['team', 'mine', 'all'];
  if (role === 'admin') return ['all', 'mine'];
  return ['mine', 'all'];
}

function Row({ r }: { r: ConcernListRow }) {
  return (
    <Table.Tr data-testid={`concern-row-${r.householdId}`}>
      <Table.Td>
        <Anchor href={`#/households/${r.householdId}`} size="sm">{r.addressText || '（未填地址）'}</Anchor>
      </Table.Td>
      <Table.Td>{r.headName ?? ''}</Table.Td>
      <Table.Td>{r.reason}</Table.Td>
      <Table.Td>{frequencyText(r)}</Table.Td>
      <Table.Td>{r.workerName ?? ''}</Table.Td>
      <Table.Td>{r.lastVisitOn ? formatRocDate(r.lastVisitOn) : msg.concern.noVisit}</Table.Td>
      <Table.Td>
        <Text size="sm" fw={r.overdue ? 700 : undefined} c={r.overdue ? 'red' : undefined}>{formatRocDate(r.nextDue)}</Text>
      </Table.Td>
      <Table.Td>{r.overdue ? <DueBadge daysOverdue={r.daysOverdue} /> : <Text size="sm" c="dimmed">—</Text>}</Table.Td>
    </Table.Tr>
  );
}

/** `#/concerns`: active long-term concern households by next visit due. */
export function ConcernListScreen() {
  const user = useUser();
  const filters = filtersFor(user.role);
  const [filter, setFilter] = useState<Filter>(filters[0] ?? 'mine');
  const [overdueOnly, setOverdueOnly] = useState(false);
  const list = useApiQuery('concerns.list', { filter, overdueOnly, offset: 0, limit: PAGE });
  const [more, setMore] = useState<{ key: string; rows: ConcernListRow[] }>({ key: '', rows: [] });
  const [moreError, setMoreError] = useState<string | null>(null);
  const key = `${filter}-${overdueOnly}`;
  const rows = [...(list.data?.rows ?? []), ...(more.key === key ? more.rows : [])];
  const total = list.data?.total ?? 0;

  const loadMore = async () => {
    try {
      const page = await call('concerns.list', { filter, overdueOnly, offset: rows.length, limit: PAGE });
      setMore({ key, rows: [...(more.key === key ? more.rows : []), ...page.rows] });
      setMoreError(null);
    } catch (e) {
      setMoreError(errorText(e));
    }
  };

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
        <Text size="sm" c="dimmed">{msg.concernList.total(total)}</Text>
      </Group>
      {(list.error || moreError) && <Alert color="red" role="alert">{list.error ?? moreError}</Alert>}
      <Paper withBorder>
        <Table.ScrollContainer minWidth={820}>
          <Table striped highlightOnHover aria-label={msg.concernList.title}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{msg.concernList.household}</Table.Th>
                <Table.Th>{msg.concernList.head}</Table.Th>
                <Table.Th>{msg.concernList.reason}</Table.Th>
                <Table.Th>{msg.concernList.frequency}</Table.Th>
                <Table.Th>{msg.concernList.worker}</Table.Th>
                <Table.Th>{msg.concernList.lastVisit}</Table.Th>
                <Table.Th>{msg.concernList.nextDue}</Table.Th>
                <Table.Th>{msg.concernList.overdueDays}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Row key={r.id} r={r} />
              ))}
              {!list.loading && rows.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={8}><Text size="sm" c="dimmed">{msg.concernList.none}</Text></Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      {rows.length < total && (
        <Button variant="subtle" w="fit-content" onClick={() => void loadMore()}>{msg.concernList.more}</Button>
      )}
    </Stack>
  );
}
