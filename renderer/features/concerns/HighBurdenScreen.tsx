import { Alert, Anchor, Badge, Group, Stack, Text, Title } from '@mantine/core';
import { formatRocDate } from '../../../main/contract/roc-date';
import type { HighBurdenRow } from '../../../main/contract/types-households';
import { DataTable, taipeiDay, type DataColumn } from '../../components/DataTable';
import { call } from '../../lib/api';
import { msg } from '../../lib/messages';
import { useAllRows } from '../../lib/useAllRows';
import { rocDayOf } from '../households/format';

const columns: DataColumn<HighBurdenRow>[] = [
  {
    id: 'household',
    header: msg.care.listHousehold,
    accessor: (r) => r.addressText || '（未填地址）',
    cell: (r) => (
      <Anchor href={`#/households/${r.householdId}`} size="sm">
        {r.addressText || '（未填地址）'}
      </Anchor>
    ),
    hideable: false,
  },
  { id: 'head', header: msg.care.listHead, accessor: (r) => r.headName ?? '' },
  { id: 'caregiver', header: msg.care.listCaregiver, accessor: (r) => r.caregiverName ?? msg.care.caregiverNone },
  { id: 'needs', header: msg.care.listNeeds, accessor: (r) => r.needKinds.join('、') },
  { id: 'cms', header: msg.care.listMaxCms, accessor: (r) => r.maxCmsLevel, exportValue: (r) => (r.maxCmsLevel ? msg.care.cmsValue(r.maxCmsLevel) : msg.care.cmsNone), cell: (r) => (r.maxCmsLevel ? msg.care.cmsValue(r.maxCmsLevel) : msg.care.cmsNone) },
  {
    id: 'services',
    header: msg.care.listServices,
    accessor: (r) => (r.services.length === 0 ? msg.none : r.services.join('、')),
    cell: (r) => (
      <Group gap={4}>
        {r.services.length === 0 ? (
          <Text size="sm" c="red">
            {msg.none}
          </Text>
        ) : (
          r.services.map((s) => (
            <Badge key={s} size="xs" variant="light">
              {s}
            </Badge>
          ))
        )}
      </Group>
    ),
  },
  { id: 'concern', header: msg.care.listConcern, accessor: (r) => (r.activeConcern ? (r.concernWorkerName ?? msg.concern.active) : '') },
  {
    id: 'updated',
    header: msg.care.listUpdated,
    accessor: (r) => (r.updatedAt.length > 10 ? taipeiDay(r.updatedAt) : r.updatedAt),
    kind: 'date',
    cell: (r) => (r.updatedAt.length > 10 ? rocDayOf(r.updatedAt) : formatRocDate(r.updatedAt)),
  },
];

/** `#/care/high-burden`: 高照顧負荷家庭 the caller may see, with who cares and what help is in place. */
export function HighBurdenScreen() {
  const list = useAllRows('high-burden', (offset, limit) => call('care.highBurdenList', { offset, limit }), 500);
  const rows = list.rows ?? [];
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{msg.care.listTitle}</Title>
        <Text size="sm" c="dimmed">{msg.care.total(rows.length)}</Text>
      </Group>
      {list.error && <Alert color="red" role="alert">{list.error}</Alert>}
      <DataTable
        tableId="high-burden"
        auditEntity="care.high_burden"
        listName={msg.care.listTitle}
        columns={columns}
        rows={rows}
        rowKey={(r) => r.householdId}
        rowTestId={(r) => `high-burden-row-${r.householdId}`}
        emptyText={msg.care.listNone}
        loading={list.loading}
        minWidth={900}
      />
    </Stack>
  );
}
