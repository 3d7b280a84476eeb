import { Anchor, Badge, Button, Group, Pagination, Paper, ScrollArea, Stack, Table, Tabs, Text, Title, UnstyledButton } from '@mantine/core';
import { useState } from 'react';
import type { NotificationItem } from '../../../main/contract/methods/notifications';
import { formatRocDate, formatRocDateTime, todayIso } from '../../../main/contract/roc-date';
import { FormError } from '../../components/FormError';
import { call } from '../../lib/api';
import { msgNotifications as m } from '../../lib/messages-notifications';
import { navigate, useRoute } from '../../lib/router';
import { useApiQuery } from '../../lib/useApi';
import { notificationsChanged } from './events';

const PAGE = 20;
const TABS = ['unread', 'all', 'returned'] as const;
type Tab = (typeof TABS)[number];

/** Where a notification leads: its case, else its household (the screen there checks access again). */
export function notificationHref(n: Pick<NotificationItem, 'caseId' | 'householdId'>): string | null {
  if (n.caseId !== null) return `/cases/${n.caseId}`;
  if (n.householdId !== null) return `/households/${n.householdId}`;
  return null;
}

function tabOf(route: string): Tab {
  const t = new URLSearchParams(route.split('?')[1] ?? '').get('tab');
  return TABS.includes(t as Tab) ? (t as Tab) : 'unread';
}

function Item({ n, onError }: { n: NotificationItem; onError: (msg: string) => void }) {
  const href = notificationHref(n);
  const unread = n.readAt === null;
  const open = async () => {
    try {
      if (unread) await call('notifications.markRead', n.id !== null ? { id: n.id } : { serviceId: n.serviceId as number });
      notificationsChanged();
      if (href) navigate(href);
    } catch (e) {
      onError(e instanceof Error ? e.message : String(e));
    }
  };
  return (
    <UnstyledButton onClick={() => void open()} data-testid="notification-item" data-unread={unread ? 'true' : 'false'} w="100%">
      <Paper withBorder p="sm" bg={unread ? 'var(--mantine-color-blue-light)' : undefined}>
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Stack gap={4}>
            <Group gap="xs">
              <Badge variant={unread ? 'filled' : 'light'} color={n.kind === 'returned' ? 'red' : n.kind === 'approved' ? 'green' : 'blue'}>
                {m.kinds[n.kind] ?? n.kind}
              </Badge>
              <Text fw={unread ? 700 : 400}>{n.summary}</Text>
            </Group>
            {n.comment && (
              <Text size="sm" data-testid="notification-comment">
                {m.comment}
                {n.comment}
              </Text>
            )}
          </Stack>
          <Stack gap={4} align="flex-end">
            <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
              {n.kind === 'follow-up' ? formatRocDate(todayIso(new Date(n.createdAt))) : formatRocDateTime(n.createdAt)}
            </Text>
            <Text size="xs" c={unread ? 'blue' : 'dimmed'}>
              {unread ? m.unread : m.read}
            </Text>
            {href && (
              <Anchor component="span" size="sm">
                {m.open}
              </Anchor>
            )}
          </Stack>
        </Group>
      </Paper>
    </UnstyledButton>
  );
}

function NotificationList({ unread }: { unread: boolean }) {
  const [page, setPage] = useState(1);
  const [err, setErr] = useState<string | null>(null);
  const q = useApiQuery('notifications.list', { unread, offset: (page - 1) * PAGE, limit: PAGE });
  const markAll = async () => {
    try {
      await call('notifications.markAllRead', {});
      notificationsChanged();
      await q.reload();
    } catch (e) {
      setErr(e instanceof Error ? e.message : String(e));
    }
  };
  const data = q.data;
  const due = data?.dueToday ?? [];
  const rows = data?.rows ?? [];
  const pages = Math.max(1, Math.ceil((data?.total ?? 0) / PAGE));
  return (
    <Stack>
      <FormError message={q.error ?? err} />
      <Group justify="flex-end">
        <Button size="xs" variant="default" onClick={() => void markAll()} disabled={!data}>
          {m.markAllRead}
        </Button>
      </Group>
      {due.length > 0 && page === 1 && (
        <Stack gap="xs" data-testid="notifications-due-today">
          <Title order={4}>{m.dueToday}</Title>
          {due.map((n) => (
            <Item key={`f${n.serviceId}`} n={n} onError={setErr} />
          ))}
        </Stack>
      )}
      <Stack gap="xs" data-testid="notifications-list">
        {rows.map((n) => (
          <Item key={n.id} n={n} onError={setErr} />
        ))}
        {data && rows.length === 0 && due.length === 0 && (
          <Text c="dimmed" ta="center">
            {unread ? m.emptyUnread : m.emptyAll}
          </Text>
        )}
      </Stack>
      {pages > 1 && <Pagination value={page} onChange={setPage} total={pages} />}
    </Stack>
  );
}

function ReturnedList() {
  const q = useApiQuery('notifications.returned', {});
  const rows = q.data ?? [];
  return (
    <Paper withBorder>
      <FormError message={q.error} />
      <ScrollArea>
        <Table striped aria-label={m.tabReturned} miw={720} data-testid="returned-requests">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{m.returnedCols.case}</Table.Th>
              <Table.Th>{m.returnedCols.kind}</Table.Th>
              <Table.Th>{m.returnedCols.comment}</Table.Th>
              <Table.Th>{m.returnedCols.decidedAt}</Table.Th>
              <Table.Th>{m.returnedCols.decidedBy}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.requestId}>
                <Table.Td>
                  <Anchor fz="sm" href={`#/cases/${r.caseId}`}>
                    {r.caseNo}
                  </Anchor>
                </Table.Td>
                <Table.Td>{r.kindLabel}</Table.Td>
                <Table.Td>{r.comment ?? ''}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatRocDateTime(r.decidedAt)}</Table.Td>
                <Table.Td>{r.decidedBy}</Table.Td>
              </Table.Tr>
            ))}
            {q.data && rows.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={5}>
                  <Text size="sm" c="dimmed" ta="center">
                    {m.emptyReturned}
                  </Text>
                </Table.Td>
              </Table.Tr>
            )}
          </Table.Tbody>
        </Table>
      </ScrollArea>
    </Paper>
  );
}

/** 通知 `#/notifications[?tab=all|returned]`: mine only; opening one marks it read and goes to its record. */
export function InboxScreen() {
  const tab = tabOf(useRoute());
  return (
    <Stack>
      <Title order={2}>{m.title}</Title>
      <Tabs value={tab} onChange={(t) => navigate(t === 'unread' ? '/notifications' : `/notifications?tab=${t}`)} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="unread">{m.tabUnread}</Tabs.Tab>
          <Tabs.Tab value="all">{m.tabAll}</Tabs.Tab>
          <Tabs.Tab value="returned">{m.tabReturned}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="unread" pt="md">
          <NotificationList unread />
        </Tabs.Panel>
        <Tabs.Panel value="all" pt="md">
          <NotificationList unread={false} />
        </Tabs.Panel>
        <Tabs.Panel value="returned" pt="md">
          <ReturnedList />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
