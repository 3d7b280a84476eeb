import { Anchor, Badge, Button, Pagination, Paper, ScrollArea, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { formatRocDate, formatRocDateTime } from '../../../main/contract/roc-date';
import { FormError } from '../../components/FormError';
import { msgWorklists } from '../../lib/messages';
import { navigate, useRoute } from '../../lib/router';
import { useApiQuery } from '../../lib/useApi';
import { routeQuery } from '../../lib/router';
import { CaseStatusBadge, RiskBadge } from '../cases/labels';

const PAGE = 50;
const TABS = ['follow-ups', 'concerns', 'uncontacted'] as const;
type Tab = (typeof TABS)[number];

function Empty({ cols, children }: { cols: number; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Td colSpan={cols}>
        <Text size="sm" c="dimmed" ta="center">
          {children}
        </Text>
      </Table.Td>
    </Table.Tr>
  );
}

function Overdue({ days }: { days: number }) {
  return (
    <Badge color={days > 30 ? 'red' : days > 7 ? 'orange' : 'yellow'} variant="light">
      {msgWorklists.daysOverdue(days)}
    </Badge>
  );
}

/** 待追蹤 `#/follow-ups[?tab=concerns|uncontacted]`: three lists of what is late. */
export function FollowUpsScreen() {
  const q = routeQuery(useRoute());
  const requested = q.get('tab');
  const tab: Tab = TABS.includes(requested as Tab) ? (requested as Tab) : 'follow-ups';
  const followUps = useApiQuery('worklists.overdueFollowUps', { limit: 1 });
  const concerns = useApiQuery('worklists.overdueConcernVisits', { limit: 1 });
  const uncontacted = useApiQuery('worklists.uncontacted24h', {});
  const count = (n: number | undefined) => (n === undefined ? '' : `（${n}）`);

  return (
    <Stack>
      <Title order={2}>{msgWorklists.followUpsTitle}</Title>
      <Tabs value={tab} onChange={(t) => navigate(t === 'follow-ups' ? '/follow-ups' : `/follow-ups?tab=${t}`)} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="follow-ups">{`${msgWorklists.tabFollowUps}${count(followUps.data?.total)}`}</Tabs.Tab>
          <Tabs.Tab value="concerns">{`${msgWorklists.tabConcerns}${count(concerns.data?.total)}`}</Tabs.Tab>
          <Tabs.Tab value="uncontacted">{`${msgWorklists.tabUncontacted}${count(uncontacted.data?.length)}`}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="follow-ups" pt="md">
          <FollowUpList />
        </Tabs.Panel>
        <Tabs.Panel value="concerns" pt="md">
          <ConcernList />
        </Tabs.Panel>
        <Tabs.Panel value="uncontacted" pt="md">
          <Paper withBorder>
            <FormError message={uncontacted.error} />
            <ScrollArea>
              <Table striped aria-label={msgWorklists.tabUncontacted} miw={800}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{msgWorklists.cols.case}</Table.Th>
                    <Table.Th>{msgWorklists.cols.household}</Table.Th>
                    <Table.Th>{msgWorklists.cols.status}</Table.Th>
                    <Table.Th>{msgWorklists.cols.risk}</Table.Th>
                    <Table.Th>{msgWorklists.cols.dispatchedAt}</Table.Th>
                    <Table.Th>{msgWorklists.cols.hours}</Table.Th>
                    <Table.Th>{msgWorklists.cols.worker}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {(uncontacted.data ?? []).map((r) => (
                    <Table.Tr key={r.caseId}>
                      <Table.Td>
                        <Anchor fz="sm" href={`#/cases/${r.caseId}`}>{r.caseNo}</Anchor>
                      </Table.Td>
                      <Table.Td>
                        <Anchor fz="sm" href={`#/households/${r.householdId}`} c="dark">
                          {r.headName ?? '—'}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <CaseStatusBadge status={r.status} size="sm" />
                      </Table.Td>
                      <Table.Td>
                        <RiskBadge level={r.riskLevel} />
                      </Table.Td>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatRocDateTime(r.dispatchedAt)}</Table.Td>
                      <Table.Td>
                        <Badge color="red" variant="light">
                          {msgWorklists.hours(r.hoursSinceDispatch)}
                        </Badge>
                      </Table.Td>
                      <Table.Td>{r.lead?.name ?? '—'}</Table.Td>
                    </Table.Tr>
                  ))}
                  {uncontacted.data && uncontacted.data.length === 0 && <Empty cols={7}>{msgWorklists.uncontactedEmpty}</Empty>}
                </Table.Tbody>
              </Table>
            </ScrollArea>
          </Paper>
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function FollowUpList() {
  const [page, setPage] = useState(1);
  const list = useApiQuery('worklists.overdueFollowUps', { offset: (page - 1) * PAGE, limit: PAGE });
  const total = list.data?.total ?? 0;
  return (
    <Stack>
      <FormError message={list.error} />
      <Paper withBorder>
        <ScrollArea>
          <Table striped aria-label={msgWorklists.tabFollowUps} miw={800}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{msgWorklists.cols.due}</Table.Th>
                <Table.Th>{msgWorklists.cols.overdue}</Table.Th>
                <Table.Th>{msgWorklists.cols.household}</Table.Th>
                <Table.Th>{msgWorklists.cols.case}</Table.Th>
                <Table.Th>{msgWorklists.cols.lastService}</Table.Th>
                <Table.Th>{msgWorklists.cols.worker}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(list.data?.rows ?? []).map((r) => (
                <Table.Tr key={r.serviceId}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatRocDate(r.nextFollowUp)}</Table.Td>
                  <Table.Td>
                    <Overdue days={r.daysOverdue} />
                  </Table.Td>
                  <Table.Td>
                    <Anchor fz="sm" href={`#/households/${r.householdId}`} c="dark">
                      {r.headName ?? '—'}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{r.caseId ? <Anchor fz="sm" href={`#/cases/${r.caseId}`}>{r.caseNo}</Anchor> : r.concernId ? msgWorklists.concernLabel : '—'}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{`${formatRocDateTime(r.occurredAt)} ${r.method}`}</Table.Td>
                  <Table.Td>{r.worker.name}</Table.Td>
                </Table.Tr>
              ))}
              {list.data && list.data.rows.length === 0 && <Empty cols={6}>{msgWorklists.followUpsEmpty}</Empty>}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      </Paper>
      {total > PAGE && <Pagination total={Math.ceil(total / PAGE)} value={page} onChange={setPage} size="sm" />}
    </Stack>
  );
}

function ConcernList() {
  const [page, setPage] = useState(1);
  const list = useApiQuery('worklists.overdueConcernVisits', { offset: (page - 1) * PAGE, limit: PAGE });
  const total = list.data?.total ?? 0;
  return (
    <Stack>
      <FormError message={list.error} />
      <Paper withBorder>
        <ScrollArea>
          <Table striped aria-label={msgWorklists.tabConcerns} miw={800}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{msgWorklists.cols.nextDue}</Table.Th>
                <Table.Th>{msgWorklists.cols.overdue}</Table.Th>
                <Table.Th>{msgWorklists.cols.household}</Table.Th>
                <Table.Th>{msgWorklists.cols.reason}</Table.Th>
                <Table.Th>{msgWorklists.cols.lastVisit}</Table.Th>
                <Table.Th>{msgWorklists.cols.worker}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(list.data?.rows ?? []).map((r) => (
                <Table.Tr key={r.concernId} data-testid={`concern-overdue-${r.concernId}`}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatRocDate(r.nextDue)}</Table.Td>
                  <Table.Td>
                    <Overdue days={r.daysOverdue} />
                  </Table.Td>
                  <Table.Td>
                    <Anchor fz="sm" href={`#/households/${r.householdId}`} c="dark">
                      {r.headName ?? '—'}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>{r.reason}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatRocDate(r.lastVisitOn) || '—'}</Table.Td>
                  <Table.Td>{r.worker.name}</Table.Td>
                  <Table.Td>
                    <Button size="compact-xs" variant="light" onClick={() => navigate(`/records/new?householdId=${r.householdId}&concernId=${r.concernId}`)}>
                      {msgWorklists.recordVisit}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
              {list.data && list.data.rows.length === 0 && <Empty cols={7}>{msgWorklists.concernsEmpty}</Empty>}
            </Table.Tbody>
          </Table>
        </ScrollArea>
      </Paper>
      {total > PAGE && <Pagination total={Math.ceil(total / PAGE)} value={page} onChange={setPage} size="sm" />}
    </Stack>
  );
}
