import { Alert, Anchor, Badge, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { formatRocDate } from '../../../main/contract/roc-date';
import { msg } from '../../lib/messages';
import { useApiQuery } from '../../lib/useApi';
import { rocDayOf } from '../households/format';

/** `#/care/high-burden`: 高照顧負荷家庭 the caller may see, with who cares and what help is in place. */
export function HighBurdenScreen() {
  const list = useApiQuery('care.highBurdenList', { offset: 0, limit: 500 });
  const rows = list.data?.rows ?? [];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{msg.care.listTitle}</Title>
        <Text size="sm" c="dimmed">{msg.care.total(list.data?.total ?? 0)}</Text>
      </Group>
      {list.error && <Alert color="red" role="alert">{list.error}</Alert>}
      <Paper withBorder>
        <Table.ScrollContainer minWidth={900}>
          <Table striped highlightOnHover aria-label={msg.care.listTitle}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{msg.care.listHousehold}</Table.Th>
                <Table.Th>{msg.care.listHead}</Table.Th>
                <Table.Th>{msg.care.listCaregiver}</Table.Th>
                <Table.Th>{msg.care.listNeeds}</Table.Th>
                <Table.Th>{msg.care.listMaxCms}</Table.Th>
                <Table.Th>{msg.care.listServices}</Table.Th>
                <Table.Th>{msg.care.listConcern}</Table.Th>
                <Table.Th>{msg.care.listUpdated}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((r) => (
                <Table.Tr key={r.householdId} data-testid={`high-burden-row-${r.householdId}`}>
                  <Table.Td>
                    <Anchor href={`#/households/${r.householdId}`} size="sm">{r.addressText || '（未填地址）'}</Anchor>
                  </Table.Td>
                  <Table.Td>{r.headName ?? ''}</Table.Td>
                  <Table.Td>{r.caregiverName ?? msg.care.caregiverNone}</Table.Td>
                  <Table.Td>{r.needKinds.join('、')}</Table.Td>
                  <Table.Td>{r.maxCmsLevel ? msg.care.cmsValue(r.maxCmsLevel) : msg.care.cmsNone}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {r.services.length === 0 ? <Text size="sm" c="red">{msg.none}</Text> : r.services.map((s) => <Badge key={s} size="xs" variant="light">{s}</Badge>)}
                    </Group>
                  </Table.Td>
                  <Table.Td>{r.activeConcern ? r.concernWorkerName ?? msg.concern.active : '—'}</Table.Td>
                  <Table.Td>{r.updatedAt.length > 10 ? rocDayOf(r.updatedAt) : formatRocDate(r.updatedAt)}</Table.Td>
                </Table.Tr>
              ))}
              {!list.loading && rows.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={8}><Text size="sm" c="dimmed">{msg.care.listNone}</Text></Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
    </Stack>
  );
}
